// Bounded load test of a running `qvm-node --dev` (see scripts/load-test.sh).
//
// Setup: funds QVM_LOAD_ACCOUNTS accounts (//Load/<i>) from Alice with one utility.batch of
// balances.transferKeepAlive, deploys the token example and gives every account tokens (one
// utility.batchAll per 5 token transfers), deploys a tiny hand-assembled spam contract.
// Load: for at least QVM_LOAD_BLOCKS blocks, on every new best block, tops up the pool with a
// mix signed ahead from the accounts with locally tracked nonces: honest token transfers (dry-run
// gas), maximum-gas infinite loops, storage spam (bounded fills, and a fill that loops until out
// of gas), unique code uploads, malformed calls and uploads, signed extrinsics the pool must
// refuse, and raw garbage through author_submitExtrinsic.
// Measures per block: interval vs the slot target, finality lag, block weight, extrinsics and
// their outcomes, node RSS. Then drains, checks balances and the node, prints a report (JSON to
// QVM_LOAD_REPORT) and exits 1 if an assertion fails. Stops itself: a hard wall-clock cap
// (QVM_LOAD_TIMEOUT_S) writes the report and exits 1.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aConcat, hexToU8a, stringToU8a, compactToU8a } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tokenWasm, encode, submit, findEvent, output } from './lib.mjs';

// ---------------------------------------------------------------- parameters
const env = process.env;
const int = (v, d) => (v === undefined || v === '' ? d : Number.parseInt(v, 10));
const P = {
  url: env.QVM_WS ?? 'ws://127.0.0.1:9944',
  blocks: int(env.QVM_LOAD_BLOCKS, 100),
  accounts: int(env.QVM_LOAD_ACCOUNTS, 20),
  // Per new block: how many of each spam kind are kept pending in the pool / submitted.
  loops: int(env.QVM_LOAD_LOOPS, 4), // max-gas infinite loops kept pending
  fills: int(env.QVM_LOAD_FILLS, 2), // bounded storage fills kept pending
  fillKeys: int(env.QVM_LOAD_FILL_KEYS, 64), // distinct keys written per fill
  fillOogEvery: int(env.QVM_LOAD_FILL_OOG_EVERY, 3), // one fill-until-out-of-gas every n blocks
  codeUploads: int(env.QVM_LOAD_CODE_UPLOADS, 1), // unique valid code uploads kept pending
  malformed: int(env.QVM_LOAD_MALFORMED, 4), // signed malformed calls per block
  refused: int(env.QVM_LOAD_REFUSED, 2), // signed extrinsics the pool must refuse, per block
  garbage: int(env.QVM_LOAD_GARBAGE, 3), // raw garbage submissions per block
  honestInFlight: int(env.QVM_LOAD_HONEST_IN_FLIGHT, 2), // honest transfers in flight per account
  gasMarginPct: int(env.QVM_LOAD_GAS_MARGIN_PCT, 0), // added to the dry-run gas of honest transfers
  drainBlocks: int(env.QVM_LOAD_DRAIN_BLOCKS, 15),
  timeoutS: 0, // set below
  minOnTimePct: Number(env.QVM_LOAD_MIN_ON_TIME_PCT ?? 90),
  maxEndLag: int(env.QVM_LOAD_MAX_END_LAG, 5),
  maxLag: int(env.QVM_LOAD_MAX_LAG, 10),
  maxRssGrowthMiB: int(env.QVM_LOAD_MAX_RSS_GROWTH_MIB, 512),
  nodePid: env.QVM_NODE_PID ? Number(env.QVM_NODE_PID) : null,
  nodeLog: env.QVM_NODE_LOG ?? null,
  reportPath: env.QVM_LOAD_REPORT ?? null,
};
P.timeoutS = int(env.QVM_LOAD_TIMEOUT_S, 300 + P.blocks * 9);
const T0 = Date.now();
const since = () => ((Date.now() - T0) / 1000).toFixed(1);
const log = (...a) => console.log(`[${since()}s]`, ...a);

// ---------------------------------------------------------------- tiny Wasm assembler
// Enough of the binary format for the spam contracts: types, imports, functions, memory,
// exports, start, code and data sections.
const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const name = (s) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const I32 = 0x7f;
const F32 = 0x7d;
function wasmModule({ types = [], imports = [], funcs = [], memory = 1, exports = [], start, codes = [], data = [] }) {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (types.length) out.push(...section(1, vec(types.map(([p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))]))));
  if (imports.length) out.push(...section(2, vec(imports.map(([m, f, t]) => [...name(m), ...name(f), 0x00, ...uleb(t)]))));
  if (funcs.length) out.push(...section(3, vec(funcs.map((t) => uleb(t)))));
  if (memory !== null) out.push(...section(5, vec([[0x00, ...uleb(memory)]])));
  if (exports.length) out.push(...section(7, vec(exports.map(([n, kind, idx]) => [...name(n), kind, ...uleb(idx)]))));
  if (start !== undefined) out.push(...section(8, uleb(start)));
  if (codes.length) {
    out.push(...section(10, vec(codes.map(([locals, body]) => {
      const b = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...body, 0x0b];
      return [...uleb(b.length), ...b];
    }))));
  }
  if (data.length) out.push(...section(11, vec(data.map(([off, bytes]) => [0x00, 0x41, ...sleb(off), 0x0b, ...uleb(bytes.length), ...bytes]))));
  return Uint8Array.from(out);
}
const FUNC = 0x00;
const MEM = 0x02;
const c32 = (v) => [0x41, ...sleb(v)]; // i32.const

// The spam contract:
//   constructor: nothing.
//   spin:        (loop (br 0)), runs until out of gas.
//   fill:        input [start: u32 LE][count: u32 LE]; for i in start..start+count (wrapping u32
//                compare) writes 32 zero bytes under the 4-byte key i (LE). count = u32::MAX
//                never ends: it loops qnet_storage_write with distinct keys until out of gas.
const SPAM_WASM = wasmModule({
  types: [[[I32, I32, I32, I32], [I32]], [[I32, I32], [I32]], [[], []]],
  imports: [['qnet', 'qnet_storage_write', 0], ['qnet', 'qnet_input_read', 1]],
  funcs: [2, 2, 2],
  exports: [['memory', MEM, 0], ['constructor', FUNC, 2], ['spin', FUNC, 3], ['fill', FUNC, 4]],
  codes: [
    [[], []],
    [[], [0x03, 0x40, 0x0c, 0x00, 0x0b]],
    [[[2, I32]], [
      ...c32(0), ...c32(8), 0x10, 0x01, 0x1a, // drop(input_read(0, 8))
      ...c32(0), 0x28, 0x02, 0x00, 0x21, 0x00, // $i = load32(0)
      ...c32(0), 0x28, 0x02, 0x04, 0x20, 0x00, 0x6a, 0x21, 0x01, // $n = load32(4) + $i
      0x02, 0x40, 0x03, 0x40, // block loop
      0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01, // br_if 1 ($i >=u $n)
      ...c32(16), 0x20, 0x00, 0x36, 0x02, 0x00, // store32(16, $i)
      ...c32(16), ...c32(4), ...c32(32), ...c32(32), 0x10, 0x00, 0x1a, // drop(storage_write(16, 4, 32, 32))
      0x20, 0x00, ...c32(1), 0x6a, 0x21, 0x00, // $i += 1
      0x0c, 0x00, 0x0b, 0x0b, // br 0; end loop; end block
    ]],
  ],
});
const EMPTY_CTOR = { types: [[[], []]], funcs: [0], exports: [['memory', MEM, 0], ['constructor', FUNC, 0]], codes: [[[], []]] };
// Valid, unique code: an empty constructor and `size` random bytes of data.
const uniqueCode = (size) => wasmModule({ ...EMPTY_CTOR, data: [[0, [...randomBytes(size)]]] });
// Invalid uploads, each with the module error it must fail with.
const BAD_CODE = {
  noConstructor: [wasmModule({ exports: [['memory', MEM, 0]] }), ['qvm.MissingConstructor']],
  startFunction: [wasmModule({ ...EMPTY_CTOR, start: 0 }), ['qvm.StartFunctionForbidden']],
  float: [wasmModule({ ...EMPTY_CTOR, codes: [[[], [0x43, 0, 0, 0, 0, 0x1a]]] }), ['qvm.FloatForbidden']],
  floatParam: [wasmModule({ types: [[[], []], [[F32], []]], funcs: [0, 1], exports: [['memory', MEM, 0], ['constructor', FUNC, 0]], codes: [[[], []], [[], []]] }), ['qvm.FloatForbidden']],
  unknownImport: [wasmModule({ types: [[[], []]], imports: [['qnet', 'qnet_nope', 0]], funcs: [0], exports: [['memory', MEM, 0], ['constructor', FUNC, 1]], codes: [[[], []]] }), ['qvm.UnknownImport']],
  noMemory: [wasmModule({ types: [[[], []]], funcs: [0], memory: null, exports: [['constructor', FUNC, 0]], codes: [[[], []]] }), ['qvm.MissingMemoryExport']],
  badExportType: [wasmModule({ types: [[[I32], []]], funcs: [0], exports: [['memory', MEM, 0], ['constructor', FUNC, 0]], codes: [[[], []]] }), ['qvm.InvalidExportSignature']],
};

