//! Upload, deploy, instantiate, call and remove_code; addresses; the balance-map contract.

use super::*;
use crate::{CodeInfoOf, ContractInfoOf, Error, Nonces, Pallet, PristineCode};
use codec::Encode;
use frame_support::assert_noop;

fn origin(who: &AccountId32) -> RuntimeOrigin {
    RuntimeOrigin::signed(who.clone())
}

#[test]
fn address_derivation_is_documented_hash_of_deployer_and_nonce() {
    new_test_ext().execute_with(|| {
        let c0 = deploy(&ALICE, host_code(), vec![]);
        let c1 = deploy(&ALICE, host_code(), vec![]);
        let expected = |nonce: u64| {
            let mut pre = b"qvm:address:v1".to_vec();
            pre.extend_from_slice(&ALICE.encode());
            pre.extend_from_slice(&nonce.to_le_bytes());
            ContractAddress(sp_io::hashing::blake2_256(&pre))
        };
        assert_eq!(c0, expected(0));
        assert_eq!(c1, expected(1));
        assert_eq!(Nonces::<Test>::get(&ALICE), 2);
        // Another deployer gets another address for the same nonce.
        let b0 = deploy(&BOB, host_code(), vec![]);
        assert_ne!(b0, c0);
        assert_eq!(
            crate::address::trie_id(&c0),
            [b"qvm:".as_slice(), &c0.0].concat()
        );
    })
}

#[test]
fn code_is_deduplicated_and_reference_counted() {
    new_test_ext().execute_with(|| {
        let code = host_code();
        let hash = sp_io::hashing::blake2_256(&code);
        assert_ok!(Pallet::<Test>::upload_code(origin(&ALICE), code.clone()));
        assert_ok!(Pallet::<Test>::upload_code(origin(&BOB), code.clone()));
        let stored = qvm_events()
            .iter()
            .filter(|e| matches!(e, QvmEvent::CodeStored { .. }))
            .count();
        assert_eq!(stored, 1);
        assert_eq!(CodeInfoOf::<Test>::get(hash).unwrap().owner, ALICE);
        assert_eq!(CodeInfoOf::<Test>::get(hash).unwrap().refcount, 0);
        let a = deploy(&BOB, code.clone(), vec![]);
        assert_ok!(Pallet::<Test>::instantiate(
            origin(&CHARLIE),
            hash,
            0,
            vec![],
            GAS,
            None,
            None
        ));
        assert_eq!(CodeInfoOf::<Test>::get(hash).unwrap().refcount, 2);
        assert_eq!(CodeInfoOf::<Test>::get(hash).unwrap().owner, ALICE);
        assert_eq!(PristineCode::<Test>::iter().count(), 1);
        assert_eq!(Pallet::<Test>::code_hash(&a), Some(hash));
        assert_eq!(ContractInfoOf::<Test>::iter().count(), 2);
    })
}

#[test]
fn remove_code_rules() {
    new_test_ext().execute_with(|| {
        let code = host_code();
        let hash = sp_io::hashing::blake2_256(&code);
        assert_noop!(
            Pallet::<Test>::remove_code(origin(&ALICE), hash),
            Error::<Test>::CodeNotFound
        );
        assert_ok!(Pallet::<Test>::upload_code(origin(&ALICE), code.clone()));
        assert_noop!(
            Pallet::<Test>::remove_code(origin(&BOB), hash),
            Error::<Test>::NotCodeOwner
        );
        deploy(&BOB, code.clone(), vec![]);
        assert_noop!(
            Pallet::<Test>::remove_code(origin(&ALICE), hash),
            Error::<Test>::CodeInUse
        );
        // Unused code is removable by its owner.
        let other = wasm(r#"(module (memory (export "memory") 1) (func (export "constructor")))"#);
        let other_hash = sp_io::hashing::blake2_256(&other);
        assert_ok!(Pallet::<Test>::upload_code(origin(&ALICE), other));
        assert_ok!(Pallet::<Test>::remove_code(origin(&ALICE), other_hash));
        assert!(!PristineCode::<Test>::contains_key(other_hash));
        assert!(!CodeInfoOf::<Test>::contains_key(other_hash));
        assert_eq!(
            qvm_events().last(),
            Some(&QvmEvent::CodeRemoved {
                code_hash: other_hash
            })
        );
        let res =
            Pallet::<Test>::instantiate(origin(&ALICE), other_hash, 0, vec![], GAS, None, None);
        assert_eq!(res.unwrap_err().error, err(Error::CodeNotFound));
    })
}

#[test]
fn failed_deploy_leaves_no_state_behind() {
    new_test_ext().execute_with(|| {
        let trapping = wasm(r#"(module (memory (export "memory") 1) (func (export "constructor") unreachable))"#);
        let hash = sp_io::hashing::blake2_256(&trapping);
        let out = Pallet::<Test>::bare_deploy(ALICE, trapping.clone(), 0, vec![], GAS, None, ExecConfig::COMMIT);
        assert_eq!(out.result.map(|_| ()), Err(err(Error::ContractTrapped)));
        assert!(!PristineCode::<Test>::contains_key(hash));
        assert_eq!(Nonces::<Test>::get(&ALICE), 0);
        assert_eq!(ContractInfoOf::<Test>::iter().count(), 0);
        assert!(qvm_events().is_empty());
        let res = Pallet::<Test>::deploy(origin(&ALICE), trapping, 0, vec![], GAS, None, None);
        assert_eq!(res.unwrap_err().error, err(Error::ContractTrapped));
        // A reverting constructor fails the deployment with `Reverted`.
        let reverting = wasm(
            r#"(module (import "qnet" "qnet_revert" (func $r (param i32 i32)))
                (memory (export "memory") 1) (func (export "constructor") (call $r (i32.const 0) (i32.const 0))))"#,
        );
        let res = Pallet::<Test>::deploy(origin(&ALICE), reverting, 0, vec![], GAS, None, None);
        assert_eq!(res.unwrap_err().error, err(Error::Reverted));
        assert_eq!(ContractInfoOf::<Test>::iter().count(), 0);
    })
}

#[test]
fn dry_run_changes_nothing() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let out = Pallet::<Test>::bare_call(
            ALICE,
            c,
            0,
            b"set",
            vec![1, b'k', b'v'],
            GAS,
            ExecConfig::DRY_RUN,
        );
        assert!(out.result.is_ok());
        assert_eq!(Pallet::<Test>::get_storage(c, b"k").unwrap(), None);
        let out = Pallet::<Test>::bare_deploy(
            BOB,
            host_code(),
            0,
            vec![],
            GAS,
            None,
            ExecConfig::DRY_RUN,
        );
        let (addr, _) = out.result.unwrap();
        assert!(!ContractInfoOf::<Test>::contains_key(addr));
        assert_eq!(Nonces::<Test>::get(&BOB), 0);
    })
}

