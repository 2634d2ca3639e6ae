//! # qvm-parachain-runtime
//!
//! The parachain flavour of the QVM reference runtime: System, ParachainSystem, Timestamp,
//! ParachainInfo, WeightReclaim, Balances, TransactionPayment, Sudo, Utility, Aura, AuraExt and
//! Qvm, with the runtime APIs `polkadot-omni-node` needs plus `QvmApi`. A fixed collator set
//! (the Aura authorities of the genesis preset) and no XCM: upward, downward and horizontal
//! messages are neither sent nor handled.
//!
//! QVM itself (`qvm.rs`), the shared types (`common.rs`), pallet configurations
//! (`common_configs.rs`) and runtime APIs (`common_apis.rs`) are the solochain's files,
//! included here, so both flavours run the same contract platform with the same limits, gas
//! schedule and block weights.
#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

#[macro_use]
#[path = "../../src/common_apis.rs"]
mod common_apis;
mod apis;
pub use apis::RuntimeApi;
#[path = "../../src/common.rs"]
mod common;
#[path = "../../src/common_configs.rs"]
mod common_configs;
pub mod configs;
pub mod genesis_config_presets;
pub use common::*;
#[path = "../../src/qvm.rs"]
pub mod qvm;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_qvm::Call as QvmCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

impl_opaque_keys! {
    /// Session keys of a collator.
    pub struct SessionKeys {
        /// Block production key.
        pub aura: Aura,
    }
}

/// Runtime version.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: Cow::Borrowed("qvm-parachain"),
    impl_name: Cow::Borrowed("qvm-parachain"),
    authoring_version: 1,
    spec_version: 101,
    impl_version: 1,
    apis: apis::RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};

/// Transaction extensions checked on every extrinsic: the solochain's, with Cumulus'
/// `StorageWeightReclaim` (which reclaims unused proof size as well as unused `ref_time`) in
/// place of `frame_system::WeightReclaim`.
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
    Runtime,
    (
        frame_system::CheckNonZeroSender<Runtime>,
        frame_system::CheckSpecVersion<Runtime>,
        frame_system::CheckTxVersion<Runtime>,
        frame_system::CheckGenesis<Runtime>,
        frame_system::CheckEra<Runtime>,
        frame_system::CheckNonce<Runtime>,
        frame_system::CheckWeight<Runtime>,
        pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
    ),
>;

/// The transaction extensions of a signed extrinsic with `nonce`, immortal.
pub fn tx_extension(nonce: Nonce) -> TxExtension {
    cumulus_pallet_weight_reclaim::StorageWeightReclaim::new((
        frame_system::CheckNonZeroSender::<Runtime>::new(),
        frame_system::CheckSpecVersion::<Runtime>::new(),
        frame_system::CheckTxVersion::<Runtime>::new(),
        frame_system::CheckGenesis::<Runtime>::new(),
        frame_system::CheckEra::<Runtime>::from(generic::Era::Immortal),
        frame_system::CheckNonce::<Runtime>::from(nonce),
        frame_system::CheckWeight::<Runtime>::new(),
        pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
    ))
}

/// Unchecked extrinsic.
pub type UncheckedExtrinsic =
    generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// The payload being signed.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Dispatches to the pallets.
pub type Executive = frame_executive::Executive<
    Runtime,
    Block,
    frame_system::ChainContext<Runtime>,
    Runtime,
    AllPalletsWithSystem,
>;

#[frame_support::runtime]
mod runtime {
    #[runtime::runtime]
    #[runtime::derive(
        RuntimeCall,
        RuntimeEvent,
        RuntimeError,
        RuntimeOrigin,
        RuntimeFreezeReason,
        RuntimeHoldReason,
        RuntimeSlashReason,
        RuntimeLockId,
        RuntimeTask,
        RuntimeViewFunction
    )]
    pub struct Runtime;

    #[runtime::pallet_index(0)]
    pub type System = frame_system;
    #[runtime::pallet_index(1)]
    pub type ParachainSystem = cumulus_pallet_parachain_system;
    #[runtime::pallet_index(2)]
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(3)]
    pub type ParachainInfo = staging_parachain_info;
    #[runtime::pallet_index(4)]
    pub type WeightReclaim = cumulus_pallet_weight_reclaim;

    #[runtime::pallet_index(10)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(11)]
    pub type TransactionPayment = pallet_transaction_payment;
    #[runtime::pallet_index(12)]
    pub type Sudo = pallet_sudo;
    #[runtime::pallet_index(13)]
    pub type Utility = pallet_utility;

    #[runtime::pallet_index(20)]
    pub type Aura = pallet_aura;
    #[runtime::pallet_index(21)]
    pub type AuraExt = cumulus_pallet_aura_ext;

    #[runtime::pallet_index(30)]
    pub type Qvm = pallet_qvm;
}

cumulus_pallet_parachain_system::register_validate_block! {
    Runtime = Runtime,
    BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}
