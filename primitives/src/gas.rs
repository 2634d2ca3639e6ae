//! The gas schedule ([`GasConfig`]) and execution modes ([`ExecutionMode`]).

use crate::abi::HostCost;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Bytes per page of Wasm linear memory.
pub const PAGE_SIZE: u64 = 64 * 1024;

/// Gas costs of Wasm operators, code loading and host functions.
///
/// Operator costs are `u8` because the interpreter (wasmi) meters each operator with a one-byte
/// cost; everything else is `u64`. [`GasConfig::default`] is the seed design's schedule with a
/// hand-set `ref_time_per_gas`, kept for tests that count gas exactly; runtimes use the schedule
/// calibrated from FRAME benchmark results (`pallet_qvm::CalibratedSchedule`), which keeps the
/// operator costs and derives everything else from the measured weights.
///
/// Gas becomes `Weight` as `ref_time = gas × ref_time_per_gas` and, for proof size, at most one
/// byte per unit of gas (see `pallet_qvm::gas`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    TypeInfo,
    MaxEncodedLen,
)]
pub struct GasConfig {
    /// Integer `add`/`sub` and other single-cycle ALU operators (logic, shifts, compares,
    /// constants, locals, globals, select, conversions).
    pub add: u8,
    /// Integer multiplication.
    pub mul: u8,
    /// Integer division and remainder.
    pub div: u8,
    /// Any memory load.
    pub memory_read: u8,
    /// Any memory store.
    pub memory_write: u8,
    /// `call` and `call_indirect` (frame setup).
    pub call: u8,
    /// `global.get` and `global.set`.
    pub global: u8,
    /// `br_table` (an indexed jump).
    pub br_table: u8,
    /// `br`, `br_if`, `if` and `else`: a branch, plus (beyond the 1 gas wasmi charges itself) the fuel
    /// check it runs at the start of every loop iteration and `if` block: an endless
    /// `loop br 0 end` executes nothing else.
    pub branch: u8,
    /// `memory.size`, `memory.grow`, `memory.copy`, `memory.fill`, `memory.init` and
    /// `data.drop`: the fixed work of one (bounds and limit checks, the call into the copy), on
    /// top of the per-byte [`Self::bulk_bytes_per_gas`].
    pub memory_op: u8,
    /// Bytes copied/filled/grown per unit of gas by `memory.{grow,copy,fill,init}` (on top of
    /// the operator's own cost, [`Self::memory_op`]).
    pub bulk_bytes_per_gas: u32,
    /// Bytes of a module's initial linear memory allocated and zeroed per unit of gas at every
    /// load ([`Self::memory_cost`]); separate from [`Self::bulk_bytes_per_gas`] because growing
    /// a buffer also reallocates and copies it, which allocating it once at its size does not.
    pub initial_memory_bytes_per_gas: u32,
    /// Declared (non-parameter) locals a function entry zeroes per unit of gas: every call
    /// pays `ceil(locals / locals_per_gas)` on entering the callee (0 disables the charge).
    pub locals_per_gas: u32,
    /// Charged per byte of contract code loaded and prepared for each execution (reading,
    /// parsing and instantiating the whole code), except function bodies
    /// ([`Self::code_load_per_body_byte`]).
    pub code_load_per_byte: u64,
    /// Charged per byte of the function bodies (the code section) at every load, in place of
    /// [`Self::code_load_per_byte`]: loading reads a body's length and skips it, translating
    /// it only when an execution enters it ([`Self::code_entry_per_byte`]).
    pub code_load_per_body_byte: u64,
    /// Charged per byte of a function's body the first time an execution enters it:
    /// translating it into the interpreter's bytecode ([`Self::entry_cost`]; 0 charges
    /// nothing and injects nothing).
    pub code_entry_per_byte: u64,
    /// Charged per function defined in the code, for each execution (per-function work of
    /// validation and translation that a byte count does not cover).
    pub code_load_per_function: u64,
    /// Charged per export of the code, for each execution (parsed into a name map at load,
    /// and into another at instantiation).
    pub code_load_per_export: u64,
    /// Charged per function type the code declares, for each execution (each is built and
    /// interned by the engine at load).
    pub code_load_per_type: u64,
    /// Fixed cost of instantiating a module for one execution.
    pub instantiate: u64,
    /// Context getters: block height/timestamp, caller, address, gas left, input size.
    pub context: u64,
    /// `qnet_input_read` base.
    pub input: u64,
    /// `qnet_input_read` per byte.
    pub input_per_byte: u64,
    /// `qnet_return`/`qnet_revert` base.
    pub output: u64,
    /// `qnet_return`/`qnet_revert` per byte.
    pub output_per_byte: u64,
    /// Storage read (and size query) base.
    pub storage_read: u64,
    /// Storage read per byte of key and value.
    pub storage_read_per_byte: u64,
    /// Storage write base.
    pub storage_write: u64,
    /// Storage write per byte of key and value.
    pub storage_write_per_byte: u64,
    /// Storage remove (a write of nothing), per call.
    pub storage_remove: u64,
    /// Storage remove per byte of key.
    pub storage_remove_per_byte: u64,
    /// Hash base.
    pub hash: u64,
    /// Hash per input byte.
    pub hash_per_byte: u64,
    /// sr25519 signature verification base.
    pub verify_signature: u64,
    /// Signature verification per message byte.
    pub verify_signature_per_byte: u64,
    /// Event emission base.
    pub emit_event: u64,
    /// Event emission per byte of topic and data.
    pub emit_event_per_byte: u64,
    /// Per indexed topic of an event (an entry appended to System's topic index).
    pub event_topic: u64,
    /// Reading the executing contract's balance.
    pub balance: u64,
    /// A transfer from the executing contract to an account.
    pub transfer: u64,
    /// A cross-contract call's own work (`qnet_call`: the frame, its storage transaction, the
    /// callee's record); the callee's execution is charged by the callee.
    pub contract_call: u64,
    /// Instantiating a contract from a contract (`qnet_instantiate`): the frame and the new
    /// contract's records and account; the constructor is charged by the callee.
    pub contract_instantiate: u64,
    /// Per byte of method name and input passed to, and of output copied back from, a
    /// cross-contract call or instantiation.
    pub contract_call_per_byte: u64,
    /// `qnet_set_code_hash`: reading the new code's record, rewriting both codes' records and
    /// the contract's.
    pub set_code: u64,
    /// `qnet_terminate`: removing the contract's record, paying out its account and deposit,
    /// queueing its storage for deletion.
    pub terminate: u64,
    /// Charged once by an execution whose storage usage changes (at its first write or
    /// remove that makes the change non-zero): settling its storage deposit at the end of the
    /// entry point, a held transfer between the origin and the contract.
    pub storage_deposit: u64,
    /// Picoseconds of `ref_time` one unit of gas stands for.
    pub ref_time_per_gas: u64,
    /// Proof-size bytes accounted per storage access on top of its key and value (the trie
    /// nodes on the path to the key). An execution never accounts more proof bytes than its
    /// gas limit (it runs out of gas instead), so storage base costs should be at least this.
    pub storage_access_proof: u64,
}

