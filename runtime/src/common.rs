//! Types and constants both flavours of the reference runtime share (`qvm-parachain-runtime`
//! includes this file): accounts, balances, blocks, block time, the opaque types a node uses.

use sp_runtime::{
    generic,
    traits::{BlakeTwo256, IdentifyAccount, Verify},
    MultiAddress, MultiSignature,
};

/// Target block time.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration (one block per slot).
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// One unit of the native token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a unit.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// A millionth of a unit.
pub const MICRO_UNIT: Balance = 1_000_000;
/// Existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Balance of every endowed dev account in the genesis presets.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The well-known dev accounts (Alice, Bob, Charlie, Dave, Eve, Ferdie and their stashes), endowed
/// by the genesis presets.
pub fn dev_accounts() -> alloc::vec::Vec<AccountId> {
    use sp_keyring::Sr25519Keyring;
    Sr25519Keyring::iter()
        .filter(|k| *k != Sr25519Keyring::One && *k != Sr25519Keyring::Two)
        .map(|k| k.to_account_id())
        .collect()
}

/// The JSON patch of genesis preset `id`: `development` or `local_testnet`, built by the given
/// functions (each flavour has its own genesis).
pub fn preset_patch(
    id: &sp_genesis_builder::PresetId,
    development: fn() -> serde_json::Value,
    local_testnet: fn() -> serde_json::Value,
) -> Option<alloc::vec::Vec<u8>> {
    let patch = match id.as_ref() {
        sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
        sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
        _ => return None,
    };
    serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The names of the genesis presets both flavours have.
pub fn preset_names() -> alloc::vec::Vec<sp_genesis_builder::PresetId> {
    alloc::vec![
        sp_genesis_builder::PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
        sp_genesis_builder::PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
    ]
}

/// Signature of transactions.
pub type Signature = MultiSignature;
/// Account id: the public key of the signing scheme (32 bytes).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction nonce.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// Address format of extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Opaque types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
    use super::BlockNumber;
    use sp_runtime::{
        generic,
        traits::{BlakeTwo256, Hash as HashT},
    };

    pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

    /// Opaque block header type.
    pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
    /// Opaque block type.
    pub type Block = generic::Block<Header, UncheckedExtrinsic>;
    /// Opaque block identifier type.
    pub type BlockId = generic::BlockId<Block>;
    /// Opaque block hash type.
    pub type Hash = <BlakeTwo256 as HashT>::Output;
}
