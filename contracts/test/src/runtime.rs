//! The mock runtime TestVM runs on: System, Timestamp, Balances and the real pallet-qvm.

use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use qvm_primitives::{Capabilities, ExecutionMode, GasConfig, Limits};
use sp_runtime::{traits::IdentityLookup, AccountId32};

type Block = frame_system::mocking::MockBlock<Runtime>;

// The TestVM runtime.
frame_support::construct_runtime!(
    pub enum Runtime {
        System: frame_system,
        Timestamp: pallet_timestamp,
        Balances: pallet_balances,
        Qvm: pallet_qvm,
    }
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Runtime {
    type Block = Block;
    type AccountId = AccountId32;
    type Lookup = IdentityLookup<AccountId32>;
    type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Runtime {
    type Balance = u128;
    type AccountStore = System;
}

impl pallet_timestamp::Config for Runtime {
    type Moment = u64;
    type OnTimestampSet = ();
    type MinimumPeriod = frame_support::traits::ConstU64<1>;
    type WeightInfo = ();
}

parameter_types! {
    /// The gas schedule TestVM uses: calibrated from the pallet's benchmark weights, as in the
    /// reference runtime (both use ParityDB database weights, the node's database), so gas matches
    /// the chain's.
    pub static Schedule: GasConfig = pallet_qvm::schedule::calibrate::<()>();
    /// The execution mode.
    pub static Mode: ExecutionMode = ExecutionMode::Interpreter;
    /// Limits: the reference runtime's (`Limits::default()`), so a contract that passes its
    /// tests fits on chain.
    pub static QvmLimits: Limits = Limits::default();
    /// Every capability may be granted, as in the reference runtime (root may restrict them).
    pub const QvmCapabilities: Capabilities = Capabilities::ALL;
    /// Storage deposit per byte: 0 unless a test sets it ([`crate::TestVM::set_deposits`]), so
    /// balances in tests stay exact.
    pub static DepositPerByte: u128 = 0;
    /// Storage deposit per item (see `DepositPerByte`).
    pub static DepositPerItem: u128 = 0;
}

impl pallet_qvm::Config for Runtime {
    type Time = Timestamp;
    type WeightInfo = ();
    type Schedule = Schedule;
    type ExecutionMode = Mode;
    type Limits = QvmLimits;
    type MaxCodeLen = ConstU32<{ 128 * 1024 }>;
    /// Any signed account may upload code and instantiate contracts; a chain that wants
    /// governance-only deployment sets e.g. `EnsureSignedBy<Deployers, AccountId>` here.
    type UploadOrigin = frame_system::EnsureSigned<AccountId32>;
    type InstantiateOrigin = frame_system::EnsureSigned<AccountId32>;
    type Capabilities = QvmCapabilities;
    type GovernanceOrigin = frame_system::EnsureRoot<AccountId32>;
    type ExtensionWeight = ();
    type Currency = Balances;
    type RuntimeHoldReason = RuntimeHoldReason;
    type DepositPerByte = DepositPerByte;
    type DepositPerItem = DepositPerItem;
    type AddressMapper = pallet_qvm::address::AccountId32Mapper;
}
