// zombienet js-script: the token example deployed on the parachain through its collator, a
// transfer to Bob, and the relay chain's view: the parachain head the relay chain has included
// (`paras.heads(1000)`) reaches the block holding the transfer. Throws on any mismatch; returns 1.
const fs = require('fs');
const path = require('path');
const { balanceOf, eventually, submit, ApiPromise, WsProvider, Keyring, cryptoWaitReady } = require('./token-across-nodes.js');

const PARA_ID = 1000;
const wasm = fs.readFileSync(path.join(__dirname, '../contracts/examples/target-wasm/token.wasm'));
const hex = (u8) => '0x' + Buffer.from(u8).toString('hex');

async function run(_nodeName, networkInfo) {
  const collator = networkInfo.paras[PARA_ID].nodes.find((n) => n.name === 'collator');
  const relayAlice = networkInfo.relay.find((n) => n.name === 'alice');
  const para = await ApiPromise.create({ provider: new WsProvider(collator.wsUri), noInitWarn: true });
  const relay = await ApiPromise.create({ provider: new WsProvider(relayAlice.wsUri), noInitWarn: true });
  try {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');

    const ctor = para.createType('(Text, Text, u128)', ['Para', 'PARA', 1000]).toHex();
    const dry = await para.call.qvmApi.deploy(alice.address, hex(wasm), 0, ctor, null, null);
    if (!dry.result.isOk) throw new Error(`dry-run deploy failed: ${dry.result}`);
    const deployed = await submit(para, para.tx.qvm.deploy(hex(wasm), 0, ctor, dry.gasRequired, null, null), alice);
    const token = deployed.events.find((e) => e.section === 'qvm' && e.method === 'Deployed').data.contract.toHex();
    const args = para.createType('(AccountId32, u128)', [bob.address, 250]).toHex();
    const t = await para.call.qvmApi.call(alice.address, token, 0, 'transfer', args, null);
    const transfer = await submit(para, para.tx.qvm.call(token, 0, 'transfer', args, t.gasRequired, null), alice);
    const transferBlock = (await para.rpc.chain.getHeader(transfer.blockHash)).number.toNumber();
    if ((await balanceOf(para, alice.address, token, bob.address)) !== 250n) throw new Error('bob balance');

    // The relay chain includes a parachain head at or after the transfer's block.
    let included = 0;
    await eventually('the relay chain to include the transfer block', 300, async () => {
      const head = await relay.query.paras.heads(PARA_ID);
      if (head.isNone) return false;
      included = para.createType('Header', head.unwrap().toU8a(true)).number.toNumber();
      return included >= transferBlock;
    });
    console.log(`parachain token ${token}: deployed and transferred in parachain block #${transferBlock}; relay chain included parachain head #${included}`);
    return 1;
  } finally {
    await Promise.all([para.disconnect(), relay.disconnect()]);
  }
}

module.exports = { run };
