//! Time per charged weight of contract code in the compiled runtime wasm, as a node executes
//! it: the check the fuzz harness cannot make (it times the native mock runtime).
//!
//! ```text
//! cargo run -p qvm-runtime --example wasm_timing -- A.wasm B.wat ...
//! ```
//!
//! For each module (e.g. a fuzz case written by `QVM_FUZZ_SEED=<seed> QVM_FUZZ_DUMP=<file>
//! ./scripts/fuzz.sh`): a block applies, as signed extrinsics, a `deploy` of the code with the
//! largest gas limit an extrinsic can carry (empty constructor input), then a `call` of each
//! exported function (the first `MAX_METHODS`; empty input, again the largest gas limit), each run to completion, to a
//! trap or out of gas. Every extrinsic is timed in the runtime wasm (sc-executor, compiled) and
//! natively, best of `QVM_TIMING_REPS` (default 3) fresh runs, and compared with the weight the
//! chain charged for it (`ExtrinsicSuccess`/`ExtrinsicFailed`: actual weight + base extrinsic).
//! A `System::remark` is the baseline: `marginal` is (time - remark time) / (weight - remark
//! weight), the ratio that matters for code (the remark's fixed cost of entering the runtime is
//! covered by the block's own weights). Above 1.0 the code gets more time than it pays for, and
//! the tool exits with status 1 (unless `QVM_TIMING_CHECK=0`).
//!
//! `benchmarking/wasm-timing.sh` runs it in release on the corpus of worst shapes in
//! `benchmarking/wasm-timing/` (and on any other files given).
//!
//! In a debug build (the default here) the node-side host functions (storage, allocator) run
//! unoptimised, which overstates host-call-heavy code; code running inside the runtime wasm
//! (interpretation, validation, translation, memory zeroing) is compiled as on a node.
#[path = "../tests/common/mod.rs"]
mod common;

use codec::Encode;
use common::{block_one, signed, Exec, Native, Wasm};
use qvm_runtime::{Runtime, RuntimeCall, RuntimeEvent};
use sc_executor::{WasmExecutionMethod, WasmExecutor};
use sp_keyring::Sr25519Keyring;
use std::time::{Duration, Instant};

/// One extrinsic of a module's sequence, as measured.
#[derive(Clone, Debug)]
struct Measured {
    label: String,
    outcome: String,
    /// Ref time charged, in picoseconds.
    weight: u64,
    time: Duration,
}

/// Methods called per module at most (the `load_export*` shapes export one function under
/// hundreds of names: each call would time the same thing).
const MAX_METHODS: usize = 8;

/// The exported functions of `code` a caller can name (all but `memory` and `constructor`),
/// the first [`MAX_METHODS`].
fn methods(code: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(code) {
        let Ok(wasmparser::Payload::ExportSection(exports)) = payload else {
            continue;
        };
        for export in exports.into_iter().flatten() {
            if export.kind == wasmparser::ExternalKind::Func && export.name != "constructor" {
                out.push(export.name.to_string());
            }
        }
    }
    out.truncate(MAX_METHODS);
    out
}

/// The outcome and charged weight of the last extrinsic applied in `ext`.
fn last_extrinsic(ext: &mut sp_io::TestExternalities) -> (String, u64) {
    ext.execute_with(|| {
        let events: Vec<_> = frame_system::Pallet::<Runtime>::read_events_no_consensus().collect();
        for e in events.iter().rev() {
            match &e.event {
                RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { dispatch_info }) => {
                    return ("ok".into(), dispatch_info.weight.ref_time());
                }
                RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
                    dispatch_error,
                    dispatch_info,
                }) => {
                    // (The runtime wasm leaves module error messages out: decode the index.)
                    let name = match dispatch_error {
                        sp_runtime::DispatchError::Module(m) => {
                            <pallet_qvm::Error<Runtime> as codec::Decode>::decode(&mut &m.error[..])
                                .map_or_else(|_| format!("{m:?}"), |e| format!("{e:?}"))
                        }
                        other => format!("{other:?}"),
                    };
                    return (name, dispatch_info.weight.ref_time());
                }
                _ => {}
            }
        }
        ("no extrinsic event".into(), 0)
    })
}

