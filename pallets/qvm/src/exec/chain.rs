//! The chain's [`Ext`]: the executing contract's child trie ([`ContractStorage`]) and its
//! account's balance in `Config::Currency`.

use super::ext::{Ext, TransferError};
use crate::{storage::ContractStorage, storage::StorageDelta, BalanceOf, Config};
use alloc::vec::Vec;
use codec::Decode;
use frame_support::traits::{
    fungible::{Inspect, Mutate},
    tokens::{Fortitude, Preservation},
};
use sp_runtime::{traits::UniqueSaturatedInto, DispatchError, TokenError};

/// The chain as the host functions of one frame see it.
pub struct ChainExt<T: Config> {
    storage: ContractStorage,
    /// The executing contract's account.
    account: T::AccountId,
}

impl<T: Config> ChainExt<T> {
    /// The chain seen by the contract whose child trie is `trie_id` and whose account is
    /// `account`.
    pub fn new(trie_id: &[u8], account: T::AccountId) -> Self {
        Self {
            storage: ContractStorage::new(trie_id),
            account,
        }
    }
}

/// Moves `value` from `from` to `to`, keeping `from` alive (a contract's account and a caller's
/// alike): the named reason when nothing moved.
pub fn transfer<T: Config>(
    from: &T::AccountId,
    to: &T::AccountId,
    value: BalanceOf<T>,
) -> Result<(), TransferError> {
    if value == Default::default() {
        return Ok(());
    }
    T::Currency::transfer(from, to, value, Preservation::Preserve)
        .map(|_| ())
        .map_err(transfer_error)
}

/// Moves everything `from` holds freely to `to`, closing `from`'s account (a terminated
/// contract's).
pub fn transfer_all<T: Config>(
    from: &T::AccountId,
    to: &T::AccountId,
) -> Result<(), TransferError> {
    let all = T::Currency::reducible_balance(from, Preservation::Expendable, Fortitude::Polite);
    if all == Default::default() {
        return Ok(());
    }
    T::Currency::transfer(from, to, all, Preservation::Expendable)
        .map(|_| ())
        .map_err(transfer_error)
}

/// The named reason of a failed `fungible` transfer.
fn transfer_error(e: DispatchError) -> TransferError {
    match e {
        DispatchError::Token(TokenError::BelowMinimum | TokenError::CannotCreate) => {
            TransferError::BelowMinimumBalance
        }
        _ => TransferError::InsufficientBalance,
    }
}

impl<T: Config> Ext for ChainExt<T> {
    fn read(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.storage.read(key)
    }

    fn size(&self, key: &[u8]) -> Option<u32> {
        self.storage.size(key)
    }

    fn write(&mut self, key: &[u8], value: &[u8]) -> Option<u32> {
        self.storage.write(key, value)
    }

    fn remove(&mut self, key: &[u8]) -> Option<u32> {
        self.storage.remove(key)
    }

    fn delta(&self) -> StorageDelta {
        self.storage.delta()
    }

    fn balance(&self) -> u128 {
        T::Currency::reducible_balance(&self.account, Preservation::Preserve, Fortitude::Polite)
            .unique_saturated_into()
    }

    fn minimum_balance(&self) -> u128 {
        T::Currency::minimum_balance().unique_saturated_into()
    }

    fn transfer(&mut self, to: &[u8], value: u128) -> Result<(), TransferError> {
        let mut input = to;
        let to = T::AccountId::decode(&mut input).map_err(|_| TransferError::InvalidAccount)?;
        if !input.is_empty() {
            return Err(TransferError::InvalidAccount);
        }
        let value =
            BalanceOf::<T>::try_from(value).map_err(|_| TransferError::InsufficientBalance)?;
        transfer::<T>(&self.account, &to, value)
    }

    fn code_capabilities(&self, code_hash: &[u8; 32]) -> Option<qvm_primitives::Capabilities> {
        crate::pallet::CodeInfoOf::<T>::get(code_hash).map(|info| info.capabilities)
    }
}
