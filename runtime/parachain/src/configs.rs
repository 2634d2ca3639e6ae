//! Pallet configurations of the parachain: System, ParachainSystem, ParachainInfo,
//! WeightReclaim, Timestamp, Aura and AuraExt. Those both flavours share are in
//! `common_configs.rs` (re-exported here), QVM's in `qvm.rs`.

use crate::{
    AccountId, Aura, Balance, Block, Hash, Nonce, PalletInfo, Runtime, RuntimeCall, RuntimeEvent,
    RuntimeOrigin, RuntimeTask, SLOT_DURATION,
};
use cumulus_pallet_parachain_system::RelayNumberMonotonicallyIncreases;
use frame_support::{
    derive_impl, parameter_types,
    traits::{ConstBool, ConstU32, ConstU64},
    weights::{constants::ParityDbWeight, Weight},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// The relay chain's slot (block time), in milliseconds.
pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;
/// Parachain blocks the relay chain may include per relay block.
pub const BLOCK_PROCESSING_VELOCITY: u32 = 1;
/// Parachain blocks that may be built ahead of their inclusion (asynchronous backing).
pub const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;

parameter_types! {
    /// No XCM: nothing of a block's weight is reserved for downward or horizontal messages.
    pub const ReservedXcmpWeight: Weight = Weight::zero();
    pub const ReservedDmpWeight: Weight = Weight::zero();
}

#[derive_impl(frame_system::config_preludes::ParaChainDefaultConfig)]
impl frame_system::Config for Runtime {
    type Block = Block;
    type BlockWeights = RuntimeBlockWeights;
    type BlockLength = RuntimeBlockLength;
    type AccountId = AccountId;
    type Nonce = Nonce;
    type Hash = Hash;
    type BlockHashCount = ConstU32<256>;
    /// ParityDB's database weights: the database `polkadot-omni-node` runs by default.
    type DbWeight = ParityDbWeight;
    /// Weights that use `DbWeight` (the `()` defaults are fixed to RocksDB's).
    type SystemWeightInfo = frame_system::weights::SubstrateWeight<Runtime>;
    type ExtensionsWeightInfo = frame_system::SubstrateExtensionsWeight<Runtime>;
    type Version = Version;
    type AccountData = pallet_balances::AccountData<Balance>;
    type SS58Prefix = SS58Prefix;
    type MaxConsumers = ConstU32<16>;
    /// Runtime upgrades go through the relay chain's validation-code upgrade.
    type OnSetCode = cumulus_pallet_parachain_system::ParachainSetCode<Self>;
}

/// Aura with asynchronous backing: a collator may build up to `UNINCLUDED_SEGMENT_CAPACITY`
/// blocks ahead of their inclusion, `BLOCK_PROCESSING_VELOCITY` per relay chain slot.
pub type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
    Runtime,
    RELAY_CHAIN_SLOT_DURATION_MILLIS,
    BLOCK_PROCESSING_VELOCITY,
    UNINCLUDED_SEGMENT_CAPACITY,
>;

impl cumulus_pallet_parachain_system::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type OnSystemEvent = ();
    type SelfParaId = staging_parachain_info::Pallet<Runtime>;
    type OutboundXcmpMessageSource = ();
    type DmpQueue = ();
    type ReservedDmpWeight = ReservedDmpWeight;
    type XcmpMessageHandler = ();
    type ReservedXcmpWeight = ReservedXcmpWeight;
    type CheckAssociatedRelayNumber = RelayNumberMonotonicallyIncreases;
    type WeightInfo = cumulus_pallet_parachain_system::weights::SubstrateWeight<Runtime>;
    type ConsensusHook = ConsensusHook;
    type RelayParentOffset = ConstU32<0>;
    type SchedulingSignatureVerifier = ();
}

impl staging_parachain_info::Config for Runtime {}

impl cumulus_pallet_weight_reclaim::Config for Runtime {
    /// The crate's own weights (`SubstrateWeight` is not exported): a few database reads.
    type WeightInfo = ();
}

impl pallet_timestamp::Config for Runtime {
    type Moment = u64;
    type OnTimestampSet = Aura;
    /// Aura checks the slot; several blocks may share one (`AllowMultipleBlocksPerSlot`).
    type MinimumPeriod = ConstU64<0>;
    type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_aura::Config for Runtime {
    type AuthorityId = AuraId;
    type DisabledValidators = ();
    type MaxAuthorities = ConstU32<32>;
    type AllowMultipleBlocksPerSlot = ConstBool<true>;
    type SlotDuration = ConstU64<SLOT_DURATION>;
}

impl cumulus_pallet_aura_ext::Config for Runtime {}

pub use crate::common_configs::*;
pub use crate::qvm::TxExtensionWeight;
