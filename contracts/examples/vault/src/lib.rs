//! A vault of the chain's own currency: callers deposit by sending value with `deposit`, and
//! withdraw what they deposited. Shows the value host functions: the value of a call, the
//! contract's spendable balance, the minimum balance and transfers (with their errors).
#![no_std]

use qvm_sdk::{
    balance, caller, contract, emit, minimum_balance, ok_or_revert, require, storage::Mapping,
    transfer, value_transferred, Account, Balance, TransferError,
};

static DEPOSITS: Mapping<Account, Balance> = Mapping::new(b"d");

contract! {
    /// An empty vault (the deployer pays its account's minimum balance).
    fn constructor() {}

    /// Credits the value sent with this call to the caller; returns the caller's deposit.
    fn deposit() -> Balance {
        let value = value_transferred();
        require(value > 0, "send value with the call");
        let who = caller();
        let total = ok_or_revert(DEPOSITS.get_or_default(&who).checked_add(value), "overflow");
        DEPOSITS.set(&who, &total);
        emit(b"deposit", &(who, value));
        total
    }

    /// Sends `amount` of the caller's deposit back to the caller; returns what is left.
    fn withdraw(amount: Balance) -> Balance {
        let who = caller();
        let left = ok_or_revert(DEPOSITS.get_or_default(&who).checked_sub(amount), "more than deposited");
        DEPOSITS.set(&who, &left);
        match transfer(&who, amount) {
            Ok(()) => {}
            Err(TransferError::BelowMinimumBalance) => qvm_sdk::revert_str("below the minimum balance"),
            Err(TransferError::InsufficientBalance) => qvm_sdk::revert_str("vault cannot pay"),
        }
        emit(b"withdraw", &(who, amount));
        left
    }

    /// What `who` deposited.
    fn deposit_of(who: Account) -> Balance {
        DEPOSITS.get_or_default(&who)
    }

    /// What the vault can spend (the sum of the deposits).
    fn holdings() -> Balance {
        balance()
    }

    /// The chain's minimum balance.
    fn minimum() -> Balance {
        minimum_balance()
    }
}
