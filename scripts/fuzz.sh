#!/usr/bin/env bash
# Long run of the pallet-qvm fuzz harness (pallets/qvm/src/tests/fuzz.rs), in release.
#
#   ./scripts/fuzz.sh                      # 10 minutes, random base seed
#   QVM_FUZZ_SECS=3600 ./scripts/fuzz.sh   # an hour
#   QVM_FUZZ_SEED=0x1234 ./scripts/fuzz.sh # replay one failing case (the seed a failure printed)
#
# Environment:
#   QVM_FUZZ_SECS     total time budget in seconds (default 600), shared by the four generators
#   QVM_FUZZ_THREADS  generators run at once (default 2)
#   QVM_FUZZ_BASE     base seed (default: random, printed); the same base replays the same run
#   QVM_FUZZ_GAS      largest gas above the load cost of ordinary gas limits (default 5,000,000)
#   QVM_FUZZ_SEED     replay one case instead of fuzzing
#
# Prints, per generator: cases, executions, the fraction of code passing validation, results by
# error, failures (with the seed to replay each) and the slowest executions relative to the
# time their gas stands for (`ref_time_per_gas`). Exits non-zero if any case failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
export SKIP_WASM_BUILD=1

threads="${QVM_FUZZ_THREADS:-2}"
cargo test -p pallet-qvm --release --lib --no-run

log="$(mktemp -t qvm-fuzz.XXXXXX.log)"
status=0
if [ -n "${QVM_FUZZ_SEED:-}" ]; then
    cargo test -p pallet-qvm --release --lib tests::fuzz::fuzz_ -- --nocapture 2>&1 \
        | tee "$log" || status=$?
    exit "$status"
fi

total="${QVM_FUZZ_SECS:-600}"
# Four generators, `threads` at a time: each gets total * threads / 4 seconds.
per=$(awk -v t="$total" -v n="$threads" 'BEGIN { printf "%.1f", t * n / 4 }')
base="${QVM_FUZZ_BASE:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}"
echo "qvm-fuzz: ${total}s total, ${per}s per generator, ${threads} at a time, QVM_FUZZ_BASE=${base}"
echo "qvm-fuzz: full output in ${log}"

start=$(date +%s)
QVM_FUZZ_SECS="$per" QVM_FUZZ_BASE="$base" \
    cargo test -p pallet-qvm --release --lib tests::fuzz::fuzz_ -- --nocapture \
    --test-threads="$threads" >"$log" 2>&1 || status=$?
end=$(date +%s)

echo
echo "=== qvm-fuzz summary (QVM_FUZZ_BASE=${base}, $((end - start))s) ==="
grep -E '^qvm-fuzz' "$log" || true
awk '
    /^qvm-fuzz \[[a-z-]+\] cases=/ {
        for (i = 1; i <= NF; i++) {
            split($i, kv, "=")
            if (kv[1] == "cases") cases += kv[2]
            if (kv[1] == "executions") execs += kv[2]
            if (kv[1] == "failures") fails += kv[2]
            if (kv[1] == "valid") valid += kv[2]
        }
    }
    END {
        printf "total: cases=%d executions=%d valid=%d (%.1f%%) failures=%d\n",
            cases, execs, valid, cases ? 100 * valid / cases : 0, fails
    }' "$log"
if [ "$status" -ne 0 ]; then
    echo "qvm-fuzz: FAILED (exit $status); failing seeds:"
    grep -E 'QVM_FUZZ_SEED=0x[0-9a-f]+' -o "$log" | sort -u || true
    tail -n 40 "$log"
fi
exit "$status"
