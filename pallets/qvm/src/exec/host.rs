//! The `qnet_*` host functions, linked from the ABI table in `qvm-primitives`.
//!
//! Every function charges its schedule cost before doing work and reports every failure as a
//! [`HostTrap`] error: nothing here may panic on contract input (a panic inside a wasmi host
//! call would abort the process).

use super::ext::TransferError;
use super::{
    nested::{Pending, Request},
    state::{HostState, HostTrap},
    ExecError,
};
use alloc::vec::Vec;
use qvm_primitives::{
    abi::{
        ReturnCode, ADDRESS_LEN, BALANCE_LEN, CALL_FLAGS, CALL_FLAG_ALLOW_REENTRY,
        CALL_FLAG_READ_ONLY, HASH_LEN, IMPORT_MODULE, MAX_ACCOUNT_LEN, MAX_METHOD_LEN,
        PUBLIC_KEY_LEN, SIGNATURE_LEN,
    },
    Capabilities, Capability, ContractEvent, HostCost,
};
use wasmi::{Caller, Engine, Error, Linker};

type Ctx<'a> = Caller<'a, HostState>;

fn trap(t: HostTrap) -> Error {
    Error::host(t)
}

fn fail(e: ExecError) -> Error {
    trap(HostTrap::Fail(e))
}

/// Charges `cost` gas for a host call of kind `kind` touching `bytes` variable-size bytes.
fn charge(caller: &mut Ctx<'_>, kind: HostCost, bytes: u64) -> Result<(), Error> {
    let amount = caller.data().schedule.host_cost(kind, bytes);
    charge_gas(caller, amount)
}

fn charge_gas(caller: &mut Ctx<'_>, amount: u64) -> Result<(), Error> {
    let fuel = caller.get_fuel().map_err(|_| fail(ExecError::OutOfGas))?;
    match fuel.checked_sub(amount) {
        Some(left) => caller.set_fuel(left).map_err(|_| fail(ExecError::OutOfGas)),
        None => {
            let _ = caller.set_fuel(0);
            Err(fail(ExecError::OutOfGas))
        }
    }
}

/// Refuses a host call that needs capabilities the execution does not hold, before any work:
/// `StateChangeDenied` for a state change in a read-only call, `CapabilityDenied` otherwise.
fn ensure_capabilities(caller: &Ctx<'_>, required: Capabilities) -> Result<(), Error> {
    let ctx = &caller.data().ctx;
    if ctx.capabilities.includes(required) {
        return Ok(());
    }
    Err(fail(
        if ctx.read_only && !Capabilities::READ_ONLY.includes(required) {
            ExecError::StateChangeDenied
        } else {
            ExecError::CapabilityDenied
        },
    ))
}

/// Accounts `bytes` of proof size; exceeding the execution's proof budget (its gas limit) is
/// running out of gas.
fn charge_proof(caller: &mut Ctx<'_>, bytes: u64) -> Result<(), Error> {
    let state = caller.data_mut();
    let total = state.proof_size.saturating_add(bytes);
    if total > state.proof_limit {
        let _ = caller.set_fuel(0);
        return Err(fail(ExecError::OutOfGas));
    }
    state.proof_size = total;
    Ok(())
}

/// Charges what touching a storage entry costs beyond the call's base: the stored value's
/// bytes (`value_len`, 0 if absent) as read gas, and the trie path, key and value as proof size.
fn storage_access(caller: &mut Ctx<'_>, key_len: usize, value_len: u64) -> Result<(), Error> {
    let schedule = caller.data().schedule;
    charge_gas(
        caller,
        schedule.storage_read_per_byte.saturating_mul(value_len),
    )?;
    charge_proof(
        caller,
        schedule
            .storage_access_proof
            .saturating_add((crate::storage::KEY_HASH_LEN + key_len) as u64)
            .saturating_add(value_len),
    )
}