impl Default for GasConfig {
    fn default() -> Self {
        Self {
            add: 1,
            mul: 2,
            div: 5,
            memory_read: 10,
            memory_write: 20,
            call: 2,
            global: 1,
            br_table: 1,
            branch: 1,
            memory_op: 1,
            bulk_bytes_per_gas: 64,
            initial_memory_bytes_per_gas: 64,
            locals_per_gas: 8,
            code_load_per_byte: 1,
            code_entry_per_byte: 0,
            code_load_per_body_byte: 1,
            code_load_per_function: 0,
            code_load_per_export: 0,
            code_load_per_type: 0,
            instantiate: 1_000,
            context: 10,
            input: 10,
            input_per_byte: 1,
            output: 10,
            output_per_byte: 1,
            storage_read: 100,
            storage_read_per_byte: 1,
            storage_write: 1_000,
            storage_write_per_byte: 10,
            storage_remove: 1_000,
            storage_remove_per_byte: 1,
            hash: 50,
            hash_per_byte: 1,
            verify_signature: 500,
            verify_signature_per_byte: 1,
            emit_event: 100,
            emit_event_per_byte: 10,
            event_topic: 1_000,
            balance: 100,
            transfer: 1_000,
            contract_call: 2_000,
            contract_instantiate: 5_000,
            contract_call_per_byte: 1,
            storage_deposit: 1_000,
            set_code: 3_000,
            terminate: 5_000,
            ref_time_per_gas: 10_000,
            // Uncalibrated: only key and value bytes are accounted as proof size.
            storage_access_proof: 0,
        }
    }
}

