// zombienet js-script, after `bob: restart`: bob's node catches up with alice's best block,
// finality goes on past where it was, and bob still serves the token state written before the
// restart (token-across-nodes.js left its address in the network's tmp dir). Returns 1.
const fs = require('fs');
const path = require('path');
const { balanceOf, eventually, ApiPromise, WsProvider } = require('./token-across-nodes.js');

async function run(_nodeName, networkInfo) {
  const uri = (name) => networkInfo.relay.find((n) => n.name === name).wsUri;
  const token = fs.readFileSync(path.join(networkInfo.tmpDir, 'token.txt'), 'utf8').trim();
  const connect = (n) => ApiPromise.create({ provider: new WsProvider(uri(n), 1000), noInitWarn: true });
  const [alice, bob] = await Promise.all([connect('alice'), connect('bob')]);
  try {
    const number = async (api, finalized) => {
      const header = finalized
        ? await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
        : await api.rpc.chain.getHeader();
      return header.number.toNumber();
    };
    const target = await number(alice, false);
    const finalizedBefore = await number(alice, true);
    await eventually(`bob to reach #${target}`, 180, async () => (await number(bob, false)) >= target);
    await eventually('finality to go on', 180, async () => (await number(bob, true)) >= finalizedBefore + 2);
    const bobKey = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
    const held = await balanceOf(bob, bobKey, token, bobKey);
    if (held !== 250n) throw new Error(`bob's token balance after the restart: ${held}`);
    console.log(`bob caught up to #${target}; finalized ${finalizedBefore} -> ${await number(bob, true)}; token state kept`);
    return 1;
  } finally {
    await Promise.all([alice.disconnect(), bob.disconnect()]);
  }
}

module.exports = { run };
