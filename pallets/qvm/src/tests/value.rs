//! Contracts as accounts: value sent with deploys and calls, balances and transfers from
//! contracts, and the named errors when value cannot move.

use super::*;
use crate::{Error, Pallet};
use frame_support::traits::fungible::Inspect;
use qvm_primitives::abi::ReturnCode;

fn free(who: &AccountId32) -> u64 {
    Balances::balance(who)
}

fn account(c: &ContractAddress) -> AccountId32 {
    Pallet::<Test>::account_of(c)
}

fn deploy_with(value: u64) -> Result<ContractAddress, DispatchError> {
    Pallet::<Test>::bare_deploy(
        ALICE,
        host_code(),
        value,
        b"init".to_vec(),
        GAS,
        None,
        ExecConfig::COMMIT,
    )
    .result
    .map(|(address, _)| address)
}

fn call_with(
    value: u64,
    c: ContractAddress,
    method: &str,
    input: &[u8],
    config: ExecConfig,
) -> ContractOutcome<ExecReturn> {
    Pallet::<Test>::bare_call(
        ALICE,
        c,
        value,
        method.as_bytes(),
        input.to_vec(),
        GAS,
        config,
    )
}

fn out_u128(bytes: &[u8]) -> u128 {
    u128::from_le_bytes(bytes.try_into().expect("16-byte output"))
}

/// `pay` input: the recipient, then the amount.
fn pay(to: &AccountId32, amount: u128) -> Vec<u8> {
    let mut input = AsRef::<[u8]>::as_ref(to).to_vec();
    input.extend_from_slice(&amount.to_le_bytes());
    input
}

fn root() -> Vec<u8> {
    sp_io::storage::root(sp_runtime::StateVersion::V1)
}

#[test]
fn a_contract_is_an_account_funded_with_the_minimum_balance_and_the_value() {
    new_test_ext().execute_with(|| {
        ExistentialDeposit::set(10);
        let c = deploy_with(500).unwrap();
        // The account is the address (AccountId32Mapper).
        assert_eq!(AsRef::<[u8]>::as_ref(&account(&c)), &c.0[..]);
        assert_eq!(free(&account(&c)), 510);
        assert_eq!(free(&ALICE), 1_000_000 - 510);
        // It spends what it holds above the minimum; the value of each call is its own.
        let out = |m: &str, v: u64| {
            let r = call_with(v, c, m, &[], ExecConfig::COMMIT).result.unwrap();
            out_u128(&r.output)
        };
        assert_eq!(out("balance", 0), 500);
        assert_eq!(out("minimum", 0), 10);
        assert_eq!(out("value", 7), 7);
        assert_eq!(out("value", 0), 0);
        assert_eq!(free(&account(&c)), 517);
        assert_eq!(
            out("balance", 0),
            507,
            "the value arrives before the callee runs"
        );
    });
}

#[test]
fn value_that_cannot_move_is_a_named_error_and_leaves_nothing() {
    new_test_ext().execute_with(|| {
        ExistentialDeposit::set(10);
        // A deployer that cannot pay the new account's minimum balance and keep its own.
        let before = root();
        let all = free(&ALICE);
        assert_eq!(deploy_with(all), Err(err(Error::InsufficientBalance)));
        assert_eq!(deploy_with(all - 15), Err(err(Error::InsufficientBalance)));
        assert_eq!(root(), before);
        let c = deploy_with(0).unwrap();
        let before = root();
        let r = call_with(all, c, "value", &[], ExecConfig::COMMIT);
        assert_eq!(r.result, Err(err(Error::InsufficientBalance)));
        assert_eq!(r.gas_used, 0, "refused before the contract runs");
        assert_eq!(root(), before);
        // The extrinsic fails with the same error.
        let res = Pallet::<Test>::call(
            RuntimeOrigin::signed(ALICE),
            c,
            u64::MAX,
            b"value".to_vec(),
            vec![],
            GAS,
            None,
        );
        assert_eq!(res.unwrap_err().error, err(Error::InsufficientBalance));
    });
}

