//! Storage deposits: code and contract storage hold a deposit from whoever adds them, freed
//! storage refunds it, a limit and the payer's balance bound it with two different errors, and
//! dry runs report it.

use super::*;
use crate::{
    deposit::record_bytes,
    pallet::{CodeInfoOf, ContractInfoOf, HoldReason},
    Pallet,
};
use frame_support::traits::fungible::{Inspect, InspectHold};
use qvm_primitives::StorageDeposit;

const PER_ITEM: u64 = 100;
const PER_BYTE: u64 = 2;

fn deposits_on() {
    DepositPerItem::set(PER_ITEM);
    DepositPerByte::set(PER_BYTE);
}

fn held(who: &AccountId32, reason: HoldReason) -> u64 {
    Balances::balance_on_hold(&reason.into(), who)
}

fn contract_held(c: &ContractAddress) -> u64 {
    held(&Pallet::<Test>::account_of(c), HoldReason::StorageDeposit)
}

/// What the contract's record and storage cost now.
fn expected(c: &ContractAddress) -> u64 {
    let info = ContractInfoOf::<Test>::get(c).unwrap();
    PER_ITEM * (1 + u64::from(info.storage_items))
        + PER_BYTE * (record_bytes::<Test>() + info.storage_bytes)
}

fn call_limited(
    who: &AccountId32,
    c: ContractAddress,
    method: &str,
    args: &[u8],
    limit: Option<u128>,
    config: ExecConfig,
) -> ContractOutcome<ExecReturn> {
    Pallet::<Test>::bare_call(
        who.clone(),
        c,
        0,
        method.as_bytes(),
        args.to_vec(),
        GAS,
        config.with_deposit_limit(limit),
    )
}

#[test]
fn code_holds_a_deposit_from_its_owner_until_it_is_removed() {
    new_test_ext().execute_with(|| {
        deposits_on();
        let code = balance_code();
        let len = code.len() as u64;
        assert_ok!(Pallet::<Test>::upload_code(
            RuntimeOrigin::signed(BOB),
            code.clone()
        ));
        let hash = sp_io::hashing::blake2_256(&code);
        let deposit = PER_ITEM + PER_BYTE * len;
        assert_eq!(CodeInfoOf::<Test>::get(hash).unwrap().deposit, deposit);
        assert_eq!(held(&BOB, HoldReason::CodeDeposit), deposit);
        assert_ok!(Pallet::<Test>::remove_code(
            RuntimeOrigin::signed(BOB),
            hash
        ));
        assert_eq!(held(&BOB, HoldReason::CodeDeposit), 0);
        assert_eq!(Balances::balance(&BOB), 1_000_000);
        // Too poor to pay for the code: a named error, nothing stored.
        let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&BOB, 10);
        let poor = Pallet::<Test>::upload_code(RuntimeOrigin::signed(BOB), code);
        assert_eq!(
            poor.unwrap_err().error,
            err(crate::Error::StorageDepositNotEnoughFunds)
        );
        assert!(CodeInfoOf::<Test>::get(hash).is_none());
    })
}

#[test]
fn contract_storage_holds_a_deposit_on_the_contract_and_freeing_it_refunds() {
    new_test_ext().execute_with(|| {
        deposits_on();
        let before = Balances::balance(&ALICE);
        let out = Pallet::<Test>::bare_deploy(
            ALICE,
            host_code(),
            0,
            b"seed".to_vec(),
            GAS,
            None,
            ExecConfig::COMMIT,
        );
        let (c, _) = out.result.unwrap();
        let code_deposit = held(&ALICE, HoldReason::CodeDeposit);
        // The record and the constructor's "init" entry, held on the contract's account.
        assert_eq!(contract_held(&c), expected(&c));
        assert_eq!(
            out.storage_deposit,
            StorageDeposit::Charge(u128::from(expected(&c) + code_deposit))
        );
        let ed = ExistentialDeposit::get();
        assert_eq!(
            Balances::balance(&ALICE),
            before - code_deposit - expected(&c) - ed
        );
        // A new entry charges; removing it refunds exactly that (prices unchanged).
        let set = call(&ALICE, c, "set", b"\x03keyvalue");
        let StorageDeposit::Charge(added) = set.storage_deposit else {
            panic!("a new entry charges")
        };
        assert!(added > 0);
        assert_eq!(contract_held(&c), expected(&c));
        let removed = call(&ALICE, c, "remove", b"key");
        assert_eq!(removed.storage_deposit, StorageDeposit::Refund(added));
        assert_eq!(contract_held(&c), expected(&c));
        // Overwriting with a value of the same size changes nothing.
        call_ok(&ALICE, c, "set", b"\x03keyvalue");
        let same = call(&ALICE, c, "set", b"\x03keyVALUE");
        assert_eq!(same.storage_deposit, StorageDeposit::Charge(0));
    })
}

