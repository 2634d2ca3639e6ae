#!/usr/bin/env bash
# Long run of the pallet-qvm fuzz harness (pallets/qvm/src/tests/fuzz.rs), in release.
#
#   ./scripts/fuzz.sh                      # 10 minutes, random base seed
#   QVM_FUZZ_SECS=3600 ./scripts/fuzz.sh   # an hour
#   QVM_FUZZ_SEED=0x1234 ./scripts/fuzz.sh # replay one case (the seed a failure printed)
#
# Environment:
#   QVM_FUZZ_SECS     total time budget in seconds (default 600), shared by the four generators
#   QVM_FUZZ_THREADS  generators run at once (default 2)
#   QVM_FUZZ_BASE     base seed (default: random, printed); the same base replays the same run
#   QVM_FUZZ_GAS      largest gas above the load cost of ordinary gas limits (default 5,000,000)
#   QVM_FUZZ_SEED     replay one case instead of fuzzing (QVM_FUZZ_DUMP=<file> also writes its code)
#   QVM_FUZZ_DUMP_DIR write the code of every valid case there (to time it in the runtime wasm:
#                     runtime/examples/wasm_timing.rs)
#   QVM_FUZZ_STACK_MB stack of the thread running each case (default: the test thread's 2 MiB);
#                     a larger one gets past a deep native recursion to find what lies behind it
#                     (as with the failing-memory.grow stack overflow, fixed since, see
#                     memory_grow_loop_runs_out_of_gas in fuzz.rs).
#
# Each generator runs as its own test process for its share of the budget. A failing case (a
# panic, an unnamed error, leftover state, non-determinism, gas above the limit) is reported
# with its seed and the run goes on. A crash that kills the process (a native stack overflow
# aborts) is reported with the seed of the case that was running, and the generator resumes at
# the next case.
#
# Prints, per generator: cases, executions, the fraction of code passing validation, results by
# error, failures and crashes (with the seed to replay each), and the slowest executions
# relative to the ref_time they are charged (base weight + gas × ref_time_per_gas, for the
# calibrated schedule). Exits non-zero if any case failed or crashed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
export SKIP_WASM_BUILD=1

build_log="$(mktemp -t qvm-fuzz-build.XXXXXX)"
cargo test -p pallet-qvm --release --lib --no-run 2>&1 | tee "$build_log"
bin="$(sed -n 's/.*Executable unittests src\/lib.rs (\(.*\))$/\1/p' "$build_log" | tail -n 1)"
rm -f "$build_log"
[ -x "$bin" ] || { echo "qvm-fuzz: test binary not found" >&2; exit 1; }

if [ -n "${QVM_FUZZ_SEED:-}" ]; then
    exec "$bin" tests::fuzz::fuzz_ --nocapture
fi

