//! Generates the Wasm contracts the benchmarks run: a tiny binary encoder (no WAT parser in the
//! runtime) for modules that import QVM host functions and export a `constructor` and a `run`
//! method repeating a body `r` times.

use alloc::{vec, vec::Vec};
use qvm_primitives::abi::{self, AbiType};

/// Wasm opcodes used by the generated code (names as in the Wasm spec).
#[allow(missing_docs)]
pub mod op {
    pub const BLOCK: u8 = 0x02;
    pub const LOOP: u8 = 0x03;
    pub const BR_TABLE: u8 = 0x0e;
    pub const CALL_INDIRECT: u8 = 0x11;
    pub const SELECT: u8 = 0x1b;
    pub const GLOBAL_GET: u8 = 0x23;
    pub const GLOBAL_SET: u8 = 0x24;
    pub const END: u8 = 0x0b;
    pub const BR: u8 = 0x0c;
    pub const BR_IF: u8 = 0x0d;
    pub const CALL: u8 = 0x10;
    pub const DROP: u8 = 0x1a;
    pub const LOCAL_GET: u8 = 0x20;
    pub const LOCAL_SET: u8 = 0x21;
    pub const LOCAL_TEE: u8 = 0x22;
    pub const I64_LOAD: u8 = 0x29;
    pub const I64_STORE: u8 = 0x37;
    pub const MEMORY_GROW: u8 = 0x40;
    pub const I32_CONST: u8 = 0x41;
    pub const I64_CONST: u8 = 0x42;
    pub const I32_SUB: u8 = 0x6b;
    pub const I64_EXTEND_I32_U: u8 = 0xad;
    pub const I64_ADD: u8 = 0x7c;
    pub const I64_MUL: u8 = 0x7e;
    pub const I64_DIV_U: u8 = 0x80;
    pub const I64_XOR: u8 = 0x85;
    pub const I64_EQZ: u8 = 0x50;
    pub const BLOCK_TYPE_EMPTY: u8 = 0x40;
    /// Prefix of the bulk-memory operators (`0xFC` then the sub-opcode).
    pub const MISC_PREFIX: u8 = 0xfc;
    pub const MEMORY_COPY: u8 = 10;
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

fn sleb(mut v: i64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        out.push(if done { byte } else { byte | 0x80 });
        if done {
            return;
        }
    }
}

/// A function body under construction.
#[derive(Clone, Default)]
pub struct Body(pub Vec<u8>);

impl Body {
    /// Appends a raw opcode.
    pub fn op(mut self, opcode: u8) -> Self {
        self.0.push(opcode);
        self
    }
    /// `i32.const v`.
    pub fn i32(mut self, v: i32) -> Self {
        self.0.push(op::I32_CONST);
        sleb(i64::from(v), &mut self.0);
        self
    }
    /// `i64.const v`.
    pub fn i64(mut self, v: i64) -> Self {
        self.0.push(op::I64_CONST);
        sleb(v, &mut self.0);
        self
    }
    /// An opcode with one unsigned immediate (`call`, `local.get`, `br_if`, ...).
    pub fn op_u(mut self, opcode: u8, imm: u32) -> Self {
        self.0.push(opcode);
        uleb(u64::from(imm), &mut self.0);
        self
    }
    /// A memory access with alignment 3 (8 bytes) and offset 0.
    pub fn mem(mut self, opcode: u8) -> Self {
        self.0.extend_from_slice(&[opcode, 3, 0]);
        self
    }
    /// Appends `other` `n` times.
    pub fn repeat(mut self, other: &Body, n: u32) -> Self {
        for _ in 0..n {
            self.0.extend_from_slice(&other.0);
        }
        self
    }
}

