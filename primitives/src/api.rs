//! The `QvmApi` runtime API: dry runs and storage queries for clients (feature `runtime-api`).

// `decl_runtime_apis!` adds the block hash to every function: `deploy` takes eight arguments.
#![allow(clippy::too_many_arguments)]

use crate::{types::CodeHash, Capabilities, ContractAddress, ExecReturn, StorageDeposit};
use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// The result of a dry run.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct DryRun<R> {
    /// Gas the execution used with the limit given.
    pub gas_used: u64,
    /// The exact gas limit the same execution needs: with it the execution succeeds with the
    /// same output and events, with one gas less it does not (checked by running it again,
    /// also when contracts branch on `qnet_gas_left` or forward all their gas to callees).
    /// When the dry run failed or reverted this is the gas it used.
    pub gas_required: u64,
    /// The storage deposit the execution charges the origin (or refunds it): what a
    /// `storage_deposit_limit` must allow. Reported also when the run failed for lack of
    /// funds or of limit (`StorageDepositNotEnoughFunds`, `StorageDepositLimitExhausted`).
    pub storage_deposit: StorageDeposit,
    /// The outcome: output, revert flag and events, or the error.
    pub result: Result<R, DispatchError>,
}

/// A dry-run deployment's result: the address it would get and the constructor's return.
pub type DeployReturn = (ContractAddress, ExecReturn);

sp_api::decl_runtime_apis! {
    /// Dry runs of contract calls and deployments, and contract state queries.
    pub trait QvmApi<AccountId, Balance> where AccountId: Codec, Balance: Codec {
        /// Runs `method` of `contract` as `origin`, transferring `value` to it first, without
        /// committing anything. `gas_limit` `None` means the largest limit an extrinsic could
        /// have.
        fn call(
            origin: AccountId,
            contract: ContractAddress,
            value: Balance,
            method: Vec<u8>,
            input: Vec<u8>,
            gas_limit: Option<u64>,
        ) -> DryRun<ExecReturn>;

        /// Deploys `code` as `origin` with `value` (besides the minimum balance every new
        /// contract account receives) without committing anything. `capabilities` is the grant
        /// (`None`: what the code's imports require), as in the `deploy` extrinsic.
        fn deploy(
            origin: AccountId,
            code: Vec<u8>,
            value: Balance,
            input: Vec<u8>,
            gas_limit: Option<u64>,
            capabilities: Option<Capabilities>,
        ) -> DryRun<DeployReturn>;

        /// Runs `method` of `contract` read-only (a view): the VM refuses every state change
        /// with `StateChangeDenied`, and nothing is committed.
        fn query(
            origin: AccountId,
            contract: ContractAddress,
            method: Vec<u8>,
            input: Vec<u8>,
            gas_limit: Option<u64>,
        ) -> DryRun<ExecReturn>;

        /// The value under `key` in `contract`'s storage (`Err` if there is no such contract).
        fn get_storage(contract: ContractAddress, key: Vec<u8>) -> Result<Option<Vec<u8>>, DispatchError>;

        /// The code hash `contract` runs.
        fn code_hash(contract: ContractAddress) -> Option<CodeHash>;
    }
}
