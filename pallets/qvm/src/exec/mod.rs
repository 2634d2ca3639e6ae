//! Contract execution on wasmi with fuel-metered gas.
//!
//! [`compile`] turns validated code into a [`Prepared`] module; [`execute`] runs one entry point
//! of it against a contract's storage. A [`Prepared`] module may be executed any number of
//! times: gas never depends on reuse or on the [`ExecutionMode`], because translation is free
//! of wasmi's fuel: code loading is charged per byte by [`execute`] on every run, and each
//! function's translation by the code itself when a run first enters it ([`instrument`]).

pub mod cache;
pub mod chain;
pub mod ext;
mod host;
pub mod instrument;
pub mod nested;
pub mod stack;
mod state;

pub use host::{linker, Host};
pub use state::{ExecContext, HostState, HostTrap};

use crate::{
    gas::{dynamic_costs, operator_costs},
    storage::StorageDelta,
};
use alloc::{boxed::Box, rc::Rc, vec::Vec};
use cache::{EngineKey, EngineParts};
use nested::{Nested, NoContracts};
use qvm_primitives::{
    abi, gas::PAGE_SIZE, CodeShape, ContractEvent, ExecutionMode, GasConfig, Limits,
};
use wasmi::{
    CompilationMode, Config, Engine, Linker, Module, Store, StoreLimitsBuilder, TrapCode,
    TypedResumableCall, Val,
};

/// Why an execution failed. Every variant maps onto a named pallet error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecError {
    /// Gas exhausted; all gas is consumed.
    OutOfGas,
    /// The code failed to compile (it passed upload validation, so this means a limit changed).
    InvalidModule,
    /// The entry point is not an exported `() -> ()` function (or is the constructor).
    MethodNotFound,
    /// A Wasm trap (`unreachable`, division by zero, out-of-bounds access, ...).
    Trapped,
    /// Recursion deeper than the limit, or the value stack overflowed.
    StackOverflow,
    /// A host call got a pointer outside linear memory.
    MemoryOutOfBounds,
    /// Storage key too long.
    KeyTooLarge,
    /// Storage value too long.
    ValueTooLarge,
    /// Event topic too long.
    TopicTooLarge,
    /// Event data too long.
    EventDataTooLarge,
    /// Too many events.
    TooManyEvents,
    /// An event with more indexed topics than `Limits::max_event_topics`.
    TooManyTopics,
    /// Output too long.
    OutputTooLarge,
    /// A state change (storage write or remove, event) in a read-only call.
    StateChangeDenied,
    /// A host call needing a capability the contract was not granted (or the chain no longer
    /// allows).
    CapabilityDenied,
    /// `qnet_transfer` was given bytes that are not the encoding of an account id.
    InvalidAccount,
    /// `qnet_call` was given flags outside `abi::CALL_FLAGS`.
    InvalidCallFlags,
    /// `qnet_call` or `qnet_instantiate` was given a method name or input over its limit.
    InputTooLarge,
}

/// Which export to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry<'a> {
    /// The constructor export (deploy/instantiate only).
    Constructor,
    /// An exported method by name.
    Method(&'a str),
}

/// A successful (possibly reverted) execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecSuccess {
    /// Return or revert data.
    pub output: Vec<u8>,
    /// `qnet_revert` was called.
    pub reverted: bool,
    /// Events emitted (to be deposited only if not reverted).
    pub events: Vec<ContractEvent>,
    /// Storage usage change (to be applied only if not reverted).
    pub storage_delta: StorageDelta,
    /// The code the contract runs from its next call on (`qnet_set_code_hash`).
    pub new_code: Option<[u8; 32]>,
    /// The encoded beneficiary, if the contract terminated itself (`qnet_terminate`).
    pub terminate: Option<Vec<u8>>,
}

/// Result of [`execute`]: gas consumed, proof size accounted, and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecOutcome {
    /// Gas used including code loading; equals the limit on `OutOfGas`.
    pub gas_used: u64,
    /// Proof-size bytes accounted: the code, plus trie path, key and value of every storage
    /// access. Never more than the gas limit.
    pub proof_size: u64,
    /// Outcome.
    pub result: Result<ExecSuccess, ExecError>,
}