impl GasConfig {
    /// `(base, per_byte)` of a host cost entry.
    pub const fn host_cost_parts(&self, cost: HostCost) -> (u64, u64) {
        match cost {
            HostCost::Context => (self.context, 0),
            HostCost::Input => (self.input, self.input_per_byte),
            HostCost::Output => (self.output, self.output_per_byte),
            HostCost::StorageRead => (self.storage_read, self.storage_read_per_byte),
            HostCost::StorageWrite => (self.storage_write, self.storage_write_per_byte),
            HostCost::StorageRemove => (self.storage_remove, self.storage_remove_per_byte),
            HostCost::Hash => (self.hash, self.hash_per_byte),
            HostCost::VerifySignature => (self.verify_signature, self.verify_signature_per_byte),
            HostCost::EmitEvent => (self.emit_event, self.emit_event_per_byte),
            HostCost::Balance => (self.balance, 0),
            HostCost::Transfer => (self.transfer, 0),
            HostCost::Call => (self.contract_call, self.contract_call_per_byte),
            HostCost::Instantiate => (self.contract_instantiate, self.contract_call_per_byte),
            HostCost::SetCode => (self.set_code, 0),
            HostCost::Terminate => (self.terminate, 0),
        }
    }

    /// Gas charged for a host call of kind `cost` touching `bytes` variable-size bytes
    /// (saturating; an absurd size simply exhausts any gas limit).
    pub const fn host_cost(&self, cost: HostCost, bytes: u64) -> u64 {
        let (base, per_byte) = self.host_cost_parts(cost);
        base.saturating_add(per_byte.saturating_mul(bytes))
    }

    /// Gas charged before execution for loading and instantiating code of `shape`, whose
    /// memory starts with `shape.initial_pages` pages (allocated and zeroed at that size).
    pub const fn load_cost(&self, shape: &CodeShape) -> u64 {
        let bodies = if shape.body_len < shape.len {
            shape.body_len
        } else {
            shape.len
        };
        self.instantiate
            .saturating_add(self.code_load_per_byte.saturating_mul(shape.len - bodies))
            .saturating_add(self.code_load_per_body_byte.saturating_mul(bodies))
            .saturating_add(self.code_load_per_function.saturating_mul(shape.functions))
            .saturating_add(self.code_load_per_export.saturating_mul(shape.exports))
            .saturating_add(self.code_load_per_type.saturating_mul(shape.types))
            .saturating_add(self.memory_cost(shape.initial_pages))
    }

    /// The least [`Self::load_cost`] of any code `len` bytes long (what a budget must hold
    /// before the code is read).
    pub const fn least_load_cost(&self, len: u64) -> u64 {
        let per_byte = if self.code_load_per_body_byte < self.code_load_per_byte {
            self.code_load_per_body_byte
        } else {
            self.code_load_per_byte
        };
        self.instantiate
            .saturating_add(per_byte.saturating_mul(len))
    }

