//! SDK-token transfers in a full block of the reference runtime, imported through the compiled
//! runtime wasm as a node imports it (part of `benchmarking/perf-suite.sh`).
//!
//! ```text
//! cargo run --release -p qvm-runtime --example block_import
//! ```
//!
//! Block 1 deploys the example token (`QVM_TOKEN_WASM`, the SDK token built by
//! `./scripts/build-contracts.sh`); block 2 is filled with signed transfers from Alice to two
//! alternating recipients until the runtime refuses one for the block's limits
//! (`ExhaustsResources`), or `PERF_TRANSFERS` (if set). Both blocks are built natively
//! (initialize, timestamp inherent, extrinsics, finalize), then block 2 is executed with
//! `Core_execute_block` in the runtime wasm (sc-executor, compiled) and natively against the
//! state after block 1, best of `QVM_TIMING_REPS` (default 3). The module cache lives for the
//! whole import, as on a node.
//!
//! Prints `RESULT <name> <value> <unit>` lines: transfers per block and what limited them, the
//! charged weight per transfer (ref time, proof size), and transfers per second of import.
#[path = "../tests/common/mod.rs"]
mod common;

use codec::Encode;
use common::{genesis, signed, Exec, Native, Wasm};
use frame_support::{dispatch::DispatchClass, traits::Get};
use qvm_runtime::{
    Block, Executive, Header, Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic, SLOT_DURATION,
};
use sc_executor::{WasmExecutionMethod, WasmExecutor};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
    generic::{Digest, DigestItem},
    traits::{Block as _, Header as _},
    transaction_validity::{InvalidTransaction, TransactionValidityError},
};
use std::time::{Duration, Instant};

fn report(name: &str, value: f64, unit: &str) {
    println!("RESULT {name} {value:.3} {unit}");
}

/// A block header for `number` in Aura slot `number`, child of `parent`.
fn header(number: u32, parent: sp_core::H256) -> Header {
    let slot = sp_consensus_aura::Slot::from(u64::from(number));
    let digest = Digest {
        logs: vec![DigestItem::PreRuntime(
            sp_consensus_aura::AURA_ENGINE_ID,
            slot.encode(),
        )],
    };
    Header::new(
        number,
        Default::default(),
        Default::default(),
        parent,
        digest,
    )
}

fn timestamp(number: u32) -> UncheckedExtrinsic {
    UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
        now: u64::from(number) * SLOT_DURATION,
    }))
}

/// Builds block `number` natively on `ext` from `calls` (signed by Alice from `nonce`),
/// stopping at the first the block has no room for; the block and how many calls it took.
fn build(
    ext: &mut sp_io::TestExternalities,
    number: u32,
    parent: sp_core::H256,
    genesis_hash: sp_core::H256,
    nonce: u32,
    calls: impl Iterator<Item = RuntimeCall>,
) -> (Block, usize) {
    ext.execute_with(|| {
        Executive::initialize_block(&header(number, parent));
        let mut extrinsics = vec![timestamp(number)];
        Executive::apply_extrinsic(extrinsics[0].clone())
            .expect("timestamp applies")
            .expect("timestamp succeeds");
        for (i, call) in calls.enumerate() {
            let xt = signed(call, Sr25519Keyring::Alice, nonce + i as u32, genesis_hash);
            // As a block builder applies it: in a storage transaction, dropped if refused.
            sp_io::storage::start_transaction();
            match Executive::apply_extrinsic(xt.clone()) {
                Ok(Ok(())) => {
                    sp_io::storage::commit_transaction();
                    extrinsics.push(xt)
                }
                Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
                    sp_io::storage::rollback_transaction();
                    break;
                }
                other => panic!("extrinsic {i} of block {number}: {other:?}"),
            }
        }
        let taken = extrinsics.len() - 1;
        (Block::new(Executive::finalize_block(), extrinsics), taken)
    })
}

