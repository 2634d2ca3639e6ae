//! The contracts the execution benchmarks run, one [`Workload`] per `host_*`/`instr_*`
//! benchmark: the code, its input, the storage it expects, and the benchmark's weight
//! function. Shared by the benchmarks and by the test that checks the calibrated schedule
//! charges at least the benchmarked time for each of them.

use super::code::{self, op, Body, OpClass};
use crate::{weights::WeightInfo, ContractAddress};
use alloc::{vec, vec::Vec};
use frame_support::weights::Weight;
use qvm_primitives::Limits;

/// Repetitions of host calls and operator loops.
pub const MAX_REPEAT: u32 = 1_000;
/// Repetitions of storage accesses. Kept at 100: the `benchmark pallet` process grows by roughly
/// 200 KB per contract-storage access and frees it only when it exits (measured with 1,000
/// accesses × 20 steps × 5 repeats: out of memory at 24 GiB, with or without proof recording and
/// whatever the heap pages), and the per-access slope fits as well on 0..=100.
pub const MAX_STORAGE_REPEAT: u32 = 100;
/// Repetitions of signature verification (each ~tens of microseconds).
pub const MAX_SIGNATURES: u32 = 100;
/// Largest buffer hashed or verified.
pub const MAX_HASHED: u32 = 1024 * 1024;
/// Largest `memory.copy`.
pub const MAX_COPY: u32 = 4 * 1024 * 1024;
/// What each `qnet_transfer` of the transfer benchmark moves (to a new account each time: at
/// least the minimum balance of the mock and of the reference runtime).
pub const TRANSFER_VALUE: u128 = 1_000_000_000_000;

/// A valid sr25519 signature of [`SIGNED_MSG`] by [`PUBLIC_KEY`] (so verification runs in full;
/// against other messages it fails only at the final comparison).
const PUBLIC_KEY: [u8; 32] =
    hex_literal(b"460d4ea4ca925f9feed5e3c5a546cb0b0b9447c4e53468b8d17161276407830d");
const SIGNATURE: [u8; 64] = hex_literal(
    b"9e8ea7669206a978218bbbbb2005f391f5258dbbc6b9bf94b87e149008d7fd2d142f6aa3c740025bd26de46c22881da52d8af06f831089e3f5db7bf63a2c9885",
);
const SIGNED_MSG: &[u8] = b"qvm benchmark";

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => 0,
    }
}

const fn hex_literal<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

/// Declares [`Workload`], [`ALL`] and [`Workload::weight`] from one list of
/// `variant => benchmark` pairs.
macro_rules! workloads {
    (
        units { $($unit:ident => $bench:ident,)* }
        classes { $($class:ident => $class_bench:ident,)* }
    ) => {
        /// One execution benchmark. `n` is its component: repetitions (`r`), bytes (`n`) or
        /// pages (`p`), as in the benchmark of the same name.
        #[allow(missing_docs)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Workload {
            $($unit,)*
            /// An operator-class loop (`OpClass::Loop` is the bare loop, `run_empty`).
            Instr(OpClass),
        }

        /// Every workload, for tests.
        pub const ALL: &[Workload] = &[
            $(Workload::$unit,)*
            $(Workload::Instr(OpClass::$class),)*
        ];

        impl Workload {
            /// The benchmark's weight at component `n` under `W`.
            pub fn weight<W: WeightInfo>(self, n: u32) -> Weight {
                match self {
                    $(Workload::$unit => W::$bench(n),)*
                    $(Workload::Instr(OpClass::$class) => W::$class_bench(n),)*
                    Workload::Instr(OpClass::Loop) => W::run_empty(n),
                }
            }
        }
    };
}

