//! # qvm-runtime
//!
//! The reference FRAME runtime for QVM: System, Timestamp, Aura, Grandpa, Balances,
//! TransactionPayment, Sudo, Utility and Qvm, with the standard runtime APIs plus `QvmApi`.
//! Chain builders copy `qvm.rs` (the `pallet_qvm::Config` impl and the `QvmApi` bodies) and the
//! `QvmApi` block of `apis.rs` into their own runtime; `qvm-parachain-runtime` does the same.
#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

#[macro_use]
mod common_apis;
mod apis;
pub use apis::RuntimeApi;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
mod common;
mod common_configs;
pub mod configs;
pub mod genesis_config_presets;
pub use common::*;
pub mod qvm;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_qvm::Call as QvmCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

impl_opaque_keys! {
    /// Session keys of an authority.
    pub struct SessionKeys {
        /// Block production key.
        pub aura: Aura,
        /// Finality key.
        pub grandpa: Grandpa,
    }
}

/// Runtime version.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: Cow::Borrowed("qvm"),
    impl_name: Cow::Borrowed("qvm"),
    authoring_version: 1,
    spec_version: 101,
    impl_version: 1,
    apis: apis::RUNTIME_API_VERSIONS,
    transaction_version: 2,
    system_version: 1,
};

/// Transaction extensions checked on every extrinsic.
pub type TxExtension = (
    frame_system::CheckNonZeroSender<Runtime>,
    frame_system::CheckSpecVersion<Runtime>,
    frame_system::CheckTxVersion<Runtime>,
    frame_system::CheckGenesis<Runtime>,
    frame_system::CheckEra<Runtime>,
    frame_system::CheckNonce<Runtime>,
    frame_system::CheckWeight<Runtime>,
    pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
    frame_system::WeightReclaim<Runtime>,
);

/// The transaction extensions of a signed extrinsic with `nonce`, immortal.
pub fn tx_extension(nonce: Nonce) -> TxExtension {
    (
        frame_system::CheckNonZeroSender::<Runtime>::new(),
        frame_system::CheckSpecVersion::<Runtime>::new(),
        frame_system::CheckTxVersion::<Runtime>::new(),
        frame_system::CheckGenesis::<Runtime>::new(),
        frame_system::CheckEra::<Runtime>::from(generic::Era::Immortal),
        frame_system::CheckNonce::<Runtime>::from(nonce),
        frame_system::CheckWeight::<Runtime>::new(),
        pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
        frame_system::WeightReclaim::<Runtime>::new(),
    )
}

/// Unchecked extrinsic.
pub type UncheckedExtrinsic =
    generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Signed block.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block id.
pub type BlockId = generic::BlockId<Block>;
/// The payload being signed.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations beyond the pallets' own.
#[allow(unused_parens)]
type Migrations = ();

/// Dispatches to the pallets.
pub type Executive = frame_executive::Executive<
    Runtime,
    Block,
    frame_system::ChainContext<Runtime>,
    Runtime,
    AllPalletsWithSystem,
    Migrations,
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
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(2)]
    pub type Aura = pallet_aura;
    #[runtime::pallet_index(3)]
    pub type Grandpa = pallet_grandpa;
    #[runtime::pallet_index(4)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(5)]
    pub type TransactionPayment = pallet_transaction_payment;
    #[runtime::pallet_index(6)]
    pub type Sudo = pallet_sudo;
    #[runtime::pallet_index(7)]
    pub type Utility = pallet_utility;
    #[runtime::pallet_index(8)]
    pub type Qvm = pallet_qvm;
}
