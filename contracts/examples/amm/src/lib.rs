//! A constant-product pool (x · y = k) trading two token contracts (the `token` example).
//!
//! Liquidity and swaps move real tokens through cross-contract calls: the pool pulls what it
//! receives with `transfer_from` (approve the pool first) and pays out with `transfer`; a
//! token that reverts reverts the pool's call with the token's message. Liquidity providers
//! get pool shares; swaps pay a fee (in basis points) that stays in the pool. Every division
//! rounds in the pool's favour, so k never decreases. The pool updates its own state before it
//! calls a token, and re-entry stays refused (no call flag is set): a token cannot call back
//! mid-swap.
#![no_std]

extern crate alloc;

use qvm_sdk::{
    address, call_or_revert, caller, contract, emit, emit_indexed, ok_or_revert, require,
    storage::{Mapping, Value},
    Account, Contract,
};

static TOKENS: Value<(Account, Account)> = Value::new(b"tokens");
static FEE_BPS: Value<u32> = Value::new(b"fee");
static RESERVES: Value<(u128, u128)> = Value::new(b"reserves");
static TOTAL_SHARES: Value<u128> = Value::new(b"shares");
static SHARES: Mapping<Account, u128> = Mapping::new(b"s");

const BPS: u128 = 10_000;

fn mul(a: u128, b: u128) -> u128 {
    ok_or_revert(a.checked_mul(b), "overflow")
}

fn add(a: u128, b: u128) -> u128 {
    ok_or_revert(a.checked_add(b), "overflow")
}

/// Token contract `t` (0: A, 1: B).
fn token(t: u8) -> Account {
    require(t < 2, "unknown token");
    let (a, b) = TOKENS.get_or_default();
    if t == 0 {
        a
    } else {
        b
    }
}

/// Moves `amount` of `token` from `from` to the pool (within the pool's allowance).
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
    if amount > 0 {
        let ok: bool = call_or_revert(&Contract::new(token), "transfer", (to, amount));
        require(ok, "token refused transfer");
    }
}

/// Integer square root (floor).
fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    let mut x = n;
    let mut y = x.div_ceil(2);
    while y < x {
        x = y;
        y = (x + n / x) / 2;
    }
    x
}

/// Output of swapping `amount_in` into a pool with reserves `(r_in, r_out)` (rounded down).
fn amount_out(amount_in: u128, r_in: u128, r_out: u128) -> u128 {
    let fee = u128::from(FEE_BPS.get_or_default());
    let in_with_fee = mul(amount_in, BPS - fee);
    let denominator = add(mul(r_in, BPS), in_with_fee);
    mul(in_with_fee, r_out) / denominator
}

/// Reserves `(in, out)` when selling token `t`.
fn reserves_for(t: u8) -> (u128, u128) {
    let (a, b) = RESERVES.get_or_default();
    if t == 0 {
        (a, b)
    } else {
        (b, a)
    }
}

contract! {
    /// A pool trading token contract `token_a` (0) against `token_b` (1) with a swap fee of
    /// `fee_bps` basis points.
    fn constructor(token_a: Account, token_b: Account, fee_bps: u32) {
        require(token_a != token_b, "the two tokens must differ");
        require(u128::from(fee_bps) < BPS, "fee too high");
        TOKENS.set(&(token_a, token_b));
        FEE_BPS.set(&fee_bps);
    }

    /// The two token contracts `(A, B)`.
    fn tokens() -> (Account, Account) {
        TOKENS.get_or_default()
    }

    /// Pool reserves `(a, b)`.
    fn reserves() -> (u128, u128) {
        RESERVES.get_or_default()
    }

    /// Total pool shares.
    fn total_shares() -> u128 {
        TOTAL_SHARES.get_or_default()
    }

    /// Shares of `who`.
    fn shares_of(who: Account) -> u128 {
        SHARES.get_or_default(&who)
    }

    /// Deposits `a` of A and `b` of B from the caller; returns the shares minted (rounded
    /// down; the first deposit mints √(a·b) and sets the price).
    fn add_liquidity(a: u128, b: u128) -> u128 {
        let me = caller();
        let (ra, rb) = RESERVES.get_or_default();
        let total = TOTAL_SHARES.get_or_default();
        let minted = if total == 0 {
            isqrt(mul(a, b))
        } else {
            require(ra > 0 && rb > 0, "empty pool");
            core::cmp::min(mul(a, total) / ra, mul(b, total) / rb)
        };
        require(minted > 0, "zero shares");
        RESERVES.set(&(add(ra, a), add(rb, b)));
        TOTAL_SHARES.set(&add(total, minted));
        SHARES.set(&me, &add(SHARES.get_or_default(&me), minted));
        pull(token(0), me, a);
        pull(token(1), me, b);
        emit(b"AddLiquidity", &(me, a, b, minted));
        minted
    }

    /// Burns `shares` of the caller; returns the `(a, b)` paid out (rounded down).
    fn remove_liquidity(shares: u128) -> (u128, u128) {
        let me = caller();
        let owned = SHARES.get_or_default(&me);
        require(shares > 0 && shares <= owned, "insufficient shares");
        let (ra, rb) = RESERVES.get_or_default();
        let total = TOTAL_SHARES.get_or_default();
        let a = mul(shares, ra) / total;
        let b = mul(shares, rb) / total;
        SHARES.set(&me, &(owned - shares));
        TOTAL_SHARES.set(&(total - shares));
        RESERVES.set(&(ra - a, rb - b));
        push(token(0), me, a);
        push(token(1), me, b);
        emit(b"RemoveLiquidity", &(me, a, b, shares));
        (a, b)
    }

    /// What selling `amount_in` of token `t` would pay out now.
    fn quote(t: u8, amount_in: u128) -> u128 {
        token(t);
        let (r_in, r_out) = reserves_for(t);
        if r_in == 0 || r_out == 0 {
            return 0;
        }
        amount_out(amount_in, r_in, r_out)
    }

    /// Sells `amount_in` of token `t` for the other token; reverts if the output would be below
    /// `min_out`. Returns the output.
    fn swap(t: u8, amount_in: u128, min_out: u128) -> u128 {
        let (token_in, token_out) = (token(t), token(1 - t));
        let me = caller();
        let (r_in, r_out) = reserves_for(t);
        require(r_in > 0 && r_out > 0, "empty pool");
        let out = amount_out(amount_in, r_in, r_out);
        require(out > 0, "zero output");
        require(out >= min_out, "slippage");
        let (new_in, new_out) = (add(r_in, amount_in), r_out - out);
        RESERVES.set(&if t == 0 { (new_in, new_out) } else { (new_out, new_in) });
        pull(token_in, me, amount_in);
        push(token_out, me, out);
        // Indexed by trader: a wallet finds its swaps in System's topic index.
        emit_indexed(b"Swap", &[me], &(me, t, amount_in, out));
        out
    }
}