// ---------------------------------------------------------------- state
const report = {
  params: { ...P },
  startedAt: new Date(T0).toISOString(),
  setup: {},
  blocks: {},
  outcomes: {},
  honest: {},
  balances: {},
  storage: {},
  rss: {},
  node: {},
  notes: [],
  assertions: [],
  ok: false,
};
let api;
let provider;
const rpc = (method, params) => provider.send(method, params);
const records = []; // every submission
const tracked = new Map(); // extrinsic hash -> record (accepted, not yet seen in a block)
const blocks = new Map(); // number -> per-block data
const arrivals = new Map(); // number -> ms (first new-head notification)
const rssSamples = []; // [seconds, KiB]
const ledger = new Map(); // account index -> expected token balance (bigint); -1 = Alice
let best = 0;
let finalized = 0;
let phase = 'setup';
let loadStart = null; // first block number of the load window (exclusive)
let loadEnd = null; // last block number of the load window (inclusive)
let scanned = 0;
let scanChain = Promise.resolve();
const headWaiters = [];
const pending = {}; // kind -> accepted or queued, not yet resolved
const note = (s) => { report.notes.push(s); log('note:', s); };
const rand = (n) => Math.floor(Math.random() * n);

function readRssKiB() {
  if (!P.nodePid) return null;
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${P.nodePid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
function sampleRss() {
  const kib = readRssKiB();
  if (kib !== null) rssSamples.push([Number(since()), kib]);
  return kib;
}
const nodeAlive = () => {
  if (!P.nodePid) return true;
  try { process.kill(P.nodePid, 0); return true; } catch { return false; }
};
const errMsg = (e) => (e && e.message ? e.message : String(e)).slice(0, 200);
function moduleErrorName(de) {
  if (de.isModule) {
    try {
      const m = api.registry.findMetaError(de.asModule);
      return `${m.section}.${m.name}`;
    } catch {
      return de.toString();
    }
  }
  return de.toString();
}
/**
 * Options for signing synchronously with a locally tracked nonce: immortal era (the genesis hash
 * as checkpoint), the connected runtime's version and transaction extensions, no tip.
 */
const signOptions = (nonce) => ({
  blockHash: api.genesisHash,
  genesisHash: api.genesisHash,
  nonce,
  runtimeVersion: api.runtimeVersion,
  signedExtensions: api.registry.signedExtensions,
  version: api.extrinsicType,
});
const signTx = (tx, pair, nonce) => tx.sign(pair, signOptions(nonce));
const isNamedModuleError = (e) => typeof e === 'string' && /^[a-z][A-Za-z]*\.[A-Z][A-Za-z]*$/.test(e);

// ---------------------------------------------------------------- finishing (also on timeout)
let finishing = false;
async function finish(reason) {
  if (finishing) return;
  finishing = true;
  if (reason) report.assertions.push({ name: 'run completed (setup, load, drain, checks) within the wall-clock cap', ok: false, detail: reason });
  report.ok = report.assertions.length > 0 && report.assertions.every((a) => a.ok);
  report.elapsedS = Number(since());
  printReport();
  if (P.reportPath) {
    writeFileSync(P.reportPath, JSON.stringify(report, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
    console.log(`report written to ${P.reportPath}`);
  }
  try { await Promise.race([api?.disconnect(), new Promise((r) => setTimeout(r, 2000))]); } catch { /* exiting */ }
  process.exit(report.ok ? 0 : 1);
}
setTimeout(() => {
  note(`hard wall-clock cap of ${P.timeoutS}s reached in phase ${phase}`);
  try { summarize(); } catch (e) { note(`summary failed: ${errMsg(e)}`); }
  finish(`cap of ${P.timeoutS}s reached in phase ${phase}`);
}, P.timeoutS * 1000);
process.on('unhandledRejection', (e) => note(`unhandled rejection: ${errMsg(e)}`));

// ---------------------------------------------------------------- block tracking
function waitHead(timeoutMs) {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), timeoutMs);
    headWaiters.push(() => { clearTimeout(t); resolve(true); });
  });
}

function onHead(header) {
  const n = header.number.toNumber();
  if (!arrivals.has(n)) arrivals.set(n, Date.now());
  const lag = n - finalized;
  if (n > best) best = n;
  const kib = sampleRss();
  const b = blockEntry(n);
  b.lagAtArrival = lag;
  b.rssKiB = kib;
  b.phase = phase;
  // Scan every block up to n, in order.
  for (let m = scanned + 1; m <= n; m++) {
    scanned = m;
    scanChain = scanChain.then(() => scanBlock(m)).catch((e) => note(`scan of block ${m} failed: ${errMsg(e)}`));
  }
  if (phase === 'load') tick(n);
  for (const w of headWaiters.splice(0)) w();
}

function blockEntry(n) {
  if (!blocks.has(n)) blocks.set(n, { number: n });
  return blocks.get(n);
}

