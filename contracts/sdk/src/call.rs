//! Calling and instantiating other contracts.
//!
//! ```ignore
//! use qvm_sdk::call::Contract;
//! let token = Contract::new(token_address);
//! let balance: u128 = token.call("balance_of", (who,))?;
//! token.with_value(10).call::<()>("deposit", ())?;
//! ```
//!
//! Arguments are SCALE-encoded as a tuple and the callee's output decoded as the return type,
//! as the [`crate::contract!`] macro defines methods. A callee that fails or reverts rolls
//! back only its own effects (and the value sent with it): the caller gets a [`CallError`] and
//! decides whether to go on or revert itself. A contract already on the call stack can be
//! called again only if the calls it is waiting on allowed it ([`Call::allow_reentry`]); the
//! default refuses re-entry, the first defence against reentrancy attacks.

use crate::{decode_or_revert, sys, Account, Balance, Hash};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use qvm_primitives::abi::{ReturnCode, CALL_FLAG_ALLOW_REENTRY, CALL_FLAG_READ_ONLY};

/// Bytes of output a call copies back directly (longer outputs take a second host call).
const OUT_CAP: usize = 256;

/// Why a call or instantiation did not return.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// The callee reverted with this data (for SDK contracts, the revert message).
    Reverted(Vec<u8>),
    /// The callee failed: trapped, ran out of gas, or broke a limit.
    Failed,
    /// No contract at the address (or it is still being constructed).
    ContractNotFound,
    /// The callee is on the call stack and re-entry was not allowed.
    ReentranceDenied,
    /// The call stack is full.
    CallDepthExceeded,
    /// This contract cannot spend the value sent.
    InsufficientBalance,
    /// The value would leave a new recipient below the minimum balance.
    BelowMinimumBalance,
    /// No such code, or it needs capabilities this contract does not have.
    CodeNotFound,
    /// The callee returned an output that does not decode as the expected type.
    Decode,
}

impl CallError {
    fn from_code(code: i32) -> Self {
        match code {
            c if c == ReturnCode::CalleeReverted.as_i32() => Self::Reverted(return_data()),
            c if c == ReturnCode::ContractNotFound.as_i32() => Self::ContractNotFound,
            c if c == ReturnCode::ReentranceDenied.as_i32() => Self::ReentranceDenied,
            c if c == ReturnCode::CallDepthExceeded.as_i32() => Self::CallDepthExceeded,
            c if c == ReturnCode::InsufficientBalance.as_i32() => Self::InsufficientBalance,
            c if c == ReturnCode::BelowMinimumBalance.as_i32() => Self::BelowMinimumBalance,
            c if c == ReturnCode::CodeNotFound.as_i32() => Self::CodeNotFound,
            _ => Self::Failed,
        }
    }
}

/// The output of this contract's last call or instantiation (return or revert data).
pub fn return_data() -> Vec<u8> {
    let size = unsafe { sys::qnet_return_data_size() };
    let mut buf = alloc::vec![0u8; size.max(0) as usize];
    unsafe { sys::qnet_return_data_read(buf.as_mut_ptr() as i32, buf.len() as i32) };
    buf
}

/// The output of a call that returned `n` bytes, `buf` holding the first [`OUT_CAP`].
fn output(mut buf: Vec<u8>, n: i32) -> Vec<u8> {
    let n = n as usize;
    if n <= buf.len() {
        buf.truncate(n);
        buf
    } else {
        return_data()
    }
}

/// Decodes a callee's output as `R`.
fn decode<R: Decode>(bytes: &[u8]) -> Result<R, CallError> {
    let mut slice = bytes;
    match R::decode(&mut slice) {
        Ok(v) if slice.is_empty() => Ok(v),
        _ => Err(CallError::Decode),
    }
}

/// Another contract, by address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Contract(pub Account);

impl Contract {
    /// The contract at `address`.
    pub const fn new(address: Account) -> Self {
        Self(address)
    }

    /// Its address.
    pub const fn address(&self) -> &Account {
        &self.0
    }

