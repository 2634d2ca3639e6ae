//! Per-call charges the interpreter's operator table cannot express, injected into the code
//! before it is compiled.
//!
//! Two charges depend on which functions an execution enters, not on any operator the caller
//! executes:
//!
//! * **Locals.** wasmi zeroes the locals a function declares every time the function is
//!   entered (a `call` costs the same whether the callee declares one local or a thousand).
//!   QVM prepends `nop`s to each function body: the operator table makes `nop` cost one gas
//!   ([`crate::gas::operator_costs`]) and wasmi charges a body's first block, prepended `nop`s
//!   included, on entry. `nop` has no effect and generates no interpreter instruction, so the
//!   only change is the gas: [`GasConfig::locals_cost`] of the declared locals per call.
//! * **Translation on first entry.** Executions translate a function into wasmi's bytecode
//!   when they first call it (lazy translation): a call of a large contract translates only
//!   the functions it reaches. Each body starts with a guard on a flag global of its own (one
//!   per defined function, zero in every new instance):
//!
//!   ```wat
//!   global.get $entered_i  i32.eqz
//!   if  i32.const 1 global.set $entered_i  i32.const n  call $charge  end
//!   ```
//!
//!   `$charge` is a function appended to the code: a loop of `n` iterations, each a block of
//!   [`CHARGE_NOPS`] `nop`s (wasmi charges a loop's block on every iteration), so it costs at
//!   least [`GasConfig::entry_cost`] of the body's length in gas and a few interpreter
//!   instructions per iteration in time. Its own translation is charged at load. The charge is made per instance, so it is the same
//!   whether the module was just translated or came from the module cache with its functions
//!   already translated: gas never depends on the cache (the pallet charges for the worst
//!   case, translation). With `code_entry_per_byte` 0 there are no guards and no `$charge`.
//!
//! The flags are appended after the module's globals and `$charge` after its functions, so no
//! index the code uses changes. The code hash, the stored code and the proof size stay those
//! of the code as uploaded; the injected bytes are parsed on every load and so count towards
//! the per-byte load charge.

use super::ExecError;
use alloc::{borrow::Cow, vec::Vec};
use core::ops::Range;
use qvm_primitives::GasConfig;
use wasmparser::{Parser, Payload, TypeRef};

/// Wasm `nop`.
const NOP: u8 = 0x01;
/// Section ids.
const TYPE_SECTION: u8 = 1;
const FUNCTION_SECTION: u8 = 3;
const GLOBAL_SECTION: u8 = 6;
const CODE_SECTION: u8 = 10;
/// Sections a global section must precede (export, start, element, data count, code, data).
const AFTER_GLOBALS: [u8; 6] = [7, 8, 9, 12, 10, 11];

/// `nop`s in one iteration of the charge loop: its gas per iteration, beyond the loop's own
/// operators. The loop's time is a few interpreter instructions per iteration whatever this
/// is, so more `nop`s make the charge cheaper to run (an SDK-token transfer enters ~66,000 gas
/// of functions: ~250 iterations at 256, ~1,750 at 32, 12 µs of a 34 µs cached call), at the
/// price of a coarser rounding (up to an iteration per entered function) and a longer
/// `$charge` (parsed and translated at every load).
pub const CHARGE_NOPS: usize = 256;
/// Bytes a guard adds to a body at most (`global.get` and `global.set` of a 5-byte index, the
/// `i32.eqz if i32.const 1`, a 5-byte `i32.const` and `call`, `end`).
pub const GUARD_MAX_LEN: u64 = 30;
/// A flag global: `(global (mut i32) (i32.const 0))`.
const FLAG_GLOBAL: [u8; 5] = [0x7f, 0x01, 0x41, 0x00, 0x0b];
/// The type of `$charge`: `(func (param i32))`.
const CHARGE_TYPE: [u8; 4] = [0x60, 0x01, 0x7f, 0x00];

