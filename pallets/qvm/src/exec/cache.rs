//! Compiled contract code and the wasmi engines that run it, reused within a runtime call.
//!
//! Building a wasmi `Engine` and `Linker` and parsing, validating and translating a module is
//! most of the work of a call of a small contract. The cache keeps, per engine configuration,
//! one engine with its linker, and per code hash the module compiled on it.
//!
//! # Lifetime rules
//!
//! * **Runtime wasm** (a node): the cache lives in the runtime instance's memory, which
//!   Substrate discards after every runtime call. It therefore spans one block during import
//!   (and parachain validation), one extrinsic during authoring, one dry run over RPC. Nothing
//!   survives into the next block.
//! * **Native** (tests, TestVM, native benchmarks): it is thread-local and lives as long as the
//!   thread. [`clear`] empties it; benchmarks clear it before the measured call so that they
//!   measure a miss, which is what authoring always pays (the weights must cover it).
//! * **Keys**: a module is found by its code hash (the stored bytes of a hash never change) on
//!   the engine of the exact configuration (schedule, limits, compilation mode) it was
//!   compiled for: a runtime upgrade or a test changing the schedule never reuses a
//!   compilation made for other costs.
//! * **Bounds**: at most [`MAX_MODULES`] modules, and at most [`MAX_ENGINE_FUNCTIONS`]
//!   functions compiled per engine (wasmi frees a module's functions only with its engine).
//!   Past either bound the cache drops everything and starts again; [`MAX_ENGINES`] bounds
//!   the configurations kept.
//! * **Gas never depends on it**: translation is free of fuel, and loading is charged on every
//!   execution from the code's length and shape ([`Prepared::load_cost`]), the same numbers on a
//!   hit as on a miss. The tests run every scenario with and without a cache hit.
//! * **Re-entrancy**: the cache is only borrowed to look up or insert an entry (cheap clones:
//!   engines and modules are reference counted), never while code runs, so a host function
//!   may execute another contract. A borrow that fails anyway falls back to compiling
//!   uncached: it never panics.

use super::{host::linker, HostState, Prepared};
use alloc::{rc::Rc, vec::Vec};
use qvm_primitives::{GasConfig, Limits};
use wasmi::{CompilationMode, Engine, Linker};

/// Modules kept at most (the largest contract is `MaxCodeLen`; a block rarely runs more).
pub const MAX_MODULES: usize = 64;
/// Functions compiled on one engine at most before it is replaced.
pub const MAX_ENGINE_FUNCTIONS: u64 = 64 * 1024;
/// Engine configurations kept at most.
pub const MAX_ENGINES: usize = 4;

/// What an engine is configured with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineKey {
    /// The gas schedule (operator costs are part of the engine's configuration).
    pub schedule: GasConfig,
    /// The execution limits (stack, recursion).
    pub limits: Limits,
    /// Eager translation (else lazy: functions are translated on first call).
    pub eager: bool,
}

impl EngineKey {
    /// The engine configuration of `schedule`, `limits` and `mode`.
    pub fn new(schedule: GasConfig, limits: Limits, mode: CompilationMode) -> Self {
        Self {
            schedule,
            limits,
            eager: matches!(mode, CompilationMode::Eager),
        }
    }

    /// wasmi's compilation mode.
    pub fn mode(&self) -> CompilationMode {
        if self.eager {
            CompilationMode::Eager
        } else {
            CompilationMode::LazyTranslation
        }
    }
}

/// An engine and the linker of the host functions on it.
#[derive(Clone)]
pub struct EngineParts {
    /// The engine.
    pub engine: Engine,
    /// The `qnet_*` host functions, linked on `engine`.
    pub linker: Rc<Linker<HostState>>,
}

impl EngineParts {
    /// A new engine for `key` and its linker.
    pub fn new(key: &EngineKey) -> Result<Self, wasmi::Error> {
        let engine = Engine::new(&super::engine_config(
            &key.schedule,
            &key.limits,
            key.mode(),
        ));
        let linker = Rc::new(linker(&engine)?);
        Ok(Self { engine, linker })
    }
}

struct EngineEntry {
    key: EngineKey,
    parts: EngineParts,
    /// Functions compiled on this engine so far.
    functions: u64,
    modules: Vec<([u8; 32], Prepared)>,
}

/// The cache: engines by configuration, each with its modules by code hash.
#[derive(Default)]
pub struct ModuleCache {
    engines: Vec<EngineEntry>,
}

impl ModuleCache {
    /// Modules kept.
    pub fn modules(&self) -> usize {
        self.engines.iter().map(|e| e.modules.len()).sum()
    }

    fn entry(&mut self, key: &EngineKey) -> Option<&mut EngineEntry> {
        self.engines.iter_mut().find(|e| &e.key == key)
    }

    /// The module compiled from the code of `code_hash` for `key`, if cached.
    pub fn get(&mut self, code_hash: &[u8; 32], key: &EngineKey) -> Option<Prepared> {
        let entry = self.entry(key)?;
        entry
            .modules
            .iter()
            .find(|(h, _)| h == code_hash)
            .map(|(_, p)| p.clone())
    }

    /// The engine (and linker) for `key`, created if needed.
    pub fn engine(&mut self, key: &EngineKey) -> Result<EngineParts, wasmi::Error> {
        if let Some(e) = self.entry(key) {
            if e.functions < MAX_ENGINE_FUNCTIONS {
                return Ok(e.parts.clone());
            }
        }
        // A new engine: the old one for this key (full) goes, with its modules.
        self.engines.retain(|e| &e.key != key);
        if self.engines.len() >= MAX_ENGINES {
            self.engines.clear();
        }
        let parts = EngineParts::new(key)?;
        self.engines.push(EngineEntry {
            key: key.clone(),
            parts: parts.clone(),
            functions: 0,
            modules: Vec::new(),
        });
        Ok(parts)
    }

    /// Keeps `prepared` (compiled on the engine of `key` from the code of `code_hash`).
    pub fn insert(&mut self, code_hash: [u8; 32], key: &EngineKey, prepared: Prepared) {
        if self.modules() >= MAX_MODULES {
            for e in &mut self.engines {
                e.modules.clear();
            }
        }
        if let Some(e) = self.entry(key) {
            e.functions = e.functions.saturating_add(prepared.shape.functions);
            if !e.modules.iter().any(|(h, _)| *h == code_hash) {
                e.modules.push((code_hash, prepared));
            }
        }
    }
}

/// Runs `f` on this runtime call's cache ([`crate::call_local`]); `None` if it is in use
/// already (never panics).
pub fn with<R>(f: impl FnOnce(&mut ModuleCache) -> R) -> Option<R> {
    crate::call_local::with(f)
}

/// Empties the cache (e.g. so that a benchmark measures compiling the code).
pub fn clear() {
    with(|c| c.engines.clear());
}
