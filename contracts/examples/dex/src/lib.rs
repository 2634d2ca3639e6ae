//! A constant-product exchange between two token contracts (the `token` example). Liquidity
//! and swaps move real tokens: the pool pulls what it receives with `transfer_from` (approve
//! the pool first) and pays out with `transfer`, both cross-contract calls; a token that
//! reverts reverts the pool's call with the token's message. Shows typed calls between
//! contracts; re-entry stays refused (no flag is set), so a token cannot call back mid-swap.
#![no_std]

extern crate alloc;

use qvm_sdk::{
    address, call_or_revert, caller, contract, emit, emit_indexed, ok_or_revert, require,
    storage::{Mapping, Value},
    Account, Contract,
};

static TOKENS: Value<(Account, Account)> = Value::new(b"tokens");
static RESERVES: Value<(u128, u128)> = Value::new(b"reserves");
static SHARES: Mapping<Account, u128> = Mapping::new(b"s");
static TOTAL_SHARES: Value<u128> = Value::new(b"total");

/// The fee kept in the pool, in basis points of the amount in.
pub const FEE_BPS: u128 = 30;

/// Moves `amount` of `token` from `from` to the pool (the pool's allowance).
fn pull(token: Account, from: Account, amount: u128) {
    let ok: bool = call_or_revert(
        &Contract::new(token),
        "transfer_from",
        (from, address(), amount),
    );
    require(ok, "token refused transfer_from");
}

/// Pays `amount` of `token` from the pool to `to`.
fn push(token: Account, to: Account, amount: u128) {
    let ok: bool = call_or_revert(&Contract::new(token), "transfer", (to, amount));
    require(ok, "token refused transfer");
}

fn checked(v: Option<u128>) -> u128 {
    ok_or_revert(v, "overflow")
}

/// What `amount_in` buys against reserves `(r_in, r_out)`, after the fee.
fn quote_out(amount_in: u128, r_in: u128, r_out: u128) -> u128 {
    let net = checked(amount_in.checked_mul(10_000 - FEE_BPS));
    let numerator = checked(net.checked_mul(r_out));
    let denominator = checked(checked(r_in.checked_mul(10_000)).checked_add(net));
    numerator / denominator.max(1)
}

contract! {
    /// A pool trading `token_a` against `token_b` (two different token contracts).
    fn constructor(token_a: Account, token_b: Account) {
        require(token_a != token_b, "the two tokens must differ");
        TOKENS.set(&(token_a, token_b));
    }

    /// The two token contracts.
    fn tokens() -> (Account, Account) { TOKENS.get_or_default() }

    /// The pool's holdings of each token.
    fn reserves() -> (u128, u128) { RESERVES.get_or_default() }

    /// Pool shares of `who`.
    fn shares_of(who: Account) -> u128 { SHARES.get_or_default(&who) }

    /// Deposits `a` and `b` of the two tokens for pool shares (the first deposit sets the
    /// price; later ones get shares for the smaller proportion); the shares minted.
    fn add_liquidity(a: u128, b: u128) -> u128 {
        let who = caller();
        let (token_a, token_b) = TOKENS.get_or_default();
        let (ra, rb) = RESERVES.get_or_default();
        let total = TOTAL_SHARES.get_or_default();
        let minted = if total == 0 {
            a.min(b)
        } else {
            (checked(a.checked_mul(total)) / ra.max(1)).min(checked(b.checked_mul(total)) / rb.max(1))
        };
        require(minted > 0, "deposit too small");
        pull(token_a, who, a);
        pull(token_b, who, b);
        RESERVES.set(&(checked(ra.checked_add(a)), checked(rb.checked_add(b))));
        TOTAL_SHARES.set(&checked(total.checked_add(minted)));
        SHARES.set(&who, &checked(SHARES.get_or_default(&who).checked_add(minted)));
        emit(b"Liquidity", &(who, a, b, minted));
        minted
    }

    /// What `amount_in` of token A (`a_to_b`) or B would buy now.
    fn quote(a_to_b: bool, amount_in: u128) -> u128 {
        let (ra, rb) = RESERVES.get_or_default();
        if a_to_b { quote_out(amount_in, ra, rb) } else { quote_out(amount_in, rb, ra) }
    }

    /// Sells `amount_in` of token A (`a_to_b`) or B for the other, at least `min_out` of it;
    /// the amount bought.
    fn swap(a_to_b: bool, amount_in: u128, min_out: u128) -> u128 {
        let who = caller();
        let (token_a, token_b) = TOKENS.get_or_default();
        let (ra, rb) = RESERVES.get_or_default();
        let (token_in, token_out, r_in, r_out) =
            if a_to_b { (token_a, token_b, ra, rb) } else { (token_b, token_a, rb, ra) };
        let out = quote_out(amount_in, r_in, r_out);
        require(out > 0 && out < r_out, "not enough liquidity");
        require(out >= min_out, "slippage: less than min_out");
        pull(token_in, who, amount_in);
        push(token_out, who, out);
        let (r_in, r_out) = (checked(r_in.checked_add(amount_in)), r_out - out);
        RESERVES.set(&if a_to_b { (r_in, r_out) } else { (r_out, r_in) });
        // Indexed by trader: a wallet finds its swaps in System's topic index.
        emit_indexed(b"Swap", &[who], &(who, a_to_b, amount_in, out));
        out
    }
}
