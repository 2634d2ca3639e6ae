//! # pallet-qvm
//!
//! WebAssembly smart contracts for Substrate chains, executed by the embedded wasmi interpreter
//! with deterministic, per-operator gas metering. Each contract keeps its state in its own child
//! trie.
//!
//! ## Lifecycle
//!
//! * [`Pallet::upload_code`] validates and stores code once per hash (deduplicated, owned by
//!   its first uploader, reference-counted by the contracts that use it).
//! * [`Pallet::deploy`] uploads (if needed) and instantiates; [`Pallet::instantiate`]
//!   instantiates stored code. Instantiation derives the address (see [`address`]), records the
//!   contract and runs its `constructor` export with the given input.
//! * [`Pallet::call`] runs an exported method by name with the given input.
//! * [`Pallet::remove_code`] deletes code no contract uses (owner only).
//!
//! A failed execution (trap, revert, out of gas, host-call error) rolls back every storage
//! write and event of that call, and the caller pays for the gas used.
//!
//! The host ABI is documented in `docs/ABI.md` and defined in `qvm-primitives`.
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub mod address;
#[cfg(any(feature = "runtime-benchmarks", test))]
pub mod benchmarking;
pub mod call_local;
pub mod deletion;
pub mod deposit;
pub mod estimate;
pub mod exec;
pub mod gas;
pub mod integrity;
mod outcome;
pub mod schedule;
pub mod storage;
pub mod validation;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use exec::stack::ExecConfig;
pub use outcome::ContractOutcome;
pub use pallet::*;
pub use qvm_primitives::{
    Capabilities, Capability, CodeHash, ContractAddress, ContractEvent, ExecReturn, ExecutionMode,
    GasConfig, Limits,
};
pub use schedule::CalibratedSchedule;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Bytes a signed QVM extrinsic takes besides its variable-size arguments (code, input, method
/// name): the signature, address and signed extensions, call indices and fixed-size arguments,
/// with room to spare. Counted by
/// [`Pallet::max_gas_limit`], since `CheckWeight` adds an extrinsic's length to its proof size.
pub const EXTRINSIC_OVERHEAD_LEN: u64 = 1024;

/// The balance type of the chain's currency (`Config::Currency`).
pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
    <T as frame_system::Config>::AccountId,
>>::Balance;

/// Maximum length of a child-trie id (`"qvm:" ++ 32-byte address`).
pub type TrieId = BoundedVec<u8, ConstU32<64>>;

/// Stored code metadata.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct CodeInfo<AccountId, Balance> {
    /// The account that first uploaded the code; the only one allowed to remove it.
    pub owner: AccountId,
    /// The deposit held from the owner for storing the code (released when it is removed).
    pub deposit: Balance,
    /// Number of contracts instantiated from this code.
    pub refcount: u64,
    /// Code length in bytes.
    pub code_len: u32,
    /// The capabilities its imports require (a contract running it must be granted them).
    pub capabilities: Capabilities,
}

/// A deployed contract.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ContractInfo<AccountId> {
    /// The code it runs.
    pub code_hash: CodeHash,
    /// That code's length in bytes (charged before the code is read).
    pub code_len: u32,
    /// Its child-trie id.
    pub trie_id: TrieId,
    /// The account that deployed it.
    pub deployer: AccountId,
    /// Number of storage entries.
    pub storage_items: u32,
    /// Bytes of keys and values stored.
    pub storage_bytes: u64,
    /// What its deployer granted it (at least what its code requires, at most what the chain
    /// allowed at instantiation). It runs with the part the chain still allows.
    pub capabilities: Capabilities,
}

