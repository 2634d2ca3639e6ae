//! `docs/ABI.md` must contain exactly the host table generated from the ABI in `qvm-primitives`,
//! with the gas of each host function under the seed schedule and under the schedule calibrated
//! from `weights.rs` (what the reference runtime charges). Regenerate with
//! `UPDATE_ABI_DOC=1 SKIP_WASM_BUILD=1 cargo test -p pallet-qvm abi_doc`.

use crate::schedule::calibrate;
use qvm_primitives::{doc, GasConfig};

#[test]
fn abi_doc_matches_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/ABI.md");
    let text = std::fs::read_to_string(&path).expect("docs/ABI.md exists");
    let seed = GasConfig::default();
    let calibrated = calibrate::<()>();
    let table = doc::host_table_markdown(&[
        ("gas (seed)", &seed),
        ("gas (reference runtime)", &calibrated),
    ]);
    let begin = text
        .find(doc::BEGIN_MARKER)
        .expect("begin marker in docs/ABI.md");
    let end = (text
        .find(doc::END_MARKER)
        .expect("end marker in docs/ABI.md")
        + doc::END_MARKER.len()
        + 1)
    .min(text.len());
    if std::env::var_os("UPDATE_ABI_DOC").is_some() {
        let updated = format!("{}{}{}", &text[..begin], table, &text[end..]);
        std::fs::write(&path, updated).expect("docs/ABI.md is writable");
        return;
    }
    assert_eq!(
        &text[begin..end],
        table,
        "docs/ABI.md is stale: rerun with UPDATE_ABI_DOC=1"
    );
}
