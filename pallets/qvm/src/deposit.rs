//! Storage deposits: what storing code and contract state holds from the account that pays.
//!
//! * **Code**: `DepositPerItem + DepositPerByte × code length`, held from the owner
//!   ([`HoldReason::CodeDeposit`]) when the code is stored, released when it is removed.
//! * **Contracts**: a contract's record (one item of `ContractInfo`'s largest encoding) and its
//!   storage (items, and bytes of hashed keys plus values, as `ContractInfo` counts them).
//!   Frames record the net change of each contract they ran ([`Charge`]); a frame that fails
//!   or reverts drops its charges with its other effects. At the end of the entry point the
//!   charges are settled against its origin ([`settle`]), refunds first: growth moves the
//!   deposit from the origin onto the contract's account, held there
//!   ([`HoldReason::StorageDeposit`]); freeing storage gives back the same share of what the
//!   contract holds (pro rata, so a change of prices never over- or under-refunds). The net
//!   charge must fit the entry point's `storage_deposit_limit`
//!   (`StorageDepositLimitExhausted`) and the origin's spendable balance
//!   (`StorageDepositNotEnoughFunds`); either failure rolls the entry point back.

use crate::{
    pallet::{ContractInfoOf, Error, HoldReason},
    storage::StorageDelta,
    BalanceOf, Config, ContractAddress, ContractInfo,
};
use alloc::vec::Vec;
use codec::MaxEncodedLen;
use frame_support::traits::{
    fungible::{InspectHold, MutateHold},
    tokens::{Fortitude, Precision, Preservation, Restriction},
    Get,
};
use qvm_primitives::StorageDeposit;
use sp_runtime::traits::{Saturating, UniqueSaturatedInto, Zero};

/// The deposit of `items` items and `bytes` bytes at the configured prices.
pub fn cost<T: Config>(items: u64, bytes: u64) -> BalanceOf<T> {
    let items: BalanceOf<T> = items.unique_saturated_into();
    let bytes: BalanceOf<T> = bytes.unique_saturated_into();
    T::DepositPerItem::get()
        .saturating_mul(items)
        .saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
}

/// Bytes a contract's record is charged for (its largest encoding).
pub fn record_bytes<T: Config>() -> u64 {
    ContractInfo::<T::AccountId>::max_encoded_len() as u64
}

/// Holds the deposit of a code of `code_len` bytes from `owner`: the amount held.
pub fn hold_code<T: Config>(
    owner: &T::AccountId,
    code_len: usize,
) -> Result<BalanceOf<T>, Error<T>> {
    let amount = cost::<T>(1, code_len as u64);
    if !amount.is_zero() {
        T::Currency::hold(&HoldReason::CodeDeposit.into(), owner, amount)
            .map_err(|_| Error::<T>::StorageDepositNotEnoughFunds)?;
    }
    Ok(amount)
}

/// Releases a code's deposit to its owner.
pub fn release_code<T: Config>(owner: &T::AccountId, amount: BalanceOf<T>) {
    // Best effort: what is held for the code is at most what was held for it.
    let _ = T::Currency::release(
        &HoldReason::CodeDeposit.into(),
        owner,
        amount,
        Precision::BestEffort,
    );
}

/// Releases everything held on a contract's account for its storage (it is terminating: the
/// deposit goes with its balance to the beneficiary).
pub fn release_contract<T: Config>(account: &T::AccountId) {
    let reason = HoldReason::StorageDeposit.into();
    let held = T::Currency::balance_on_hold(&reason, account);
    if !held.is_zero() {
        let _ = T::Currency::release(&reason, account, held, Precision::BestEffort);
    }
}

/// One frame's storage change of one contract, to be settled at the end of the entry point.
pub struct Charge<T: Config> {
    /// The contract.
    pub contract: ContractAddress,
    /// Its account (where its deposit is held).
    pub account: T::AccountId,
    /// The frame's net change of its storage usage.
    pub delta: StorageDelta,
    /// Items and bytes charged once (a new contract's record).
    pub fixed: (u64, u64),
}

