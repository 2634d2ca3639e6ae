//! Upload-time validation of contract code (the seed design's `ContractValidator`).
//!
//! Every rule has its own [`ValidationError`], mapped one-to-one onto a pallet error. After
//! these structural checks the module is compiled once by wasmi (eager mode, floats and every
//! post-MVP proposal QVM does not support disabled) so that type errors are caught too.

use alloc::vec::Vec;
use qvm_primitives::abi::{self, AbiType, CONSTRUCTOR_EXPORT, IMPORT_MODULE, MEMORY_EXPORT};
use qvm_primitives::{Capabilities, Limits};
use wasmparser::{BlockType, ExternalKind, Operator, Parser, Payload, TypeRef, ValType};

/// Why a module was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationError {
    /// Not a well-formed, valid Wasm module.
    InvalidModule,
    /// A floating-point type or operator.
    FloatForbidden,
    /// A SIMD type or operator.
    SimdForbidden,
    /// A threads/atomics operator or a shared memory.
    AtomicsForbidden,
    /// An operator from a proposal QVM does not support (reference types, tail calls,
    /// exceptions, GC, ...).
    ForbiddenOpcode,
    /// An import that is not a function of the QVM host ABI.
    UnknownImport,
    /// An ABI function imported with the wrong signature.
    ImportSignatureMismatch,
    /// Too many functions.
    TooManyFunctions,
    /// A function declares more locals (parameters included) than `Limits::max_locals`.
    TooManyLocals,
    /// A function type with more than one result, or a block with parameters or several
    /// results (the multi-value proposal).
    MultiValueForbidden,
    /// Too many globals.
    TooManyGlobals,
    /// More than one memory, or too many initial pages.
    MemoryTooLarge,
    /// More than one table, or too many initial elements.
    TableTooLarge,
    /// Too many data segments.
    TooManyDataSegments,
    /// Too many element segments.
    TooManyElementSegments,
    /// Too many function types (`Limits::max_types`).
    TooManyTypes,
    /// Too many exports (`Limits::max_exports`).
    TooManyExports,
    /// A start function (it would run unmetered at instantiation).
    StartFunctionForbidden,
    /// No exported linear memory named `memory`.
    MissingMemoryExport,
    /// No exported function named `constructor`.
    MissingConstructor,
    /// An exported function whose type is not `() -> ()`.
    InvalidExportSignature,
}

/// Classifies an operator as allowed (`None`) or forbidden.
fn forbidden_class(proposal: &str, name: &str) -> Option<ValidationError> {
    if name.contains("F32") || name.contains("F64") {
        return Some(ValidationError::FloatForbidden);
    }
    match proposal {
        "mvp" | "sign_extension" | "bulk_memory" => None,
        "threads" | "shared_everything_threads" => Some(ValidationError::AtomicsForbidden),
        "simd" | "relaxed_simd" => Some(ValidationError::SimdForbidden),
        _ => Some(ValidationError::ForbiddenOpcode),
    }
}

macro_rules! define_classify {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// `None` if QVM allows `op`, else the rule it breaks.
        fn classify(op: &Operator) -> Option<ValidationError> {
            #[allow(unreachable_patterns)]
            match op {
                $( Operator::$op { .. } => forbidden_class(stringify!($proposal), stringify!($op)), )*
                _ => Some(ValidationError::ForbiddenOpcode),
            }
        }
    };
}
wasmparser::for_each_operator!(define_classify);

fn check_val_type(ty: ValType) -> Result<(), ValidationError> {
    match ty {
        ValType::I32 | ValType::I64 => Ok(()),
        ValType::F32 | ValType::F64 => Err(ValidationError::FloatForbidden),
        ValType::V128 => Err(ValidationError::SimdForbidden),
        ValType::Ref(_) => Err(ValidationError::ForbiddenOpcode),
    }
}

fn abi_type(ty: ValType) -> Option<AbiType> {
    match ty {
        ValType::I32 => Some(AbiType::I32),
        ValType::I64 => Some(AbiType::I64),
        _ => None,
    }
}

/// A reader error inside a function body: name the prefix byte of a SIMD or atomics operator
/// (whose decoding is not compiled in) instead of calling the module malformed.
fn operator_read_error(code: &[u8], offset: usize) -> ValidationError {
    match code.get(offset) {
        Some(0xfd) => ValidationError::SimdForbidden,
        Some(0xfe) => ValidationError::AtomicsForbidden,
        _ => ValidationError::InvalidModule,
    }
}

/// Functions `code` defines (its function section's count; 0 if it has none or is malformed).
/// Cheap: the code section is not read.
pub fn defined_functions(code: &[u8]) -> u32 {
    for payload in Parser::new(0).parse_all(code) {
        match payload {
            Ok(Payload::FunctionSection(reader)) => return reader.count(),
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => return 0,
            Ok(_) => {}
        }
    }
    0
}

/// Most functions `code_len` bytes of code can define: each takes at least one byte in the
/// function section and three in the code section (size, locals count, `end`).
pub fn max_defined_functions(code_len: usize, limits: &Limits) -> u32 {
    ((code_len / 4) as u32).min(limits.max_functions)
}

/// Function type signature: (params, results).
type Sig = (Vec<ValType>, Vec<ValType>);