/// A module: host imports, one memory, a `constructor`, a `run` method and helper functions.
pub struct Module {
    /// Host functions imported (by ABI name), in import order: function index `i`.
    pub imports: Vec<&'static str>,
    /// Initial memory pages.
    pub memory_pages: u32,
    /// Defined functions besides `constructor` and `run`, all `() -> ()`.
    pub helpers: Vec<Body>,
    /// `i64` locals every helper declares.
    pub helper_locals: u32,
    /// Helpers (by helper number) placed in a table from index 0, for `call_indirect`.
    pub table: Vec<u32>,
    /// Mutable `i64` globals (initialised to 0).
    pub globals: u32,
    /// Body of `constructor` (no locals).
    pub constructor: Body,
    /// Body of `run` (locals: one `i32` counter at index 0, one `i64` at index 1).
    pub run: Body,
    /// Data segments `(offset, bytes)`.
    pub data: Vec<(u32, Vec<u8>)>,
    /// Extra bytes of padding in a custom section (to reach a code size).
    pub padding: usize,
    /// Helpers (by helper number) exported as methods, by name.
    pub exports: Vec<(&'static str, u32)>,
    /// More exports of `run`, named `e000`, `e001`, ... (at most 1,000).
    pub run_exports: u32,
    /// Distinct function types no function uses, declared after the others (type `i` has 8
    /// parameters: bit `b` of `i` makes parameter `b` an `i64`, else an `i32`; 256 at most).
    pub unused_types: u32,
}

impl Default for Module {
    fn default() -> Self {
        Self {
            imports: Vec::new(),
            memory_pages: 1,
            helpers: Vec::new(),
            helper_locals: 0,
            table: Vec::new(),
            globals: 0,
            constructor: Body::default(),
            run: Body::default(),
            data: Vec::new(),
            padding: 0,
            exports: Vec::new(),
            run_exports: 0,
            unused_types: 0,
        }
    }
}

fn val(t: AbiType) -> u8 {
    match t {
        AbiType::I32 => 0x7f,
        AbiType::I64 => 0x7e,
    }
}

fn section(id: u8, content: Vec<u8>, out: &mut Vec<u8>) {
    out.push(id);
    uleb(content.len() as u64, out);
    out.extend_from_slice(&content);
}

fn name(s: &str, out: &mut Vec<u8>) {
    uleb(s.len() as u64, out);
    out.extend_from_slice(s.as_bytes());
}

impl Module {
    /// Index of the first defined function (`constructor`); `run` follows, then the helpers.
    pub fn first_defined(&self) -> u32 {
        self.imports.len() as u32
    }

    /// Index of helper `i`.
    pub fn helper_index(&self, i: u32) -> u32 {
        self.first_defined() + 2 + i
    }

