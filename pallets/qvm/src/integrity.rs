//! Configuration checks run by the pallet's `integrity_test`: a runtime whose limits, schedule
//! or block weights cannot work together fails its tests (and `try-runtime`), not a block.

use crate::{Config, Pallet};
use frame_support::{dispatch::DispatchClass, traits::Get};
use qvm_primitives::gas::PAGE_SIZE;

/// The largest single allocation the runtime's heap allocator serves (`sp_core`'s
/// `MAX_POSSIBLE_ALLOCATION`): a contract's linear memory and the interpreter's value stack are
/// each one buffer, which may be reallocated at twice its size while growing.
pub const MAX_ALLOCATION: u64 = 32 * 1024 * 1024;

/// Heap an execution may use for the contract's memory, its value stack and its compiled code:
/// half of the 128 MiB an executor gives a runtime by default (2,048 extra heap pages), the rest
/// being the runtime's own.
pub const EXECUTION_HEAP: u64 = 64 * 1024 * 1024;

/// Heap bytes the interpreter needs per byte of code (parsed module and translated bytecode; a
/// generous bound, measured well below it for the benchmark contracts).
pub const HEAP_PER_CODE_BYTE: u64 = 16;

/// The deepest call stack a configuration may allow: every frame opens a storage transaction
/// layer, of which an extrinsic has 255.
pub const MAX_CALL_DEPTH: u32 = 64;

/// wasmi addresses the slots of a function frame with 16 bits.
pub const MAX_FRAME_SLOTS: u32 = u16::MAX as u32;

/// Checks the configuration of `T`; the first problem found, described.
pub fn check<T: Config>() -> Result<(), &'static str> {
    let limits = T::Limits::get();
    let schedule = T::Schedule::get();
    let code_len = u64::from(T::MaxCodeLen::get());
    let memory = u64::from(limits.max_memory_pages).saturating_mul(PAGE_SIZE);
    let stack = u64::from(limits.max_stack_bytes);

    if memory.saturating_mul(2) > MAX_ALLOCATION {
        return Err("Limits::max_memory_pages: memory, doubled while growing, exceeds one allocation (32 MiB)");
    }
    if stack.saturating_mul(2) > MAX_ALLOCATION {
        return Err(
            "Limits::max_stack_bytes: the stack, doubled while growing, exceeds one allocation",
        );
    }
    // Every frame of a call stack may hold a whole memory, value stack and compiled code.
    let frame_heap = memory
        .saturating_add(stack)
        .saturating_add(code_len.saturating_mul(HEAP_PER_CODE_BYTE));
    if limits.max_call_depth == 0 || limits.max_call_depth > MAX_CALL_DEPTH {
        return Err("Limits::max_call_depth must be between 1 and 64 (storage transaction layers)");
    }
    if frame_heap.saturating_mul(u64::from(limits.max_call_depth)) > EXECUTION_HEAP {
        return Err(
            "memory + stack + compiled code of a full call stack (max_call_depth frames) exceed the execution heap (64 MiB)",
        );
    }
    if schedule.code_entry_per_byte >= u64::from(crate::exec::instrument::NOP_GAS) {
        return Err("GasConfig::code_entry_per_byte must be below the gas of a `nop` (255): the first-entry charge is made of them");
    }
    if limits.max_locals == 0 || limits.max_locals > MAX_FRAME_SLOTS {
        return Err("Limits::max_locals must be between 1 and 65,535 (wasmi's frame size)");
    }
    if limits.max_recursion_depth == 0 || limits.max_functions < 2 {
        return Err(
            "Limits: a contract needs a call depth of 1 and two functions (constructor, a method)",
        );
    }
    if schedule.ref_time_per_gas == 0 {
        return Err("GasConfig::ref_time_per_gas is 0: gas would be free");
    }
    for base in [
        schedule.storage_read,
        schedule.storage_write,
        schedule.storage_remove,
    ] {
        if base < schedule.storage_access_proof {
            return Err("GasConfig: a storage base cost is below storage_access_proof (proof size would outgrow gas)");
        }
    }
    // The largest code must be loadable by one call extrinsic with the largest input, and its
    // upload must fit one extrinsic.
    if schedule.code_load_per_body_byte == 0
        || schedule.code_load_per_body_byte > schedule.code_load_per_byte
    {
        return Err(
            "GasConfig::code_load_per_body_byte must be at least 1 and at most code_load_per_byte",
        );
    }
    let load = schedule.load_cost(&limits.largest_code_shape(code_len));
    if Pallet::<T>::max_call_gas_limit(limits.max_input_len as usize) < load {
        return Err("a call of the largest code with the largest input cannot pay for loading it within max_extrinsic");
    }
    let weights = <T as frame_system::Config>::BlockWeights::get();
    let normal = weights.get(DispatchClass::Normal);
    let max_extrinsic = normal.max_extrinsic.unwrap_or(weights.max_block);
    let upload =
        Pallet::<T>::upload_weight(code_len as usize, None).saturating_add(normal.base_extrinsic);
    if upload.any_gt(max_extrinsic) {
        return Err("uploading the largest code does not fit max_extrinsic");
    }
    Ok(())
}
