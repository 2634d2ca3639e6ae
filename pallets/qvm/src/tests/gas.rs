//! Exact gas accounting and determinism across execution modes and module reuse.

use super::*;
use crate::exec::{self, Entry, ExecContext};
use qvm_primitives::{ExecutionMode, GasConfig, Limits};

fn gas_of(c: ContractAddress, method: &str, args: &[u8]) -> u64 {
    let out = call(&ALICE, c, method, args);
    assert!(out.result.is_ok(), "{method}: {:?}", out.result);
    out.gas_used
}

#[test]
fn known_instruction_sequences_cost_exactly_their_schedule() {
    new_test_ext().execute_with(|| {
        let s = GasConfig::default();
        let code = host_code();
        let c = deploy(&ALICE, code.clone(), vec![]);
        let empty = gas_of(c, "empty", &[]);
        // An empty method costs loading the code plus wasmi's base charge of 1 per metered
        // block (here the function body).
        let loaded = exec::instrument::instrument(&code, &s).unwrap();
        let load = s.load_cost(&loaded.shape());
        assert_eq!(empty, load + 1);
        let add = u64::from(s.add);
        let konst = 1; // i32.const/i64.const: wasmi's default for ordinary operators
                       // (i32.const 1) (i32.const 2) i32.add (i32.const 3) i32.mul drop
        assert_eq!(
            gas_of(c, "arith", &[]) - empty,
            3 * konst + add + u64::from(s.mul)
        );
        // (i32.const) (i32.const) i32.load i32.store
        assert_eq!(
            gas_of(c, "memops", &[]) - empty,
            2 * konst + u64::from(s.memory_read) + u64::from(s.memory_write)
        );
        // (i64.const 10) (i64.const 3) i64.div_u drop
        assert_eq!(gas_of(c, "divs", &[]) - empty, 2 * konst + u64::from(s.div));
        // call $gas_left, drop
        assert_eq!(
            gas_of(c, "gas_call", &[]) - empty,
            u64::from(s.call) + s.context
        );
        // 3 consts, call, hash of 100 bytes
        assert_eq!(
            gas_of(c, "hash_call", &[]) - empty,
            3 * konst + u64::from(s.call) + s.hash + 100 * s.hash_per_byte
        );
        // 4 consts, call, write of 4 key + 10 value bytes: a new entry, so the execution's
        // storage deposit settlement too (once).
        assert_eq!(
            gas_of(c, "write_call", &[]) - empty,
            4 * konst
                + u64::from(s.call)
                + s.storage_write
                + 14 * s.storage_write_per_byte
                + s.storage_deposit
        );
        // Overwriting it with a value of the same size changes no usage: no settlement (the
        // old value's 10 bytes are read).
        assert_eq!(
            gas_of(c, "write_call", &[]) - empty,
            4 * konst
                + u64::from(s.call)
                + s.storage_write
                + 14 * s.storage_write_per_byte
                + 10 * s.storage_read_per_byte
        );
    })
}

#[test]
fn schedule_changes_change_gas() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let base = gas_of(c, "arith", &[]) - gas_of(c, "empty", &[]);
        Schedule::set(GasConfig {
            mul: 50,
            ..GasConfig::default()
        });
        let pricier = gas_of(c, "arith", &[]) - gas_of(c, "empty", &[]);
        Schedule::set(GasConfig::default());
        assert_eq!(pricier, base + 48);
    })
}

