//! The benchmarks (frame-benchmarking v2): every dispatchable, and one execution benchmark per
//! [`Workload`] (host functions per call and per byte, operator classes, memory).

// `#[benchmarks]` re-exports its module, an import the lint sees as unused when the module comes
// out of `benchmarks_with_workloads!`.
#![allow(unused_imports)]

use super::{
    code::{self, OpClass},
    workloads::{
        Workload, MAX_COPY, MAX_HASHED, MAX_REPEAT, MAX_SIGNATURES, MAX_STORAGE_REPEAT,
        TRANSFER_VALUE,
    },
};
use crate::{BalanceOf, Call, Config, ContractAddress, ExecConfig, Pallet};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{
    fungible::{Inspect, Mutate},
    Get,
};
use frame_support::{traits::EnsureOrigin, weights::Weight};
use frame_system::RawOrigin;
use sp_runtime::traits::{Saturating, UniqueSaturatedFrom};

/// Keys of the largest trie the `on_idle_per_key` benchmark deletes.
const MAX_DELETED_KEYS: u32 = 1_000;

/// Gas limit of benchmarked executions: never the bottleneck.
const GAS: u64 = u64::MAX / 4;

fn err(msg: &'static str) -> BenchmarkError {
    BenchmarkError::Stop(msg)
}

/// The whitelisted caller, funded for every benchmark.
fn funded_caller<T: Config>() -> T::AccountId {
    let caller: T::AccountId = whitelisted_caller();
    fund::<T>(&caller);
    caller
}

/// Gives `who` enough for any benchmark: 1,000 × [`TRANSFER_VALUE`] (the transfer benchmark's
/// contract moves up to `MAX_STORAGE_REPEAT` of them) plus the minimum balance.
fn fund<T: Config>(who: &T::AccountId) {
    let amount = BalanceOf::<T>::unique_saturated_from(TRANSFER_VALUE.saturating_mul(1_000))
        .saturating_add(T::Currency::minimum_balance());
    let _ = T::Currency::set_balance(who, amount);
}

/// Deploys `code` (empty constructor input) as the whitelisted caller.
fn deploy_contract<T: Config>(
    code: Vec<u8>,
) -> Result<(T::AccountId, ContractAddress), BenchmarkError> {
    let caller = funded_caller::<T>();
    let outcome = Pallet::<T>::bare_deploy(
        caller.clone(),
        code,
        0u32.into(),
        vec![],
        GAS,
        None,
        ExecConfig::COMMIT,
    );
    let (address, _) = outcome
        .result
        .map_err(|_| err("benchmark contract failed to deploy"))?;
    // The measured call compiles the code again, as every call does while a block is authored
    // (one runtime call per extrinsic): the weights cover a module-cache miss.
    crate::exec::cache::clear();
    Ok((caller, address))
}

/// Deploys `workload`'s contract for component `n` and writes the storage it reads.
fn prepare<T: Config>(
    workload: Workload,
    n: u32,
) -> Result<(T::AccountId, ContractAddress, Vec<u8>), BenchmarkError> {
    if let Some(code) = workload.setup_code() {
        Pallet::<T>::store_code(&funded_caller::<T>(), code)
            .map_err(|_| err("benchmark code failed to upload"))?;
    }
    let (caller, address) = deploy_contract::<T>(workload.code(n))?;
    workload.setup_storage(&address, n);
    fund::<T>(&Pallet::<T>::account_of(&address));
    crate::exec::cache::clear();
    Ok((caller, address, workload.input(n)))
}

/// Runs `run` of `contract` with `input`, committing, inside the measured block.
fn run<T: Config>(
    caller: &T::AccountId,
    contract: ContractAddress,
    input: Vec<u8>,
) -> Result<(), BenchmarkError> {
    let outcome = Pallet::<T>::bare_call(
        caller.clone(),
        contract,
        0u32.into(),
        b"run",
        input,
        GAS,
        ExecConfig::COMMIT,
    );
    match outcome.result {
        Ok(r) if !r.reverted => Ok(()),
        _ => Err(err("benchmark call failed")),
    }
}

fn max_value_len<T: Config>() -> u32 {
    T::Limits::get().max_value_len
}