    /// Gas charged when an execution first enters a function whose body is `body_len` bytes
    /// long (translating it).
    pub const fn entry_cost(&self, body_len: u64) -> u64 {
        self.code_entry_per_byte.saturating_mul(body_len)
    }

    /// Gas charged on entering a function that declares `locals` locals besides its
    /// parameters (the interpreter zeroes them at every call).
    pub const fn locals_cost(&self, locals: u64) -> u64 {
        if self.locals_per_gas == 0 {
            0
        } else {
            locals.div_ceil(self.locals_per_gas as u64)
        }
    }

    /// Gas of allocating and zeroing `pages` pages of initial linear memory.
    pub const fn memory_cost(&self, pages: u64) -> u64 {
        let per_gas = if self.initial_memory_bytes_per_gas == 0 {
            1
        } else {
            self.initial_memory_bytes_per_gas as u64
        };
        pages.saturating_mul(PAGE_SIZE).div_ceil(per_gas)
    }
}

/// How uploaded contract code is compiled to the interpreter's internal bytecode when it is
/// validated (the seed's execution strategies, mapped onto wasmi's compilation modes).
/// Executions of stored code always translate each function when they first enter it, which
/// is what they are charged for; gas is identical in every mode.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    TypeInfo,
    MaxEncodedLen,
)]
pub enum ExecutionMode {
    /// Validate and translate every function (wasmi `CompilationMode::Eager`).
    FullJIT,
    /// Validate eagerly, translate each function when first called
    /// (wasmi `CompilationMode::LazyTranslation`).
    #[default]
    Interpreter,
    /// Eager translation for code up to `jit_threshold` bytes, lazy translation above it.
    Hybrid {
        /// Code size in bytes up to which translation is eager.
        jit_threshold: u32,
    },
}

/// Size and resource limits of contract code and execution (the pallet's `Limits` constant).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    TypeInfo,
    MaxEncodedLen,
)]
pub struct Limits {
    /// Linear-memory pages (64 KiB each) a contract may have, initially or by growing.
    pub max_memory_pages: u32,
    /// wasmi value-stack size in bytes.
    pub max_stack_bytes: u32,
    /// Maximum call depth inside a contract.
    pub max_recursion_depth: u32,
    /// Functions per module (imported and defined).
    pub max_functions: u32,
    /// Locals per function, parameters included.
    pub max_locals: u32,
    /// Globals per module.
    pub max_globals: u32,
    /// Initial table elements.
    pub max_table_elements: u32,
    /// Data segments per module.
    pub max_data_segments: u32,
    /// Element segments per module.
    pub max_element_segments: u32,
    /// Function types per module.
    pub max_types: u32,
    /// Exports per module.
    pub max_exports: u32,
    /// Storage key length in bytes.
    pub max_key_len: u32,
    /// Storage value length in bytes.
    pub max_value_len: u32,
    /// Event topic length in bytes.
    pub max_topic_len: u32,
    /// Event data length in bytes.
    pub max_event_data_len: u32,
    /// Events per execution.
    pub max_events: u32,
    /// Indexed topics per event (`qnet_emit_event_indexed`).
    pub max_event_topics: u32,
    /// Call input (constructor or method arguments) length in bytes.
    pub max_input_len: u32,
    /// Output (return or revert data) length in bytes.
    pub max_output_len: u32,
    /// Contract executions on one call stack (the entry point's frame included): a
    /// `qnet_call` or `qnet_instantiate` beyond it returns `CallDepthExceeded`. Every frame may
    /// hold a whole linear memory and value stack, so the runtime's heap bounds it
    /// (`pallet_qvm::integrity`).
    pub max_call_depth: u32,
}