#[test]
fn gas_is_identical_in_every_mode_and_with_module_reuse() {
    new_test_ext().execute_with(|| {
        let code = host_code();
        let c = deploy(&ALICE, code.clone(), vec![]);
        let trie = crate::address::trie_id(&c);
        let account = crate::Pallet::<Test>::account_of(&c);
        let storage = || {
            Box::new(crate::exec::chain::ChainExt::<Test>::new(
                &trie,
                account.clone(),
            ))
        };
        let l = Limits::default();
        let methods: [(&str, &[u8]); 6] = [
            ("arith", b""),
            ("memops", b""),
            ("hash", b"abcdef"),
            ("echo", b"xyz"),
            ("get", b"init"),
            ("many_events", b""),
        ];
        let ctx = |input: &[u8]| ExecContext {
            caller: vec![1; 32],
            address: c.0,
            block_height: 1,
            timestamp: 0,
            input: input.to_vec(),
            value: 0,
            read_only: false,
            capabilities: Capabilities::ALL,
        };
        let modes = [
            ExecutionMode::FullJIT,
            ExecutionMode::Interpreter,
            ExecutionMode::Hybrid { jit_threshold: 0 },
            ExecutionMode::Hybrid {
                jit_threshold: u32::MAX,
            },
        ];
        for s in schedules() {
            Schedule::set(s);
            let mut reference: Vec<u64> = Vec::new();
            for mode in modes {
                // A fresh module per call ...
                let fresh: Vec<u64> = methods
                    .iter()
                    .map(|(m, input)| {
                        let p = exec::compile(&code, &s, &l, mode).unwrap();
                        exec::execute(&p, &s, &l, ctx(input), storage(), Entry::Method(m), GAS)
                            .gas_used
                    })
                    .collect();
                // ... and one module reused for every call, twice.
                let p = exec::compile(&code, &s, &l, mode).unwrap();
                for _ in 0..2 {
                    let reused: Vec<u64> = methods
                        .iter()
                        .map(|(m, input)| {
                            exec::execute(&p, &s, &l, ctx(input), storage(), Entry::Method(m), GAS)
                                .gas_used
                        })
                        .collect();
                    assert_eq!(reused, fresh, "{mode:?}");
                }
                if reference.is_empty() {
                    reference = fresh;
                } else {
                    assert_eq!(fresh, reference, "{mode:?}");
                }
            }
            // Same through the pallet in each mode.
            for mode in modes {
                Mode::set(mode);
                assert_eq!(gas_of(c, "arith", &[]), reference[0]);
            }
            Mode::set(ExecutionMode::Interpreter);
        }
    })
}

/// The seed schedule, and one with first-entry translation charges (guards in every body, the
/// charge function appended) and a locals charge on every entry.
fn schedules() -> [GasConfig; 2] {
    [
        GasConfig::default(),
        GasConfig {
            code_entry_per_byte: 7,
            locals_per_gas: 1,
            ..GasConfig::default()
        },
    ]
}

#[test]
fn infinite_loop_halts_with_out_of_gas_consuming_everything() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        for limit in [100_000u64, 1_000_000] {
            let out = crate::Pallet::<Test>::bare_call(
                ALICE,
                c,
                0,
                b"loop",
                vec![],
                limit,
                ExecConfig::COMMIT,
            );
            assert_eq!(out.result, Err(err(crate::Error::OutOfGas)));
            assert_eq!(out.gas_used, limit);
        }
    })
}

#[test]
fn gas_limit_below_loading_cost_is_out_of_gas() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let out =
            crate::Pallet::<Test>::bare_call(ALICE, c, 0, b"empty", vec![], 10, ExecConfig::COMMIT);
        assert_eq!(out.result, Err(err(crate::Error::OutOfGas)));
        assert_eq!(out.gas_used, 10);
    })
}

#[test]
fn host_call_without_enough_gas_is_out_of_gas() {
    new_test_ext().execute_with(|| {
        let code = host_code();
        let c = deploy(&ALICE, code.clone(), vec![]);
        let empty = gas_of(c, "empty", &[]);
        // Enough for the operators of write_call but not for the storage write itself.
        let limit = empty + 4 + 2 + 500;
        let out = crate::Pallet::<Test>::bare_call(
            ALICE,
            c,
            0,
            b"write_call",
            vec![],
            limit,
            ExecConfig::COMMIT,
        );
        assert_eq!(out.result, Err(err(crate::Error::OutOfGas)));
        assert_eq!(out.gas_used, limit);
        assert_eq!(
            crate::Pallet::<Test>::get_storage(c, &[0, 0, 0, 0]).unwrap(),
            None
        );
    })
}

#[test]
fn exact_gas_used_as_limit_succeeds() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        for (m, input) in [
            ("hash", &b"abc"[..]),
            ("set", &[1, b'k', b'v'][..]),
            ("arith", &[][..]),
        ] {
            // Twice: overwriting a value costs its old bytes too, so measure on the state the
            // limited calls below see.
            gas_of(c, m, input);
            let used = gas_of(c, m, input);
            let out = crate::Pallet::<Test>::bare_call(
                ALICE,
                c,
                0,
                m.as_bytes(),
                input.to_vec(),
                used,
                ExecConfig::COMMIT,
            );
            assert!(out.result.is_ok(), "{m}");
            let out = crate::Pallet::<Test>::bare_call(
                ALICE,
                c,
                0,
                m.as_bytes(),
                input.to_vec(),
                used - 1,
                ExecConfig::COMMIT,
            );
            assert_eq!(out.result, Err(err(crate::Error::OutOfGas)), "{m}");
        }
    })
}

