//! Raw imports of the QVM host ABI, generated from the ABI table in `qvm-primitives`.
//!
//! Every function is `unsafe`: pointers must point into this contract's memory. Prefer the safe
//! wrappers of this crate.

macro_rules! define_imports {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($p:ident: $pt:ident),*) $(-> $rt:ident)?; cost = $cost:ident;
        requires = [$($cap:ident),*];
    )*) => {
        // The module name must be a literal here; `abi_module_name_matches` checks it
        // against `qvm_primitives::IMPORT_MODULE`.
        #[link(wasm_import_module = "qnet")]
        extern "C" {
            $(
                $(#[doc = $doc])*
                pub fn $name($($p: $pt),*) $(-> $rt)?;
            )*
        }
    };
}
qvm_primitives::for_each_host_function!(define_imports);

/// The import module name used above.
pub const IMPORT_MODULE: &str = "qnet";
const _: () = assert!(const_str_eq(IMPORT_MODULE, qvm_primitives::IMPORT_MODULE));

const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
