# Shared environment for QVM scripts (sourced). A target directory outside the work tree survives
# fresh clones; override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/qvm-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Runtime crates are compiled for wasm with this cfg (as substrate-wasm-builder does).
export CARGO_TARGET_WASM32V1_NONE_RUSTFLAGS="--cfg substrate_runtime"
export WASM_BUILD_WORKSPACE_HINT="${WASM_BUILD_WORKSPACE_HINT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# The two cargo selections CI builds, each used identically by every script (tests, e2e,
# networks, load test, performance smoke): cargo resolves features per selection, so one
# selection means one build of the shared dependencies instead of one per script.
# The pallet, TestVM and the examples' tests, with the pallet's benchmark suite:
QVM_PALLET_PKGS=(-p qvm-primitives -p pallet-qvm -p qvm-test --features pallet-qvm/runtime-benchmarks)
# Both runtimes (their wasm, tests and examples) and the node:
QVM_NODE_PKGS=(-p qvm-runtime -p qvm-parachain-runtime -p qvm-node)
# Builds the second selection (debug): qvm-node, the runtime wasm, the runtimes' tests and tools.
qvm_build_node() { cargo build -q "${QVM_NODE_PKGS[@]}" --all-targets "$@"; }
