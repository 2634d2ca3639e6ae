//! The chain's currency: the contract's balance, the value a call brings, transfers.
//!
//! A contract's account holds the chain's native currency. Instantiation funds it with the
//! minimum balance (paid by the deployer), which it always keeps: [`balance`] is what it can
//! spend above that.

use crate::{sys, Account};
use qvm_primitives::abi::{ReturnCode, BALANCE_LEN};

/// An amount of the chain's currency (its `Balance`, at most 128 bits).
pub type Balance = u128;

/// Why [`transfer`] moved nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// More than this contract can spend ([`balance`]).
    InsufficientBalance,
    /// The recipient would stay below the [`minimum_balance`] (a new account must receive at
    /// least that much).
    BelowMinimumBalance,
}

fn read_balance(f: unsafe extern "C" fn(i32) -> i32) -> Balance {
    let mut out = [0u8; BALANCE_LEN];
    unsafe { f(out.as_mut_ptr() as i32) };
    Balance::from_le_bytes(out)
}

/// What this contract can spend: its balance above the minimum balance its account keeps.
pub fn balance() -> Balance {
    read_balance(sys::qnet_balance)
}

/// The value the caller transferred with this call (or instantiation).
pub fn value_transferred() -> Balance {
    read_balance(sys::qnet_value_transferred)
}

/// The chain's minimum balance (existential deposit).
pub fn minimum_balance() -> Balance {
    read_balance(sys::qnet_minimum_balance)
}

/// Transfers `value` from this contract to `to`.
pub fn transfer(to: &Account, value: Balance) -> Result<(), TransferError> {
    let value = value.to_le_bytes();
    let r =
        unsafe { sys::qnet_transfer(to.as_ptr() as i32, to.len() as i32, value.as_ptr() as i32) };
    match r {
        r if r == ReturnCode::InsufficientBalance.as_i32() => {
            Err(TransferError::InsufficientBalance)
        }
        r if r == ReturnCode::BelowMinimumBalance.as_i32() => {
            Err(TransferError::BelowMinimumBalance)
        }
        _ => Ok(()),
    }
}
