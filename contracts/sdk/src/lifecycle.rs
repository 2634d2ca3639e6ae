//! Upgrading and removing the contract itself.
//!
//! ```ignore
//! // Only the admin may upgrade; the new code must be stored already.
//! require(caller() == ADMIN.get_or_default(), "not the admin");
//! ok_or_revert(qvm_sdk::set_code_hash(&new_code).ok(), "no such code");
//! ```

use crate::{sys, Account, Hash};
use qvm_primitives::abi::ReturnCode;

/// Why [`set_code_hash`] changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetCodeError {
    /// No code is stored under the hash, or it needs capabilities this contract was not
    /// granted.
    CodeNotFound,
}

/// Makes the stored code `code_hash` this contract's code from its next call on (needs the
/// `Upgrade` capability). This call goes on with the current code; if it fails or reverts,
/// the upgrade does not happen. Storage stays as it is: the new code must read it.
pub fn set_code_hash(code_hash: &Hash) -> Result<(), SetCodeError> {
    let r = unsafe { sys::qnet_set_code_hash(code_hash.as_ptr() as i32) };
    if r == ReturnCode::CodeNotFound.as_i32() {
        Err(SetCodeError::CodeNotFound)
    } else {
        Ok(())
    }
}

/// Ends the call successfully and removes this contract (needs the `Terminate` capability):
/// its balance and storage deposit go to `beneficiary`, its storage is deleted in later
/// blocks. Refused (the call fails) while the contract is on the call stack more than once.
pub fn terminate(beneficiary: &Account) -> ! {
    unsafe { sys::qnet_terminate(beneficiary.as_ptr() as i32, beneficiary.len() as i32) };
    // `qnet_terminate` never returns.
    core::arch::wasm32::unreachable()
}
