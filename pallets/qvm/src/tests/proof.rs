//! A contract cannot make one storage access prove more than it is charged for: keys are
//! stored hashed, so keys crafted to share ever longer prefixes do not deepen the trie.

use super::*;
use crate::{schedule::calibrate, WeightInfo};

/// Keys an attacker would choose for a deep trie: `i` zero bytes then a one, for every `i` up
/// to the longest key. Unhashed, each branches off the previous one's path one byte deeper, so
/// the path to the last key passes a branch node for every byte of it.
fn crafted_keys() -> Vec<Vec<u8>> {
    let max = QvmLimits::get().max_key_len as usize;
    (0..max).map(|i| [vec![0u8; i], vec![1]].concat()).collect()
}

fn set_args(key: &[u8], value: &[u8]) -> Vec<u8> {
    [&[key.len() as u8][..], key, value].concat()
}

/// Proof recorded and proof size charged for reading `key` after storing `keys` in a contract.
fn prove_read(keys: &[Vec<u8>], key: &[u8]) -> (u64, u64, ContractAddress) {
    let mut ext = new_test_ext();
    let c = ext.execute_with(|| {
        Schedule::set(calibrate::<()>());
        let c = deploy(&ALICE, host_code(), b"hello".to_vec());
        for key in keys {
            call_ok(&ALICE, c, "set", &set_args(key, b"v"));
        }
        // A new block starts without the events of the ones before.
        System::reset_events();
        c
    });
    ext.commit_all().expect("commits");
    let (out, proof) = ext.execute_and_prove(|| {
        crate::Pallet::<Test>::bare_call(
            ALICE,
            c,
            0,
            b"get",
            key.to_vec(),
            GAS,
            ExecConfig::DRY_RUN,
        )
    });
    assert!(out.result.is_ok());
    let charged = <() as WeightInfo>::call(0, key.len() as u32).proof_size() + out.proof_size;
    (codec::Encode::encoded_size(&proof) as u64, charged, c)
}

#[test]
fn crafted_keys_do_not_make_an_access_prove_more_than_it_is_charged() {
    let keys = crafted_keys();
    let deepest = keys.last().expect("keys").clone();
    let (recorded, charged, c) = prove_read(&keys, &deepest);
    let (alone, alone_charged, _) = prove_read(&keys[..1], &keys[0]);
    println!(
        "hashed keys: reading the deepest of {} crafted keys proves {recorded} B (charged \
         {charged} B); one key alone {alone} B (charged {alone_charged} B)",
        keys.len()
    );
    assert!(
        recorded <= charged,
        "recorded {recorded} > charged {charged}"
    );
    // What the crafted keys add to the proof of one access stays within what an access is
    // charged for its trie path.
    let per_access = calibrate::<()>().storage_access_proof;
    assert!(
        recorded - alone <= per_access,
        "{recorded} - {alone} > {per_access}"
    );

    // The same keys stored unhashed: one read proves far more than the per-access charge.
    let mut raw = new_test_ext();
    let trie = crate::address::trie_id(&c);
    raw.execute_with(|| {
        for key in &keys {
            sp_io::default_child_storage::set(&trie, key, b"v");
        }
    });
    raw.commit_all().expect("commits");
    let (_, raw_proof) = raw.execute_and_prove(|| {
        sp_io::default_child_storage::get(&trie, &deepest);
    });
    let raw_recorded = codec::Encode::encoded_size(&raw_proof) as u64;
    println!("unhashed keys: the same read alone proves {raw_recorded} B (charged per access: {per_access} B)");
    assert!(raw_recorded > per_access);
}
