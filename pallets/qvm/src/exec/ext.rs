//! The boundary between the host functions and the chain.
//!
//! Host functions reach the chain only through an [`Ext`]: the executing contract's storage
//! (and, as cross-contract calls arrive, the pallet behind it). Everything else they use — the
//! call's context ([`super::ExecContext`]), its output, its events — is plain data of the
//! execution. [`crate::storage::ContractStorage`] is the chain's implementation (a child trie
//! through `sp-io`); [`MemoryStorage`] keeps the entries in memory, so host functions can be
//! tested without externalities.

use crate::storage::{StorageDelta, KEY_HASH_LEN};
use alloc::{collections::BTreeMap, rc::Rc, vec::Vec};
use core::cell::RefCell;

/// What an execution's host functions ask of the chain.
pub trait Ext {
    /// The value under `key` in the executing contract's storage.
    fn read(&self, key: &[u8]) -> Option<Vec<u8>>;
    /// The length of the value under `key`.
    fn size(&self, key: &[u8]) -> Option<u32>;
    /// Stores `value` under `key`; the length of the value it replaced.
    fn write(&mut self, key: &[u8], value: &[u8]) -> Option<u32>;
    /// Removes `key`; the length of the removed value, `None` if there was none.
    fn remove(&mut self, key: &[u8]) -> Option<u32>;
    /// Net storage usage change so far.
    fn delta(&self) -> StorageDelta;
}

/// Contract storage in memory, accounted as the chain accounts it (entries and bytes of
/// hashed keys plus values): for tests of the host functions without externalities. Clones
/// share the entries (each keeps its own usage delta, as each execution does).
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    entries: Rc<RefCell<BTreeMap<Vec<u8>, Vec<u8>>>>,
    delta: StorageDelta,
}

impl MemoryStorage {
    /// The value under `key` (for inspection).
    pub fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.entries.borrow().get(key).cloned()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.borrow().len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Ext for MemoryStorage {
    fn read(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.get(key)
    }

    fn size(&self, key: &[u8]) -> Option<u32> {
        self.entries.borrow().get(key).map(|v| v.len() as u32)
    }

    fn write(&mut self, key: &[u8], value: &[u8]) -> Option<u32> {
        let old = self.size(key);
        self.delta
            .record_write(KEY_HASH_LEN + key.len(), old, value.len());
        self.entries
            .borrow_mut()
            .insert(key.to_vec(), value.to_vec());
        old
    }

    fn remove(&mut self, key: &[u8]) -> Option<u32> {
        let old = self.size(key)?;
        self.delta.record_remove(KEY_HASH_LEN + key.len(), old);
        self.entries.borrow_mut().remove(key);
        Some(old)
    }

    fn delta(&self) -> StorageDelta {
        self.delta
    }
}
