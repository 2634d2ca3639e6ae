//! Cross-contract calls and instantiations (`qnet_call`, `qnet_instantiate`): output, caller,
//! value, per-frame rollback, gas forwarding and return, depth and re-entry rules, read-only
//! callees, and exact gas estimates.

use super::*;
use crate::{
    pallet::{CodeInfoOf, ContractInfoOf},
    Pallet,
};
use frame_support::traits::fungible::Inspect;
use qvm_primitives::abi::{ReturnCode, CALL_FLAG_ALLOW_REENTRY, CALL_FLAG_READ_ONLY};

fn escrow_code() -> Vec<u8> {
    wasm(include_str!("../../fixtures/escrow.wat"))
}

fn attacker_code() -> Vec<u8> {
    wasm(include_str!("../../fixtures/attacker.wat"))
}

fn gas_branch_code() -> Vec<u8> {
    wasm(include_str!("../../fixtures/gas_branch.wat"))
}

fn account(c: &ContractAddress) -> AccountId32 {
    Pallet::<Test>::account_of(c)
}

/// Input of the host fixture's `call`: `method(input)` of `callee`, sending `value`,
/// forwarding `gas` (0: all), with `flags`.
fn call_input(
    callee: &ContractAddress,
    value: u128,
    gas: u64,
    flags: i32,
    method: &str,
    input: &[u8],
) -> Vec<u8> {
    let mut v = callee.0.to_vec();
    v.extend_from_slice(&value.to_le_bytes());
    v.extend_from_slice(&gas.to_le_bytes());
    v.extend_from_slice(&flags.to_le_bytes());
    v.push(method.len() as u8);
    v.extend_from_slice(method.as_bytes());
    v.extend_from_slice(input);
    v
}

/// The host fixture's `call` output: the code, the return data size, the first 16 bytes
/// `qnet_call` copied, and the whole return data.
struct CallOut {
    code: i32,
    size: usize,
    copied: Vec<u8>,
    data: Vec<u8>,
}

fn call_out(bytes: &[u8]) -> CallOut {
    let size = out_i32(&bytes[4..8]) as usize;
    CallOut {
        code: out_i32(&bytes[..4]),
        size,
        copied: bytes[8..24].to_vec(),
        data: bytes[24..24 + size].to_vec(),
    }
}

/// Two host fixtures, A calling B.
fn two() -> (ContractAddress, ContractAddress) {
    (
        deploy(&ALICE, host_code(), b"a".to_vec()),
        deploy(&ALICE, host_code(), b"b".to_vec()),
    )
}

#[test]
fn a_call_returns_the_callees_output_and_the_callee_sees_the_calling_contract() {
    new_test_ext().execute_with(|| {
        let (a, b) = two();
        let long = [7u8; 40];
        let out = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "echo", &long),
        ));
        assert_eq!(out.code, 40, "the output length");
        assert_eq!(out.size, 40);
        assert_eq!(
            out.copied,
            long[..16],
            "qnet_call copies at most out_cap bytes"
        );
        assert_eq!(out.data, long, "the rest is in the return data");
        // B's caller is A's account, not Alice.
        let out = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "caller", &[]),
        ));
        assert_eq!(out.data, AsRef::<[u8]>::as_ref(&account(&a)));
        // Before any call the return data is empty.
        let out = call_ok(&ALICE, a, "return_data_empty", &[]);
        assert_eq!((out_i32(&out[..4]), out_i32(&out[4..])), (0, 0));
        assert!(
            qvm_events().iter().any(|e| matches!(e,
            QvmEvent::Called { caller, contract, .. } if *caller == account(&a) && *contract == b))
        );
    })
}

#[test]
fn a_failing_or_reverting_callee_rolls_back_only_itself() {
    new_test_ext().execute_with(|| {
        let (a, b) = two();
        // A committed write through B.
        let ok = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "set", b"\x01kv"),
        ));
        assert_eq!(ok.code, 4);
        assert_eq!(
            Pallet::<Test>::get_storage(b, b"k").unwrap(),
            Some(b"v".to_vec())
        );
        let items = ContractInfoOf::<Test>::get(b).unwrap().storage_items;
        // B writes and traps: B's write is gone, A's call succeeds with the code.
        let trapped = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "set_then_trap", b"\x01xy"),
        ));
        assert_eq!(trapped.code, ReturnCode::CalleeFailed.as_i32());
        assert_eq!(trapped.size, 0);
        assert_eq!(Pallet::<Test>::get_storage(b, b"x").unwrap(), None);
        // B reverts: its data comes back as the return data.
        let reverted = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "revert_with", b"why"),
        ));
        assert_eq!(reverted.code, ReturnCode::CalleeReverted.as_i32());
        assert_eq!(reverted.data, b"why");
        assert_eq!(ContractInfoOf::<Test>::get(b).unwrap().storage_items, items);
        // No contract, no method.
        let none = ContractAddress([9; 32]);
        let missing = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&none, 0, 0, 0, "echo", &[]),
        ));
        assert_eq!(missing.code, ReturnCode::ContractNotFound.as_i32());
        let nomethod = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "nope", &[]),
        ));
        assert_eq!(nomethod.code, ReturnCode::CalleeFailed.as_i32());
    })
}