/// Code ready for compilation.
pub struct Instrumented<'a> {
    /// The code with the entry charges injected (the original if there were none).
    pub code: Cow<'a, [u8]>,
    /// Functions the instrumented code defines (`$charge` included).
    pub functions: u32,
    /// Length of `$charge`'s body (0 without one): translated by every execution that enters
    /// any function, so charged at load, at `code_load_per_byte` once more (it is `nop`s,
    /// which translate at less than one code-size slope per byte: `translate_nop` in
    /// `benchmarking/wasm-timing.sh`).
    pub charge_len: u64,
}

/// One function body: where its locals declaration and its operators are, and how many `nop`s
/// go between them.
struct BodyParts {
    locals: Range<usize>,
    operators: Range<usize>,
    nops: u64,
}

fn uleb(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Signed LEB128 of a non-negative `i32` (an `i32.const` immediate).
fn sleb_positive(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        // Done when the rest is zero and the sign bit of this byte is clear.
        if v == 0 && byte & 0x40 == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads an unsigned LEB128 at `pos`: its value and the position after it.
fn read_uleb(code: &[u8], mut pos: usize) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *code.get(pos)?;
        pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some((value, pos));
        }
    }
    None
}

/// A section of the code: where its header starts and its contents (its item count first,
/// for the vector sections this module edits).
#[derive(Clone)]
struct Section {
    header: usize,
    contents: Range<usize>,
}

/// A replacement of `code[range]` (an empty range inserts).
struct Edit {
    range: Range<usize>,
    bytes: Vec<u8>,
}

/// What the walk over the code found.
#[derive(Default)]
struct Layout {
    types: Option<(Section, u32)>,
    imported_functions: u32,
    imported_globals: u32,
    functions: Option<Section>,
    globals: Option<(Section, u32)>,
    code: Option<(Section, u32)>,
    /// Where a new global section goes: the header of the first section it must precede.
    globals_before: Option<usize>,
    bodies: Vec<BodyParts>,
}

fn walk(code: &[u8], schedule: &GasConfig) -> Result<Layout, ExecError> {
    let invalid = |_| ExecError::InvalidModule;
    let mut layout = Layout::default();
    // End of the previous section's contents: the next section's header starts there.
    let mut previous_end = 0usize;
    for payload in Parser::new(0).parse_all(code) {
        let payload = payload.map_err(invalid)?;
        if let Payload::Version { range, .. } = &payload {
            previous_end = range.end;
            continue;
        }
        if let Payload::CodeSectionEntry(body) = &payload {
            let mut declared = 0u64;
            let mut locals = body.get_locals_reader().map_err(invalid)?;
            for _ in 0..locals.get_count() {
                let (count, _) = locals.read().map_err(invalid)?;
                declared = declared.saturating_add(u64::from(count));
            }
            let operators_start = locals.original_position();
            let range = body.range();
            layout.bodies.push(BodyParts {
                locals: range.start..operators_start,
                operators: operators_start..range.end,
                nops: schedule.locals_cost(declared),
            });
            continue;
        }
        let Some((id, contents)) = payload.as_section() else {
            continue;
        };
        let section = Section {
            header: previous_end,
            contents: contents.clone(),
        };
        previous_end = contents.end;
        if layout.globals.is_none()
            && layout.globals_before.is_none()
            && AFTER_GLOBALS.contains(&id)
        {
            layout.globals_before = Some(section.header);
        }
        match payload {
            Payload::TypeSection(reader) => layout.types = Some((section, reader.count())),
            Payload::ImportSection(reader) => {
                for import in reader {
                    match import.map_err(invalid)?.ty {
                        TypeRef::Func(_) => layout.imported_functions += 1,
                        TypeRef::Global(_) => layout.imported_globals += 1,
                        _ => {}
                    }
                }
            }
            Payload::FunctionSection(_) => layout.functions = Some(section),
            Payload::GlobalSection(reader) => layout.globals = Some((section, reader.count())),
            Payload::CodeSectionStart { count, .. } => layout.code = Some((section, count)),
            _ => {}
        }
    }
    Ok(layout)
}

