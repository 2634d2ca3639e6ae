#!/usr/bin/env python3
"""Turns the `<side> <name> <value> <unit>` lines benchmarking/perf-suite.sh collects into its
markdown table: the best value of each name over the rounds, ratios against pallet-contracts and
the native floor, and the issue's targets with met / missed."""
import os
import platform
import sys
from collections import defaultdict

LOWER_IS_BETTER = ("_us", "_ms", "_kb", "_gas")


def best(values, name):
    return min(values) if name.endswith(LOWER_IS_BETTER) else max(values)


def main(path):
    raw = defaultdict(list)
    for line in open(path):
        parts = line.split()
        if len(parts) >= 3:
            raw[(parts[0], parts[1])].append(float(parts[2]))
    r = {k: best(v, k[1]) for k, v in raw.items()}
    q = lambda name: r.get(("qvm", name))
    c = lambda name: r.get(("contracts", name))
    rt = lambda name: r.get(("runtime", name))
    node = lambda name: r.get(("node", name))

    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    out = []
    p = out.append
    p(f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}.")
    p("")
    p("| operation (native mock runtime, release) | QVM, cache hit | QVM, cache miss | gas |")
    p("|---|---:|---:|---:|")
    rows = [
        ("deploy (SDK token: upload, validate, compile, constructor)", None, "sdk_token_deploy_us", None),
        ("simple transfer (SDK token)", "sdk_token_transfer_hit_us", "sdk_token_transfer_miss_us", "sdk_token_transfer_gas"),
        ("transfer (hand-written WAT token)", "wat_token_transfer_hit_us", "wat_token_transfer_miss_us", "wat_token_transfer_gas"),
        ("complex DeFi operation (AMM swap)", "amm_swap_hit_us", "amm_swap_miss_us", "amm_swap_gas"),
        ("state read (SDK token `balance_of`, a query)", "sdk_token_balance_of_hit_us", None, None),
        ("state write (counter `increment`)", "counter_increment_hit_us", "counter_increment_miss_us", "counter_increment_gas"),
    ]
    fmt = lambda v, unit="µs": "—" if v is None else f"{v:,.1f} {unit}"
    for label, hit, miss, gas in rows:
        p(f"| {label} | {fmt(q(hit) if hit else None)} | {fmt(q(miss) if miss else None)} | "
          f"{'—' if not gas or q(gas) is None else f'{q(gas):,.0f}'} |")
    bps = q("sdk_token_block_transfers_per_s")
    p(f"| calls per second, blocks of 1,000 SDK-token transfers (new block, calls, finalize, commit) | "
      f"{'—' if bps is None else f'{bps:,.0f}/s'} | | |")
    p("")
    p("| the same transfer (hand-written token logic) | µs | vs QVM hit |")
    p("|---|---:|---:|")
    wat = q("wat_token_transfer_hit_us")
    for label, v in [
        ("QVM, cache hit", wat),
        ("QVM, cache miss", q("wat_token_transfer_miss_us")),
        ("pallet-contracts 51.0.0 (`seal` ABI port)", c("transfer_us")),
        ("native Rust, same child trie and event (the floor)", q("native_transfer_us")),
    ]:
        ratio = "—" if v is None or not wat else f"{v / wat:.2f}×"
        p(f"| {label} | {fmt(v, '')} | {ratio} |")
    p("")
    p("| charged weight per transfer (dispatch + base extrinsic for QVM) | ref_time | proof size |")
    p("|---|---:|---:|")
    p(f"| QVM SDK token, reference runtime (ParityDB weights) | {fmt(rt('transfer_charged_ref_time_ms'), 'ms')} | {fmt(rt('transfer_charged_proof_kb'), 'kB')} |")
    for db in ("rocksdb", "paritydb"):
        p(f"| pallet-contracts WAT token, `call` base + gas ({db}) | {fmt(c(f'transfer_charged_ref_time_{db}_ms'), 'ms')} | {fmt(c(f'transfer_charged_proof_{db}_kb'), 'kB')} |")
    p("")
    p("| runtime wasm (sc-executor, compiled), a full block of SDK-token transfers | |")
    p("|---|---:|")
    for label, name, unit in [
        ("transfers in one block of the reference runtime", "transfers_per_block", ""),
        ("block ref_time used (normal class)", "block_ref_time_used_pct", "%"),
        ("block proof size used (normal class)", "block_proof_used_pct", "%"),
        ("import: transfers per second per core (runtime wasm)", "import_wasm_transfers_per_s", "/s"),
        ("import: µs per transfer (runtime wasm)", "import_wasm_us_per_transfer", "µs"),
        ("import: transfers per second (native runtime)", "import_native_transfers_per_s", "/s"),
    ]:
        v = rt(name)
        p(f"| {label} | {'—' if v is None else f'{v:,.1f}{unit}'} |")
    if any(k[0] == "node" for k in r):
        p("")
        p("| release `qvm-node --dev`, sustained pre-signed SDK-token transfers | |")
        p("|---|---:|")
        for label, name in [
            ("transfers per block (full blocks)", "node_transfers_per_block"),
            ("transfers per second", "node_transfers_per_s"),
            ("blocks ended on the authoring deadline", "node_blocks_hit_deadline"),
            ("blocks ended on the weight limit", "node_blocks_hit_weight_limit"),
            ("authoring µs per transfer", "node_authoring_us_per_transfer"),
        ]:
            v = node(name)
            p(f"| {label} | {'—' if v is None else f'{v:,.1f}'} |")
    p("")
    p("| target (issue 10) | measured | met |")
    p("|---|---:|---|")

    def target(label, value, limit, lower=True, unit=""):
        if value is None:
            p(f"| {label} | — | not measured |")
            return
        ok = value <= limit if lower else value >= limit
        p(f"| {label} | {value:,.1f}{unit} | {'yes' if ok else 'no'} ({value / limit:.2f} of the target) |")

    target("SDK token transfer, cache hit ≤ 15 µs", q("sdk_token_transfer_hit_us"), 15, unit=" µs")
    target("SDK token transfer, cache miss ≤ 60 µs", q("sdk_token_transfer_miss_us"), 60, unit=" µs")
    contracts = c("transfer_us")
    hit = q("sdk_token_transfer_hit_us")
    if contracts and hit:
        target("SDK token hit ≥ 4× faster than pallet-contracts' WAT token", contracts / hit, 4, lower=False, unit="×")
    floor = q("native_transfer_us")
    if wat and floor:
        target("hand-written token ≤ 4× the native floor", wat / floor, 4, unit="×")
    target("hand-written token ≤ 6 µs", wat, 6, unit=" µs")
    target("SDK token deploy ≤ 0.5 ms", None if q("sdk_token_deploy_us") is None else q("sdk_token_deploy_us") / 1000, 0.5, unit=" ms")
    target("runtime wasm import ≥ 20,000 transfers/s", rt("import_wasm_transfers_per_s"), 20000, lower=False, unit="/s")
    target("charged weight per SDK transfer ≤ 0.4 ms", rt("transfer_charged_ref_time_ms"), 0.4, unit=" ms")
    target("transfers per block ≥ 3,000 (reference runtime)", rt("transfers_per_block"), 3000, lower=False)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
