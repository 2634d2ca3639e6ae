// Sustained-load throughput of a running `qvm-node --dev` (benchmarking/node-load.sh runs it
// against a release node): deploys the token example, pre-signs QVM_TPUT_TRANSFERS (default
// 6,000) token transfers from Alice to two alternating recipients (dry-run gas, locally tracked
// nonces, immortal era), submits them all, then follows new blocks until every transfer is in
// or QVM_TPUT_TIMEOUT_S passes. Reports per block: transfers included, the normal class's
// ref-time and proof-size use, and (from the node's log, QVM_NODE_LOG) the authoring time and
// why the proposer ended the block (`HitDeadline`, `HitBlockWeightLimit`, `NoMoreTransactions`,
// ...). Prints `RESULT <name> <value> <unit>` lines for the suite's table; exits 1 if a transfer
// failed or the run timed out.
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { connect, tokenWasm, encode, submit, findEvent } from './lib.mjs';

const env = process.env;
const int = (v, d) => (v === undefined || v === '' ? d : Number.parseInt(v, 10));
const N = int(env.QVM_TPUT_TRANSFERS, 6000);
const TIMEOUT_S = int(env.QVM_TPUT_TIMEOUT_S, 600);
const T0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
const result = (name, value, unit = '') => console.log(`RESULT ${name} ${Number(value).toFixed(3)} ${unit}`);
const timer = setTimeout(() => {
  console.log(`timed out after ${TIMEOUT_S} s`);
  process.exit(1);
}, TIMEOUT_S * 1000);

const { api, alice, bob } = await connect();
const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie');

// Deploy the token (supply to Alice).
const ctor = encode(api, '(Text, Text, u128)', ['Load', 'LD', 10n ** 30n]);
const dryDeploy = await api.call.qvmApi.deploy(alice.address, u8aToHex(tokenWasm()), 0, ctor, null, null);
const deployed = await submit(api, api.tx.qvm.deploy(u8aToHex(tokenWasm()), 0, ctor, dryDeploy.gasRequired, null, null), alice);
if (deployed.error) throw new Error(`deploy failed: ${deployed.error}`);
const token = findEvent(deployed.events, 'qvm', 'Deployed').data.contract.toHex();
log(`token deployed at ${token}`);

// Pre-sign the transfers.
const recipients = [bob.address, charlie.address];
const args = recipients.map((r) => encode(api, '(AccountId32, u128)', [r, 1]));
const dry = await api.call.qvmApi.call(alice.address, token, 0, 'transfer', args[0], null);
if (!dry.result.isOk) throw new Error(`transfer dry run failed: ${dry.result.toString()}`);
const gas = dry.gasRequired.toBigInt();
let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
const options = (n) => ({
  blockHash: api.genesisHash,
  genesisHash: api.genesisHash,
  nonce: n,
  runtimeVersion: api.runtimeVersion,
  signedExtensions: api.registry.signedExtensions,
  version: api.extrinsicType,
});
const signed = [];
for (let k = 0; k < N; k++) {
  const tx = api.tx.qvm.call(token, 0, 'transfer', args[k % 2], gas, null);
  tx.sign(alice, options(nonce + k));
  signed.push(tx.toHex());
}
log(`${N} transfers signed (gas ${gas} each)`);

// Follow blocks from the next one on.
const first = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
const blocks = new Map();
let included = 0;
let failed = 0;
let done;
const allIn = new Promise((resolve) => { done = resolve; });
const unsub = await api.rpc.chain.subscribeNewHeads(async (header) => {
  const number = header.number.toNumber();
  if (number < first || blocks.has(number)) return;
  const hash = header.hash;
  const [block, events, weight] = await Promise.all([
    api.rpc.chain.getBlock(hash),
    api.query.system.events.at(hash),
    api.query.system.blockWeight.at(hash),
  ]);
  let transfers = 0;
  block.block.extrinsics.forEach((xt, i) => {
    if (xt.method.section !== 'qvm' || xt.method.method !== 'call') return;
    transfers++;
    const ok = events.some((r) => r.phase.isApplyExtrinsic && r.phase.asApplyExtrinsic.toNumber() === i
      && r.event.section === 'system' && r.event.method === 'ExtrinsicSuccess');
    if (!ok) failed++;
  });
  included += transfers;
  blocks.set(number, { transfers, refTime: weight.normal.refTime.toBigInt(), proof: weight.normal.proofSize.toBigInt(), at: Date.now() });
  log(`block ${number}: ${transfers} transfers (${included}/${N})`);
  if (included >= N) done();
});

const start = Date.now();
// Submit in order (one account: a gap in nonces would stall the rest).
for (let i = 0; i < signed.length; i += 200) {
  await Promise.all(signed.slice(i, i + 200).map((hex) => api.rpc.author.submitExtrinsic(hex)));
}
log(`${N} submitted in ${((Date.now() - start) / 1000).toFixed(1)} s`);
await allIn;
unsub();
clearTimeout(timer);

// The node's own account of each block it authored.
const authored = new Map();
if (env.QVM_NODE_LOG) {
  const re = /Prepared block for proposing at (\d+) \((\d+) ms\).*?end: (\w+)/;
  for (const line of readFileSync(env.QVM_NODE_LOG, 'utf8').split('\n')) {
    const m = re.exec(line);
    if (m) authored.set(Number(m[1]), { ms: Number(m[2]), end: m[3] });
  }
}
const maxWeight = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap();
const maxRef = maxWeight.refTime.toBigInt();
const maxProof = maxWeight.proofSize.toBigInt();
const full = [...blocks.entries()].filter(([, b]) => b.transfers > 0);
const ends = {};
let authorMs = 0;
let authoredTransfers = 0;
console.log('block  transfers  ref_time%  proof%  authoring_ms  end');
for (const [n, b] of full) {
  const a = authored.get(n);
  if (a) {
    ends[a.end] = (ends[a.end] ?? 0) + 1;
    authorMs += a.ms;
    authoredTransfers += b.transfers;
  }
  console.log(`${String(n).padStart(5)}  ${String(b.transfers).padStart(9)}  ${(Number(b.refTime * 10000n / maxRef) / 100).toFixed(1).padStart(8)}  ${(Number(b.proof * 10000n / maxProof) / 100).toFixed(1).padStart(6)}  ${String(a?.ms ?? '?').padStart(12)}  ${a?.end ?? '?'}`);
}
// The busiest blocks: all but the last (partly filled) one.
const busy = full.slice(0, -1).length ? full.slice(0, -1) : full;
const perBlock = busy.reduce((s, [, b]) => s + b.transfers, 0) / busy.length;
const seconds = (full.at(-1)[1].at - blocks.get(full[0][0]).at) / 1000 + 6;
result('node_transfers_per_block', perBlock);
result('node_transfers_per_s', included / seconds, '/s');
result('node_blocks_hit_deadline', ends.HitDeadline ?? 0);
result('node_blocks_hit_weight_limit', ends.HitBlockWeightLimit ?? 0);
if (authoredTransfers) result('node_authoring_us_per_transfer', (authorMs * 1000) / authoredTransfers, 'us');
console.log(`block end reasons: ${JSON.stringify(ends)}; failed transfers: ${failed}`);
await api.disconnect();
process.exit(failed === 0 ? 0 : 1);
