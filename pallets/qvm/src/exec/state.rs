//! Per-execution host state and the host-side traps.

use super::ext::Ext;
use alloc::{boxed::Box, vec::Vec};
use core::fmt;
use qvm_primitives::{Capabilities, ContractEvent, GasConfig, Limits};
use wasmi::{Memory, StoreLimits};

/// The call's context as the host functions see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecContext {
    /// SCALE encoding of the calling account.
    pub caller: Vec<u8>,
    /// The executing contract's address.
    pub address: [u8; 32],
    /// Current block number.
    pub block_height: u64,
    /// Current block timestamp (ms).
    pub timestamp: u64,
    /// Call input.
    pub input: Vec<u8>,
    /// The value transferred to the contract by this call or instantiation.
    pub value: u128,
    /// A read-only call: host functions that change state (storage writes and removes, events)
    /// fail with `ExecError::StateChangeDenied` (`capabilities` excludes them).
    pub read_only: bool,
    /// What the execution may do: the contract's grant, within what the chain allows now (and
    /// only [`Capabilities::READ_ONLY`] in a read-only call). A host call needing more fails
    /// with `ExecError::CapabilityDenied`.
    pub capabilities: Capabilities,
}

/// Why a host function stopped the execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostTrap {
    /// `qnet_return`: successful exit.
    Return,
    /// `qnet_revert`: reverted exit.
    Revert,
    /// A host call failed (out of gas, bad pointer, oversized argument, ...).
    Fail(super::ExecError),
    /// `qnet_call` or `qnet_instantiate`: the execution is suspended while the stack runs the
    /// request left in [`HostState::pending`], then resumed with its return code.
    Call,
}

impl fmt::Display for HostTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl wasmi::errors::HostError for HostTrap {}

/// Data of the wasmi `Store` during one execution.
pub struct HostState {
    pub(crate) ctx: ExecContext,
    pub(crate) schedule: GasConfig,
    pub(crate) limits: Limits,
    pub(crate) store_limits: StoreLimits,
    pub(crate) memory: Option<Memory>,
    /// The chain, as far as the host functions reach it.
    pub(crate) storage: Box<dyn Ext>,
    pub(crate) output: Vec<u8>,
    pub(crate) events: Vec<ContractEvent>,
    /// The request of the `qnet_call`/`qnet_instantiate` being served (see [`HostTrap::Call`]).
    pub(crate) pending: Option<super::nested::Pending>,
    /// Output of the last call this execution made (`qnet_return_data_*`).
    pub(crate) return_data: Vec<u8>,
    /// The storage deposit settlement of this execution's storage change was charged.
    pub(crate) deposit_charged: bool,
    /// `qnet_set_code_hash`: the contract's code from its next call on.
    pub(crate) new_code: Option<[u8; 32]>,
    /// `qnet_terminate`: the encoded beneficiary of the contract's removal.
    pub(crate) terminate: Option<Vec<u8>>,
    /// Proof-size bytes accounted so far (code and storage accesses).
    pub(crate) proof_size: u64,
    /// The most proof-size bytes this execution may account (its gas limit).
    pub(crate) proof_limit: u64,
}
