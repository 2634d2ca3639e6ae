# Shared environment for QVM scripts (sourced). A target directory outside the work tree survives
# fresh clones; override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/qvm-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Runtime crates are compiled for wasm with this cfg (as substrate-wasm-builder does).
export CARGO_TARGET_WASM32V1_NONE_RUSTFLAGS="--cfg substrate_runtime"
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
