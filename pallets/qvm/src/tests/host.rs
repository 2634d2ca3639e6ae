//! Every host function, through the host-function fixture.

use super::*;
use codec::Encode;
use sp_core::{sr25519, Pair};

fn with_host(f: impl FnOnce(ContractAddress)) {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), b"hello".to_vec());
        f(c)
    })
}

#[test]
fn block_height_and_timestamp() {
    with_host(|c| {
        assert_eq!(out_i64(&call_ok(&ALICE, c, "height", &[])), 1);
        System::set_block_number(77);
        assert_eq!(out_i64(&call_ok(&ALICE, c, "height", &[])), 77);
        assert_eq!(out_i64(&call_ok(&ALICE, c, "timestamp", &[])), 42_000);
        pallet_timestamp::Now::<Test>::put(99_000);
        assert_eq!(out_i64(&call_ok(&ALICE, c, "timestamp", &[])), 99_000);
    })
}

#[test]
fn caller_and_address() {
    with_host(|c| {
        assert_eq!(call_ok(&BOB, c, "caller", &[]), BOB.encode());
        assert_eq!(call_ok(&ALICE, c, "caller", &[]), ALICE.encode());
        assert_eq!(out_i32(&call_ok(&ALICE, c, "caller_small", &[])), -2);
        assert_eq!(call_ok(&ALICE, c, "address", &[]), c.0.to_vec());
    })
}

#[test]
fn gas_left_is_below_limit_and_decreases() {
    with_host(|c| {
        let left = out_i64(&call_ok(&ALICE, c, "gas_left", &[])) as u64;
        assert!(left > 0 && left < GAS, "{left}");
        let out = call(&ALICE, c, "gas_left", &[]);
        let r = out.result.unwrap();
        // Everything not left was used, except what ran after the read (the return).
        assert!(out.gas_used <= GAS - out_i64(&r.output) as u64 + 100);
    })
}

#[test]
fn input_read_and_buffer_too_small() {
    with_host(|c| {
        assert_eq!(
            call_ok(&ALICE, c, "echo", b"some input"),
            b"some input".to_vec()
        );
        assert_eq!(call_ok(&ALICE, c, "echo", &[]), Vec::<u8>::new());
        assert_eq!(out_i32(&call_ok(&ALICE, c, "input_small", b"xy")), -2);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "input_small", &[])), 0);
    })
}

#[test]
fn constructor_receives_its_input() {
    with_host(|c| {
        assert_eq!(
            crate::Pallet::<Test>::get_storage(c, b"init").unwrap(),
            Some(b"hello".to_vec())
        );
    })
}

#[test]
fn revert_returns_data_and_flag() {
    with_host(|c| {
        let r = call(&ALICE, c, "revert_with", b"why").result.unwrap();
        assert!(r.reverted);
        assert_eq!(r.output, b"why".to_vec());
    })
}

fn set_args(key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut v = vec![key.len() as u8];
    v.extend_from_slice(key);
    v.extend_from_slice(value);
    v
}

#[test]
fn storage_write_read_size_remove() {
    with_host(|c| {
        // absent
        let out = call_ok(&ALICE, c, "get", b"k1");
        assert_eq!(out_i32(&out[..4]), -1);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "size", b"k1")), -1);
        // write
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "set", &set_args(b"k1", b"value-1"))),
            0
        );
        let out = call_ok(&ALICE, c, "get", b"k1");
        assert_eq!(out_i32(&out[..4]), 7);
        assert_eq!(&out[4..], b"value-1");
        assert_eq!(out_i32(&call_ok(&ALICE, c, "size", b"k1")), 7);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "get_small", b"k1")), -2);
        assert_eq!(
            crate::Pallet::<Test>::get_storage(c, b"k1").unwrap(),
            Some(b"value-1".to_vec())
        );
        // overwrite, and an empty value is a present value
        call_ok(&ALICE, c, "set", &set_args(b"k1", b""));
        assert_eq!(out_i32(&call_ok(&ALICE, c, "size", b"k1")), 0);
        // usage accounting: "init" (4 + 5) and "k1" (2 + 0), each key stored behind its
        // 16-byte hash
        let info = crate::ContractInfoOf::<Test>::get(c).unwrap();
        assert_eq!((info.storage_items, info.storage_bytes), (2, 11 + 2 * 16));
        // remove
        assert_eq!(out_i32(&call_ok(&ALICE, c, "remove", b"k1")), 0);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "remove", b"k1")), -1);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "get", b"k1")[..4]), -1);
        let info = crate::ContractInfoOf::<Test>::get(c).unwrap();
        assert_eq!((info.storage_items, info.storage_bytes), (1, 9 + 16));
    })
}

#[test]
fn storage_lives_in_the_contracts_child_trie() {
    with_host(|c| {
        let root0 = crate::Pallet::<Test>::storage_root(&c).unwrap();
        call_ok(&ALICE, c, "set", &set_args(b"key", b"v"));
        let root1 = crate::Pallet::<Test>::storage_root(&c).unwrap();
        assert_ne!(root0, root1);
        let trie_id = crate::address::trie_id(&c);
        assert_eq!(
            sp_io::default_child_storage::get(&trie_id, &crate::storage::hashed_key(b"key")),
            Some(b"v".to_vec())
        );
        // Another contract has its own trie and root.
        let d = deploy(&ALICE, host_code(), b"hello".to_vec());
        assert_ne!(crate::address::trie_id(&d), trie_id);
        assert_eq!(crate::Pallet::<Test>::storage_root(&d).unwrap(), root0);
        assert_eq!(out_i32(&call_ok(&ALICE, d, "get", b"key")[..4]), -1);
    })
}