/// Code compiled for one engine configuration (cheap to clone: the parts are shared).
#[derive(Clone)]
pub struct Prepared {
    engine: Engine,
    linker: Rc<Linker<HostState>>,
    module: Module,
    /// Length of the code as stored (its proof size).
    code_len: u64,
    /// The code as translated (with the injected entry charges): what its load is charged by.
    shape: CodeShape,
    /// First-entry charges made at load ([`instrument::Instrumented::entry_at_load`]).
    entry_at_load: u64,
}

impl Prepared {
    /// Gas charged before the code runs: loading the code (per byte, per function, export
    /// and type), translating its small functions and allocating the initial memory. Each
    /// larger function's translation is charged when an execution first enters it
    /// ([`instrument`]).
    pub fn load_cost(&self, schedule: &GasConfig) -> u64 {
        schedule
            .load_cost(&self.shape)
            .saturating_add(self.entry_at_load)
    }
}

/// wasmi's compilation mode for `mode` and a code of `code_len` bytes.
pub fn compilation_mode(mode: ExecutionMode, code_len: usize) -> CompilationMode {
    match mode {
        ExecutionMode::FullJIT => CompilationMode::Eager,
        ExecutionMode::Interpreter => CompilationMode::LazyTranslation,
        ExecutionMode::Hybrid { jit_threshold } => {
            if code_len <= jit_threshold as usize {
                CompilationMode::Eager
            } else {
                CompilationMode::LazyTranslation
            }
        }
    }
}

/// The wasmi configuration QVM executes with: fuel metering with the schedule's costs and the
/// features of [`WASM_FEATURES`].
pub fn engine_config(schedule: &GasConfig, limits: &Limits, mode: CompilationMode) -> Config {
    let mut config = Config::default();
    config
        .consume_fuel(true)
        .operator_cost(operator_costs(schedule))
        .fuel_cost(dynamic_costs(schedule))
        .compilation_mode(mode)
        .allow_start_fn(false)
        .ignore_custom_sections(true)
        .set_max_recursion_depth(limits.max_recursion_depth as usize)
        .set_max_cached_stacks(1);
    for &(feature, on) in WASM_FEATURES {
        let set = match feature {
            Feature::Floats => Config::floats,
            Feature::MutableGlobal => Config::wasm_mutable_global,
            Feature::SignExtension => Config::wasm_sign_extension,
            Feature::BulkMemory => Config::wasm_bulk_memory,
            Feature::SaturatingFloatToInt => Config::wasm_saturating_float_to_int,
            Feature::ReferenceTypes => Config::wasm_reference_types,
            Feature::TailCall => Config::wasm_tail_call,
            Feature::ExtendedConst => Config::wasm_extended_const,
            Feature::MultiMemory => Config::wasm_multi_memory,
            Feature::CustomPageSizes => Config::wasm_custom_page_sizes,
            Feature::WideArithmetic => Config::wasm_wide_arithmetic,
            Feature::MultiValue => Config::wasm_multi_value,
        };
        set(&mut config, on);
    }
    // wasmi's minimum stack height is 1_000 bytes; never configure a maximum below it (that
    // would panic).
    config.set_max_stack_height((limits.max_stack_bytes as usize).max(1_000));
    config
}

/// Where the code given to [`compile_on`] comes from, which decides whether wasmi validates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeSource {
    /// Code being uploaded (or any code not known to be valid): wasmi validates it in full.
    Untrusted,
    /// Code read from `PristineCode`: it was validated at upload by [`CodeSource::Untrusted`]
    /// compilation under the same wasmi features ([`WASM_FEATURES`]), so it is not validated
    /// again (docs/DESIGN.md, "Stored code is not validated again", gives the argument).
    Stored,
}