/// Charges, once per execution, the storage deposit settlement its storage change will cost
/// at the end of the entry point (a held transfer between the origin and the contract's
/// account), as soon as the change is not zero.
fn deposit_settlement(caller: &mut Ctx<'_>) -> Result<(), Error> {
    let state = caller.data();
    if state.deposit_charged || state.storage.delta() == crate::storage::StorageDelta::default() {
        return Ok(());
    }
    let cost = state.schedule.storage_deposit;
    caller.data_mut().deposit_charged = true;
    charge_gas(caller, cost)?;
    account_access(caller, 2)
}

/// `ptr..ptr+len` as a checked range inside the contract's memory.
fn mem_range(caller: &Ctx<'_>, ptr: i32, len: u32) -> Result<core::ops::Range<usize>, Error> {
    let memory = caller
        .data()
        .memory
        .ok_or_else(|| fail(ExecError::MemoryOutOfBounds))?;
    let start = ptr as u32 as usize;
    let end = start
        .checked_add(len as usize)
        .ok_or_else(|| fail(ExecError::MemoryOutOfBounds))?;
    if end > memory.data_size(caller) {
        return Err(fail(ExecError::MemoryOutOfBounds));
    }
    Ok(start..end)
}

/// Copies `len` bytes at `ptr` out of the contract's memory.
fn read_mem(caller: &Ctx<'_>, ptr: i32, len: u32) -> Result<Vec<u8>, Error> {
    mem_slice(caller, ptr, len).map(<[u8]>::to_vec)
}

/// Borrows `len` bytes at `ptr` of the contract's memory.
fn mem_slice<'a>(caller: &'a Ctx<'_>, ptr: i32, len: u32) -> Result<&'a [u8], Error> {
    let range = mem_range(caller, ptr, len)?;
    let memory = caller
        .data()
        .memory
        .ok_or_else(|| fail(ExecError::MemoryOutOfBounds))?;
    memory
        .data(caller)
        .get(range)
        .ok_or_else(|| fail(ExecError::MemoryOutOfBounds))
}

/// Writes `bytes` at `ptr` into the contract's memory.
fn write_mem(caller: &mut Ctx<'_>, ptr: i32, bytes: &[u8]) -> Result<(), Error> {
    let range = mem_range(caller, ptr, bytes.len() as u32)?;
    let memory = caller
        .data()
        .memory
        .ok_or_else(|| fail(ExecError::MemoryOutOfBounds))?;
    memory
        .data_mut(caller)
        .get_mut(range)
        .ok_or_else(|| fail(ExecError::MemoryOutOfBounds))?
        .copy_from_slice(bytes);
    Ok(())
}

/// Writes `value` to the buffer `(out_ptr, out_cap)`: its length, or `BufferTooSmall`.
fn write_out(caller: &mut Ctx<'_>, out_ptr: i32, out_cap: i32, value: &[u8]) -> Result<i32, Error> {
    if value.len() > out_cap as u32 as usize {
        return Ok(ReturnCode::BufferTooSmall.as_i32());
    }
    write_mem(caller, out_ptr, value)?;
    Ok(value.len() as i32)
}

fn check_len(len: i32, max: u32, err: ExecError) -> Result<u32, Error> {
    let len = len as u32;
    if len > max {
        return Err(fail(err));
    }
    Ok(len)
}

fn read_key(
    caller: &mut Ctx<'_>,
    kind: HostCost,
    key_ptr: i32,
    key_len: i32,
    extra: u64,
) -> Result<Vec<u8>, Error> {
    let max = caller.data().limits.max_key_len;
    let key_len = check_len(key_len, max, ExecError::KeyTooLarge)?;
    charge(caller, kind, u64::from(key_len).saturating_add(extra))?;
    read_mem(caller, key_ptr, key_len)
}

fn exit(caller: &mut Ctx<'_>, data_ptr: i32, data_len: i32, how: HostTrap) -> Result<(), Error> {
    let max = caller.data().limits.max_output_len;
    let len = check_len(data_len, max, ExecError::OutputTooLarge)?;
    charge(caller, HostCost::Output, u64::from(len))?;
    let data = read_mem(caller, data_ptr, len)?;
    caller.data_mut().output = data;
    Err(trap(how))
}

