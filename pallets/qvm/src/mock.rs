//! Mock runtime for the pallet's tests: System, Timestamp, Balances and Qvm.

use crate as pallet_qvm;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use qvm_primitives::{Capabilities, ExecutionMode, GasConfig, Limits};
use sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
    pub enum Test {
        System: frame_system,
        Timestamp: pallet_timestamp,
        Balances: pallet_balances,
        Qvm: pallet_qvm,
    }
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
    type Block = Block;
    type AccountId = AccountId32;
    type Lookup = IdentityLookup<AccountId32>;
    type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
    type AccountStore = System;
    type ExistentialDeposit = ExistentialDeposit;
}

impl pallet_timestamp::Config for Test {
    type Moment = u64;
    type OnTimestampSet = ();
    type MinimumPeriod = frame_support::traits::ConstU64<1>;
    type WeightInfo = ();
}

parameter_types! {
    /// Accounts allowed to upload code (`None`: every signed account).
    pub static Uploaders: Option<Vec<AccountId32>> = None;
    /// Accounts allowed to instantiate (`None`: every signed account).
    pub static Instantiators: Option<Vec<AccountId32>> = None;
    pub static Schedule: GasConfig = GasConfig::default();
    pub static Mode: ExecutionMode = ExecutionMode::Interpreter;
    pub static QvmLimits: Limits = Limits::default();
    /// The most contracts may be granted (`Config::Capabilities`).
    pub static ChainCapabilities: Capabilities = Capabilities::ALL;
    /// The minimum balance of an account.
    pub static ExistentialDeposit: u64 = 1;
    /// Storage deposit per byte (0: deposits off, as most tests want exact balances).
    pub static DepositPerByte: u64 = 0;
    /// Storage deposit per item.
    pub static DepositPerItem: u64 = 0;
}

impl pallet_qvm::Config for Test {
    type Time = Timestamp;
    type WeightInfo = ();
    type Schedule = Schedule;
    type ExecutionMode = Mode;
    type Limits = QvmLimits;
    type MaxCodeLen = ConstU32<{ 128 * 1024 }>;
    type UploadOrigin = EnsureListed<Uploaders>;
    type InstantiateOrigin = EnsureListed<Instantiators>;
    type Capabilities = ChainCapabilities;
    type GovernanceOrigin = frame_system::EnsureRoot<AccountId32>;
    type ExtensionWeight = ();
    type Currency = Balances;
    type RuntimeHoldReason = RuntimeHoldReason;
    type DepositPerByte = DepositPerByte;
    type DepositPerItem = DepositPerItem;
    type AddressMapper = pallet_qvm::address::AccountId32Mapper;
}

/// A signed origin whose account is on the list `L` (every signed account if `L` is `None`).
pub struct EnsureListed<L>(core::marker::PhantomData<L>);

impl<L: frame_support::traits::Get<Option<Vec<AccountId32>>>>
    frame_support::traits::EnsureOrigin<RuntimeOrigin> for EnsureListed<L>
{
    type Success = AccountId32;

    fn try_origin(o: RuntimeOrigin) -> Result<AccountId32, RuntimeOrigin> {
        match o.clone().into() {
            Ok(frame_system::RawOrigin::Signed(who))
                if L::get().is_none_or(|list| list.contains(&who)) =>
            {
                Ok(who)
            }
            _ => Err(o),
        }
    }

    #[cfg(feature = "runtime-benchmarks")]
    fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
        Ok(RuntimeOrigin::signed(ALICE))
    }
}

/// Test accounts.
pub const ALICE: AccountId32 = AccountId32::new([1u8; 32]);
/// Test accounts.
pub const BOB: AccountId32 = AccountId32::new([2u8; 32]);
/// Test accounts.
pub const CHARLIE: AccountId32 = AccountId32::new([3u8; 32]);

/// Externalities with funded accounts, at block 1 with timestamp 42_000.
pub fn new_test_ext() -> sp_io::TestExternalities {
    let mut t = frame_system::GenesisConfig::<Test>::default()
        .build_storage()
        .unwrap();
    pallet_balances::GenesisConfig::<Test> {
        balances: vec![(ALICE, 1_000_000), (BOB, 1_000_000), (CHARLIE, 1_000_000)],
        ..Default::default()
    }
    .assimilate_storage(&mut t)
    .unwrap();
    let mut ext = sp_io::TestExternalities::new(t);
    ext.execute_with(|| {
        System::set_block_number(1);
        pallet_timestamp::Now::<Test>::put(42_000);
    });
    ext
}