async function scanBlock(n) {
  const hash = await api.rpc.chain.getBlockHash(n);
  const [signedBlock, apiAt] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash)]);
  const [events, weight, now] = await Promise.all([
    apiAt.query.system.events(),
    apiAt.query.system.blockWeight(),
    apiAt.query.timestamp.now(),
  ]);
  const b = blockEntry(n);
  b.hash = hash.toHex();
  b.timestamp = now.toNumber();
  b.refTimePct = pct(weight.normal.refTime.toBigInt(), W.normalRef);
  b.proofPct = pct(weight.normal.proofSize.toBigInt(), W.normalProof);
  b.mandatoryRefTimePct = pct(weight.mandatory.refTime.toBigInt(), W.maxRef);
  const exts = signedBlock.block.extrinsics;
  b.extrinsics = exts.length;
  b.signed = 0;
  b.ok = 0;
  b.failed = 0;
  b.errors = {};
  b.kinds = {};
  const byIndex = new Map();
  for (const { phase: ph, event } of events) {
    if (!ph.isApplyExtrinsic) continue;
    const i = ph.asApplyExtrinsic.toNumber();
    if (!byIndex.has(i)) byIndex.set(i, []);
    byIndex.get(i).push(event);
  }
  exts.forEach((ex, i) => {
    const evs = byIndex.get(i) ?? [];
    if (ex.isSigned) b.signed++;
    const okEv = evs.find((e) => e.section === 'system' && e.method === 'ExtrinsicSuccess');
    const failEv = evs.find((e) => e.section === 'system' && e.method === 'ExtrinsicFailed');
    const feeEv = evs.find((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid');
    let error = null;
    if (okEv) b.ok++;
    if (failEv) {
      b.failed++;
      error = moduleErrorName(failEv.data[0]);
      b.errors[error] = (b.errors[error] ?? 0) + 1;
    }
    const rec = tracked.get(ex.hash.toHex());
    if (!rec) return;
    tracked.delete(rec.hash);
    const info = (okEv ?? failEv)?.data[okEv ? 0 : 1];
    rec.block = n;
    rec.inclusionDelayBlocks = n - rec.submitBest;
    rec.success = !!okEv;
    rec.error = error;
    rec.fee = feeEv ? feeEv.data[1].toBigInt() : 0n;
    rec.refTime = info ? info.weight.refTime.toBigInt() : null;
    rec.proofSize = info ? info.weight.proofSize.toBigInt() : null;
    const called = evs.find((e) => e.section === 'qvm' && e.method === 'Called');
    if (called) rec.gasUsed = called.data.gasUsed.toBigInt();
    b.kinds[rec.kind] = (b.kinds[rec.kind] ?? 0) + 1;
    resolveRecord(rec);
    if (rec.kind === 'honest' && rec.success) {
      const { from, to, amount } = rec.meta;
      ledger.set(from, ledger.get(from) - amount);
      ledger.set(to, ledger.get(to) + amount);
    }
  });
}

function resolveRecord(rec) {
  pending[rec.kind] = (pending[rec.kind] ?? 1) - 1;
  const a = rec.account;
  if (a) {
    a.inFlight--;
    if (rec.kind === 'honest') a.honestInFlight--;
  }
}

const pct = (v, max) => (max > 0n ? Number((v * 100000n) / max) / 1000 : null);

// ---------------------------------------------------------------- submission
class Account {
  constructor(i, pair) {
    this.i = i;
    this.pair = pair;
    this.address = pair.address;
    this.nonce = 0;
    this.inFlight = 0; // accepted or queued, not yet included
    this.honestInFlight = 0;
    this.chain = Promise.resolve();
  }
}
let accounts = [];
let rr = 0;
/** Round-robin account with room for another transaction. */
function nextAccount() {
  for (let k = 0; k < accounts.length; k++) {
    const a = accounts[rr++ % accounts.length];
    if (a.inFlight < 8) return a;
  }
  return null;
}

/**
 * Queues, on `a`'s chain (so its nonces stay in order), building a transaction with `build`
 * (async; returns { tx, meta?, expect } or null), signing it with the local nonce and submitting
 * it. A pool rejection leaves the nonce unused.
 */
function enqueue(a, kind, variant, build) {
  a.inFlight++;
  if (kind === 'honest') a.honestInFlight++;
  pending[kind] = (pending[kind] ?? 0) + 1;
  a.chain = a.chain.then(async () => {
    if (finishing) return;
    const rec = { kind, variant, account: a, from: a.i, submitBest: best, submittedAtS: Number(since()) };
    records.push(rec);
    let built;
    try {
      built = await build(a);
    } catch (e) {
      built = null;
      rec.buildError = errMsg(e);
    }
    if (!built) {
      rec.skipped = true;
      resolveRecord(rec);
      return;
    }
    const { tx, meta, expect, corrupt } = built;
    rec.meta = meta;
    rec.expect = expect;
    let hex;
    try {
      signTx(tx, a.pair, a.nonce);
      hex = corrupt ? corrupt(tx) : tx.toHex();
    } catch (e) {
      rec.skipped = true;
      rec.buildError = `signing failed: ${errMsg(e)}`;
      resolveRecord(rec);
      return;
    }
    rec.hash = tx.hash.toHex();
    tracked.set(rec.hash, rec);
    try {
      await rpc('author_submitExtrinsic', [hex]);
      rec.accepted = true;
      a.nonce++;
    } catch (e) {
      tracked.delete(rec.hash);
      rec.accepted = false;
      rec.rejected = errMsg(e);
      resolveRecord(rec);
    }
  }).catch((e) => note(`job ${kind}/${variant} of account ${a.i} failed: ${errMsg(e)}`));
}

/** Raw submission of bytes that are not a valid signed extrinsic. */
async function submitRaw(variant, hex) {
  const rec = { kind: 'garbage', variant, submitBest: best, submittedAtS: Number(since()), bytes: (hex.length - 2) / 2 };
  records.push(rec);
  try {
    const hash = await rpc('author_submitExtrinsic', [hex]);
    rec.accepted = true;
    rec.hash = String(hash);
    note(`garbage ${variant} was accepted by the pool as ${hash}`);
  } catch (e) {
    rec.accepted = false;
    rec.rejected = errMsg(e);
  }
}

// ---------------------------------------------------------------- the load mix
const C = {}; // contracts, gas, fee estimates (filled in setup)
const u32le = (...vs) => u8aToHex(u8aConcat(...vs.map((v) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); return b; })));
const FILL_BASE = 0x10000000; // bounded fills use keys from here; fill-until-OOG uses keys from 0
let fillCursor = FILL_BASE;
let tickNo = 0;

const honestBuild = async (a) => {
  let j = rand(accounts.length - 1);
  if (j >= a.i) j++;
  const to = accounts[j];
  const amount = BigInt(1 + rand(1000));
  const args = encode(api, '(AccountId32, u128)', [to.address, amount]);
  const dry = await api.call.qvmApi.call(a.address, C.token, 0, 'transfer', args, null);
  if (!dry.result.isOk || dry.result.asOk.reverted.isTrue) throw new Error(`honest dry run failed: ${dry.result.toString()}`);
  const gas = (dry.gasRequired.toBigInt() * BigInt(100 + P.gasMarginPct)) / 100n;
  return { tx: api.tx.qvm.call(C.token, 0, 'transfer', args, gas, null), meta: { from: a.i, to: to.i, amount, gas, dryGas: dry.gasRequired.toBigInt() }, expect: 'success' };
};

// Signed calls the pool accepts and that must fail in the block with these module errors.
const MALFORMED = [
  ['unknownMethod', () => api.tx.qvm.call(C.token, 0, 'no_such_method', '0x', 1_000_000, null), ['qvm.MethodNotFound']],
  ['constructorAsMethod', () => api.tx.qvm.call(C.token, 0, 'constructor', '0x', 1_000_000, null), ['qvm.MethodNotFound']],
  ['emptyMethod', () => api.tx.qvm.call(C.token, 0, '0x', '0x', 1_000_000, null), ['qvm.MethodNotFound']],
  ['garbageArgs', () => api.tx.qvm.call(C.token, 0, 'transfer', u8aToHex(randomBytes(7 + rand(20))), 1_000_000, null), 'any-qvm'],
  ['missingContract', () => api.tx.qvm.call(u8aToHex(randomBytes(32)), 0, 'transfer', '0x', 1_000_000, null), ['qvm.ContractNotFound']],
  ['tooLittleGas', () => api.tx.qvm.call(C.token, 0, 'transfer', encode(api, '(AccountId32, u128)', [accounts[0].address, 1]), 1_000, null), ['qvm.OutOfGas']],
  ['inputTooLarge', () => api.tx.qvm.call(C.token, 0, 'transfer', u8aToHex(randomBytes(64 * 1024 + 1)), 1_000_000, null), ['qvm.InputTooLarge']],
  // Random or truncated bytes: InvalidModule, or SimdForbidden/AtomicsForbidden when the
  // parser stops at a 0xfd/0xfe byte; any qvm validation error is right.
  ['garbageWasm', () => api.tx.qvm.uploadCode(u8aToHex(randomBytes(64 + rand(512)))), 'any-qvm'],
  ['truncatedWasm', () => api.tx.qvm.uploadCode(u8aToHex(C.tokenWasm.subarray(0, 100 + rand(C.tokenWasm.length - 200)))), 'any-qvm'],
  ...Object.entries(BAD_CODE).map(([v, [code, errs]]) => [v, () => api.tx.qvm.uploadCode(u8aToHex(code)), errs]),
  ['deployGarbage', () => api.tx.qvm.deploy(u8aToHex(randomBytes(128)), 0, '0x', 1_000_000, null, null), 'any-qvm'],
  ['instantiateMissingCode', () => api.tx.qvm.instantiate(u8aToHex(randomBytes(32)), 0, '0x', 1_000_000, null, null), ['qvm.CodeNotFound']],
  ['removeMissingCode', () => api.tx.qvm.removeCode(u8aToHex(randomBytes(32))), ['qvm.CodeNotFound']],
  ['removeOthersCode', () => api.tx.qvm.removeCode(C.tokenCodeHash), ['qvm.NotCodeOwner']],
  ['sudoWithoutKey', () => api.tx.sudo.sudo(api.tx.balances.forceSetBalance(accounts[0].address, 1)), ['sudo.RequireSudo']],
];