/// Encoded bytes of an entry of System's topic index (`EventTopics`: its hashed key and a
/// one-event value) an indexed topic proves, on top of the trie path (`storage_access_proof`).
pub const TOPIC_ENTRY_PROOF: u64 = 96;

/// Records an event: its name `topic`, `topics.1` indexed 32-byte topics at `topics.0` and
/// `data` (each a pointer and a length), all checked and charged before anything is read.
fn emit(
    c: &mut Ctx<'_>,
    topic: (i32, i32),
    topics: (i32, i32),
    data: (i32, i32),
) -> Result<i32, Error> {
    let limits = c.data().limits;
    let topic_len = check_len(topic.1, limits.max_topic_len, ExecError::TopicTooLarge)?;
    let count = check_len(topics.1, limits.max_event_topics, ExecError::TooManyTopics)?;
    let data_len = check_len(
        data.1,
        limits.max_event_data_len,
        ExecError::EventDataTooLarge,
    )?;
    if c.data().events.len() >= limits.max_events as usize {
        return Err(fail(ExecError::TooManyEvents));
    }
    charge(
        c,
        HostCost::EmitEvent,
        u64::from(topic_len) + u64::from(data_len),
    )?;
    let per_topic = c.data().schedule.event_topic;
    charge_gas(c, per_topic.saturating_mul(u64::from(count)))?;
    // Each topic is a new entry of System's topic index (cleared every block).
    entries_proof(c, TOPIC_ENTRY_PROOF, u64::from(count))?;
    let name = read_mem(c, topic.0, topic_len)?;
    let indexed = mem_slice(c, topics.0, count.saturating_mul(HASH_LEN as u32))?
        .chunks_exact(HASH_LEN)
        .filter_map(|t| <[u8; HASH_LEN]>::try_from(t).ok())
        .collect();
    let data = read_mem(c, data.0, data_len)?;
    c.data_mut().events.push(ContractEvent {
        topic: name,
        topics: indexed,
        data,
    });
    Ok(ReturnCode::Success.as_i32())
}

/// Encoded bytes of an account's balance entry (`System::Account`: key and value) a balance
/// access proves, on top of the trie path (`storage_access_proof`).
pub const ACCOUNT_ENTRY_PROOF: u64 = 160;

/// Accounts the proof of `entries` storage entries of `entry_bytes` each (key and value), on top
/// of each one's trie path (`storage_access_proof`).
fn entries_proof(caller: &mut Ctx<'_>, entry_bytes: u64, entries: u64) -> Result<(), Error> {
    let per_entry = caller
        .data()
        .schedule
        .storage_access_proof
        .saturating_add(entry_bytes);
    charge_proof(caller, per_entry.saturating_mul(entries))
}

/// Accounts the proof of `accounts` balance entries.
fn account_access(caller: &mut Ctx<'_>, accounts: u64) -> Result<(), Error> {
    entries_proof(caller, ACCOUNT_ENTRY_PROOF, accounts)
}

/// Writes `value` as [`BALANCE_LEN`] little-endian bytes at `out_ptr`.
fn write_balance(caller: &mut Ctx<'_>, out_ptr: i32, value: u128) -> Result<i32, Error> {
    write_mem(caller, out_ptr, &value.to_le_bytes())?;
    Ok(ReturnCode::Success.as_i32())
}

/// Encoded bytes of a contract's record (`ContractInfoOf`: key and value) a cross-contract call
/// proves, on top of the trie path (`storage_access_proof`); a test holds it above the record's
/// largest encoding.
pub const CONTRACT_ENTRY_PROOF: u64 = 256;

/// Records an instantiation reads besides the code: the code's record, the deployer's nonce and
/// the new contract's (absent) record.
const INSTANTIATE_ENTRIES: u64 = 3;

