//! The smallest useful contract: a counter.
#![no_std]

use qvm_sdk::{contract, storage::Value};

static COUNT: Value<u64> = Value::new(b"count");

contract! {
    /// Starts counting at `start`.
    fn constructor(start: u64) {
        COUNT.set(&start)
    }

    /// Adds one and returns the new count.
    fn increment() -> u64 {
        let n = qvm_sdk::ok_or_revert(COUNT.get_or_default().checked_add(1), "overflow");
        COUNT.set(&n);
        n
    }

    /// The current count.
    fn get() -> u64 {
        COUNT.get_or_default()
    }
}
