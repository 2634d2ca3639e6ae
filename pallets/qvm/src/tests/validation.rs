//! Upload-time validation: every rule has its own named error and stores nothing.

use super::*;
use crate::{
    exec::{Feature, WASM_FEATURES},
    Error, Pallet, PristineCode,
};

const MEM: &str = r#"(memory (export "memory") 1)"#;
const CTOR: &str = r#"(func (export "constructor"))"#;

fn module(body: &str) -> Vec<u8> {
    wasm(&format!("(module {body})"))
}

fn rejects(code: Vec<u8>, e: Error<Test>) {
    let expected = err(e);
    let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
    let res = Pallet::<Test>::upload_code(RuntimeOrigin::signed(ALICE), code.clone());
    assert_eq!(res.map(|_| ()).map_err(|e| e.error), Err(expected));
    assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
    let res = Pallet::<Test>::deploy(
        RuntimeOrigin::signed(ALICE),
        code,
        0,
        vec![],
        GAS,
        None,
        None,
    );
    assert_eq!(res.map(|_| ()).map_err(|e| e.error), Err(expected));
    assert_eq!(PristineCode::<Test>::iter().count(), 0);
}

#[test]
fn minimal_module_is_accepted() {
    new_test_ext().execute_with(|| {
        assert_ok!(Pallet::<Test>::upload_code(
            RuntimeOrigin::signed(ALICE),
            module(&format!("{MEM} {CTOR}"))
        ));
    })
}

#[test]
fn malformed_and_ill_typed_modules_are_invalid() {
    new_test_ext().execute_with(|| {
        rejects(b"\0asm garbage".to_vec(), Error::InvalidModule);
        rejects(vec![], Error::InvalidModule);
        // Well-formed binary, but `i32.add` on an empty stack.
        rejects(
            module(&format!(
                r#"{MEM} (func (export "constructor") i32.add drop)"#
            )),
            Error::InvalidModule,
        );
    })
}

#[test]
fn code_too_large() {
    new_test_ext().execute_with(|| {
        let big = format!(
            r#"{MEM} {CTOR} (data (i32.const 0) "{}")"#,
            "x".repeat(128 * 1024)
        );
        rejects(module(&big), Error::CodeTooLarge);
    })
}

