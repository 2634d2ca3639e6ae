//! The benchmarks (frame-benchmarking v2).

use super::code::{self, op, Body, OpClass};
use crate::{Call, Config, ContractAddress, Pallet};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;

/// Gas limit of benchmarked executions: never the bottleneck.
const GAS: u64 = u64::MAX / 4;
/// Repetitions of host calls and operator loops.
const MAX_REPEAT: u32 = 1_000;

/// A valid sr25519 signature of `SIGNED_MSG` by `PUBLIC_KEY` (so verification runs in full;
/// against other messages it fails only at the final comparison).
const PUBLIC_KEY: [u8; 32] =
    hex_literal_32(b"460d4ea4ca925f9feed5e3c5a546cb0b0b9447c4e53468b8d17161276407830d");
const SIGNATURE: [u8; 64] = hex_literal_64(
    b"9e8ea7669206a978218bbbbb2005f391f5258dbbc6b9bf94b87e149008d7fd2d142f6aa3c740025bd26de46c22881da52d8af06f831089e3f5db7bf63a2c9885",
);

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => 0,
    }
}

const fn hex_literal_32(s: &[u8; 64]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

const fn hex_literal_64(s: &[u8; 128]) -> [u8; 64] {
    let mut out = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        out[i] = nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

fn err(msg: &'static str) -> BenchmarkError {
    BenchmarkError::Stop(msg)
}

/// Deploys `code` (empty constructor input) as the whitelisted caller.
fn deploy_contract<T: Config>(
    code: Vec<u8>,
) -> Result<(T::AccountId, ContractAddress), BenchmarkError> {
    let caller: T::AccountId = whitelisted_caller();
    let outcome = Pallet::<T>::bare_deploy(caller.clone(), code, vec![], GAS, true);
    let (address, _) = outcome
        .result
        .map_err(|_| err("benchmark contract failed to deploy"))?;
    Ok((caller, address))
}

/// Runs `run` of `contract` with `input`, committing, inside the measured block.
fn run<T: Config>(
    caller: &T::AccountId,
    contract: ContractAddress,
    input: Vec<u8>,
) -> Result<(), BenchmarkError> {
    let outcome = Pallet::<T>::bare_call(caller.clone(), contract, b"run", input, GAS, true);
    match outcome.result {
        Ok(r) if !r.reverted => Ok(()),
        _ => Err(err("benchmark call failed")),
    }
}

/// Benchmark of `run` after deploying `code`.
fn bench_run<T: Config>(
    code: Vec<u8>,
    input: Vec<u8>,
) -> Result<(T::AccountId, ContractAddress, Vec<u8>), BenchmarkError> {
    let (caller, address) = deploy_contract::<T>(code)?;
    Ok((caller, address, input))
}

fn max_value_len<T: Config>() -> u32 {
    T::Limits::get().max_value_len
}

/// Arguments `(out_ptr = 0, out_cap = 64)`.
fn out_args() -> Body {
    Body::default().i32(0).i32(64)
}

/// A distinct 32-byte key per loop iteration: the counter (local 0) stored at offset 0.
fn counter_key() -> Body {
    Body::default()
        .i32(0)
        .op_u(op::LOCAL_GET, 0)
        .op(op::I64_EXTEND_I32_U)
        .mem(op::I64_STORE)
}

#[benchmarks]
mod benchmarks {
    use super::*;

    #[benchmark(pov_mode = Measured)]
    fn upload_code(c: Linear<0, { T::MaxCodeLen::get() }>) {
        let caller: T::AccountId = whitelisted_caller();
        let code = code::sized(c);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), code);
    }

    #[benchmark(pov_mode = Measured)]
    fn deploy(
        c: Linear<0, { T::MaxCodeLen::get() }>,
        i: Linear<0, { T::Limits::get().max_input_len }>,
    ) {
        let caller: T::AccountId = whitelisted_caller();
        let code = code::sized(c);
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), code, vec![0u8; i as usize], GAS);
    }

    #[benchmark(pov_mode = Measured)]
    fn instantiate(i: Linear<0, { T::Limits::get().max_input_len }>) -> Result<(), BenchmarkError> {
        let caller: T::AccountId = whitelisted_caller();
        let hash = Pallet::<T>::store_code(&caller, code::sized(0)).map_err(|_| err("upload"))?;
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), hash, vec![0u8; i as usize], GAS);
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn call(i: Linear<0, { T::Limits::get().max_input_len }>) -> Result<(), BenchmarkError> {
        let (caller, address) = deploy_contract::<T>(code::sized(0))?;
        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller),
            address,
            b"run".to_vec(),
            vec![0u8; i as usize],
            GAS,
        );
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn remove_code() -> Result<(), BenchmarkError> {
        let caller: T::AccountId = whitelisted_caller();
        let hash = Pallet::<T>::store_code(&caller, code::sized(0)).map_err(|_| err("upload"))?;
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), hash);
        Ok(())
    }

    /// A contract whose `run` does nothing: the baseline of every `host_*` and `instr_*`.
    #[benchmark(pov_mode = Measured)]
    fn run_empty(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) =
            bench_run::<T>(code::op_loop(r, Body::default(), vec![]), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_block_height(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_get_block_height", Body::default(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_block_timestamp(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_get_block_timestamp", Body::default(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_caller(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_get_caller", out_args(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_contract_address(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_get_contract_address", out_args(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_gas_left(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_gas_left", Body::default(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_input_size(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_input_size", Body::default(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_input_read(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop("qnet_input_read", out_args(), r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_input_read_per_byte(
        n: Linear<0, { T::Limits::get().max_input_len }>,
    ) -> Result<(), BenchmarkError> {
        let pages = n / 65_536 + 1;
        let code = code::host_loop(
            "qnet_input_read",
            Body::default().i32(0).i32(n as i32),
            1,
            vec![],
            pages,
        );
        let (caller, address, input) = bench_run::<T>(code, vec![7u8; n as usize])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_return_per_byte(
        n: Linear<0, { T::Limits::get().max_output_len }>,
    ) -> Result<(), BenchmarkError> {
        let pages = n / 65_536 + 1;
        let code = code::host_loop(
            "qnet_return",
            Body::default().i32(0).i32(n as i32),
            1,
            vec![],
            pages,
        );
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_read(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let args = counter_key().i32(0).i32(32).i32(64).i32(64);
        let code = code::host_loop("qnet_storage_read", args, r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        let trie = crate::address::trie_id(&address);
        for k in 0..=u64::from(r) {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&k.to_le_bytes());
            sp_io::default_child_storage::set(&trie, &key, &[1u8; 32]);
        }
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_read_per_byte(
        n: Linear<0, { max_value_len::<T>() }>,
    ) -> Result<(), BenchmarkError> {
        let args = Body::default().i32(0).i32(32).i32(64).i32(n as i32);
        let code = code::host_loop("qnet_storage_read", args, 1, vec![9u8; 32], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        sp_io::default_child_storage::set(
            &crate::address::trie_id(&address),
            &[9u8; 32],
            &vec![1u8; n as usize],
        );
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_size(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let args = counter_key().i32(0).i32(32);
        let code = code::host_loop("qnet_storage_size", args, r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_write(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let args = counter_key().i32(0).i32(32).i32(64).i32(32);
        let code = code::host_loop("qnet_storage_write", args, r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_write_per_byte(
        n: Linear<0, { max_value_len::<T>() }>,
    ) -> Result<(), BenchmarkError> {
        let args = Body::default().i32(0).i32(32).i32(64).i32(n as i32);
        let code = code::host_loop("qnet_storage_write", args, 1, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_remove(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let args = counter_key().i32(0).i32(32);
        let code = code::host_loop("qnet_storage_remove", args, r, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        let trie = crate::address::trie_id(&address);
        for k in 0..=u64::from(r) {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&k.to_le_bytes());
            sp_io::default_child_storage::set(&trie, &key, &[1u8; 32]);
        }
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_hash(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let code = code::host_loop(
            "qnet_hash",
            Body::default().i32(0).i32(0).i32(64),
            r,
            vec![],
            1,
        );
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_hash_per_byte(n: Linear<0, { 1024 * 1024 }>) -> Result<(), BenchmarkError> {
        let pages = n / 65_536 + 2;
        let code = code::host_loop(
            "qnet_hash",
            Body::default().i32(0).i32(n as i32).i32(0),
            1,
            vec![],
            pages,
        );
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_verify_signature(r: Linear<0, 100>) -> Result<(), BenchmarkError> {
        let mut data = SIGNATURE.to_vec();
        data.extend_from_slice(&PUBLIC_KEY);
        data.extend_from_slice(b"qvm benchmark");
        let args = Body::default().i32(96).i32(13).i32(0).i32(64);
        let code = code::host_loop("qnet_verify_signature", args, r, data, 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_verify_signature_per_byte(n: Linear<0, { 1024 * 1024 }>) -> Result<(), BenchmarkError> {
        let mut data = SIGNATURE.to_vec();
        data.extend_from_slice(&PUBLIC_KEY);
        let pages = n / 65_536 + 2;
        let args = Body::default().i32(96).i32(n as i32).i32(0).i32(64);
        let code = code::host_loop("qnet_verify_signature", args, 1, data, pages);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_emit_event(
        r: Linear<0, { T::Limits::get().max_events }>,
    ) -> Result<(), BenchmarkError> {
        let code = code::host_loop(
            "qnet_emit_event",
            Body::default().i32(0).i32(0).i32(0).i32(0),
            r,
            vec![],
            1,
        );
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_emit_event_per_byte(
        n: Linear<0, { T::Limits::get().max_event_data_len }>,
    ) -> Result<(), BenchmarkError> {
        let args = Body::default().i32(0).i32(0).i32(0).i32(n as i32);
        let code = code::host_loop("qnet_emit_event", args, 1, vec![], 1);
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_add(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (body, helpers) = code::op_class_body(OpClass::Add);
        let (caller, address, input) = bench_run::<T>(code::op_loop(r, body, helpers), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_mul(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (body, helpers) = code::op_class_body(OpClass::Mul);
        let (caller, address, input) = bench_run::<T>(code::op_loop(r, body, helpers), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_div(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (body, helpers) = code::op_class_body(OpClass::Div);
        let (caller, address, input) = bench_run::<T>(code::op_loop(r, body, helpers), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_load(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (body, helpers) = code::op_class_body(OpClass::Load);
        let (caller, address, input) = bench_run::<T>(code::op_loop(r, body, helpers), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_store(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (body, helpers) = code::op_class_body(OpClass::Store);
        let (caller, address, input) = bench_run::<T>(code::op_loop(r, body, helpers), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_call(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (body, helpers) = code::op_class_body(OpClass::Call);
        let (caller, address, input) = bench_run::<T>(code::op_loop(r, body, helpers), vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_memory_grow(
        p: Linear<0, { T::Limits::get().max_memory_pages - 1 }>,
    ) -> Result<(), BenchmarkError> {
        let body = Body::default()
            .i32(p as i32)
            .op(op::MEMORY_GROW)
            .op(0)
            .op(op::DROP);
        let code = code::Module {
            run: body,
            ..Default::default()
        }
        .build();
        let (caller, address, input) = bench_run::<T>(code, vec![])?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
