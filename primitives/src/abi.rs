//! The QVM host ABI, defined once.
//!
//! Every host function a contract may import is listed in [`for_each_host_function!`]: its
//! name, its Wasm signature, the [`HostCost`] entry of the gas schedule it charges and its
//! documentation. The pallet's linker, the contract SDK's `extern` block, the
//! [`HOST_FUNCTIONS`] table and `docs/ABI.md` are all derived from that one list.
//!
//! # Memory conventions
//!
//! Contracts pass byte strings to the host as `(ptr: i32, len: i32)` pairs into their exported
//! linear memory `memory`. The host never hands out pointers into its own memory (the seed
//! design's `qnet_get_caller() -> *const u8` cannot work: the host has no address space the
//! contract can read). Instead, every function that produces a value of variable or fixed size
//! writes it into a buffer the contract provides, `(out_ptr: i32, out_cap: i32)`, and returns:
//!
//! * `n >= 0`: the number of bytes written (the full value),
//! * [`ReturnCode::NotFound`] (`-1`): there is no such value (storage key absent),
//! * [`ReturnCode::BufferTooSmall`] (`-2`): `out_cap` is smaller than the value; nothing was
//!   written. The contract can ask for the size first (`qnet_storage_size`, `qnet_input_size`).
//!
//! Out-of-bounds pointers, oversized keys or values and running out of gas are not return
//! codes: they abort the call with a named error and roll back all of its effects.

use crate::capability::{Capabilities, Capability};

/// Name of the Wasm import module of every QVM host function.
pub const IMPORT_MODULE: &str = "qnet";

/// Name of the linear memory every contract must export.
pub const MEMORY_EXPORT: &str = "memory";

/// Name of the constructor export, run once by `deploy`/`instantiate` and never by `call`.
pub const CONSTRUCTOR_EXPORT: &str = "constructor";

/// Return codes of host functions (negative values; non-negative values are lengths or flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ReturnCode {
    /// Success without a payload.
    Success = 0,
    /// The requested value does not exist.
    NotFound = -1,
    /// The output buffer the contract provided is too small; nothing was written.
    BufferTooSmall = -2,
    /// A transfer asked for more than the sender can spend (its balance above the minimum
    /// balance its account keeps); nothing moved.
    InsufficientBalance = -3,
    /// A transfer would leave the recipient's account below the minimum balance (existential
    /// deposit): a new account must receive at least that much; nothing moved.
    BelowMinimumBalance = -4,
    /// The callee of `qnet_call` (or the constructor of `qnet_instantiate`) reverted: its
    /// effects are rolled back, its revert data is the call's return data.
    CalleeReverted = -5,
    /// The callee failed (trapped, ran out of gas, broke a limit): its effects are rolled back
    /// and the gas it was given is used up; the return data is empty.
    CalleeFailed = -6,
    /// There is no contract at the callee address (or it is still being constructed).
    ContractNotFound = -7,
    /// The callee is already on the call stack and did not allow re-entry
    /// ([`CALL_FLAG_ALLOW_REENTRY`]); nothing ran.
    ReentranceDenied = -8,
    /// The call stack is at its depth limit (`Limits::max_call_depth`); nothing ran.
    CallDepthExceeded = -9,
    /// `qnet_instantiate` or `qnet_set_code_hash`: no code is stored under the hash, or it
    /// needs capabilities the contract does not hold; nothing happened.
    CodeNotFound = -10,
}

impl ReturnCode {
    /// The code as the `i32` a host function returns.
    pub const fn as_i32(self) -> i32 {
        self as i32
    }
}

