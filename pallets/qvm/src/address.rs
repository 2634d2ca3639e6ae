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

use alloc::vec::Vec;
use codec::Encode;
use qvm_primitives::ContractAddress;
use sp_io::hashing::blake2_256;

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