#[test]
fn hash_is_blake2_256() {
    with_host(|c| {
        assert_eq!(
            call_ok(&ALICE, c, "hash", b"abc"),
            sp_io::hashing::blake2_256(b"abc").to_vec()
        );
        assert_eq!(
            call_ok(&ALICE, c, "hash", &[]),
            sp_io::hashing::blake2_256(&[]).to_vec()
        );
    })
}

#[test]
fn verify_signature_sr25519() {
    with_host(|c| {
        let pair = sr25519::Pair::from_seed(&[7u8; 32]);
        let msg = b"pay bob 100";
        let sig = pair.sign(msg);
        let mut input = sig.0.to_vec();
        input.extend_from_slice(&pair.public().0);
        input.extend_from_slice(msg);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "verify", &input)), 1);
        // tampered message
        let last = input.len() - 1;
        input[last] ^= 1;
        assert_eq!(out_i32(&call_ok(&ALICE, c, "verify", &input)), 0);
        // wrong key
        let other = sr25519::Pair::from_seed(&[8u8; 32]);
        let mut input = sig.0.to_vec();
        input.extend_from_slice(&other.public().0);
        input.extend_from_slice(msg);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "verify", &input)), 0);
    })
}

#[test]
fn emit_event_deposits_contract_emitted() {
    with_host(|c| {
        let mut input = vec![5u8];
        input.extend_from_slice(b"topicdata!");
        assert_eq!(out_i32(&call_ok(&ALICE, c, "emit", &input)), 0);
        let evs = qvm_events();
        assert!(evs.contains(&QvmEvent::ContractEmitted {
            contract: c,
            topic: b"topic".to_vec(),
            topics: vec![],
            data: b"data!".to_vec()
        }));
        assert!(matches!(evs.last(), Some(QvmEvent::Called { contract, .. }) if *contract == c));
    })
}

#[test]
fn every_abi_function_links_with_its_table_signature() {
    // A module importing every function of the ABI table exactly as the table says must pass
    // validation and instantiate: the linker provides each with the same signature.
    let mut imports = String::new();
    for (i, f) in qvm_primitives::HOST_FUNCTIONS.iter().enumerate() {
        let params: String = f.params.iter().map(|t| format!(" {}", t.wat())).collect();
        let results: String = f.results.iter().map(|t| format!(" {}", t.wat())).collect();
        imports.push_str(&format!(
            "(import \"qnet\" \"{}\" (func $f{i} (param{params}) (result{results})))\n",
            f.name
        ));
    }
    let code = wasm(&format!(
        "(module {imports} (memory (export \"memory\") 1) (func (export \"constructor\")))"
    ));
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, code, vec![]);
        assert!(crate::ContractInfoOf::<Test>::contains_key(c));
    });
}

/// A read-only call (`bare_query`) may read but the VM refuses every state change with a named
/// error, before doing it; nothing of the call is kept either way.
#[test]
fn read_only_calls_refuse_state_changes() {
    with_host(|c| {
        call_ok(&ALICE, c, "set", &set_args(b"k", b"v"));
        let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
        let events = System::events().len();
        let query = |method: &str, input: &[u8]| {
            crate::Pallet::<Test>::bare_query(ALICE, c, method.as_bytes(), input.to_vec(), GAS)
        };
        let out = query("get", b"k").result.expect("reads are allowed");
        assert_eq!(&out.output[4..], b"v");
        for (method, input) in [
            ("set", set_args(b"k", b"w")),
            ("set", set_args(b"new", b"w")),
            ("remove", b"k".to_vec()),
            ("emit", b"topic".to_vec()),
        ] {
            let out = query(method, &input);
            assert_eq!(
                out.result,
                Err(err(crate::Error::StateChangeDenied)),
                "{method}"
            );
        }
        assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
        assert_eq!(System::events().len(), events);
        assert_eq!(
            crate::Pallet::<Test>::get_storage(c, b"k").unwrap(),
            Some(b"v".to_vec())
        );
        // The same calls, not read-only, go through.
        call_ok(&ALICE, c, "remove", b"k");
    })
}

#[test]
fn indexed_events_land_in_systems_topic_index_and_pay_per_topic() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let (t1, t2) = ([1u8; 32], [2u8; 32]);
        let input = |topics: &[[u8; 32]]| {
            let mut v = vec![topics.len() as u8];
            for t in topics {
                v.extend_from_slice(t);
            }
            v.extend_from_slice(b"payload");
            v
        };
        let plain = call(&ALICE, c, "emit_indexed", &input(&[]));
        let indexed = call(&ALICE, c, "emit_indexed", &input(&[t1, t2]));
        assert_eq!(out_i32(&indexed.result.as_ref().unwrap().output), 0);
        let s = qvm_primitives::GasConfig::default();
        assert_eq!(
            indexed.gas_used - plain.gas_used,
            2 * s.event_topic + 64 * s.input_per_byte
        );
        assert!(qvm_events().contains(&QvmEvent::ContractEmitted {
            contract: c,
            topic: b"idx".to_vec(),
            topics: vec![t1, t2],
            data: b"payload".to_vec(),
        }));
        // Clients find it by either topic.
        for t in [t1, t2] {
            let found = System::event_topics(sp_core::H256(t));
            assert_eq!(found.len(), 1);
            let (_, index) = found[0];
            assert!(matches!(
                &System::events()[index as usize].event,
                RuntimeEvent::Qvm(QvmEvent::ContractEmitted { topics, .. }) if topics.contains(&t)
            ));
        }
        let limit = QvmLimits::get().max_event_topics as usize;
        let too_many = call(&ALICE, c, "emit_indexed", &input(&vec![t1; limit + 1]));
        assert_eq!(
            too_many.result.unwrap_err(),
            err(crate::Error::TooManyTopics)
        );
    })
}