/// A Wasm feature wasmi can switch on or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `f32`/`f64` types and operators.
    Floats,
    /// Mutable imported and exported globals.
    MutableGlobal,
    /// Sign-extension operators.
    SignExtension,
    /// `memory.copy`/`fill`/`init`, `data.drop` and the table operators.
    BulkMemory,
    /// Saturating float-to-int conversions.
    SaturatingFloatToInt,
    /// Reference types.
    ReferenceTypes,
    /// Tail calls.
    TailCall,
    /// Extended constant expressions.
    ExtendedConst,
    /// Several memories.
    MultiMemory,
    /// Custom page sizes.
    CustomPageSizes,
    /// Wide arithmetic.
    WideArithmetic,
    /// Multi-value (block parameters would let a branch copy many values for the price of one
    /// operator).
    MultiValue,
}

/// The Wasm features QVM's engines have: integer-only MVP plus sign extension, mutable
/// globals and bulk memory. Stored code was validated under these at upload and is compiled
/// unchecked ([`CodeSource::Stored`]), so a runtime upgrade may enable a feature but never
/// disable one without a migration that validates every stored code again (a test holds the
/// features of every release).
pub const WASM_FEATURES: &[(Feature, bool)] = &[
    (Feature::Floats, false),
    (Feature::MutableGlobal, true),
    (Feature::SignExtension, true),
    (Feature::BulkMemory, true),
    (Feature::SaturatingFloatToInt, false),
    (Feature::ReferenceTypes, false),
    (Feature::TailCall, false),
    (Feature::ExtendedConst, false),
    (Feature::MultiMemory, false),
    (Feature::CustomPageSizes, false),
    (Feature::WideArithmetic, false),
    (Feature::MultiValue, false),
];

/// Compiles uploaded code for execution on a new engine, validating it in full (see
/// [`compile_on`] to share an engine).
pub fn compile(
    code: &[u8],
    schedule: &GasConfig,
    limits: &Limits,
    mode: ExecutionMode,
) -> Result<Prepared, ExecError> {
    let key = EngineKey::new(*schedule, *limits, compilation_mode(mode, code.len()));
    let parts = EngineParts::new(&key).map_err(|_| ExecError::InvalidModule)?;
    compile_on(parts, code, schedule, CodeSource::Untrusted, u64::MAX)
}

/// Compiles `code` for execution on `parts` (an engine configured for `schedule`); `source`
/// says whether it must be validated. [`ExecError::OutOfGas`] before parsing the code if
/// loading it costs more than `max_load` gas ([`Prepared::load_cost`]): what a budget
/// checked only against the length buys is reading the code and finding its shape.
pub fn compile_on(
    parts: EngineParts,
    code: &[u8],
    schedule: &GasConfig,
    source: CodeSource,
    max_load: u64,
) -> Result<Prepared, ExecError> {
    let instrumented = instrument::instrument(code, schedule)?;
    let load = schedule
        .load_cost(&instrumented.shape())
        .saturating_add(instrumented.entry_at_load);
    if load > max_load {
        return Err(ExecError::OutOfGas);
    }
    let translated = &instrumented.code;
    let EngineParts { engine, linker } = parts;
    let module = match source {
        CodeSource::Untrusted => Module::new(&engine, translated),
        // SAFETY: stored code passed `CodeSource::Untrusted` compilation (full wasmi
        // validation, after the same instrumentation, which prepends constant drops and a
        // first-entry guard to function bodies and appends globals) under the Wasm features this engine has (`WASM_FEATURES`, pinned by a
        // test): it is valid Wasm for this engine. Bytes in `PristineCode` are never changed.
        CodeSource::Stored => unsafe { Module::new_unchecked(&engine, translated) },
    }
    .map_err(|_| ExecError::InvalidModule)?;
    Ok(Prepared {
        engine,
        linker,
        module,
        code_len: code.len() as u64,
        shape: instrumented.shape(),
        entry_at_load: instrumented.entry_at_load,
    })
}

fn map_error(err: wasmi::Error) -> ExecError {
    match err.downcast_ref::<HostTrap>() {
        Some(HostTrap::Fail(e)) => return *e,
        // Handled by the caller; kept total for safety.
        Some(HostTrap::Return | HostTrap::Revert | HostTrap::Call) => return ExecError::Trapped,
        None => {}
    }
    match err.as_trap_code() {
        Some(TrapCode::OutOfFuel) => ExecError::OutOfGas,
        Some(TrapCode::StackOverflow) => ExecError::StackOverflow,
        _ => ExecError::Trapped,
    }
}

