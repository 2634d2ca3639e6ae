// zombienet js-script, last in solochain.zndsl: a full node that joins the running network late
// with `--sync warp` (zombienet starts every node of a spec at once, so this script starts it:
// `qvm-node` from PATH, base path under the network's tmp dir, where scripts/network.sh stops
// it). It must warp (GRANDPA finality proof, then the state of a finalized block — contract child
// tries included — without executing the blocks before it), reach the validators' best block,
// and hold the same contract state as alice. Returns 1.
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const { balanceOf, eventually, ApiPromise, WsProvider } = require('./token-across-nodes.js');

/** A TCP port free on loopback now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function run(_nodeName, networkInfo) {
  const uri = (name) => networkInfo.relay.find((n) => n.name === name).wsUri;
  const token = fs.readFileSync(path.join(networkInfo.tmpDir, 'token.txt'), 'utf8').trim();
  const connect = (u) => ApiPromise.create({ provider: new WsProvider(u, 1000), noInitWarn: true });
  const peers = await Promise.all(['alice', 'bob', 'charlie', 'dave'].map((n) => connect(uri(n))));
  const alice = peers[0];
  const base = path.join(networkInfo.tmpDir, 'eve');
  const logPath = path.join(networkInfo.tmpDir, 'eve.log');
  let eve = null;
  let child = null;
  try {
    // Every peer's listen addresses (loopback): warp sync starts once it has 3 peers.
    const bootnodes = (await Promise.all(peers.map((a) => a.rpc.system.localListenAddresses())))
      .flatMap((addrs) => addrs.map((a) => a.toString()).filter((a) => a.startsWith('/ip4/127.0.0.1/tcp/')));
    const number = async (api, finalized) => {
      const header = finalized
        ? await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
        : await api.rpc.chain.getHeader();
      return header.number.toNumber();
    };
    const bestAtJoin = await number(alice, false);
    const rpcPort = await freePort();
    const log = fs.openSync(logPath, 'a');
    const args = [
      '--chain', networkInfo.chainSpecPath, '--base-path', base, '--name', 'eve',
      '--sync', 'warp', '--port', String(await freePort()), '--rpc-port', String(rpcPort),
      '--no-prometheus', '--no-telemetry', '--no-mdns', '--bootnodes', ...bootnodes,
    ];
    child = spawn('qvm-node', args, { stdio: ['ignore', log, log] });
    child.on('error', (e) => console.log(`eve: ${e.message}`));
    await eventually('eve to serve RPC', 60, async () => {
      try {
        eve = await connect(`ws://127.0.0.1:${rpcPort}`);
        return true;
      } catch (_) { return false; }
    });
    const warped = () => fs.readFileSync(logPath, 'utf8').match(/Warp sync is complete[\s\S]*?State sync is complete[\s\S]*?Imported #(\d+)/);
    await eventually('eve to warp, download the state and import a block', 240, async () => warped() !== null);
    const firstImported = Number(warped()[1]);
    // Caught up: eve's best block at least the validators' best when it joined, and alice's
    // latest finalized block imported by eve with the same state root and contract record.
    await eventually(`eve to reach #${bestAtJoin}`, 180, async () => (await number(eve, false)) >= bestAtJoin);
    let finalized = null;
    await eventually('one state at a finalized block', 120, async () => {
      const block = await alice.rpc.chain.getFinalizedHead();
      const seen = await Promise.all([alice, eve].map(async (a) => {
        try {
          const root = (await a.rpc.chain.getHeader(block)).stateRoot.toHex();
          const info = (await (await a.at(block)).query.qvm.contractInfoOf(token)).toHex();
          return `${root}/${info}`;
        } catch (_) { return null; }
      }));
      finalized = block;
      return seen[0] !== null && seen[0] === seen[1] && !seen[0].endsWith('/0x00');
    });
    const bobKey = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
    const held = await balanceOf(eve, bobKey, token, bobKey);
    if (held !== 250n) throw new Error(`bob's token balance read via eve: ${held}`);
    // Warped, not executed from genesis: the state of block 1 was never computed on eve.
    const first = await alice.rpc.chain.getBlockHash(1);
    const early = await eve.rpc.state.getStorage(alice.query.system.number.key(), first).then(() => true, () => false);
    if (early) throw new Error('eve has the state of block #1: it did not warp');
    const at = (await eve.rpc.chain.getHeader(finalized)).number.toNumber();
    console.log(`eve warp-synced (joined at #${bestAtJoin}, first block executed #${firstImported}), same state root and token state as alice at finalized #${at}; no state before its warp target`);
    return 1;
  } finally {
    if (eve) await eve.disconnect();
    await Promise.all(peers.map((a) => a.disconnect()));
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => { child.once('exit', r); setTimeout(r, 10000); });
    }
  }
}

module.exports = { run };
