//! The constant-product AMM example through TestVM: a pool trading two real `token` contracts
//! with cross-contract calls (`transfer_from` in, `transfer` out).

use qvm_test::{args, example_wasm, Account, Address, QvmError, TestVM};

const FEE_BPS: u32 = 30;

struct Pool {
    vm: TestVM,
    amm: Address,
    tokens: [Address; 2],
    alice: Account,
    bob: Account,
}

fn account(a: &Address) -> Account {
    Account::new(a.0)
}

/// Two tokens minted to alice, 1,000,000 of each given to bob, a pool both approved, and
/// `liquidity` added by alice (if non-zero).
fn setup(liquidity: (u128, u128)) -> Pool {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    let bob = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let token = example_wasm("token");
    let a = vm.deploy(&token, args!["Apple", "APL", 10_000_000u128]);
    let b = vm.deploy(&token, args!["Berry", "BRY", 10_000_000u128]);
    let amm = vm.deploy(&example_wasm("amm"), args![a.0, b.0, FEE_BPS]);
    for t in [&a, &b] {
        vm.call(t, "transfer", args![bob.clone(), 1_000_000u128])
            .unwrap();
        for who in [&alice, &bob] {
            vm.set_caller(who.clone());
            vm.call(t, "approve", args![amm.0, u128::MAX]).unwrap();
        }
        vm.set_caller(alice.clone());
    }
    if liquidity.0 > 0 {
        vm.call(&amm, "add_liquidity", args![liquidity.0, liquidity.1])
            .unwrap();
    }
    Pool {
        vm,
        amm,
        tokens: [a, b],
        alice,
        bob,
    }
}

impl Pool {
    fn reserves(&mut self) -> (u128, u128) {
        self.vm.call_view(&self.amm, "reserves", args![])
    }
    fn balance(&mut self, t: usize, who: &Account) -> u128 {
        let token = self.tokens[t];
        self.vm.call_view(&token, "balance_of", args![who.clone()])
    }
    /// The pool's holdings of both tokens.
    fn holdings(&mut self) -> (u128, u128) {
        let pool = account(&self.amm);
        (self.balance(0, &pool), self.balance(1, &pool))
    }
}

#[test]
fn first_liquidity_moves_real_tokens_and_mints_sqrt_shares() {
    let mut p = setup((400_000, 900_000));
    assert_eq!(p.reserves(), (400_000, 900_000));
    assert_eq!(p.holdings(), (400_000, 900_000));
    assert_eq!(
        p.vm.call_view::<u128>(&p.amm, "total_shares", args![]),
        600_000
    );
    assert_eq!(
        p.vm.call_view::<u128>(&p.amm, "shares_of", args![p.alice.clone()]),
        600_000
    );
    let alice = p.alice.clone();
    assert_eq!(p.balance(0, &alice), 10_000_000 - 1_000_000 - 400_000);
    let tokens: ([u8; 32], [u8; 32]) = p.vm.call_view(&p.amm, "tokens", args![]);
    assert_eq!(tokens, (p.tokens[0].0, p.tokens[1].0));
}

#[test]
fn swap_pays_the_quote_in_the_other_token_and_k_never_decreases() {
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
    assert_eq!(p.holdings(), p.reserves());
    // The pool's swap (indexed by trader) and both tokens' transfers are on chain.
    let events = p.vm.events();
    let swap = events
        .iter()
        .find(|e| e.contract == p.amm && e.topic == b"Swap")
        .expect("a Swap event");
    let trader: [u8; 32] = bob.clone().into();
    assert_eq!(swap.topics, vec![trader]);
    for t in &p.tokens {
        assert!(events
            .iter()
            .any(|e| e.contract == *t && e.topic == b"Transfer"));
    }

    // Many swaps in both directions: k never decreases and the reserves are what the pool
    // holds.
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
    assert_eq!(p.holdings(), p.reserves());
}

#[test]
fn failed_swaps_revert_the_pool_and_both_tokens() {
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
    let before = [
        p.vm.storage(&p.amm),
        p.vm.storage(&p.tokens[0]),
        p.vm.storage(&p.tokens[1]),
    ];
    let err =
        p.vm.call(&p.amm, "swap", args![1u8, 1_000u128, quote + 1])
            .unwrap_err();
    assert_eq!(err.message(), "slippage");
    // More than the caller has: the token's revert reverts the pool, which had already
    // updated its reserves.
    let err =
        p.vm.call(&p.amm, "swap", args![1u8, 5_000_000u128, 0u128])
            .unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "insufficient balance")
    );
    let err =
        p.vm.call(&p.amm, "swap", args![2u8, 1u128, 0u128])
            .unwrap_err();
    assert_eq!(err.message(), "unknown token");
    // Dust: an input too small to produce output.
    let err =
        p.vm.call(&p.amm, "swap", args![0u8, 1u128, 0u128])
            .unwrap_err();
    assert_eq!(err.message(), "zero output");
    let after = [
        p.vm.storage(&p.amm),
        p.vm.storage(&p.tokens[0]),
        p.vm.storage(&p.tokens[1]),
    ];
    assert_eq!(after, before);
}

#[test]
fn without_an_allowance_the_token_refuses_and_nothing_moves() {
    let mut p = setup((100_000, 100_000));
    let carol = p.vm.create_account(1_000);
    let token = p.tokens[0];
    p.vm.call(&token, "transfer", args![carol.clone(), 5_000u128])
        .unwrap();
    p.vm.set_caller(carol.clone());
    let err =
        p.vm.call(&p.amm, "swap", args![0u8, 1_000u128, 0u128])
            .unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "insufficient allowance")
    );
    assert_eq!(p.balance(0, &carol), 5_000);
    assert_eq!(p.reserves(), (100_000, 100_000));
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
    // Withdrawing everything returns no more than was deposited, in real tokens.
    let (a, b): (u128, u128) =
        p.vm.call(&p.amm, "remove_liquidity", args![shares])
            .unwrap()
            .decode();
    assert!(a <= 333_333 && b <= 333_334, "{a} {b}");
    assert_eq!(p.balance(0, &bob), 1_000_000 - 333_333 + a);
    assert_eq!(p.balance(1, &bob), 1_000_000 - 333_334 + b);
    let (ra2, rb2) = p.reserves();
    assert!(ra2 * rb2 >= 1_000_003 * 999_997);
    assert_eq!(p.holdings(), (ra2, rb2));
    // Shares cannot be burnt twice.
    let err =
        p.vm.call(&p.amm, "remove_liquidity", args![1u128])
            .unwrap_err();
    assert_eq!(err.message(), "insufficient shares");
}

#[test]
fn bad_pools_are_rejected_at_deployment() {
    let mut vm = TestVM::new();
    let (a, b) = ([1u8; 32], [2u8; 32]);
    for (args, message) in [
        (args![a, b, 10_000u32], "fee too high"),
        (args![a, a, 30u32], "the two tokens must differ"),
    ] {
        let err = vm.try_deploy(&example_wasm("amm"), args).unwrap_err();
        assert_eq!(
            (err.error.clone(), err.message()),
            (QvmError::Reverted, message)
        );
    }
}