workloads! {
    units {
        RunEmpty => run_empty,
        GetBlockHeight => host_get_block_height,
        GetBlockTimestamp => host_get_block_timestamp,
        GetCaller => host_get_caller,
        GetContractAddress => host_get_contract_address,
        GasLeft => host_gas_left,
        InputSize => host_input_size,
        InputRead => host_input_read,
        InputReadPerByte => host_input_read_per_byte,
        ReturnPerByte => host_return_per_byte,
        StorageRead => host_storage_read,
        StorageReadPerByte => host_storage_read_per_byte,
        StorageSize => host_storage_size,
        StorageWrite => host_storage_write,
        StorageWritePerByte => host_storage_write_per_byte,
        StorageRemove => host_storage_remove,
        Hash => host_hash,
        HashPerByte => host_hash_per_byte,
        VerifySignature => host_verify_signature,
        VerifySignaturePerByte => host_verify_signature_per_byte,
        EmitEvent => host_emit_event,
        EmitEventPerByte => host_emit_event_per_byte,
        EmitEventIndexed => host_emit_event_indexed,
        Balance => host_balance,
        ValueTransferred => host_value_transferred,
        MinimumBalance => host_minimum_balance,
        Transfer => host_transfer,
        Call => host_call,
        Instantiate => host_instantiate,
        ReturnDataSize => host_return_data_size,
        ReturnDataRead => host_return_data_read,
        SetCodeHash => host_set_code_hash,
        Terminate => host_terminate,
        MemoryGrow => instr_memory_grow,
        MemoryCopy => instr_memory_copy,
        CallPerLocal => instr_call_per_local,
        LoadPerFunction => call_per_function,
        LoadPerExport => call_per_export,
        LoadPerType => call_per_type,
    }
    classes {
        Add => instr_add,
        Mul => instr_mul,
        Div => instr_div,
        Load => instr_load,
        Store => instr_store,
        Call => instr_call,
        CallIndirect => instr_call_indirect,
        BrTable => instr_br_table,
        Select => instr_select,
        Global => instr_global,
        Branch => instr_branch,
        MemoryOp => instr_memory_op,
    }
}

/// Arguments `(out_ptr = 0, out_cap = 64)`.
fn out_args() -> Body {
    Body::default().i32(0).i32(64)
}

/// Length of the per-iteration storage keys: 32 zero bytes, then the iteration counter (the
/// pallet stores them hashed, see `crate::storage`).
pub const KEY_LEN: i32 = 40;

/// Argument `key_ptr = 0, key_len = KEY_LEN`, after storing the loop counter (local 0) into
/// the key's last 8 bytes.
fn counter_key() -> Body {
    Body::default()
        .i32(KEY_LEN - 8)
        .op_u(op::LOCAL_GET, 0)
        .op(op::I64_EXTEND_I32_U)
        .mem(op::I64_STORE)
        .i32(0)
        .i32(KEY_LEN)
}

/// Arguments `to_ptr = 0, to_len = 32`: a 32-byte account id ending in the loop counter
/// (local 0), a new account in every iteration.
fn counter_account() -> Body {
    Body::default()
        .i32(24)
        .op_u(op::LOCAL_GET, 0)
        .op(op::I64_EXTEND_I32_U)
        .mem(op::I64_STORE)
        .i32(0)
        .i32(32)
}

/// Indexed topics of each event [`Workload::EmitEventIndexed`] emits.
pub use crate::schedule::INDEXED_EVENT_TOPICS as EVENT_TOPICS;

/// Where [`Workload::Terminate`]'s contract sends its funds: an account that does not exist yet
/// (creating it is the dearer transfer).
pub const TERMINATE_BENEFICIARY: [u8; 32] = [7u8; 32];

