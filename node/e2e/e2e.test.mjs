// End-to-end: from an empty dev chain, deploy the token example and use it through polkadot.js:
// extrinsics, the QvmApi runtime API (dry runs, storage), events and decoded module errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex, u8aConcat, hexToU8a } from '@polkadot/util';
import { connect, tokenWasm, encode, submit, findEvent, dryCall, output } from './lib.mjs';

const { api, alice, bob } = await connect();
after(() => api.disconnect());

const state = {};

test('dry-run deploy reports gas and the future address', async () => {
  state.ctor = encode(api, '(Text, Text, u128)', ['TestToken', 'TST', 1000]);
  const dry = await api.call.qvmApi.deploy(alice.address, u8aToHex(tokenWasm()), 0, state.ctor, null, null);
  assert.ok(dry.result.isOk, `dry-run deploy failed: ${dry.result.toString()}`);
  assert.ok(dry.result.asOk[1].reverted.isFalse, 'constructor did not revert');
  assert.ok(dry.gasRequired.toBigInt() > 0n);
  state.deployGas = dry.gasRequired.toBigInt();
  state.expected = dry.result.asOk[0].toHex();
});

test('deploy the token with the estimated gas', async () => {
  const tx = api.tx.qvm.deploy(u8aToHex(tokenWasm()), 0, state.ctor, state.deployGas, null, null);
  const { events, error } = await submit(api, tx, alice);
  assert.equal(error, null);
  assert.ok(findEvent(events, 'qvm', 'CodeStored'));
  const deployed = findEvent(events, 'qvm', 'Deployed');
  assert.ok(deployed, 'Deployed event');
  state.token = deployed.data.contract.toHex();
  assert.equal(state.token, state.expected, 'dry run predicted the address');
  const minted = findEvent(events, 'qvm', 'ContractEmitted');
  assert.equal(Buffer.from(minted.data.topic.toU8a(true)).toString(), 'Transfer');
  const hash = await api.call.qvmApi.codeHash(state.token);
  assert.ok(hash.isSome);
});

test('a contract is an account: funded with the minimum balance, it receives the value of a call', async () => {
  const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
  const ed = api.consts.balances.existentialDeposit.toBigInt();
  assert.equal(await free(state.token), ed, 'the deployer paid the minimum balance');
  const value = 5n * ed;
  const args = encode(api, 'AccountId32', bob.address);
  const dry = await api.call.qvmApi.call(alice.address, state.token, value, 'balance_of', args, null);
  assert.ok(dry.result.isOk, dry.result.toString());
  const { error } = await submit(api, api.tx.qvm.call(state.token, value, 'balance_of', args, dry.gasRequired, null), alice);
  assert.equal(error, null);
  assert.equal(await free(state.token), ed + value);
  // More than the caller has: a named error, nothing moved.
  const { error: poor } = await submit(api, api.tx.qvm.call(state.token, 2n ** 100n, 'balance_of', args, dry.gasRequired, null), alice);
  assert.equal(poor, 'qvm.InsufficientBalance');
  assert.equal(await free(state.token), ed + value);
});

test('transfer 100 to bob: dry run, extrinsic, events, balances', async () => {
  const args = encode(api, '(AccountId32, u128)', [bob.address, 100]);
  const dry = await dryCall(api, alice.address, state.token, 'transfer', args);
  assert.equal(output(api, dry, 'bool').toJSON(), true);
  const gas = dry.gasRequired.toBigInt();

  const { events, error } = await submit(api, api.tx.qvm.call(state.token, 0, 'transfer', args, gas, null), alice);
  assert.equal(error, null);
  const emitted = findEvent(events, 'qvm', 'ContractEmitted');
  assert.equal(Buffer.from(emitted.data.topic.toU8a(true)).toString(), 'Transfer');
  const [from, to, amount] = api.createType('([u8;32], [u8;32], u128)', emitted.data.data.toU8a(true));
  assert.equal(u8aToHex(from), u8aToHex(alice.publicKey));
  assert.equal(u8aToHex(to), u8aToHex(bob.publicKey));
  assert.equal(amount.toNumber(), 100);
  const called = findEvent(events, 'qvm', 'Called');
  assert.equal(called.data.gasUsed.toBigInt(), gas, 'gas used equals the dry run');

  const balance = async (who) =>
    output(api, await dryCall(api, alice.address, state.token, 'balance_of', encode(api, 'AccountId32', who)), 'u128').toNumber();
  assert.equal(await balance(alice.address), 900);
  assert.equal(await balance(bob.address), 100);
  // Raw storage: the balance map key is "b" ++ account.
  const key = u8aToHex(u8aConcat(new TextEncoder().encode('b'), bob.publicKey));
  const raw = await api.call.qvmApi.getStorage(state.token, key);
  assert.ok(raw.isOk && raw.asOk.isSome);
  assert.equal(api.createType('u128', raw.asOk.unwrap().toU8a(true)).toNumber(), 100);
  state.balance = balance;
});

