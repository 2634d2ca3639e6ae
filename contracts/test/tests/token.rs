//! The token example through TestVM.

use qvm_test::{args, example_wasm, Account, Address, Capabilities, Capability, QvmError, TestVM};

fn setup() -> (TestVM, Address, Account, Account) {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1000);
    let bob = vm.create_account(0);
    vm.set_caller(alice.clone());
    let token = vm.deploy(&example_wasm("token"), args!["TestToken", "TST", 1000u128]);
    (vm, token, alice, bob)
}

fn balance(vm: &mut TestVM, token: &Address, who: &Account) -> u128 {
    vm.call_view(token, "balance_of", args![who.clone()])
}

/// The seed design's test, nearly verbatim.
#[test]
fn test_token_transfer() {
    let mut vm = TestVM::new();

    // Setup accounts
    let alice = vm.create_account(1000);
    let bob = vm.create_account(0);

    // Deploy contract (supply minted to the deployer, alice)
    vm.set_caller(alice.clone());
    let token = vm.deploy(&example_wasm("token"), args!["TestToken", "TST", 1000u128]);

    // Execute transfer
    let result = vm.call(&token, "transfer", args![bob.clone(), 100u128]);

    assert!(result.is_ok());
    assert_eq!(
        vm.call_view::<u128>(&token, "balance_of", args![alice]),
        900
    );
    assert_eq!(vm.call_view::<u128>(&token, "balance_of", args![bob]), 100);
}

#[test]
fn metadata() {
    let (mut vm, token, _, _) = setup();
    assert_eq!(vm.call_view::<String>(&token, "name", args![]), "TestToken");
    assert_eq!(vm.call_view::<String>(&token, "symbol", args![]), "TST");
    assert_eq!(vm.call_view::<u8>(&token, "decimals", args![]), 18);
    assert_eq!(vm.call_view::<u128>(&token, "total_supply", args![]), 1000);
}

#[test]
fn transfer_more_than_balance_reverts_and_changes_nothing() {
    let (mut vm, token, alice, bob) = setup();
    vm.call(&token, "transfer", args![bob.clone(), 100u128])
        .unwrap();
    let before = vm.storage(&token);
    let events_before = vm.events().len();
    vm.set_caller(bob.clone());
    let err = vm
        .call(&token, "transfer", args![alice.clone(), 101u128])
        .unwrap_err();
    assert_eq!(err.error, QvmError::Reverted);
    assert_eq!(err.message(), "insufficient balance");
    assert_eq!(vm.storage(&token), before);
    assert_eq!(vm.events().len(), events_before);
    assert_eq!(balance(&mut vm, &token, &bob), 100);
    assert_eq!(balance(&mut vm, &token, &alice), 900);
}

#[test]
fn transfer_emits_event_and_views_change_nothing() {
    let (mut vm, token, alice, bob) = setup();
    vm.clear_events();
    vm.call(&token, "transfer", args![bob.clone(), 7u128])
        .unwrap();
    let events = vm.events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].contract, token);
    assert_eq!(events[0].topic, b"Transfer".to_vec());
    let (from, to, amount): ([u8; 32], [u8; 32], u128) =
        codec::Decode::decode(&mut &events[0].data[..]).unwrap();
    assert_eq!((from, to, amount), (*alice.as_ref(), *bob.as_ref(), 7));
    // A transfer run as a view is refused by the VM (read-only) and changes nothing.
    let root = vm.storage_root(&token);
    let err = vm
        .try_call_view(&token, "transfer", args![bob.clone(), 5u128])
        .unwrap_err();
    assert_eq!(
        err.error,
        qvm_test::QvmError::<qvm_test::runtime::Runtime>::StateChangeDenied
    );
    assert_eq!(vm.storage_root(&token), root);
    assert_eq!(balance(&mut vm, &token, &bob), 7);
}