total="${QVM_FUZZ_SECS:-600}"
threads="${QVM_FUZZ_THREADS:-2}"
generators=(smith_restricted smith_unrestricted mutations host_calls)
# Four generators, `threads` at a time: each gets total * threads / 4 seconds.
per=$(( total * threads / ${#generators[@]} ))
base="${QVM_FUZZ_BASE:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}"
logdir="$(mktemp -d -t qvm-fuzz.XXXXXX)"
echo "qvm-fuzz: ${total}s total, ${per}s per generator, ${threads} at a time, QVM_FUZZ_BASE=${base}"
echo "qvm-fuzz: logs in ${logdir}"

# Runs generator $1 for $2 seconds, resuming after crashes. Appends summary lines to
# $logdir/$1.summary and crash seeds to $logdir/$1.crashes.
run_generator() {
    local gen="$1" budget="$2" start=0 segment=0
    local deadline=$(( $(date +%s) + budget ))
    while :; do
        local left=$(( deadline - $(date +%s) ))
        [ "$left" -gt 0 ] || break
        local log="$logdir/$gen.$segment.log"
        local rc=0
        # In a subshell, so that the shell's report of an abort goes to the log too.
        (QVM_FUZZ_VERBOSE=1 QVM_FUZZ_START="$start" QVM_FUZZ_SECS="$left" QVM_FUZZ_BASE="$base" \
            "$bin" --exact "tests::fuzz::fuzz_$gen" --nocapture) >"$log" 2>&1 || rc=$?
        grep -E '^qvm-fuzz \[' "$log" >>"$logdir/$gen.summary" || true
        if grep -qE '^qvm-fuzz \[[a-z-]+\] cases=' "$log"; then
            break # finished (with or without failing cases)
        fi
        # Crashed: blame the last case started; count the cases before it; resume after it.
        local last
        last="$(grep -E '^qvm-fuzz-case ' "$log" | tail -n 1)"
        if [ -z "$last" ]; then
            echo "qvm-fuzz: $gen exited ($rc) before any case; see $log" >>"$logdir/$gen.crashes"
            break
        fi
        local seed index
        seed="$(grep -oE 'QVM_FUZZ_SEED=0x[0-9a-f]+' <<<"$last")"
        index="$(grep -oE '#[0-9]+' <<<"$last" | tr -d '#')"
        local why
        why="$(grep -m1 -E 'overflowed its stack|fatal runtime error|panicked|Killed|SIGSEGV' "$log" || echo "exit $rc")"
        echo "$seed [$gen] crash: $why" >>"$logdir/$gen.crashes"
        sed -E 's/^qvm-fuzz-case \[([a-z-]+)\] #[0-9]+ (.*) QVM_FUZZ_SEED=.*/qvm-fuzz [\1] \2 crashed=1/' \
            <<<"$last" >>"$logdir/$gen.summary"
        start=$(( index + 1 ))
        segment=$(( segment + 1 ))
    done
}

start_time=$(date +%s)
for gen in "${generators[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$threads" ]; do
        wait -n || true
    done
    run_generator "$gen" "$per" &
done
wait
end_time=$(date +%s)

echo
echo "=== qvm-fuzz summary (QVM_FUZZ_BASE=${base}, $(( end_time - start_time ))s) ==="
cat "$logdir"/*.summary 2>/dev/null | grep -vE '^qvm-fuzz \[[a-z-]+\] (cases=|.* crashed=1)' || true
echo "--- per generator"
cat "$logdir"/*.summary 2>/dev/null | awk '
    /^qvm-fuzz \[[a-z-]+\] .*cases=/ {
        gen = $2
        for (i = 3; i <= NF; i++) {
            n = split($i, kv, "=")
            if (n != 2) continue
            v = kv[2] + 0
            if (kv[1] == "cases") { cases[gen] += v; all_cases += v }
            if (kv[1] == "executions") { execs[gen] += v; all_execs += v }
            if (kv[1] == "valid") { valid[gen] += v; all_valid += v }
            if (kv[1] == "failures") { fails[gen] += v; all_fails += v }
            if (kv[1] == "crashed") { crashes[gen] += v; all_crashes += v }
        }
    }
    END {
        for (g in cases)
            printf "%-22s cases=%d executions=%d valid=%d (%.1f%%) failures=%d crashes=%d\n",
                g, cases[g], execs[g], valid[g], cases[g] ? 100 * valid[g] / cases[g] : 0,
                fails[g], crashes[g]
        printf "%-22s cases=%d executions=%d valid=%d (%.1f%%) failures=%d crashes=%d\n",
            "total", all_cases, all_execs, all_valid,
            all_cases ? 100 * all_valid / all_cases : 0, all_fails, all_crashes
    }'
status=0
# (grep on the files, not `cat | grep -q`: with pipefail, cat's SIGPIPE would fail the test.)
if grep -qhE '^qvm-fuzz FAILURE' "$logdir"/*.log; then
    echo "--- failing cases (replay: QVM_FUZZ_SEED=<seed> ./scripts/fuzz.sh)"
    grep -hE '^qvm-fuzz FAILURE' "$logdir"/*.log | cut -c1-400
    status=1
fi
if cat "$logdir"/*.crashes >/dev/null 2>&1; then
    echo "--- crashes (replay: QVM_FUZZ_SEED=<seed> ./scripts/fuzz.sh)"
    cat "$logdir"/*.crashes
    status=1
fi
exit "$status"