/// Reads a 16-byte little-endian balance at `ptr`.
fn read_balance(caller: &Ctx<'_>, ptr: i32) -> Result<u128, Error> {
    let bytes: [u8; BALANCE_LEN] = mem_slice(caller, ptr, BALANCE_LEN as u32)?
        .try_into()
        .map_err(|_| fail(ExecError::MemoryOutOfBounds))?;
    Ok(u128::from_le_bytes(bytes))
}

/// Reads a 32-byte address or hash at `ptr`.
fn read_address(caller: &Ctx<'_>, ptr: i32) -> Result<[u8; ADDRESS_LEN], Error> {
    mem_slice(caller, ptr, ADDRESS_LEN as u32)?
        .try_into()
        .map_err(|_| fail(ExecError::MemoryOutOfBounds))
}

/// Charges moving `value` to another account (nothing for 0): the capability, the transfer's
/// gas and the proof of both accounts.
fn value_transfer(caller: &mut Ctx<'_>, value: u128) -> Result<(), Error> {
    if value == 0 {
        return Ok(());
    }
    ensure_capabilities(caller, Capability::ValueTransfer.into())?;
    charge(caller, HostCost::Transfer, 0)?;
    account_access(caller, 2)
}

/// Proof of `entries` records of the pallet's own storage.
fn record_access(caller: &mut Ctx<'_>, entries: u64) -> Result<(), Error> {
    entries_proof(caller, CONTRACT_ENTRY_PROOF, entries)
}

/// Leaves `pending` for the stack and suspends the execution (see `exec::nested`).
fn suspend(caller: &mut Ctx<'_>, pending: Pending) -> Result<i32, Error> {
    // The output buffer (and the address slot) must be in memory before anything runs:
    // memory never shrinks, so they still are when the response is written.
    mem_range(caller, pending.out_ptr, pending.out_cap)?;
    if let Some(ptr) = pending.address_out_ptr {
        mem_range(caller, ptr, ADDRESS_LEN as u32)?;
    }
    caller.data_mut().pending = Some(pending);
    Err(trap(HostTrap::Call))
}

/// The host functions, one associated function per ABI entry (same name and signature).
pub struct Host;

#[allow(clippy::too_many_arguments)]
impl Host {
    /// See `qnet_get_block_height` in `docs/ABI.md`.
    pub fn qnet_get_block_height(c: &mut Ctx<'_>) -> Result<i64, Error> {
        charge(c, HostCost::Context, 0)?;
        Ok(c.data().ctx.block_height as i64)
    }

    /// See `qnet_get_block_timestamp` in `docs/ABI.md`.
    pub fn qnet_get_block_timestamp(c: &mut Ctx<'_>) -> Result<i64, Error> {
        charge(c, HostCost::Context, 0)?;
        Ok(c.data().ctx.timestamp as i64)
    }

    /// See `qnet_get_caller` in `docs/ABI.md`.
    pub fn qnet_get_caller(c: &mut Ctx<'_>, out_ptr: i32, out_cap: i32) -> Result<i32, Error> {
        charge(c, HostCost::Context, 0)?;
        let who = c.data().ctx.caller.clone();
        write_out(c, out_ptr, out_cap, &who)
    }

    /// See `qnet_get_contract_address` in `docs/ABI.md`.
    pub fn qnet_get_contract_address(
        c: &mut Ctx<'_>,
        out_ptr: i32,
        out_cap: i32,
    ) -> Result<i32, Error> {
        charge(c, HostCost::Context, 0)?;
        let address = c.data().ctx.address;
        write_out(c, out_ptr, out_cap, &address)
    }

    /// See `qnet_gas_left` in `docs/ABI.md`.
    pub fn qnet_gas_left(c: &mut Ctx<'_>) -> Result<i64, Error> {
        charge(c, HostCost::Context, 0)?;
        let left = c.get_fuel().map_err(|_| fail(ExecError::OutOfGas))?;
        Ok(left.min(i64::MAX as u64) as i64)
    }

