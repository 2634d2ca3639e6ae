//! Capabilities: granted at deployment within what the chain allows, required by the imports
//! (from the ABI table), enforced by the VM on every host call, restricted by governance.

use super::*;
use crate::{AllowedCapabilities, CodeInfoOf, ContractInfoOf, Error, Nonces, Pallet};
use qvm_primitives::{abi::HostFunction, HOST_FUNCTIONS};

/// A contract importing only `f`, whose `run` method calls it once with zero arguments
/// (pointers at 0, lengths 0) and drops its result.
fn calling(f: &HostFunction) -> Vec<u8> {
    let params: String = f.params.iter().map(|t| format!(" {}", t.wat())).collect();
    let results: String = f.results.iter().map(|t| format!(" {}", t.wat())).collect();
    // Zeros, but a 32-byte account for `qnet_transfer` (of nothing: it succeeds) and for
    // `qnet_terminate` (the zero account).
    let args: String = f
        .params
        .iter()
        .zip(f.param_names)
        .map(|(t, name)| {
            format!(
                " ({}.const {})",
                t.wat(),
                if matches!(*name, "to_len" | "beneficiary_len") {
                    32
                } else {
                    0
                }
            )
        })
        .collect();
    let drop = if f.results.is_empty() { "" } else { "drop" };
    wasm(&format!(
        r#"(module
            (import "qnet" "{}" (func $f (param{params}) (result{results})))
            (memory (export "memory") 1)
            (func (export "constructor"))
            (func (export "run") (call $f{args}) {drop}))"#,
        f.name
    ))
}

fn try_deploy(
    code: Vec<u8>,
    grant: Option<Capabilities>,
) -> Result<ContractAddress, DispatchError> {
    Pallet::<Test>::bare_deploy(ALICE, code, 0, vec![], GAS, grant, ExecConfig::COMMIT)
        .result
        .map(|(address, _)| address)
}

fn set_allowed(allowed: Capabilities) {
    assert_ok!(Pallet::<Test>::set_allowed_capabilities(
        RuntimeOrigin::root(),
        allowed
    ));
}

#[test]
fn the_code_requires_what_its_imports_need_and_gets_exactly_that_by_default() {
    new_test_ext().execute_with(|| {
        // The host fixture imports every host function.
        let c = deploy(&ALICE, host_code(), b"hello".to_vec());
        let info = ContractInfoOf::<Test>::get(c).unwrap();
        let all_required = HOST_FUNCTIONS
            .iter()
            .fold(Capabilities::NONE, |caps, f| caps.union(f.requires));
        assert_eq!(
            CodeInfoOf::<Test>::get(info.code_hash)
                .unwrap()
                .capabilities,
            all_required
        );
        assert_eq!(info.capabilities, all_required);
        assert!(qvm_events().iter().any(|e| matches!(e,
            QvmEvent::Deployed { contract, capabilities, .. }
                if *contract == c && *capabilities == all_required)));
        // One function at a time: the requirement is the table's.
        for f in HOST_FUNCTIONS {
            let c = try_deploy(calling(f), None).unwrap_or_else(|e| panic!("{}: {e:?}", f.name));
            assert_eq!(
                ContractInfoOf::<Test>::get(c).unwrap().capabilities,
                f.requires,
                "{}",
                f.name
            );
        }
    })
}

#[test]
fn a_grant_must_cover_the_imports_and_stay_within_what_the_chain_allows() {
    new_test_ext().execute_with(|| {
        for f in HOST_FUNCTIONS
            .iter()
            .filter(|f| f.requires != Capabilities::NONE)
        {
            // Everything but what it requires: refused, and nothing is stored.
            let without = Capabilities(Capabilities::ALL.0 & !f.requires.0);
            assert_eq!(
                try_deploy(calling(f), Some(without)),
                Err(err(Error::CapabilityNotGranted)),
                "{}",
                f.name
            );
            assert_eq!(ContractInfoOf::<Test>::iter().count(), 0);
            assert_eq!(Nonces::<Test>::get(&ALICE), 0);
        }
        // More than required is fine (e.g. for capabilities its future calls may need).
        let f = &HOST_FUNCTIONS[0];
        let c = try_deploy(calling(f), Some(Capabilities::ALL)).unwrap();
        assert_eq!(
            ContractInfoOf::<Test>::get(c).unwrap().capabilities,
            Capabilities::ALL
        );
        // Bits that name no capability are never granted (a later meaning would otherwise be
        // held without a grant), nor allowed.
        assert_eq!(
            try_deploy(
                calling(f),
                Some(Capabilities(Capabilities::ALL.0 | 1 << 31))
            ),
            Err(err(Error::CapabilityNotAllowed))
        );
        assert_eq!(
            Pallet::<Test>::set_allowed_capabilities(RuntimeOrigin::root(), Capabilities(1 << 31)),
            Err(err(Error::CapabilityNotAllowed))
        );
        // A chain that allows less: grants beyond it are refused, whatever the code needs.
        ChainCapabilities::set(Capabilities::of(&[Capability::StorageWrite]));
        assert_eq!(
            try_deploy(calling(f), Some(Capabilities::ALL)),
            Err(err(Error::CapabilityNotAllowed))
        );
        let emits = HOST_FUNCTIONS
            .iter()
            .find(|f| f.requires.contains(Capability::Events))
            .unwrap();
        assert_eq!(
            try_deploy(calling(emits), None),
            Err(err(Error::CapabilityNotAllowed))
        );
        // Through the extrinsic too, with the same named error.
        let res = Pallet::<Test>::deploy(
            RuntimeOrigin::signed(ALICE),
            calling(emits),
            0,
            vec![],
            GAS,
            None,
            None,
        );
        assert_eq!(res.unwrap_err().error, err(Error::CapabilityNotAllowed));
        ChainCapabilities::set(Capabilities::ALL);
    })
}

