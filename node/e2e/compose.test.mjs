// End-to-end, contracts that compose: the AMM swaps through two token contracts (cross-contract
// calls, an indexed event in System's topic index), and the escrow holds native value whose
// storage deposit is charged on open and refunded on release.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';
import { connect, encode, findEvent, deployExample, callExactly, output } from './lib.mjs';

const { api, alice, bob } = await connect();
after(() => api.disconnect());

const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
/** What `who` holds for QVM's storage deposits. */
const heldForStorage = async (who) => {
  const holds = await api.query.balances.holds(who);
  return holds
    .filter((h) => h.id.isQvm && h.id.asQvm.isStorageDeposit)
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
};
/** The fee `events` say their extrinsic paid. */
const feePaid = (events) => findEvent(events, 'transactionPayment', 'TransactionFeePaid').data.actualFee.toBigInt();
const view = async (contract, method, args, type) =>
  output(api, await api.call.qvmApi.call(alice.address, contract, 0, method, args, null), type);

test('a swap on the AMM moves two real tokens through cross-contract calls', async () => {
  const supply = encode(api, '(Text, Text, u128)', ['Apple', 'APL', 1_000_000]);
  const a = await deployExample(api, alice, 'token', supply);
  const b = await deployExample(api, alice, 'token', encode(api, '(Text, Text, u128)', ['Berry', 'BRY', 1_000_000]));
  const amm = await deployExample(api, alice, 'amm', encode(api, '([u8;32], [u8;32], u32)', [a, b, 30]));
  for (const token of [a, b]) {
    const { error } = await callExactly(api, alice, token, 'approve', encode(api, '([u8;32], u128)', [amm, 2n ** 127n]));
    assert.equal(error, null);
  }
  const { error: added } = await callExactly(api, alice, amm, 'add_liquidity', encode(api, '(u128, u128)', [100_000, 100_000]));
  assert.equal(added, null);

  const balanceOf = async (token, who) => (await view(token, 'balance_of', encode(api, '[u8;32]', who), 'u128')).toBigInt();
  const before = [await balanceOf(a, alice.publicKey), await balanceOf(b, alice.publicKey)];
  const { dry, events, error, blockHash } = await callExactly(api, alice, amm, 'swap', encode(api, '(u8, u128, u128)', [0, 1_000, 0]));
  assert.equal(error, null);
  const out = output(api, dry, 'u128').toBigInt();
  assert.ok(out > 900n && out < 1_000n, `swap paid ${out}`);
  // Alice paid 1,000 A and got `out` B; the pool holds what its reserves say.
  assert.deepEqual([await balanceOf(a, alice.publicKey), await balanceOf(b, alice.publicKey)], [before[0] - 1_000n, before[1] + out]);
  const reserves = (await view(amm, 'reserves', '0x', '(u128, u128)')).map((r) => r.toBigInt());
  assert.deepEqual(reserves, [await balanceOf(a, amm), await balanceOf(b, amm)]);
  assert.deepEqual(reserves, [101_000n, 100_000n - out]);

  // One extrinsic, three contracts' events: both tokens' Transfers and the pool's Swap.
  const emitted = events.filter((e) => e.section === 'qvm' && e.method === 'ContractEmitted');
  const by = (contract, name) => emitted.find((e) => e.data.contract.toHex() === contract && Buffer.from(e.data.topic.toU8a(true)).toString() === name);
  assert.ok(by(a, 'Transfer') && by(b, 'Transfer'), 'both tokens emitted Transfer');
  const swap = by(amm, 'Swap');
  assert.ok(swap, 'the pool emitted Swap');
  assert.deepEqual(swap.data.topics.map((t) => t.toHex()), [u8aToHex(alice.publicKey)]);
  // Indexed by trader: System's topic index of that block points at the Swap event.
  const at = await api.at(blockHash);
  const indexed = await at.query.system.eventTopics(u8aToHex(alice.publicKey));
  assert.equal(indexed.length, 1, 'one event indexed under the trader');
  const [, index] = indexed[0];
  const record = (await at.query.system.events())[index.toNumber()];
  assert.equal(record.event.method, 'ContractEmitted');
  assert.equal(record.event.data.contract.toHex(), amm);
});

test('the escrow holds native value; its storage deposit is charged on open and refunded on release', async () => {
  const ed = api.consts.balances.existentialDeposit.toBigInt();
  const payee = new Keyring({ type: 'sr25519' }).addFromUri('//QvmEscrowPayee');
  assert.equal(await free(payee.address), 0n, 'the payee starts without an account');
  // Bob is the arbiter.
  const escrow = await deployExample(api, alice, 'escrow', encode(api, '[u8;32]', bob.publicKey));
  const held0 = await heldForStorage(escrow);
  const value = 20n * ed;

  const aliceBefore = await free(alice.address);
  const escrowBefore = await free(escrow);
  const opened = await callExactly(api, alice, escrow, 'open', encode(api, '[u8;32]', payee.publicKey), value);
  assert.equal(opened.error, null);
  assert.ok(opened.dry.storageDeposit.isCharge, `open charges a deposit: ${opened.dry.storageDeposit}`);
  const charge = opened.dry.storageDeposit.asCharge.toBigInt();
  assert.ok(charge > 0n);
  const id = output(api, opened.dry, 'u64').toNumber();
  // The value is the contract's; the deposit is held on the contract's account; Alice paid both.
  assert.equal(await free(escrow), escrowBefore + value);
  assert.equal(await heldForStorage(escrow), held0 + charge);
  assert.equal(await free(alice.address), aliceBefore - value - charge - feePaid(opened.events));
  assert.equal((await view(escrow, 'holdings', '0x', 'u128')).toBigInt(), value);

  // Bob signs the release digest; Alice submits it: the payee's account is created with the
  // value, and freeing the escrow's entry refunds its deposit to Alice.
  const digest = await view(escrow, 'digest_of', encode(api, '(Bytes, u64)', ['release', id]), '[u8;32]');
  const signature = bob.sign(digest.toU8a());
  const aliceMid = await free(alice.address);
  const released = await callExactly(api, alice, escrow, 'release', encode(api, '(u64, [u8;64])', [id, signature]));
  assert.equal(released.error, null);
  assert.ok(released.dry.storageDeposit.isRefund, `release refunds: ${released.dry.storageDeposit}`);
  const refund = released.dry.storageDeposit.asRefund.toBigInt();
  assert.ok(refund > 0n && refund <= charge, `refund ${refund} of ${charge}`);
  assert.equal(await free(payee.address), value);
  assert.equal(await free(escrow), escrowBefore);
  assert.equal(await heldForStorage(escrow), held0 + charge - refund);
  assert.equal(await free(alice.address), aliceMid + refund - feePaid(released.events));
  // Released once: a second release is refused by the contract.
  const again = await api.call.qvmApi.call(alice.address, escrow, 0, 'release', encode(api, '(u64, [u8;64])', [id, signature]), null);
  assert.ok(again.result.isOk && again.result.asOk.reverted.isTrue);
  assert.equal(Buffer.from(again.result.asOk.output.toU8a(true)).toString(), 'no such escrow');
});