#[test]
fn the_limit_and_the_payers_funds_are_two_different_errors_and_dry_runs_report_the_deposit() {
    new_test_ext().execute_with(|| {
        deposits_on();
        let c = deploy(&ALICE, host_code(), b"seed".to_vec());
        let dry = call_limited(&ALICE, c, "set", b"\x03keyvalue", None, ExecConfig::DRY_RUN);
        let StorageDeposit::Charge(needed) = dry.storage_deposit else {
            panic!("charges")
        };
        assert!(dry.result.is_ok());
        // One less than needed: the limit error, the deposit still reported, nothing kept.
        let short = call_limited(
            &ALICE,
            c,
            "set",
            b"\x03keyvalue",
            Some(needed - 1),
            ExecConfig::COMMIT,
        );
        assert_eq!(
            short.result.unwrap_err(),
            err(crate::Error::StorageDepositLimitExhausted)
        );
        assert_eq!(short.storage_deposit, StorageDeposit::Charge(needed));
        assert_eq!(Pallet::<Test>::get_storage(c, b"key").unwrap(), None);
        // Exactly the limit is enough.
        let ok = call_limited(
            &ALICE,
            c,
            "set",
            b"\x03keyvalue",
            Some(needed),
            ExecConfig::COMMIT,
        );
        assert!(ok.result.is_ok());
        // A payer who cannot afford it: the funds error.
        let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(
            &CHARLIE,
            needed as u64 / 2,
        );
        let poor = call_limited(
            &CHARLIE,
            c,
            "set",
            b"\x03abcvalue",
            None,
            ExecConfig::COMMIT,
        );
        assert_eq!(
            poor.result.unwrap_err(),
            err(crate::Error::StorageDepositNotEnoughFunds)
        );
        assert_eq!(Pallet::<Test>::get_storage(c, b"abc").unwrap(), None);
        assert_eq!(Balances::balance(&CHARLIE), needed as u64 / 2);
    })
}

#[test]
fn the_origin_pays_for_storage_its_callees_add_and_a_failing_callee_charges_nothing() {
    new_test_ext().execute_with(|| {
        deposits_on();
        let a = deploy(&ALICE, host_code(), b"a".to_vec());
        let b = deploy(&ALICE, host_code(), b"b".to_vec());
        let b_before = contract_held(&b);
        let mut input = b.0.to_vec();
        input.extend_from_slice(&0u128.to_le_bytes());
        input.extend_from_slice(&0u64.to_le_bytes());
        input.extend_from_slice(&0i32.to_le_bytes());
        let mut set = input.clone();
        set.push(3);
        set.extend_from_slice(b"set");
        set.extend_from_slice(b"\x01kv");
        let before = Balances::balance(&BOB);
        let out = call(&BOB, a, "call", &set);
        let StorageDeposit::Charge(paid) = out.storage_deposit else {
            panic!("charges")
        };
        assert!(paid > 0);
        assert_eq!(Balances::balance(&BOB), before - paid as u64);
        assert_eq!(contract_held(&b), b_before + paid as u64);
        assert_eq!(contract_held(&b), expected(&b));
        // B writes and traps: nothing charged.
        let mut trap = input;
        trap.push(13);
        trap.extend_from_slice(b"set_then_trap");
        trap.extend_from_slice(b"\x01xy");
        let out = call(&BOB, a, "call", &trap);
        assert_eq!(out.storage_deposit, StorageDeposit::Charge(0));
        assert_eq!(contract_held(&b), expected(&b));
    })
}

#[test]
fn a_refund_after_a_price_change_gives_back_no_more_than_was_held() {
    new_test_ext().execute_with(|| {
        deposits_on();
        let c = deploy(&ALICE, host_code(), b"seed".to_vec());
        call_ok(&ALICE, c, "set", b"\x03keyvalue");
        let held_before = contract_held(&c);
        // Prices double: removing the entry refunds its share of what is held, at the old price.
        DepositPerByte::set(2 * PER_BYTE);
        DepositPerItem::set(2 * PER_ITEM);
        let out = call(&ALICE, c, "remove", b"key");
        let StorageDeposit::Refund(refund) = out.storage_deposit else {
            panic!("refunds")
        };
        assert_eq!(contract_held(&c), held_before - refund as u64);
        DepositPerByte::set(PER_BYTE);
        DepositPerItem::set(PER_ITEM);
        assert_eq!(
            contract_held(&c),
            expected(&c),
            "what remains is the old price's"
        );
    })
}