#[test]
fn floats_are_forbidden() {
    new_test_ext().execute_with(|| {
        rejects(
            module(&format!(r#"{MEM} (func (export "constructor") (drop (f32.add (f32.const 1) (f32.const 2))))"#)),
            Error::FloatForbidden,
        );
        rejects(module(&format!(r#"{MEM} {CTOR} (func (param f64))"#)), Error::FloatForbidden);
        rejects(module(&format!(r#"{MEM} {CTOR} (global f32 (f32.const 0))"#)), Error::FloatForbidden);
        rejects(module(&format!(r#"{MEM} {CTOR} (func (local f32))"#)), Error::FloatForbidden);
        rejects(
            module(&format!(r#"{MEM} {CTOR} (func (drop (i32.trunc_sat_f32_s (f32.const 1))))"#)),
            Error::FloatForbidden,
        );
    })
}

#[test]
fn simd_and_atomics_are_forbidden() {
    new_test_ext().execute_with(|| {
        rejects(
            module(&format!(
                r#"{MEM} {CTOR} (func (drop (i32x4.splat (i32.const 0))))"#
            )),
            Error::SimdForbidden,
        );
        rejects(
            module(&format!(r#"{MEM} {CTOR} (func (param v128))"#)),
            Error::SimdForbidden,
        );
        rejects(
            module(&format!(
                r#"{MEM} {CTOR} (func (drop (i32.atomic.load (i32.const 0))))"#
            )),
            Error::AtomicsForbidden,
        );
        rejects(
            module(&format!(r#"(memory (export "memory") 1 1 shared) {CTOR}"#)),
            Error::AtomicsForbidden,
        );
    })
}

#[test]
fn other_proposals_are_forbidden_opcodes() {
    new_test_ext().execute_with(|| {
        rejects(
            module(&format!(r#"{MEM} {CTOR} (func (drop (ref.null func)))"#)),
            Error::ForbiddenOpcode,
        );
        rejects(
            module(&format!(r#"{MEM} {CTOR} (func $f (return_call $f))"#)),
            Error::ForbiddenOpcode,
        );
    })
}

#[test]
fn imports_must_be_abi_functions_with_exact_signatures() {
    new_test_ext().execute_with(|| {
        rejects(
            module(&format!(
                r#"(import "env" "qnet_gas_left" (func (result i64))) {MEM} {CTOR}"#
            )),
            Error::UnknownImport,
        );
        rejects(
            module(&format!(
                r#"(import "qnet" "qnet_nope" (func)) {MEM} {CTOR}"#
            )),
            Error::UnknownImport,
        );
        rejects(
            module(&format!(r#"(import "qnet" "memory" (memory 1)) {CTOR}"#)),
            Error::UnknownImport,
        );
        rejects(
            module(&format!(
                r#"(import "qnet" "qnet_gas_left" (func (param i32) (result i64))) {MEM} {CTOR}"#
            )),
            Error::ImportSignatureMismatch,
        );
        rejects(
            module(&format!(
                r#"(import "qnet" "qnet_gas_left" (func (result i32))) {MEM} {CTOR}"#
            )),
            Error::ImportSignatureMismatch,
        );
    })
}

#[test]
fn structural_limits() {
    new_test_ext().execute_with(|| {
        QvmLimits::set(qvm_primitives::Limits {
            max_functions: 2,
            max_globals: 1,
            max_data_segments: 1,
            max_element_segments: 1,
            max_table_elements: 10,
            max_memory_pages: 16,
            max_types: 2,
            max_exports: 3,
            ..Default::default()
        });
        rejects(module(&format!("{MEM} {CTOR} (func) (func)")), Error::TooManyFunctions);
        rejects(
            module(&format!("{MEM} {CTOR} (type (func (param i32))) (type (func (param i64)))")),
            Error::TooManyTypes,
        );
        rejects(
            module(&format!(r#"{MEM} {CTOR} (export "a" (func 0)) (export "b" (func 0))"#)),
            Error::TooManyExports,
        );
        rejects(module(&format!("{MEM} {CTOR} (global i32 (i32.const 0)) (global i32 (i32.const 1))")), Error::TooManyGlobals);
        rejects(module(&format!(r#"{MEM} {CTOR} (data (i32.const 0) "a") (data (i32.const 1) "b")"#)), Error::TooManyDataSegments);
        rejects(
            module(&format!(r#"{MEM} {CTOR} (table 4 funcref) (elem (i32.const 0) 0) (elem (i32.const 1) 0)"#)),
            Error::TooManyElementSegments,
        );
        rejects(module(&format!("{MEM} {CTOR} (table 11 funcref)")), Error::TableTooLarge);
        rejects(module(&format!(r#"(memory (export "memory") 17) {CTOR}"#)), Error::MemoryTooLarge);
        // Within the limits.
        assert_ok!(Pallet::<Test>::upload_code(
            RuntimeOrigin::signed(ALICE),
            module(&format!(r#"(memory (export "memory") 16) {CTOR} (func) (global i32 (i32.const 0)) (table 10 funcref)"#))
        ));
        QvmLimits::set(Default::default());
    })
}

#[test]
fn start_function_and_required_exports() {
    new_test_ext().execute_with(|| {
        rejects(
            module(&format!("{MEM} {CTOR} (func $s) (start $s)")),
            Error::StartFunctionForbidden,
        );
        rejects(
            module(&format!("(memory 1) {CTOR}")),
            Error::MissingMemoryExport,
        );
        rejects(module(MEM), Error::MissingConstructor);
        rejects(
            module(&format!(
                r#"{MEM} (global (export "constructor") i32 (i32.const 0))"#
            )),
            Error::MissingConstructor,
        );
        rejects(
            module(&format!(r#"{MEM} {CTOR} (func (export "m") (param i32))"#)),
            Error::InvalidExportSignature,
        );
        rejects(
            module(&format!(
                r#"{MEM} {CTOR} (func (export "m") (result i32) (i32.const 0))"#
            )),
            Error::InvalidExportSignature,
        );
    })
}

#[test]
fn locals_per_function_are_capped_params_included() {
    new_test_ext().execute_with(|| {
        let max = QvmLimits::get().max_locals;
        let with_locals = |params: u32, locals: u32| {
            let params = "(param i64) ".repeat(params as usize);
            module(&format!(
                r#"{MEM} {CTOR} (func {params} (local {})) "#,
                "i64 ".repeat(locals as usize)
            ))
        };
        rejects(with_locals(0, max + 1), Error::TooManyLocals);
        rejects(with_locals(2, max - 1), Error::TooManyLocals);
        // A count of u32::MAX in one declaration is refused, not overflowed.
        let huge = crate::benchmarking::code::Module {
            helpers: vec![Default::default()],
            helper_locals: u32::MAX,
            ..Default::default()
        };
        rejects(huge.build(), Error::TooManyLocals);
        assert_ok!(Pallet::<Test>::upload_code(
            RuntimeOrigin::signed(ALICE),
            with_locals(1, max - 1)
        ));
    })
}

#[test]
fn multi_value_is_forbidden() {
    new_test_ext().execute_with(|| {
        rejects(
            module(&format!(
                r#"{MEM} {CTOR} (func (result i32 i32) i32.const 1 i32.const 2)"#
            )),
            Error::MultiValueForbidden,
        );
        rejects(
            module(&format!(
                r#"{MEM} {CTOR} (func i32.const 1 (block (param i32) drop))"#
            )),
            Error::MultiValueForbidden,
        );
    })
}

/// The Wasm features enabled in each release of the engine configuration, oldest first. Code
/// stored under a release was validated with its features and is compiled unchecked
/// (`CodeSource::Stored`), so no later release may disable a feature an earlier one enabled.
const RELEASED_FEATURES: &[&[Feature]] = &[
    // 2026-12: integer-only MVP with sign extension, mutable globals and bulk memory.
    &[
        Feature::MutableGlobal,
        Feature::SignExtension,
        Feature::BulkMemory,
    ],
];

#[test]
fn stored_code_stays_valid_under_the_engine_features() {
    for release in RELEASED_FEATURES {
        for feature in *release {
            assert!(
                WASM_FEATURES.contains(&(*feature, true)),
                "{feature:?} was enabled when code was stored; disabling it needs a migration \
                 that validates every stored code again"
            );
        }
    }
    // Each feature is set once (a second entry would silently override the first).
    for (i, (f, _)) in WASM_FEATURES.iter().enumerate() {
        assert!(
            WASM_FEATURES[i + 1..].iter().all(|(g, _)| g != f),
            "{f:?} twice"
        );
    }
}
