// Shared helpers for the polkadot.js e2e test and demo against a qvm-node dev chain.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { readFileSync } from 'node:fs';
import { u8aToHex } from '@polkadot/util';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Connects to the node at QVM_WS (default ws://127.0.0.1:9944), retrying while it starts. */
export async function connect(url = process.env.QVM_WS ?? 'ws://127.0.0.1:9944') {
  await cryptoWaitReady();
  const provider = new WsProvider(url, 1000);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  return { api, alice: keyring.addFromUri('//Alice'), bob: keyring.addFromUri('//Bob') };
}

/** The token example's Wasm (built by scripts/build-contracts.sh). */
export function tokenWasm() {
  return process.env.QVM_TOKEN_WASM ? readFileSync(process.env.QVM_TOKEN_WASM) : exampleWasm('token');
}

/** Example contract `name`'s Wasm (built by scripts/build-contracts.sh). */
export function exampleWasm(name) {
  return readFileSync(path.join(here, `../../contracts/examples/target-wasm/${name}.wasm`));
}

/**
 * SCALE-encodes values of the given type, e.g. encode(api, '(Text, Text, u128)', [...]), as a hex
 * string: polkadot.js reads a Uint8Array passed as `Bytes` as already length-prefixed, a hex
 * string as raw bytes.
 */
export function encode(api, type, value) {
  return api.createType(type, value).toHex();
}

/** Signs and submits `tx`, resolving when it is in a block with its events and dispatch error. */
export function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, (result) => {
      if (result.status.isInBlock || result.status.isFinalized) {
        let error = null;
        if (result.dispatchError) {
          if (result.dispatchError.isModule) {
            const meta = api.registry.findMetaError(result.dispatchError.asModule);
            error = `${meta.section}.${meta.name}`;
          } else {
            error = result.dispatchError.toString();
          }
        }
        if (unsub) unsub();
        resolve({ events: result.events.map((r) => r.event), error, blockHash: result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized });
      } else if (result.isError) {
        if (unsub) unsub();
        reject(new Error(`transaction failed: ${result.status.toString()}`));
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

/** Finds the first event `section.method` in `events`. */
export function findEvent(events, section, method) {
  return events.find((e) => e.section === section && e.method === method);
}

/**
 * Dry-runs then deploys example `name` as `signer` with the constructor input `ctor` (hex) and the
 * dry run's gas and storage deposit; resolves to the contract's address (hex).
 */
export async function deployExample(api, signer, name, ctor) {
  const code = u8aToHex(exampleWasm(name));
  const dry = await api.call.qvmApi.deploy(signer.address, code, 0, ctor, null, null);
  if (!dry.result.isOk || dry.result.asOk[1].reverted.isTrue) {
    throw new Error(`dry-run deploy of ${name} failed: ${dry.result.toString()}`);
  }
  const tx = api.tx.qvm.deploy(code, 0, ctor, dry.gasRequired, null, null);
  const { events, error } = await submit(api, tx, signer);
  if (error) throw new Error(`deploy of ${name} failed: ${error}`);
  return findEvent(events, 'qvm', 'Deployed').data.contract.toHex();
}

/**
 * Dry-runs `method` of `contract` as `signer`, then submits it with exactly the gas and the
 * storage deposit limit the dry run reported (a charge; none for a refund). Resolves to the
 * dry run and the submission's `{ events, error, blockHash }`.
 */
export async function callExactly(api, signer, contract, method, args, value = 0) {
  const dry = await api.call.qvmApi.call(signer.address, contract, value, method, args, null);
  if (!dry.result.isOk || dry.result.asOk.reverted.isTrue) {
    throw new Error(`dry run of ${method} failed: ${dry.result.toString()}`);
  }
  const deposit = dry.storageDeposit.isCharge ? dry.storageDeposit.asCharge.toBigInt() : 0n;
  const tx = api.tx.qvm.call(contract, value, method, args, dry.gasRequired, deposit);
  return { dry, ...(await submit(api, tx, signer)) };
}

/** Dry-runs a contract call through the QvmApi runtime API. */
export async function dryCall(api, origin, contract, method, args, gasLimit = null) {
  const r = await api.call.qvmApi.call(origin, contract, 0, method, args, gasLimit);
  return r;
}

/** Decodes a dry run's successful (not reverted) output as `type`. */
export function output(api, dryRun, type) {
  if (!dryRun.result.isOk || dryRun.result.asOk.reverted.isTrue) {
    throw new Error(`dry run failed: ${dryRun.result.toString()}`);
  }
  const ok = dryRun.result.asOk;
  return api.createType(type, ok.output.toU8a(true));
}
