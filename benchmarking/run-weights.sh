#!/usr/bin/env bash
# Regenerates pallets/qvm/src/weights.rs with the real FRAME benchmarking CLI:
# builds qvm-node (release) with `--features runtime-benchmarks`, runs `benchmark pallet` for
# pallet_qvm on the runtime wasm and writes the file through benchmarking/weight-template.hbs.
#
# STEPS and REPEAT override the sampling (defaults 20 and 5; CI runs the benchmarks as tests
# instead); BENCHMARKS (comma-separated names) limits the run and splices its results into
# the existing file. Peak memory ~10 GiB: the CLI's
# state grows with every contract-storage access (see MAX_STORAGE_REPEAT in
# pallets/qvm/src/benchmarking/workloads.rs). ~15 min on 2 cores once built.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
steps=${STEPS:-20}
repeat=${REPEAT:-5}
profile=${PROFILE:-release}
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
# 1. The runtime wasm with the benchmarks compiled in.
cargo build --profile "$profile" -p qvm-runtime --features runtime-benchmarks
wbuild="$CARGO_TARGET_DIR/$dir/wbuild/qvm-runtime"
wasm="$wbuild/qvm_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || wasm="$wbuild/qvm_runtime.wasm"   # debug builds do not compress
# 2. The node with the benchmark CLI. SKIP_WASM_BUILD: frame-benchmarking-cli's own test runtime
#    cannot be wasm-built against this workspace's lock file, and the runtime comes from step 1.
SKIP_WASM_BUILD=1 cargo build --profile "$profile" -p qvm-node --features runtime-benchmarks
# 3. The benchmarks, on the runtime wasm (genesis from its `development` preset). A partial
#    run (BENCHMARKS set) is spliced into the existing file (benchmarking/splice-weights.py).
out=pallets/qvm/src/weights.rs
[ -z "${BENCHMARKS:-}" ] || out=$(mktemp -t qvm-weights.XXXXXX.rs)
"$CARGO_TARGET_DIR/$dir/qvm-node" benchmark pallet \
  --runtime "$wasm" \
  --genesis-builder runtime \
  --pallet pallet_qvm \
  --extrinsic "${BENCHMARKS:-*}" \
  --wasm-execution compiled \
  --steps "$steps" \
  --repeat "$repeat" \
  --heap-pages 4096 \
  --template benchmarking/weight-template.hbs \
  --output "$out"
# 4. Absurd proof-size intercepts of the hashed-key storage benchmarks → measured sizes.
perl benchmarking/clamp-proof.pl "$out"
# 5. The CLI lists every child-trie key a benchmark touched as an "UNKNOWN KEY" (thousands for
#    on_idle_per_key and the storage loops): comments only, dropped.
sed -i -E '/^\t\/\/\/ (Storage|Proof): UNKNOWN KEY/d' "$out"
if [ -n "${BENCHMARKS:-}" ]; then
  python3 benchmarking/splice-weights.py "$out" pallets/qvm/src/weights.rs
  rm -f "$out"
fi
echo "wrote pallets/qvm/src/weights.rs"
