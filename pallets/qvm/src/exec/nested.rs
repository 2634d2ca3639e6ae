//! Calls a running contract makes into other contracts (`qnet_call`, `qnet_instantiate`).
//!
//! A host function cannot run another contract while it holds the caller's wasmi `Store`, and
//! the wasmi executor should not recurse on the native stack. So `qnet_call` checks and charges
//! its arguments, leaves a [`Pending`] request in the host state and stops the execution with a
//! resumable host trap. [`super::execute_frame`] hands the [`Request`] to its [`Nested`] (the
//! execution stack, which pushes a frame for the callee), writes the [`Response`] back into
//! the caller's memory and fuel, and resumes the caller with the return code.

use alloc::vec::Vec;
use qvm_primitives::ReturnCode;

/// What a contract asked the stack to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `qnet_call`.
    Call {
        /// The callee's address.
        callee: [u8; 32],
        /// The method to run.
        method: Vec<u8>,
        /// Its input.
        input: Vec<u8>,
        /// Value transferred to the callee before it runs.
        value: u128,
        /// The callee may call back into the caller.
        allow_reentry: bool,
        /// The callee runs read-only.
        read_only: bool,
    },
    /// `qnet_instantiate`.
    Instantiate {
        /// The code to instantiate.
        code_hash: [u8; 32],
        /// The constructor's input.
        input: Vec<u8>,
        /// Value endowed to the new contract (besides the minimum balance).
        value: u128,
    },
}

/// A request with where its results go in the caller's memory (checked when it was made).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The request.
    pub request: Request,
    /// Gas the caller forwards (0: all it has left).
    pub gas_limit: u64,
    /// Output buffer.
    pub out_ptr: i32,
    /// Its capacity.
    pub out_cap: u32,
    /// Where `qnet_instantiate` writes the new address.
    pub address_out_ptr: Option<i32>,
}

/// The outcome of a [`Request`] as the caller sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// [`ReturnCode`] of a call that did not return (`None`: the callee returned).
    pub code: Option<ReturnCode>,
    /// The callee's output (return or revert data).
    pub output: Vec<u8>,
    /// Gas the callee used (never more than it was given).
    pub gas_used: u64,
    /// Proof size the callee accounted (never more than it was given).
    pub proof_size: u64,
    /// The new contract's address (`qnet_instantiate` that returned).
    pub address: Option<[u8; 32]>,
}

impl Response {
    /// A request refused before anything ran.
    pub fn refused(code: ReturnCode) -> Self {
        Self {
            code: Some(code),
            output: Vec::new(),
            gas_used: 0,
            proof_size: 0,
            address: None,
        }
    }
}

/// Runs the requests of an execution (the execution stack, or a test double).
pub trait Nested {
    /// Runs `request` with at most `gas` gas and `proof` bytes of proof size.
    fn run(&mut self, request: Request, gas: u64, proof: u64) -> Response;
}

/// Refuses every request with `ContractNotFound`: an execution with no other contract in reach
/// (host function tests).
pub struct NoContracts;

impl Nested for NoContracts {
    fn run(&mut self, request: Request, _gas: u64, _proof: u64) -> Response {
        Response::refused(match request {
            Request::Call { .. } => ReturnCode::ContractNotFound,
            Request::Instantiate { .. } => ReturnCode::CodeNotFound,
        })
    }
}
