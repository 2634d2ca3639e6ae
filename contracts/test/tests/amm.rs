//! The constant-product AMM example through TestVM.

use qvm_test::{args, example_wasm, Account, Address, QvmError, TestVM};

const FEE_BPS: u32 = 30;

struct Pool {
    vm: TestVM,
    amm: Address,
    alice: Account,
    bob: Account,
}

fn setup(liquidity: (u128, u128)) -> Pool {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    let bob = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let amm = vm.deploy(
        &example_wasm("amm"),
        args![FEE_BPS, 10_000_000u128, 10_000_000u128],
    );
    if liquidity.0 > 0 {
        vm.call(&amm, "add_liquidity", args![liquidity.0, liquidity.1])
            .unwrap();
    }
    vm.call(&amm, "transfer", args![0u8, bob.clone(), 1_000_000u128])
        .unwrap();
    vm.call(&amm, "transfer", args![1u8, bob.clone(), 1_000_000u128])
        .unwrap();
    Pool {
        vm,
        amm,
        alice,
        bob,
    }
}

impl Pool {
    fn reserves(&mut self) -> (u128, u128) {
        self.vm.call_view(&self.amm, "reserves", args![])
    }
    fn balance(&mut self, t: u8, who: &Account) -> u128 {
        self.vm
            .call_view(&self.amm, "balance_of", args![t, who.clone()])
    }
}

#[test]
fn first_liquidity_mints_sqrt_shares() {
    let mut p = setup((400_000, 900_000));
    assert_eq!(p.reserves(), (400_000, 900_000));
    assert_eq!(
        p.vm.call_view::<u128>(&p.amm, "total_shares", args![]),
        600_000
    );
    assert_eq!(
        p.vm.call_view::<u128>(&p.amm, "shares_of", args![p.alice.clone()]),
        600_000
    );
    assert_eq!(
        p.balance(0, &p.alice.clone()),
        10_000_000 - 400_000 - 1_000_000
    );
}

#[test]
fn swap_pays_the_quote_with_fee_and_k_never_decreases() {
    let mut p = setup((1_000_000, 1_000_000));
    let bob = p.bob.clone();
    p.vm.set_caller(bob.clone());
    let quote: u128 = p.vm.call_view(&p.amm, "quote", args![0u8, 10_000u128]);
    // x*y=k with a 0.3% fee: 10_000 * 0.997 * 1e6 / (1e6 + 9_970) = 9871.3 -> 9871 (rounded down)
    assert_eq!(quote, 9_871);
    let out =
        p.vm.call(&p.amm, "swap", args![0u8, 10_000u128, quote])
            .unwrap()
            .decode::<u128>();
    assert_eq!(out, quote);
    assert_eq!(p.balance(0, &bob), 1_000_000 - 10_000);
    assert_eq!(p.balance(1, &bob), 1_000_000 + quote);
    assert_eq!(p.reserves(), (1_010_000, 1_000_000 - quote));
    assert!(p.vm.events().iter().any(|e| e.topic == b"Swap"));

    // Many swaps in both directions: k never decreases.
    let (mut ra, mut rb) = p.reserves();
    let mut seed = 12345u64;
    for i in 0..40 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let amount = u128::from(seed >> 40) % 50_000 + 1;
        let t = (i % 2) as u8;
        let _ = p.vm.call(&p.amm, "swap", args![t, amount, 0u128]);
        let (na, nb) = p.reserves();
        assert!(
            na * nb >= ra * rb,
            "k decreased at swap {i}: {} -> {}",
            ra * rb,
            na * nb
        );
        (ra, rb) = (na, nb);
    }
}

#[test]
fn slippage_and_empty_pool_revert_without_changes() {
    let mut p = setup((0, 0));
    let bob = p.bob.clone();
    p.vm.set_caller(bob.clone());
    let err =
        p.vm.call(&p.amm, "swap", args![0u8, 1_000u128, 0u128])
            .unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "empty pool")
    );

    p.vm.call(&p.amm, "add_liquidity", args![100_000u128, 100_000u128])
        .unwrap();
    let quote: u128 = p.vm.call_view(&p.amm, "quote", args![1u8, 1_000u128]);
    let before = p.vm.storage(&p.amm);
    let err =
        p.vm.call(&p.amm, "swap", args![1u8, 1_000u128, quote + 1])
            .unwrap_err();
    assert_eq!(err.message(), "slippage");
    assert_eq!(p.vm.storage(&p.amm), before);
    // More than the caller has.
    let err =
        p.vm.call(&p.amm, "swap", args![1u8, 5_000_000u128, 0u128])
            .unwrap_err();
    assert_eq!(err.message(), "insufficient balance");
    let err =
        p.vm.call(&p.amm, "swap", args![2u8, 1u128, 0u128])
            .unwrap_err();
    assert_eq!(err.message(), "unknown token");
    // Dust: an input too small to produce output.
    let err =
        p.vm.call(&p.amm, "swap", args![0u8, 1u128, 0u128])
            .unwrap_err();
    assert_eq!(err.message(), "zero output");
}

#[test]
fn liquidity_rounds_in_the_pools_favour() {
    let mut p = setup((1_000_003, 999_997));
    let bob = p.bob.clone();
    p.vm.set_caller(bob.clone());
    // Unbalanced deposit: shares follow the smaller ratio, rounded down.
    let shares =
        p.vm.call(&p.amm, "add_liquidity", args![333_333u128, 333_334u128])
            .unwrap()
            .decode::<u128>();
    let total: u128 = p.vm.call_view(&p.amm, "total_shares", args![]);
    let (ra, rb) = p.reserves();
    assert!(shares * ra <= 333_333 * total && shares * rb <= 333_334 * total);
    // Withdrawing everything returns no more than was deposited.
    let (a, b): (u128, u128) =
        p.vm.call(&p.amm, "remove_liquidity", args![shares])
            .unwrap()
            .decode();
    assert!(a <= 333_333 && b <= 333_334, "{a} {b}");
    assert_eq!(p.balance(0, &bob), 1_000_000 - 333_333 + a);
    let (ra2, rb2) = p.reserves();
    assert!(ra2 * rb2 >= 1_000_003 * 999_997);
    // Shares cannot be burnt twice.
    let err =
        p.vm.call(&p.amm, "remove_liquidity", args![1u128])
            .unwrap_err();
    assert_eq!(err.message(), "insufficient shares");
}

#[test]
fn bad_fee_is_rejected_at_deployment() {
    let mut vm = TestVM::new();
    let err = vm
        .try_deploy(&example_wasm("amm"), args![10_000u32, 1u128, 1u128])
        .unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "fee too high")
    );
}
