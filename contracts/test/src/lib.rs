//! # qvm-test: TestVM
//!
//! Test QVM contracts on the real `pallet-qvm` in a mock runtime ([`runtime`]): deploy, create
//! funded accounts, switch callers, call methods (committing) and views (rolled back), move
//! blocks forward, inspect events, gas and storage.
//!
//! ```
//! use qvm_test::{args, TestVM, example_wasm};
//!
//! let mut vm = TestVM::new();
//! let alice = vm.create_account(1000);
//! let bob = vm.create_account(0);
//! vm.set_caller(alice.clone());
//! let token = vm.deploy(&example_wasm("token"), args!["TestToken", "TST", 1000u128]);
//! let result = vm.call(&token, "transfer", args![bob.clone(), 100u128]);
//! assert!(result.is_ok());
//! assert_eq!(vm.call_view::<u128>(&token, "balance_of", args![alice]), 900);
//! assert_eq!(vm.call_view::<u128>(&token, "balance_of", args![bob]), 100);
//! ```

pub mod build;
pub mod runtime;

pub use build::example_wasm;
pub use codec::{Decode, Encode};
pub use pallet_qvm::Error as QvmError;
pub use qvm_primitives::ContractAddress as Address;
pub use qvm_primitives::{Capabilities, Capability};
pub use sp_runtime::AccountId32 as Account;

use frame_support::traits::Currency;
use pallet_qvm::ExecConfig;
use runtime::{Qvm, Runtime, RuntimeEvent, System};
use sp_runtime::{BuildStorage, DispatchError};
use std::collections::BTreeMap;

/// Gas limit of every TestVM call unless changed with [`TestVM::set_gas_limit`].
pub const DEFAULT_GAS_LIMIT: u64 = 100_000_000;
/// Milliseconds [`TestVM::advance_block`] moves the clock.
pub const BLOCK_TIME_MS: u64 = 6_000;

/// SCALE-encoded call input: the concatenated encodings of the arguments, which is the
/// encoding of their tuple. Build it with [`args!`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args(pub Vec<u8>);

/// Encodes arguments for a contract method: `args![bob, 100u128]`. Give integers the exact
/// type the method declares (`100u128`, not `100`).
#[macro_export]
macro_rules! args {
    ($($e:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut input = Vec::new();
        $( $crate::Encode::encode_to(&$e, &mut input); )*
        $crate::Args(input)
    }};
}

/// A successful call's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The raw output bytes.
    pub bytes: Vec<u8>,
    /// Gas used.
    pub gas_used: u64,
}

impl Output {
    /// The output decoded as `T` (panics if it does not decode exactly).
    pub fn decode<T: Decode>(&self) -> T {
        decode_exact(&self.bytes)
    }
}

/// A failed call: the pallet's named error, and for `Reverted` the revert data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    /// The pallet error (`Reverted`, `OutOfGas`, `ContractTrapped`, ...).
    pub error: QvmError<Runtime>,
    /// Revert data (empty for other errors).
    pub output: Vec<u8>,
}

impl CallError {
    /// The revert data as UTF-8 (the SDK's `require`/`revert_str` messages).
    pub fn message(&self) -> &str {
        std::str::from_utf8(&self.output).unwrap_or("<non-utf8 revert data>")
    }
}

/// A contract event: `(contract, topic, data)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Emitting contract.
    pub contract: Address,
    /// Topic.
    pub topic: Vec<u8>,
    /// Indexed topics.
    pub topics: Vec<[u8; 32]>,
    /// Data.
    pub data: Vec<u8>,
}

fn decode_exact<T: Decode>(bytes: &[u8]) -> T {
    let mut slice = bytes;
    let value = T::decode(&mut slice).unwrap_or_else(|e| panic!("output does not decode: {e}"));
    assert!(
        slice.is_empty(),
        "output has {} trailing bytes",
        slice.len()
    );
    value
}

fn to_call_error(e: DispatchError, output: Vec<u8>) -> CallError {
    let error = match e {
        DispatchError::Module(m) => QvmError::<Runtime>::decode(&mut &m.error[..])
            .unwrap_or_else(|_| panic!("not a QVM error: {m:?}")),
        other => panic!("unexpected dispatch error {other:?}"),
    };
    CallError { error, output }
}

/// The test VM: a mock chain with pallet-qvm.
pub struct TestVM {
    ext: sp_io::TestExternalities,
    caller: Account,
    next_account: u64,
    gas_limit: u64,
    /// Value the next deploy or call transfers.
    value: u128,
    last_gas_used: u64,
}

impl Default for TestVM {
    fn default() -> Self {
        Self::new()
    }
}

