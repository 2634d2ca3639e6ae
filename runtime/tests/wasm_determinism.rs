//! The compiled runtime Wasm (executed by sc-executor, as a node does) and the native runtime
//! give the same results, events, gas and state roots for the same QVM extrinsics and dry runs.

mod common;

use codec::{Decode, Encode};
use common::{block_one, genesis, signed, Exec, Native, Wasm};
use qvm_primitives::{api::DryRun, ExecReturn};
use qvm_runtime::{Runtime, RuntimeCall, UncheckedExtrinsic};
use sc_executor::{WasmExecutionMethod, WasmExecutor};
use sp_externalities::Externalities;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{ApplyExtrinsicResult, StateVersion};

/// The pallet's host fixture: it calls other contracts (`call`) with the inputs of
/// `pallets/qvm/src/tests/calls.rs`.
fn caller_wasm() -> Vec<u8> {
    wat::parse_str(include_str!("../../pallets/qvm/fixtures/host_all.wat")).expect("valid WAT")
}

/// The host fixture's `call` input (see `pallets/qvm/src/tests/calls.rs`).
fn call_input(callee: &[u8; 32], flags: i32, method: &str, input: &[u8]) -> Vec<u8> {
    let mut v = callee.to_vec();
    v.extend_from_slice(&0u128.to_le_bytes());
    v.extend_from_slice(&0u64.to_le_bytes());
    v.extend_from_slice(&flags.to_le_bytes());
    v.push(method.len() as u8);
    v.extend_from_slice(method.as_bytes());
    v.extend_from_slice(input);
    v
}

fn token_wasm() -> Vec<u8> {
    // A contract that needs no build: the pallet's balance-map fixture, compiled from WAT.
    wat::parse_str(include_str!("../../pallets/qvm/fixtures/balance_map.wat")).expect("valid WAT")
}

/// Everything observable after the scenario.
#[derive(Debug, PartialEq)]
struct Observed {
    results: Vec<Vec<u8>>,
    events: Option<Vec<u8>>,
    state_root: Vec<u8>,
    contract_root: Option<Vec<u8>>,
    balance_dry_run: Vec<u8>,
}

/// The signed extrinsics of the scenario. Built once: sr25519 signatures are randomised, and
/// both executions must see the same bytes.
fn extrinsics() -> Vec<UncheckedExtrinsic> {
    let genesis_hash = genesis().execute_with(|| frame_system::BlockHash::<Runtime>::get(0));
    let alice = Sr25519Keyring::Alice;
    let bob = Sr25519Keyring::Bob;
    let contract = pallet_qvm::address::contract_address(&alice.to_account_id(), 0);
    let caller = pallet_qvm::address::contract_address(&alice.to_account_id(), 1);
    let mut transfer = AsRef::<[u8]>::as_ref(&bob.to_account_id()).to_vec();
    transfer.extend_from_slice(&100u64.to_le_bytes());
    let calls = [
        (
            alice,
            RuntimeCall::Qvm(pallet_qvm::Call::deploy {
                code: token_wasm(),
                value: 0,
                constructor_args: 1000u64.to_le_bytes().to_vec(),
                gas_limit: 2_000_000,
                capabilities: None,
                storage_deposit_limit: None,
            }),
        ),
        (
            alice,
            RuntimeCall::Qvm(pallet_qvm::Call::call {
                contract,
                // With value: the transfer runs in both executions too.
                value: 7 * qvm_runtime::EXISTENTIAL_DEPOSIT,
                method: b"transfer".to_vec(),
                args: transfer.clone(),
                gas_limit: 2_000_000,
                storage_deposit_limit: None,
            }),
        ),
        // Bob has 100: this reverts and must leave nothing behind (its value included),
        // identically.
        (
            bob,
            RuntimeCall::Qvm(pallet_qvm::Call::call {
                contract,
                value: 3 * qvm_runtime::EXISTENTIAL_DEPOSIT,
                method: b"transfer".to_vec(),
                args: {
                    let mut a = AsRef::<[u8]>::as_ref(&alice.to_account_id()).to_vec();
                    a.extend_from_slice(&101u64.to_le_bytes());
                    a
                },
                gas_limit: 2_000_000,
                storage_deposit_limit: None,
            }),
        ),
        // Out of gas.
        (
            alice,
            RuntimeCall::Qvm(pallet_qvm::Call::call {
                contract,
                value: 0,
                method: b"transfer".to_vec(),
                args: transfer,
                gas_limit: 2_000,
                storage_deposit_limit: None,
            }),
        ),
        // Cross-contract calls: a contract reading the token's balance of Bob, and one calling
        // itself until the call stack is full.
        (
            alice,
            RuntimeCall::Qvm(pallet_qvm::Call::deploy {
                code: caller_wasm(),
                value: 0,
                constructor_args: b"caller".to_vec(),
                gas_limit: 2_000_000,
                capabilities: None,
                storage_deposit_limit: None,
            }),
        ),
        (
            alice,
            RuntimeCall::Qvm(pallet_qvm::Call::call {
                contract: caller,
                value: 0,
                method: b"call".to_vec(),
                args: call_input(&contract.0, 0, "balance_of", bob.to_account_id().as_ref()),
                gas_limit: 2_000_000,
                storage_deposit_limit: None,
            }),
        ),
        (
            alice,
            RuntimeCall::Qvm(pallet_qvm::Call::call {
                contract: caller,
                value: 0,
                method: b"call".to_vec(),
                args: (0..6).fold(call_input(&caller.0, 1, "echo", b"bottom"), |inner, _| {
                    call_input(&caller.0, 1, "call", &inner)
                }),
                gas_limit: 2_000_000,
                storage_deposit_limit: None,
            }),
        ),
    ];
    let mut nonces = std::collections::HashMap::new();
    calls
        .into_iter()
        .map(|(who, call)| {
            let nonce = nonces.entry(who).or_insert(0u32);
            let xt = signed(call, who, *nonce, genesis_hash);
            *nonce += 1;
            xt
        })
        .collect()
}

