# Shared by the zombienet scripts (sourced, after env.sh): installs the pinned @zombienet/cli and
# the e2e tests' polkadot.js, and runs one network test.

# Installs zombienet/ and node/e2e/ npm packages (lockfiles; ~25 s the first time).
zombienet_install() {
  (cd node/e2e && npm ci --no-audit --no-fund --loglevel=error)
  (cd zombienet && npm ci --no-audit --no-fund --loglevel=error)
}

# zombienet_test ZNDSL DIR NODES SHOW TIMEOUT: runs `zombienet test ZNDSL` (native provider,
# network state and node logs under DIR, binaries from PATH) for at most TIMEOUT seconds; on exit
# stops every process whose command line matches the regex NODES followed by DIR (each node of
# the run has its base path under DIR). Prints the results table and the log lines matching the
# regex SHOW; on failure, the tail of each node log. Returns zombienet's status.
zombienet_test() {
  local zndsl=$1 dir=$2 nodes=$3 show=$4 timeout=$5 status=0
  mkdir -p "$(dirname "$dir")"
  # shellcheck disable=SC2064 # expanded now: the trap stops this run's nodes
  trap "pids=\$(pgrep -f -- '$nodes .*$dir' || true); [ -z \"\$pids\" ] || kill \$pids 2>/dev/null || true" EXIT
  (cd zombienet && timeout "$timeout" npx zombienet test "$zndsl" --provider native -d "$dir") \
    >"$dir.log" 2>&1 || status=$?
  # The results table, without colours.
  sed 's/\x1b\[[0-9;]*m//g' "$dir.log" | grep -E "✅|❌|Error running|$show" || true
  if [ "$status" -ne 0 ]; then
    echo "network test $zndsl failed ($status); log: $dir.log, node logs: $dir/*.log"
    for f in "$dir"/*.log; do [ -f "$f" ] && { echo "--- $f (tail)"; tail -15 "$f"; }; done
  fi
  return "$status"
}
