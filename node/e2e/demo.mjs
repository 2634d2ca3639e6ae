// Deploys the example token on a running qvm-node and transfers 100 to Bob, printing each step.
import { u8aToHex } from '@polkadot/util';
import { connect, tokenWasm, encode, submit, findEvent, dryCall, output } from './lib.mjs';

const { api, alice, bob } = await connect();
const ctor = encode(api, '(Text, Text, u128)', ['TestToken', 'TST', 1000]);
const dry = await api.call.qvmApi.deploy(alice.address, u8aToHex(tokenWasm()), 0, ctor, null, null);
console.log(`dry-run deploy: gas required ${dry.gasRequired}`);
const deployed = await submit(api, api.tx.qvm.deploy(u8aToHex(tokenWasm()), 0, ctor, dry.gasRequired, null, null), alice);
if (deployed.error) throw new Error(deployed.error);
const token = findEvent(deployed.events, 'qvm', 'Deployed').data.contract.toHex();
console.log(`token deployed at ${token} in block ${deployed.blockHash.toHex()}`);
const args = encode(api, '(AccountId32, u128)', [bob.address, 100]);
const gas = (await dryCall(api, alice.address, token, 'transfer', args)).gasRequired;
const sent = await submit(api, api.tx.qvm.call(token, 0, 'transfer', args, gas, null), alice);
if (sent.error) throw new Error(sent.error);
console.log(`transfer: gas used ${findEvent(sent.events, 'qvm', 'Called').data.gasUsed}`);
for (const [name, who] of [['alice', alice], ['bob', bob]]) {
  const r = await dryCall(api, alice.address, token, 'balance_of', encode(api, 'AccountId32', who.address));
  console.log(`${name}: ${output(api, r, 'u128')}`);
}
await api.disconnect();