    /// See `qnet_input_size` in `docs/ABI.md`.
    pub fn qnet_input_size(c: &mut Ctx<'_>) -> Result<i32, Error> {
        charge(c, HostCost::Context, 0)?;
        Ok(c.data().ctx.input.len() as i32)
    }

    /// See `qnet_input_read` in `docs/ABI.md`.
    pub fn qnet_input_read(c: &mut Ctx<'_>, out_ptr: i32, out_cap: i32) -> Result<i32, Error> {
        let len = c.data().ctx.input.len();
        if len > out_cap as u32 as usize {
            charge(c, HostCost::Input, 0)?;
            return Ok(ReturnCode::BufferTooSmall.as_i32());
        }
        charge(c, HostCost::Input, len as u64)?;
        let input = core::mem::take(&mut c.data_mut().ctx.input);
        let res = write_out(c, out_ptr, out_cap, &input);
        c.data_mut().ctx.input = input;
        res
    }

    /// See `qnet_return` in `docs/ABI.md`.
    pub fn qnet_return(c: &mut Ctx<'_>, data_ptr: i32, data_len: i32) -> Result<(), Error> {
        exit(c, data_ptr, data_len, HostTrap::Return)
    }

    /// See `qnet_revert` in `docs/ABI.md`.
    pub fn qnet_revert(c: &mut Ctx<'_>, data_ptr: i32, data_len: i32) -> Result<(), Error> {
        exit(c, data_ptr, data_len, HostTrap::Revert)
    }

    /// See `qnet_storage_read` in `docs/ABI.md`.
    pub fn qnet_storage_read(
        c: &mut Ctx<'_>,
        key_ptr: i32,
        key_len: i32,
        out_ptr: i32,
        out_cap: i32,
    ) -> Result<i32, Error> {
        let key = read_key(c, HostCost::StorageRead, key_ptr, key_len, 0)?;
        let value = c.data().storage.read(&key);
        storage_access(c, key.len(), value.as_ref().map_or(0, |v| v.len() as u64))?;
        match value {
            Some(value) => write_out(c, out_ptr, out_cap, &value),
            None => Ok(ReturnCode::NotFound.as_i32()),
        }
    }

    /// See `qnet_storage_size` in `docs/ABI.md`.
    pub fn qnet_storage_size(c: &mut Ctx<'_>, key_ptr: i32, key_len: i32) -> Result<i32, Error> {
        let key = read_key(c, HostCost::StorageRead, key_ptr, key_len, 0)?;
        let size = c.data().storage.size(&key);
        storage_access(c, key.len(), size.map_or(0, u64::from))?;
        Ok(match size {
            Some(len) => len as i32,
            None => ReturnCode::NotFound.as_i32(),
        })
    }

    /// See `qnet_storage_write` in `docs/ABI.md`.
    pub fn qnet_storage_write(
        c: &mut Ctx<'_>,
        key_ptr: i32,
        key_len: i32,
        value_ptr: i32,
        value_len: i32,
    ) -> Result<i32, Error> {
        let max = c.data().limits.max_value_len;
        let value_len = check_len(value_len, max, ExecError::ValueTooLarge)?;
        let key = read_key(
            c,
            HostCost::StorageWrite,
            key_ptr,
            key_len,
            u64::from(value_len),
        )?;
        let value = read_mem(c, value_ptr, value_len)?;
        let old = c.data_mut().storage.write(&key, &value);
        storage_access(c, key.len(), old.map_or(0, u64::from))?;
        deposit_settlement(c)?;
        Ok(ReturnCode::Success.as_i32())
    }

    /// See `qnet_storage_remove` in `docs/ABI.md`.
    pub fn qnet_storage_remove(c: &mut Ctx<'_>, key_ptr: i32, key_len: i32) -> Result<i32, Error> {
        let key = read_key(c, HostCost::StorageRemove, key_ptr, key_len, 0)?;
        let old = c.data_mut().storage.remove(&key);
        storage_access(c, key.len(), old.map_or(0, u64::from))?;
        deposit_settlement(c)?;
        Ok(match old {
            Some(_) => ReturnCode::Success.as_i32(),
            None => ReturnCode::NotFound.as_i32(),
        })
    }

