//! Block and call context, gas, hashing, signatures and events.

use crate::{sys, Account, Hash};
use qvm_primitives::abi::ReturnCode;

/// Current block number.
pub fn block_height() -> u64 {
    unsafe { sys::qnet_get_block_height() as u64 }
}

/// Current block timestamp (milliseconds).
pub fn block_timestamp() -> u64 {
    unsafe { sys::qnet_get_block_timestamp() as u64 }
}

/// The caller's account id (32 bytes on `AccountId32` chains).
pub fn caller() -> Account {
    let mut out = [0u8; 32];
    let n = unsafe { sys::qnet_get_caller(out.as_mut_ptr() as i32, 32) };
    if n != 32 {
        crate::revert_str("caller id is not 32 bytes");
    }
    out
}

/// This contract's address.
pub fn address() -> Account {
    let mut out = [0u8; 32];
    unsafe { sys::qnet_get_contract_address(out.as_mut_ptr() as i32, 32) };
    out
}

/// Gas left.
pub fn gas_left() -> u64 {
    unsafe { sys::qnet_gas_left() as u64 }
}

/// BLAKE2b-256 of `data`.
pub fn hash(data: &[u8]) -> Hash {
    let mut out = [0u8; 32];
    unsafe {
        sys::qnet_hash(
            data.as_ptr() as i32,
            data.len() as i32,
            out.as_mut_ptr() as i32,
        )
    };
    out
}

/// `true` if `signature` is a valid sr25519 signature of `msg` by `public_key`.
pub fn verify_signature(msg: &[u8], signature: &[u8; 64], public_key: &[u8; 32]) -> bool {
    unsafe {
        sys::qnet_verify_signature(
            msg.as_ptr() as i32,
            msg.len() as i32,
            signature.as_ptr() as i32,
            public_key.as_ptr() as i32,
        ) == 1
    }
}

/// Emits an event with raw `topic` and `data` (deposited only if the call succeeds).
pub fn emit_raw(topic: &[u8], data: &[u8]) {
    let r = unsafe {
        sys::qnet_emit_event(
            topic.as_ptr() as i32,
            topic.len() as i32,
            data.as_ptr() as i32,
            data.len() as i32,
        )
    };
    debug_assert_eq!(r, ReturnCode::Success.as_i32());
}

/// Emits an event whose data is the SCALE encoding of `data`.
pub fn emit<T: codec::Encode>(topic: &[u8], data: &T) {
    data.using_encoded(|bytes| emit_raw(topic, bytes))
}

/// Emits an event like [`emit`], indexed under `topics` (at most `Limits::max_event_topics`,
/// 4 in the reference runtime): clients find it in System's topic index by any of them (an
/// account, a token, a hash of what happened). Each topic costs a storage write of gas.
pub fn emit_indexed<T: codec::Encode>(topic: &[u8], topics: &[crate::Hash], data: &T) {
    data.using_encoded(|bytes| {
        let r = unsafe {
            sys::qnet_emit_event_indexed(
                topic.as_ptr() as i32,
                topic.len() as i32,
                topics.as_ptr() as i32,
                topics.len() as i32,
                bytes.as_ptr() as i32,
                bytes.len() as i32,
            )
        };
        debug_assert_eq!(r, ReturnCode::Success.as_i32());
    })
}