/// Charged weight (ref time ps, proof bytes) of the last successful extrinsic in `ext`.
fn last_weight(ext: &mut sp_io::TestExternalities) -> (u64, u64) {
    ext.execute_with(|| {
        frame_system::Pallet::<Runtime>::read_events_no_consensus()
            .filter_map(|e| match e.event {
                RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { dispatch_info }) => {
                    Some(dispatch_info.weight)
                }
                _ => None,
            })
            .last()
            .map_or((0, 0), |w| (w.ref_time(), w.proof_size()))
    })
}

fn main() {
    let token = std::env::var("QVM_TOKEN_WASM").expect("QVM_TOKEN_WASM: the SDK token's wasm");
    let code = std::fs::read(&token).unwrap_or_else(|e| panic!("{token}: {e}"));
    let limit: Option<usize> = std::env::var("PERF_TRANSFERS")
        .ok()
        .and_then(|v| v.parse().ok());
    let reps = std::env::var("QVM_TIMING_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let alice = Sr25519Keyring::Alice.to_account_id();
    let contract = pallet_qvm::address::contract_address(&alice, 0);

    // The state after block 1 (the token deployed), rebuilt identically whenever needed.
    let after_block_one = || {
        let mut ext = genesis();
        let genesis_hash = ext.execute_with(|| frame_system::BlockHash::<Runtime>::get(0));
        let gas = ext
            .execute_with(|| pallet_qvm::Pallet::<Runtime>::max_deploy_gas_limit(code.len(), 64));
        let deploy = RuntimeCall::Qvm(pallet_qvm::Call::deploy {
            code: code.clone(),
            value: 0,
            constructor_args: ("T".to_string(), "T".to_string(), u128::MAX / 2).encode(),
            gas_limit: gas,
            capabilities: None,
            storage_deposit_limit: None,
        });
        let (block, taken) = build(
            &mut ext,
            1,
            genesis_hash,
            genesis_hash,
            0,
            std::iter::once(deploy),
        );
        assert_eq!(taken, 1, "the token deploys");
        ext.commit_all().expect("commit");
        (ext, genesis_hash, block.header().hash())
    };

    // One transfer alone: its gas (from a dry run) and its charged weight.
    let (mut ext, genesis_hash, parent) = after_block_one();
    let recipients = [Sr25519Keyring::Bob, Sr25519Keyring::Charlie].map(|k| k.to_account_id());
    let transfer_gas = ext.execute_with(|| {
        let input = (recipients[0].clone(), 1u128).encode();
        let o = pallet_qvm::Pallet::<Runtime>::bare_call(
            alice.clone(),
            contract,
            0,
            b"transfer",
            input,
            pallet_qvm::Pallet::<Runtime>::max_call_gas_limit(64),
            pallet_qvm::ExecConfig::DRY_RUN,
        );
        o.gas_used
    });
    // Twice the first transfer's gas (to a new recipient; later ones update an entry and use
    // a little more): only the gas used is charged.
    let transfer = |k: usize| {
        RuntimeCall::Qvm(pallet_qvm::Call::call {
            contract,
            value: 0,
            method: b"transfer".to_vec(),
            args: (recipients[k % 2].clone(), 1u128).encode(),
            gas_limit: transfer_gas * 2,
            storage_deposit_limit: None,
        })
    };
    let (_, one) = build(
        &mut ext,
        2,
        parent,
        genesis_hash,
        1,
        std::iter::once(transfer(0)),
    );
    assert_eq!(one, 1);
    let (ref_time, proof) = last_weight(&mut ext);
    let base = <Runtime as frame_system::Config>::BlockWeights::get()
        .get(DispatchClass::Normal)
        .base_extrinsic;
    report("transfer_gas", transfer_gas as f64, "gas");
    let rate = ext.execute_with(|| {
        <<Runtime as pallet_qvm::Config>::Schedule as frame_support::traits::Get<_>>::get()
            .ref_time_per_gas
    });
    report(
        "transfer_gas_ref_time_ms",
        (transfer_gas * rate) as f64 / 1e9,
        "ms",
    );
    report(
        "base_extrinsic_ref_time_ms",
        base.ref_time() as f64 / 1e9,
        "ms",
    );
    report(
        "extensions_ref_time_ms",
        qvm_runtime::configs::TxExtensionWeight::get().ref_time() as f64 / 1e9,
        "ms",
    );
    report(
        "transfer_charged_ref_time_ms",
        (ref_time + base.ref_time()) as f64 / 1e9,
        "ms",
    );
    report(
        "transfer_charged_proof_kb",
        (proof + base.proof_size()) as f64 / 1e3,
        "kB",
    );

    // Block 2 full of transfers.
    let (mut ext, genesis_hash, parent) = after_block_one();
    let cap = limit.unwrap_or(100_000);
    let (block, taken) = build(&mut ext, 2, parent, genesis_hash, 1, (0..cap).map(transfer));
    let weights = <Runtime as frame_system::Config>::BlockWeights::get();
    let used = ext.execute_with(frame_system::Pallet::<Runtime>::block_weight);
    let normal = used.get(DispatchClass::Normal);
    let max = weights
        .get(DispatchClass::Normal)
        .max_total
        .unwrap_or(weights.max_block);
    report("transfers_per_block", taken as f64, "");
    report(
        "block_ref_time_used_pct",
        normal.ref_time() as f64 * 100.0 / max.ref_time() as f64,
        "%",
    );
    report(
        "block_proof_used_pct",
        normal.proof_size() as f64 * 100.0 / max.proof_size() as f64,
        "%",
    );
    if limit.is_none() {
        let by = if normal.proof_size() * max.ref_time() >= normal.ref_time() * max.proof_size() {
            "proof size"
        } else {
            "ref time"
        };
        println!("block limited by {by}");
    }

    // Import it: wasm and native, each against a fresh copy of the state after block 1.
    let wasm = Wasm::new(
        WasmExecutor::builder()
            .with_execution_method(WasmExecutionMethod::default())
            .with_max_runtime_instances(1)
            .build(),
    );
    let encoded = block.encode();
    // Best of `reps` imports of `block` with `exec`, each on a fresh state after block 1.
    let import = |exec: &dyn Exec, block: &[u8]| {
        let mut best = Duration::MAX;
        for _ in 0..reps {
            let (mut ext, _, _) = after_block_one();
            let start = Instant::now();
            exec.call(&mut ext, "Core_execute_block", block);
            best = best.min(start.elapsed());
        }
        best
    };
    // The native import first (a block that does not import panics with a message here); the
    // first wasm call compiles the runtime: not timed.
    let native = import(&Native, &encoded);
    {
        let (mut ext, _, _) = after_block_one();
        wasm.call(&mut ext, "Core_execute_block", &encoded);
    }
    let in_wasm = import(&wasm, &encoded);
    // The same number of signed remarks: what any extrinsic costs to import (signature,
    // nonce, fee), so the difference is what the contract call adds.
    let (mut ext, genesis_hash, parent) = after_block_one();
    let remark = |_| RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
    let (remarks, n) = build(&mut ext, 2, parent, genesis_hash, 1, (0..taken).map(remark));
    assert_eq!(n, taken, "as many remarks fit");
    let remarks_wasm = import(&wasm, &remarks.encode());
    report(
        "import_wasm_us_per_remark",
        remarks_wasm.as_secs_f64() * 1e6 / taken as f64,
        "us",
    );
    report(
        "import_wasm_us_per_transfer_beyond_remark",
        in_wasm.saturating_sub(remarks_wasm).as_secs_f64() * 1e6 / taken as f64,
        "us",
    );
    report(
        "import_wasm_transfers_per_s",
        taken as f64 / in_wasm.as_secs_f64(),
        "/s",
    );
    report(
        "import_native_transfers_per_s",
        taken as f64 / native.as_secs_f64(),
        "/s",
    );
    report(
        "import_wasm_us_per_transfer",
        in_wasm.as_secs_f64() * 1e6 / taken as f64,
        "us",
    );
}
