//! Per-call charges the interpreter's operator table cannot express, injected into the code
//! before it is compiled.
//!
//! wasmi zeroes the locals a function declares every time the function is entered: work that
//! scales with the callee, not with any operator the caller executes (a `call` costs the same
//! whether the callee declares one local or a thousand). QVM prices it by prepending `nop`s to
//! each function body: the operator table makes `nop` cost one gas
//! ([`crate::gas::operator_costs`]) and wasmi charges a body's first block, prepended `nop`s
//! included, on entry. `nop` has no effect and generates no interpreter instruction, so the
//! only change is the gas: [`GasConfig::locals_cost`] of the declared locals per call.
//!
//! The code hash, the stored code and the proof size stay those of the code as uploaded; the
//! injected bytes are translated on every load and so count towards the per-byte load charge.

use super::ExecError;
use alloc::{borrow::Cow, vec::Vec};
use core::ops::Range;
use qvm_primitives::GasConfig;
use wasmparser::{Parser, Payload};

/// Wasm `nop`.
const NOP: u8 = 0x01;
/// Id of the code section.
const CODE_SECTION: u8 = 10;

/// Code ready for compilation.
pub struct Instrumented<'a> {
    /// The code with the entry charges injected (the original if there were none).
    pub code: Cow<'a, [u8]>,
    /// Functions the code defines.
    pub functions: u32,
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

/// Injects the locals charge of [`GasConfig::locals_cost`] into every function body of
/// `code` (validated code; anything malformed is [`ExecError::InvalidModule`]).
pub fn instrument<'a>(code: &'a [u8], schedule: &GasConfig) -> Result<Instrumented<'a>, ExecError> {
    let invalid = |_| ExecError::InvalidModule;
    // End of the previous section's contents: the code section's header starts there.
    let mut previous_end = 0usize;
    let mut section: Option<(usize, Range<usize>)> = None;
    let mut bodies = Vec::new();
    let mut functions = 0u32;
    for payload in Parser::new(0).parse_all(code) {
        let payload = payload.map_err(invalid)?;
        match &payload {
            Payload::Version { range, .. } => previous_end = range.end,
            Payload::CodeSectionStart { count, range, .. } => {
                functions = *count;
                section = Some((previous_end, range.clone()));
                previous_end = range.end;
            }
            Payload::CodeSectionEntry(body) => {
                let mut declared = 0u64;
                let mut locals = body.get_locals_reader().map_err(invalid)?;
                for _ in 0..locals.get_count() {
                    let (count, _) = locals.read().map_err(invalid)?;
                    declared = declared.saturating_add(u64::from(count));
                }
                let operators_start = locals.original_position();
                let range = body.range();
                bodies.push(BodyParts {
                    locals: range.start..operators_start,
                    operators: operators_start..range.end,
                    nops: schedule.locals_cost(declared),
                });
            }
            other => {
                if let Some((_, range)) = other.as_section() {
                    previous_end = range.end;
                }
            }
        }
    }
    let Some((header_start, contents)) = section else {
        return Ok(Instrumented {
            code: Cow::Borrowed(code),
            functions,
        });
    };
    if bodies.iter().all(|b| b.nops == 0) {
        return Ok(Instrumented {
            code: Cow::Borrowed(code),
            functions,
        });
    }
    // The header must be exactly the section id and the contents' length.
    let header_ok = code.get(header_start) == Some(&CODE_SECTION)
        && read_uleb(code, header_start + 1) == Some((contents.len() as u64, contents.start));
    if !header_ok {
        return Err(ExecError::InvalidModule);
    }
    let slice = |range: Range<usize>| code.get(range).ok_or(ExecError::InvalidModule);
    let mut section_bytes = Vec::with_capacity(contents.len());
    uleb(u64::from(functions), &mut section_bytes);
    for body in &bodies {
        let nops = usize::try_from(body.nops).map_err(|_| ExecError::InvalidModule)?;
        let len = body.locals.len() + nops + body.operators.len();
        uleb(len as u64, &mut section_bytes);
        section_bytes.extend_from_slice(slice(body.locals.clone())?);
        section_bytes.resize(section_bytes.len() + nops, NOP);
        section_bytes.extend_from_slice(slice(body.operators.clone())?);
    }
    let mut out = Vec::with_capacity(code.len() + section_bytes.len());
    out.extend_from_slice(slice(0..header_start)?);
    out.push(CODE_SECTION);
    uleb(section_bytes.len() as u64, &mut out);
    out.extend_from_slice(&section_bytes);
    out.extend_from_slice(slice(contents.end..code.len())?);
    Ok(Instrumented {
        code: Cow::Owned(out),
        functions,
    })
}
