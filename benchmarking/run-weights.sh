#!/usr/bin/env bash
# Regenerates pallets/qvm/src/weights.rs with the real FRAME benchmarking CLI:
# builds qvm-node (release) with `--features runtime-benchmarks`, runs `benchmark pallet` for
# pallet_qvm on the runtime wasm and writes the file through benchmarking/weight-template.hbs.
#
# Each benchmark runs in its own `qvm-node benchmark pallet` process (results to JSON), and the
# results are then rendered together (`--json-input`): the CLI's benchmarking state grows by
# gigabytes over the storage benchmarks' thousands of child-trie reads and is only freed when
# the process exits, so one process for everything runs out of memory on a 24 GiB machine.
#
# STEPS and REPEAT override the sampling (defaults 20 and 5; CI runs the benchmarks as tests
# instead). BENCHMARKS (space-separated names) limits the run, e.g. for a quick look.
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
node_bin="$CARGO_TARGET_DIR/$dir/qvm-node"
bench() {
  "$node_bin" benchmark pallet --runtime "$wasm" --genesis-builder runtime --pallet pallet_qvm \
    --wasm-execution compiled --heap-pages 4096 --steps "$steps" --repeat "$repeat" "$@"
}
# 3. The benchmarks (genesis from the runtime's `development` preset), one process each.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
names=${BENCHMARKS:-$(bench --list | awk -F', ' 'NR > 1 && $1 == "pallet_qvm" { print $2 }')}
for name in $names; do
  echo "== $name"
  bench --extrinsic "$name" --json-file "$out/$name.json" > "$out/$name.log" 2>&1 \
    || { cat "$out/$name.log"; exit 1; }
done
# 4. All results through the template.
node -e '
  const fs = require("fs");
  const all = process.argv.slice(1).flatMap((f) => JSON.parse(fs.readFileSync(f)));
  fs.writeFileSync(process.argv[1].replace(/[^/]*$/, "all.json.out"), JSON.stringify(all));
' "$out"/*.json
bench --json-input "$out/all.json.out" \
  --template benchmarking/weight-template.hbs \
  --output pallets/qvm/src/weights.rs
# Contract storage lives in child tries, whose keys the CLI lists one by one as `UNKNOWN KEY`
# (thousands of comment lines); their reads and writes stay counted in the weights.
sed -i '/UNKNOWN KEY/d' pallets/qvm/src/weights.rs
echo "wrote pallets/qvm/src/weights.rs"