/// Applies the sequence for `code` with `exec` in fresh state, timing each extrinsic.
fn run(exec: &dyn Exec, code: &[u8]) -> Vec<Measured> {
    let (mut ext, genesis_hash) = block_one(exec);
    let alice = Sr25519Keyring::Alice;
    let contract = pallet_qvm::address::contract_address(&alice.to_account_id(), 0);
    let (deploy_gas, call_gas) = ext.execute_with(|| {
        (
            pallet_qvm::Pallet::<Runtime>::max_deploy_gas_limit(code.len(), 0),
            pallet_qvm::Pallet::<Runtime>::max_call_gas_limit(16),
        )
    });
    let mut calls = vec![
        (
            "remark".to_string(),
            RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
        ),
        (
            format!("deploy {} B", code.len()),
            RuntimeCall::Qvm(pallet_qvm::Call::deploy {
                code: code.to_vec(),
                value: 0,
                constructor_args: vec![],
                gas_limit: deploy_gas,
                capabilities: None,
                storage_deposit_limit: None,
            }),
        ),
    ];
    for m in methods(code) {
        calls.push((
            format!("call {m}"),
            RuntimeCall::Qvm(pallet_qvm::Call::call {
                contract,
                value: 0,
                method: m.into_bytes(),
                args: vec![],
                gas_limit: call_gas,
                storage_deposit_limit: None,
            }),
        ));
    }
    calls
        .into_iter()
        .enumerate()
        .map(|(nonce, (label, call))| {
            let xt = signed(call, alice, nonce as u32, genesis_hash).encode();
            let start = Instant::now();
            exec.call(&mut ext, "BlockBuilder_apply_extrinsic", &xt);
            let time = start.elapsed();
            let (outcome, weight) = last_extrinsic(&mut ext);
            Measured {
                label,
                outcome,
                weight,
                time,
            }
        })
        .collect()
}

/// The best (shortest) times of `reps` runs.
fn best_of(exec: &dyn Exec, code: &[u8], reps: usize) -> Vec<Measured> {
    let mut best = run(exec, code);
    for _ in 1..reps {
        for (b, m) in best.iter_mut().zip(run(exec, code)) {
            b.time = b.time.min(m.time);
        }
    }
    best
}

fn ratio(time: Duration, weight: u64) -> f64 {
    time.as_nanos() as f64 * 1000.0 / weight.max(1) as f64
}

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: wasm_timing FILE.wasm...");
        std::process::exit(2);
    }
    let reps = std::env::var("QVM_TIMING_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let wasm = Wasm::new(
        WasmExecutor::builder()
            .with_execution_method(WasmExecutionMethod::default())
            .with_max_runtime_instances(1)
            .build(),
    );
    println!(
        "{:<28} {:<18} {:>12} {:>10} {:>10} {:>7} {:>8} {:>7}",
        "module", "extrinsic", "weight (us)", "wasm (us)", "native", "wasm/w", "marginal", "nat/w"
    );
    let mut worst: Option<(f64, String)> = None;
    for file in &files {
        let code = if file.ends_with(".wat") {
            wat::parse_file(file).unwrap_or_else(|e| panic!("{file}: {e}"))
        } else {
            std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"))
        };
        // The first run compiles the runtime: not timed.
        run(&wasm, &code);
        let in_wasm = best_of(&wasm, &code, reps);
        let native = best_of(&Native, &code, reps);
        let name = std::path::Path::new(file)
            .file_name()
            .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        let base = &in_wasm[0];
        for (w, n) in in_wasm.iter().zip(&native) {
            let marginal = if w.label == "remark" {
                f64::NAN
            } else {
                ratio(
                    w.time.saturating_sub(base.time),
                    w.weight.saturating_sub(base.weight),
                )
            };
            println!(
                "{:<28} {:<18} {:>12.1} {:>10.1} {:>10.1} {:>7.3} {:>8.3} {:>7.3}  {}",
                name,
                w.label,
                w.weight as f64 / 1e6,
                w.time.as_secs_f64() * 1e6,
                n.time.as_secs_f64() * 1e6,
                ratio(w.time, w.weight),
                marginal,
                ratio(n.time, n.weight),
                w.outcome,
            );
            if marginal.is_finite() && worst.as_ref().is_none_or(|(r, _)| marginal > *r) {
                worst = Some((marginal, format!("{name} {} ({})", w.label, w.outcome)));
            }
        }
    }
    if let Some((r, what)) = worst {
        println!("worst marginal time per charged weight in the runtime wasm: {r:.3} ({what})");
        if r > 1.0 && std::env::var("QVM_TIMING_CHECK").as_deref() != Ok("0") {
            println!("UNDER-CHARGED: some code gets more time than it pays for");
            std::process::exit(1);
        }
    }
}
