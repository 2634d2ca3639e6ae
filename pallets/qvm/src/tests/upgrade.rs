//! Upgrades and termination: `qnet_set_code_hash`, governance's `set_code`, code reference
//! counts going down, `qnet_terminate` with its payout and the lazy deletion of its storage.

use super::*;
use crate::{
    pallet::{CodeInfoOf, ContractInfoOf, DeletionQueue, HoldReason},
    Pallet,
};
use frame_support::{
    assert_noop,
    traits::{
        fungible::{Inspect, InspectHold},
        Hooks,
    },
};
use qvm_primitives::abi::{ReturnCode, CALL_FLAG_ALLOW_REENTRY};

fn code_hash_of(c: &ContractAddress) -> [u8; 32] {
    ContractInfoOf::<Test>::get(c).unwrap().code_hash
}

fn refcount(hash: &[u8; 32]) -> u64 {
    CodeInfoOf::<Test>::get(hash).unwrap().refcount
}

fn store(code: Vec<u8>) -> [u8; 32] {
    Pallet::<Test>::store_code(&ALICE, code).unwrap()
}

/// Keys of `c`'s child trie.
fn trie_keys(trie: &[u8]) -> usize {
    let info = frame_support::storage::child::ChildInfo::new_default(trie);
    let mut n = 0;
    let mut key = Vec::new();
    while let Some(next) = sp_io::default_child_storage::next_key(info.storage_key(), &key) {
        n += 1;
        key = next;
    }
    n
}

#[test]
fn a_contract_replaces_its_code_and_references_follow() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), b"seed".to_vec());
        let old = code_hash_of(&c);
        let new = store(balance_code());
        assert_eq!((refcount(&old), refcount(&new)), (1, 0));
        // Unknown code: refused, nothing changes.
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "set_code", &[7; 32])),
            ReturnCode::CodeNotFound.as_i32()
        );
        // Asked for and then reverted: nothing changes.
        let reverted = call(&ALICE, c, "set_code_then_revert", &new);
        assert!(reverted.result.unwrap().reverted);
        assert_eq!(code_hash_of(&c), old);
        // This execution goes on with the old code; the next runs the new one.
        assert_eq!(out_i32(&call_ok(&ALICE, c, "set_code", &new)), 0);
        assert_eq!(code_hash_of(&c), new);
        assert_eq!((refcount(&old), refcount(&new)), (0, 1));
        assert!(qvm_events().iter().any(|e| matches!(e,
            QvmEvent::CodeHashChanged { contract, new_code_hash, old_code_hash }
                if *contract == c && *new_code_hash == new && *old_code_hash == old)));
        assert_eq!(
            call(&ALICE, c, "echo", b"x").result.unwrap_err(),
            err(crate::Error::MethodNotFound)
        );
        let bob = AsRef::<[u8]>::as_ref(&BOB).to_vec();
        assert_eq!(call_ok(&ALICE, c, "balance_of", &bob), 0u64.to_le_bytes());
        // Storage stays: the new code reads what the old one wrote.
        assert_eq!(
            Pallet::<Test>::get_storage(c, b"init").unwrap(),
            Some(b"seed".to_vec())
        );
        // The old code is unused now: its owner may remove it.
        assert_ok!(Pallet::<Test>::remove_code(
            RuntimeOrigin::signed(ALICE),
            old
        ));
    })
}

/// A contract that may only upgrade itself (`run`: to the code whose hash is its input).
const UPGRADER: &str = r#"(module
  (import "qnet" "qnet_input_read" (func $in (param i32 i32) (result i32)))
  (import "qnet" "qnet_set_code_hash" (func $set_code (param i32) (result i32)))
  (import "qnet" "qnet_return" (func $ret (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run")
    (drop (call $in (i32.const 0) (i32.const 32)))
    (i32.store (i32.const 0x100) (call $set_code (i32.const 0)))
    (call $ret (i32.const 0x100) (i32.const 4))))"#;

#[test]
fn an_upgrade_never_gives_a_contract_capabilities_it_was_not_granted() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, wasm(UPGRADER), vec![]);
        let powerful = store(host_code());
        let plain = store(balance_code());
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "run", &powerful)),
            ReturnCode::CodeNotFound.as_i32()
        );
        // balance_map writes storage: not granted either.
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "run", &plain)),
            ReturnCode::CodeNotFound.as_i32()
        );
        // Governance is held to the same rule.
        assert_noop!(
            Pallet::<Test>::set_code(RuntimeOrigin::root(), c, powerful),
            crate::Error::<Test>::CodeNeedsMoreCapabilities
        );
    })
}

#[test]
fn governance_sets_a_contracts_code() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), b"seed".to_vec());
        let old = code_hash_of(&c);
        let new = store(balance_code());
        assert_noop!(
            Pallet::<Test>::set_code(RuntimeOrigin::signed(ALICE), c, new),
            DispatchError::BadOrigin
        );
        assert_noop!(
            Pallet::<Test>::set_code(RuntimeOrigin::root(), c, [9; 32]),
            crate::Error::<Test>::CodeNotFound
        );
        assert_ok!(Pallet::<Test>::set_code(RuntimeOrigin::root(), c, new));
        assert_eq!(code_hash_of(&c), new);
        assert_eq!((refcount(&old), refcount(&new)), (0, 1));
    })
}

