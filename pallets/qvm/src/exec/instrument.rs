//! Per-call charges the interpreter's operator table cannot express, injected into the code
//! before it is compiled.
//!
//! Two charges depend on which functions an execution enters, not on any operator the caller
//! executes. Both are made of operators that generate no interpreter instruction, so they
//! change the gas and nothing else: wasmi charges each block's operators (at their costs in
//! [`crate::gas::operator_costs`]) when the block is entered.
//!
//! * **Locals.** wasmi zeroes the locals a function declares every time the function is
//!   entered (a `call` costs the same whether the callee declares one local or a thousand).
//!   Each body starts with [`GasConfig::locals_cost`] pairs of `i32.const 0 drop` (1 gas each:
//!   the constant; `drop` is free), charged with the body's first block on every entry.
//! * **Translation on first entry.** Executions translate a function into wasmi's bytecode
//!   when they first call it (lazy translation): a call of a large contract translates only
//!   the functions it reaches. Each body then has a guard on a flag global of its own (one per
//!   defined function, appended after the module's globals, zero in every new instance):
//!
//!   ```wat
//!   global.get $entered_i  i32.eqz
//!   if  i32.const 1 global.set $entered_i  nop × k  end
//!   ```
//!
//!   `nop` costs [`NOP_GAS`] and `k` is the least count that covers [`GasConfig::entry_cost`]
//!   of the body's length (the guard and its `nop`s included), so the `if` block charges the
//!   translation once per execution, in one fuel check. The charge is made per instance, so it
//!   is the same whether the module was just translated or came from the module cache with its
//!   functions already translated: gas never depends on the cache (the pallet charges for the
//!   worst case, translation). Bodies shorter than [`GUARD_MIN_LEN`] get no guard and are
//!   charged at every load. With `code_entry_per_byte` 0 there are no guards.
//!
//! No index the code uses changes. The code hash, the stored code and the proof size stay those
//! of the code as uploaded; the injected bytes are parsed on every load and so count towards
//! the per-byte load charge.

use super::ExecError;
use alloc::{borrow::Cow, vec::Vec};
use core::ops::Range;
use qvm_primitives::{CodeShape, GasConfig};
use wasmparser::{Parser, Payload, TypeRef};

/// Wasm `nop`.
const NOP: u8 = 0x01;
/// `i32.const 0 drop`: one gas of the locals charge.
const LOCALS_UNIT: [u8; 3] = [0x41, 0x00, 0x1a];
/// Section ids.
const GLOBAL_SECTION: u8 = 6;
const CODE_SECTION: u8 = 10;
/// Sections a global section must precede (export, start, element, data count, code, data).
const AFTER_GLOBALS: [u8; 6] = [7, 8, 9, 12, 10, 11];

/// Gas of one `nop` ([`crate::gas::operator_costs`]): the unit of the first-entry charge. The
/// largest cost an operator can have, so that the charge takes few bytes (an SDK-token
/// function pays 19 gas per byte: 8 % more bytes). Compiled contracts contain no `nop`s.
pub const NOP_GAS: u8 = u8::MAX;
/// Bytes a guard adds to a body besides its `nop`s at most (`global.get` and `global.set` of a
/// 5-byte index, `i32.eqz if i32.const 1`, `end`).
pub const GUARD_MAX_LEN: u64 = 18;
/// Bodies shorter than this get no guard: their first-entry charge is made at every load. A
/// guard's check runs at every entry (3 gas, two interpreter instructions) and its flag is a
/// global every instance allocates, which costs more than it saves on small functions (half
/// of an SDK contract's functions are below this, most of the calls of a transfer go to them).
pub const GUARD_MIN_LEN: u64 = 64;
/// Bytes an unguarded body is charged for at least: translating a function has a fixed part
/// (the translator's setup, the compiled function's entry) that a tiny body's bytes do not
/// cover (`translate_many_entered` in `benchmarking/wasm-timing.sh`: 4,000 empty functions,
/// each called once, got 0.84 of their charge without this floor on a busy machine).
pub const MIN_TRANSLATED_LEN: u64 = 16;
/// A flag global: `(global (mut i32) (i32.const 0))`.
const FLAG_GLOBAL: [u8; 5] = [0x7f, 0x01, 0x41, 0x00, 0x0b];

