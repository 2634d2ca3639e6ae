//! Escrow of the chain's own currency, released or refunded by an arbiter's off-chain sr25519
//! signature.
//!
//! A payer opens an escrow for a payee by sending value with `open`: the contract's account
//! holds it. Anyone may then submit the arbiter's signature over
//! `blake2_256(contract ++ "release" | "refund" ++ id)` to pay the payee or refund the payer
//! (a native transfer from the contract). Shows value, transfers, hashing, signature
//! verification, events and typed storage.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use qvm_sdk::{
    address, balance, caller, contract, emit, hash, require,
    storage::{Mapping, Value},
    transfer, value_transferred, verify_signature, Account, Balance, Encode, Hash, TransferError,
};

static ARBITER: Value<Account> = Value::new(b"arbiter");
static NEXT_ID: Value<u64> = Value::new(b"next");
/// id -> (payer, payee, amount)
static ESCROWS: Mapping<u64, (Account, Account, Balance)> = Mapping::new(b"e");

/// The digest the arbiter signs to `action` escrow `id` of contract `at`.
fn digest(at: &Account, action: &[u8], id: u64) -> Hash {
    let mut msg = Vec::with_capacity(32 + action.len() + 8);
    msg.extend_from_slice(at);
    msg.extend_from_slice(action);
    id.encode_to(&mut msg);
    hash(&msg)
}

fn settle(id: u64, signature: [u8; 64], action: &[u8], to_payee: bool) -> Balance {
    let Some((payer, payee, amount)) = ESCROWS.get(&id) else {
        qvm_sdk::revert_str("no such escrow")
    };
    let arbiter = ARBITER.get_or_default();
    let d = digest(&address(), action, id);
    require(verify_signature(&d, &signature, &arbiter), "bad signature");
    ESCROWS.remove(&id);
    let to = if to_payee { payee } else { payer };
    match transfer(&to, amount) {
        Ok(()) => {}
        // A new account must receive at least the minimum balance.
        Err(TransferError::BelowMinimumBalance) => qvm_sdk::revert_str("below the minimum balance"),
        Err(TransferError::InsufficientBalance) => qvm_sdk::revert_str("escrow cannot pay"),
    }
    emit(action, &(id, to, amount));
    amount
}

contract! {
    /// An escrow service judged by `arbiter` (an sr25519 public key / AccountId32).
    fn constructor(arbiter: Account) {
        ARBITER.set(&arbiter);
    }

    /// Locks the value sent with this call for `payee`; returns the escrow id.
    fn open(payee: Account) -> u64 {
        let amount = value_transferred();
        require(amount > 0, "send value with the call");
        let me = caller();
        let id = NEXT_ID.get_or_default();
        NEXT_ID.set(&(id + 1));
        ESCROWS.set(&id, &(me, payee, amount));
        emit(b"Opened", &(id, me, payee, amount));
        id
    }

    /// The escrow `id`: `(payer, payee, amount)`.
    fn escrow(id: u64) -> Option<(Account, Account, Balance)> {
        ESCROWS.get(&id)
    }

    /// What the escrow holds and may spend (the sum of the open escrows).
    fn holdings() -> Balance {
        balance()
    }

    /// The digest the arbiter signs for `action` ("release" or "refund") of escrow `id`.
    fn digest_of(action: Vec<u8>, id: u64) -> Hash {
        digest(&address(), &action, id)
    }

    /// Pays the payee, with the arbiter's signature over the "release" digest.
    fn release(id: u64, signature: [u8; 64]) -> Balance {
        settle(id, signature, b"release", true)
    }

    /// Refunds the payer, with the arbiter's signature over the "refund" digest.
    fn refund(id: u64, signature: [u8; 64]) -> Balance {
        settle(id, signature, b"refund", false)
    }
}
