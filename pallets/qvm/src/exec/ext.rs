//! The boundary between the host functions and the chain.
//!
//! Host functions reach the chain only through an [`Ext`]: the executing contract's storage
//! and its account's balance (and, as cross-contract calls arrive, the pallet behind it).
//! Everything else they use — the call's context ([`super::ExecContext`]), its output, its
//! events — is plain data of the execution. [`super::chain::ChainExt`] is the chain's
//! implementation (a child trie through `sp-io`, balances through `Config::Currency`);
//! [`MemoryStorage`] keeps entries and balances in memory, so host functions can be tested
//! without externalities.

use crate::storage::{StorageDelta, KEY_HASH_LEN};
use alloc::{collections::BTreeMap, rc::Rc, vec::Vec};
use core::cell::RefCell;
use qvm_primitives::Capabilities;

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
    /// What the executing contract can spend: its balance above the minimum balance its
    /// account keeps.
    fn balance(&self) -> u128;
    /// The chain's minimum balance (existential deposit).
    fn minimum_balance(&self) -> u128;
    /// Transfers `value` from the executing contract to the account whose SCALE encoding is
    /// `to`. Nothing moves unless it returns `Ok`.
    fn transfer(&mut self, to: &[u8], value: u128) -> Result<(), TransferError>;
    /// The capabilities the code stored under `code_hash` requires (`None`: no such code).
    fn code_capabilities(&self, code_hash: &[u8; 32]) -> Option<Capabilities>;
}

/// Why a transfer moved nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// More than the sender can spend (see [`Ext::balance`]).
    InsufficientBalance,
    /// The recipient would stay below the minimum balance.
    BelowMinimumBalance,
    /// `to` is not the encoding of an account id.
    InvalidAccount,
}

/// Balances of [`MemoryStorage`]: accounts by encoded id, the executing contract's own id and
/// the minimum balance.
#[derive(Clone, Debug, Default)]
pub struct MemoryBalances {
    /// Balance by encoded account id.
    pub accounts: BTreeMap<Vec<u8>, u128>,
    /// The executing contract's account.
    pub own: Vec<u8>,
    /// The minimum balance an account keeps.
    pub minimum: u128,
}

/// Contract storage in memory, accounted as the chain accounts it (entries and bytes of
/// hashed keys plus values): for tests of the host functions without externalities. Clones
/// share the entries (each keeps its own usage delta, as each execution does).
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    entries: Rc<RefCell<BTreeMap<Vec<u8>, Vec<u8>>>>,
    balances: Rc<RefCell<MemoryBalances>>,
    codes: Rc<RefCell<BTreeMap<[u8; 32], Capabilities>>>,
    delta: StorageDelta,
}

impl MemoryStorage {
    /// Storage whose contract account `own` holds `balance`, on a chain whose minimum balance
    /// is `minimum`.
    pub fn with_balance(own: &[u8], balance: u128, minimum: u128) -> Self {
        let s = Self::default();
        {
            let mut b = s.balances.borrow_mut();
            b.own = own.to_vec();
            b.minimum = minimum;
            b.accounts.insert(own.to_vec(), balance);
        }
        s
    }

    /// Stores a code under `code_hash` requiring `capabilities` (for `qnet_set_code_hash`).
    pub fn with_code(self, code_hash: [u8; 32], capabilities: Capabilities) -> Self {
        self.codes.borrow_mut().insert(code_hash, capabilities);
        self
    }

    /// The balance of the account encoded as `who` (for inspection).
    pub fn balance_of(&self, who: &[u8]) -> u128 {
        self.balances
            .borrow()
            .accounts
            .get(who)
            .copied()
            .unwrap_or(0)
    }

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

    fn balance(&self) -> u128 {
        let b = self.balances.borrow();
        self.balance_of(&b.own).saturating_sub(b.minimum)
    }

    fn minimum_balance(&self) -> u128 {
        self.balances.borrow().minimum
    }

    fn transfer(&mut self, to: &[u8], value: u128) -> Result<(), TransferError> {
        if to.len() != 32 {
            return Err(TransferError::InvalidAccount);
        }
        if value == 0 {
            return Ok(());
        }
        if value > self.balance() {
            return Err(TransferError::InsufficientBalance);
        }
        let mut b = self.balances.borrow_mut();
        let own = b.own.clone();
        let theirs = b.accounts.get(to).copied().unwrap_or(0);
        if theirs.saturating_add(value) < b.minimum {
            return Err(TransferError::BelowMinimumBalance);
        }
        if let Some(mine) = b.accounts.get_mut(&own) {
            *mine = mine.saturating_sub(value);
        }
        b.accounts.insert(to.to_vec(), theirs.saturating_add(value));
        Ok(())
    }

    fn code_capabilities(&self, code_hash: &[u8; 32]) -> Option<Capabilities> {
        self.codes.borrow().get(code_hash).copied()
    }
}