#[test]
fn extrinsic_charges_gas_used_and_refunds_the_rest() {
    use frame_support::dispatch::PostDispatchInfo;
    new_test_ext().execute_with(|| {
        let code = host_code();
        let proof = code.len() as u64; // no storage access: only the code is proven
        let s = Schedule::get();
        let c = deploy(&ALICE, code, vec![]);
        let used = gas_of(c, "arith", &[]);
        let res = crate::Pallet::<Test>::call(
            RuntimeOrigin::signed(ALICE),
            c,
            0,
            b"arith".to_vec(),
            vec![],
            GAS,
            None,
        );
        let base = <() as crate::WeightInfo>::call(0, 0)
            + crate::Pallet::<Test>::capabilities_read_weight();
        let PostDispatchInfo { actual_weight, .. } = res.unwrap();
        assert_eq!(
            actual_weight,
            Some(base + Weight::from_parts(used * s.ref_time_per_gas, proof))
        );
        // A failing call is charged too; running out of gas, for the whole limit (gas and
        // proof size alike).
        let res = crate::Pallet::<Test>::call(
            RuntimeOrigin::signed(ALICE),
            c,
            0,
            b"loop".to_vec(),
            vec![],
            1_000_000,
            None,
        );
        let e = res.unwrap_err();
        assert_eq!(e.error, err(crate::Error::OutOfGas));
        assert_eq!(
            e.post_info.actual_weight,
            Some(base + Weight::from_parts(1_000_000 * s.ref_time_per_gas, 1_000_000))
        );
    })
}

/// Entering a function pays for zeroing the locals it declares, whatever the caller does:
/// `ceil(locals / locals_per_gas)` gas per call, on top of an identical call with no locals.
#[test]
fn calls_pay_for_the_locals_of_the_callee() {
    new_test_ext().execute_with(|| {
        let s = GasConfig::default();
        let calls = 7u64;
        let code = |locals: u32| {
            wasm(&format!(
                r#"(module (memory (export "memory") 1) (func (export "constructor"))
                    (func $f (local {}))
                    (func (export "run") {}))"#,
                "i64 ".repeat(locals as usize),
                "call $f ".repeat(calls as usize),
            ))
        };
        let gas = |locals: u32| {
            let c = code(locals);
            let s = Schedule::get();
            let loaded = exec::instrument::instrument(&c, &s).unwrap();
            let load = s.load_cost(&loaded.shape());
            let c = deploy(&ALICE, c, vec![]);
            let used = gas_of(c, "run", &[]);
            assert!(used > load, "{locals}: {used} <= {load}");
            used - load
        };
        let none = gas(0);
        for locals in [1, 8, 9, 100, QvmLimits::get().max_locals] {
            assert_eq!(
                gas(locals) - none,
                calls * s.locals_cost(u64::from(locals)),
                "{locals} locals"
            );
        }
        assert_eq!(s.locals_cost(9), 2);
        // Without the charge the two calls cost the same.
        Schedule::set(GasConfig {
            locals_per_gas: 0,
            ..s
        });
        assert_eq!(gas(1000), gas(0));
    })
}

/// A module-cache hit gives exactly what a miss gives (gas, proof size, output, events, the
/// state after a committed run), for every method of the host fixture, in every mode.
#[test]
fn a_module_cache_hit_gives_what_a_miss_gives() {
    let methods: [(&[u8], &[u8]); 7] = [
        (b"arith", b""),
        (b"memops", b""),
        (b"hash", b"abcdef"),
        (b"echo", b"xyz"),
        (b"set", b"init"),
        (b"get", b"init"),
        (b"many_events", b""),
    ];
    // The same contract in two identical states (the cache outlives externalities natively).
    let setup = || {
        let mut ext = new_test_ext();
        let c = ext.execute_with(|| deploy(&ALICE, host_code(), vec![]));
        (ext, c)
    };
    for (mode, schedule) in [
        ExecutionMode::FullJIT,
        ExecutionMode::Interpreter,
        ExecutionMode::Hybrid { jit_threshold: 0 },
    ]
    .into_iter()
    .flat_map(|mode| schedules().map(|s| (mode, s)))
    {
        for (m, input) in methods {
            for config in [ExecConfig::DRY_RUN, ExecConfig::COMMIT] {
                let (mut a, c) = setup();
                let (mut b, _) = setup();
                let run = |ext: &mut sp_io::TestExternalities| {
                    ext.execute_with(|| {
                        Mode::set(mode);
                        Schedule::set(schedule);
                        let o = crate::Pallet::<Test>::bare_call(
                            ALICE,
                            c,
                            0,
                            m,
                            input.to_vec(),
                            GAS,
                            config,
                        );
                        let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
                        Mode::set(ExecutionMode::Interpreter);
                        Schedule::set(GasConfig::default());
                        (o, root, System::event_count())
                    })
                };
                crate::exec::cache::clear();
                let miss = run(&mut a);
                assert_eq!(crate::exec::cache::with(|c| c.modules()), Some(1));
                let hit = run(&mut b);
                assert_eq!(hit, miss, "{mode:?} {:?}", core::str::from_utf8(m));
            }
        }
    }
}