#[test]
fn governance_restricts_capabilities_and_the_vm_enforces_them_on_every_host_call() {
    new_test_ext().execute_with(|| {
        // Only governance may restrict, and only within `Config::Capabilities`.
        assert_eq!(
            Pallet::<Test>::set_allowed_capabilities(
                RuntimeOrigin::signed(ALICE),
                Capabilities::NONE
            ),
            Err(DispatchError::BadOrigin)
        );
        ChainCapabilities::set(Capabilities::of(&[Capability::Events]));
        assert_eq!(
            Pallet::<Test>::set_allowed_capabilities(RuntimeOrigin::root(), Capabilities::ALL),
            Err(err(Error::CapabilityNotAllowed))
        );
        ChainCapabilities::set(Capabilities::ALL);
        assert_eq!(AllowedCapabilities::<Test>::get(), None);

        for f in HOST_FUNCTIONS
            .iter()
            .filter(|f| f.requires != Capabilities::NONE)
        {
            set_allowed(Capabilities::ALL);
            let c = try_deploy(calling(f), None).unwrap();
            // Withdrawn from the chain: the deployed contract's call of it fails before any
            // work, with a named error, and leaves nothing behind.
            let without = Capabilities(Capabilities::ALL.0 & !f.requires.0);
            set_allowed(without);
            assert!(qvm_events().iter().any(|e| matches!(e,
                QvmEvent::AllowedCapabilitiesSet { allowed } if *allowed == without)));
            let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
            let out = call(&ALICE, c, "run", &[]);
            assert_eq!(out.result, Err(err(Error::CapabilityDenied)), "{}", f.name);
            assert_eq!(
                sp_io::storage::root(sp_runtime::StateVersion::V1),
                root,
                "{}",
                f.name
            );
            // New contracts cannot be granted it either.
            assert_eq!(
                try_deploy(calling(f), None),
                Err(err(Error::CapabilityNotAllowed)),
                "{}",
                f.name
            );
            // Restored: the same contract may use it again.
            set_allowed(Capabilities::ALL);
            let out = call(&ALICE, c, "run", &[]);
            assert!(
                out.result.is_ok(),
                "{}: {:?} after restoring",
                f.name,
                out.result
            );
        }
        // Functions that need no capability keep working under the tightest restriction.
        set_allowed(Capabilities::NONE);
        assert_eq!(Pallet::<Test>::allowed_capabilities(), Capabilities::NONE);
        for f in HOST_FUNCTIONS
            .iter()
            .filter(|f| f.requires == Capabilities::NONE)
        {
            set_allowed(Capabilities::ALL);
            let c = try_deploy(calling(f), None).unwrap();
            set_allowed(Capabilities::NONE);
            let out = call(&ALICE, c, "run", &[]);
            assert!(
                !matches!(out.result, Err(e) if e == err(Error::CapabilityDenied)),
                "{}",
                f.name
            );
        }
    })
}

#[test]
fn read_only_calls_run_with_the_capabilities_that_change_nothing() {
    new_test_ext().execute_with(|| {
        for f in HOST_FUNCTIONS
            .iter()
            .filter(|f| f.requires != Capabilities::NONE)
        {
            let c = try_deploy(calling(f), None).unwrap();
            let out = Pallet::<Test>::bare_query(ALICE, c, b"run", vec![], GAS);
            let changes_state = !Capabilities::READ_ONLY.includes(f.requires);
            if changes_state {
                assert_eq!(out.result, Err(err(Error::StateChangeDenied)), "{}", f.name);
            } else {
                assert!(out.result.is_ok(), "{}: {:?}", f.name, out.result);
            }
        }
    })
}
