//! Runtime limits, traps and rollback of failed calls.

use super::*;
use crate::{Error, Pallet};

fn set_args(key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut v = vec![key.len() as u8];
    v.extend_from_slice(key);
    v.extend_from_slice(value);
    v
}

#[test]
fn failed_calls_roll_back_storage_and_events() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let root = Pallet::<Test>::storage_root(&c);
        let events_before = System::events().len();
        let cases = [
            ("set_then_trap", Err(err(Error::ContractTrapped))),
            ("set_then_loop", Err(err(Error::OutOfGas))),
        ];
        for (m, expected) in cases {
            let out = Pallet::<Test>::bare_call(
                ALICE,
                c,
                0,
                m.as_bytes(),
                set_args(b"k", b"v"),
                5_000_000,
                ExecConfig::COMMIT,
            );
            assert_eq!(out.result, expected, "{m}");
            assert_eq!(Pallet::<Test>::get_storage(c, b"k").unwrap(), None, "{m}");
        }
        let out = call(&ALICE, c, "set_then_revert", &set_args(b"k", b"v"))
            .result
            .unwrap();
        assert!(out.reverted);
        assert_eq!(Pallet::<Test>::get_storage(c, b"k").unwrap(), None);
        // Events of failed calls are discarded; of a successful one, kept.
        for how in [1u8, 2] {
            let out = call(&ALICE, c, "emit_then", &[how]);
            assert!(out.result.map(|r| r.reverted).unwrap_or(true));
        }
        assert_eq!(System::events().len(), events_before);
        assert_eq!(Pallet::<Test>::storage_root(&c), root);
        call_ok(&ALICE, c, "emit_then", &[0]);
        assert_eq!(System::events().len(), events_before + 2); // ContractEmitted + Called
                                                               // Extrinsics fail with the named error and leave no trace.
        let res = Pallet::<Test>::call(
            RuntimeOrigin::signed(ALICE),
            c,
            0,
            b"set_then_trap".to_vec(),
            set_args(b"k", b"v"),
            GAS,
            None,
        );
        assert_eq!(res.unwrap_err().error, err(Error::ContractTrapped));
        assert_eq!(Pallet::<Test>::get_storage(c, b"k").unwrap(), None);
    })
}

#[test]
fn memory_grow_beyond_the_limit_fails_cleanly() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        // 1 page initially; the limit is 128 pages.
        assert_eq!(QvmLimits::get().max_memory_pages, 128);
        assert_eq!(out_i32(&call_ok(&ALICE, c, "grow", &1u32.to_le_bytes())), 1);
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "grow", &127u32.to_le_bytes())),
            1
        );
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "grow", &128u32.to_le_bytes())),
            -1
        );
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "grow", &u32::MAX.to_le_bytes())),
            -1
        );
        QvmLimits::set(qvm_primitives::Limits {
            max_memory_pages: 4,
            ..Default::default()
        });
        assert_eq!(out_i32(&call_ok(&ALICE, c, "grow", &3u32.to_le_bytes())), 1);
        assert_eq!(
            out_i32(&call_ok(&ALICE, c, "grow", &4u32.to_le_bytes())),
            -1
        );
        QvmLimits::set(Default::default());
    })
}

#[test]
fn memory_grow_is_charged_per_byte() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let g1 = call(&ALICE, c, "grow", &1u32.to_le_bytes()).gas_used;
        let g9 = call(&ALICE, c, "grow", &9u32.to_le_bytes()).gas_used;
        let per_page = 65_536 / u64::from(qvm_primitives::GasConfig::default().bulk_bytes_per_gas);
        assert_eq!(g9 - g1, 8 * per_page);
    })
}

#[test]
fn deep_recursion_traps_with_stack_overflow() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let out = call(&ALICE, c, "recurse", &[]);
        assert_eq!(out.result, Err(err(Error::StackOverflow)));
        assert!(out.gas_used < GAS);
    })
}

#[test]
fn traps_and_host_errors_have_names() {
    new_test_ext().execute_with(|| {
        let c = deploy(&ALICE, host_code(), vec![]);
        let cases = [
            ("div0", Error::<Test>::ContractTrapped),
            ("oob", Error::MemoryOutOfBounds),
            ("oob_out", Error::MemoryOutOfBounds),
            ("big_key", Error::StorageKeyTooLarge),
            ("neg_len", Error::StorageKeyTooLarge),
            ("big_value", Error::StorageValueTooLarge),
            ("big_topic", Error::EventTopicTooLarge),
            ("big_data", Error::EventDataTooLarge),
            ("many_events", Error::TooManyEvents),
            ("big_output", Error::OutputTooLarge),
        ];
        for (m, e) in cases {
            let out = call(&ALICE, c, m, &[]);
            assert_eq!(out.result, Err(err(e)), "{m}");
            assert!(
                out.gas_used > 0 && out.gas_used < GAS,
                "{m}: {}",
                out.gas_used
            );
        }
    })
}