/// Checks `code` against every QVM rule and returns the capabilities its imports require.
/// Does not compile it (see `exec::compile`).
pub fn validate(code: &[u8], limits: &Limits) -> Result<Capabilities, ValidationError> {
    use ValidationError::*;
    let mut required = Capabilities::NONE;
    let mut types: Vec<Sig> = Vec::new();
    // Type index of every function, imported first.
    let mut func_types: Vec<u32> = Vec::new();
    let mut has_memory_export = false;
    let mut constructor_found = false;
    let mut exported_funcs: Vec<u32> = Vec::new();
    let mut memories = 0u32;
    let mut tables = 0u32;
    // Index into `func_types` of the next function body.
    let mut defined: Option<usize> = None;
    let mut imports = 0usize;

    for payload in Parser::new(0).parse_all(code) {
        let payload = payload.map_err(|e| operator_read_error(code, e.offset()))?;
        match payload {
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(InvalidModule)
            }
            Payload::TypeSection(reader) => {
                if reader.count() > limits.max_types {
                    return Err(TooManyTypes);
                }
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(|_| InvalidModule)?;
                    for t in ty.params().iter().chain(ty.results()) {
                        check_val_type(*t)?;
                    }
                    if ty.results().len() > 1 {
                        return Err(MultiValueForbidden);
                    }
                    types.push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(|_| InvalidModule)?;
                    let TypeRef::Func(type_index) = import.ty else {
                        return Err(UnknownImport);
                    };
                    if import.module != IMPORT_MODULE {
                        return Err(UnknownImport);
                    }
                    let def = abi::host_function(import.name).ok_or(UnknownImport)?;
                    let (params, results) = types.get(type_index as usize).ok_or(InvalidModule)?;
                    let same = params
                        .iter()
                        .map(|t| abi_type(*t))
                        .eq(def.params.iter().map(|t| Some(*t)))
                        && results
                            .iter()
                            .map(|t| abi_type(*t))
                            .eq(def.results.iter().map(|t| Some(*t)));
                    if !same {
                        return Err(ImportSignatureMismatch);
                    }
                    required = required.union(def.requires);
                    func_types.push(type_index);
                    imports += 1;
                }
            }
            Payload::FunctionSection(reader) => {
                if (func_types.len() as u64).saturating_add(u64::from(reader.count()))
                    > u64::from(limits.max_functions)
                {
                    return Err(TooManyFunctions);
                }
                for type_index in reader {
                    func_types.push(type_index.map_err(|_| InvalidModule)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(|_| InvalidModule)?;
                    tables += 1;
                    if tables > 1
                        || table.ty.initial > u64::from(limits.max_table_elements)
                        || table.ty.table64
                    {
                        return Err(TableTooLarge);
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|_| InvalidModule)?;
                    memories += 1;
                    if memory.shared {
                        return Err(AtomicsForbidden);
                    }
                    if memories > 1
                        || memory.memory64
                        || memory.page_size_log2.is_some()
                        || memory.initial > u64::from(limits.max_memory_pages)
                    {
                        return Err(MemoryTooLarge);
                    }
                }
            }
            Payload::GlobalSection(reader) => {
                if reader.count() > limits.max_globals {
                    return Err(TooManyGlobals);
                }
                for global in reader {
                    check_val_type(global.map_err(|_| InvalidModule)?.ty.content_type)?;
                }
            }
            Payload::ExportSection(reader) => {
                if reader.count() > limits.max_exports {
                    return Err(TooManyExports);
                }
                for export in reader {
                    let export = export.map_err(|_| InvalidModule)?;
                    match export.kind {
                        ExternalKind::Memory if export.name == MEMORY_EXPORT => {
                            has_memory_export = true
                        }
                        ExternalKind::Func => {
                            if export.name == CONSTRUCTOR_EXPORT {
                                constructor_found = true;
                            }
                            exported_funcs.push(export.index);
                        }
                        _ => {}
                    }
                }
            }
            Payload::StartSection { .. } => return Err(StartFunctionForbidden),
            Payload::ElementSection(reader) if reader.count() > limits.max_element_segments => {
                return Err(TooManyElementSegments)
            }
            Payload::DataSection(reader) if reader.count() > limits.max_data_segments => {
                return Err(TooManyDataSegments)
            }
            Payload::CodeSectionStart { .. } => defined = Some(imports),
            Payload::CodeSectionEntry(body) => {
                let index = defined.get_or_insert(0);
                let params = func_types
                    .get(*index)
                    .and_then(|ty| types.get(*ty as usize))
                    .map_or(0, |(params, _)| params.len() as u64);
                *index += 1;
                let mut locals = params;
                for local in body.get_locals_reader().map_err(|_| InvalidModule)? {
                    let (count, ty) = local.map_err(|_| InvalidModule)?;
                    check_val_type(ty)?;
                    locals = locals.saturating_add(u64::from(count));
                }
                if locals > u64::from(limits.max_locals) {
                    return Err(TooManyLocals);
                }
                let mut ops = body.get_operators_reader().map_err(|_| InvalidModule)?;
                while !ops.eof() {
                    let offset = ops.original_position();
                    let op = ops.read().map_err(|_| operator_read_error(code, offset))?;
                    if let Some(err) = classify(&op) {
                        return Err(err);
                    }
                    if let Operator::Block { blockty }
                    | Operator::Loop { blockty }
                    | Operator::If { blockty } = op
                    {
                        if matches!(blockty, BlockType::FuncType(_)) {
                            return Err(MultiValueForbidden);
                        }
                    }
                }
            }
            Payload::TagSection(_) => return Err(ForbiddenOpcode),
            _ => {}
        }
    }

    if !has_memory_export {
        return Err(MissingMemoryExport);
    }
    if !constructor_found {
        return Err(MissingConstructor);
    }
    for index in exported_funcs {
        let type_index = func_types.get(index as usize).ok_or(InvalidModule)?;
        let (params, results) = types.get(*type_index as usize).ok_or(InvalidModule)?;
        if !params.is_empty() || !results.is_empty() {
            return Err(InvalidExportSignature);
        }
    }
    Ok(required)
}