#[test]
fn value_moves_with_a_call_and_comes_back_when_the_callee_fails() {
    new_test_ext().execute_with(|| {
        let a = Pallet::<Test>::bare_deploy(
            ALICE,
            host_code(),
            1_000,
            b"a".to_vec(),
            GAS,
            None,
            ExecConfig::COMMIT,
        )
        .result
        .unwrap()
        .0;
        let b = deploy(&ALICE, host_code(), b"b".to_vec());
        let (a_before, b_before) = (
            Balances::balance(&account(&a)),
            Balances::balance(&account(&b)),
        );
        let paid = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 300, 0, 0, "value", &[]),
        ));
        assert_eq!(
            paid.data,
            300u128.to_le_bytes(),
            "the callee sees the value"
        );
        assert_eq!(Balances::balance(&account(&a)), a_before - 300);
        assert_eq!(Balances::balance(&account(&b)), b_before + 300);
        let failed = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 300, 0, 0, "div0", &[]),
        ));
        assert_eq!(failed.code, ReturnCode::CalleeFailed.as_i32());
        assert_eq!(
            Balances::balance(&account(&a)),
            a_before - 300,
            "given back"
        );
        // More than A can spend: refused before B runs.
        let too_much = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 10_000, 0, 0, "value", &[]),
        ));
        assert_eq!(too_much.code, ReturnCode::InsufficientBalance.as_i32());
        // A read-only call cannot carry value: a named error of the caller.
        let ro = call(
            &ALICE,
            a,
            "call",
            &call_input(&b, 1, 0, CALL_FLAG_READ_ONLY, "value", &[]),
        );
        assert_eq!(ro.result.unwrap_err(), err(crate::Error::StateChangeDenied));
    })
}

#[test]
fn the_callee_gets_at_most_the_gas_forwarded_and_the_rest_comes_back() {
    new_test_ext().execute_with(|| {
        let (a, b) = two();
        let callee_gas = |input: &[u8]| {
            let before = System::events().len();
            let out = call(&ALICE, a, "call", input);
            let called = System::events()[before..]
                .iter()
                .find_map(|r| match &r.event {
                    RuntimeEvent::Qvm(QvmEvent::Called {
                        contract, gas_used, ..
                    }) if *contract == b => Some(*gas_used),
                    _ => None,
                });
            (out.gas_used, called)
        };
        let none = ContractAddress([9; 32]);
        let (refused, _) = callee_gas(&call_input(&none, 0, 0, 0, "empty", &[]));
        let (with_b, b_gas) = callee_gas(&call_input(&b, 0, 0, 0, "empty", &[]));
        let b_gas = b_gas.expect("B ran");
        // The caller pays exactly what B used on top of the same call that found no contract
        // (same input length, nothing copied back).
        assert_eq!(with_b, refused + b_gas);
        // Forwarding less than B needs: B runs out, its limit is used, A goes on.
        let (short, _) = callee_gas(&call_input(&b, 0, b_gas - 1, 0, "empty", &[]));
        let out = call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, b_gas - 1, 0, "empty", &[]),
        );
        assert_eq!(call_out(&out).code, ReturnCode::CalleeFailed.as_i32());
        assert_eq!(short, refused + b_gas - 1);
        // Exactly what it needs is enough.
        let out = call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, b_gas, 0, "empty", &[]),
        );
        assert_eq!(call_out(&out).code, 0);
    })
}

/// `call` input that makes `c` call itself `levels` times deep (re-entry allowed), `echo`ing
/// at the bottom.
fn self_calls(c: &ContractAddress, levels: usize) -> Vec<u8> {
    let mut input = call_input(c, 0, 0, CALL_FLAG_ALLOW_REENTRY, "echo", b"bottom");
    for _ in 1..levels {
        input = call_input(c, 0, 0, CALL_FLAG_ALLOW_REENTRY, "call", &input);
    }
    input
}

