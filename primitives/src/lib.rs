//! QVM primitives: types shared by the pallet, the runtime, the contract SDK and clients.
//!
//! * [`abi`]: the host ABI table, defined once ([`for_each_host_function!`]).
//! * [`capability`]: [`Capability`] and [`Capabilities`], what a contract may do.
//! * [`gas`]: the gas schedule [`GasConfig`] and [`ExecutionMode`].
//! * [`types`]: [`ContractAddress`], [`ContractEvent`], [`ExecReturn`].
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod abi;
#[cfg(feature = "runtime-api")]
pub mod api;
pub mod capability;
pub mod gas;
pub mod types;

#[cfg(feature = "std")]
pub mod doc;

pub use abi::{HostCost, HostFunction, ReturnCode, HOST_FUNCTIONS, IMPORT_MODULE};
pub use capability::{Capabilities, Capability};
pub use gas::{CodeShape, ExecutionMode, GasConfig, Limits};
pub use types::{CodeHash, ContractAddress, ContractEvent, ExecReturn, StorageDeposit};