/// Gas and proof size one execution may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Gas limit.
    pub gas: u64,
    /// Proof-size limit in bytes.
    pub proof: u64,
}

impl Budget {
    /// The budget of an entry point with `gas_limit`: one byte of proof size per unit of gas.
    pub fn of_gas(gas_limit: u64) -> Self {
        Self {
            gas: gas_limit,
            proof: gas_limit,
        }
    }
}

/// Runs `entry` of `prepared` against `storage` (the executing contract's, see [`ext`]), with
/// `gas_limit`, reaching no other contract (every `qnet_call` finds none).
///
/// Storage writes go straight to the overlay; the caller wraps this in a storage transaction
/// and rolls back on error or revert.
pub fn execute(
    prepared: &Prepared,
    schedule: &GasConfig,
    limits: &Limits,
    ctx: ExecContext,
    storage: Box<dyn ext::Ext>,
    entry: Entry<'_>,
    gas_limit: u64,
) -> ExecOutcome {
    execute_frame(
        prepared,
        schedule,
        limits,
        ctx,
        storage,
        entry,
        Budget::of_gas(gas_limit),
        &mut NoContracts,
    )
}

/// Runs `entry` of `prepared` against `storage` within `budget`; `nested` runs the calls it
/// makes to other contracts (see [`nested`]).
#[allow(clippy::too_many_arguments)]
pub fn execute_frame(
    prepared: &Prepared,
    schedule: &GasConfig,
    limits: &Limits,
    ctx: ExecContext,
    storage: Box<dyn ext::Ext>,
    entry: Entry<'_>,
    budget: Budget,
    nested: &mut dyn Nested,
) -> ExecOutcome {
    let gas_limit = budget.gas;
    // Running out of gas (or of proof size) accounts the whole budget: the access that
    // overran may already be in the storage proof.
    let out_of_gas = || ExecOutcome {
        gas_used: gas_limit,
        proof_size: budget.proof,
        result: Err(ExecError::OutOfGas),
    };
    let load = prepared.load_cost(schedule);
    let Some(fuel) = gas_limit.checked_sub(load) else {
        return out_of_gas();
    };
    // The code has been read from storage: its bytes are proven whatever happens next.
    let code_proof = prepared.code_len;
    if code_proof > budget.proof {
        return out_of_gas();
    }

    let name = match entry {
        Entry::Constructor => abi::CONSTRUCTOR_EXPORT,
        Entry::Method(name) if name == abi::CONSTRUCTOR_EXPORT => {
            return ExecOutcome {
                gas_used: load,
                proof_size: code_proof,
                result: Err(ExecError::MethodNotFound),
            }
        }
        Entry::Method(name) => name,
    };
    let memory_bytes = (limits.max_memory_pages as usize).saturating_mul(PAGE_SIZE as usize);
    let state = HostState {
        ctx,
        schedule: *schedule,
        limits: *limits,
        store_limits: StoreLimitsBuilder::new()
            .memory_size(memory_bytes)
            .memories(1)
            .tables(1)
            .instances(1)
            .trap_on_grow_failure(false)
            .build(),
        memory: None,
        storage,
        output: Vec::new(),
        events: Vec::new(),
        pending: None,
        return_data: Vec::new(),
        deposit_charged: false,
        new_code: None,
        terminate: None,
        proof_size: code_proof,
        proof_limit: budget.proof,
    };
    let mut store = Store::new(&prepared.engine, state);
    store.limiter(|s| &mut s.store_limits);
    let fail = |store: &Store<HostState>, err: ExecError| {
        if err == ExecError::OutOfGas {
            return out_of_gas();
        }
        let left = store.get_fuel().unwrap_or(0);
        ExecOutcome {
            gas_used: gas_limit - left.min(fuel),
            proof_size: store.data().proof_size,
            result: Err(err),
        }
    };
    if store.set_fuel(fuel).is_err() {
        return out_of_gas();
    }
    let instance = match prepared
        .linker
        .instantiate_and_start(&mut store, &prepared.module)
    {
        Ok(instance) => instance,
        Err(e) => {
            let err = match map_error(e) {
                ExecError::Trapped => ExecError::InvalidModule,
                other => other,
            };
            return fail(&store, err);
        }
    };
    let memory = instance.get_memory(&store, abi::MEMORY_EXPORT);
    store.data_mut().memory = memory;
    let func = match instance.get_typed_func::<(), ()>(&store, name) {
        Ok(f) => f,
        Err(_) => return fail(&store, ExecError::MethodNotFound),
    };
    let mut step = func.call_resumable(&mut store, ());
    let reverted = loop {
        let trap = match step {
            Ok(TypedResumableCall::Finished(())) => break false,
            Ok(TypedResumableCall::OutOfFuel(_)) => return out_of_gas(),
            Ok(TypedResumableCall::HostTrap(trap)) => trap,
            Err(e) => return fail(&store, map_error(e)),
        };
        match trap.host_error().downcast_ref::<HostTrap>() {
            Some(HostTrap::Return) => break false,
            Some(HostTrap::Revert) => break true,
            Some(HostTrap::Fail(e)) => return fail(&store, *e),
            None => return fail(&store, ExecError::Trapped),
            Some(HostTrap::Call) => {}
        }
        let code = match serve(&mut store, nested) {
            Ok(code) => code,
            Err(e) => return fail(&store, e),
        };
        step = trap.resume(&mut store, &[Val::I32(code)]);
    };
    let left = store.get_fuel().unwrap_or(0);
    let state = store.into_data();
    ExecOutcome {
        gas_used: gas_limit - left.min(fuel),
        proof_size: state.proof_size,
        result: Ok(ExecSuccess {
            output: state.output,
            reverted,
            events: if reverted { Vec::new() } else { state.events },
            storage_delta: state.storage.delta(),
            new_code: if reverted { None } else { state.new_code },
            terminate: if reverted { None } else { state.terminate },
        }),
    }
}