/// `n` events named by 0 bytes without data, each indexed under [`EVENT_TOPICS`] topics that
/// differ from every other event's (the loop counter in their first bytes): new entries of
/// System's topic index, the dearer case.
fn indexed_events_code(n: u32) -> Vec<u8> {
    let mut emit = Body::default();
    for t in 0..EVENT_TOPICS as i32 {
        emit = emit
            .i32(t * 32)
            .op_u(op::LOCAL_GET, 0)
            .op(op::I64_EXTEND_I32_U)
            .mem(op::I64_STORE);
    }
    let emit = emit
        .i32(0)
        .i32(0)
        .i32(0)
        .i32(EVENT_TOPICS as i32)
        .i32(0)
        .i32(0)
        .op_u(op::CALL, 0)
        .op(op::DROP);
    code::Module {
        imports: vec!["qnet_emit_event_indexed"],
        run: code::repeat_loop(n, &emit),
        ..Default::default()
    }
    .build()
}

/// The method [`Workload::Call`]'s contract calls (an empty one of its own).
const CALLED_METHOD: &[u8] = b"noop";

/// `n` calls of the contract's own empty method `noop` (re-entry allowed): the frame a call
/// pushes, its transaction, instance and events, with the callee's code in the module cache
/// and its record in the overlay (the schedule adds a storage read for the record of another
/// contract; loading other code is charged by the callee's own load cost).
fn call_code(n: u32) -> Vec<u8> {
    use qvm_primitives::abi::CALL_FLAG_ALLOW_REENTRY;
    // Memory: 0 own address, 32 method name, 64 value (0).
    let call = Body::default()
        .i32(0)
        .i32(32)
        .i32(CALLED_METHOD.len() as i32)
        .i32(0)
        .i32(0)
        .i32(64)
        .i64(0)
        .i32(CALL_FLAG_ALLOW_REENTRY)
        .i32(0)
        .i32(0)
        .op_u(op::CALL, 1)
        .op(op::DROP);
    let mut run = Body::default()
        .i32(0)
        .i32(32)
        .op_u(op::CALL, 0)
        .op(op::DROP);
    run.0.extend_from_slice(&code::repeat_loop(n, &call).0);
    code::Module {
        imports: vec!["qnet_get_contract_address", "qnet_call"],
        run,
        helpers: vec![Body::default()],
        exports: vec![("noop", 0)],
        data: vec![(32, CALLED_METHOD.to_vec()), (64, vec![0; 16])],
        ..Default::default()
    }
    .build()
}

/// The code [`Workload::Instantiate`] instantiates: the smallest contract (stored by
/// [`Workload::setup_code`]).
pub fn instantiated_code() -> Vec<u8> {
    code::op_loop(0, Body::default(), vec![])
}

/// `n` instantiations of [`instantiated_code`] (each a new contract and account, endowed with
/// the minimum balance).
fn instantiate_code(n: u32) -> Vec<u8> {
    // Memory: 0 code hash, 32 value (0), 64 the new address.
    let hash = sp_io::hashing::blake2_256(&instantiated_code());
    let call = Body::default()
        .i32(0)
        .i32(0)
        .i32(0)
        .i32(32)
        .i64(0)
        .i32(64)
        .i32(0)
        .i32(0)
        .op_u(op::CALL, 0)
        .op(op::DROP);
    code::Module {
        imports: vec!["qnet_instantiate"],
        run: code::repeat_loop(n, &call),
        data: vec![(0, hash.to_vec()), (32, vec![0; 16])],
        ..Default::default()
    }
    .build()
}

/// The key of loop iteration `k` (see [`counter_key`]).
fn iteration_key(k: u64) -> [u8; KEY_LEN as usize] {
    let mut key = [0u8; KEY_LEN as usize];
    key[32..].copy_from_slice(&k.to_le_bytes());
    key
}

fn pages_for(bytes: u32) -> u32 {
    bytes / 65_536 + 2
}