/// What loading a module costs depends on ([`GasConfig::load_cost`]): its size and the items
/// loading handles one by one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodeShape {
    /// Bytes of code (as translated).
    pub len: u64,
    /// Of which the code section (the function bodies): skipped at load.
    pub body_len: u64,
    /// Functions defined.
    pub functions: u64,
    /// Exports.
    pub exports: u64,
    /// Function types declared.
    pub types: u64,
    /// Pages of linear memory at instantiation.
    pub initial_pages: u64,
}

impl Limits {
    /// The costliest shape code of `len` bytes can have within these limits (for a schedule
    /// whose body rate is at most its byte rate): none of it bodies, every item at its
    /// limit, the most initial memory.
    pub const fn largest_code_shape(&self, len: u64) -> CodeShape {
        CodeShape {
            len,
            body_len: 0,
            functions: self.max_functions as u64,
            exports: self.max_exports as u64,
            types: self.max_types as u64,
            initial_pages: self.max_memory_pages as u64,
        }
    }
}

/// The reference runtime's limits. Contract memory is 8 MiB (128 pages): a runtime's heap
/// allocator serves at most 32 MiB per allocation, a growing buffer may be reallocated at twice
/// its size, and the largest code with the most initial memory must be loadable within one
/// extrinsic at the fresh-instance price of memory (`pallet_qvm::integrity`). TestVM uses the
/// same values, so a contract that passes its tests fits on chain.
impl Default for Limits {
    fn default() -> Self {
        Self {
            max_memory_pages: 128,
            max_stack_bytes: 1024 * 1024,
            max_recursion_depth: 1024,
            max_functions: 4096,
            max_locals: 1024,
            max_globals: 256,
            max_table_elements: 4096,
            max_data_segments: 1024,
            max_element_segments: 256,
            max_types: 256,
            max_exports: 256,
            max_key_len: 128,
            max_value_len: 16 * 1024,
            max_topic_len: 64,
            max_event_data_len: 4 * 1024,
            max_events: 64,
            max_event_topics: 4,
            max_input_len: 64 * 1024,
            max_output_len: 64 * 1024,
            max_call_depth: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_memory_is_charged_at_its_own_rate_not_the_bulk_rate() {
        let schedule = GasConfig {
            bulk_bytes_per_gas: 2,
            initial_memory_bytes_per_gas: 4,
            ..GasConfig::default()
        };
        // One page at 4 bytes per gas, whatever growth and copies cost.
        assert_eq!(schedule.memory_cost(1), PAGE_SIZE / 4);
        let pages = |initial_pages| CodeShape {
            initial_pages,
            ..CodeShape::default()
        };
        assert_eq!(
            schedule.load_cost(&pages(3)) - schedule.load_cost(&pages(0)),
            3 * PAGE_SIZE / 4
        );
    }

    #[test]
    fn bodies_load_at_their_own_rate_and_items_are_charged_apiece() {
        let schedule = GasConfig {
            code_load_per_byte: 10,
            code_load_per_body_byte: 2,
            code_load_per_function: 3,
            code_load_per_export: 5,
            code_load_per_type: 7,
            ..GasConfig::default()
        };
        let shape = CodeShape {
            len: 1_000,
            body_len: 800,
            functions: 4,
            exports: 2,
            types: 3,
            initial_pages: 0,
        };
        let fixed = schedule.instantiate;
        assert_eq!(
            schedule.load_cost(&shape) - fixed,
            200 * 10 + 800 * 2 + 4 * 3 + 2 * 5 + 3 * 7
        );
        // A body length beyond the code's (impossible) charges no header bytes.
        let all_bodies = CodeShape {
            body_len: 5_000,
            ..shape
        };
        assert_eq!(
            schedule.load_cost(&all_bodies) - fixed,
            1_000 * 2 + 4 * 3 + 2 * 5 + 3 * 7
        );
        // The least cost of a length is no more than any shape of that length is charged.
        assert_eq!(schedule.least_load_cost(1_000), fixed + 2_000);
        assert!(schedule.least_load_cost(1_000) <= schedule.load_cost(&shape));
    }
}
