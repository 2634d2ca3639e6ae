//! Pallet configurations both flavours of the reference runtime share (`qvm-parachain-runtime`
//! includes this file): block weights and length, Balances, TransactionPayment, Sudo, Utility.
//! QVM's own is in `qvm.rs`.

use crate::{
    Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
    System, EXISTENTIAL_DEPOSIT,
};
use frame_support::{
    dispatch::DispatchClass,
    parameter_types,
    traits::{ConstU128, ConstU32, ConstU8, VariantCountOf},
    weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{traits::One, Perbill};

/// Share of a block's weight and length normal (non-operational) extrinsics may use.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Proof size a block may carry (bytes): the relay chain's `MAX_POV_SIZE`, so that the
/// parachain flavour and the solochain agree on what fits in a block.
pub const MAX_BLOCK_PROOF_SIZE: u64 = 10 * 1024 * 1024;

parameter_types! {
    pub const Version: sp_version::RuntimeVersion = crate::VERSION;
    /// The generic Substrate address format.
    pub const SS58Prefix: u8 = 42;
    /// 2 seconds of compute and 10 MiB of proof in a 6 second block (a parachain with
    /// asynchronous backing gets the same 2 seconds of execution per block).
    pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
        Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, MAX_BLOCK_PROOF_SIZE),
        NORMAL_DISPATCH_RATIO,
    );
    pub RuntimeBlockLength: BlockLength = BlockLength::builder()
        .max_length(5 * 1024 * 1024)
        .modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
        .build();
    pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_balances::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type MaxLocks = ConstU32<50>;
    type MaxReserves = ();
    type ReserveIdentifier = [u8; 8];
    type Balance = Balance;
    type DustRemoval = ();
    type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
    type AccountStore = System;
    type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
    type FreezeIdentifier = RuntimeFreezeReason;
    type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
    type RuntimeHoldReason = RuntimeHoldReason;
    type RuntimeFreezeReason = RuntimeFreezeReason;
    type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type OnChargeTransaction = FungibleAdapter<Balances, ()>;
    type OperationalFeeMultiplier = ConstU8<5>;
    type WeightToFee = IdentityFee<Balance>;
    type LengthToFee = IdentityFee<Balance>;
    type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
    type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type PalletsOrigin = crate::OriginCaller;
    type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}