impl Workload {
    /// The largest component value the benchmark uses under `limits`.
    pub fn max(self, limits: &Limits) -> u32 {
        use Workload::*;
        match self {
            InputReadPerByte => limits.max_input_len,
            ReturnPerByte => limits.max_output_len,
            StorageReadPerByte | StorageWritePerByte => limits.max_value_len,
            HashPerByte | VerifySignaturePerByte => MAX_HASHED,
            VerifySignature => MAX_SIGNATURES,
            EmitEvent | EmitEventIndexed => limits.max_events,
            // A contract terminates once.
            Terminate => 1,
            EmitEventPerByte => limits.max_event_data_len,
            MemoryGrow => limits.max_memory_pages - 1,
            MemoryCopy => MAX_COPY,
            CallPerLocal => limits.max_locals,
            LoadPerFunction => limits.max_functions,
            // Besides `memory`, `constructor` and `run`; besides the module's own type.
            LoadPerExport => limits.max_exports.saturating_sub(3),
            LoadPerType => limits.max_types.min(257).saturating_sub(1),
            StorageRead | StorageSize | StorageWrite | StorageRemove | Transfer | Call
            | Instantiate | SetCodeHash => MAX_STORAGE_REPEAT,
            _ => MAX_REPEAT,
        }
    }

