//! Contract addresses, events and execution results.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Hash of contract code (BLAKE2b-256 of the Wasm bytes).
pub type CodeHash = [u8; 32];

/// The address of a deployed contract: 32 bytes, derived as documented in
/// [`ContractAddress::derive`].
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Encode,
    Decode,
    DecodeWithMemTracking,
    TypeInfo,
    MaxEncodedLen,
)]
pub struct ContractAddress(pub [u8; 32]);

impl ContractAddress {
    /// Domain separator hashed in front of every address preimage.
    pub const DOMAIN: &'static [u8] = b"qvm:address:v1";

    /// The preimage hashed into the address of the `nonce`-th contract deployed by an account
    /// whose SCALE encoding is `deployer`: `DOMAIN ++ deployer ++ nonce (u64, little endian)`.
    /// The address is the BLAKE2b-256 of this preimage (the hash is applied by the caller, so
    /// that this crate stays free of hashing dependencies).
    pub fn preimage(deployer: &[u8], nonce: u64) -> Vec<u8> {
        let mut buf = Vec::with_capacity(Self::DOMAIN.len() + deployer.len() + 8);
        buf.extend_from_slice(Self::DOMAIN);
        buf.extend_from_slice(deployer);
        buf.extend_from_slice(&nonce.to_le_bytes());
        buf
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl core::fmt::Debug for ContractAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("0x")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl From<[u8; 32]> for ContractAddress {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

/// An event a contract emitted with `qnet_emit_event`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ContractEvent {
    /// The topic bytes (the event's name, by convention).
    pub topic: Vec<u8>,
    /// Indexed topics (`qnet_emit_event_indexed`): 32-byte values clients filter by, in
    /// System's topic index.
    pub topics: Vec<[u8; 32]>,
    /// The data bytes.
    pub data: Vec<u8>,
}

/// What an entry point charged the account that sent it (its origin) for the storage its
/// contracts occupy, or refunded it for storage they freed: a deposit held on each contract's
/// account while the storage exists.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Debug,
    Encode,
    Decode,
    DecodeWithMemTracking,
    TypeInfo,
    MaxEncodedLen,
)]
pub enum StorageDeposit {
    /// Held from the origin (net of refunds).
    Charge(u128),
    /// Given back to the origin (net of charges).
    Refund(u128),
}

impl Default for StorageDeposit {
    fn default() -> Self {
        Self::Charge(0)
    }
}

impl StorageDeposit {
    /// The net amount charged (negative: refunded).
    pub fn net(self) -> i128 {
        match self {
            Self::Charge(c) => c.min(i128::MAX as u128) as i128,
            Self::Refund(r) => -(r.min(i128::MAX as u128) as i128),
        }
    }
}

/// What one execution of contract code produced.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ExecReturn {
    /// Bytes passed to `qnet_return` or `qnet_revert` (empty if the function just returned).
    pub output: Vec<u8>,
    /// `true` if the contract called `qnet_revert`: its effects were rolled back.
    pub reverted: bool,
    /// Gas consumed, including code loading.
    pub gas_used: u64,
    /// Events emitted (empty if reverted).
    pub events: Vec<ContractEvent>,
}
