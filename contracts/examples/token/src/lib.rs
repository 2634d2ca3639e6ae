//! An ERC-20-style token. Arithmetic is checked: Wasm integers wrap, so every sum and
//! difference goes through `checked_*` and reverts on overflow.
#![no_std]

extern crate alloc;

use alloc::string::String;
use qvm_sdk::{
    caller, contract, emit, ok_or_revert, require, storage::Mapping, storage::Value, Account,
};

static NAME: Value<String> = Value::new(b"name");
static SYMBOL: Value<String> = Value::new(b"symbol");
static SUPPLY: Value<u128> = Value::new(b"supply");
static BALANCES: Mapping<Account, u128> = Mapping::new(b"b");
static ALLOWANCES: Mapping<(Account, Account), u128> = Mapping::new(b"a");

/// Decimals of the token.
pub const DECIMALS: u8 = 18;

fn move_balance(from: &Account, to: &Account, amount: u128) {
    let from_balance = BALANCES.get_or_default(from);
    require(from_balance >= amount, "insufficient balance");
    BALANCES.set(from, &(from_balance - amount));
    let to_balance = BALANCES.get_or_default(to);
    BALANCES.set(
        to,
        &ok_or_revert(to_balance.checked_add(amount), "overflow"),
    );
    emit(b"Transfer", &(from, to, amount));
}

contract! {
    /// Creates the token and mints `supply` to the deployer.
    fn constructor(name: String, symbol: String, supply: u128) {
        NAME.set(&name);
        SYMBOL.set(&symbol);
        SUPPLY.set(&supply);
        let owner = caller();
        BALANCES.set(&owner, &supply);
        emit(b"Transfer", &([0u8; 32], owner, supply));
    }

    /// The token's name.
    fn name() -> String { NAME.get_or_default() }

    /// The token's symbol.
    fn symbol() -> String { SYMBOL.get_or_default() }

    /// Decimals.
    fn decimals() -> u8 { DECIMALS }

    /// Total supply.
    fn total_supply() -> u128 { SUPPLY.get_or_default() }

    /// Balance of `owner`.
    fn balance_of(owner: Account) -> u128 { BALANCES.get_or_default(&owner) }

    /// Moves `amount` from the caller to `to`.
    fn transfer(to: Account, amount: u128) -> bool {
        move_balance(&caller(), &to, amount);
        true
    }

    /// Lets `spender` move up to `amount` of the caller's tokens.
    fn approve(spender: Account, amount: u128) -> bool {
        let owner = caller();
        ALLOWANCES.set(&(owner, spender), &amount);
        emit(b"Approval", &(owner, spender, amount));
        true
    }

    /// What `spender` may still move from `owner`.
    fn allowance(owner: Account, spender: Account) -> u128 {
        ALLOWANCES.get_or_default(&(owner, spender))
    }

    /// Moves `amount` from `from` to `to` using the caller's allowance.
    fn transfer_from(from: Account, to: Account, amount: u128) -> bool {
        let key = (from, caller());
        let allowed = ALLOWANCES.get_or_default(&key);
        require(allowed >= amount, "insufficient allowance");
        ALLOWANCES.set(&key, &(allowed - amount));
        move_balance(&from, &to, amount);
        true
    }
}