#[test]
fn the_call_depth_is_limited() {
    new_test_ext().execute_with(|| {
        let a = deploy(&ALICE, host_code(), b"a".to_vec());
        let depth = QvmLimits::get().max_call_depth as usize;
        // The entry frame plus `depth - 1` nested calls fit: the bottom echoes.
        let mut out = call_ok(&ALICE, a, "call", &self_calls(&a, depth - 1));
        for _ in 1..depth - 1 {
            let o = call_out(&out);
            assert!(o.code >= 0, "code {} size {}", o.code, o.size);
            out = o.data;
        }
        assert_eq!(call_out(&out).data, b"bottom");
        // One more is refused at the bottom, and every frame above still returns.
        let mut out = call_ok(&ALICE, a, "call", &self_calls(&a, depth));
        for _ in 1..depth {
            out = call_out(&out).data;
        }
        assert_eq!(call_out(&out).code, ReturnCode::CallDepthExceeded.as_i32());
    })
}

#[test]
fn re_entry_is_refused_unless_the_waiting_frame_allows_it() {
    new_test_ext().execute_with(|| {
        let (a, b) = two();
        // A → B → A: refused by default.
        let back = call_input(&a, 0, 0, 0, "echo", b"hi");
        let out = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, 0, "call", &back),
        ));
        assert_eq!(
            out.code, 24,
            "B returned its own output: code, size, 16 bytes, no data"
        );
        assert_eq!(
            call_out(&out.data).code,
            ReturnCode::ReentranceDenied.as_i32()
        );
        // A allows re-entry for its call of B: B may call back.
        let out = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, CALL_FLAG_ALLOW_REENTRY, "call", &back),
        ));
        assert_eq!(call_out(&out.data).data, b"hi");
        // A contract calling itself directly is re-entry too.
        let out = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&a, 0, 0, 0, "echo", b"x"),
        ));
        assert_eq!(out.code, ReturnCode::ReentranceDenied.as_i32());
    })
}

/// Deploys the escrow (calling withdrawers with `flags`) and the attacker, funds the escrow
/// with Bob's deposit of 1,000 and runs the attack with 1,000 of the attacker's own; the
/// escrow's spendable balance afterwards and the code the attacker's re-entry got.
fn escrow_attack(flags: i32) -> (u64, i32) {
    let grant = Some(
        Capabilities::NONE
            .with(Capability::StorageWrite)
            .with(Capability::Call)
            .with(Capability::ValueTransfer),
    );
    let deploy_with = |code, value, input: Vec<u8>| {
        Pallet::<Test>::bare_deploy(ALICE, code, value, input, GAS, grant, ExecConfig::COMMIT)
            .result
            .unwrap()
            .0
    };
    let escrow = deploy_with(escrow_code(), 0, flags.to_le_bytes().to_vec());
    let attacker = deploy_with(attacker_code(), 1_000, vec![]);
    let deposit = Pallet::<Test>::bare_call(
        BOB,
        escrow,
        1_000,
        b"deposit",
        vec![],
        GAS,
        ExecConfig::COMMIT,
    );
    assert!(deposit.result.is_ok());
    let mut input = escrow.0.to_vec();
    input.extend_from_slice(&1_000u128.to_le_bytes());
    let attack = call_ok(&ALICE, attacker, "attack", &input);
    assert!(out_i32(&attack) >= 0, "the first withdrawal pays out");
    let code = Pallet::<Test>::get_storage(attacker, b"code")
        .unwrap()
        .map(|c| out_i32(&c))
        .expect("the attacker tried to re-enter");
    let spendable = Balances::balance(&account(&escrow)) - ExistentialDeposit::get();
    (spendable, code)
}

#[test]
fn the_classic_reentrancy_attack_on_an_escrow_fails_by_default() {
    new_test_ext().execute_with(|| {
        // The escrow calls withdrawers with the default flags: the attacker's re-entry is
        // refused, it gets its own 1,000 back and Bob's deposit stays.
        assert_eq!(
            escrow_attack(0),
            (1_000, ReturnCode::ReentranceDenied.as_i32())
        );
    });
    new_test_ext().execute_with(|| {
        // The same escrow allowing re-entry is drained of Bob's deposit (why it is refused
        // unless asked for).
        let (left, code) = escrow_attack(CALL_FLAG_ALLOW_REENTRY);
        assert_eq!(left, 0);
        assert!(code >= 0);
    });
}