    /// The Wasm binary.
    pub fn build(&self) -> Vec<u8> {
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        // Types: 0 = () -> (), then one per import.
        let mut types = Vec::new();
        uleb(
            1 + self.imports.len() as u64 + u64::from(self.unused_types),
            &mut types,
        );
        types.extend_from_slice(&[0x60, 0, 0]);
        for import in &self.imports {
            // An unknown name gets the empty signature (and the module fails validation).
            let (params, results) = abi::host_function(import)
                .map(|f| (f.params, f.results))
                .unwrap_or((&[], &[]));
            types.push(0x60);
            uleb(params.len() as u64, &mut types);
            types.extend(params.iter().map(|t| val(*t)));
            uleb(results.len() as u64, &mut types);
            types.extend(results.iter().map(|t| val(*t)));
        }
        for i in 0..self.unused_types {
            types.extend_from_slice(&[0x60, 8]);
            types.extend((0..8).map(|b| if i >> b & 1 == 1 { 0x7e } else { 0x7f }));
            types.push(0);
        }
        section(1, types, &mut out);
        let mut imports = Vec::new();
        uleb(self.imports.len() as u64, &mut imports);
        for (i, import) in self.imports.iter().enumerate() {
            name(abi::IMPORT_MODULE, &mut imports);
            name(import, &mut imports);
            imports.push(0x00);
            uleb(i as u64 + 1, &mut imports);
        }
        section(2, imports, &mut out);
        let defined = 2 + self.helpers.len();
        let mut funcs = Vec::new();
        uleb(defined as u64, &mut funcs);
        funcs.extend(vec![0u8; defined]);
        section(3, funcs, &mut out);
        if !self.table.is_empty() {
            // One funcref table of exactly the listed functions.
            let mut table = vec![1, 0x70, 0];
            uleb(self.table.len() as u64, &mut table);
            section(4, table, &mut out);
        }
        let mut memory = vec![1, 0];
        uleb(u64::from(self.memory_pages), &mut memory);
        section(5, memory, &mut out);
        if self.globals > 0 {
            let mut globals = Vec::new();
            uleb(u64::from(self.globals), &mut globals);
            for _ in 0..self.globals {
                globals.extend_from_slice(&[0x7e, 1, op::I64_CONST, 0, op::END]);
            }
            section(6, globals, &mut out);
        }
        let mut exports = Vec::new();
        uleb(
            3 + self.exports.len() as u64 + u64::from(self.run_exports),
            &mut exports,
        );
        name(abi::MEMORY_EXPORT, &mut exports);
        exports.extend_from_slice(&[0x02, 0]);
        name(abi::CONSTRUCTOR_EXPORT, &mut exports);
        exports.push(0x00);
        uleb(u64::from(self.first_defined()), &mut exports);
        name("run", &mut exports);
        exports.push(0x00);
        uleb(u64::from(self.first_defined()) + 1, &mut exports);
        for (export, helper) in &self.exports {
            name(export, &mut exports);
            exports.push(0x00);
            uleb(u64::from(self.helper_index(*helper)), &mut exports);
        }
        for i in 0..self.run_exports {
            // Names of one length (4 bytes, `e000`..`e255`): the same bytes per export.
            name(&alloc::format!("e{i:03}"), &mut exports);
            exports.push(0x00);
            uleb(u64::from(self.first_defined()) + 1, &mut exports);
        }
        section(7, exports, &mut out);
        if !self.table.is_empty() {
            let mut elem = vec![1, 0, op::I32_CONST, 0, op::END];
            uleb(self.table.len() as u64, &mut elem);
            for helper in &self.table {
                uleb(u64::from(self.helper_index(*helper)), &mut elem);
            }
            section(9, elem, &mut out);
        }
        let mut code = Vec::new();
        uleb(defined as u64, &mut code);
        let bodies = [self.constructor.clone(), self.run.clone()]
            .into_iter()
            .chain(self.helpers.iter().cloned());
        for (i, body) in bodies.enumerate() {
            let mut f = Vec::new();
            if i == 1 {
                // locals: 1 x i32, 1 x i64
                f.extend_from_slice(&[2, 1, 0x7f, 1, 0x7e]);
            } else if i > 1 && self.helper_locals > 0 {
                f.push(1);
                uleb(u64::from(self.helper_locals), &mut f);
                f.push(0x7e);
            } else {
                f.push(0);
            }
            f.extend_from_slice(&body.0);
            f.push(op::END);
            uleb(f.len() as u64, &mut code);
            code.extend_from_slice(&f);
        }
        section(10, code, &mut out);
        if !self.data.is_empty() {
            let mut data = Vec::new();
            uleb(self.data.len() as u64, &mut data);
            for (offset, bytes) in &self.data {
                data.push(0);
                data.push(op::I32_CONST);
                sleb(i64::from(*offset), &mut data);
                data.push(op::END);
                uleb(bytes.len() as u64, &mut data);
                data.extend_from_slice(bytes);
            }
            section(11, data, &mut out);
        }
        if self.padding > 0 {
            let mut custom = Vec::new();
            name("pad", &mut custom);
            custom.extend(vec![0u8; self.padding]);
            section(0, custom, &mut out);
        }
        out
    }
}

/// `run` repeating `body` `r` times in a loop (local 0 counts down). The loop costs
/// `local.get, i32.const, i32.sub, local.tee, br_if` per iteration on top of `body`.
pub fn repeat_loop(r: u32, body: &Body) -> Body {
    if r == 0 {
        return Body::default();
    }
    Body::default()
        .i32(r as i32)
        .op_u(op::LOCAL_SET, 0)
        .op(op::LOOP)
        .op(op::BLOCK_TYPE_EMPTY)
        .repeat(body, 1)
        .op_u(op::LOCAL_GET, 0)
        .i32(1)
        .op(op::I32_SUB)
        .op_u(op::LOCAL_TEE, 0)
        .op_u(op::BR_IF, 0)
        .op(op::END)
}

/// A module of about `len` bytes whose `run` does next to nothing. The size is one helper
/// function that `constructor` and `run` call and that returns at once (its body is skipped by
/// a branch on a global): its body is `call`s of itself, the operator most expensive to
/// translate per byte, so loading pays the translation of every byte, as when a contract's
/// code is one large function it calls (executions translate the functions they call, and
/// only those; upload validates and translates all).
pub fn sized(len: u32) -> Vec<u8> {
    sized_module(len, true)
}

/// [`sized`] with the helper never called: loading the code without translating it.
pub fn sized_unentered(len: u32) -> Vec<u8> {
    sized_module(len, false)
}

fn sized_module(len: u32, entered: bool) -> Vec<u8> {
    const IMPORTS: [&str; 2] = ["qnet_storage_read", "qnet_storage_write"];
    // Function index of the helper: after the imports, `constructor` and `run`.
    let helper = IMPORTS.len() as u32 + 2;
    let unit = Body::default().op_u(op::CALL, helper);
    let enter = if entered {
        unit.clone()
    } else {
        Body::default()
    };
    // The constructor writes one 32-byte entry and `run` reads it back, so that the dispatchable
    // benchmarks' base weights include opening the contract's child trie.
    let module = |units: u32| Module {
        imports: IMPORTS.to_vec(),
        globals: 1,
        constructor: Body::default()
            .i32(0)
            .i32(32)
            .i32(0)
            .i32(32)
            .op_u(op::CALL, 1)
            .op(op::DROP)
            .repeat(&enter, 1),
        run: Body::default()
            .i32(0)
            .i32(32)
            .i32(64)
            .i32(32)
            .op_u(op::CALL, 0)
            .op(op::DROP)
            .repeat(&enter, 1),
        helpers: vec![Body::default()
            .op(op::BLOCK)
            .op(op::BLOCK_TYPE_EMPTY)
            .op_u(op::GLOBAL_GET, 0)
            .op(op::I64_EQZ)
            .op_u(op::BR_IF, 0)
            .repeat(&unit, units)
            .op(op::END)],
        ..Default::default()
    };
    let base = module(0).build().len();
    module(((len as usize).saturating_sub(base + 8) / unit.0.len()) as u32).build()
}

/// A module calling host function `import` `r` times; `args` pushes its arguments and the
/// result (if any) is dropped. `data` is placed in memory at offset 0.
pub fn host_loop(
    import: &'static str,
    args: Body,
    r: u32,
    data: Vec<u8>,
    memory_pages: u32,
) -> Vec<u8> {
    let returns = abi::host_function(import).is_some_and(|f| !f.results.is_empty());
    let mut call = args.op_u(op::CALL, 0);
    if returns {
        call = call.op(op::DROP);
    }
    Module {
        imports: vec![import],
        memory_pages,
        run: repeat_loop(r, &call),
        data: if data.is_empty() {
            Vec::new()
        } else {
            vec![(0, data)]
        },
        ..Default::default()
    }
    .build()
}

/// A module whose `run` executes `body` `r` times (`body` may use local 1, an `i64`).
pub fn op_loop(r: u32, body: Body, helpers: Vec<Body>) -> Vec<u8> {
    Module {
        run: repeat_loop(r, &body),
        helpers,
        ..Default::default()
    }
    .build()
}

/// A module whose `run` executes ten operators of `class` `r` times (see [`op_class_body`]).
pub fn class_loop(class: OpClass, r: u32) -> Vec<u8> {
    let (body, helpers) = op_class_body(class);
    Module {
        run: repeat_loop(r, &body),
        helpers,
        table: match class {
            OpClass::CallIndirect => vec![0],
            _ => Vec::new(),
        },
        globals: u32::from(class == OpClass::Global),
        ..Default::default()
    }
    .build()
}

/// Operator classes measured by the `instr_*` benchmarks: ten operators of the class per
/// iteration (plus what feeds them).
pub fn op_class_body(class: OpClass) -> (Body, Vec<Body>) {
    const N: u32 = crate::schedule::OPS_PER_ITERATION as u32;
    let x = Body::default();
    match class {
        OpClass::Add => (
            x.op_u(op::LOCAL_GET, 1)
                .repeat(&Body::default().i64(3).op(op::I64_ADD), N)
                .op_u(op::LOCAL_SET, 1),
            vec![],
        ),
        OpClass::Mul => (
            x.op_u(op::LOCAL_GET, 1)
                .repeat(&Body::default().i64(3).op(op::I64_MUL), N)
                .op_u(op::LOCAL_SET, 1),
            vec![],
        ),
        // The dividend comes from a local (`!x`, never 0) so the interpreter cannot fold the
        // divisions into a constant at compile time.
        OpClass::Div => (
            x.op_u(op::LOCAL_GET, 1)
                .i64(-1)
                .op(op::I64_XOR)
                .repeat(&Body::default().i64(3).op(op::I64_DIV_U), N)
                .op_u(op::LOCAL_SET, 1),
            vec![],
        ),
        OpClass::Load => (
            x.repeat(&Body::default().i32(64).mem(op::I64_LOAD).op(op::DROP), N),
            vec![],
        ),
        OpClass::Store => (
            x.repeat(&Body::default().i32(64).i64(7).mem(op::I64_STORE), N),
            vec![],
        ),
        OpClass::Call => (
            x.repeat(&Body::default().op_u(op::CALL, 2), N),
            vec![Body::default()],
        ),
        // `call_indirect` of table entry 0 (an empty function of type 0).
        OpClass::CallIndirect => (
            x.repeat(&Body::default().i32(0).op(op::CALL_INDIRECT).op(0).op(0), N),
            vec![Body::default()],
        ),
        // Two nested blocks left by a `br_table` on the loop counter (16 targets).
        OpClass::BrTable => {
            let mut br_table = Body::default()
                .op(op::BLOCK)
                .op(op::BLOCK_TYPE_EMPTY)
                .op(op::BLOCK)
                .op(op::BLOCK_TYPE_EMPTY)
                .op_u(op::LOCAL_GET, 0)
                .op(op::BR_TABLE)
                .op(16);
            for target in 0..16 {
                br_table = br_table.op(target % 2);
            }
            let br_table = br_table.op(1).op(op::END).op(op::END);
            (x.repeat(&br_table, N), vec![])
        }
        // `select` between a local and a constant on the loop counter.
        OpClass::Select => (
            x.op_u(op::LOCAL_GET, 1)
                .repeat(
                    &Body::default().i64(3).op_u(op::LOCAL_GET, 0).op(op::SELECT),
                    N,
                )
                .op_u(op::LOCAL_SET, 1),
            vec![],
        ),
        // `global.get` and `global.set` of a mutable `i64` global.
        OpClass::Global => (
            x.repeat(
                &Body::default()
                    .op_u(op::GLOBAL_GET, 0)
                    .op_u(op::GLOBAL_SET, 0),
                N,
            ),
            vec![],
        ),
        // A one-`br` loop entered and left: the fuel check at the loop's start and the branch
        // out, for one `br` (the cheapest gas per instruction wasmi executes: an endless
        // `loop br 0 end` runs the same two instructions per iteration).
        OpClass::Branch => (
            x.repeat(
                &Body::default()
                    .op(op::BLOCK)
                    .op(op::BLOCK_TYPE_EMPTY)
                    .op(op::LOOP)
                    .op(op::BLOCK_TYPE_EMPTY)
                    .op_u(op::BR, 1)
                    .op(op::END)
                    .op(op::END),
                N,
            ),
            vec![],
        ),
        // `memory.copy` of 0 bytes: the fixed work of a bulk-memory operator (the dearest of
        // the `memory_op` class in the runtime wasm).
        OpClass::MemoryOp => (
            x.repeat(
                &Body::default()
                    .i32(0)
                    .i32(8)
                    .i32(0)
                    .op(op::MISC_PREFIX)
                    .op(op::MEMORY_COPY)
                    .op(0)
                    .op(0),
                N,
            ),
            vec![],
        ),
        OpClass::Loop => (x, vec![]),
    }
}

/// `run` calling a function that declares `locals` `i64` locals `LOCALS_CALLS` × 10 times
/// ([`crate::schedule::LOCALS_CALLS`]):
/// what entering a function costs per local it declares.
pub fn call_with_locals(locals: u32) -> Vec<u8> {
    let (body, helpers) = op_class_body(OpClass::Call);
    Module {
        run: repeat_loop(crate::schedule::LOCALS_CALLS, &body),
        helpers,
        helper_locals: locals,
        ..Default::default()
    }
    .build()
}

/// A module exporting `run` under `exports` more names: what loading code costs per export.
pub fn with_exports(exports: u32) -> Vec<u8> {
    Module {
        run_exports: exports,
        ..Default::default()
    }
    .build()
}

/// A module declaring `types` more (distinct, unused) function types: what loading code costs
/// per type.
pub fn with_types(types: u32) -> Vec<u8> {
    Module {
        unused_types: types,
        ..Default::default()
    }
    .build()
}

/// A module defining `functions` functions (`constructor`, an empty `run` and empty helpers):
/// what loading code costs per function it defines.
pub fn with_functions(functions: u32) -> Vec<u8> {
    Module {
        helpers: vec![Body::default(); functions.saturating_sub(2) as usize],
        ..Default::default()
    }
    .build()
}

/// A class of Wasm operators with one gas cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpClass {
    /// `i64.add` (the `add` class: ALU operators).
    Add,
    /// `i64.mul`.
    Mul,
    /// `i64.div_u`.
    Div,
    /// `i64.load`.
    Load,
    /// `i64.store`.
    Store,
    /// `call` of an empty function.
    Call,
    /// `call_indirect` of an empty function.
    CallIndirect,
    /// `br_table` (out of two nested blocks).
    BrTable,
    /// `select`.
    Select,
    /// `global.get` and `global.set`.
    Global,
    /// `br` out of a loop (the branch class: `br`, `br_if`, `if`, `else`).
    Branch,
    /// `memory.copy` of nothing (the `memory_op` class).
    MemoryOp,
    /// The loop itself (branch, counter arithmetic).
    Loop,
}