    /// See `qnet_hash` in `docs/ABI.md`.
    pub fn qnet_hash(
        c: &mut Ctx<'_>,
        data_ptr: i32,
        data_len: i32,
        out_ptr: i32,
    ) -> Result<i32, Error> {
        let len = data_len as u32;
        charge(c, HostCost::Hash, u64::from(len))?;
        let hash: [u8; HASH_LEN] = sp_io::hashing::blake2_256(mem_slice(c, data_ptr, len)?);
        write_mem(c, out_ptr, &hash)?;
        Ok(ReturnCode::Success.as_i32())
    }

    /// See `qnet_verify_signature` in `docs/ABI.md`.
    pub fn qnet_verify_signature(
        c: &mut Ctx<'_>,
        msg_ptr: i32,
        msg_len: i32,
        sig_ptr: i32,
        pubkey_ptr: i32,
    ) -> Result<i32, Error> {
        let len = msg_len as u32;
        charge(c, HostCost::VerifySignature, u64::from(len))?;
        let msg = read_mem(c, msg_ptr, len)?;
        let sig = read_mem(c, sig_ptr, SIGNATURE_LEN as u32)?;
        let pk = read_mem(c, pubkey_ptr, PUBLIC_KEY_LEN as u32)?;
        let (Ok(sig), Ok(pk)) = (
            <[u8; SIGNATURE_LEN]>::try_from(sig),
            <[u8; PUBLIC_KEY_LEN]>::try_from(pk),
        ) else {
            return Err(fail(ExecError::MemoryOutOfBounds));
        };
        let ok = sp_io::crypto::sr25519_verify(
            &sp_core::sr25519::Signature::from_raw(sig),
            &msg,
            &sp_core::sr25519::Public::from_raw(pk),
        );
        Ok(i32::from(ok))
    }

    /// See `qnet_emit_event` in `docs/ABI.md`.
    pub fn qnet_emit_event(
        c: &mut Ctx<'_>,
        topic_ptr: i32,
        topic_len: i32,
        data_ptr: i32,
        data_len: i32,
    ) -> Result<i32, Error> {
        emit(c, (topic_ptr, topic_len), (0, 0), (data_ptr, data_len))
    }

    /// See `qnet_emit_event_indexed` in `docs/ABI.md`.
    pub fn qnet_emit_event_indexed(
        c: &mut Ctx<'_>,
        topic_ptr: i32,
        topic_len: i32,
        topics_ptr: i32,
        topics_count: i32,
        data_ptr: i32,
        data_len: i32,
    ) -> Result<i32, Error> {
        emit(
            c,
            (topic_ptr, topic_len),
            (topics_ptr, topics_count),
            (data_ptr, data_len),
        )
    }

    /// See `qnet_balance` in `docs/ABI.md`.
    pub fn qnet_balance(c: &mut Ctx<'_>, out_ptr: i32) -> Result<i32, Error> {
        charge(c, HostCost::Balance, 0)?;
        account_access(c, 1)?;
        let balance = c.data().storage.balance();
        write_balance(c, out_ptr, balance)
    }

    /// See `qnet_value_transferred` in `docs/ABI.md`.
    pub fn qnet_value_transferred(c: &mut Ctx<'_>, out_ptr: i32) -> Result<i32, Error> {
        charge(c, HostCost::Context, 0)?;
        let value = c.data().ctx.value;
        write_balance(c, out_ptr, value)
    }

    /// See `qnet_minimum_balance` in `docs/ABI.md`.
    pub fn qnet_minimum_balance(c: &mut Ctx<'_>, out_ptr: i32) -> Result<i32, Error> {
        charge(c, HostCost::Context, 0)?;
        let minimum = c.data().storage.minimum_balance();
        write_balance(c, out_ptr, minimum)
    }

