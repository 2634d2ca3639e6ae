//! The QVM side of the performance suite (`benchmarking/perf-suite.sh` runs it with the other
//! sides and writes the table): the seed's operations on the native mock runtime (TestVM's
//! runtime, release build), each with a module-cache hit (consecutive calls in one runtime
//! call, as during block import) and a miss (the cache cleared before each call, as every
//! authored extrinsic runs), and the physical floor: the hand-written token's logic as native
//! Rust on the same child-trie storage with the same event.
//!
//! Calls go to `bare_call` inside one `execute_with`, as the pallet-contracts side does.
//! Prints `RESULT <name> <value> <unit>` lines; `PERF_TRANSFERS` sets the calls per case
//! (default 10,000; the CI smoke runs a few).

use pallet_qvm::{exec::cache, storage::hashed_key, ExecConfig};
use qvm_test::{
    args, example_wasm,
    runtime::{Qvm, RuntimeEvent, System},
    Account, Address, Encode, TestVM,
};
use sp_io::default_child_storage as child;
use std::time::Instant;

const GAS: u64 = qvm_test::DEFAULT_GAS_LIMIT;

fn report(name: &str, value: f64, unit: &str) {
    println!("RESULT {name} {value:.3} {unit}");
}

/// Microseconds per call of `f(k)` for `k in 0..n`; with `miss`, the module cache is cleared
/// before every call.
fn time_calls(n: u32, miss: bool, mut f: impl FnMut(u32)) -> f64 {
    let start = Instant::now();
    for k in 0..n {
        if miss {
            cache::clear();
        }
        f(k);
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

/// One committing call that must succeed without reverting; its gas.
fn call(who: &Account, contract: Address, method: &str, input: Vec<u8>) -> u64 {
    let o = Qvm::bare_call(
        who.clone(),
        contract,
        0,
        method.as_bytes(),
        input,
        GAS,
        ExecConfig::COMMIT,
    );
    match o.result {
        Ok(r) if !r.reverted => o.gas_used,
        other => panic!("{method} failed: {other:?}"),
    }
}

/// The hand-written token's `transfer` as native Rust: caller's and recipient's balances read
/// from and written to the contract's child trie (hashed keys, as the VM stores them), one
/// event. What no VM can beat on this storage.
fn native_transfer(trie: &[u8], contract: Address, caller: &Account, input: &[u8]) {
    let (to, amount) = input.split_at(32);
    let amount = u64::from_le_bytes(amount.try_into().expect("8 bytes"));
    let balance = |key: &[u8]| {
        child::get(trie, &hashed_key(key))
            .and_then(|v| v.try_into().ok().map(u64::from_le_bytes))
            .unwrap_or(0)
    };
    let from = balance(caller.as_ref());
    assert!(from >= amount, "insufficient");
    child::set(
        trie,
        &hashed_key(caller.as_ref()),
        &(from - amount).to_le_bytes(),
    );
    let credited = balance(to) + amount;
    child::set(trie, &hashed_key(to), &credited.to_le_bytes());
    System::deposit_event(RuntimeEvent::Qvm(pallet_qvm::Event::ContractEmitted {
        contract,
        topic: b"transfer".to_vec(),
        topics: Vec::new(),
        data: input.to_vec(),
    }));
}

/// `code` with a custom section holding `k`: new code (a new code hash, so a deploy uploads,
/// validates and compiles it) that runs exactly as `code` does.
fn unique(code: &[u8], k: u32) -> Vec<u8> {
    let mut out = code.to_vec();
    // Section id 0, 6 bytes: name length 1, name "k", the 4 bytes of `k`.
    out.extend([0, 6, 1, b'k']);
    out.extend(k.to_le_bytes());
    out
}

fn main() {
    let n: u32 = std::env::var("PERF_TRANSFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut vm = TestVM::new();
    let alice = vm.create_account(1 << 60);
    let (bob, carol) = (vm.create_account(1_000), vm.create_account(1_000));
    vm.set_caller(alice.clone());
    let token_code = example_wasm("token");
    let amm_code = example_wasm("amm");
    let counter_code = example_wasm("counter");
    let wat_code = wat::parse_str(include_str!(
        "../../../pallets/qvm/fixtures/balance_map.wat"
    ))
    .expect("fixture is valid");
    report("sdk_token_code_bytes", token_code.len() as f64, "B");
    report("wat_token_code_bytes", wat_code.len() as f64, "B");

    // Deploy: upload (validation and a full compile) and constructor, every time new code.
    let deploys = (n / 50).max(2);
    let deploy_us = vm.with(|| {
        time_calls(deploys, true, |k| {
            let input = ("T".to_string(), "T".to_string(), u128::MAX / 2).encode();
            let o = Qvm::bare_deploy(
                alice.clone(),
                unique(&token_code, k),
                0,
                input,
                GAS,
                None,
                ExecConfig::COMMIT,
            );
            o.result.expect("token deploys");
        })
    });
    report("sdk_token_deploy_us", deploy_us, "us");

    let token = vm.deploy(&token_code, args!["T", "T", u128::MAX / 2]);
    let wat_token = vm.deploy(&wat_code, qvm_test::Args(u64::MAX.to_le_bytes().to_vec()));
    // The AMM trades two token contracts: a swap is the pool plus two token calls.
    let token_b = vm.deploy(&token_code, args!["B", "B", u128::MAX / 2]);
    let amm = vm.deploy(&amm_code, args![token.0, token_b.0, 30u32]);
    for t in [&token, &token_b] {
        vm.call(t, "approve", args![amm.0, u128::MAX])
            .expect("approve");
    }
    let counter = vm.deploy(&counter_code, args![0u64]);
    vm.call(&amm, "add_liquidity", args![1u128 << 40, 1u128 << 40])
        .expect("liquidity");

    let recipient = |k: u32| if k.is_multiple_of(2) { &bob } else { &carol };
    let sdk_transfer = |k: u32| (recipient(k).clone(), 1u128).encode();
    let wat_transfer = |k: u32| {
        let mut input = recipient(k).encode();
        input.extend(1u64.to_le_bytes());
        input
    };
    // Each case: warm-up, then hit and miss.
    type Case<'a> = (&'a str, Address, &'a str, Box<dyn Fn(u32) -> Vec<u8> + 'a>);
    let cases: Vec<Case> = vec![
        (
            "sdk_token_transfer",
            token,
            "transfer",
            Box::new(sdk_transfer),
        ),
        (
            "wat_token_transfer",
            wat_token,
            "transfer",
            Box::new(wat_transfer),
        ),
        (
            "amm_swap",
            amm,
            "swap",
            Box::new(|k| ((k % 2) as u8, 1_000u128, 0u128).encode()),
        ),
        (
            "counter_increment",
            counter,
            "increment",
            Box::new(|_| Vec::new()),
        ),
    ];
    for (name, contract, method, input) in &cases {
        vm.with(|| {
            let gas = call(&alice, *contract, method, input(0));
            report(&format!("{name}_gas"), gas as f64, "gas");
            time_calls(n.min(200), false, |k| {
                call(&alice, *contract, method, input(k));
            });
            let hit = time_calls(n, false, |k| {
                call(&alice, *contract, method, input(k));
            });
            let miss = time_calls(n, true, |k| {
                call(&alice, *contract, method, input(k));
            });
            report(&format!("{name}_hit_us"), hit, "us");
            report(&format!("{name}_miss_us"), miss, "us");
        });
    }

    // State read: the SDK token's `balance_of`, a read-only query.
    let read_us = vm.with(|| {
        time_calls(n, false, |k| {
            let o = Qvm::bare_query(
                alice.clone(),
                token,
                b"balance_of",
                recipient(k).encode(),
                GAS,
            );
            o.result.expect("balance_of runs");
        })
    });
    report("sdk_token_balance_of_hit_us", read_us, "us");

    // The floor: the hand-written token's transfer as native Rust, same storage, same event.
    let trie = pallet_qvm::address::trie_id(&wat_token);
    let floor_us = vm.with(|| {
        time_calls(n, false, |k| {
            native_transfer(&trie, wat_token, &alice, &wat_transfer(k));
        })
    });
    report("native_transfer_us", floor_us, "us");

    // Blocks of 1,000 SDK-token transfers: a new block (the cache starts empty, as in a new
    // runtime call), 1,000 calls, finalize, commit the state.
    let blocks = (n / 1_000).max(1);
    let per_block = n.min(1_000);
    let start = Instant::now();
    for b in 0..blocks {
        vm.with(|| {
            let number = System::block_number() + 1;
            System::initialize(&number, &Default::default(), &Default::default());
            cache::clear();
            for k in 0..per_block {
                call(&alice, token, "transfer", sdk_transfer(b + k));
            }
            System::finalize();
        });
        vm.commit();
    }
    let secs = start.elapsed().as_secs_f64();
    report(
        "sdk_token_block_transfers_per_s",
        f64::from(blocks * per_block) / secs,
        "/s",
    );
}
