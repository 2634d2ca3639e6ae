// zombienet js-script: the token example deployed through alice, a transfer submitted through bob,
// and the balances read through charlie, who must hold the same contract state (storage root
// included) as the other two. Throws on any mismatch; returns 1.
const fs = require('fs');
const path = require('path');

// The e2e tests' polkadot.js (16.x): zombienet's own (14.x) does not decorate the QvmApi
// runtime calls from the metadata.
const e2e = (m) => require(path.join(__dirname, '../node/e2e/node_modules', m));
const { ApiPromise, WsProvider, Keyring } = e2e('@polkadot/api');
const { cryptoWaitReady } = e2e('@polkadot/util-crypto');

const wasm = fs.readFileSync(path.join(__dirname, '../contracts/examples/target-wasm/token.wasm'));
const hex = (u8) => '0x' + Buffer.from(u8).toString('hex');

/** Signs and submits `tx`; resolves with its events and block hash once it is in a block (rejects on error). */
function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (r) => {
      if (r.dispatchError) {
        const e = r.dispatchError.isModule ? api.registry.findMetaError(r.dispatchError.asModule) : null;
        reject(new Error(`dispatch failed: ${e ? `${e.section}.${e.name}` : r.dispatchError.toString()}`));
      } else if (r.status.isInBlock) {
        resolve({ events: r.events.map((e) => e.event), blockHash: r.status.asInBlock });
      } else if (r.isError) {
        reject(new Error(`transaction failed: ${r.status.toString()}`));
      }
    }).catch(reject);
  });
}

async function balanceOf(api, origin, token, who) {
  const args = api.createType('AccountId32', who).toHex();
  const r = await api.call.qvmApi.call(origin, token, 0, 'balance_of', args, null);
  if (!r.result.isOk || r.result.asOk.reverted.isTrue) throw new Error(`balance_of failed: ${r.result}`);
  return api.createType('u128', r.result.asOk.output.toU8a(true)).toBigInt();
}

/** Waits until `f()` resolves truthy, polling every second for up to `secs`. */
async function eventually(what, secs, f) {
  for (let i = 0; i < secs; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function run(_nodeName, networkInfo) {
  const uri = (name) => networkInfo.relay.find((n) => n.name === name).wsUri;
  const [viaAlice, viaBob, viaCharlie] = await Promise.all(
    ['alice', 'bob', 'charlie'].map((n) => ApiPromise.create({ provider: new WsProvider(uri(n)), noInitWarn: true })),
  );
  try {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');

    // Deploy through alice's node with the dry run's gas.
    const ctor = viaAlice.createType('(Text, Text, u128)', ['Net', 'NET', 1000]).toHex();
    const dry = await viaAlice.call.qvmApi.deploy(alice.address, hex(wasm), 0, ctor, null, null);
    if (!dry.result.isOk) throw new Error(`dry-run deploy failed: ${dry.result}`);
    const deployed = await submit(viaAlice, viaAlice.tx.qvm.deploy(hex(wasm), 0, ctor, dry.gasRequired, null, null), alice);
    const token = deployed.events.find((e) => e.section === 'qvm' && e.method === 'Deployed').data.contract.toHex();

    // Transfer through bob's node, once bob's node knows the contract.
    await eventually('bob to see the token', 60, async () => (await viaBob.call.qvmApi.codeHash(token)).isSome);
    const args = viaBob.createType('(AccountId32, u128)', [bob.address, 250]).toHex();
    const t = await viaBob.call.qvmApi.call(alice.address, token, 0, 'transfer', args, null);
    await submit(viaBob, viaBob.tx.qvm.call(token, 0, 'transfer', args, t.gasRequired, null), alice);

    // Read through charlie's node; then, at a finalized block after the transfer, every node has
    // the same state root and the same contract record.
    await eventually('charlie to see the transfer', 60, async () => (await balanceOf(viaCharlie, alice.address, token, bob.address)) === 250n);
    if ((await balanceOf(viaCharlie, alice.address, token, alice.address)) !== 750n) throw new Error('alice balance');
    await eventually('the transfer to be finalized everywhere', 120, async () => {
      // Alice's finalized block, as every node imported it: one state root for all.
      const block = await viaAlice.rpc.chain.getFinalizedHead();
      const seen = await Promise.all([viaAlice, viaBob, viaCharlie].map(async (a) => {
        try {
          const root = (await a.rpc.chain.getHeader(block)).stateRoot.toHex();
          const info = (await (await a.at(block)).query.qvm.contractInfoOf(token)).toHex();
          return `${root}/${info}`;
        } catch (_) { return null; }
      }));
      return seen[0] !== null && seen.every((x) => x === seen[0]) && !seen[0].endsWith('/0x00');
    });
    // For later scripts of the same network (catch-up.js).
    fs.writeFileSync(path.join(networkInfo.tmpDir, 'token.txt'), token);
    // Dave, a full node keeping only the last 8 blocks' state (`--state-pruning=8`), serves
    // the same recent contract state.
    const viaDave = await ApiPromise.create({ provider: new WsProvider(uri('dave')), noInitWarn: true });
    try {
      await eventually('dave to serve the transfer', 60, async () => (await balanceOf(viaDave, alice.address, token, bob.address)) === 250n);
    } finally {
      await viaDave.disconnect();
    }
    console.log(`token ${token}: deployed via alice, transfer via bob, read via charlie and the pruned full node dave; state equal on all validators`);
    return 1;
  } finally {
    await Promise.all([viaAlice, viaBob, viaCharlie].map((a) => a.disconnect()));
  }
}

module.exports = { run, submit, balanceOf, eventually, ApiPromise, WsProvider, Keyring, cryptoWaitReady };