    /// See `qnet_transfer` in `docs/ABI.md`.
    pub fn qnet_transfer(
        c: &mut Ctx<'_>,
        to_ptr: i32,
        to_len: i32,
        value_ptr: i32,
    ) -> Result<i32, Error> {
        let to_len = check_len(to_len, MAX_ACCOUNT_LEN, ExecError::InvalidAccount)?;
        charge(c, HostCost::Transfer, 0)?;
        account_access(c, 2)?;
        let to = read_mem(c, to_ptr, to_len)?;
        let value = read_balance(c, value_ptr)?;
        match c.data_mut().storage.transfer(&to, value) {
            Ok(()) => Ok(ReturnCode::Success.as_i32()),
            Err(TransferError::InsufficientBalance) => Ok(ReturnCode::InsufficientBalance.as_i32()),
            Err(TransferError::BelowMinimumBalance) => Ok(ReturnCode::BelowMinimumBalance.as_i32()),
            Err(TransferError::InvalidAccount) => Err(fail(ExecError::InvalidAccount)),
        }
    }

    /// See `qnet_call` in `docs/ABI.md`.
    pub fn qnet_call(
        c: &mut Ctx<'_>,
        callee_ptr: i32,
        method_ptr: i32,
        method_len: i32,
        input_ptr: i32,
        input_len: i32,
        value_ptr: i32,
        gas_limit: i64,
        flags: i32,
        out_ptr: i32,
        out_cap: i32,
    ) -> Result<i32, Error> {
        let max_input = c.data().limits.max_input_len;
        let method_len = check_len(method_len, MAX_METHOD_LEN, ExecError::InputTooLarge)?;
        let input_len = check_len(input_len, max_input, ExecError::InputTooLarge)?;
        if flags & !CALL_FLAGS != 0 {
            return Err(fail(ExecError::InvalidCallFlags));
        }
        charge(
            c,
            HostCost::Call,
            u64::from(method_len).saturating_add(u64::from(input_len)),
        )?;
        record_access(c, 1)?;
        let callee = read_address(c, callee_ptr)?;
        let method = read_mem(c, method_ptr, method_len)?;
        let input = read_mem(c, input_ptr, input_len)?;
        let value = read_balance(c, value_ptr)?;
        let read_only = c.data().ctx.read_only || flags & CALL_FLAG_READ_ONLY != 0;
        if read_only && value != 0 {
            return Err(fail(ExecError::StateChangeDenied));
        }
        value_transfer(c, value)?;
        let request = Request::Call {
            callee,
            method,
            input,
            value,
            allow_reentry: flags & CALL_FLAG_ALLOW_REENTRY != 0,
            read_only,
        };
        suspend(
            c,
            Pending {
                request,
                gas_limit: gas_limit as u64,
                out_ptr,
                out_cap: out_cap as u32,
                address_out_ptr: None,
            },
        )
    }

    /// See `qnet_instantiate` in `docs/ABI.md`.
    pub fn qnet_instantiate(
        c: &mut Ctx<'_>,
        code_hash_ptr: i32,
        input_ptr: i32,
        input_len: i32,
        value_ptr: i32,
        gas_limit: i64,
        address_out_ptr: i32,
        out_ptr: i32,
        out_cap: i32,
    ) -> Result<i32, Error> {
        let max_input = c.data().limits.max_input_len;
        let input_len = check_len(input_len, max_input, ExecError::InputTooLarge)?;
        charge(c, HostCost::Instantiate, u64::from(input_len))?;
        record_access(c, INSTANTIATE_ENTRIES)?;
        let code_hash = read_address(c, code_hash_ptr)?;
        let input = read_mem(c, input_ptr, input_len)?;
        let value = read_balance(c, value_ptr)?;
        if value != 0 {
            ensure_capabilities(c, Capability::ValueTransfer.into())?;
        }
        // The new account always receives the minimum balance: a transfer even for value 0.
        charge(c, HostCost::Transfer, 0)?;
        account_access(c, 2)?;
        suspend(
            c,
            Pending {
                request: Request::Instantiate {
                    code_hash,
                    input,
                    value,
                },
                gas_limit: gas_limit as u64,
                out_ptr,
                out_cap: out_cap as u32,
                address_out_ptr: Some(address_out_ptr),
            },
        )
    }