/// The cache never reuses a compilation for another schedule, and stays bounded.
#[test]
fn the_module_cache_follows_the_schedule_and_is_bounded() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let gas = |m: &[u8]| {
            crate::Pallet::<Test>::bare_call(ALICE, c, 0, m, vec![], GAS, ExecConfig::DRY_RUN)
                .gas_used
        };
        let seed = gas(b"arith");
        Schedule::set(GasConfig {
            add: 2,
            ..GasConfig::default()
        });
        let pricier = gas(b"arith");
        crate::exec::cache::clear();
        assert_eq!(
            gas(b"arith"),
            pricier,
            "the cached module has the new costs"
        );
        Schedule::set(GasConfig::default());
        assert_eq!(gas(b"arith"), seed);

        for k in 0..(crate::exec::cache::MAX_MODULES as u32 + 8) {
            // Distinct code: a data segment holding `k`.
            let code = wasm(&format!(
                r#"(module (memory (export "memory") 1) (data (i32.const 0) "{k}")
                   (func (export "constructor")) (func (export "run")))"#
            ));
            let c = deploy(&ALICE, code, vec![]);
            crate::Pallet::<Test>::bare_call(ALICE, c, 0, b"run", vec![], GAS, ExecConfig::DRY_RUN)
                .result
                .unwrap();
            let kept = crate::exec::cache::with(|c| c.modules()).unwrap();
            assert!((1..=crate::exec::cache::MAX_MODULES).contains(&kept));
        }
    })
}

/// A function's translation is charged the first time an execution enters it, once per
/// execution however often it is called, the same on a module-cache hit, and never for
/// functions the execution does not reach.
#[test]
fn functions_pay_for_translation_on_first_entry_only() {
    new_test_ext().execute_with(|| {
        let s = GasConfig {
            code_entry_per_byte: 5,
            ..GasConfig::default()
        };
        Schedule::set(s);
        let body_ops = 500u64;
        let code = wasm(&format!(
            r#"(module (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))
                (func (export "constructor"))
                (func $big {})
                (func (export "none") nop nop)
                (func (export "big") call $big)
                (func (export "big3") call $big call $big call $big))"#,
            "i32.const 1 drop ".repeat(body_ops as usize)
        ));
        let loaded = exec::instrument::instrument(&code, &s).unwrap();
        let load = s.load_cost(&loaded.shape()) + loaded.entry_at_load;
        // The exports' bodies are too small for guards: charged at load.
        assert!(loaded.entry_at_load > 0);
        // $big's body: its locals declaration, 500 × `i32.const 1 drop` (3 bytes) and `end`.
        let big_len = 3 * body_ops + 2;
        let c = deploy(&ALICE, code, vec![]);
        let none = gas_of(c, "none", &[]);
        let big = gas_of(c, "big", &[]);
        let big3 = gas_of(c, "big3", &[]);
        // `none` pays for its own small body only.
        assert!(none > load, "{none} <= {load}");
        assert!(none - load < s.entry_cost(big_len) / 5, "{none} - {load}");
        // Entering $big pays for translating it, guard and its `nop`s included: whole `nop`s
        // (255 gas each) beyond the `call`, $big's body block and check, the guard's
        // `i32.const`, `global.set` and block, and $big's operators (`none`'s body, two `nop`s
        // less than `big`'s `call`, is as long; the two pay the same guard).
        let first_entry = big - none;
        let nops = exec::instrument::guard_nops(&s, big_len + exec::instrument::GUARD_MAX_LEN);
        let check = u64::from(s.global) + u64::from(s.add) + u64::from(s.branch);
        let fixed = u64::from(s.call) + 1 + check + 1 + u64::from(s.global) + 1 + body_ops;
        assert_eq!(first_entry + 2 * 255, fixed + nops * 255, "{first_entry}");
        assert!(nops * 255 >= s.entry_cost(big_len + nops), "{nops}");
        assert!((nops - 1) * 255 < s.entry_cost(big_len + exec::instrument::GUARD_MAX_LEN + nops));
        // Later entries pay the call, wasmi's 1 for the body's block, the guard's check and
        // the body, nothing more.
        let per_entry = u64::from(s.call)
            + 1
            + u64::from(s.global)
            + u64::from(s.add)
            + u64::from(s.branch)
            + body_ops;
        assert_eq!(big3 - big, 2 * per_entry);
        // A cache hit (the module's functions already translated) pays the same.
        assert_eq!(gas_of(c, "big", &[]), big);
        crate::exec::cache::clear();
        assert_eq!(gas_of(c, "big3", &[]), big3);
        Schedule::set(GasConfig::default());
    })
}