#[cfg(test)]
mod tests {
    use super::*;
    use qvm_primitives::Limits;

    #[test]
    fn generated_modules_pass_validation() {
        let limits = Limits::default();
        let check = |code: Vec<u8>| crate::validation::validate(&code, &limits).map(|_| code.len());
        assert!(check(sized(0)).is_ok());
        let len = check(sized(10_000)).unwrap();
        assert!((9_980..=10_000).contains(&len), "{len}");
        assert!(check(sized(128 * 1024)).unwrap() <= 128 * 1024);
        for class in [
            OpClass::Add,
            OpClass::Mul,
            OpClass::Div,
            OpClass::Load,
            OpClass::Store,
            OpClass::Call,
            OpClass::CallIndirect,
            OpClass::BrTable,
            OpClass::Select,
            OpClass::Global,
            OpClass::Branch,
            OpClass::MemoryOp,
            OpClass::Loop,
        ] {
            check(class_loop(class, 100)).unwrap();
        }
        check(call_with_locals(limits.max_locals)).unwrap();
        check(with_functions(limits.max_functions)).unwrap();
        check(host_loop("qnet_gas_left", Body::default(), 10, vec![], 1)).unwrap();
        check(host_loop(
            "qnet_hash",
            Body::default().i32(0).i32(100).i32(200),
            10,
            vec![1; 300],
            1,
        ))
        .unwrap();
    }
}