#[test]
fn allowance_flow() {
    let (mut vm, token, alice, bob) = setup();
    let carol = vm.create_account(0);
    assert_eq!(
        vm.call_view::<u128>(&token, "allowance", args![alice.clone(), bob.clone()]),
        0
    );
    vm.call(&token, "approve", args![bob.clone(), 300u128])
        .unwrap();
    assert_eq!(
        vm.call_view::<u128>(&token, "allowance", args![alice.clone(), bob.clone()]),
        300
    );
    assert!(vm.events().iter().any(|e| e.topic == b"Approval"));

    vm.set_caller(bob.clone());
    vm.call(
        &token,
        "transfer_from",
        args![alice.clone(), carol.clone(), 200u128],
    )
    .unwrap();
    assert_eq!(balance(&mut vm, &token, &carol), 200);
    assert_eq!(balance(&mut vm, &token, &alice), 800);
    assert_eq!(
        vm.call_view::<u128>(&token, "allowance", args![alice.clone(), bob.clone()]),
        100
    );

    let err = vm
        .call(
            &token,
            "transfer_from",
            args![alice.clone(), carol.clone(), 101u128],
        )
        .unwrap_err();
    assert_eq!(err.message(), "insufficient allowance");
    // Carol has no allowance at all.
    vm.set_caller(carol.clone());
    let err = vm
        .call(
            &token,
            "transfer_from",
            args![alice.clone(), carol.clone(), 1u128],
        )
        .unwrap_err();
    assert_eq!(err.message(), "insufficient allowance");
    // Allowance beyond the owner's balance: the balance check fails.
    vm.set_caller(alice.clone());
    vm.call(&token, "approve", args![bob.clone(), 10_000u128])
        .unwrap();
    vm.set_caller(bob.clone());
    let err = vm
        .call(
            &token,
            "transfer_from",
            args![alice.clone(), bob.clone(), 900u128],
        )
        .unwrap_err();
    assert_eq!(err.message(), "insufficient balance");
}

#[test]
fn bad_input_and_unknown_method_are_named_errors() {
    let (mut vm, token, _, _) = setup();
    let err = vm
        .call(&token, "transfer", qvm_test::Args(vec![1, 2, 3]))
        .unwrap_err();
    assert_eq!(err.error, QvmError::Reverted);
    assert_eq!(err.message(), "cannot decode input");
    let err = vm.call(&token, "mint", args![]).unwrap_err();
    assert_eq!(err.error, QvmError::MethodNotFound);
    vm.set_gas_limit(20_000);
    let err = vm.call(&token, "total_supply", args![]).unwrap_err();
    assert_eq!(err.error, QvmError::OutOfGas);
    assert_eq!(vm.gas_used(), 20_000);
}

#[test]
fn self_transfer_and_zero_transfer_keep_supply() {
    let (mut vm, token, alice, bob) = setup();
    vm.call(&token, "transfer", args![alice.clone(), 500u128])
        .unwrap();
    vm.call(&token, "transfer", args![bob.clone(), 0u128])
        .unwrap();
    assert_eq!(balance(&mut vm, &token, &alice), 1000);
    assert_eq!(balance(&mut vm, &token, &bob), 0);
}

/// The token needs `StorageWrite` and `Events` (its imports say so): a grant without them is
/// refused by name, a grant with more is kept.
#[test]
fn token_deploys_only_with_the_capabilities_it_imports() {
    let mut vm = TestVM::new();
    let alice = vm.create_account(1000);
    vm.set_caller(alice);
    let wasm = example_wasm("token");
    let args = || args!["TestToken", "TST", 1000u128];
    let err = vm
        .try_deploy_with(&wasm, args(), Some(Capability::Events.into()))
        .unwrap_err();
    assert_eq!(err.error, QvmError::CapabilityNotGranted);
    assert!(vm
        .try_deploy_with(&wasm, args(), Some(Capabilities::ALL))
        .is_ok());
}