/// `section`'s bytes with `extra` more items appended to its contents.
fn extended(
    code: &[u8],
    id: u8,
    section: &Section,
    extra: u32,
    items: &[u8],
) -> Result<Edit, ExecError> {
    let (count, items_start) =
        read_uleb(code, section.contents.start).ok_or(ExecError::InvalidModule)?;
    let old_items = code
        .get(items_start..section.contents.end)
        .ok_or(ExecError::InvalidModule)?;
    let mut contents = Vec::with_capacity(old_items.len() + items.len() + 5);
    uleb(count.saturating_add(extra.into()), &mut contents);
    contents.extend_from_slice(old_items);
    contents.extend_from_slice(items);
    Ok(Edit {
        range: checked_header(code, id, section)?..section.contents.end,
        bytes: encode_section(id, &contents),
    })
}

/// The header start of `section`, checked to be exactly `id` and the contents' length.
fn checked_header(code: &[u8], id: u8, section: &Section) -> Result<usize, ExecError> {
    let len = section.contents.len() as u64;
    let ok = code.get(section.header) == Some(&id)
        && read_uleb(code, section.header + 1) == Some((len, section.contents.start));
    ok.then_some(section.header).ok_or(ExecError::InvalidModule)
}

fn encode_section(id: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(contents.len() + 6);
    out.push(id);
    uleb(contents.len() as u64, &mut out);
    out.extend_from_slice(contents);
    out
}

/// The body of `$charge`: `(func (param $n i32) (loop nop×CHARGE_NOPS (br_if 0 (local.tee $n
/// (i32.sub (local.get $n) (i32.const 1)))))`.
fn charge_body() -> Vec<u8> {
    let mut body = Vec::with_capacity(CHARGE_NOPS + 16);
    // No locals; `loop` with an empty block type.
    body.extend_from_slice(&[0x00, 0x03, 0x40]);
    body.resize(body.len() + CHARGE_NOPS, NOP);
    body.extend_from_slice(&[
        0x20, 0x00, // local.get 0
        0x41, 0x01, // i32.const 1
        0x6b, // i32.sub
        0x22, 0x00, // local.tee 0
        0x0d, 0x00, // br_if 0
        0x0b, // end (loop)
        0x0b, // end (function)
    ]);
    body
}

/// Gas one iteration of `$charge`'s loop costs: wasmi's 1 for the loop's block, its `nop`s,
/// `local.get`, `i32.const` and `local.tee` (1 each), `i32.sub` and `br_if`.
pub fn charge_iteration_gas(schedule: &GasConfig) -> u64 {
    CHARGE_NOPS as u64 + 4 + u64::from(schedule.add) + u64::from(schedule.branch)
}

/// Appends the first-entry guard of a body with flag global `flag` and `iterations` of
/// `$charge` (function `charge`) to `out`; nothing for 0 iterations.
fn encode_guard(flag: u64, iterations: u32, charge: u32, out: &mut Vec<u8>) {
    if iterations == 0 {
        return;
    }
    out.push(0x23); // global.get
    uleb(flag, out);
    out.extend_from_slice(&[0x45, 0x04, 0x40, 0x41, 0x01, 0x24]); // i32.eqz if i32.const 1 global.set
    uleb(flag, out);
    out.push(0x41); // i32.const
    sleb_positive(iterations, out);
    out.push(0x10); // call
    uleb(u64::from(charge), out);
    out.push(0x0b); // end
}

/// Iterations of `$charge` that cover the first-entry charge of a body of `len` bytes.
fn charge_iterations(schedule: &GasConfig, len: u64) -> u32 {
    let iterations = schedule
        .entry_cost(len)
        .div_ceil(charge_iteration_gas(schedule));
    // More iterations than an `i32` holds cost more gas than any execution has.
    iterations.min(i32::MAX as u64) as u32
}

