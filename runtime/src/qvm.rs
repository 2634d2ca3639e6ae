//! QVM in a runtime: the `pallet_qvm::Config` impl, the weight of the transaction extensions it
//! needs, and the bodies of the `QvmApi` runtime API. Shared by both flavours of the reference
//! runtime (the solochain `qvm-runtime` and `qvm-parachain-runtime`, which includes this file):
//! a chain builder copies this file into their runtime, which must name `Runtime`, `Balances`,
//! `Timestamp`, `RuntimeHoldReason`, `RuntimeCall`, `EXISTENTIAL_DEPOSIT`, `AccountId`,
//! `Balance`, and a `tx_extension(nonce)` function building its `TxExtension`, then delegates
//! the `QvmApi` impl in `impl_runtime_apis!` to [`api`] (see `apis.rs`).

use crate::{
    AccountId, Balance, Balances, Runtime, RuntimeCall, RuntimeHoldReason, Timestamp,
    EXISTENTIAL_DEPOSIT,
};
use frame_support::{parameter_types, traits::ConstU32, weights::Weight};
use qvm_primitives::{Capabilities, ExecutionMode, Limits};

parameter_types! {
    /// Uploads validate and translate every function (code the translator rejects is refused
    /// at upload); executions translate each function when first entered, whatever the mode.
    pub const QvmExecutionMode: ExecutionMode = ExecutionMode::FullJIT;
    /// The reference limits (TestVM uses the same): 8 MiB of contract memory, so that the
    /// largest code with the most initial memory is loadable by one extrinsic (checked, with the
    /// heap allocator's 32 MiB per allocation, by the pallet's `integrity_test`).
    pub QvmLimits: Limits = Limits::default();
    /// Deployers may grant contracts any capability; root (governance) may restrict them with
    /// `Qvm::set_allowed_capabilities`.
    pub const QvmCapabilities: Capabilities = Capabilities::ALL;
    /// Storage deposits: a hundredth of a unit per item (ten times the existential deposit),
    /// a ten-thousandth per byte: 10 KiB of code hold about 1 unit, a 100-byte storage entry
    /// 0.02 units, given back when the storage is freed.
    pub const QvmDepositPerItem: Balance = 10 * EXISTENTIAL_DEPOSIT;
    pub const QvmDepositPerByte: Balance = EXISTENTIAL_DEPOSIT / 10;
}

impl pallet_qvm::Config for Runtime {
    type Time = Timestamp;
    type WeightInfo = pallet_qvm::weights::SubstrateWeight<Runtime>;
    /// Gas costs and gas → weight conversion calibrated from the same benchmark results.
    type Schedule = pallet_qvm::CalibratedSchedule<pallet_qvm::weights::SubstrateWeight<Runtime>>;
    type ExecutionMode = QvmExecutionMode;
    type Limits = QvmLimits;
    type MaxCodeLen = ConstU32<{ 128 * 1024 }>;
    /// Any signed account may upload code and instantiate contracts; a chain that wants
    /// governance-only deployment sets e.g. `EnsureSignedBy<Deployers, AccountId>` here.
    type UploadOrigin = frame_system::EnsureSigned<AccountId>;
    type InstantiateOrigin = frame_system::EnsureSigned<AccountId>;
    type Capabilities = QvmCapabilities;
    type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
    type ExtensionWeight = TxExtensionWeight;
    type Currency = Balances;
    type RuntimeHoldReason = RuntimeHoldReason;
    type DepositPerByte = QvmDepositPerByte;
    type DepositPerItem = QvmDepositPerItem;
    type AddressMapper = pallet_qvm::address::AccountId32Mapper;
}

/// The weight of the runtime's transaction extensions (`crate::TxExtension`), which every
/// signed extrinsic carries besides its call: the extensions' benchmarked weights do not
/// depend on their values or on the call.
pub struct TxExtensionWeight;

impl frame_support::traits::Get<Weight> for TxExtensionWeight {
    fn get() -> Weight {
        use sp_runtime::traits::TransactionExtension;
        let call = RuntimeCall::System(frame_system::Call::remark {
            remark: alloc::vec::Vec::new(),
        });
        crate::tx_extension(0).weight(&call)
    }
}

/// The `QvmApi` runtime API's bodies: `impl_runtime_apis!` delegates each method here.
pub mod api {
    use super::{AccountId, Balance};
    use crate::Qvm;
    use alloc::vec::Vec;
    use qvm_primitives::{
        api::{DeployReturn, DryRun},
        Capabilities, CodeHash, ContractAddress, ExecReturn,
    };
    use sp_runtime::DispatchError;

    /// A dry run's result with the exact gas it requires (`pallet_qvm::estimate`).
    fn dry_run<R>((outcome, gas_required): (pallet_qvm::ContractOutcome<R>, u64)) -> DryRun<R> {
        DryRun {
            gas_used: outcome.gas_used,
            gas_required,
            storage_deposit: outcome.storage_deposit,
            result: outcome.result,
        }
    }

    /// A dry-run call's gas limit: the one given, or the largest a `call` extrinsic with this
    /// method name and input can carry.
    fn call_gas_limit(gas_limit: Option<u64>, method: &[u8], input: &[u8]) -> u64 {
        gas_limit.unwrap_or_else(|| Qvm::max_call_gas_limit(method.len() + input.len()))
    }

    /// `QvmApi::call`: a dry-run call.
    pub fn call(
        origin: AccountId,
        contract: ContractAddress,
        value: Balance,
        method: Vec<u8>,
        input: Vec<u8>,
        gas_limit: Option<u64>,
    ) -> DryRun<ExecReturn> {
        let limit = call_gas_limit(gas_limit, &method, &input);
        dry_run(Qvm::dry_run_call(
            origin, contract, value, &method, input, limit,
        ))
    }

    /// `QvmApi::deploy`: a dry-run deployment.
    pub fn deploy(
        origin: AccountId,
        code: Vec<u8>,
        value: Balance,
        input: Vec<u8>,
        gas_limit: Option<u64>,
        capabilities: Option<Capabilities>,
    ) -> DryRun<DeployReturn> {
        let limit = gas_limit.unwrap_or_else(|| Qvm::max_deploy_gas_limit(code.len(), input.len()));
        dry_run(Qvm::dry_run_deploy(
            origin,
            code,
            value,
            input,
            limit,
            capabilities,
        ))
    }

    /// `QvmApi::query`: a read-only dry run.
    pub fn query(
        origin: AccountId,
        contract: ContractAddress,
        method: Vec<u8>,
        input: Vec<u8>,
        gas_limit: Option<u64>,
    ) -> DryRun<ExecReturn> {
        let limit = call_gas_limit(gas_limit, &method, &input);
        dry_run(Qvm::dry_run_query(origin, contract, &method, input, limit))
    }

    /// `QvmApi::get_storage`: a contract's storage entry.
    pub fn get_storage(
        contract: ContractAddress,
        key: Vec<u8>,
    ) -> Result<Option<Vec<u8>>, DispatchError> {
        Qvm::get_storage(contract, &key).map_err(Into::into)
    }

    /// `QvmApi::code_hash`: a contract's code hash.
    pub fn code_hash(contract: ContractAddress) -> Option<CodeHash> {
        Qvm::code_hash(&contract)
    }
}
