//! An upgradeable proxy: callers use one address, the proxy forwards each `forward(method,
//! input)` to its current implementation contract and returns (or reverts with) what it does;
//! the admin points it at a new implementation. QVM has no delegate calls: the implementation
//! runs on its own storage and sees the proxy as its caller. (A contract can also upgrade in
//! place, keeping its storage: see the `upgradeable` example.)
#![no_std]

extern crate alloc;

use alloc::{string::String, vec::Vec};
use qvm_sdk::{
    caller, contract, emit, require, revert_raw, revert_str, storage::Value, Account, CallError,
    Contract,
};

static IMPLEMENTATION: Value<Account> = Value::new(b"impl");
static ADMIN: Value<Account> = Value::new(b"admin");

contract! {
    /// A proxy of `implementation`; the deployer is the admin.
    fn constructor(implementation: Account) {
        IMPLEMENTATION.set(&implementation);
        ADMIN.set(&caller());
    }

    /// Calls `method` of the implementation with the raw (SCALE-encoded) `input`; its raw
    /// output. A revert of the implementation reverts with its data.
    fn forward(method: String, input: Vec<u8>) -> Vec<u8> {
        let implementation = Contract::new(IMPLEMENTATION.get_or_default());
        match implementation.build().call_raw(&method, &input) {
            Ok(output) => output,
            Err(CallError::Reverted(data)) => revert_raw(&data),
            Err(_) => revert_str("implementation failed"),
        }
    }

    /// The current implementation.
    fn implementation() -> Account { IMPLEMENTATION.get_or_default() }

    /// Points the proxy at `implementation` (admin only).
    fn upgrade(implementation: Account) {
        require(caller() == ADMIN.get_or_default(), "only the admin");
        IMPLEMENTATION.set(&implementation);
        emit(b"Upgraded", &implementation);
    }
}
