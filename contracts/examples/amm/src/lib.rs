//! A constant-product pool (x · y = k) over two internal token balances, A (0) and B (1).
//!
//! The deployer is minted both tokens; `transfer` moves internal balances between accounts.
//! Liquidity providers get pool shares; swaps pay a fee (in basis points) that stays in the
//! pool. Every division rounds in the pool's favour, so k never decreases.
#![no_std]

use qvm_sdk::{
    caller, contract, emit, ok_or_revert, require, storage::Mapping, storage::Value, Account,
};

static FEE_BPS: Value<u32> = Value::new(b"fee");
static RESERVES: Value<(u128, u128)> = Value::new(b"reserves");
static TOTAL_SHARES: Value<u128> = Value::new(b"shares");
static BALANCES: Mapping<(u8, Account), u128> = Mapping::new(b"b");
static SHARES: Mapping<Account, u128> = Mapping::new(b"s");

const BPS: u128 = 10_000;

fn mul(a: u128, b: u128) -> u128 {
    ok_or_revert(a.checked_mul(b), "overflow")
}

fn add(a: u128, b: u128) -> u128 {
    ok_or_revert(a.checked_add(b), "overflow")
}

fn token(t: u8) -> u8 {
    require(t < 2, "unknown token");
    t
}

fn debit(t: u8, who: &Account, amount: u128) {
    let b = BALANCES.get_or_default(&(t, *who));
    require(b >= amount, "insufficient balance");
    BALANCES.set(&(t, *who), &(b - amount));
}

fn credit(t: u8, who: &Account, amount: u128) {
    let b = BALANCES.get_or_default(&(t, *who));
    BALANCES.set(&(t, *who), &add(b, amount));
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

fn reserves_for(t: u8) -> (u128, u128) {
    let (a, b) = RESERVES.get_or_default();
    if t == 0 {
        (a, b)
    } else {
        (b, a)
    }
}

contract! {
    /// A pool with a swap fee of `fee_bps` basis points; mints `supply_a` of A and `supply_b`
    /// of B to the deployer.
    fn constructor(fee_bps: u32, supply_a: u128, supply_b: u128) {
        require(u128::from(fee_bps) < BPS, "fee too high");
        FEE_BPS.set(&fee_bps);
        let me = caller();
        credit(0, &me, supply_a);
        credit(1, &me, supply_b);
    }

    /// Internal balance of token `t` of `who`.
    fn balance_of(t: u8, who: Account) -> u128 {
        BALANCES.get_or_default(&(token(t), who))
    }

    /// Moves `amount` of token `t` from the caller to `to`.
    fn transfer(t: u8, to: Account, amount: u128) -> bool {
        let t = token(t);
        debit(t, &caller(), amount);
        credit(t, &to, amount);
        true
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

    /// Deposits `a` of A and `b` of B; returns the shares minted (rounded down).
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
        debit(0, &me, a);
        debit(1, &me, b);
        RESERVES.set(&(add(ra, a), add(rb, b)));
        TOTAL_SHARES.set(&add(total, minted));
        SHARES.set(&me, &add(SHARES.get_or_default(&me), minted));
        emit(b"AddLiquidity", &(me, a, b, minted));
        minted
    }

    /// Burns `shares`; returns the `(a, b)` paid out (rounded down).
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
        credit(0, &me, a);
        credit(1, &me, b);
        emit(b"RemoveLiquidity", &(me, a, b, shares));
        (a, b)
    }

    /// What swapping `amount_in` of token `t` would pay out now.
    fn quote(t: u8, amount_in: u128) -> u128 {
        let (r_in, r_out) = reserves_for(token(t));
        if r_in == 0 || r_out == 0 {
            return 0;
        }
        amount_out(amount_in, r_in, r_out)
    }

    /// Swaps `amount_in` of token `t` for the other token; reverts if the output would be
    /// below `min_out`. Returns the output.
    fn swap(t: u8, amount_in: u128, min_out: u128) -> u128 {
        let t = token(t);
        let me = caller();
        let (r_in, r_out) = reserves_for(t);
        require(r_in > 0 && r_out > 0, "empty pool");
        let out = amount_out(amount_in, r_in, r_out);
        require(out > 0, "zero output");
        require(out >= min_out, "slippage");
        debit(t, &me, amount_in);
        credit(1 - t, &me, out);
        let (new_in, new_out) = (add(r_in, amount_in), r_out - out);
        RESERVES.set(&if t == 0 { (new_in, new_out) } else { (new_out, new_in) });
        emit(b"Swap", &(me, t, amount_in, out));
        out
    }
}
