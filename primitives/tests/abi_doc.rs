//! `docs/ABI.md` documents every host function of the ABI in `primitives/` (its generated table
//! is checked by pallet-qvm's `abi_doc` test, which knows the calibrated schedule).

use qvm_primitives::HOST_FUNCTIONS;

fn abi_doc_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ABI.md")
}

#[test]
fn every_host_function_is_documented_in_prose() {
    let text = std::fs::read_to_string(abi_doc_path()).unwrap();
    for f in HOST_FUNCTIONS {
        assert!(
            text.matches(f.name).count() >= 2,
            "{} needs a prose section besides the table",
            f.name
        );
    }
}

#[test]
fn names_are_unique_and_prefixed() {
    let mut names: Vec<_> = HOST_FUNCTIONS.iter().map(|f| f.name).collect();
    assert!(names.iter().all(|n| n.starts_with("qnet_")));
    names.sort();
    names.dedup();
    assert_eq!(names.len(), HOST_FUNCTIONS.len());
}
