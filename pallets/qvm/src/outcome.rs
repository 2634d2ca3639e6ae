//! The result type of the pallet's direct (non-extrinsic) entry points.

use codec::{Decode, Encode};
use qvm_primitives::StorageDeposit;
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// Gas used and result of a deploy, instantiate or call, as returned by
/// `Pallet::bare_deploy`, `Pallet::bare_instantiate` and `Pallet::bare_call` (and by the
/// runtime API's dry runs).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ContractOutcome<R> {
    /// Gas consumed (the whole limit on `OutOfGas`; 0 if nothing ran).
    pub gas_used: u64,
    /// Proof-size bytes accounted for the execution: the code read, plus trie path, key and
    /// value of every storage access (never more than the gas limit).
    pub proof_size: u64,
    /// The storage deposit charged to (or refunded to) the origin: computed also when the
    /// entry point then failed for lack of funds or of deposit limit.
    pub storage_deposit: StorageDeposit,
    /// The result: for calls an `ExecReturn`, for deployments the address and `ExecReturn`.
    pub result: Result<R, DispatchError>,
}

impl<R> ContractOutcome<R> {
    /// An outcome where nothing ran: no gas used, nothing proven, `error`.
    pub fn failed(error: impl Into<DispatchError>) -> Self {
        Self {
            gas_used: 0,
            proof_size: 0,
            storage_deposit: StorageDeposit::default(),
            result: Err(error.into()),
        }
    }
}