/// The benchmarks module: the dispatchables written out, then one benchmark per execution
/// workload (`name(component <= max) => workload;`, grouped by component), each deploying the workload's contract and
/// measuring one call of its `run`.
macro_rules! benchmarks_with_workloads {
    (
        per_call { $( $(#[doc = $rdoc:literal])* $rname:ident(r <= $rmax:expr) => $rwork:expr; )* }
        per_byte { $( $(#[doc = $ndoc:literal])* $nname:ident(n <= $nmax:expr) => $nwork:expr; )* }
        per_page { $( $(#[doc = $pdoc:literal])* $pname:ident(p <= $pmax:expr) => $pwork:expr; )* }
    ) => {
        #[benchmarks]
        mod benchmarks {
            use super::*;

        #[benchmark(pov_mode = Measured)]
        fn upload_code(c: Linear<0, { T::MaxCodeLen::get() }>) {
            let caller = funded_caller::<T>();
            let code = code::sized(c);
            #[extrinsic_call]
            _(RawOrigin::Signed(caller), code);
        }

        /// Upload of code defining `n` (empty) functions: what validation and eager translation
        /// cost per function, beyond the bytes.
        #[benchmark(pov_mode = Measured)]
        fn upload_code_per_function(n: Linear<2, { T::Limits::get().max_functions }>) {
            let caller = funded_caller::<T>();
            let code = code::with_functions(n);
            #[extrinsic_call]
            upload_code(RawOrigin::Signed(caller), code);
        }

        #[benchmark(pov_mode = Measured)]
        fn deploy(
            c: Linear<0, { T::MaxCodeLen::get() }>,
            i: Linear<0, { T::Limits::get().max_input_len }>,
        ) {
            let caller = funded_caller::<T>();
            let code = code::sized(c);
            // A value besides the endowment: the dearest transfer.
            let value = T::Currency::minimum_balance();
            #[extrinsic_call]
            _(RawOrigin::Signed(caller), code, value, vec![0u8; i as usize], GAS, None, None);
        }

        /// Instantiation of stored code of `c` bytes (its loading is charged as gas, calibrated from
        /// the `c` slope) with `i` bytes of constructor input.
        #[benchmark(pov_mode = Measured)]
        fn instantiate(
            c: Linear<0, { T::MaxCodeLen::get() }>,
            i: Linear<0, { T::Limits::get().max_input_len }>,
        ) -> Result<(), BenchmarkError> {
            let caller = funded_caller::<T>();
            let hash = Pallet::<T>::store_code(&caller, code::sized(c)).map_err(|_| err("upload"))?;
            let value = T::Currency::minimum_balance();
            #[extrinsic_call]
            _(RawOrigin::Signed(caller), hash, value, vec![0u8; i as usize], GAS, None, None);
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
            // No value: a call with value adds `Pallet::value_transfer_weight`.
            #[extrinsic_call]
            _(
                RawOrigin::Signed(caller),
                address,
                0u32.into(),
                b"run".to_vec(),
                vec![0u8; i as usize],
                GAS,
                None,
            );
            Ok(())
        }

        /// A call of a contract of `c` bytes that enters none of its code (the `call` code with
        /// its large function never called): loading code, whose bodies are skipped, without
        /// translating it.
        #[benchmark(pov_mode = Measured)]
        fn call_unentered(c: Linear<0, { T::MaxCodeLen::get() }>) -> Result<(), BenchmarkError> {
            let (caller, address) = deploy_contract::<T>(code::sized_unentered(c))?;
            #[extrinsic_call]
            call(
                RawOrigin::Signed(caller),
                address,
                0u32.into(),
                b"run".to_vec(),
                vec![],
                GAS,
                None,
            );
            Ok(())
        }

        #[benchmark(pov_mode = Measured)]
        fn remove_code() -> Result<(), BenchmarkError> {
            let caller = funded_caller::<T>();
            let hash = Pallet::<T>::store_code(&caller, code::sized(0)).map_err(|_| err("upload"))?;
            #[extrinsic_call]
            _(RawOrigin::Signed(caller), hash);
            Ok(())
        }

        /// Governance points a contract at other stored code (both codes' reference counts
        /// change).
        #[benchmark(pov_mode = Measured)]
        fn set_code() -> Result<(), BenchmarkError> {
            let origin =
                T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
            let (caller, address) = deploy_contract::<T>(code::sized(0))?;
            let hash = Pallet::<T>::store_code(&caller, crate::benchmarking::workloads::instantiated_code())
                .map_err(|_| err("upload"))?;
            #[extrinsic_call]
            _(origin as T::RuntimeOrigin, address, hash);
            Ok(())
        }

        /// `on_idle` deleting a terminated contract's storage of `k` keys (one queued trie):
        /// the weight per key and per queue step `crate::deletion` charges.
        #[benchmark(pov_mode = Measured)]
        fn on_idle_per_key(k: Linear<0, MAX_DELETED_KEYS>) -> Result<(), BenchmarkError> {
            let trie_id = crate::TrieId::try_from(crate::address::trie_id(&ContractAddress([3u8; 32])))
                .map_err(|_| err("trie id"))?;
            let child = frame_support::storage::child::ChildInfo::new_default(&trie_id);
            for key in 0..k {
                frame_support::storage::child::put(&child, &key.to_le_bytes(), &[1u8; 32]);
            }
            crate::deletion::queue::<T>(trie_id);
            let used;
            #[block]
            {
                used = crate::deletion::process::<T>(Weight::MAX);
            }
            if crate::deletion::queued::<T>() != 0 || used == Weight::zero() {
                return Err(err("the queued trie was not deleted"));
            }
            Ok(())
        }

            $(
                $(#[doc = $rdoc])*
                #[benchmark(pov_mode = Measured)]
                fn $rname(r: Linear<0, $rmax>) -> Result<(), BenchmarkError> {
                    let (caller, address, input) = prepare::<T>($rwork, r)?;
                    #[block]
                    {
                        run::<T>(&caller, address, input)?;
                    }
                    Ok(())
                }
            )*

            $(
                $(#[doc = $ndoc])*
                #[benchmark(pov_mode = Measured)]
                fn $nname(n: Linear<0, $nmax>) -> Result<(), BenchmarkError> {
                    let (caller, address, input) = prepare::<T>($nwork, n)?;
                    #[block]
                    {
                        run::<T>(&caller, address, input)?;
                    }
                    Ok(())
                }
            )*

            $(
                $(#[doc = $pdoc])*
                #[benchmark(pov_mode = Measured)]
                fn $pname(p: Linear<0, $pmax>) -> Result<(), BenchmarkError> {
                    let (caller, address, input) = prepare::<T>($pwork, p)?;
                    #[block]
                    {
                        run::<T>(&caller, address, input)?;
                    }
                    Ok(())
                }
            )*

            impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
        }
    };
}

benchmarks_with_workloads! {
    per_call {
        /// A contract whose `run` loops `r` times doing nothing: the baseline of the loops.
        run_empty(r <= MAX_REPEAT) => Workload::RunEmpty;
        host_get_block_height(r <= MAX_REPEAT) => Workload::GetBlockHeight;
        host_get_block_timestamp(r <= MAX_REPEAT) => Workload::GetBlockTimestamp;
        host_get_caller(r <= MAX_REPEAT) => Workload::GetCaller;
        host_get_contract_address(r <= MAX_REPEAT) => Workload::GetContractAddress;
        host_gas_left(r <= MAX_REPEAT) => Workload::GasLeft;
        host_input_size(r <= MAX_REPEAT) => Workload::InputSize;
        host_input_read(r <= MAX_REPEAT) => Workload::InputRead;
        /// `r` reads of distinct existing 32-byte values (each a database read).
        host_storage_read(r <= MAX_STORAGE_REPEAT) => Workload::StorageRead;
        host_storage_size(r <= MAX_STORAGE_REPEAT) => Workload::StorageSize;
        /// `r` writes of 32-byte values to distinct new keys.
        host_storage_write(r <= MAX_STORAGE_REPEAT) => Workload::StorageWrite;
        host_storage_remove(r <= MAX_STORAGE_REPEAT) => Workload::StorageRemove;
        host_hash(r <= MAX_REPEAT) => Workload::Hash;
        /// `r` verifications of a valid sr25519 signature.
        host_verify_signature(r <= MAX_SIGNATURES) => Workload::VerifySignature;
        host_emit_event(r <= { T::Limits::get().max_events }) => Workload::EmitEvent;
        /// `r` events indexed under `EVENT_TOPICS` new topics each.
        host_emit_event_indexed(r <= { T::Limits::get().max_events }) => Workload::EmitEventIndexed;
        /// `r` reads of the contract's balance.
        host_balance(r <= MAX_REPEAT) => Workload::Balance;
        host_value_transferred(r <= MAX_REPEAT) => Workload::ValueTransferred;
        host_minimum_balance(r <= MAX_REPEAT) => Workload::MinimumBalance;
        /// `r` reads of the size of the last call's output (none here: the cost does not
        /// depend on it).
        host_return_data_size(r <= MAX_REPEAT) => Workload::ReturnDataSize;
        /// `r` copies of the last call's output (its bytes are priced as input bytes).
        host_return_data_read(r <= MAX_REPEAT) => Workload::ReturnDataRead;
        /// `r` transfers from the contract to new accounts (each created by the transfer).
        host_transfer(r <= MAX_STORAGE_REPEAT) => Workload::Transfer;
        /// `r` calls of an empty method of the contract's own (re-entry allowed).
        host_call(r <= MAX_STORAGE_REPEAT) => Workload::Call;
        /// `r` instantiations of the smallest contract (new contracts and accounts).
        host_instantiate(r <= MAX_STORAGE_REPEAT) => Workload::Instantiate;
        /// `r` checks of stored code as the contract's next code, and one switch.
        host_set_code_hash(r <= MAX_STORAGE_REPEAT) => Workload::SetCodeHash;
        /// `r` (0 or 1) terminations paying out to a new account.
        host_terminate(r <= 1) => Workload::Terminate;
        /// Operator classes: `r` loop iterations of ten operators each.
        instr_add(r <= MAX_REPEAT) => Workload::Instr(OpClass::Add);
        instr_mul(r <= MAX_REPEAT) => Workload::Instr(OpClass::Mul);
        instr_div(r <= MAX_REPEAT) => Workload::Instr(OpClass::Div);
        instr_load(r <= MAX_REPEAT) => Workload::Instr(OpClass::Load);
        instr_store(r <= MAX_REPEAT) => Workload::Instr(OpClass::Store);
        instr_call(r <= MAX_REPEAT) => Workload::Instr(OpClass::Call);
        instr_call_indirect(r <= MAX_REPEAT) => Workload::Instr(OpClass::CallIndirect);
        instr_br_table(r <= MAX_REPEAT) => Workload::Instr(OpClass::BrTable);
        instr_select(r <= MAX_REPEAT) => Workload::Instr(OpClass::Select);
        instr_global(r <= MAX_REPEAT) => Workload::Instr(OpClass::Global);
        instr_branch(r <= MAX_REPEAT) => Workload::Instr(OpClass::Branch);
        instr_memory_op(r <= MAX_REPEAT) => Workload::Instr(OpClass::MemoryOp);
    }
    per_byte {
        host_input_read_per_byte(n <= { T::Limits::get().max_input_len }) => Workload::InputReadPerByte;
        host_return_per_byte(n <= { T::Limits::get().max_output_len }) => Workload::ReturnPerByte;
        host_storage_read_per_byte(n <= { max_value_len::<T>() }) => Workload::StorageReadPerByte;
        host_storage_write_per_byte(n <= { max_value_len::<T>() }) => Workload::StorageWritePerByte;
        host_hash_per_byte(n <= MAX_HASHED) => Workload::HashPerByte;
        host_verify_signature_per_byte(n <= MAX_HASHED) => Workload::VerifySignaturePerByte;
        host_emit_event_per_byte(n <= { T::Limits::get().max_event_data_len }) => Workload::EmitEventPerByte;
        /// `memory.copy` of `n` bytes.
        instr_memory_copy(n <= MAX_COPY) => Workload::MemoryCopy;
        /// 1,000 calls of a function declaring `n` locals.
        instr_call_per_local(n <= { T::Limits::get().max_locals }) => Workload::CallPerLocal;
        /// A call of a contract defining `n` (empty) functions.
        call_per_function(n <= { T::Limits::get().max_functions }) => Workload::LoadPerFunction;
        /// A call of a contract exporting `run` under `n` more names.
        call_per_export(n <= { T::Limits::get().max_exports.saturating_sub(3) }) => Workload::LoadPerExport;
        /// A call of a contract declaring `n` more function types (distinct, 8 parameters).
        call_per_type(n <= { T::Limits::get().max_types.min(257).saturating_sub(1) }) => Workload::LoadPerType;
    }
    per_page {
        /// `p` one-page `memory.grow`s (the dearest way to grow memory).
        instr_memory_grow(p <= { T::Limits::get().max_memory_pages - 1 }) => Workload::MemoryGrow;
    }
}