fn scenario(exec: &dyn Exec, xts: &[UncheckedExtrinsic]) -> Observed {
    let (mut ext, _) = block_one(exec);
    let (alice, bob) = (Sr25519Keyring::Alice, Sr25519Keyring::Bob);
    let contract = pallet_qvm::address::contract_address(&alice.to_account_id(), 0);
    let results = xts
        .iter()
        .map(|xt| {
            let r = exec.call(&mut ext, "BlockBuilder_apply_extrinsic", &xt.encode());
            let decoded = ApplyExtrinsicResult::decode(&mut &r[..]).unwrap();
            assert!(decoded.is_ok(), "extrinsic invalid: {decoded:?}");
            r
        })
        .collect();

    let balance_dry_run = exec.call(
        &mut ext,
        "QvmApi_call",
        &(
            alice.to_account_id(),
            contract,
            0u128,
            b"balance_of".to_vec(),
            bob.to_account_id().encode(),
            None::<u64>,
        )
            .encode(),
    );
    let events = ext.execute_with(|| {
        sp_io::storage::get(&frame_support::storage::storage_prefix(
            b"System", b"Events",
        ))
        .map(|b| b.to_vec())
    });
    let contract_root = ext.execute_with(|| pallet_qvm::Pallet::<Runtime>::storage_root(&contract));
    let state_root = ext.ext().storage_root(StateVersion::V1);
    Observed {
        results,
        events,
        state_root,
        contract_root,
        balance_dry_run,
    }
}

#[test]
fn runtime_wasm_and_native_agree_on_qvm_calls() {
    let wasm = Wasm::new(
        WasmExecutor::builder()
            .with_execution_method(WasmExecutionMethod::default())
            .with_max_runtime_instances(1)
            .build(),
    );
    let xts = extrinsics();
    let from_wasm = scenario(&wasm, &xts);
    let native = scenario(&Native, &xts);
    assert_eq!(from_wasm, native);

    // And the outcome is what the calls should do.
    let dry = DryRun::<ExecReturn>::decode(&mut &native.balance_dry_run[..]).unwrap();
    assert_eq!(dry.result.unwrap().output, 100u64.to_le_bytes().to_vec());
    assert!(native.contract_root.is_some());
    let events =
        Vec::<frame_system::EventRecord<qvm_runtime::RuntimeEvent, sp_core::H256>>::decode(
            &mut &native.events.unwrap()[..],
        )
        .unwrap();
    let called: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.event {
            qvm_runtime::RuntimeEvent::Qvm(pallet_qvm::Event::Called {
                caller, contract, ..
            }) => Some((caller.clone(), *contract)),
            _ => None,
        })
        .collect();
    // The token transfer; the caller contract and its call of the token; the caller and the
    // four frames above it that fit the call stack (the fifth call is refused).
    assert_eq!(called.len(), 1 + 2 + 5, "{called:?}");
    let alice = Sr25519Keyring::Alice.to_account_id();
    let (token, caller) = (
        pallet_qvm::address::contract_address(&alice, 0),
        pallet_qvm::address::contract_address(&alice, 1),
    );
    assert!(called.contains(&(sp_runtime::AccountId32::new(caller.0), token)));
    let failed: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.event {
            qvm_runtime::RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
                dispatch_error: sp_runtime::DispatchError::Module(m),
                ..
            }) => pallet_qvm::Error::<Runtime>::decode(&mut &m.error[..]).ok(),
            _ => None,
        })
        .collect();
    assert_eq!(
        failed,
        vec![
            pallet_qvm::Error::<Runtime>::Reverted,
            pallet_qvm::Error::<Runtime>::OutOfGas
        ]
    );
}