impl TestVM {
    /// A fresh chain at block 1, timestamp 1_700_000_000_000, caller = a default funded account.
    pub fn new() -> Self {
        let storage = frame_system::GenesisConfig::<Runtime>::default()
            .build_storage()
            .unwrap_or_else(|e| panic!("genesis: {e}"));
        let mut ext = sp_io::TestExternalities::new(storage);
        ext.execute_with(|| {
            System::set_block_number(1);
            pallet_timestamp::Now::<Runtime>::put(1_700_000_000_000);
        });
        let mut vm = Self {
            ext,
            caller: Account::new([0; 32]),
            next_account: 1,
            gas_limit: DEFAULT_GAS_LIMIT,
            value: 0,
            last_gas_used: 0,
        };
        vm.caller = vm.create_account(1_000_000);
        vm
    }

    /// Runs `f` with the chain's storage.
    pub fn with<R>(&mut self, f: impl FnOnce() -> R) -> R {
        self.ext.execute_with(f)
    }

    /// Writes the changes made so far into the backing state, as a node commits a block it
    /// imported (benchmarks of whole blocks; tests never need it).
    pub fn commit(&mut self) {
        self.ext
            .commit_all()
            .unwrap_or_else(|e| panic!("commit: {e}"));
    }

    /// A new account with `balance` of the native currency.
    pub fn create_account(&mut self, balance: u128) -> Account {
        let mut id = [0xacu8; 32];
        id[..8].copy_from_slice(&self.next_account.to_le_bytes());
        self.next_account += 1;
        let who = Account::new(id);
        let w = who.clone();
        self.with(|| {
            let _ = <runtime::Balances as Currency<Account>>::make_free_balance_be(&w, balance);
        });
        who
    }

    /// Uploads `wasm` as the caller (without instantiating it): its code hash.
    pub fn upload(&mut self, wasm: &[u8]) -> [u8; 32] {
        let (who, code) = (self.caller.clone(), wasm.to_vec());
        self.with(|| Qvm::store_code(&who, code))
            .unwrap_or_else(|e| panic!("upload failed: {e:?}"))
    }

    /// The code hash `contract` runs (`None`: no such contract).
    pub fn code_hash(&mut self, contract: &Address) -> Option<[u8; 32]> {
        let c = *contract;
        self.with(|| Qvm::code_hash(&c))
    }

    /// Native balance of `who`.
    pub fn balance(&mut self, who: &Account) -> u128 {
        let w = who.clone();
        self.with(|| <runtime::Balances as Currency<Account>>::free_balance(&w))
    }

    /// Native balance of `contract`'s account (its minimum balance included).
    pub fn contract_balance(&mut self, contract: &Address) -> u128 {
        let account = self.with(|| Qvm::account_of(contract));
        self.balance(&account)
    }

    /// Makes the next deploy or call (not a view) transfer `value` from the caller to the
    /// contract before it runs; later ones transfer nothing again.
    pub fn set_value(&mut self, value: u128) {
        self.value = value;
    }

    /// Makes `who` the caller of the following deploys and calls.
    pub fn set_caller(&mut self, who: Account) {
        self.caller = who;
    }

    /// The current caller.
    pub fn caller(&self) -> Account {
        self.caller.clone()
    }

    /// Turns storage deposits on (off by default, so balances stay exact): `per_item` and
    /// `per_byte` of the chain's currency, held while code and contract storage exist.
    pub fn set_deposits(&mut self, per_item: u128, per_byte: u128) {
        runtime::DepositPerItem::set(per_item);
        runtime::DepositPerByte::set(per_byte);
    }

    /// The storage deposit `contract`'s account holds for its record and storage.
    pub fn storage_deposit(&mut self, contract: &Address) -> u128 {
        use frame_support::traits::fungible::InspectHold;
        let account = Qvm::account_of(contract);
        self.with(|| {
            runtime::Balances::balance_on_hold(
                &pallet_qvm::HoldReason::StorageDeposit.into(),
                &account,
            )
        })
    }

    /// Sets the gas limit of the following calls.
    pub fn set_gas_limit(&mut self, gas: u64) {
        self.gas_limit = gas;
    }

    /// Deploys `wasm` with constructor `args`; panics if deployment fails.
    pub fn deploy(&mut self, wasm: &[u8], args: Args) -> Address {
        self.try_deploy(wasm, args)
            .unwrap_or_else(|e| panic!("deploy failed: {:?} {}", e.error, e.message()))
    }

    /// Deploys `wasm` with constructor `args`, granting it what its imports require.
    pub fn try_deploy(&mut self, wasm: &[u8], args: Args) -> Result<Address, CallError> {
        self.try_deploy_with(wasm, args, None)
    }