/// Injects the locals charge of [`GasConfig::locals_cost`] and the first-entry translation
/// charge of [`GasConfig::entry_cost`] into every function body of `code` (validated code;
/// anything malformed is [`ExecError::InvalidModule`]).
pub fn instrument<'a>(code: &'a [u8], schedule: &GasConfig) -> Result<Instrumented<'a>, ExecError> {
    let layout = walk(code, schedule)?;
    let unchanged = |functions| Instrumented {
        code: Cow::Borrowed(code),
        functions,
        charge_len: 0,
    };
    let Some((code_section, functions)) = layout.code.clone() else {
        return Ok(unchanged(0));
    };
    let guarded = schedule.code_entry_per_byte > 0 && functions > 0;
    if !guarded && layout.bodies.iter().all(|b| b.nops == 0) {
        return Ok(unchanged(functions));
    }
    let slice = |range: Range<usize>| code.get(range).ok_or(ExecError::InvalidModule);
    let mut edits = Vec::new();
    let mut charge_len = 0;
    // Index of `$charge` and of the first flag global.
    let charge_index = layout.imported_functions.saturating_add(functions);
    let first_flag = match &layout.globals {
        Some((_, count)) => layout.imported_globals.saturating_add(*count),
        None => layout.imported_globals,
    };
    if guarded {
        let (types, type_count) = layout.types.as_ref().ok_or(ExecError::InvalidModule)?;
        edits.push(extended(code, TYPE_SECTION, types, 1, &CHARGE_TYPE)?);
        let function_section = layout.functions.as_ref().ok_or(ExecError::InvalidModule)?;
        let mut type_index = Vec::new();
        uleb(u64::from(*type_count), &mut type_index);
        edits.push(extended(
            code,
            FUNCTION_SECTION,
            function_section,
            1,
            &type_index,
        )?);
        let flags = FLAG_GLOBAL.repeat(functions as usize);
        match &layout.globals {
            Some((globals, _)) => {
                edits.push(extended(code, GLOBAL_SECTION, globals, functions, &flags)?)
            }
            None => {
                let at = layout.globals_before.ok_or(ExecError::InvalidModule)?;
                let mut contents = Vec::with_capacity(flags.len() + 5);
                uleb(u64::from(functions), &mut contents);
                contents.extend_from_slice(&flags);
                edits.push(Edit {
                    range: at..at,
                    bytes: encode_section(GLOBAL_SECTION, &contents),
                });
            }
        }
    }
    let mut section_bytes = Vec::with_capacity(code_section.contents.len() * 2);
    uleb(
        u64::from(functions) + u64::from(guarded),
        &mut section_bytes,
    );
    let mut guard = Vec::with_capacity(GUARD_MAX_LEN as usize);
    for (index, body) in layout.bodies.iter().enumerate() {
        let nops = usize::try_from(body.nops).map_err(|_| ExecError::InvalidModule)?;
        guard.clear();
        if guarded {
            let unguarded = (body.locals.len() + nops + body.operators.len()) as u64;
            let flag = u64::from(first_flag) + index as u64;
            // Charge for the longest guard, then for the guard as built: a shorter count only
            // shortens it, so the charge always covers the body as translated.
            let longest = charge_iterations(schedule, unguarded + GUARD_MAX_LEN);
            encode_guard(flag, longest, charge_index, &mut guard);
            let iterations = charge_iterations(schedule, unguarded + guard.len() as u64);
            guard.clear();
            encode_guard(flag, iterations, charge_index, &mut guard);
        }
        let len = body.locals.len() + nops + guard.len() + body.operators.len();
        uleb(len as u64, &mut section_bytes);
        section_bytes.extend_from_slice(slice(body.locals.clone())?);
        section_bytes.resize(section_bytes.len() + nops, NOP);
        section_bytes.extend_from_slice(&guard);
        section_bytes.extend_from_slice(slice(body.operators.clone())?);
    }
    if guarded {
        let body = charge_body();
        charge_len = body.len() as u64;
        uleb(charge_len, &mut section_bytes);
        section_bytes.extend_from_slice(&body);
    }
    edits.push(Edit {
        range: checked_header(code, CODE_SECTION, &code_section)?..code_section.contents.end,
        bytes: encode_section(CODE_SECTION, &section_bytes),
    });
    edits.sort_by_key(|e| e.range.start);
    let mut out =
        Vec::with_capacity(code.len() + edits.iter().map(|e| e.bytes.len()).sum::<usize>());
    let mut at = 0;
    for edit in edits {
        out.extend_from_slice(slice(at..edit.range.start)?);
        out.extend_from_slice(&edit.bytes);
        at = edit.range.end;
    }
    out.extend_from_slice(slice(at..code.len())?);
    Ok(Instrumented {
        code: Cow::Owned(out),
        functions: functions + u32::from(guarded),
        charge_len,
    })
}