test('a failing call returns the named module error', async () => {
  const args = encode(api, '(AccountId32, u128)', [alice.address, 1000]);
  const dry = await dryCall(api, bob.address, state.token, 'transfer', args);
  assert.ok(dry.result.isOk && dry.result.asOk.reverted.isTrue);
  assert.equal(Buffer.from(dry.result.asOk.output.toU8a(true)).toString(), 'insufficient balance');
  const { error } = await submit(api, api.tx.qvm.call(state.token, 0, 'transfer', args, 2_000_000, null), bob);
  assert.equal(error, 'qvm.Reverted');
  const { error: missing } = await submit(api, api.tx.qvm.call(state.token, 0, 'mint', '0x', 2_000_000, null), bob);
  assert.equal(missing, 'qvm.MethodNotFound');
  assert.equal(await state.balance(bob.address), 100);
});

test('too little gas fails with OutOfGas and changes nothing', async () => {
  const args = encode(api, '(AccountId32, u128)', [bob.address, 1]);
  const before = await api.call.qvmApi.getStorage(state.token, u8aToHex(u8aConcat(new TextEncoder().encode('b'), bob.publicKey)));
  const { error } = await submit(api, api.tx.qvm.call(state.token, 0, 'transfer', args, 5_000, null), alice);
  assert.equal(error, 'qvm.OutOfGas');
  const after = await api.call.qvmApi.getStorage(state.token, u8aToHex(u8aConcat(new TextEncoder().encode('b'), bob.publicKey)));
  assert.equal(after.toHex(), before.toHex());
  assert.equal(await state.balance(alice.address), 900);
  const dry = await dryCall(api, alice.address, state.token, 'transfer', args, 5_000);
  assert.ok(dry.result.isErr);
  const meta = api.registry.findMetaError(dry.result.asErr.asModule);
  assert.equal(meta.name, 'OutOfGas');
  assert.ok(hexToU8a(state.token).length === 32);
});

test('capabilities: granted at deploy, enforced by the VM, restricted by governance', async () => {
  // The token writes storage (bit 0) and emits events (bit 1): its default grant is exactly that.
  const deployed = (await submit(api, api.tx.qvm.deploy(u8aToHex(tokenWasm()), 0, state.ctor, state.deployGas, null, null), alice)).events;
  const info = findEvent(deployed, 'qvm', 'Deployed');
  assert.equal(info.data.capabilities.toJSON(), 0b11);
  // A grant without the storage write the token imports is refused by name.
  const { error: notGranted } = await submit(api, api.tx.qvm.deploy(u8aToHex(tokenWasm()), 0, state.ctor, state.deployGas, 0b10, null), alice);
  assert.equal(notGranted, 'qvm.CapabilityNotGranted');
  // A read-only query refuses the state change the same call would make.
  const args = encode(api, '(AccountId32, u128)', [bob.address, 1]);
  const q = await api.call.qvmApi.query(alice.address, state.token, 'transfer', args, null);
  assert.ok(q.result.isErr);
  assert.equal(api.registry.findMetaError(q.result.asErr.asModule).name, 'StateChangeDenied');
  // Governance (sudo) withdraws storage writes from every contract, then restores them.
  const set = (allowed) => submit(api, api.tx.sudo.sudo(api.tx.qvm.setAllowedCapabilities(allowed)), alice);
  const { events } = await set(0b10);
  assert.ok(findEvent(events, 'qvm', 'AllowedCapabilitiesSet'));
  const { error: denied } = await submit(api, api.tx.qvm.call(state.token, 0, 'transfer', args, 2_000_000, null), alice);
  assert.equal(denied, 'qvm.CapabilityDenied');
  assert.equal(await state.balance(bob.address), 100, 'nothing moved');
  await set(0b11111111); // every capability again (later tests upgrade and terminate)
  const { error } = await submit(api, api.tx.qvm.call(state.token, 0, 'transfer', args, 2_000_000, null), alice);
  assert.equal(error, null);
  assert.equal(await state.balance(bob.address), 101);
});
