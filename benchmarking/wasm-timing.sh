#!/usr/bin/env bash
# Times contract code in the compiled runtime wasm against the weight it is charged
# (runtime/examples/wasm_timing.rs), in release, on the corpus of worst shapes in
# benchmarking/wasm-timing/ (with the code-loading shapes translate.py generates) or on the
# .wasm/.wat files given:
#
#   ./benchmarking/wasm-timing.sh                       # the corpus
#   QVM_FUZZ_DUMP_DIR=/tmp/d QVM_FUZZ_ITERS=300 ./scripts/fuzz.sh; ./benchmarking/wasm-timing.sh /tmp/d/*.wasm
#
# Exits 1 if some code gets more time than it pays for (marginal ratio above 1.0). Noise: run
# on a quiet machine; QVM_TIMING_REPS (default 3) runs of each, the best kept.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# The production runtime wasm (as the debug build makes it: the wasm is always optimised),
# then the tool in release against it (its host side, sc-executor, optimised).
cargo build -q -p qvm-runtime
export QVM_RUNTIME_WASM="$CARGO_TARGET_DIR/debug/wbuild/qvm-runtime/qvm_runtime.wasm"
SKIP_WASM_BUILD=1 cargo build -q --release -p qvm-runtime --example wasm_timing
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  # The corpus, and its code-loading shapes (generated: ~120 KB each).
  gen=$(mktemp -d -t qvm-translate.XXXXXX)
  trap 'rm -rf "$gen"' EXIT
  python3 benchmarking/wasm-timing/translate.py "$gen"
  files=(benchmarking/wasm-timing/*.wat "$gen"/*.wat)
fi
"$CARGO_TARGET_DIR/release/examples/wasm_timing" "${files[@]}"
