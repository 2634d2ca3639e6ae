//! Prints the size of each example contract and the gas of typical calls, measured on the real
//! pallet through TestVM: `SKIP_WASM_BUILD=1 cargo run -p qvm-test --example gas_report`.

use qvm_test::{args, example_wasm, TestVM};

fn main() {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    let bob = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let mut rows: Vec<(String, u64)> = Vec::new();

    for name in [
        "counter",
        "token",
        "amm",
        "escrow",
        "vault",
        "upgradeable",
        "factory",
        "proxy",
    ] {
        println!("{name}.wasm: {} bytes", example_wasm(name).len());
    }

    let counter = vm.deploy(&example_wasm("counter"), args![0u64]);
    rows.push(("counter: deploy".into(), vm.gas_used()));
    vm.call(&counter, "increment", args![]).unwrap();
    rows.push(("counter: increment".into(), vm.gas_used()));

    let token = vm.deploy(
        &example_wasm("token"),
        args!["TestToken", "TST", 1_000_000u128],
    );
    rows.push(("token: deploy".into(), vm.gas_used()));
    vm.call(&token, "transfer", args![bob.clone(), 100u128])
        .unwrap();
    rows.push(("token: transfer (new recipient)".into(), vm.gas_used()));
    vm.call(&token, "transfer", args![bob.clone(), 100u128])
        .unwrap();
    rows.push(("token: transfer".into(), vm.gas_used()));
    vm.call(&token, "approve", args![bob.clone(), 500u128])
        .unwrap();
    rows.push(("token: approve".into(), vm.gas_used()));
    let _: u128 = vm.call_view(&token, "balance_of", args![bob.clone()]);
    rows.push(("token: balance_of".into(), vm.gas_used()));

    // The AMM over two tokens: every swap makes two cross-contract calls.
    let token_b = vm.deploy(&example_wasm("token"), args!["Other", "OTH", 1_000_000u128]);
    let amm = vm.deploy(&example_wasm("amm"), args![token.0, token_b.0, 30u32]);
    rows.push(("amm: deploy".into(), vm.gas_used()));
    for t in [&token, &token_b] {
        vm.call(t, "approve", args![amm.0, u128::MAX]).unwrap();
    }
    vm.call(&amm, "add_liquidity", args![100_000u128, 100_000u128])
        .unwrap();
    rows.push((
        "amm: add_liquidity (first, 2 token calls)".into(),
        vm.gas_used(),
    ));
    vm.call(&amm, "swap", args![0u8, 1_000u128, 0u128]).unwrap();
    rows.push(("amm: swap (2 token calls)".into(), vm.gas_used()));
    let _: u128 = vm.call_view(&amm, "quote", args![1u8, 1_000u128]);
    rows.push(("amm: quote".into(), vm.gas_used()));

    println!("\n| call | gas |\n|---|---|");
    for (name, gas) in rows {
        println!("| {name} | {gas} |");
    }
}
