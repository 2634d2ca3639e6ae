//! The benchmarks (frame-benchmarking v2): every dispatchable, and one execution benchmark per
//! [`Workload`] (host functions per call and per byte, operator classes, memory).

use super::{
    code::{self, OpClass},
    workloads::{Workload, MAX_COPY, MAX_HASHED, MAX_REPEAT, MAX_SIGNATURES},
};
use crate::{Call, Config, ContractAddress, Pallet};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;

/// Gas limit of benchmarked executions: never the bottleneck.
const GAS: u64 = u64::MAX / 4;

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

/// Deploys `workload`'s contract for component `n` and writes the storage it reads.
fn prepare<T: Config>(
    workload: Workload,
    n: u32,
) -> Result<(T::AccountId, ContractAddress, Vec<u8>), BenchmarkError> {
    let (caller, address) = deploy_contract::<T>(workload.code(n))?;
    workload.setup_storage(&address, n);
    Ok((caller, address, workload.input(n)))
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

fn max_value_len<T: Config>() -> u32 {
    T::Limits::get().max_value_len
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

    /// Instantiation of stored code of `c` bytes (its loading is charged as gas, calibrated from
    /// the `c` slope) with `i` bytes of constructor input.
    #[benchmark(pov_mode = Measured)]
    fn instantiate(
        c: Linear<0, { T::MaxCodeLen::get() }>,
        i: Linear<0, { T::Limits::get().max_input_len }>,
    ) -> Result<(), BenchmarkError> {
        let caller: T::AccountId = whitelisted_caller();
        let hash = Pallet::<T>::store_code(&caller, code::sized(c)).map_err(|_| err("upload"))?;
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), hash, vec![0u8; i as usize], GAS);
        Ok(())
    }

    /// A call of a contract of `c` bytes (its loading is charged as gas, calibrated from the `c`
    /// slope) with `i` bytes of input.
    #[benchmark(pov_mode = Measured)]
    fn call(
        c: Linear<0, { T::MaxCodeLen::get() }>,
        i: Linear<0, { T::Limits::get().max_input_len }>,
    ) -> Result<(), BenchmarkError> {
        let (caller, address) = deploy_contract::<T>(code::sized(c))?;
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

    /// A contract whose `run` loops `r` times doing nothing: the baseline of the loops.
    #[benchmark(pov_mode = Measured)]
    fn run_empty(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::RunEmpty, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_block_height(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::GetBlockHeight, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_block_timestamp(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::GetBlockTimestamp, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_caller(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::GetCaller, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_get_contract_address(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::GetContractAddress, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_gas_left(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::GasLeft, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_input_size(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::InputSize, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_input_read(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::InputRead, r)?;
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
        let (caller, address, input) = prepare::<T>(Workload::InputReadPerByte, n)?;
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
        let (caller, address, input) = prepare::<T>(Workload::ReturnPerByte, n)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    /// `r` reads of distinct existing 32-byte values (each a database read).
    #[benchmark(pov_mode = Measured)]
    fn host_storage_read(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::StorageRead, r)?;
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
        let (caller, address, input) = prepare::<T>(Workload::StorageReadPerByte, n)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_size(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::StorageSize, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    /// `r` writes of 32-byte values to distinct new keys.
    #[benchmark(pov_mode = Measured)]
    fn host_storage_write(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::StorageWrite, r)?;
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
        let (caller, address, input) = prepare::<T>(Workload::StorageWritePerByte, n)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_storage_remove(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::StorageRemove, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_hash(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Hash, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_hash_per_byte(n: Linear<0, MAX_HASHED>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::HashPerByte, n)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    /// `r` verifications of a valid sr25519 signature.
    #[benchmark(pov_mode = Measured)]
    fn host_verify_signature(r: Linear<0, MAX_SIGNATURES>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::VerifySignature, r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn host_verify_signature_per_byte(n: Linear<0, MAX_HASHED>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::VerifySignaturePerByte, n)?;
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
        let (caller, address, input) = prepare::<T>(Workload::EmitEvent, r)?;
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
        let (caller, address, input) = prepare::<T>(Workload::EmitEventPerByte, n)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    /// Operator classes: `r` loop iterations of ten operators each.
    #[benchmark(pov_mode = Measured)]
    fn instr_add(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Instr(OpClass::Add), r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_mul(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Instr(OpClass::Mul), r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_div(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Instr(OpClass::Div), r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_load(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Instr(OpClass::Load), r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_store(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Instr(OpClass::Store), r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    #[benchmark(pov_mode = Measured)]
    fn instr_call(r: Linear<0, MAX_REPEAT>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::Instr(OpClass::Call), r)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    /// `memory.grow` by `p` pages.
    #[benchmark(pov_mode = Measured)]
    fn instr_memory_grow(
        p: Linear<0, { T::Limits::get().max_memory_pages - 1 }>,
    ) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::MemoryGrow, p)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    /// `memory.copy` of `n` bytes.
    #[benchmark(pov_mode = Measured)]
    fn instr_memory_copy(n: Linear<0, MAX_COPY>) -> Result<(), BenchmarkError> {
        let (caller, address, input) = prepare::<T>(Workload::MemoryCopy, n)?;
        #[block]
        {
            run::<T>(&caller, address, input)?;
        }
        Ok(())
    }

    impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