/// Length in bytes of a contract address, a caller id as written by `qnet_get_caller`
/// (for 32-byte account ids), a hash written by `qnet_hash`, and an sr25519 public key.
pub const HASH_LEN: usize = 32;
/// Length in bytes of an sr25519 signature read by `qnet_verify_signature`.
pub const SIGNATURE_LEN: usize = 64;
/// Length in bytes of an sr25519 public key read by `qnet_verify_signature`.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length in bytes of a balance (a little-endian `u128`) read or written by the value host
/// functions (`qnet_balance`, `qnet_value_transferred`, `qnet_minimum_balance`, `qnet_transfer`).
pub const BALANCE_LEN: usize = 16;
/// The longest encoded account id `qnet_transfer` accepts.
pub const MAX_ACCOUNT_LEN: u32 = 64;
/// Length in bytes of a contract address (`qnet_call`'s callee, `qnet_instantiate`'s result).
pub const ADDRESS_LEN: usize = 32;
/// Longest method name `qnet_call` accepts.
pub const MAX_METHOD_LEN: u32 = 64;
/// `qnet_call` flag: the callee (and what it calls) may call back into the calling contract.
/// Without it, calling a contract that is already on the call stack returns
/// [`ReturnCode::ReentranceDenied`].
pub const CALL_FLAG_ALLOW_REENTRY: i32 = 1;
/// `qnet_call` flag: the callee runs read-only (every state change is refused with
/// `StateChangeDenied`), as a query does.
pub const CALL_FLAG_READ_ONLY: i32 = 2;
/// Every `qnet_call` flag; a call with another bit set fails with `InvalidCallFlags`.
pub const CALL_FLAGS: i32 = CALL_FLAG_ALLOW_REENTRY | CALL_FLAG_READ_ONLY;

/// A Wasm value type of the host ABI (QVM only uses integers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

impl AbiType {
    /// The WAT spelling of the type.
    pub const fn wat(self) -> &'static str {
        match self {
            AbiType::I32 => "i32",
            AbiType::I64 => "i64",
        }
    }
}

/// The gas schedule entry a host function charges (see [`crate::GasConfig::host_cost`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostCost {
    /// Reading block or call context (height, timestamp, caller, address, gas left).
    Context,
    /// Reading the call input, charged per byte copied.
    Input,
    /// Setting the output (return or revert), charged per byte.
    Output,
    /// `storage_read` base plus per byte of the value read.
    StorageRead,
    /// `storage_write` base plus per byte of key and value.
    StorageWrite,
    /// Removing a storage entry (a write).
    StorageRemove,
    /// Hashing, base plus per byte hashed.
    Hash,
    /// sr25519 signature verification, base plus per message byte.
    VerifySignature,
    /// Emitting an event, base plus per byte of topic and data.
    EmitEvent,
    /// Reading the executing contract's balance (its account's storage entry).
    Balance,
    /// Transferring balance from the executing contract to an account.
    Transfer,
    /// A cross-contract call (`qnet_call`): the frame it pushes, per byte of method and input
    /// passed and of output copied back (the callee's execution is charged by the callee).
    Call,
    /// Instantiating a contract (`qnet_instantiate`): the frame and the new contract's
    /// records, per byte of input and output (the constructor is charged by the callee).
    Instantiate,
    /// Replacing the contract's code (`qnet_set_code_hash`): two code records and its own.
    SetCode,
    /// Removing the contract (`qnet_terminate`): its records, its account's funds and
    /// deposit, the deletion queue (its storage is deleted later, paid by the queue).
    Terminate,
}

/// One entry of the host ABI table.
#[derive(Clone, Copy, Debug)]
pub struct HostFunction {
    /// Import name (module [`IMPORT_MODULE`]).
    pub name: &'static str,
    /// Parameter names, in order.
    pub param_names: &'static [&'static str],
    /// Parameter types, in order.
    pub params: &'static [AbiType],
    /// Result types (zero or one).
    pub results: &'static [AbiType],
    /// The gas schedule entry it charges.
    pub cost: HostCost,
    /// The capabilities a contract needs to import it.
    pub requires: Capabilities,
    /// One-line description (the first doc line).
    pub doc: &'static str,
}