/// Loading charges the bytes of function bodies at their own rate (they are skipped until
/// entered), the rest of the code at the byte rate, and each export and function type apiece.
#[test]
fn loading_charges_bodies_at_their_rate_and_exports_and_types_apiece() {
    new_test_ext().execute_with(|| {
        let s = GasConfig {
            code_load_per_byte: 10,
            code_load_per_body_byte: 2,
            code_load_per_export: 100,
            code_load_per_type: 1_000,
            ..GasConfig::default()
        };
        Schedule::set(s);
        let run_gas = |extra: &str, ops: usize| {
            let code = wasm(&format!(
                r#"(module {extra} (memory (export "memory") 1)
                    (func $run (export "constructor"))
                    (func (export "run"))
                    (func $never {}))"#,
                "i32.const 1 drop ".repeat(ops)
            ));
            let c = deploy(&ALICE, code, vec![]);
            gas_of(c, "run", &[])
        };
        let base = run_gas("", 500);
        // 100 more `i32.const 1 drop` in a body never entered: 300 body bytes.
        assert_eq!(run_gas("", 600) - base, 300 * 2);
        // One more export (4 bytes: name length, name, kind, index).
        assert_eq!(
            run_gas(r#"(export "x" (func $run))"#, 500) - base,
            4 * 10 + 100
        );
        // One more type (4 bytes: form, parameter count, parameter, result count).
        assert_eq!(
            run_gas("(type (func (param i32)))", 500) - base,
            4 * 10 + 1_000
        );
        Schedule::set(GasConfig::default());
    })
}

/// A budget that covers the code's length at the body rate but not the load its shape costs
/// runs out of gas before the code is parsed, accounting the same on a module-cache miss as on
/// a hit (where the module is parsed already).
#[test]
fn a_budget_short_of_the_load_runs_out_of_gas_on_a_hit_as_on_a_miss() {
    new_test_ext().execute_with(|| {
        let s = GasConfig {
            code_load_per_byte: 10,
            code_load_per_body_byte: 2,
            code_load_per_type: 1_000,
            ..GasConfig::default()
        };
        Schedule::set(s);
        let types: String = (1..=100)
            .map(|n| format!("(type (func (param {})))", "i32 ".repeat(n)))
            .collect();
        let code = wasm(&format!(
            r#"(module {types} (memory (export "memory") 1)
                (func (export "constructor")) (func (export "run")))"#
        ));
        let c = deploy(&ALICE, code.clone(), vec![]);
        let loaded = exec::instrument::instrument(&code, &s).unwrap();
        let load = s.load_cost(&loaded.shape()) + loaded.entry_at_load;
        let limit = load - 1;
        assert!(limit > s.least_load_cost(code.len() as u64));
        let run = |limit| {
            crate::Pallet::<Test>::bare_call(
                ALICE,
                c,
                0,
                b"run",
                vec![],
                limit,
                ExecConfig::DRY_RUN,
            )
        };
        crate::exec::cache::clear();
        let miss = run(limit);
        assert_eq!(miss.result, Err(err(crate::Error::OutOfGas)));
        assert_eq!(miss.gas_used, limit);
        // Cached by a call that pays for the load.
        assert!(run(load + 1_000).result.is_ok());
        let hit = run(limit);
        assert_eq!(
            (hit.gas_used, hit.proof_size, hit.result),
            (miss.gas_used, miss.proof_size, miss.result)
        );
        Schedule::set(GasConfig::default());
    })
}
