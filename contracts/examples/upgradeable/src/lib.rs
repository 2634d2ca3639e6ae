//! A counter its admin can upgrade (`qnet_set_code_hash`) and close (`qnet_terminate`). It
//! keeps the count where the `counter` example does (`"count"`), so upgrading to that code
//! carries the count over: storage stays when the code changes.
#![no_std]

use qvm_sdk::{
    caller, contract, emit, ok_or_revert, require, set_code_hash, storage::Value, terminate,
    Account, Hash,
};

static COUNT: Value<u64> = Value::new(b"count");
static ADMIN: Value<Account> = Value::new(b"admin");

fn only_admin() {
    require(caller() == ADMIN.get_or_default(), "only the admin");
}

contract! {
    /// Starts at `start`; the deployer is the admin.
    fn constructor(start: u64) {
        COUNT.set(&start);
        ADMIN.set(&caller());
    }

    /// Adds one and returns the new count.
    fn increment() -> u64 {
        let n = ok_or_revert(COUNT.get_or_default().checked_add(1), "overflow");
        COUNT.set(&n);
        n
    }

    /// The current count.
    fn get() -> u64 {
        COUNT.get_or_default()
    }

    /// Runs the stored code `code_hash` from the next call on (admin only).
    fn upgrade(code_hash: Hash) {
        only_admin();
        require(set_code_hash(&code_hash).is_ok(), "no such code");
        emit(b"Upgraded", &code_hash);
    }

    /// Removes the counter, its funds going to `to` (admin only).
    fn close(to: Account) {
        only_admin();
        terminate(&to)
    }
}
