//! `docs/ABI.md` must contain exactly the table generated from the ABI in `primitives/`.
//! Regenerate with `UPDATE_ABI_DOC=1 cargo test -p qvm-primitives --test abi_doc`.

use qvm_primitives::{doc, GasConfig, HOST_FUNCTIONS};

fn abi_doc_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ABI.md")
}

#[test]
fn abi_doc_matches_table() {
    let path = abi_doc_path();
    let text = std::fs::read_to_string(&path).expect("docs/ABI.md exists");
    let table = doc::host_table_markdown(&GasConfig::default());
    let begin = text
        .find(doc::BEGIN_MARKER)
        .expect("begin marker in docs/ABI.md");
    let end = text
        .find(doc::END_MARKER)
        .expect("end marker in docs/ABI.md")
        + doc::END_MARKER.len()
        + 1;
    if std::env::var_os("UPDATE_ABI_DOC").is_some() {
        let updated = format!(
            "{}{}{}",
            &text[..begin],
            table,
            &text[end.min(text.len())..]
        );
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &text[begin..end.min(text.len())],
        table,
        "docs/ABI.md is stale: rerun with UPDATE_ABI_DOC=1"
    );
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
