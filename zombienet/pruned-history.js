// zombienet js-script: dave runs with `--state-pruning=8`: once the chain has finalized well past
// block #1, dave refuses the state of block #1 (pruned) that alice (default pruning, 256 blocks)
// still serves, and keeps serving the token state of the latest blocks. Returns 1.
const fs = require('fs');
const path = require('path');
const { balanceOf, eventually, ApiPromise, WsProvider } = require('./token-across-nodes.js');

async function run(_nodeName, networkInfo) {
  const uri = (name) => networkInfo.relay.find((n) => n.name === name).wsUri;
  const token = fs.readFileSync(path.join(networkInfo.tmpDir, 'token.txt'), 'utf8').trim();
  const connect = (n) => ApiPromise.create({ provider: new WsProvider(uri(n), 1000), noInitWarn: true });
  const [alice, dave] = await Promise.all([connect('alice'), connect('dave')]);
  try {
    const first = await alice.rpc.chain.getBlockHash(1);
    const key = alice.query.system.number.key();
    const serves = (api) => api.rpc.state.getStorage(key, first).then(() => true, () => false);
    await eventually('dave to prune the state of block #1', 180, async () => !(await serves(dave)));
    if (!(await serves(alice))) throw new Error('alice (archive window 256) lost the state of block #1');
    const bobKey = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
    const held = await balanceOf(dave, bobKey, token, bobKey);
    if (held !== 250n) throw new Error(`bob's token balance read via dave: ${held}`);
    const finalized = (await dave.rpc.chain.getHeader(await dave.rpc.chain.getFinalizedHead())).number.toNumber();
    console.log(`dave (--state-pruning=8) pruned block #1's state at finalized #${finalized}, still serves the token state`);
    return 1;
  } finally {
    await Promise.all([alice.disconnect(), dave.disconnect()]);
  }
}

module.exports = { run };