    /// Deploys `wasm` with constructor `args` and the grant `capabilities` (`None`: what its
    /// imports require), as the `deploy` extrinsic does.
    pub fn try_deploy_with(
        &mut self,
        wasm: &[u8],
        args: Args,
        capabilities: Option<Capabilities>,
    ) -> Result<Address, CallError> {
        let (who, gas, code) = (self.caller.clone(), self.gas_limit, wasm.to_vec());
        let value = core::mem::take(&mut self.value);
        let outcome = self.with(|| {
            Qvm::bare_deploy(
                who,
                code,
                value,
                args.0,
                gas,
                capabilities,
                ExecConfig::COMMIT,
            )
        });
        self.last_gas_used = outcome.gas_used;
        match outcome.result {
            Ok((_, r)) if r.reverted => Err(CallError {
                error: QvmError::Reverted,
                output: r.output,
            }),
            Ok((address, _)) => Ok(address),
            Err(e) => Err(to_call_error(e, Vec::new())),
        }
    }

    /// Calls `method`, committing its effects, or read-only (nothing kept, state changes
    /// refused by the VM).
    fn run(
        &mut self,
        contract: &Address,
        method: &str,
        args: Args,
        read_only: bool,
    ) -> Result<Output, CallError> {
        let (who, gas, c, m) = (
            self.caller.clone(),
            self.gas_limit,
            *contract,
            method.as_bytes().to_vec(),
        );
        let value = core::mem::take(&mut self.value);
        let outcome = self.with(|| match read_only {
            true => Qvm::bare_query(who, c, &m, args.0, gas),
            false => Qvm::bare_call(who, c, value, &m, args.0, gas, ExecConfig::COMMIT),
        });
        self.last_gas_used = outcome.gas_used;
        match outcome.result {
            Ok(r) if r.reverted => Err(CallError {
                error: QvmError::Reverted,
                output: r.output,
            }),
            Ok(r) => Ok(Output {
                bytes: r.output,
                gas_used: outcome.gas_used,
            }),
            Err(e) => Err(to_call_error(e, Vec::new())),
        }
    }

    /// Calls `method` with `args` as the current caller; effects are kept if it succeeds.
    pub fn call(
        &mut self,
        contract: &Address,
        method: &str,
        args: Args,
    ) -> Result<Output, CallError> {
        self.run(contract, method, args, false)
    }

    /// Calls `method` read-only (see [`Self::try_call_view`]) and decodes its output as `T`;
    /// panics if the call fails.
    pub fn call_view<T: Decode>(&mut self, contract: &Address, method: &str, args: Args) -> T {
        self.try_call_view(contract, method, args)
            .unwrap_or_else(|e| panic!("view {method} failed: {:?} {}", e.error, e.message()))
            .decode()
    }

    /// Calls `method` read-only: the VM refuses any state change (`StateChangeDenied`), as
    /// the chain's queries do, and nothing is kept.
    pub fn try_call_view(
        &mut self,
        contract: &Address,
        method: &str,
        args: Args,
    ) -> Result<Output, CallError> {
        self.run(contract, method, args, true)
    }

    /// Gas used by the last deploy or call.
    pub fn gas_used(&self) -> u64 {
        self.last_gas_used
    }

    /// Moves to the next block (block number + 1, clock + [`BLOCK_TIME_MS`]).
    pub fn advance_block(&mut self) {
        self.with(|| {
            System::set_block_number(System::block_number() + 1);
            pallet_timestamp::Now::<Runtime>::mutate(|t| *t += BLOCK_TIME_MS);
        })
    }

    /// Current block number.
    pub fn block_number(&mut self) -> u64 {
        self.with(System::block_number)
    }

    /// Every contract event emitted by committed calls so far, oldest first.
    pub fn events(&mut self) -> Vec<Event> {
        self.with(|| {
            System::events()
                .into_iter()
                .filter_map(|r| match r.event {
                    RuntimeEvent::Qvm(pallet_qvm::Event::ContractEmitted {
                        contract,
                        topic,
                        topics,
                        data,
                    }) => Some(Event {
                        contract,
                        topic,
                        topics,
                        data,
                    }),
                    _ => None,
                })
                .collect()
        })
    }

    /// Clears the recorded events.
    pub fn clear_events(&mut self) {
        self.with(System::reset_events)
    }

    /// All key/value pairs of `contract`'s storage (keys as the contract wrote them).
    pub fn storage(&mut self, contract: &Address) -> BTreeMap<Vec<u8>, Vec<u8>> {
        let trie = pallet_qvm::address::trie_id(contract);
        self.with(|| {
            let mut out = BTreeMap::new();
            let mut stored = Vec::new();
            while let Some(next) = sp_io::default_child_storage::next_key(&trie, &stored) {
                let value = sp_io::default_child_storage::get(&trie, &next);
                if let (Some(key), Some(v)) = (pallet_qvm::storage::original_key(&next), value) {
                    out.insert(key.to_vec(), v);
                }
                stored = next;
            }
            out
        })
    }

    /// The Patricia root of `contract`'s child trie.
    pub fn storage_root(&mut self, contract: &Address) -> Vec<u8> {
        let c = *contract;
        self.with(|| Qvm::storage_root(&c).unwrap_or_default())
    }
}