#[test]
fn a_failed_or_dry_call_gives_the_value_back() {
    new_test_ext().execute_with(|| {
        let c = deploy_with(0).unwrap();
        let (alice, contract) = (free(&ALICE), free(&account(&c)));
        let r = call_with(100, c, "revert_with", b"no", ExecConfig::COMMIT);
        assert!(r.result.unwrap().reverted);
        let r = call_with(100, c, "div0", &[], ExecConfig::COMMIT);
        assert!(r.result.is_err());
        // A dry run sees the value, keeps nothing.
        let r = call_with(100, c, "value", &[], ExecConfig::DRY_RUN);
        assert_eq!(out_u128(&r.result.unwrap().output), 100);
        assert_eq!((free(&ALICE), free(&account(&c))), (alice, contract));
    });
}

#[test]
fn a_contract_transfers_what_it_can_spend() {
    new_test_ext().execute_with(|| {
        ExistentialDeposit::set(10);
        let c = deploy_with(100).unwrap();
        let bob = free(&BOB);
        let paid = |input: Vec<u8>| {
            out_i32(
                &call_with(0, c, "pay", &input, ExecConfig::COMMIT)
                    .result
                    .unwrap()
                    .output,
            )
        };
        assert_eq!(paid(pay(&BOB, 60)), 0);
        assert_eq!(free(&BOB), bob + 60);
        assert_eq!(free(&account(&c)), 50);
        // More than it can spend while keeping its minimum balance: nothing moves.
        assert_eq!(
            paid(pay(&BOB, 41)),
            ReturnCode::InsufficientBalance.as_i32()
        );
        assert_eq!((free(&account(&c)), free(&BOB)), (50, bob + 60));
        // A new account must get at least the minimum balance.
        let nobody = AccountId32::new([9; 32]);
        assert_eq!(
            paid(pay(&nobody, 9)),
            ReturnCode::BelowMinimumBalance.as_i32()
        );
        assert_eq!(free(&nobody), 0);
        assert_eq!(paid(pay(&nobody, 10)), 0);
        assert_eq!(free(&nobody), 10);
        assert_eq!(paid(pay(&BOB, 30)), 0);
        assert_eq!(
            free(&account(&c)),
            10,
            "the contract keeps its minimum balance"
        );
        // A transfer is a state change: refused to a read-only query.
        let q = Pallet::<Test>::bare_query(ALICE, c, b"pay", pay(&BOB, 0), GAS);
        assert_eq!(q.result, Err(err(Error::StateChangeDenied)));
    });
}

#[test]
fn a_malformed_recipient_is_a_named_error() {
    new_test_ext().execute_with(|| {
        let c = deploy_with(100).unwrap();
        let before = root();
        for len in [0u8, 31, 33, 65] {
            let mut input = vec![len];
            input.extend(core::iter::repeat_n(2u8, len as usize));
            input.extend_from_slice(&1u128.to_le_bytes());
            let r = call_with(0, c, "pay_raw", &input, ExecConfig::COMMIT);
            assert_eq!(r.result, Err(err(Error::InvalidAccount)), "{len} bytes");
        }
        assert_eq!(root(), before);
    });
}

#[test]
fn a_transfer_larger_than_the_balance_type_is_insufficient() {
    new_test_ext().execute_with(|| {
        let c = deploy_with(100).unwrap();
        // The mock's balance is a u64: a u128 beyond it cannot be spent.
        let r = call_with(
            0,
            c,
            "pay",
            &pay(&BOB, u128::from(u64::MAX) + 1),
            ExecConfig::COMMIT,
        );
        assert_eq!(
            out_i32(&r.result.unwrap().output),
            ReturnCode::InsufficientBalance.as_i32()
        );
    });
}