/// Calls `$mac!` with the whole host ABI, one entry per function:
///
/// ```text
/// $(#[doc = ...])* fn NAME(PARAM: TYPE, ...) -> RESULT; cost = HostCost; requires = [Capability, ...];
/// ```
///
/// `RESULT` is omitted for functions returning nothing. Types are `i32` or `i64`. `requires`
/// lists the [`Capability`]s a contract must hold to import (and call) the function.
#[macro_export]
macro_rules! for_each_host_function {
    ($mac:ident) => {
        $mac! {
            /// Current block number.
            fn qnet_get_block_height() -> i64; cost = Context; requires = [];
            /// Current block timestamp in milliseconds (pallet-timestamp's `now`).
            fn qnet_get_block_timestamp() -> i64; cost = Context; requires = [];
            /// Writes the SCALE-encoded account id of the caller (32 bytes for `AccountId32`) to `out`; returns its length or -2.
            fn qnet_get_caller(out_ptr: i32, out_cap: i32) -> i32; cost = Context; requires = [];
            /// Writes the 32-byte address of the executing contract to `out`; returns 32 or -2.
            fn qnet_get_contract_address(out_ptr: i32, out_cap: i32) -> i32; cost = Context; requires = [];
            /// Gas left in this call after this host call's own cost.
            fn qnet_gas_left() -> i64; cost = Context; requires = [];
            /// Length in bytes of the call input (constructor or method arguments).
            fn qnet_input_size() -> i32; cost = Context; requires = [];
            /// Copies the call input to `out`; returns its length, or -2 if `out_cap` is too small.
            fn qnet_input_read(out_ptr: i32, out_cap: i32) -> i32; cost = Input; requires = [];
            /// Ends the call successfully with `data` as its output (never returns).
            fn qnet_return(data_ptr: i32, data_len: i32); cost = Output; requires = [];
            /// Ends the call as reverted with `data` as its output: all its effects are rolled back (never returns).
            fn qnet_revert(data_ptr: i32, data_len: i32); cost = Output; requires = [];
            /// Reads the value under `key` into `out`; returns its length, -1 if absent, -2 if `out_cap` is too small.
            fn qnet_storage_read(key_ptr: i32, key_len: i32, out_ptr: i32, out_cap: i32) -> i32; cost = StorageRead; requires = [];
            /// Length of the value under `key`, or -1 if absent.
            fn qnet_storage_size(key_ptr: i32, key_len: i32) -> i32; cost = StorageRead; requires = [];
            /// Stores `value` under `key`; returns 0.
            fn qnet_storage_write(key_ptr: i32, key_len: i32, value_ptr: i32, value_len: i32) -> i32; cost = StorageWrite; requires = [StorageWrite];
            /// Removes `key`; returns 0 if it existed, -1 if it was absent.
            fn qnet_storage_remove(key_ptr: i32, key_len: i32) -> i32; cost = StorageRemove; requires = [StorageWrite];
            /// Writes the 32-byte BLAKE2b-256 hash of `data` to `out_ptr`; returns 0.
            fn qnet_hash(data_ptr: i32, data_len: i32, out_ptr: i32) -> i32; cost = Hash; requires = [];
            /// Verifies a 64-byte sr25519 signature of `msg` by a 32-byte public key; returns 1 if valid, 0 if not.
            fn qnet_verify_signature(msg_ptr: i32, msg_len: i32, sig_ptr: i32, pubkey_ptr: i32) -> i32; cost = VerifySignature; requires = [VerifySignature];
            /// Emits `ContractEmitted { topic, data }` when the call succeeds; returns 0.
            fn qnet_emit_event(topic_ptr: i32, topic_len: i32, data_ptr: i32, data_len: i32) -> i32; cost = EmitEvent; requires = [Events];
            /// Emits `ContractEmitted { topic, topics, data }` when the call succeeds, indexed in System's topic index under each of the `topics_count` 32-byte topics at `topics_ptr` (at most `max_event_topics`; each costs `event_topic` gas more); returns 0.
            fn qnet_emit_event_indexed(topic_ptr: i32, topic_len: i32, topics_ptr: i32, topics_count: i32, data_ptr: i32, data_len: i32) -> i32; cost = EmitEvent; requires = [Events];
            /// Writes the contract's spendable balance (above the minimum balance its account keeps) as a 16-byte little-endian u128 to `out_ptr`; returns 0.
            fn qnet_balance(out_ptr: i32) -> i32; cost = Balance; requires = [];
            /// Writes the value transferred to the contract by this call (or instantiation) as a 16-byte little-endian u128 to `out_ptr`; returns 0.
            fn qnet_value_transferred(out_ptr: i32) -> i32; cost = Context; requires = [];
            /// Writes the chain's minimum balance (existential deposit) as a 16-byte little-endian u128 to `out_ptr`; returns 0.
            fn qnet_minimum_balance(out_ptr: i32) -> i32; cost = Context; requires = [];
            /// Transfers the 16-byte little-endian u128 at `value_ptr` from the contract to the SCALE-encoded account id `to`; returns 0, -3 if the contract cannot spend that much, -4 if the recipient would stay below the minimum balance.
            fn qnet_transfer(to_ptr: i32, to_len: i32, value_ptr: i32) -> i32; cost = Transfer; requires = [ValueTransfer];
            /// Calls `method` of the contract at the 32-byte `callee` with `input`, transferring the 16-byte value at `value_ptr` (0 needs no capability beyond `Call`; more needs `ValueTransfer`) and forwarding at most `gas_limit` gas (0: all that is left); `flags`: 1 allow re-entry, 2 read-only. Copies at most `out_cap` bytes of the callee's output to `out`; returns the output length if the callee returned, else a negative code (-3, -4, -5 reverted, -6 failed, -7, -8, -9). The full output is `qnet_return_data_size` bytes.
            fn qnet_call(callee_ptr: i32, method_ptr: i32, method_len: i32, input_ptr: i32, input_len: i32, value_ptr: i32, gas_limit: i64, flags: i32, out_ptr: i32, out_cap: i32) -> i32; cost = Call; requires = [Call];
            /// Instantiates the code under the 32-byte hash at `code_hash_ptr` with the constructor `input`, endowing it with the minimum balance plus the 16-byte value at `value_ptr` from this contract, forwarding at most `gas_limit` gas (0: all left); writes the new 32-byte address to `address_out_ptr` and at most `out_cap` bytes of the constructor's output to `out`; returns the output length, or a negative code (-3, -4, -5, -6, -9, -10).
            fn qnet_instantiate(code_hash_ptr: i32, input_ptr: i32, input_len: i32, value_ptr: i32, gas_limit: i64, address_out_ptr: i32, out_ptr: i32, out_cap: i32) -> i32; cost = Instantiate; requires = [Instantiate];
            /// Length in bytes of the output (return or revert data) of this contract's last `qnet_call` or `qnet_instantiate` (0 before the first).
            fn qnet_return_data_size() -> i32; cost = Context; requires = [];
            /// Copies the last call's output (see `qnet_return_data_size`) to `out`; returns its length, or -2 if `out_cap` is too small.
            fn qnet_return_data_read(out_ptr: i32, out_cap: i32) -> i32; cost = Input; requires = [];
            /// Makes the stored code under the 32-byte hash at `code_hash_ptr` this contract's code from its next call on (this execution goes on with the old code, if it succeeds); returns 0, or -10 if no such code is stored or it needs capabilities the contract was not granted.
            fn qnet_set_code_hash(code_hash_ptr: i32) -> i32; cost = SetCode; requires = [Upgrade];
            /// Ends the call successfully and removes the contract: its balance and storage deposit go to the SCALE-encoded account `beneficiary`, its storage is deleted in later blocks (never returns).
            fn qnet_terminate(beneficiary_ptr: i32, beneficiary_len: i32); cost = Terminate; requires = [Terminate];
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __abi_type {
    (i32) => {
        $crate::abi::AbiType::I32
    };
    (i64) => {
        $crate::abi::AbiType::I64
    };
}

macro_rules! define_host_table {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($p:ident: $pt:ident),*) $(-> $rt:ident)?; cost = $cost:ident;
        requires = [$($cap:ident),*];
    )*) => {
        /// The host ABI as data: one [`HostFunction`] per import, in ABI order.
        pub const HOST_FUNCTIONS: &[HostFunction] = &[
            $(HostFunction {
                name: stringify!($name),
                param_names: &[$(stringify!($p)),*],
                params: &[$($crate::__abi_type!($pt)),*],
                results: &[$($crate::__abi_type!($rt))?],
                cost: HostCost::$cost,
                requires: Capabilities::of(&[$(Capability::$cap),*]),
                doc: concat!($($doc),*),
            }),*
        ];
    };
}
for_each_host_function!(define_host_table);

/// Looks up a host function by import name.
pub fn host_function(name: &str) -> Option<&'static HostFunction> {
    HOST_FUNCTIONS.iter().find(|f| f.name == name)
}