/// The deposits of `charges` (in the order frames ended), coalesced per contract and moved
/// between `origin` and the contracts' accounts, refunds first. `limit` bounds the net charge.
pub fn settle<T: Config>(
    origin: &T::AccountId,
    charges: Vec<Charge<T>>,
    limit: Option<u128>,
) -> (StorageDeposit, Result<(), Error<T>>) {
    // Per contract: (account, item and byte growth, item and byte shrinkage).
    let mut per_contract: Vec<(ContractAddress, T::AccountId, [u64; 4])> = Vec::new();
    for c in charges {
        let i = match per_contract.iter().position(|(a, ..)| *a == c.contract) {
            Some(i) => i,
            None => {
                per_contract.push((c.contract, c.account, [0; 4]));
                per_contract.len() - 1
            }
        };
        let sums = &mut per_contract[i].2;
        let split = |d: i64| (d.max(0) as u64, d.min(0).unsigned_abs());
        let (items_up, items_down) = split(c.delta.items);
        let (bytes_up, bytes_down) = split(c.delta.bytes);
        sums[0] = sums[0].saturating_add(items_up).saturating_add(c.fixed.0);
        sums[1] = sums[1].saturating_add(bytes_up).saturating_add(c.fixed.1);
        sums[2] = sums[2].saturating_add(items_down);
        sums[3] = sums[3].saturating_add(bytes_down);
    }
    let reason = HoldReason::StorageDeposit.into();
    let mut charges = Vec::new();
    let mut refunds = Vec::new();
    for (contract, account, [items_up, bytes_up, items_down, bytes_down]) in per_contract {
        if !ContractInfoOf::<T>::contains_key(contract) {
            // Terminated: its deposit went to its beneficiary, its storage is being deleted.
            continue;
        }
        let up = cost::<T>(items_up, bytes_up);
        let down = cost::<T>(items_down, bytes_down);
        if up >= down {
            charges.push((account, up - down));
            continue;
        }
        // Freed: the same share of what the contract holds as the freed usage is of its usage
        // before this entry point (its record included).
        let before = ContractInfoOf::<T>::get(contract).map(|info| {
            cost::<T>(
                u64::from(info.storage_items)
                    .saturating_add(1)
                    .saturating_add(items_down)
                    .saturating_sub(items_up),
                info.storage_bytes
                    .saturating_add(record_bytes::<T>())
                    .saturating_add(bytes_down)
                    .saturating_sub(bytes_up),
            )
        });
        let held = T::Currency::balance_on_hold(&reason, &account);
        let refund: BalanceOf<T> = match before {
            Some(before) if !before.is_zero() => {
                let freed: u128 = (down - up).unique_saturated_into();
                let held_u: u128 = held.unique_saturated_into();
                let before_u: u128 = before.unique_saturated_into();
                let share = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
                    held_u,
                    freed.min(before_u),
                    before_u,
                    sp_runtime::Rounding::Down,
                )
                .unwrap_or(0);
                share.unique_saturated_into()
            }
            _ => Zero::zero(),
        };
        refunds.push((account, refund.min(held)));
    }
    let total = |v: &[(T::AccountId, BalanceOf<T>)]| -> u128 {
        v.iter()
            .map(|(_, b)| -> u128 { (*b).unique_saturated_into() })
            .fold(0u128, u128::saturating_add)
    };
    let (charged, refunded) = (total(&charges), total(&refunds));
    let deposit = if charged >= refunded {
        StorageDeposit::Charge(charged - refunded)
    } else {
        StorageDeposit::Refund(refunded - charged)
    };
    if let (StorageDeposit::Charge(net), Some(limit)) = (deposit, limit) {
        if net > limit {
            return (deposit, Err(Error::<T>::StorageDepositLimitExhausted));
        }
    }
    for (account, amount) in refunds.into_iter().filter(|(_, a)| !a.is_zero()) {
        let _ = T::Currency::transfer_on_hold(
            &reason,
            &account,
            origin,
            amount,
            Precision::BestEffort,
            Restriction::Free,
            Fortitude::Polite,
        );
    }
    for (account, amount) in charges.into_iter().filter(|(_, a)| !a.is_zero()) {
        let moved = T::Currency::transfer_and_hold(
            &reason,
            origin,
            &account,
            amount,
            Precision::Exact,
            Preservation::Preserve,
            Fortitude::Polite,
        );
        if moved.is_err() {
            return (deposit, Err(Error::<T>::StorageDepositNotEnoughFunds));
        }
    }
    (deposit, Ok(()))
}
