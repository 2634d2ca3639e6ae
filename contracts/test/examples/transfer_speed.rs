//! Time per SDK-token transfer through TestVM on the native mock runtime, with the module cache
//! hit (consecutive calls in one runtime call, as during block import) and missed (the cache
//! cleared before each call, as every authored extrinsic runs), in one run:
//! `SKIP_WASM_BUILD=1 cargo run --release -p qvm-test --example transfer_speed` (`QVM_TRANSFERS`,
//! default 2,000 per case). TestVM's own bookkeeping (event decoding) is included in both.

use qvm_test::{args, example_wasm, TestVM};
use std::time::Instant;

fn main() {
    let n: u32 = std::env::var("QVM_TRANSFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    let bob = vm.create_account(1_000);
    let carol = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let token = vm.deploy(&example_wasm("token"), args!["T", "T", u128::MAX / 2]);
    let mut time = |clear: bool| {
        let start = Instant::now();
        for k in 0..n {
            if clear {
                pallet_qvm::exec::cache::clear();
            }
            let to = if k % 2 == 0 { &bob } else { &carol };
            vm.call(&token, "transfer", args![to.clone(), 1u128])
                .unwrap();
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    };
    // Warm up, then each case.
    time(false);
    let hit = time(false);
    let miss = time(true);
    println!(
        "SDK token transfer, {n} per case: hit {hit:.1} µs, miss {miss:.1} µs (miss/hit {:.2})",
        miss / hit
    );
}