#[test]
fn a_read_only_callee_cannot_change_state_and_a_query_may_call_views() {
    new_test_ext().execute_with(|| {
        let (a, b) = two();
        let out = call_out(&call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, CALL_FLAG_READ_ONLY, "set", b"\x01kv"),
        ));
        assert_eq!(out.code, ReturnCode::CalleeFailed.as_i32());
        assert_eq!(Pallet::<Test>::get_storage(b, b"k").unwrap(), None);
        // A query of A calling B's view works (the callee runs read-only).
        let q = Pallet::<Test>::bare_query(
            ALICE,
            a,
            b"call",
            call_input(&b, 0, 0, 0, "echo", b"view"),
            GAS,
        );
        assert_eq!(call_out(&q.result.unwrap().output).data, b"view");
        // ... and a state change down the stack is refused.
        let q = Pallet::<Test>::bare_query(
            ALICE,
            a,
            b"call",
            call_input(&b, 0, 0, 0, "set", b"\x01kv"),
            GAS,
        );
        assert_eq!(
            call_out(&q.result.unwrap().output).code,
            ReturnCode::CalleeFailed.as_i32()
        );
        // Unknown flags are a named error of the caller.
        let bad = call(&ALICE, a, "call", &call_input(&b, 0, 0, 4, "echo", &[]));
        assert_eq!(bad.result.unwrap_err(), err(crate::Error::InvalidCallFlags));
    })
}

/// Input of the host fixture's `instantiate`.
fn instantiate_input(code_hash: [u8; 32], value: u128, gas: u64, input: &[u8]) -> Vec<u8> {
    let mut v = code_hash.to_vec();
    v.extend_from_slice(&value.to_le_bytes());
    v.extend_from_slice(&gas.to_le_bytes());
    v.extend_from_slice(input);
    v
}

#[test]
fn a_contract_instantiates_contracts_it_deploys_and_owns() {
    new_test_ext().execute_with(|| {
        let a = Pallet::<Test>::bare_deploy(
            ALICE,
            host_code(),
            1_000,
            b"a".to_vec(),
            GAS,
            None,
            ExecConfig::COMMIT,
        )
        .result
        .unwrap()
        .0;
        let hash = ContractInfoOf::<Test>::get(a).unwrap().code_hash;
        let refs = CodeInfoOf::<Test>::get(hash).unwrap().refcount;
        let out = call_ok(
            &ALICE,
            a,
            "instantiate",
            &instantiate_input(hash, 10, 0, b"child"),
        );
        assert_eq!(out_i32(&out[..4]), 0, "the constructor's output is empty");
        let child = ContractAddress(out[4..36].try_into().unwrap());
        let info = ContractInfoOf::<Test>::get(child).expect("the child exists");
        assert_eq!(info.deployer, account(&a));
        assert_eq!(
            Pallet::<Test>::get_storage(child, b"init").unwrap(),
            Some(b"child".to_vec())
        );
        assert_eq!(
            Balances::balance(&account(&child)),
            ExistentialDeposit::get() + 10
        );
        assert_eq!(CodeInfoOf::<Test>::get(hash).unwrap().refcount, refs + 1);
        // The next one gets a new address (the contract's nonce).
        let out = call_ok(
            &ALICE,
            a,
            "instantiate",
            &instantiate_input(hash, 0, 0, b"c2"),
        );
        assert_ne!(ContractAddress(out[4..36].try_into().unwrap()), child);
        // Unknown code, and a constructor that fails (out of the gas forwarded): nothing is
        // created, no address written, the nonce stays.
        let out = call_ok(
            &ALICE,
            a,
            "instantiate",
            &instantiate_input([5; 32], 0, 0, b""),
        );
        assert_eq!(out_i32(&out[..4]), ReturnCode::CodeNotFound.as_i32());
        let nonce = crate::pallet::Nonces::<Test>::get(account(&a));
        let out = call_ok(
            &ALICE,
            a,
            "instantiate",
            &instantiate_input(hash, 0, 1, b"x"),
        );
        assert_eq!(out_i32(&out[..4]), ReturnCode::CalleeFailed.as_i32());
        assert_eq!(out[4..36], [0u8; 32]);
        assert_eq!(crate::pallet::Nonces::<Test>::get(account(&a)), nonce);
    })
}

