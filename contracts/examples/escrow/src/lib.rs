//! Escrow released or refunded by an arbiter's off-chain sr25519 signature.
//!
//! A payer opens an escrow for a payee; the amount moves from the payer's internal balance into
//! the escrow. Anyone may then submit the arbiter's signature over
//! `blake2_256(contract ++ "release" | "refund" ++ id)` to pay the payee or refund the payer.
//! Shows hashing, signature verification, events and typed storage.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use qvm_sdk::{
    address, caller, contract, emit, hash, ok_or_revert, require,
    storage::{Mapping, Value},
    verify_signature, Account, Encode, Hash,
};

static ARBITER: Value<Account> = Value::new(b"arbiter");
static NEXT_ID: Value<u64> = Value::new(b"next");
static BALANCES: Mapping<Account, u128> = Mapping::new(b"b");
/// id -> (payer, payee, amount)
static ESCROWS: Mapping<u64, (Account, Account, u128)> = Mapping::new(b"e");

/// The digest the arbiter signs to `action` escrow `id` of contract `at`.
fn digest(at: &Account, action: &[u8], id: u64) -> Hash {
    let mut msg = Vec::with_capacity(32 + action.len() + 8);
    msg.extend_from_slice(at);
    msg.extend_from_slice(action);
    id.encode_to(&mut msg);
    hash(&msg)
}

fn settle(id: u64, signature: [u8; 64], action: &[u8], to_payee: bool) -> u128 {
    let Some((payer, payee, amount)) = ESCROWS.get(&id) else {
        qvm_sdk::revert_str("no such escrow")
    };
    let arbiter = ARBITER.get_or_default();
    let d = digest(&address(), action, id);
    require(verify_signature(&d, &signature, &arbiter), "bad signature");
    ESCROWS.remove(&id);
    let to = if to_payee { payee } else { payer };
    let b = BALANCES.get_or_default(&to);
    BALANCES.set(&to, &ok_or_revert(b.checked_add(amount), "overflow"));
    emit(action, &(id, to, amount));
    amount
}

contract! {
    /// An escrow service judged by `arbiter` (an sr25519 public key / AccountId32); the
    /// deployer starts with `supply` of the internal currency.
    fn constructor(arbiter: Account, supply: u128) {
        ARBITER.set(&arbiter);
        BALANCES.set(&caller(), &supply);
    }

    /// Internal balance of `who`.
    fn balance_of(who: Account) -> u128 {
        BALANCES.get_or_default(&who)
    }

    /// Moves `amount` from the caller to `to`.
    fn transfer(to: Account, amount: u128) -> bool {
        let me = caller();
        let b = BALANCES.get_or_default(&me);
        require(b >= amount, "insufficient balance");
        BALANCES.set(&me, &(b - amount));
        BALANCES.set(&to, &ok_or_revert(BALANCES.get_or_default(&to).checked_add(amount), "overflow"));
        true
    }

    /// Locks `amount` of the caller's balance for `payee`; returns the escrow id.
    fn open(payee: Account, amount: u128) -> u64 {
        let me = caller();
        let b = BALANCES.get_or_default(&me);
        require(amount > 0 && b >= amount, "insufficient balance");
        BALANCES.set(&me, &(b - amount));
        let id = NEXT_ID.get_or_default();
        NEXT_ID.set(&(id + 1));
        ESCROWS.set(&id, &(me, payee, amount));
        emit(b"Opened", &(id, me, payee, amount));
        id
    }

    /// The escrow `id`: `(payer, payee, amount)`.
    fn escrow(id: u64) -> Option<(Account, Account, u128)> {
        ESCROWS.get(&id)
    }

    /// The digest the arbiter signs for `action` ("release" or "refund") of escrow `id`.
    fn digest_of(action: Vec<u8>, id: u64) -> Hash {
        digest(&address(), &action, id)
    }

    /// Pays the payee, with the arbiter's signature over the "release" digest.
    fn release(id: u64, signature: [u8; 64]) -> u128 {
        settle(id, signature, b"release", true)
    }

    /// Refunds the payer, with the arbiter's signature over the "refund" digest.
    fn refund(id: u64, signature: [u8; 64]) -> u128 {
        settle(id, signature, b"refund", false)
    }
}
