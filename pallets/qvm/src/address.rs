//! Contract address and child-trie id derivation.
//!
//! The address of the contract an account deploys with nonce `n` (the account's QVM deploy
//! counter, starting at 0 and incremented by every successful `deploy`/`instantiate`) is
//!
//! ```text
//! address = blake2_256("qvm:address:v1" ++ SCALE(deployer) ++ n.to_le_bytes())
//! ```
//!
//! For `AccountId32` the SCALE encoding is the 32 raw bytes. The contract's storage lives in the
//! default child trie with storage key `"qvm:" ++ address` (see [`trie_id`]).
//!
//! ## Contracts as accounts
//!
//! Every contract has an account of the chain's `AccountId` type, `Config::AddressMapper`
//! applied to its address; with [`AccountId32Mapper`] (32-byte account ids) it is the same 32
//! bytes, so wallets, explorers and `pallet-balances` see a contract's address as an ordinary
//! account. The address is a BLAKE2-256 hash nobody holds a key for, so no one can sign for a
//! contract's account: only the contract moves its funds (`qnet_transfer`). Instantiation funds
//! the account with the minimum balance (existential deposit), paid by the deployer, so it
//! exists from the first block of the contract's life and a contract's spendable balance
//! (`qnet_balance`) is what it holds above that minimum.

use alloc::vec::Vec;
use codec::Encode;
use qvm_primitives::ContractAddress;
use sp_io::hashing::blake2_256;
use sp_runtime::traits::Convert;

/// `Config::AddressMapper` for account ids made of 32 bytes (`AccountId32`): a contract's
/// account is its address.
pub struct AccountId32Mapper;

impl<AccountId: From<[u8; 32]>> Convert<ContractAddress, AccountId> for AccountId32Mapper {
    fn convert(address: ContractAddress) -> AccountId {
        AccountId::from(address.0)
    }
}

/// Prefix of every contract's child-trie id.
pub const TRIE_ID_PREFIX: &[u8] = b"qvm:";

/// The address of the `nonce`-th contract deployed by `deployer`.
pub fn contract_address<AccountId: Encode>(deployer: &AccountId, nonce: u64) -> ContractAddress {
    ContractAddress(blake2_256(&ContractAddress::preimage(
        &deployer.encode(),
        nonce,
    )))
}

/// The child-trie id (unprefixed storage key of the default child trie) of a contract.
pub fn trie_id(address: &ContractAddress) -> Vec<u8> {
    let mut id = Vec::with_capacity(TRIE_ID_PREFIX.len() + 32);
    id.extend_from_slice(TRIE_ID_PREFIX);
    id.extend_from_slice(address.as_bytes());
    id
}