    /// A call of this contract with the default options: no value, all the gas left, no
    /// re-entry, state changes allowed.
    pub fn build(&self) -> Call {
        Call {
            callee: self.0,
            value: 0,
            gas_limit: 0,
            flags: 0,
        }
    }

    /// Calls `method` with `args` (a tuple), decoding the output as `R`.
    pub fn call<R: Decode>(&self, method: &str, args: impl Encode) -> Result<R, CallError> {
        self.build().call(method, args)
    }

    /// A call sending `value` with it.
    pub fn with_value(&self, value: Balance) -> Call {
        self.build().value(value)
    }
}

/// A call being set up (see [`Contract::build`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    callee: Account,
    value: Balance,
    gas_limit: u64,
    flags: i32,
}

impl Call {
    /// Sends `value` to the callee before it runs (needs the `ValueTransfer` capability).
    pub fn value(mut self, value: Balance) -> Self {
        self.value = value;
        self
    }

    /// Gives the callee at most `gas` (by default all that is left; what it does not use comes
    /// back).
    pub fn gas_limit(mut self, gas: u64) -> Self {
        self.gas_limit = gas;
        self
    }

    /// Lets the callee (and what it calls) call back into this contract.
    pub fn allow_reentry(mut self) -> Self {
        self.flags |= CALL_FLAG_ALLOW_REENTRY;
        self
    }

    /// Runs the callee read-only: every state change it tries fails it.
    pub fn read_only(mut self) -> Self {
        self.flags |= CALL_FLAG_READ_ONLY;
        self
    }

    /// Calls `method` with `args` (a tuple), decoding the output as `R`.
    pub fn call<R: Decode>(self, method: &str, args: impl Encode) -> Result<R, CallError> {
        decode(&self.call_raw(method, &args.encode())?)
    }

    /// Calls `method` with the raw `input`; the raw output.
    pub fn call_raw(self, method: &str, input: &[u8]) -> Result<Vec<u8>, CallError> {
        let value = self.value.to_le_bytes();
        let mut buf = alloc::vec![0u8; OUT_CAP];
        let n = unsafe {
            sys::qnet_call(
                self.callee.as_ptr() as i32,
                method.as_ptr() as i32,
                method.len() as i32,
                input.as_ptr() as i32,
                input.len() as i32,
                value.as_ptr() as i32,
                self.gas_limit as i64,
                self.flags,
                buf.as_mut_ptr() as i32,
                buf.len() as i32,
            )
        };
        if n < 0 {
            return Err(CallError::from_code(n));
        }
        Ok(output(buf, n))
    }
}

/// Instantiates the stored code `code_hash` with constructor `args` (a tuple), endowing the new
/// contract with the minimum balance plus `value` from this one and giving the constructor at
/// most `gas_limit` (0: all that is left): the new contract. The new contract's capabilities
/// are what its code needs, which this contract must hold itself.
pub fn instantiate(
    code_hash: &Hash,
    args: impl Encode,
    value: Balance,
    gas_limit: u64,
) -> Result<Contract, CallError> {
    let input = args.encode();
    let value = value.to_le_bytes();
    let mut address = [0u8; 32];
    let n = unsafe {
        sys::qnet_instantiate(
            code_hash.as_ptr() as i32,
            input.as_ptr() as i32,
            input.len() as i32,
            value.as_ptr() as i32,
            gas_limit as i64,
            address.as_mut_ptr() as i32,
            0,
            0,
        )
    };
    if n < 0 {
        return Err(CallError::from_code(n));
    }
    Ok(Contract(address))
}

/// Calls `method` of `contract` with `args` and decodes the result, reverting this contract
/// with the callee's revert data (or "call failed") if it did not return.
pub fn call_or_revert<R: Decode>(contract: &Contract, method: &str, args: impl Encode) -> R {
    match contract.build().call_raw(method, &args.encode()) {
        Ok(out) => decode_or_revert(&out, "call output"),
        Err(CallError::Reverted(data)) => crate::revert_raw(&data),
        Err(_) => crate::revert_str("call failed"),
    }
}
