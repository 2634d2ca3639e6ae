//! # qvm-sdk
//!
//! Write QVM contracts in Rust. Build them for `wasm32v1-none` (see `contracts/README.md`).
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! use qvm_sdk::{storage::Value, contract};
//!
//! static COUNT: Value<u64> = Value::new(b"count");
//!
//! contract! {
//!     fn constructor(start: u64) { COUNT.set(&start) }
//!     fn increment() -> u64 {
//!         let n = COUNT.get_or_default() + 1;
//!         COUNT.set(&n);
//!         n
//!     }
//! }
//! ```
//!
//! Each `fn` in [`contract!`] becomes an exported method of the same name. Its arguments are
//! SCALE-decoded from the call input as a tuple (a failed decode reverts with a message), and its
//! return value is SCALE-encoded as the call output. `constructor` runs once at deployment. Use
//! [`require`] / [`revert`] to fail with a message; a panic reverts with "panicked" (with the
//! `panic-messages` feature, with its message: `core::fmt` adds ~2 KB to every contract, whose
//! bytes every call loads and pays for).
#![no_std]

extern crate alloc;

#[cfg(feature = "allocator")]
mod bump;
pub mod call;
pub mod env;
pub mod lifecycle;
pub mod storage;
pub mod sys;
pub mod value;

pub use call::{call_or_revert, instantiate, CallError, Contract};
pub use codec::{self, Decode, Encode};
pub use env::*;
pub use lifecycle::{set_code_hash, terminate, SetCodeError};
pub use value::{balance, minimum_balance, transfer, value_transferred, Balance, TransferError};

use alloc::vec::Vec;

/// An account id or contract address (32 bytes).
pub type Account = [u8; 32];
/// A BLAKE2b-256 hash.
pub type Hash = [u8; 32];

/// The raw call input.
pub fn input_raw() -> Vec<u8> {
    let size = unsafe { sys::qnet_input_size() };
    let mut buf = alloc::vec![0u8; size.max(0) as usize];
    unsafe { sys::qnet_input_read(buf.as_mut_ptr() as i32, buf.len() as i32) };
    buf
}

/// The call input decoded as `T` (the whole input must decode; reverts otherwise).
pub fn input<T: Decode>() -> T {
    let bytes = input_raw();
    decode_or_revert(&bytes, "input")
}

/// Decodes all of `bytes` as `T` or reverts with "cannot decode <what>".
pub fn decode_or_revert<T: Decode>(bytes: &[u8], what: &str) -> T {
    let mut slice = bytes;
    match T::decode(&mut slice) {
        Ok(v) if slice.is_empty() => v,
        _ => {
            let mut msg = Vec::from(&b"cannot decode "[..]);
            msg.extend_from_slice(what.as_bytes());
            revert_raw(&msg)
        }
    }
}

/// Ends the call successfully with `data` as its raw output.
pub fn return_raw(data: &[u8]) -> ! {
    unsafe { sys::qnet_return(data.as_ptr() as i32, data.len() as i32) };
    // `qnet_return` never returns.
    core::arch::wasm32::unreachable()
}

/// Ends the call successfully with the SCALE encoding of `value` as its output.
pub fn return_value<T: Encode>(value: &T) -> ! {
    let bytes = value.encode();
    return_raw(&bytes)
}

/// Reverts the call with `data` as its raw output: all its effects are discarded.
pub fn revert_raw(data: &[u8]) -> ! {
    unsafe { sys::qnet_revert(data.as_ptr() as i32, data.len() as i32) };
    core::arch::wasm32::unreachable()
}

/// Reverts the call with a UTF-8 message.
pub fn revert_str(msg: &str) -> ! {
    revert_raw(msg.as_bytes())
}

/// Reverts with the SCALE encoding of `error`.
pub fn revert<E: Encode>(error: &E) -> ! {
    let bytes = error.encode();
    revert_raw(&bytes)
}

/// Reverts with `msg` unless `cond` holds.
#[inline]
pub fn require(cond: bool, msg: &str) {
    if !cond {
        revert_str(msg)
    }
}

/// Unwraps `Some`, or reverts with `msg`. For checked arithmetic:
/// `let total = ok_or_revert(a.checked_add(b), "overflow");`.
#[inline]
pub fn ok_or_revert<T>(value: Option<T>, msg: &str) -> T {
    match value {
        Some(v) => v,
        None => revert_str(msg),
    }
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    #[cfg(feature = "panic-messages")]
    {
        use core::fmt::Write;
        let mut msg = Message(Vec::new());
        let _ = write!(msg, "panicked: {}", _info.message());
        revert_raw(&msg.0)
    }
    #[cfg(not(feature = "panic-messages"))]
    revert_str("panicked")
}

#[cfg(feature = "panic-messages")]
struct Message(Vec<u8>);

#[cfg(feature = "panic-messages")]
impl core::fmt::Write for Message {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Trait of method results: encodes a return value as the call output. `()` gives an empty
/// output.
pub trait Output {
    /// Ends the call with `self` as output.
    fn finish(self) -> !;
}

impl Output for () {
    fn finish(self) -> ! {
        return_raw(&[])
    }
}

macro_rules! impl_output {
    ($($t:ty),*) => { $( impl Output for $t { fn finish(self) -> ! { return_value(&self) } } )* };
}
impl_output!(
    bool,
    u8,
    u16,
    u32,
    u64,
    u128,
    i8,
    i16,
    i32,
    i64,
    i128,
    Account,
    Vec<u8>,
    alloc::string::String
);

impl<T: Encode> Output for Option<T> {
    fn finish(self) -> ! {
        return_value(&self)
    }
}

impl<A: Encode, B: Encode> Output for (A, B) {
    fn finish(self) -> ! {
        return_value(&self)
    }
}

/// Declares a contract's methods. Each `fn name(args...) -> R { body }` becomes the exported
/// method `name`: the input is decoded as the tuple of the argument types, the body runs, and
/// the result (any [`Output`]) becomes the call output. Name one of them `constructor`.
#[macro_export]
macro_rules! contract {
    ($(
        $(#[$meta:meta])*
        fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)? $body:block
    )*) => {
        mod __qvm_methods {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[inline(always)]
                pub(super) fn $name($($arg: $ty),*) $(-> $ret)? $body
            )*
        }
        $(
            #[no_mangle]
            pub extern "C" fn $name() {
                #[allow(unused_parens)]
                let ($($arg,)*): ($($ty,)*) = $crate::input();
                let out = __qvm_methods::$name($($arg),*);
                $crate::Output::finish(out)
            }
        )*
    };
}