    /// See `qnet_set_code_hash` in `docs/ABI.md`.
    pub fn qnet_set_code_hash(c: &mut Ctx<'_>, code_hash_ptr: i32) -> Result<i32, Error> {
        charge(c, HostCost::SetCode, 0)?;
        // The new code's record, the old code's and the contract's.
        record_access(c, 3)?;
        let code_hash = read_address(c, code_hash_ptr)?;
        let granted = c.data().ctx.capabilities;
        match c.data().storage.code_capabilities(&code_hash) {
            Some(required) if granted.includes(required) => {
                c.data_mut().new_code = Some(code_hash);
                Ok(ReturnCode::Success.as_i32())
            }
            _ => Ok(ReturnCode::CodeNotFound.as_i32()),
        }
    }

    /// See `qnet_terminate` in `docs/ABI.md`.
    pub fn qnet_terminate(
        c: &mut Ctx<'_>,
        beneficiary_ptr: i32,
        beneficiary_len: i32,
    ) -> Result<(), Error> {
        let len = check_len(beneficiary_len, MAX_ACCOUNT_LEN, ExecError::InvalidAccount)?;
        charge(c, HostCost::Terminate, 0)?;
        // The contract's account and the beneficiary's; its record, its code's, the queue.
        account_access(c, 2)?;
        record_access(c, 3)?;
        let beneficiary = read_mem(c, beneficiary_ptr, len)?;
        let state = c.data_mut();
        state.terminate = Some(beneficiary);
        state.output.clear();
        Err(trap(HostTrap::Return))
    }

    /// See `qnet_return_data_size` in `docs/ABI.md`.
    pub fn qnet_return_data_size(c: &mut Ctx<'_>) -> Result<i32, Error> {
        charge(c, HostCost::Context, 0)?;
        Ok(c.data().return_data.len() as i32)
    }

    /// See `qnet_return_data_read` in `docs/ABI.md`.
    pub fn qnet_return_data_read(
        c: &mut Ctx<'_>,
        out_ptr: i32,
        out_cap: i32,
    ) -> Result<i32, Error> {
        let len = c.data().return_data.len();
        if len > out_cap as u32 as usize {
            charge(c, HostCost::Input, 0)?;
            return Ok(ReturnCode::BufferTooSmall.as_i32());
        }
        charge(c, HostCost::Input, len as u64)?;
        let data = core::mem::take(&mut c.data_mut().return_data);
        let res = write_out(c, out_ptr, out_cap, &data);
        c.data_mut().return_data = data;
        res
    }
}

macro_rules! define_linker {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($p:ident: $pt:ident),*) $(-> $rt:ident)?; cost = $cost:ident;
        requires = [$($cap:ident),*];
    )*) => {
        /// A linker with every host function of the ABI table, each bound to the [`Host`]
        /// function of the same name (a missing or mistyped one does not compile) behind the
        /// check of the capabilities the table says it requires.
        pub fn linker(engine: &Engine) -> Result<Linker<HostState>, Error> {
            let mut linker = Linker::<HostState>::new(engine);
            $(
                linker.func_wrap(
                    IMPORT_MODULE,
                    stringify!($name),
                    |mut c: Ctx<'_>, $($p: $pt),*| {
                        const REQUIRED: Capabilities = Capabilities::of(&[$(Capability::$cap),*]);
                        ensure_capabilities(&c, REQUIRED)?;
                        Host::$name(&mut c, $($p),*)
                    },
                )?;
            )*
            Ok(linker)
        }
    };
}
qvm_primitives::for_each_host_function!(define_linker);