#[test]
fn call_errors_for_missing_contract_method_and_constructor() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let missing = ContractAddress([9; 32]);
        assert_eq!(
            call(&ALICE, missing, "empty", &[]).result,
            Err(err(Error::ContractNotFound))
        );
        assert_eq!(
            call(&ALICE, c, "no_such_method", &[]).result,
            Err(err(Error::MethodNotFound))
        );
        assert_eq!(
            call(&ALICE, c, "constructor", &[]).result,
            Err(err(Error::MethodNotFound))
        );
        let bad_utf8 =
            Pallet::<Test>::bare_call(ALICE, c, 0, &[0xff, 0xfe], vec![], GAS, ExecConfig::COMMIT);
        assert_eq!(bad_utf8.result, Err(err(Error::MethodNotFound)));
        // An export that is not a function (the memory) is not a method either.
        assert_eq!(
            call(&ALICE, c, "memory", &[]).result,
            Err(err(Error::MethodNotFound))
        );
    })
}

#[test]
fn nonce_overflow_and_address_collision_are_named_errors() {
    new_test_ext().execute_with(|| {
        let code = host_code();
        Nonces::<Test>::insert(&ALICE, u64::MAX);
        assert_eq!(
            Pallet::<Test>::bare_deploy(
                ALICE,
                code.clone(),
                0,
                vec![],
                GAS,
                None,
                ExecConfig::COMMIT
            )
            .result
            .map(|_| ()),
            Err(err(Error::NonceOverflow))
        );
        // Occupy the address BOB's next deployment would get.
        let c = deploy(&CHARLIE, code.clone(), vec![]);
        let info = ContractInfoOf::<Test>::get(c).unwrap();
        ContractInfoOf::<Test>::insert(crate::address::contract_address(&BOB, 0), info);
        assert_eq!(
            Pallet::<Test>::bare_deploy(BOB, code, 0, vec![], GAS, None, ExecConfig::COMMIT)
                .result
                .map(|_| ()),
            Err(err(Error::ContractAlreadyExists))
        );
    })
}

#[test]
fn input_too_large() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let big = vec![0u8; qvm_primitives::Limits::default().max_input_len as usize + 1];
        assert_eq!(
            call(&ALICE, c, "echo", &big).result,
            Err(err(Error::InputTooLarge))
        );
    })
}

fn balance_of(c: ContractAddress, who: &AccountId32) -> u64 {
    u64::from_le_bytes(
        call_ok(&ALICE, c, "balance_of", who.as_ref())
            .try_into()
            .unwrap(),
    )
}

fn transfer_args(to: &AccountId32, amount: u64) -> Vec<u8> {
    let mut v = AsRef::<[u8]>::as_ref(to).to_vec();
    v.extend_from_slice(&amount.to_le_bytes());
    v
}

#[test]
fn balance_map_alice_1000_transfers_100_to_bob() {
    new_test_ext().execute_with(|| {
        let token = deploy(&ALICE, balance_code(), 1000u64.to_le_bytes().to_vec());
        assert_eq!(balance_of(token, &ALICE), 1000);
        assert_eq!(balance_of(token, &BOB), 0);
        assert_ok!(Pallet::<Test>::call(origin(&ALICE), token, 0, b"transfer".to_vec(), transfer_args(&BOB, 100), GAS, None));
        assert_eq!(balance_of(token, &ALICE), 900);
        assert_eq!(balance_of(token, &BOB), 100);
        assert!(qvm_events().iter().any(|e| matches!(e,
            QvmEvent::ContractEmitted { contract, topic, data, .. }
                if *contract == token && topic == b"transfer" && *data == transfer_args(&BOB, 100))));
        // Bob cannot send more than he has: reverted, nothing changes.
        let root = Pallet::<Test>::storage_root(&token);
        let res = Pallet::<Test>::call(origin(&BOB), token, 0, b"transfer".to_vec(), transfer_args(&CHARLIE, 101), GAS, None);
        assert_eq!(res.unwrap_err().error, err(Error::Reverted));
        let out = call(&BOB, token, "transfer", &transfer_args(&CHARLIE, 101)).result.unwrap();
        assert!(out.reverted);
        assert_eq!(out.output, b"insufficient".to_vec());
        assert_eq!(Pallet::<Test>::storage_root(&token), root);
        assert_eq!(balance_of(token, &BOB), 100);
        assert_eq!(balance_of(token, &CHARLIE), 0);
    })
}
