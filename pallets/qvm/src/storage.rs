//! A contract's key-value storage: its own default child trie (Patricia), accessed through
//! `sp-io` child-storage host functions, with usage accounting.
//!
//! Keys are stored hashed, as `blake2_128(key) ++ key` ([`hashed_key`]): a contract chooses its
//! keys, and unhashed it could choose them to share ever longer prefixes, making the path to
//! one key (and so the proof of one access) as deep as the key is long. Behind a hash the trie
//! stays balanced, about `log16(items)` levels deep, so the proof size charged per access
//! (`GasConfig::storage_access_proof`) bounds what an access really proves. Contracts see
//! their own keys unchanged; the original key stays recoverable ([`original_key`]).

use alloc::vec::Vec;
use frame_support::storage::child::{self, ChildInfo};

/// Bytes the hash adds in front of every key.
pub const KEY_HASH_LEN: usize = 16;

/// The child-trie key under which a contract's `key` is stored: `blake2_128(key) ++ key`.
pub fn hashed_key(key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(KEY_HASH_LEN + key.len());
    out.extend_from_slice(&sp_io::hashing::blake2_128(key));
    out.extend_from_slice(key);
    out
}

/// The contract's key of a child-trie key made by [`hashed_key`] (`None` if it is not one).
pub fn original_key(stored: &[u8]) -> Option<&[u8]> {
    let key = stored.get(KEY_HASH_LEN..)?;
    (sp_io::hashing::blake2_128(key)[..] == stored[..KEY_HASH_LEN]).then_some(key)
}

/// Net change of a contract's storage usage during one execution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StorageDelta {
    /// Change in the number of entries.
    pub items: i64,
    /// Change in stored bytes (keys plus values).
    pub bytes: i64,
}

impl StorageDelta {
    /// Accounts writing a `new_len`-byte value under a key stored as `stored_key_len` bytes,
    /// replacing a value of `old` bytes (`None`: a new entry).
    pub fn record_write(&mut self, stored_key_len: usize, old: Option<u32>, new_len: usize) {
        match old {
            Some(old) => self.bytes += new_len as i64 - i64::from(old),
            None => {
                self.items += 1;
                self.bytes += (stored_key_len + new_len) as i64;
            }
        }
    }

    /// Accounts removing an `old`-byte value under a key stored as `stored_key_len` bytes.
    pub fn record_remove(&mut self, stored_key_len: usize, old: u32) {
        self.items -= 1;
        self.bytes -= stored_key_len as i64 + i64::from(old);
    }
}

/// Storage of one contract.
pub struct ContractStorage {
    info: ChildInfo,
    delta: StorageDelta,
}

impl ContractStorage {
    /// The storage of the contract whose child-trie id is `trie_id`.
    pub fn new(trie_id: &[u8]) -> Self {
        Self {
            info: ChildInfo::new_default(trie_id),
            delta: StorageDelta::default(),
        }
    }

    /// The value under `key`.
    pub fn read(&self, key: &[u8]) -> Option<Vec<u8>> {
        child::get_raw(&self.info, &hashed_key(key))
    }

    /// The length of the value under `key`.
    pub fn size(&self, key: &[u8]) -> Option<u32> {
        child::len(&self.info, &hashed_key(key))
    }

    /// Stores `value` under `key`; returns the length of the value it replaced.
    pub fn write(&mut self, key: &[u8], value: &[u8]) -> Option<u32> {
        let stored = hashed_key(key);
        let old = child::len(&self.info, &stored);
        self.delta.record_write(stored.len(), old, value.len());
        child::put_raw(&self.info, &stored, value);
        old
    }

    /// Removes `key`; returns the length of the removed value, `None` if there was none.
    pub fn remove(&mut self, key: &[u8]) -> Option<u32> {
        let stored = hashed_key(key);
        let old = child::len(&self.info, &stored)?;
        self.delta.record_remove(stored.len(), old);
        child::kill(&self.info, &stored);
        Some(old)
    }

    /// Net usage change so far.
    pub fn delta(&self) -> StorageDelta {
        self.delta
    }

    /// The child info (for roots and deletion).
    pub fn child_info(&self) -> &ChildInfo {
        &self.info
    }
}
