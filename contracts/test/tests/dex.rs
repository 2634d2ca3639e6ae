//! The `dex` example through TestVM: a pool trading two real `token` contracts with
//! cross-contract calls (`transfer_from` in, `transfer` out).

use qvm_test::{args, example_wasm, Account, Address, QvmError, TestVM};

struct Market {
    vm: TestVM,
    dex: Address,
    tokens: (Address, Address),
    alice: Account,
    bob: Account,
}

fn account(a: &Address) -> Account {
    Account::new(a.0)
}

fn market() -> Market {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1_000);
    let bob = vm.create_account(1_000);
    vm.set_caller(alice.clone());
    let token = example_wasm("token");
    let a = vm.deploy(&token, args!["Apple", "APL", 1_000_000u128]);
    let b = vm.deploy(&token, args!["Berry", "BRY", 1_000_000u128]);
    let dex = vm.deploy(&example_wasm("dex"), args![a.0, b.0]);
    for t in [&a, &b] {
        vm.call(t, "approve", args![dex.0, u128::MAX]).unwrap();
        vm.call(t, "transfer", args![bob.clone(), 10_000u128])
            .unwrap();
    }
    vm.call(&dex, "add_liquidity", args![100_000u128, 200_000u128])
        .unwrap();
    Market {
        vm,
        dex,
        tokens: (a, b),
        alice,
        bob,
    }
}

impl Market {
    fn balance(&mut self, token: &Address, who: &Account) -> u128 {
        self.vm.call_view(token, "balance_of", args![who.clone()])
    }
}

#[test]
fn liquidity_moves_real_tokens_into_the_pool() {
    let mut m = market();
    let (a, b) = m.tokens;
    let pool = account(&m.dex);
    assert_eq!(m.balance(&a, &pool), 100_000);
    assert_eq!(m.balance(&b, &pool), 200_000);
    let alice = m.alice.clone();
    assert_eq!(m.balance(&a, &alice), 1_000_000 - 10_000 - 100_000);
    assert_eq!(
        m.vm.call_view::<(u128, u128)>(&m.dex, "reserves", args![]),
        (100_000, 200_000)
    );
    assert_eq!(
        m.vm.call_view::<u128>(&m.dex, "shares_of", args![alice]),
        100_000
    );
}

#[test]
fn a_swap_pulls_the_input_and_pays_the_quote_in_the_other_token() {
    let mut m = market();
    let (a, b) = m.tokens;
    let bob = m.bob.clone();
    let quote =
        m.vm.call_view::<u128>(&m.dex, "quote", args![true, 1_000u128]);
    // 1,000 of A at 100,000 : 200,000 minus 0.3 %: just under 1,975.
    assert!(quote > 1_900 && quote < 2_000, "{quote}");
    m.vm.set_caller(bob.clone());
    // Without an allowance the token refuses: its message comes back, nothing moved.
    let err =
        m.vm.call(&m.dex, "swap", args![true, 1_000u128, 0u128])
            .unwrap_err();
    assert_eq!(
        (err.error.clone(), err.message()),
        (QvmError::Reverted, "insufficient allowance")
    );
    for t in [&a, &b] {
        m.vm.call(t, "approve", args![m.dex.0, 1_000u128]).unwrap();
    }
    let out =
        m.vm.call(&m.dex, "swap", args![true, 1_000u128, quote])
            .unwrap()
            .decode::<u128>();
    assert_eq!(out, quote);
    assert_eq!(m.balance(&a, &bob), 9_000);
    assert_eq!(m.balance(&b, &bob), 10_000 + quote);
    let pool = account(&m.dex);
    assert_eq!(m.balance(&b, &pool), 200_000 - quote);
    assert_eq!(
        m.vm.call_view::<(u128, u128)>(&m.dex, "reserves", args![]),
        (101_000, 200_000 - quote)
    );
    // The pool's events and both tokens' Transfer events are on chain.
    let events = m.vm.events();
    assert!(events
        .iter()
        .any(|e| e.contract == m.dex && e.topic == b"Swap"));
    assert!(events
        .iter()
        .any(|e| e.contract == a && e.topic == b"Transfer"));
    assert!(events
        .iter()
        .any(|e| e.contract == b && e.topic == b"Transfer"));
}

#[test]
fn slippage_reverts_the_whole_swap() {
    let mut m = market();
    let (a, _) = m.tokens;
    let alice = m.alice.clone();
    let before = m.balance(&a, &alice);
    let err =
        m.vm.call(&m.dex, "swap", args![true, 1_000u128, 1_000_000u128])
            .unwrap_err();
    assert_eq!(err.message(), "slippage: less than min_out");
    assert_eq!(m.balance(&a, &alice), before);
}