// Signed extrinsics the pool must refuse (never included, nonce unused).
const REFUSED = [
  // The dry run's maximum leaves 1,024 bytes of proof for the extrinsic's length
  // (EXTRINSIC_OVERHEAD_LEN); 4,096 more gas is past what any such call can carry.
  ['gasAboveMaximum', () => ({ tx: api.tx.qvm.call(C.spam, 0, 'spin', '0x', C.loopGas + 4096n, null) })],
  ['gasU64Max', () => ({ tx: api.tx.qvm.call(C.spam, 0, 'spin', '0x', 2n ** 64n - 1n, null) })],
  ['badSignature', () => ({
    tx: api.tx.balances.transferKeepAlive(accounts[0].address, 1),
    corrupt: (tx) => {
      const u8a = tx.toU8a();
      const sig = tx.signature.toU8a();
      const at = Buffer.from(u8a).indexOf(Buffer.from(sig));
      u8a[at + 10] ^= 0xff;
      return u8aToHex(u8a);
    },
  })],
];

// Raw bytes that are not a valid extrinsic, or extrinsics that are not valid now.
const GARBAGE = [
  ['empty', () => '0x'],
  ['random', () => u8aToHex(randomBytes(1 + rand(512)))],
  ['lengthPrefixedRandom', () => { const body = randomBytes(1 + rand(300)); body[0] = 0x84; return u8aToHex(u8aConcat(compactToU8a(body.length), body)); }],
  ['badVersion', () => { const body = randomBytes(100); body[0] = 0x8f; return u8aToHex(u8aConcat(compactToU8a(body.length), body)); }],
  ['truncatedSigned', () => { const h = C.aliceStaleTx(); return h.slice(0, 2 + 2 * Math.floor((h.length - 2) / 4)); }],
  ['trailingBytes', () => C.aliceStaleTx() + 'deadbeef'],
  ['staleNonce', () => C.aliceStaleTx()],
  ['unsignedCall', () => api.tx.qvm.call(C.token, 0, 'transfer', '0x', 1_000_000, null).toHex()],
  ['unsignedTransfer', () => api.tx.balances.transferKeepAlive(accounts[0].address, 1).toHex()],
  ['unfundedSigner', () => api.tx.qvm.call(C.token, 0, 'transfer', '0x', 1_000_000, null).sign(C.poor, signOptions(0)).toHex()],
];

function tick(n) {
  if (finishing) return;
  tickNo++;
  // Honest transfers: every account keeps up to honestInFlight in flight.
  for (const a of accounts) {
    while (a.honestInFlight < P.honestInFlight) enqueue(a, 'honest', 'transfer', honestBuild);
  }
  const topUp = (kind, target, build) => {
    for (let k = (pending[kind] ?? 0); k < target; k++) {
      const a = nextAccount();
      if (!a) return;
      enqueue(a, kind, kind, build);
    }
  };
  topUp('loop', P.loops, async () => ({ tx: api.tx.qvm.call(C.spam, 0, 'spin', '0x', C.loopGas, null), expect: ['qvm.OutOfGas'] }));
  topUp('fill', P.fills, async () => {
    const start = fillCursor;
    fillCursor += P.fillKeys;
    return { tx: api.tx.qvm.call(C.spam, 0, 'fill', u32le(start, P.fillKeys), C.fillGas, null), meta: { start, count: P.fillKeys }, expect: 'success' };
  });
  if (P.fillOogEvery > 0 && tickNo % P.fillOogEvery === 1 % P.fillOogEvery) {
    topUp('fillUntilOutOfGas', 1, async () => ({ tx: api.tx.qvm.call(C.spam, 0, 'fill', u32le(0, 0xffffffff), C.fillOogGas, null), expect: ['qvm.OutOfGas'] }));
  }
  topUp('codeUpload', P.codeUploads, async () => ({ tx: api.tx.qvm.uploadCode(u8aToHex(uniqueCode(2048 + rand(6144)))), expect: 'success' }));
  for (let k = 0; k < P.malformed && (pending.malformed ?? 0) < 4 * P.malformed; k++) {
    const [variant, make, expect] = MALFORMED[(tickNo * P.malformed + k) % MALFORMED.length];
    const a = nextAccount();
    if (a) enqueue(a, 'malformed', variant, async () => ({ tx: make(), expect }));
  }
  for (let k = 0; k < P.refused; k++) {
    const [variant, make] = REFUSED[(tickNo * P.refused + k) % REFUSED.length];
    const a = nextAccount();
    if (a) enqueue(a, 'refused', variant, async () => ({ ...make(), expect: 'refused' }));
  }
  for (let k = 0; k < P.garbage; k++) {
    const [variant, make] = GARBAGE[(tickNo * P.garbage + k) % GARBAGE.length];
    submitRaw(variant, make());
  }
  if (P.garbage > 0 && tickNo % 10 === 1) submitRaw('bigRandom', u8aToHex(randomBytes(256 * 1024)));
}