/// A factory that can only instantiate: `run` instantiates the code whose hash is its input.
const FACTORY: &str = r#"(module
  (import "qnet" "qnet_input_read" (func $in (param i32 i32) (result i32)))
  (import "qnet" "qnet_instantiate" (func $inst (param i32 i32 i32 i32 i64 i32 i32 i32) (result i32)))
  (import "qnet" "qnet_return" (func $ret (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run")
    (drop (call $in (i32.const 0) (i32.const 32)))
    (i32.store (i32.const 0x100) (call $inst (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0x40) (i64.const 0) (i32.const 0x200) (i32.const 0) (i32.const 0)))
    (call $ret (i32.const 0x100) (i32.const 4))))"#;

#[test]
fn a_contract_cannot_create_a_contract_with_more_capabilities_than_its_own() {
    new_test_ext().execute_with(|| {
        let factory = Pallet::<Test>::bare_deploy(
            ALICE,
            wasm(FACTORY),
            100,
            vec![],
            GAS,
            None,
            ExecConfig::COMMIT,
        )
        .result
        .unwrap()
        .0;
        assert_eq!(
            ContractInfoOf::<Test>::get(factory).unwrap().capabilities,
            Capability::Instantiate.into()
        );
        let powerful = deploy(&ALICE, host_code(), b"x".to_vec());
        let powerful = ContractInfoOf::<Test>::get(powerful).unwrap().code_hash;
        let plain = deploy(&ALICE, gas_branch_code(), vec![]);
        let plain = ContractInfoOf::<Test>::get(plain).unwrap().code_hash;
        let run = |hash: [u8; 32]| out_i32(&call_ok(&ALICE, factory, "run", &hash));
        assert_eq!(run(powerful), ReturnCode::CodeNotFound.as_i32());
        assert_eq!(run(plain), 0);
    })
}

#[test]
fn dry_runs_estimate_the_exact_gas_even_when_contracts_branch_on_gas_left() {
    new_test_ext().execute_with(|| {
        let g = deploy(&ALICE, gas_branch_code(), vec![]);
        let (a, b) = two();
        let works = |c, method: &str, input: &[u8], limit| {
            let o = Pallet::<Test>::bare_call(
                ALICE,
                c,
                0,
                method.as_bytes(),
                input.to_vec(),
                limit,
                ExecConfig::DRY_RUN,
            );
            o.result.is_ok_and(|r| !r.reverted)
        };
        let cases: Vec<(ContractAddress, &str, Vec<u8>)> = vec![
            (g, "run", vec![]),
            // All gas forwarded to a callee that branches on what it gets.
            (a, "call", call_input(&g, 0, 0, 0, "run", &[])),
            // Two levels, forwarding all.
            (
                a,
                "call",
                call_input(&b, 0, 0, 0, "call", &call_input(&g, 0, 0, 0, "run", &[])),
            ),
            (a, "call", call_input(&b, 0, 0, 0, "echo", b"plain")),
        ];
        for (c, method, input) in cases {
            let (outcome, required) =
                Pallet::<Test>::dry_run_call(ALICE, c, 0, method.as_bytes(), input.clone(), GAS);
            assert!(outcome.result.is_ok());
            assert!(
                works(c, method, &input, required),
                "{method}: succeeds with the estimate"
            );
            assert!(
                !works(c, method, &input, required - 1),
                "{method}: fails with one less"
            );
        }
        // The large dry run took the expensive path: its gas used is far above the estimate.
        let (outcome, required) = Pallet::<Test>::dry_run_call(ALICE, g, 0, b"run", vec![], GAS);
        assert!(outcome.gas_used > required + 20_000);
    })
}

#[test]
fn a_frame_keeps_what_a_re_entrant_frame_of_the_same_contract_stored() {
    new_test_ext().execute_with(|| {
        let (a, b) = two();
        // A → B → A.set (re-entry allowed), then A's outer frame ends: A's record counts the
        // entry the inner frame wrote.
        let before = ContractInfoOf::<Test>::get(a).unwrap();
        let inner = call_input(&a, 0, 0, 0, "set", b"\x01kv");
        call_ok(
            &ALICE,
            a,
            "call",
            &call_input(&b, 0, 0, CALL_FLAG_ALLOW_REENTRY, "call", &inner),
        );
        let after = ContractInfoOf::<Test>::get(a).unwrap();
        assert_eq!(
            Pallet::<Test>::get_storage(a, b"k").unwrap(),
            Some(b"v".to_vec())
        );
        assert_eq!(after.storage_items, before.storage_items + 1);
        assert!(after.storage_bytes > before.storage_bytes);
    })
}
