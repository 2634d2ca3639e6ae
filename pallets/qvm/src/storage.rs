//! A contract's key-value storage: its own default child trie (Patricia), accessed through
//! `sp-io` child-storage host functions, with usage accounting.

use alloc::vec::Vec;
use frame_support::storage::child::{self, ChildInfo};

/// Net change of a contract's storage usage during one execution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StorageDelta {
    /// Change in the number of entries.
    pub items: i64,
    /// Change in stored bytes (keys plus values).
    pub bytes: i64,
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
        child::get_raw(&self.info, key)
    }

    /// The length of the value under `key`.
    pub fn size(&self, key: &[u8]) -> Option<u32> {
        child::len(&self.info, key)
    }

    /// Stores `value` under `key`; returns the length of the value it replaced.
    pub fn write(&mut self, key: &[u8], value: &[u8]) -> Option<u32> {
        let old = self.size(key);
        match old {
            Some(old) => self.delta.bytes += value.len() as i64 - i64::from(old),
            None => {
                self.delta.items += 1;
                self.delta.bytes += (key.len() + value.len()) as i64;
            }
        }
        child::put_raw(&self.info, key, value);
        old
    }

    /// Removes `key`; returns the length of the removed value, `None` if there was none.
    pub fn remove(&mut self, key: &[u8]) -> Option<u32> {
        let old = self.size(key)?;
        self.delta.items -= 1;
        self.delta.bytes -= key.len() as i64 + i64::from(old);
        child::kill(&self.info, key);
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