#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use crate::{
        exec::{self, stack::Stack, ExecError},
        validation::ValidationError,
    };
    use frame_support::{
        dispatch::{DispatchErrorWithPostInfo, PostDispatchInfo},
        pallet_prelude::*,
        traits::{fungible, Time},
    };
    use frame_system::pallet_prelude::*;
    use sp_runtime::traits::{Convert, UniqueSaturatedInto, Zero};
    use sp_runtime::DispatchError;

    /// The in-code storage version.
    const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

    #[pallet::pallet]
    #[pallet::storage_version(STORAGE_VERSION)]
    pub struct Pallet<T>(_);

    /// Configuration of the pallet.
    #[pallet::config]
    pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
        /// Source of the block timestamp (`qnet_get_block_timestamp`), usually pallet-timestamp.
        type Time: Time;
        /// Weights of the dispatchables (execution itself is paid as gas).
        type WeightInfo: WeightInfo;
        /// The gas schedule.
        #[pallet::constant]
        type Schedule: Get<GasConfig>;
        /// How uploaded code is compiled when it is validated: `FullJIT` also translates every
        /// function, so code the translator rejects is refused at upload. Executions always
        /// translate lazily, each function when first entered (its charge); gas is the same in
        /// every mode.
        #[pallet::constant]
        type ExecutionMode: Get<ExecutionMode>;
        /// Code, memory, stack, storage, event and I/O limits.
        #[pallet::constant]
        type Limits: Get<Limits>;
        /// Maximum code size in bytes.
        #[pallet::constant]
        type MaxCodeLen: Get<u32>;
        /// Who may upload code (`upload_code`, and the upload part of `deploy`); the account it
        /// yields owns the code. `EnsureSigned` lets anyone; a chain may restrict it to an
        /// allow-list or to governance (e.g. `EnsureSignedBy`, or root mapped to an account).
        type UploadOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;
        /// Who may instantiate contracts (`deploy`, `instantiate`); the account it yields is
        /// the deployer (address derivation, `qnet_get_caller` in the constructor).
        type InstantiateOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;
        /// The most a contract on this chain may be granted ([`Capabilities::ALL`] lets
        /// deployers grant anything). Governance may restrict it further at run time
        /// ([`Pallet::set_allowed_capabilities`]).
        #[pallet::constant]
        type Capabilities: Get<Capabilities>;
        /// Who may restrict the capabilities contracts are allowed (e.g. root or a council).
        type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
        /// The weight the runtime's transaction extensions add to every signed extrinsic
        /// (nonce, payment, ...): the dry runs' default gas limit leaves room for it
        /// ([`Pallet::max_gas_limit`]). `()` for none.
        type ExtensionWeight: Get<Weight>;
        /// The chain's currency: contracts hold it in their accounts, calls and instantiations
        /// transfer `value` with it, `qnet_transfer` moves it (usually pallet-balances).
        /// Storage deposits are held in it (`fungible::MutateHold`, reasons [`HoldReason`]).
        type Currency: fungible::Mutate<Self::AccountId>
            + fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
        /// The runtime's hold reasons (the pallet's [`HoldReason`] among them).
        type RuntimeHoldReason: From<HoldReason>;
        /// Deposit per byte of stored code and of contract storage (keys and values), held
        /// while it exists.
        #[pallet::constant]
        type DepositPerByte: Get<BalanceOf<Self>>;
        /// Deposit per stored item: a code, a contract's record, an entry of contract storage.
        #[pallet::constant]
        type DepositPerItem: Get<BalanceOf<Self>>;
        /// The account of a contract address ([`address::AccountId32Mapper`] for 32-byte
        /// account ids: the same bytes). It must be injective: two contracts never share an
        /// account.
        type AddressMapper: Convert<ContractAddress, Self::AccountId>;
    }

    /// Contract code by hash.
    #[pallet::storage]
    pub type PristineCode<T: Config> =
        StorageMap<_, Identity, CodeHash, BoundedVec<u8, T::MaxCodeLen>>;

    /// Code metadata (owner, deposit, reference count, length) by hash.
    #[pallet::storage]
    pub type CodeInfoOf<T: Config> =
        StorageMap<_, Identity, CodeHash, CodeInfo<T::AccountId, BalanceOf<T>>>;

    /// Why the pallet holds funds.
    #[pallet::composite_enum]
    pub enum HoldReason {
        /// The deposit for a stored code, held from its owner.
        CodeDeposit,
        /// The deposit for a contract's record and storage, held on the contract's account.
        StorageDeposit,
    }

    /// Deployed contracts by address.
    #[pallet::storage]
    pub type ContractInfoOf<T: Config> =
        StorageMap<_, Identity, ContractAddress, ContractInfo<T::AccountId>>;

    /// The capabilities governance allows contracts (within `Config::Capabilities`); unset means
    /// all of `Config::Capabilities`. See [`Pallet::allowed_capabilities`].
    #[pallet::storage]
    pub type AllowedCapabilities<T: Config> = StorageValue<_, Capabilities, OptionQuery>;

    /// Child tries of terminated contracts waiting for deletion, by queue position
    /// ([`crate::deletion`]).
    #[pallet::storage]
    pub type DeletionQueue<T: Config> = StorageMap<_, Twox64Concat, u32, TrieId>;

    /// The deletion queue's next free position and its oldest entry.
    #[pallet::storage]
    pub type DeletionQueueCounter<T: Config> = StorageValue<_, (u32, u32), ValueQuery>;

    /// Number of contracts each account has deployed (the nonce in its next contract's address).
    #[pallet::storage]
    pub type Nonces<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u64, ValueQuery>;

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        /// Deletes the storage of terminated contracts with the weight the block has left.
        fn on_idle(_block: BlockNumberFor<T>, limit: Weight) -> Weight {
            crate::deletion::process::<T>(limit)
        }

        fn integrity_test() {
            if let Err(problem) = crate::integrity::check::<T>() {
                panic!("pallet-qvm is misconfigured: {problem}");
            }
        }
    }

    /// Events of the pallet.
    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        /// New code was stored.
        CodeStored {
            /// Its hash.
            code_hash: CodeHash,
            /// Its owner (first uploader).
            owner: T::AccountId,
        },
        /// A contract was deployed and its constructor succeeded.
        Deployed {
            /// Who deployed it.
            deployer: T::AccountId,
            /// Its address.
            contract: ContractAddress,
            /// Its code.
            code_hash: CodeHash,
            /// Gas used by loading and the constructor.
            gas_used: u64,
            /// The capabilities it was granted.
            capabilities: Capabilities,
        },
        /// A contract method was called successfully.
        Called {
            /// The caller.
            caller: T::AccountId,
            /// The contract.
            contract: ContractAddress,
            /// Gas used.
            gas_used: u64,
        },
        /// A contract emitted an event (`qnet_emit_event`, `qnet_emit_event_indexed`).
        ContractEmitted {
            /// The emitting contract.
            contract: ContractAddress,
            /// Topic bytes (the event's name, by convention).
            topic: Vec<u8>,
            /// Indexed topics: the event is in System's topic index under each
            /// (`frame_system::EventTopics`), for clients to filter by.
            topics: Vec<[u8; 32]>,
            /// Data bytes.
            data: Vec<u8>,
        },
        /// Code was removed.
        CodeRemoved {
            /// Its hash.
            code_hash: CodeHash,
        },
        /// A contract replaced its code (`qnet_set_code_hash`), or governance did (`set_code`).
        CodeHashChanged {
            /// The contract.
            contract: ContractAddress,
            /// Its new code.
            new_code_hash: CodeHash,
            /// Its old code.
            old_code_hash: CodeHash,
        },
        /// A contract removed itself (`qnet_terminate`); its storage is deleted in later blocks.
        Terminated {
            /// The contract.
            contract: ContractAddress,
            /// Who got its balance and storage deposit.
            beneficiary: T::AccountId,
        },
        /// Governance changed the capabilities contracts are allowed.
        AllowedCapabilitiesSet {
            /// What contracts may now be granted and use.
            allowed: Capabilities,
        },
    }

    /// Errors of the pallet: one per failure.
    #[pallet::error]
    #[derive(Clone, PartialEq, Eq)]
    pub enum Error<T> {
        /// Code is larger than `MaxCodeLen`.
        CodeTooLarge,
        /// Code is not a well-formed, valid Wasm module.
        InvalidModule,
        /// Code uses floating-point types or operators.
        FloatForbidden,
        /// Code uses SIMD.
        SimdForbidden,
        /// Code uses threads/atomics or shared memory.
        AtomicsForbidden,
        /// Code uses an operator from an unsupported proposal.
        ForbiddenOpcode,
        /// Code imports something that is not a QVM host function.
        UnknownImport,
        /// Code imports a host function with the wrong signature.
        ImportSignatureMismatch,
        /// Code has too many functions.
        TooManyFunctions,
        /// Code has too many globals.
        TooManyGlobals,
        /// Code declares more than one memory or too many initial pages.
        MemoryTooLarge,
        /// Code declares more than one table or too many elements.
        TableTooLarge,
        /// Code has too many data segments.
        TooManyDataSegments,
        /// Code has too many element segments.
        TooManyElementSegments,
        /// Code has a start function.
        StartFunctionForbidden,
        /// Code does not export its memory as `memory`.
        MissingMemoryExport,
        /// Code does not export a `constructor` function.
        MissingConstructor,
        /// Code exports a function whose type is not `() -> ()`.
        InvalidExportSignature,
        /// No code is stored under this hash.
        CodeNotFound,
        /// Contracts still use this code.
        CodeInUse,
        /// Only the code's owner may remove it.
        NotCodeOwner,
        /// No contract at this address.
        ContractNotFound,
        /// A contract already exists at the derived address.
        ContractAlreadyExists,
        /// Call input longer than `Limits::max_input_len`.
        InputTooLarge,
        /// The method is not an exported function (or is the constructor).
        MethodNotFound,
        /// The gas limit was exhausted.
        OutOfGas,
        /// The contract trapped (unreachable, division by zero, out-of-bounds access, ...).
        ContractTrapped,
        /// Recursion or value stack exceeded its limit.
        StackOverflow,
        /// A host call received a pointer outside the contract's memory.
        MemoryOutOfBounds,
        /// A storage key exceeds `Limits::max_key_len`.
        StorageKeyTooLarge,
        /// A storage value exceeds `Limits::max_value_len`.
        StorageValueTooLarge,
        /// An event topic exceeds `Limits::max_topic_len`.
        EventTopicTooLarge,
        /// Event data exceeds `Limits::max_event_data_len`.
        EventDataTooLarge,
        /// More than `Limits::max_events` events in one call.
        TooManyEvents,
        /// An event with more indexed topics than `Limits::max_event_topics`.
        TooManyTopics,
        /// Return or revert data exceeds `Limits::max_output_len`.
        OutputTooLarge,
        /// The contract reverted (`qnet_revert`).
        Reverted,
        /// The deployer's nonce overflowed.
        NonceOverflow,
        /// Code has a function with more locals (parameters included) than
        /// `Limits::max_locals`.
        TooManyLocals,
        /// Code uses multi-value: a function with several results, or a block with parameters
        /// or several results.
        MultiValueForbidden,
        /// A read-only call tried to change state (write or remove storage, emit an event).
        StateChangeDenied,
        /// The capabilities asked for exceed what the chain allows contracts.
        CapabilityNotAllowed,
        /// The code imports a host function needing a capability the deployment does not grant.
        CapabilityNotGranted,
        /// The contract called a host function needing a capability it was not granted (or the
        /// chain no longer allows).
        CapabilityDenied,
        /// The value to transfer exceeds what the sender can spend (its balance above the
        /// minimum balance its account keeps).
        InsufficientBalance,
        /// The transfer would leave the recipient below the minimum balance (existential
        /// deposit).
        BelowMinimumBalance,
        /// `qnet_transfer` was given bytes that are not the encoding of an account id.
        InvalidAccount,
        /// `qnet_call` was given flags it does not know.
        InvalidCallFlags,
        /// The storage deposit the execution needs exceeds its `storage_deposit_limit` (a dry
        /// run reports the deposit needed).
        StorageDepositLimitExhausted,
        /// The origin cannot pay the storage deposit the execution needs (keeping its minimum
        /// balance; a dry run reports the deposit needed).
        StorageDepositNotEnoughFunds,
        /// `qnet_terminate` in a contract that is on the call stack more than once (its other
        /// frames would run on without it).
        TerminatedWhileReentrant,
        /// `qnet_terminate` in a constructor.
        TerminatedInConstructor,
        /// `set_code`: the contract's granted capabilities do not cover what the new code
        /// requires.
        CodeNeedsMoreCapabilities,
        /// Code declares more function types than `Limits::max_types`.
        TooManyTypes,
        /// Code has more exports than `Limits::max_exports`.
        TooManyExports,
    }

    impl<T> From<ValidationError> for Error<T> {
        fn from(e: ValidationError) -> Self {
            use ValidationError as V;
            match e {
                V::InvalidModule => Error::InvalidModule,
                V::FloatForbidden => Error::FloatForbidden,
                V::SimdForbidden => Error::SimdForbidden,
                V::AtomicsForbidden => Error::AtomicsForbidden,
                V::ForbiddenOpcode => Error::ForbiddenOpcode,
                V::UnknownImport => Error::UnknownImport,
                V::ImportSignatureMismatch => Error::ImportSignatureMismatch,
                V::TooManyFunctions => Error::TooManyFunctions,
                V::TooManyLocals => Error::TooManyLocals,
                V::MultiValueForbidden => Error::MultiValueForbidden,
                V::TooManyGlobals => Error::TooManyGlobals,
                V::MemoryTooLarge => Error::MemoryTooLarge,
                V::TableTooLarge => Error::TableTooLarge,
                V::TooManyDataSegments => Error::TooManyDataSegments,
                V::TooManyElementSegments => Error::TooManyElementSegments,
                V::StartFunctionForbidden => Error::StartFunctionForbidden,
                V::MissingMemoryExport => Error::MissingMemoryExport,
                V::MissingConstructor => Error::MissingConstructor,
                V::InvalidExportSignature => Error::InvalidExportSignature,
                V::TooManyTypes => Error::TooManyTypes,
                V::TooManyExports => Error::TooManyExports,
            }
        }
    }

    impl<T> From<ExecError> for Error<T> {
        fn from(e: ExecError) -> Self {
            use ExecError as E;
            match e {
                E::OutOfGas => Error::OutOfGas,
                E::InvalidModule => Error::InvalidModule,
                E::MethodNotFound => Error::MethodNotFound,
                E::Trapped => Error::ContractTrapped,
                E::StackOverflow => Error::StackOverflow,
                E::MemoryOutOfBounds => Error::MemoryOutOfBounds,
                E::KeyTooLarge => Error::StorageKeyTooLarge,
                E::ValueTooLarge => Error::StorageValueTooLarge,
                E::TopicTooLarge => Error::EventTopicTooLarge,
                E::EventDataTooLarge => Error::EventDataTooLarge,
                E::TooManyEvents => Error::TooManyEvents,
                E::TooManyTopics => Error::TooManyTopics,
                E::OutputTooLarge => Error::OutputTooLarge,
                E::StateChangeDenied => Error::StateChangeDenied,
                E::CapabilityDenied => Error::CapabilityDenied,
                E::InvalidAccount => Error::InvalidAccount,
                E::InvalidCallFlags => Error::InvalidCallFlags,
                E::InputTooLarge => Error::InputTooLarge,
            }
        }
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Validates and stores `code`, owned by the sender. Storing code that already exists
        /// is a no-op.
        #[pallet::call_index(0)]
        #[pallet::weight(Pallet::<T>::upload_weight(code.len(), None))]
        pub fn upload_code(origin: OriginFor<T>, code: Vec<u8>) -> DispatchResultWithPostInfo {
            let who = T::UploadOrigin::ensure_origin(origin)?;
            let functions = crate::validation::defined_functions(&code);
            let actual = Self::upload_weight(code.len(), Some(functions));
            Self::store_code(&who, code).map_err(|error| DispatchErrorWithPostInfo {
                post_info: Some(actual).into(),
                error,
            })?;
            Ok(Some(actual).into())
        }

        /// Uploads `code` (if new) and instantiates it: derives the address, funds the new
        /// contract's account with the minimum balance (existential deposit) plus `value` from
        /// the deployer, runs the `constructor` export with `constructor_args` and at most
        /// `gas_limit` gas.
        /// `capabilities` is the grant (`None`: exactly what the code's imports require); it
        /// must cover the code's imports and lie within what the chain allows.
        #[pallet::call_index(1)]
        #[pallet::weight(Pallet::<T>::deploy_weight(code.len(), constructor_args.len())
            .saturating_add(Pallet::<T>::upload_functions_weight(code.len(), None))
            .saturating_add(Pallet::<T>::capabilities_read_weight())
            .saturating_add(Pallet::<T>::gas_limit_weight(*gas_limit)))]
        pub fn deploy(
            origin: OriginFor<T>,
            code: Vec<u8>,
            #[pallet::compact] value: BalanceOf<T>,
            constructor_args: Vec<u8>,
            gas_limit: u64,
            capabilities: Option<Capabilities>,
            storage_deposit_limit: Option<BalanceOf<T>>,
        ) -> DispatchResultWithPostInfo {
            let who = T::InstantiateOrigin::ensure_origin(origin.clone())?;
            // Uploading is a separate permission (unless the code is stored already).
            let code_hash = sp_io::hashing::blake2_256(&code);
            let functions = if CodeInfoOf::<T>::contains_key(code_hash) {
                0
            } else {
                T::UploadOrigin::ensure_origin(origin)?;
                crate::validation::defined_functions(&code)
            };
            let base = Self::deploy_weight(code.len(), constructor_args.len())
                .saturating_add(Self::upload_functions_weight(code.len(), Some(functions)));
            let outcome = Self::bare_deploy(
                who,
                code,
                value,
                constructor_args,
                gas_limit,
                capabilities,
                Self::committing_with(storage_deposit_limit),
            );
            Self::to_post_info(base, &outcome, |(_, r)| r)
        }

        /// Instantiates stored code: like [`Pallet::deploy`] without the upload (the same
        /// `capabilities` rules apply).
        #[pallet::call_index(2)]
        #[pallet::weight(T::WeightInfo::instantiate(0, constructor_args.len() as u32)
            .saturating_add(Pallet::<T>::capabilities_read_weight())
            .saturating_add(Pallet::<T>::gas_limit_weight(*gas_limit)))]
        pub fn instantiate(
            origin: OriginFor<T>,
            code_hash: CodeHash,
            #[pallet::compact] value: BalanceOf<T>,
            constructor_args: Vec<u8>,
            gas_limit: u64,
            capabilities: Option<Capabilities>,
            storage_deposit_limit: Option<BalanceOf<T>>,
        ) -> DispatchResultWithPostInfo {
            let who = T::InstantiateOrigin::ensure_origin(origin)?;
            let base = T::WeightInfo::instantiate(0, constructor_args.len() as u32);
            let outcome = Self::bare_instantiate(
                who,
                code_hash,
                value,
                constructor_args,
                gas_limit,
                capabilities,
                Self::committing_with(storage_deposit_limit),
            );
            Self::to_post_info(base, &outcome, |(_, r)| r)
        }

        /// Calls the exported function `method` of `contract` with input `args` and at most
        /// `gas_limit` gas, transferring `value` to the contract first. Charges the gas used; a
        /// failure rolls back all its effects (the transfer included). The storage the call's
        /// contracts add is paid as a deposit from the sender, at most `storage_deposit_limit`
        /// (`None`: what the sender can spend); storage they free refunds it
        /// ([`crate::deposit`]).
        #[pallet::call_index(3)]
        #[pallet::weight(T::WeightInfo::call(0, args.len() as u32)
            .saturating_add(Pallet::<T>::value_transfer_weight(value))
            .saturating_add(Pallet::<T>::capabilities_read_weight())
            .saturating_add(Pallet::<T>::gas_limit_weight(*gas_limit)))]
        pub fn call(
            origin: OriginFor<T>,
            contract: ContractAddress,
            #[pallet::compact] value: BalanceOf<T>,
            method: Vec<u8>,
            args: Vec<u8>,
            gas_limit: u64,
            storage_deposit_limit: Option<BalanceOf<T>>,
        ) -> DispatchResultWithPostInfo {
            let who = ensure_signed(origin)?;
            let base = T::WeightInfo::call(0, args.len() as u32)
                .saturating_add(Self::value_transfer_weight(&value));
            let outcome = Self::bare_call(
                who,
                contract,
                value,
                &method,
                args,
                gas_limit,
                Self::committing_with(storage_deposit_limit),
            );
            Self::to_post_info(base, &outcome, |r| r)
        }

        /// Removes code no contract uses. Only its owner may do this.
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::remove_code())]
        pub fn remove_code(origin: OriginFor<T>, code_hash: CodeHash) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let info = CodeInfoOf::<T>::get(code_hash).ok_or(Error::<T>::CodeNotFound)?;
            ensure!(info.owner == who, Error::<T>::NotCodeOwner);
            ensure!(info.refcount == 0, Error::<T>::CodeInUse);
            crate::deposit::release_code::<T>(&info.owner, info.deposit);
            CodeInfoOf::<T>::remove(code_hash);
            PristineCode::<T>::remove(code_hash);
            Self::deposit_event(Event::CodeRemoved { code_hash });
            Ok(())
        }

        /// Restricts (or restores) the capabilities contracts may be granted and use, within
        /// `Config::Capabilities`. Takes effect at once: a contract's host calls needing a
        /// capability no longer allowed fail with `CapabilityDenied`. Governance only.
        #[pallet::call_index(5)]
        #[pallet::weight(T::DbWeight::get().writes(1))]
        pub fn set_allowed_capabilities(
            origin: OriginFor<T>,
            allowed: Capabilities,
        ) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            ensure!(
                allowed.is_known() && T::Capabilities::get().includes(allowed),
                Error::<T>::CapabilityNotAllowed
            );
            AllowedCapabilities::<T>::put(allowed);
            Self::deposit_event(Event::AllowedCapabilitiesSet { allowed });
            Ok(())
        }

        /// Makes `contract` run the stored code `code_hash` from its next call on (an upgrade
        /// by governance, e.g. to fix a contract that cannot upgrade itself). The contract's
        /// grant must cover what the new code requires (`CodeNeedsMoreCapabilities`); both
        /// codes' reference counts follow. Governance only.
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::set_code())]
        pub fn set_code(
            origin: OriginFor<T>,
            contract: ContractAddress,
            code_hash: CodeHash,
        ) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            let mut info =
                ContractInfoOf::<T>::get(contract).ok_or(Error::<T>::ContractNotFound)?;
            let code = CodeInfoOf::<T>::get(code_hash).ok_or(Error::<T>::CodeNotFound)?;
            ensure!(
                info.capabilities.includes(code.capabilities),
                Error::<T>::CodeNeedsMoreCapabilities
            );
            exec::stack::switch_code::<T>(contract, &mut info, code_hash);
            ContractInfoOf::<T>::insert(contract, info);
            Ok(())
        }
    }

    impl<T: Config> Pallet<T> {
        /// The weight of uploading `code_len` bytes of code defining `functions` functions
        /// (`None`: as many as such code can define, the weight reserved before dispatch).
        pub fn upload_weight(code_len: usize, functions: Option<u32>) -> Weight {
            Self::upload_slope_scaled(T::WeightInfo::upload_code, code_len)
                .saturating_add(Self::upload_functions_weight(code_len, functions))
        }

        /// `deploy`'s weight for `code_len` bytes of code (uploaded, if new) and `input_len`
        /// bytes of constructor input, without the per-function part.
        pub fn deploy_weight(code_len: usize, input_len: usize) -> Weight {
            Self::upload_slope_scaled(
                |c| T::WeightInfo::deploy(c, input_len.try_into().unwrap_or(u32::MAX)),
                code_len,
            )
        }

        /// `f(code_len)` with its code-size slope's `ref_time` charged
        /// [`crate::schedule::UPLOAD_TRANSLATION_FACTOR`] times: uploads translate every function,
        /// and other code translates dearer per byte than the benchmark's.
        fn upload_slope_scaled(f: impl Fn(u32) -> Weight, code_len: usize) -> Weight {
            let c = f(code_len.try_into().unwrap_or(u32::MAX));
            let slope = c.ref_time().saturating_sub(f(0).ref_time());
            c.saturating_add(Weight::from_parts(
                slope.saturating_mul(crate::schedule::UPLOAD_TRANSLATION_FACTOR.saturating_sub(1)),
                0,
            ))
        }

        /// What validating and translating `functions` functions adds to an upload beyond its
        /// bytes (`None`: the most `code_len` bytes can define).
        pub fn upload_functions_weight(code_len: usize, functions: Option<u32>) -> Weight {
            let max = crate::validation::max_defined_functions(code_len, &T::Limits::get());
            let functions = functions.unwrap_or(max).min(max);
            T::WeightInfo::upload_code_per_function(functions)
                .saturating_sub(T::WeightInfo::upload_code_per_function(0))
        }

        /// What transferring `value` with a call adds to its weight: nothing for no value, else
        /// one transfer to a new account (the `host_transfer` slope, the dearer case). The
        /// `deploy`/`instantiate` benchmarks include their endowment transfer.
        pub fn value_transfer_weight(value: &BalanceOf<T>) -> Weight {
            if value.is_zero() {
                return Weight::zero();
            }
            Self::transfer_weight()
        }

        /// The weight of one transfer to a new account (the `host_transfer` slope).
        pub fn transfer_weight() -> Weight {
            T::WeightInfo::host_transfer(1).saturating_sub(T::WeightInfo::host_transfer(0))
        }

        /// What every execution adds to its dispatchable's benchmarked weight: reading
        /// [`AllowedCapabilities`] (one storage value; the benchmarks predate it) — a database
        /// read and a generous proof of the value and its trie path.
        pub fn capabilities_read_weight() -> Weight {
            let value = <Option<Capabilities> as MaxEncodedLen>::max_encoded_len() as u64;
            T::DbWeight::get()
                .reads(1)
                .saturating_add(Weight::from_parts(0, 512 + value))
        }

        /// The weight reserved for executing with `gas_limit` under the runtime's schedule
        /// (`ref_time` of the gas, and one byte of proof size per gas unit).
        pub fn gas_limit_weight(gas_limit: u64) -> Weight {
            crate::gas::gas_limit_weight(&T::Schedule::get(), gas_limit)
        }

        /// The actual weight of an extrinsic: `base` plus what its execution used (gas as
        /// `ref_time`, accounted proof size). A revert is an error, still charged.
        fn to_post_info<R>(
            base: Weight,
            outcome: &ContractOutcome<R>,
            exec_return: impl Fn(&R) -> &ExecReturn,
        ) -> DispatchResultWithPostInfo {
            let used = crate::gas::execution_weight(
                &T::Schedule::get(),
                outcome.gas_used,
                outcome.proof_size,
            );
            let base = base.saturating_add(Self::capabilities_read_weight());
            let post_info = PostDispatchInfo {
                actual_weight: Some(base.saturating_add(used)),
                pays_fee: Pays::Yes,
            };
            let error = match &outcome.result {
                Ok(r) if exec_return(r).reverted => Error::<T>::Reverted.into(),
                Ok(_) => return Ok(post_info),
                Err(e) => *e,
            };
            Err(DispatchErrorWithPostInfo { post_info, error })
        }

        /// Validates and stores `code` for `owner`, returning its hash (deduplicated).
        pub fn store_code(owner: &T::AccountId, code: Vec<u8>) -> Result<CodeHash, DispatchError> {
            let code: BoundedVec<u8, T::MaxCodeLen> =
                code.try_into().map_err(|_| Error::<T>::CodeTooLarge)?;
            let code_hash = sp_io::hashing::blake2_256(&code);
            if CodeInfoOf::<T>::contains_key(code_hash) {
                return Ok(code_hash);
            }
            let capabilities = Self::validate_code(&code)?;
            let deposit = crate::deposit::hold_code::<T>(owner, code.len())?;
            CodeInfoOf::<T>::insert(
                code_hash,
                CodeInfo {
                    owner: owner.clone(),
                    deposit,
                    refcount: 0,
                    code_len: code.len() as u32,
                    capabilities,
                },
            );
            PristineCode::<T>::insert(code_hash, code);
            Self::deposit_event(Event::CodeStored {
                code_hash,
                owner: owner.clone(),
            });
            Ok(code_hash)
        }

        /// Deposits a contract's event, indexed under its topics when the chain's hash type is
        /// 32 bytes (`T::Hash`, as in the reference runtime).
        pub(crate) fn deposit_contract_event(contract: ContractAddress, event: &ContractEvent) {
            let pallet_event = Event::<T>::ContractEmitted {
                contract,
                topic: event.topic.clone(),
                topics: event.topics.clone(),
                data: event.data.clone(),
            };
            let hashes: Vec<T::Hash> = event
                .topics
                .iter()
                .filter_map(|t| T::Hash::decode(&mut &t[..]).ok())
                .collect();
            if hashes.is_empty() {
                Self::deposit_event(pallet_event);
            } else {
                frame_system::Pallet::<T>::deposit_event_indexed(&hashes, pallet_event.into());
            }
        }

        /// [`ExecConfig::COMMIT`] with the storage deposit limit of an extrinsic.
        fn committing_with(limit: Option<BalanceOf<T>>) -> ExecConfig {
            ExecConfig::COMMIT.with_deposit_limit(limit.map(|l| l.unique_saturated_into()))
        }

        /// Runs every upload-time check on `code`: the QVM rules, then a full compile. Returns
        /// the capabilities its imports require.
        pub fn validate_code(code: &[u8]) -> Result<Capabilities, Error<T>> {
            let limits = T::Limits::get();
            let required = crate::validation::validate(code, &limits)?;
            exec::compile(code, &T::Schedule::get(), &limits, T::ExecutionMode::get())?;
            Ok(required)
        }

        /// What contracts may be granted and use now: `Config::Capabilities`, restricted by
        /// governance ([`AllowedCapabilities`]).
        pub fn allowed_capabilities() -> Capabilities {
            let ceiling = T::Capabilities::get();
            AllowedCapabilities::<T>::get().map_or(ceiling, |allowed| allowed.intersection(ceiling))
        }

        /// The grant of a new contract whose code requires `required`, when its deployer asks
        /// for `asked` (`None`: exactly `required`).
        pub(crate) fn grant(
            required: Capabilities,
            asked: Option<Capabilities>,
        ) -> Result<Capabilities, Error<T>> {
            let grant = asked.unwrap_or(required);
            ensure!(
                grant.is_known() && Self::allowed_capabilities().includes(grant),
                Error::<T>::CapabilityNotAllowed
            );
            ensure!(grant.includes(required), Error::<T>::CapabilityNotGranted);
            Ok(grant)
        }

        /// Uploads (if needed) and instantiates `code`. Unless `config` commits, or if the
        /// constructor fails or reverts, every effect is rolled back.
        pub fn bare_deploy(
            deployer: T::AccountId,
            code: Vec<u8>,
            value: BalanceOf<T>,
            input: Vec<u8>,
            gas_limit: u64,
            capabilities: Option<Capabilities>,
            config: ExecConfig,
        ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
            Stack::<T>::new(config).deploy(deployer, code, value, input, gas_limit, capabilities)
        }

        /// Instantiates stored code (see [`Pallet::bare_deploy`]).
        pub fn bare_instantiate(
            deployer: T::AccountId,
            code_hash: CodeHash,
            value: BalanceOf<T>,
            input: Vec<u8>,
            gas_limit: u64,
            capabilities: Option<Capabilities>,
            config: ExecConfig,
        ) -> ContractOutcome<(ContractAddress, ExecReturn)> {
            Stack::<T>::new(config).instantiate(
                deployer,
                code_hash,
                value,
                input,
                gas_limit,
                capabilities,
            )
        }

        /// Calls `method` of `contract`. Unless `config` commits (a dry run), or if the call
        /// fails or reverts, every effect is rolled back.
        pub fn bare_call(
            caller: T::AccountId,
            contract: ContractAddress,
            value: BalanceOf<T>,
            method: &[u8],
            input: Vec<u8>,
            gas_limit: u64,
            config: ExecConfig,
        ) -> ContractOutcome<ExecReturn> {
            Stack::<T>::new(config).call(caller, contract, value, method, input, gas_limit)
        }

        /// Calls `method` of `contract` read-only ([`ExecConfig::QUERY`]): the VM refuses every
        /// state change (`StateChangeDenied`) and nothing is ever committed. For queries and
        /// view methods.
        pub fn bare_query(
            caller: T::AccountId,
            contract: ContractAddress,
            method: &[u8],
            input: Vec<u8>,
            gas_limit: u64,
        ) -> ContractOutcome<ExecReturn> {
            Self::bare_call(
                caller,
                contract,
                Default::default(),
                method,
                input,
                gas_limit,
                ExecConfig::QUERY,
            )
        }

        /// A dry run of [`Pallet::bare_call`] with `gas_limit`, and the exact gas limit the
        /// same call needs ([`crate::estimate`]).
        pub fn dry_run_call(
            caller: T::AccountId,
            contract: ContractAddress,
            value: BalanceOf<T>,
            method: &[u8],
            input: Vec<u8>,
            gas_limit: u64,
        ) -> (ContractOutcome<ExecReturn>, u64) {
            let run = |limit| {
                let (c, i) = (caller.clone(), input.clone());
                Self::bare_call(c, contract, value, method, i, limit, ExecConfig::DRY_RUN)
            };
            let outcome = run(gas_limit);
            let required = crate::estimate::gas_required(&outcome, gas_limit, run);
            (outcome, required)
        }

        /// A dry run of [`Pallet::bare_deploy`] with `gas_limit`, and the exact gas limit the
        /// same deployment needs.
        pub fn dry_run_deploy(
            deployer: T::AccountId,
            code: Vec<u8>,
            value: BalanceOf<T>,
            input: Vec<u8>,
            gas_limit: u64,
            capabilities: Option<Capabilities>,
        ) -> (ContractOutcome<(ContractAddress, ExecReturn)>, u64) {
            let run = |limit| {
                let (d, c, i) = (deployer.clone(), code.clone(), input.clone());
                Self::bare_deploy(d, c, value, i, limit, capabilities, ExecConfig::DRY_RUN)
            };
            let outcome = run(gas_limit);
            let required = crate::estimate::gas_required(&outcome, gas_limit, run);
            (outcome, required)
        }

        /// [`Pallet::bare_query`] with `gas_limit`, and the exact gas limit it needs.
        pub fn dry_run_query(
            caller: T::AccountId,
            contract: ContractAddress,
            method: &[u8],
            input: Vec<u8>,
            gas_limit: u64,
        ) -> (ContractOutcome<ExecReturn>, u64) {
            let run =
                |limit| Self::bare_query(caller.clone(), contract, method, input.clone(), limit);
            let outcome = run(gas_limit);
            let required = crate::estimate::gas_required(&outcome, gas_limit, run);
            (outcome, required)
        }

        /// Reads `key` of `contract`'s storage.
        pub fn get_storage(
            contract: ContractAddress,
            key: &[u8],
        ) -> Result<Option<Vec<u8>>, Error<T>> {
            let info = ContractInfoOf::<T>::get(contract).ok_or(Error::<T>::ContractNotFound)?;
            Ok(crate::storage::ContractStorage::new(&info.trie_id).read(key))
        }

        /// The largest gas limit a normal extrinsic whose dispatchable weighs `dispatch_base`
        /// besides its gas (e.g. `WeightInfo::call(0, input_len)`) and whose variable-size
        /// arguments take `args_len` bytes can carry: what is left of `max_extrinsic` after the
        /// extrinsic base weight, `dispatch_base`, the transaction extensions' weight
        /// (`Config::ExtensionWeight`) and the extrinsic's length (which
        /// `CheckWeight` adds to its proof size: `args_len` + [`EXTRINSIC_OVERHEAD_LEN`]),
        /// converted to gas (ref_time and proof size alike, whichever allows less). The default
        /// for dry runs: an extrinsic submitted with it never exhausts the block's resources.
        pub fn max_gas_limit(dispatch_base: Weight, args_len: usize) -> u64 {
            let weights = <T as frame_system::Config>::BlockWeights::get();
            let normal = weights.get(frame_support::dispatch::DispatchClass::Normal);
            let max = normal.max_extrinsic.unwrap_or(weights.max_block);
            let len = (args_len as u64).saturating_add(EXTRINSIC_OVERHEAD_LEN);
            let left = max
                .saturating_sub(normal.base_extrinsic)
                .saturating_sub(dispatch_base)
                .saturating_sub(Self::capabilities_read_weight())
                .saturating_sub(T::ExtensionWeight::get())
                .saturating_sub(Weight::from_parts(0, len));
            crate::gas::weight_to_gas(&T::Schedule::get(), left)
        }

        /// [`Self::max_gas_limit`] of a `call` extrinsic with `input_len` bytes of input (pass the
        /// method name's length too: it is part of the extrinsic) and a value (what a call
        /// without value would allow, less [`Self::transfer_weight`]).
        pub fn max_call_gas_limit(input_len: usize) -> u64 {
            Self::max_gas_limit(
                T::WeightInfo::call(0, input_len as u32).saturating_add(Self::transfer_weight()),
                input_len,
            )
        }

        /// [`Self::max_gas_limit`] of a `deploy` extrinsic of `code_len` bytes of code and
        /// `input_len` bytes of constructor input.
        pub fn max_deploy_gas_limit(code_len: usize, input_len: usize) -> u64 {
            Self::max_gas_limit(
                Self::deploy_weight(code_len, input_len)
                    .saturating_add(Self::upload_functions_weight(code_len, None)),
                code_len.saturating_add(input_len),
            )
        }

        /// The account of `contract` (it holds the contract's balance).
        pub fn account_of(contract: &ContractAddress) -> T::AccountId {
            T::AddressMapper::convert(*contract)
        }

        /// The code hash of `contract`.
        pub fn code_hash(contract: &ContractAddress) -> Option<CodeHash> {
            ContractInfoOf::<T>::get(contract).map(|i| i.code_hash)
        }

        /// The Patricia root of `contract`'s child trie.
        pub fn storage_root(contract: &ContractAddress) -> Option<Vec<u8>> {
            let info = ContractInfoOf::<T>::get(contract)?;
            let storage = crate::storage::ContractStorage::new(&info.trie_id);
            Some(frame_support::storage::child::root(
                storage.child_info(),
                sp_runtime::StateVersion::V1,
            ))
        }
    }
}