/// Code ready for compilation.
pub struct Instrumented<'a> {
    /// The code with the entry charges injected (the original if there were none).
    pub code: Cow<'a, [u8]>,
    /// Functions the code defines.
    pub functions: u32,
    /// Bytes of [`Self::code`]'s code section (the function bodies).
    pub body_len: u64,
    /// Exports of the code.
    pub exports: u32,
    /// Function types the code declares.
    pub types: u32,
    /// Initial pages of the code's memory.
    pub initial_pages: u64,
    /// First-entry charge of the bodies shorter than [`GUARD_MIN_LEN`], made at every load
    /// instead (as if every execution entered them).
    pub entry_at_load: u64,
}

impl Instrumented<'_> {
    /// What loading this code is charged by ([`GasConfig::load_cost`]).
    pub fn shape(&self) -> CodeShape {
        CodeShape {
            len: self.code.len() as u64,
            body_len: self.body_len,
            functions: u64::from(self.functions),
            exports: u64::from(self.exports),
            types: u64::from(self.types),
            initial_pages: self.initial_pages,
        }
    }
}

/// One function body: where its locals declaration and its operators are, and the gas of its
/// locals charge.
struct BodyParts {
    locals: Range<usize>,
    operators: Range<usize>,
    locals_gas: u64,
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
    imported_globals: u32,
    globals: Option<(Section, u32)>,
    code: Option<(Section, u32)>,
    /// Where a new global section goes: the header of the first section it must precede.
    globals_before: Option<usize>,
    bodies: Vec<BodyParts>,
    exports: u32,
    types: u32,
    initial_pages: u64,
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
                locals_gas: schedule.locals_cost(declared),
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
            Payload::ImportSection(reader) => {
                for import in reader {
                    if let TypeRef::Global(_) = import.map_err(invalid)?.ty {
                        layout.imported_globals += 1;
                    }
                }
            }
            Payload::GlobalSection(reader) => layout.globals = Some((section, reader.count())),
            Payload::TypeSection(reader) => layout.types = reader.count(),
            Payload::ExportSection(reader) => layout.exports = reader.count(),
            Payload::MemorySection(reader) => {
                if let Some(memory) = reader.into_iter().next() {
                    layout.initial_pages = memory.map_err(invalid)?.initial;
                }
            }
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

/// Appends the first-entry guard of a body with flag global `flag` and `nops` `nop`s to `out`.
fn encode_guard(flag: u64, nops: u64, out: &mut Vec<u8>) {
    out.push(0x23); // global.get
    uleb(flag, out);
    out.extend_from_slice(&[0x45, 0x04, 0x40, 0x41, 0x01, 0x24]); // i32.eqz if i32.const 1 global.set
    uleb(flag, out);
    out.resize(out.len() + nops as usize, NOP);
    out.push(0x0b); // end
}

/// `nop`s of a guard that cover the first-entry charge of a body that is `len` bytes long
/// without them: the least `k` with `k × NOP_GAS ≥ entry_cost(len + k)`. A per-byte charge of
/// `NOP_GAS` or more cannot cover its own `nop`s; it gets those of `len` (the integrity test
/// refuses such a schedule).
pub fn guard_nops(schedule: &GasConfig, len: u64) -> u64 {
    let per_byte = schedule.code_entry_per_byte;
    let nop = u64::from(NOP_GAS);
    let charge = u128::from(schedule.entry_cost(len));
    let k = if per_byte < nop {
        charge.div_ceil(u128::from(nop - per_byte))
    } else {
        charge.div_ceil(u128::from(nop))
    };
    // No body this long fits in code an execution can load.
    k.min(u128::from(u32::MAX)) as u64
}

/// Injects the locals charge of [`GasConfig::locals_cost`] and the first-entry translation
/// charge of [`GasConfig::entry_cost`] into every function body of `code` (validated code;
/// anything malformed is [`ExecError::InvalidModule`]).
pub fn instrument<'a>(code: &'a [u8], schedule: &GasConfig) -> Result<Instrumented<'a>, ExecError> {
    let layout = walk(code, schedule)?;
    let unchanged = |functions, body_len| Instrumented {
        code: Cow::Borrowed(code),
        functions,
        body_len,
        exports: layout.exports,
        types: layout.types,
        initial_pages: layout.initial_pages,
        entry_at_load: 0,
    };
    let Some((code_section, functions)) = layout.code.clone() else {
        return Ok(unchanged(0, 0));
    };
    let charging = schedule.code_entry_per_byte > 0;
    // Bodies as long as this get a guard; shorter ones are charged at load (below).
    let guard = |body: &BodyParts| {
        charging && (body.locals.len() + body.operators.len()) as u64 >= GUARD_MIN_LEN
    };
    let guards = layout.bodies.iter().filter(|b| guard(b)).count() as u32;
    if guards == 0 && layout.bodies.iter().all(|b| b.locals_gas == 0) {
        // Nothing to inject: only small bodies, charged at load.
        let small = layout.bodies.iter().fold(0u64, |sum, b| {
            let len = (b.locals.len() + b.operators.len()) as u64;
            sum.saturating_add(len.max(MIN_TRANSLATED_LEN))
        });
        return Ok(Instrumented {
            entry_at_load: if charging {
                schedule.entry_cost(small)
            } else {
                0
            },
            ..unchanged(functions, code_section.contents.len() as u64)
        });
    }
    let slice = |range: Range<usize>| code.get(range).ok_or(ExecError::InvalidModule);
    let mut edits = Vec::new();
    // Index of the first flag global.
    let first_flag = match &layout.globals {
        Some((_, count)) => layout.imported_globals.saturating_add(*count),
        None => layout.imported_globals,
    };
    if guards > 0 {
        let flags = FLAG_GLOBAL.repeat(guards as usize);
        match &layout.globals {
            Some((globals, _)) => {
                edits.push(extended(code, GLOBAL_SECTION, globals, guards, &flags)?)
            }
            None => {
                let at = layout.globals_before.ok_or(ExecError::InvalidModule)?;
                let mut contents = Vec::with_capacity(flags.len() + 5);
                uleb(u64::from(guards), &mut contents);
                contents.extend_from_slice(&flags);
                edits.push(Edit {
                    range: at..at,
                    bytes: encode_section(GLOBAL_SECTION, &contents),
                });
            }
        }
    }
    let mut section_bytes = Vec::with_capacity(code_section.contents.len() * 2);
    uleb(u64::from(functions), &mut section_bytes);
    let mut prefix = Vec::with_capacity(64);
    let mut flag = u64::from(first_flag);
    let mut unguarded = 0u64;
    for body in &layout.bodies {
        let locals_gas = usize::try_from(body.locals_gas).map_err(|_| ExecError::InvalidModule)?;
        prefix.clear();
        for _ in 0..locals_gas {
            prefix.extend_from_slice(&LOCALS_UNIT);
        }
        let len = (body.locals.len() + prefix.len() + body.operators.len()) as u64;
        if guard(body) {
            let nops = guard_nops(schedule, len.saturating_add(GUARD_MAX_LEN));
            encode_guard(flag, nops, &mut prefix);
            flag += 1;
        } else {
            unguarded = unguarded.saturating_add(len.max(MIN_TRANSLATED_LEN));
        }
        let len = body.locals.len() + prefix.len() + body.operators.len();
        uleb(len as u64, &mut section_bytes);
        section_bytes.extend_from_slice(slice(body.locals.clone())?);
        section_bytes.extend_from_slice(&prefix);
        section_bytes.extend_from_slice(slice(body.operators.clone())?);
    }
    let body_len = section_bytes.len() as u64;
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
        functions,
        body_len,
        exports: layout.exports,
        types: layout.types,
        initial_pages: layout.initial_pages,
        entry_at_load: if charging {
            schedule.entry_cost(unguarded)
        } else {
            0
        },
    })
}