// ---------------------------------------------------------------- setup
const W = {};
async function setup() {
  await cryptoWaitReady();
  provider = new WsProvider(P.url, 1000);
  api = await ApiPromise.create({ provider, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  C.poor = keyring.addFromUri('//Load/unfunded');
  const bw = api.consts.system.blockWeights;
  W.maxRef = bw.maxBlock.refTime.toBigInt();
  W.maxProof = bw.maxBlock.proofSize.toBigInt();
  const normal = bw.perClass.normal;
  W.normalRef = normal.maxTotal.isSome ? normal.maxTotal.unwrap().refTime.toBigInt() : W.maxRef;
  W.normalProof = normal.maxTotal.isSome ? normal.maxTotal.unwrap().proofSize.toBigInt() : W.maxProof;
  const slot = api.consts.aura?.slotDuration ?? api.consts.babe?.expectedBlockTime;
  W.targetMs = env.QVM_LOAD_TARGET_MS ? Number(env.QVM_LOAD_TARGET_MS)
    : slot ? Number(slot.toString()) : api.consts.timestamp.minimumPeriod.toNumber() * 2;
  report.setup.chain = {
    runtime: `${api.runtimeVersion.specName} v${api.runtimeVersion.specVersion}`,
    targetBlockMs: W.targetMs,
    maxBlock: { refTimeMs: Number(W.maxRef) / 1e9, proofSizeKiB: Number(W.maxProof) / 1024 },
    normalMaxTotal: { refTimeMs: Number(W.normalRef) / 1e9, proofSizeKiB: Number(W.normalProof) / 1024 },
  };
  log(`connected to ${P.url}: ${report.setup.chain.runtime}, target ${W.targetMs} ms, node pid ${P.nodePid ?? '?'}`);
  report.rss.atConnectKiB = sampleRss();

  await api.rpc.chain.subscribeFinalizedHeads((h) => { finalized = Math.max(finalized, h.number.toNumber()); });
  const head = await api.rpc.chain.getHeader();
  scanned = head.number.toNumber();
  await api.rpc.chain.subscribeNewHeads(onHead);

  // 1. Fund the accounts.
  accounts = Array.from({ length: P.accounts }, (_, i) => new Account(i, keyring.addFromUri(`//Load/${i}`)));
  const unit = 10n ** BigInt(api.registry.chainDecimals[0] ?? 12);
  const endowment = 1000n * unit;
  const fund = await submit(api, api.tx.utility.batch(accounts.map((a) => api.tx.balances.transferKeepAlive(a.address, endowment))), alice);
  if (fund.error || !findEvent(fund.events, 'utility', 'BatchCompleted')) throw new Error(`funding failed: ${fund.error ?? 'batch interrupted'}`);
  for (const a of accounts) {
    const { data } = await api.query.system.account(a.address);
    if (data.free.toBigInt() < endowment) throw new Error(`account ${a.i} not funded`);
  }
  log(`funded ${accounts.length} accounts with ${endowment / unit} units each`);

  // 2. Deploy the token and give every account tokens.
  C.tokenWasm = tokenWasm();
  const supply = 10n ** 24n;
  const perAccount = 10n ** 18n;
  const ctor = encode(api, '(Text, Text, u128)', ['LoadToken', 'LOAD', supply]);
  const dryDeploy = await api.call.qvmApi.deploy(alice.address, u8aToHex(C.tokenWasm), 0, ctor, null, null);
  if (!dryDeploy.result.isOk) throw new Error(`token dry-run deploy failed: ${dryDeploy.result.toString()}`);
  const dep = await submit(api, api.tx.qvm.deploy(u8aToHex(C.tokenWasm), 0, ctor, dryDeploy.gasRequired, null, null), alice);
  if (dep.error) throw new Error(`token deploy failed: ${dep.error}`);
  C.token = findEvent(dep.events, 'qvm', 'Deployed').data.contract.toHex();
  C.tokenCodeHash = (await api.call.qvmApi.codeHash(C.token)).unwrap().toHex();
  const gives = [];
  for (const a of accounts) {
    const args = encode(api, '(AccountId32, u128)', [a.address, perAccount]);
    const dry = await api.call.qvmApi.call(alice.address, C.token, 0, 'transfer', args, null);
    gives.push(api.tx.qvm.call(C.token, 0, 'transfer', args, dry.gasRequired, null));
  }
  // In batches of 5: a batch's weight is the sum of its calls' gas limits.
  for (let i = 0; i < gives.length; i += 5) {
    const give = await submit(api, api.tx.utility.batchAll(gives.slice(i, i + 5)), alice);
    if (give.error) throw new Error(`token distribution failed: ${give.error}`);
  }
  ledger.set(-1, supply - perAccount * BigInt(accounts.length));
  for (const a of accounts) ledger.set(a.i, perAccount);
  C.alice = alice;
  C.supply = supply;
  log(`token ${C.token} deployed (gas ${dryDeploy.gasRequired}), ${perAccount} given to each account`);

  // 3. Deploy the spam contract and size the spam.
  const dryDeploySpam = await api.call.qvmApi.deploy(alice.address, u8aToHex(SPAM_WASM), 0, '0x', null, null);
  if (!dryDeploySpam.result.isOk) throw new Error(`spam contract dry-run deploy failed: ${dryDeploySpam.result.toString()}`);
  const depSpam = await submit(api, api.tx.qvm.deploy(u8aToHex(SPAM_WASM), 0, '0x', dryDeploySpam.gasRequired, null, null), alice);
  if (depSpam.error) throw new Error(`spam contract deploy failed: ${depSpam.error}`);
  C.spam = findEvent(depSpam.events, 'qvm', 'Deployed').data.contract.toHex();

  const dryLoop = await api.call.qvmApi.call(alice.address, C.spam, 0, 'spin', '0x', null);
  const loopErr = dryLoop.result.isErr ? moduleErrorName(dryLoop.result.asErr) : 'ok';
  if (loopErr !== 'qvm.OutOfGas') throw new Error(`spin dry run: expected qvm.OutOfGas, got ${loopErr}`);
  C.loopGas = dryLoop.gasUsed.toBigInt();
  const dryFill = await api.call.qvmApi.call(alice.address, C.spam, 0, 'fill', u32le(FILL_BASE - P.fillKeys, P.fillKeys), null);
  if (!dryFill.result.isOk || dryFill.result.asOk.reverted.isTrue) throw new Error(`fill dry run failed: ${dryFill.result.toString()}`);
  C.fillGas = dryFill.gasRequired.toBigInt();
  const dryFillOog = await api.call.qvmApi.call(alice.address, C.spam, 0, 'fill', u32le(0, 0xffffffff), null);
  const fillOogErr = dryFillOog.result.isErr ? moduleErrorName(dryFillOog.result.asErr) : 'ok';
  if (fillOogErr !== 'qvm.OutOfGas') throw new Error(`unbounded fill dry run: expected qvm.OutOfGas, got ${fillOogErr}`);
  C.fillOogGas = dryFillOog.gasUsed.toBigInt();
  // Fee estimates of the maximum-gas calls, to check they are charged in full.
  C.loopFee = (await api.tx.qvm.call(C.spam, 0, 'spin', '0x', C.loopGas, null).paymentInfo(accounts[0].pair)).partialFee.toBigInt();
  C.fillOogFee = (await api.tx.qvm.call(C.spam, 0, 'fill', u32le(0, 0xffffffff), C.fillOogGas, null).paymentInfo(accounts[0].pair)).partialFee.toBigInt();
  // A correctly signed transfer from Alice with nonce 0: stale once Alice has used nonce 0.
  const staleHex = api.tx.balances.transferKeepAlive(accounts[0].address, 1).sign(alice, signOptions(0)).toHex();
  C.aliceStaleTx = () => staleHex;
  report.setup.contracts = {
    token: C.token,
    spam: C.spam,
    spamWasmBytes: SPAM_WASM.length,
    gas: { tokenDeploy: dryDeploy.gasRequired.toBigInt(), maxGasLoop: C.loopGas, fill: C.fillGas, fillKeys: P.fillKeys, fillUntilOutOfGas: C.fillOogGas },
    feeEstimate: { maxGasLoop: C.loopFee, fillUntilOutOfGas: C.fillOogFee },
  };
  log(`spam contract ${C.spam} (${SPAM_WASM.length} bytes); max gas ${C.loopGas} (fee ${C.loopFee}), fill of ${P.fillKeys} keys ${C.fillGas} gas`);

  for (const a of accounts) a.nonce = (await api.rpc.system.accountNextIndex(a.address)).toNumber();
}

// ---------------------------------------------------------------- run
async function run() {
  phase = 'setup';
  await setup();
  report.rss.loadStartKiB = sampleRss();
  // Let the setup blocks be scanned before the load window opens.
  await scanChain;
  loadStart = best;
  phase = 'load';
  log(`load phase: from block ${loadStart} for ${P.blocks} blocks`);
  tick(best);
  let lastLog = best;
  while (best - loadStart < P.blocks) {
    if (!(await waitHead(4 * W.targetMs))) note(`no new block for ${4 * W.targetMs} ms at best ${best}`);
    if (!nodeAlive()) throw new Error(`qvm-node (pid ${P.nodePid}) died at block ${best}`);
    if (best - lastLog >= 10) {
      lastLog = best;
      log(`block ${best}: finalized ${finalized}, tracked in pool ${tracked.size}, submissions ${records.length}, rss ${(readRssKiB() ?? 0) / 1024 | 0} MiB`);
    }
  }
  loadEnd = best;
  phase = 'drain';
  log(`load phase done at block ${loadEnd}; draining (${tracked.size} submitted, not yet included)`);
  // Wait for queued jobs to be submitted, then for everything accepted to be included.
  await Promise.race([Promise.all(accounts.map((a) => a.chain)), new Promise((r) => setTimeout(r, 30000))]);
  const drainUntil = best + P.drainBlocks;
  while (best < drainUntil) {
    await scanChain;
    if (tracked.size === 0) break;
    await waitHead(4 * W.targetMs);
    if (!nodeAlive()) throw new Error(`qvm-node (pid ${P.nodePid}) died while draining`);
  }
  await scanChain;
  report.drain = { blocks: best - loadEnd, stillInPool: tracked.size };
  if (tracked.size) {
    const pool = await api.rpc.author.pendingExtrinsics().catch(() => []);
    report.drain.poolSize = pool.length;
  }
  phase = 'finality';
  const finUntil = Date.now() + 5 * W.targetMs;
  while (best - finalized > 2 && Date.now() < finUntil) await new Promise((r) => setTimeout(r, 500));
  report.node.endLag = best - finalized;
  report.node.endBest = best;
  report.node.endFinalized = finalized;
  phase = 'checks';
  await checks();
  summarize();
  evaluate();
  await finish();
}

async function checks() {
  // Token balances: sum of balance_of over all holders == total supply, each as the ledger says.
  const balanceOf = async (address) =>
    output(api, await api.call.qvmApi.call(C.alice.address, C.token, 0, 'balance_of', encode(api, 'AccountId32', address), null), 'u128').toBigInt();
  const holders = [[-1, C.alice.address], ...accounts.map((a) => [a.i, a.address])];
  let sum = 0n;
  const mismatches = [];
  for (const [i, address] of holders) {
    const b = await balanceOf(address);
    sum += b;
    if (b !== ledger.get(i)) mismatches.push({ account: i, onChain: b, expected: ledger.get(i) });
  }
  const total = output(api, await api.call.qvmApi.call(C.alice.address, C.token, 0, 'total_supply', '0x', null), 'u128').toBigInt();
  report.balances = { holders: holders.length, sum, totalSupply: total, deployedSupply: C.supply, ledgerMismatches: mismatches };

  // Storage spam: the last bounded fill's keys are there, the out-of-gas fill left nothing.
  const key = (i) => u32le(i);
  const fills = records.filter((r) => r.kind === 'fill' && r.success);
  const keysWritten = fills.reduce((s, r) => s + r.meta.count, 0);
  let lastFillPresent = null;
  if (fills.length) {
    const last = fills[fills.length - 1].meta;
    const v = await api.call.qvmApi.getStorage(C.spam, key(last.start + last.count - 1));
    lastFillPresent = v.isOk && v.asOk.isSome;
  }
  const oog = await api.call.qvmApi.getStorage(C.spam, key(0));
  report.storage = {
    fillsCommitted: fills.length,
    keysWritten,
    bytesWritten: keysWritten * 36,
    lastFillKeyPresent: lastFillPresent,
    outOfGasFillRolledBack: oog.isOk && oog.asOk.isNone,
    codeUploadsStored: records.filter((r) => r.kind === 'codeUpload' && r.success).length,
  };

  // The node: alive, answers RPC and dry runs, still produces blocks.
  const r = { alive: nodeAlive() };
  try {
    const health = await api.rpc.system.health();
    r.health = health.toJSON();
    const before = best;
    r.dryRunOk = (await balanceOf(C.alice.address)) === ledger.get(-1);
    r.newBlockAfterLoad = (await waitHead(3 * W.targetMs)) && best > before;
    r.rpcOk = true;
  } catch (e) {
    r.rpcOk = false;
    r.error = errMsg(e);
  }
  report.rss.endKiB = sampleRss();
  Object.assign(report.node, r);
  if (P.nodeLog && existsSync(P.nodeLog)) report.node.log = parseNodeLog(readFileSync(P.nodeLog, 'utf8'));
}

/** Block-proposal times and end reasons, warnings and errors from the node's log. */
function parseNodeLog(text) {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const proposals = [];
  const ends = {};
  const problems = {};
  for (const [i, line] of lines.entries()) {
    const m = /Prepared block for proposing at (\d+) \((\d+) ms\)/.exec(line);
    if (m) {
      const n = Number(m[1]);
      const e = /end: ([A-Za-z]+)/.exec(line)?.[1] ?? '?';
      if (loadStart !== null && n > loadStart && n <= (loadEnd ?? Infinity)) {
        proposals.push(Number(m[2]));
        ends[e] = (ends[e] ?? 0) + 1;
      }
      continue;
    }
    const w = /\b(WARN|ERROR)\b\s+(?:tokio-runtime-worker\s+)?([\w:-]+)?\s*(.*)$/.exec(line);
    if (w || /panicked/.test(line)) {
      // Substrate's runtime API entry points panic (inside the wasm instance, caught by the
      // executor) on input that does not decode, e.g. garbage sent to validate_transaction; the
      // message says so. Counted apart: it is not a panic of the node or of QVM code.
      const benign = !w && /Nothing bad happened/.test(lines[i + 1] ?? '');
      const k = w ? `${w[1]} ${(w[3] ?? '').replace(/0x[0-9a-f]+/g, '0x…').replace(/\d+/g, 'N').slice(0, 90)}` : benign ? 'runtime API input decode failure (garbage)' : 'panic';
      problems[k] = (problems[k] ?? 0) + 1;
    }
  }
  return { proposalMs: stats(proposals), proposalEnd: ends, warningsAndErrors: problems };
}

// ---------------------------------------------------------------- summary and assertions
function stats(xs) {
  if (!xs.length) return { count: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (v) => Math.round(v * 1000) / 1000;
  return { count: s.length, min: r(s[0]), p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1]), avg: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

function summarize() {
  const end = loadEnd ?? best;
  const win = [...blocks.values()].filter((b) => loadStart !== null && b.number > loadStart && b.number <= end).sort((a, b) => a.number - b.number);
  const hi = W.targetMs * 1.1;
  const intervals = [];
  const tsIntervals = [];
  for (const b of win) {
    const t = arrivals.get(b.number);
    const tp = arrivals.get(b.number - 1);
    if (t !== undefined && tp !== undefined) intervals.push(t - tp);
    const prev = blocks.get(b.number - 1);
    if (b.timestamp && prev?.timestamp) tsIntervals.push(b.timestamp - prev.timestamp);
  }
  // On time: a block reaches the client no later than 10% of the block time after its slot
  // (its timestamp), beyond the median such delay (authoring, import and notification take a
  // roughly constant time). Measured per block, one late block counts once (in arrival
  // intervals it would count twice: the long interval before it and the short one after).
  const delays = win
    .filter((b) => arrivals.has(b.number) && b.timestamp)
    .map((b) => arrivals.get(b.number) - b.timestamp);
  const medianDelay = delays.length ? [...delays].sort((a, b) => a - b)[Math.floor(delays.length / 2)] : 0;
  const onTime = delays.filter((d) => d - medianDelay <= hi - W.targetMs).length;
  const lags = win.map((b) => b.lagAtArrival).filter((x) => x !== undefined);
  report.blocks = {
    window: loadStart === null ? null : { from: loadStart + 1, to: end, count: win.length },
    targetMs: W.targetMs,
    arrivalIntervalMs: stats(intervals),
    arrivalDelayMs: { ...stats(delays), median: medianDelay },
    onTime: { within10pct: onTime, of: delays.length, pct: delays.length ? Math.round((onTime * 1000) / delays.length) / 10 : 0 },
    timestampIntervalMs: stats(tsIntervals),
    missedSlots: tsIntervals.filter((d) => d >= 1.5 * W.targetMs).length,
    finalityLag: { ...stats(lags), end: report.node.endLag },
    normalRefTimePct: stats(win.map((b) => b.refTimePct).filter((x) => x != null)),
    normalProofSizePct: stats(win.map((b) => b.proofPct).filter((x) => x != null)),
    extrinsicsPerBlock: stats(win.map((b) => b.extrinsics).filter((x) => x != null)),
    signedPerBlock: stats(win.map((b) => b.signed).filter((x) => x != null)),
    failedPerBlock: stats(win.map((b) => b.failed).filter((x) => x != null)),
    errors: win.reduce((acc, b) => { for (const [k, v] of Object.entries(b.errors ?? {})) acc[k] = (acc[k] ?? 0) + v; return acc; }, {}),
    perBlock: win.map((b) => ({
      n: b.number,
      dtMs: arrivals.has(b.number - 1) && arrivals.has(b.number) ? arrivals.get(b.number) - arrivals.get(b.number - 1) : null,
      lag: b.lagAtArrival,
      ref: b.refTimePct,
      proof: b.proofPct,
      xt: b.extrinsics,
      ok: b.ok,
      fail: b.failed,
      kinds: b.kinds,
      rssMiB: b.rssKiB ? Math.round(b.rssKiB / 1024) : null,
    })),
  };
  // Outcomes per kind and variant.
  const out = {};
  for (const r of records) {
    const k = out[r.kind] ??= { submitted: 0, refused: 0, included: 0, succeeded: 0, failed: 0, skipped: 0, notIncluded: 0, errors: {}, refusals: {}, variants: {} };
    k.submitted++;
    const v = k.variants[r.variant] ??= { submitted: 0, refused: 0, succeeded: 0, failed: 0, notIncluded: 0 };
    v.submitted++;
    if (r.skipped) { k.skipped++; continue; }
    if (r.accepted === false) {
      k.refused++; v.refused++;
      const msg = r.rejected.replace(/0x[0-9a-f]+/gi, '0x…');
      k.refusals[msg] = (k.refusals[msg] ?? 0) + 1;
    } else if (r.block !== undefined) {
      k.included++;
      if (r.success) { k.succeeded++; v.succeeded++; } else {
        k.failed++; v.failed++;
        k.errors[r.error] = (k.errors[r.error] ?? 0) + 1;
      }
    } else { k.notIncluded++; v.notIncluded++; }
  }
  for (const kind of ['loop', 'fillUntilOutOfGas']) {
    const inc = records.filter((r) => r.kind === kind && r.block !== undefined);
    if (out[kind] && inc.length) {
      out[kind].feePaid = stats(inc.map((r) => Number(r.fee)));
      out[kind].refTimeChargedMs = stats(inc.map((r) => Number(r.refTime) / 1e9));
      out[kind].proofSizeChargedKiB = stats(inc.map((r) => Number(r.proofSize) / 1024));
      out[kind].inclusionDelayBlocks = stats(inc.map((r) => r.inclusionDelayBlocks));
    }
  }
  report.outcomes = out;
  const honest = records.filter((r) => r.kind === 'honest');
  const inc = honest.filter((r) => r.block !== undefined);
  report.honest = {
    submitted: honest.filter((r) => r.accepted).length,
    refused: honest.filter((r) => r.accepted === false).length,
    dryRunFailures: honest.filter((r) => r.skipped).length,
    included: inc.length,
    succeeded: inc.filter((r) => r.success).length,
    failed: inc.filter((r) => !r.success).map((r) => r.error),
    notIncluded: honest.filter((r) => r.accepted && r.block === undefined).length,
    inclusionDelayBlocks: stats(inc.map((r) => r.inclusionDelayBlocks)),
    gasUsedEqualsDryRun: inc.filter((r) => r.success && r.gasUsed === r.meta.dryGas).length,
  };
  const rss = rssSamples.map(([, k]) => k);
  report.rss.samples = rss.length;
  report.rss.maxKiB = rss.length ? Math.max(...rss) : null;
  const mib = (k) => (k == null ? null : Math.round(k / 102.4) / 10);
  report.rss.MiB = { atConnect: mib(report.rss.atConnectKiB), loadStart: mib(report.rss.loadStartKiB), max: mib(report.rss.maxKiB), end: mib(report.rss.endKiB ?? rss[rss.length - 1]) };
  report.rss.growthMiB = report.rss.MiB.end != null && report.rss.MiB.loadStart != null ? Math.round((report.rss.MiB.end - report.rss.MiB.loadStart) * 10) / 10 : null;
  report.rss.series = rssSamples.filter((_, i) => i % Math.max(1, Math.floor(rssSamples.length / 40)) === 0).map(([s, k]) => [s, mib(k)]);
}

function evaluate() {
  const A = (name, ok, detail) => report.assertions.push({ name, ok: !!ok, detail });
  const b = report.blocks;
  A(`≥ ${P.blocks} blocks under load`, b.window && b.window.count >= P.blocks, `${b.window?.count ?? 0} blocks`);
  A(`≥ ${P.minOnTimePct}% of blocks arrive within 10% of ${W.targetMs} ms of their slot (beyond the median delay)`, b.onTime.pct >= P.minOnTimePct, `${b.onTime.within10pct}/${b.onTime.of} = ${b.onTime.pct}%; median delay ${b.arrivalDelayMs.median} ms`);
  A(`finality lag ≤ ${P.maxLag} during load and ≤ ${P.maxEndLag} at the end`, (b.finalityLag.max ?? 0) <= P.maxLag && report.node.endLag <= P.maxEndLag, `max ${b.finalityLag.max}, end ${report.node.endLag}`);
  A('no block over its normal weight limit', (b.normalRefTimePct.max ?? 0) <= 100 && (b.normalProofSizePct.max ?? 0) <= 100, `ref_time max ${b.normalRefTimePct.max}%, proof max ${b.normalProofSizePct.max}%`);
  const h = report.honest;
  A('every honest transfer accepted, included and successful', h.submitted > 0 && h.refused === 0 && h.dryRunFailures === 0 && h.notIncluded === 0 && h.succeeded === h.submitted,
    `${h.succeeded}/${h.submitted} succeeded, ${h.refused} refused, ${h.dryRunFailures} dry-run failures, ${h.notIncluded} not included, failed: ${JSON.stringify(h.failed)}`);
  const bal = report.balances;
  A('token balances add up (Σ balance_of == total supply, each as the ledger says)', bal.sum === bal.totalSupply && bal.totalSupply === bal.deployedSupply && bal.ledgerMismatches.length === 0,
    `Σ ${bal.sum} vs supply ${bal.totalSupply}; ${bal.ledgerMismatches.length} ledger mismatches`);

  // Spam: refused by the pool, or included as failed with a named module error and charged.
  const bad = [];
  for (const r of records.filter((x) => x.kind !== 'honest')) {
    const label = `${r.kind}/${r.variant}`;
    if (r.skipped) { bad.push(`${label} not submitted: ${r.buildError}`); continue; }
    if (r.accepted === false) {
      if (r.expect !== 'refused' && r.kind !== 'garbage') bad.push(`${label} refused: ${r.rejected}`);
      continue;
    }
    if (r.expect === 'refused' || r.kind === 'garbage') bad.push(`${label} accepted by the pool (must be refused)`);
    if (r.block === undefined) { bad.push(`${label} accepted but not included`); continue; }
    if (r.expect === 'success') {
      if (!r.success) bad.push(`${label} failed: ${r.error}`);
      else if (!(r.fee > 0n)) bad.push(`${label} not charged`);
      continue;
    }
    if (r.success) { bad.push(`${label} succeeded`); continue; }
    if (!isNamedModuleError(r.error)) { bad.push(`${label} failed without a named module error: ${r.error}`); continue; }
    if (Array.isArray(r.expect) && !r.expect.includes(r.error)) bad.push(`${label} failed with ${r.error}, expected ${r.expect.join('|')}`);
    if (r.expect === 'any-qvm' && !r.error.startsWith('qvm.')) bad.push(`${label} failed with ${r.error}`);
    if (!(r.fee > 0n)) bad.push(`${label} not charged`);
    if (r.kind === 'loop' && r.fee * 10n < C.loopFee * 9n) bad.push(`${label} charged ${r.fee} < 90% of the estimated ${C.loopFee}`);
    if (r.kind === 'fillUntilOutOfGas' && r.fee * 10n < C.fillOogFee * 9n) bad.push(`${label} charged ${r.fee} < 90% of the estimated ${C.fillOogFee}`);
  }
  const spamKinds = ['loop', 'fill', 'fillUntilOutOfGas', 'codeUpload', 'malformed', 'refused', 'garbage'];
  const counts = spamKinds.map((k) => `${k} ${report.outcomes[k]?.submitted ?? 0}`).join(', ');
  A('every spam extrinsic refused, or included as expected (failed with a named module error and charged; storage spam succeeded)', bad.length === 0 && spamKinds.every((k) => (report.outcomes[k]?.submitted ?? 0) > 0),
    bad.length ? `${bad.length} bad, first: ${bad.slice(0, 5).join('; ')}` : counts);
  const s = report.storage;
  A('storage spam committed (last fill present), the out-of-gas fill rolled back', s.fillsCommitted > 0 && s.lastFillKeyPresent && s.outOfGasFillRolledBack,
    `${s.fillsCommitted} fills, ${s.keysWritten} keys; last present ${s.lastFillKeyPresent}; key 0 absent ${s.outOfGasFillRolledBack}`);
  const r = report.rss;
  A(`node RSS growth ≤ ${P.maxRssGrowthMiB} MiB`, r.growthMiB === null ? !P.nodePid : r.growthMiB <= P.maxRssGrowthMiB,
    `${r.MiB.loadStart} → ${r.MiB.end} MiB (max ${r.MiB.max})`);
  const n = report.node;
  const panics = n.log ? Object.keys(n.log.warningsAndErrors).filter((k) => k === 'panic').length : 0;
  A('node alive and responsive at the end (RPC, dry run, new block), no panic in its log', n.alive && n.rpcOk && n.dryRunOk && n.newBlockAfterLoad && panics === 0,
    `alive ${n.alive}, rpc ${n.rpcOk}, dry run ${n.dryRunOk}, new block ${n.newBlockAfterLoad}, panics ${panics}`);
}

function printReport() {
  const b = report.blocks;
  const o = report.outcomes ?? {};
  const line = (s) => console.log(s);
  line('\n================ qvm-node load test ================');
  if (report.setup.contracts) {
    const g = report.setup.contracts.gas;
    line(`setup: ${P.accounts} accounts, token ${C.token?.slice(0, 10)}…, spam contract ${C.spam?.slice(0, 10)}…; max gas ${g.maxGasLoop}, fill(${P.fillKeys} keys) ${g.fill} gas`);
  }
  if (b?.window) {
    line(`blocks ${b.window.from}..${b.window.to} (${b.window.count}), target ${b.targetMs} ms`);
    line(`  arrival interval ms: p50 ${b.arrivalIntervalMs.p50} p95 ${b.arrivalIntervalMs.p95} min ${b.arrivalIntervalMs.min} max ${b.arrivalIntervalMs.max}; arrival after slot ms: median ${b.arrivalDelayMs.median} max ${b.arrivalDelayMs.max}; on time: ${b.onTime.within10pct}/${b.onTime.of} = ${b.onTime.pct}%`);
    line(`  timestamp interval ms: min ${b.timestampIntervalMs.min} max ${b.timestampIntervalMs.max}; missed slots ${b.missedSlots}`);
    line(`  finality lag: avg ${b.finalityLag.avg} max ${b.finalityLag.max} end ${b.finalityLag.end}`);
    line(`  normal weight used: ref_time avg ${b.normalRefTimePct.avg}% max ${b.normalRefTimePct.max}%; proof_size avg ${b.normalProofSizePct.avg}% max ${b.normalProofSizePct.max}%`);
    line(`  extrinsics/block: avg ${b.extrinsicsPerBlock.avg} max ${b.extrinsicsPerBlock.max}; failed/block avg ${b.failedPerBlock.avg}`);
    line(`  dispatch errors: ${JSON.stringify(b.errors)}`);
  }
  const nl = report.node?.log;
  if (nl) line(`  node: proposal ms p50 ${nl.proposalMs.p50} p95 ${nl.proposalMs.p95} max ${nl.proposalMs.max}; ends ${JSON.stringify(nl.proposalEnd)}; warn/error kinds ${Object.keys(nl.warningsAndErrors).length}`);
  for (const [kind, k] of Object.entries(o)) {
    line(`${kind.padEnd(18)} submitted ${k.submitted}, refused ${k.refused}, included ${k.included} (ok ${k.succeeded}, failed ${k.failed}), not included ${k.notIncluded}${k.skipped ? `, skipped ${k.skipped}` : ''}`);
    if (Object.keys(k.errors).length) line(`${''.padEnd(18)} errors ${JSON.stringify(k.errors)}`);
    if (Object.keys(k.refusals).length) line(`${''.padEnd(18)} refusals ${JSON.stringify(k.refusals).slice(0, 600)}`);
    if (k.feePaid) line(`${''.padEnd(18)} fee avg ${k.feePaid.avg} (estimate ${kind === 'loop' ? C.loopFee : C.fillOogFee}), ref_time charged avg ${k.refTimeChargedMs.avg} ms, proof charged avg ${k.proofSizeChargedKiB.avg} KiB, delay p50 ${k.inclusionDelayBlocks.p50} max ${k.inclusionDelayBlocks.max} blocks`);
  }
  const h = report.honest;
  if (h?.submitted !== undefined) line(`honest transfers: ${h.submitted} submitted, ${h.included} included, ${h.succeeded} ok, ${h.notIncluded} not included; delay p50 ${h.inclusionDelayBlocks.p50} max ${h.inclusionDelayBlocks.max} blocks; gas used == dry run: ${h.gasUsedEqualsDryRun}`);
  if (report.balances?.sum !== undefined) line(`token: Σ balance_of ${report.balances.sum} == total supply ${report.balances.totalSupply}; ledger mismatches ${report.balances.ledgerMismatches.length}`);
  if (report.storage?.keysWritten !== undefined) line(`storage spam: ${report.storage.fillsCommitted} fills, ${report.storage.keysWritten} keys committed, ${report.storage.codeUploadsStored} code uploads stored`);
  if (report.rss?.MiB) line(`node RSS MiB: connect ${report.rss.MiB.atConnect}, load start ${report.rss.MiB.loadStart}, max ${report.rss.MiB.max}, end ${report.rss.MiB.end} (growth ${report.rss.growthMiB})`);
  if (report.notes.length) line(`notes: ${report.notes.slice(0, 10).join(' | ')}`);
  line('assertions:');
  for (const a of report.assertions) line(`  ${a.ok ? 'PASS' : 'FAIL'} ${a.name} — ${a.detail}`);
  line(`${report.assertions.filter((a) => a.ok).length} passed, ${report.assertions.filter((a) => !a.ok).length} failed`);
}

run().catch(async (e) => {
  note(`aborted: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' ') : e}`);
  try { summarize(); } catch { /* partial report */ }
  await finish(`aborted in phase ${phase}: ${errMsg(e)}`);
});