/// Runs the request a host function left pending (see [`nested`]): forwards gas and proof
/// size, takes back what the callee used, copies its output (and a new address) into the
/// caller's memory, charging the copy; the return code to resume the caller with.
fn serve(store: &mut Store<HostState>, nested: &mut dyn Nested) -> Result<i32, ExecError> {
    let pending = store.data_mut().pending.take().ok_or(ExecError::Trapped)?;
    let left = store.get_fuel().map_err(|_| ExecError::OutOfGas)?;
    let gas = match pending.gas_limit {
        0 => left,
        limit => limit.min(left),
    };
    let proof = {
        let state = store.data();
        state.proof_limit.saturating_sub(state.proof_size)
    };
    let response = nested.run(pending.request, gas, proof);
    let copied = response.output.len().min(pending.out_cap as usize);
    let copy_cost = store
        .data()
        .schedule
        .contract_call_per_byte
        .saturating_mul(copied as u64);
    let left = left
        .saturating_sub(response.gas_used.min(gas))
        .checked_sub(copy_cost);
    let Some(left) = left else {
        let _ = store.set_fuel(0);
        return Err(ExecError::OutOfGas);
    };
    store.set_fuel(left).map_err(|_| ExecError::OutOfGas)?;
    let state = store.data_mut();
    state.proof_size = state
        .proof_size
        .saturating_add(response.proof_size.min(proof));
    let memory = state.memory.ok_or(ExecError::MemoryOutOfBounds)?;
    let out = &response.output[..copied];
    memory
        .write(&mut *store, pending.out_ptr as u32 as usize, out)
        .map_err(|_| ExecError::MemoryOutOfBounds)?;
    if let (Some(ptr), Some(address)) = (pending.address_out_ptr, response.address) {
        memory
            .write(&mut *store, ptr as u32 as usize, &address)
            .map_err(|_| ExecError::MemoryOutOfBounds)?;
    }
    let len = response.output.len() as i32;
    store.data_mut().return_data = response.output;
    Ok(match response.code {
        None => len,
        Some(code) => code.as_i32(),
    })
}