    /// The contract code for component `n`.
    pub fn code(self, n: u32) -> Vec<u8> {
        use Workload::*;
        let loop_of = |import, args: Body| code::host_loop(import, args, n, vec![], 1);
        let once = |import, args: Body, data: Vec<u8>, pages| {
            code::host_loop(import, args, 1, data, pages)
        };
        let signed = |msg: &[u8]| {
            let mut data = SIGNATURE.to_vec();
            data.extend_from_slice(&PUBLIC_KEY);
            data.extend_from_slice(msg);
            data
        };
        match self {
            RunEmpty => code::op_loop(n, Body::default(), vec![]),
            GetBlockHeight => loop_of("qnet_get_block_height", Body::default()),
            GetBlockTimestamp => loop_of("qnet_get_block_timestamp", Body::default()),
            GetCaller => loop_of("qnet_get_caller", out_args()),
            GetContractAddress => loop_of("qnet_get_contract_address", out_args()),
            GasLeft => loop_of("qnet_gas_left", Body::default()),
            InputSize => loop_of("qnet_input_size", Body::default()),
            InputRead => loop_of("qnet_input_read", out_args()),
            InputReadPerByte => once(
                "qnet_input_read",
                Body::default().i32(0).i32(n as i32),
                vec![],
                pages_for(n),
            ),
            ReturnPerByte => once(
                "qnet_return",
                Body::default().i32(0).i32(n as i32),
                vec![],
                pages_for(n),
            ),
            StorageRead => loop_of("qnet_storage_read", counter_key().i32(64).i32(64)),
            StorageReadPerByte => once(
                "qnet_storage_read",
                Body::default().i32(0).i32(32).i32(64).i32(n as i32),
                vec![9u8; 32],
                pages_for(n),
            ),
            StorageSize => loop_of("qnet_storage_size", counter_key()),
            StorageWrite => loop_of("qnet_storage_write", counter_key().i32(64).i32(32)),
            StorageWritePerByte => once(
                "qnet_storage_write",
                Body::default().i32(0).i32(32).i32(64).i32(n as i32),
                vec![],
                pages_for(n),
            ),
            StorageRemove => loop_of("qnet_storage_remove", counter_key()),
            Hash => loop_of("qnet_hash", Body::default().i32(0).i32(0).i32(64)),
            HashPerByte => once(
                "qnet_hash",
                Body::default().i32(0).i32(n as i32).i32(0),
                vec![],
                pages_for(n),
            ),
            VerifySignature => code::host_loop(
                "qnet_verify_signature",
                Body::default()
                    .i32(96)
                    .i32(SIGNED_MSG.len() as i32)
                    .i32(0)
                    .i32(64),
                n,
                signed(SIGNED_MSG),
                1,
            ),
            VerifySignaturePerByte => once(
                "qnet_verify_signature",
                Body::default().i32(96).i32(n as i32).i32(0).i32(64),
                signed(&[]),
                pages_for(n),
            ),
            EmitEvent => loop_of(
                "qnet_emit_event",
                Body::default().i32(0).i32(0).i32(0).i32(0),
            ),
            EmitEventPerByte => once(
                "qnet_emit_event",
                Body::default().i32(0).i32(0).i32(0).i32(n as i32),
                vec![],
                1,
            ),
            EmitEventIndexed => indexed_events_code(n),
            Balance => loop_of("qnet_balance", Body::default().i32(0)),
            ValueTransferred => loop_of("qnet_value_transferred", Body::default().i32(0)),
            MinimumBalance => loop_of("qnet_minimum_balance", Body::default().i32(0)),
            ReturnDataSize => loop_of("qnet_return_data_size", Body::default()),
            ReturnDataRead => loop_of("qnet_return_data_read", out_args()),
            // `n` transfers of `TRANSFER_VALUE` (at offset 64) to new accounts.
            Transfer => {
                let mut data = vec![0u8; 64];
                data.extend_from_slice(&TRANSFER_VALUE.to_le_bytes());
                code::host_loop("qnet_transfer", counter_account().i32(64), n, data, 1)
            }
            Call => call_code(n),
            Instantiate => instantiate_code(n),
            // `n` checks of [`instantiated_code`] (stored) as the next code; the switch is made
            // once, when the execution succeeds.
            SetCodeHash => code::host_loop(
                "qnet_set_code_hash",
                Body::default().i32(0),
                n,
                sp_io::hashing::blake2_256(&instantiated_code()).to_vec(),
                1,
            ),
            // `n` (0 or 1) terminations, paying out to a new account.
            Terminate => code::host_loop(
                "qnet_terminate",
                Body::default().i32(0).i32(32),
                n,
                TERMINATE_BENEFICIARY.to_vec(),
                1,
            ),
            Instr(class) => code::class_loop(class, n),
            CallPerLocal => code::call_with_locals(n),
            LoadPerFunction => code::with_functions(n),
            LoadPerExport => code::with_exports(n),
            LoadPerType => code::with_types(n),
            // `n` one-page grows: the dearest way to grow (in the runtime wasm, growing page by
            // page costs ~2.6× one grow of the same pages: the buffer is reallocated and
            // copied as it grows).
            MemoryGrow => code::Module {
                run: code::repeat_loop(
                    n,
                    &Body::default()
                        .i32(1)
                        .op(op::MEMORY_GROW)
                        .op(0)
                        .op(op::DROP),
                ),
                ..Default::default()
            }
            .build(),
            MemoryCopy => code::Module {
                memory_pages: (2 * n).div_ceil(65_536).max(1),
                run: Body::default()
                    .i32(n as i32)
                    .i32(0)
                    .i32(n as i32)
                    .op(op::MISC_PREFIX)
                    .op(op::MEMORY_COPY)
                    .op(0)
                    .op(0),
                ..Default::default()
            }
            .build(),
        }
    }

    /// The call input for component `n`.
    pub fn input(self, n: u32) -> Vec<u8> {
        match self {
            Workload::InputReadPerByte => vec![7u8; n as usize],
            _ => Vec::new(),
        }
    }

    /// Code the workload's contract needs stored before it runs.
    pub fn setup_code(self) -> Option<Vec<u8>> {
        matches!(self, Workload::Instantiate | Workload::SetCodeHash).then(instantiated_code)
    }

    /// Writes the storage the workload reads into the contract at `address`.
    pub fn setup_storage(self, address: &ContractAddress, n: u32) {
        let trie = crate::address::trie_id(address);
        let set = |key: &[u8], value: &[u8]| {
            sp_io::default_child_storage::set(&trie, &crate::storage::hashed_key(key), value)
        };
        match self {
            Workload::StorageRead | Workload::StorageRemove => {
                for k in 0..=u64::from(n) {
                    set(&iteration_key(k), &[1u8; 32]);
                }
            }
            Workload::StorageReadPerByte => set(&[9u8; 32], &vec![1u8; n as usize]),
            _ => {}
        }
    }
}