#[test]
fn a_terminated_contract_pays_out_and_its_storage_is_deleted_in_later_blocks() {
    let mut ext = new_test_ext();
    let trie = ext.execute_with(|| {
        DepositPerItem::set(10);
        DepositPerByte::set(1);
        let c = Pallet::<Test>::bare_deploy(
            ALICE,
            host_code(),
            500,
            b"seed".to_vec(),
            GAS,
            None,
            ExecConfig::COMMIT,
        )
        .result
        .unwrap()
        .0;
        for k in 0u8..20 {
            call_ok(&ALICE, c, "set", &[1, k, 9, 9, 9]);
        }
        let account = Pallet::<Test>::account_of(&c);
        let held = Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &account);
        assert!(held > 0);
        let funds = Balances::balance(&account) + held;
        let hash = code_hash_of(&c);
        let trie = ContractInfoOf::<Test>::get(c).unwrap().trie_id;
        let bob_before = Balances::balance(&BOB);
        // Its own account as beneficiary is refused.
        assert_eq!(
            call(&ALICE, c, "terminate", account.as_ref()).result.unwrap_err(),
            err(crate::Error::InvalidAccount)
        );
        call_ok(&ALICE, c, "terminate", BOB.as_ref());
        assert!(ContractInfoOf::<Test>::get(c).is_none());
        assert_eq!(Balances::balance(&BOB), bob_before + funds);
        assert_eq!(Balances::balance(&account), 0, "the account is closed");
        assert_eq!(refcount(&hash), 0);
        assert!(qvm_events().iter().any(|e| matches!(e,
            QvmEvent::Terminated { contract, beneficiary } if *contract == c && *beneficiary == BOB)));
        assert_eq!(
            call(&ALICE, c, "echo", b"x").result.unwrap_err(),
            err(crate::Error::ContractNotFound)
        );
        // The storage waits in the queue.
        assert_eq!(trie_keys(&trie), 21);
        assert_eq!(crate::deletion::queued::<Test>(), 1);
        trie
    });
    // In the database, as after the block (keys only in the overlay are removed for free).
    ext.commit_all().unwrap();
    ext.execute_with(|| {
        // A block with room for a few keys deletes some.
        let few = crate::deletion::step_weight::<Test>()
            .saturating_add(crate::deletion::key_weight::<Test>().saturating_mul(5));
        let used = Qvm::on_idle(2, few);
        assert!(used.all_lte(few));
        let left = trie_keys(&trie);
        assert!(left > 0 && left < 21, "{left} keys left");
        assert_eq!(crate::deletion::queued::<Test>(), 1);
        // Nothing to do without weight.
        assert_eq!(Qvm::on_idle(3, Weight::zero()), Weight::zero());
        // A later block finishes.
        Qvm::on_idle(4, Weight::MAX);
        assert_eq!(trie_keys(&trie), 0);
        assert_eq!(crate::deletion::queued::<Test>(), 0);
        assert!(DeletionQueue::<Test>::iter().next().is_none());
    })
}

#[test]
fn termination_is_refused_while_re_entered_and_in_a_constructor() {
    new_test_ext().execute_with(|| {
        let a = deploy(&ALICE, host_code(), b"a".to_vec());
        let b = deploy(&ALICE, host_code(), b"b".to_vec());
        // A → B → A.terminate (re-entry allowed): A's inner frame fails, A lives on.
        let mut inner = a.0.to_vec();
        inner.extend_from_slice(&0u128.to_le_bytes());
        inner.extend_from_slice(&0u64.to_le_bytes());
        inner.extend_from_slice(&0i32.to_le_bytes());
        inner.push(9);
        inner.extend_from_slice(b"terminate");
        inner.extend_from_slice(BOB.as_ref());
        let mut outer = b.0.to_vec();
        outer.extend_from_slice(&0u128.to_le_bytes());
        outer.extend_from_slice(&0u64.to_le_bytes());
        outer.extend_from_slice(&CALL_FLAG_ALLOW_REENTRY.to_le_bytes());
        outer.push(4);
        outer.extend_from_slice(b"call");
        outer.extend_from_slice(&inner);
        let out = call_ok(&ALICE, a, "call", &outer);
        // B's output: the code of its call of A.
        let b_out = &out[24..];
        assert_eq!(out_i32(&b_out[..4]), ReturnCode::CalleeFailed.as_i32());
        assert!(ContractInfoOf::<Test>::get(a).is_some());
        // A constructor that terminates.
        let suicidal = wasm(
            r#"(module
              (import "qnet" "qnet_terminate" (func $t (param i32 i32)))
              (memory (export "memory") 1)
              (func (export "constructor") (call $t (i32.const 0) (i32.const 32))))"#,
        );
        let out =
            Pallet::<Test>::bare_deploy(ALICE, suicidal, 0, vec![], GAS, None, ExecConfig::COMMIT);
        assert_eq!(
            out.result.unwrap_err(),
            err(crate::Error::TerminatedInConstructor)
        );
    })
}
