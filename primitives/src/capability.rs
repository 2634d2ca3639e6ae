//! Capabilities: what a contract may do beyond computing and reading its own state.
//!
//! Every host function with an effect beyond the contract's own computation and state reads
//! (writing storage, emitting events, verifying signatures, and later moving value and calling
//! or instantiating other contracts) needs a [`Capability`] (the `requires` entry of [`crate::for_each_host_function!`]). A contract runs
//! with a set of them ([`Capabilities`]): the grant its deployer chose at instantiation, within
//! what the chain allows. Importing a host function outside the grant fails the deployment; at
//! run time the VM checks the grant (intersected with what the chain allows *now*, and with
//! [`Capabilities::READ_ONLY`] for queries) before each such host call.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Calls `$mac!` with every capability, one entry per bit: `$(#[doc])* Name = bit, state_changing;`.
/// [`Capability`], [`Capability::ALL`] and [`Capabilities::READ_ONLY`] are generated from it.
#[macro_export]
macro_rules! for_each_capability {
    ($mac:ident) => {
        $mac! {
            /// Write and remove entries of the contract's own storage.
            StorageWrite = 0, state_changing = true;
            /// Emit events (`qnet_emit_event`).
            Events = 1, state_changing = true;
            /// Verify signatures (`qnet_verify_signature`).
            VerifySignature = 2, state_changing = false;
            /// Transfer balance to other accounts (host functions come with value transfers).
            ValueTransfer = 3, state_changing = true;
            /// Call other contracts (`qnet_call`). Not state-changing by itself: a callee of a
            /// read-only call runs read-only too.
            Call = 4, state_changing = false;
            /// Instantiate other contracts (`qnet_instantiate`).
            Instantiate = 5, state_changing = true;
            /// Replace its own code (`qnet_set_code_hash`): an upgradeable contract.
            Upgrade = 6, state_changing = true;
            /// Remove itself (`qnet_terminate`).
            Terminate = 7, state_changing = true;
        }
    };
}

macro_rules! define_capabilities {
    ($( $(#[doc = $doc:literal])* $name:ident = $bit:literal, state_changing = $sc:literal; )*) => {
        /// One permission a contract may be granted (see the module docs).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
        #[repr(u8)]
        pub enum Capability {
            $( $(#[doc = $doc])* $name = $bit, )*
        }

        impl Capability {
            /// Every capability, in bit order.
            pub const ALL: &'static [Capability] = &[$(Capability::$name),*];

            /// Its name as written in the docs and in errors.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Capability::$name => stringify!($name),)*
                }
            }

            /// Whether it changes state (refused in a read-only call).
            pub const fn changes_state(self) -> bool {
                match self {
                    $(Capability::$name => $sc,)*
                }
            }
        }
    };
}
for_each_capability!(define_capabilities);

impl Capability {
    /// The bit of this capability in a [`Capabilities`] set.
    pub const fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

/// A set of [`Capability`]s (a bit set; bits without a capability are never set by the
/// constructors here and are ignored by [`Capabilities::contains`]).
#[derive(
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Encode,
    Decode,
    DecodeWithMemTracking,
    TypeInfo,
    MaxEncodedLen,
)]
pub struct Capabilities(pub u32);

impl Capabilities {
    /// No capability: pure computation over the contract's own state.
    pub const NONE: Capabilities = Capabilities(0);
    /// Every capability.
    pub const ALL: Capabilities = Capabilities::of(Capability::ALL);
    /// What a read-only call keeps: every capability that does not change state.
    pub const READ_ONLY: Capabilities = {
        let mut bits = 0;
        let mut i = 0;
        while i < Capability::ALL.len() {
            if !Capability::ALL[i].changes_state() {
                bits |= Capability::ALL[i].bit();
            }
            i += 1;
        }
        Capabilities(bits)
    };

    /// The set of `caps`.
    pub const fn of(caps: &[Capability]) -> Capabilities {
        let mut bits = 0;
        let mut i = 0;
        while i < caps.len() {
            bits |= caps[i].bit();
            i += 1;
        }
        Capabilities(bits)
    }

    /// Whether every bit set is a capability (grants and allowances with other bits are
    /// refused, so that a bit given a meaning later is never held without being granted).
    pub const fn is_known(self) -> bool {
        self.0 & !Capabilities::ALL.0 == 0
    }

    /// Whether `cap` is in the set.
    pub const fn contains(self, cap: Capability) -> bool {
        self.0 & cap.bit() != 0
    }

    /// Whether every capability of `other` is in the set.
    pub const fn includes(self, other: Capabilities) -> bool {
        other.0 & !self.0 & Capabilities::ALL.0 == 0
    }

    /// Both sets' capabilities.
    pub const fn union(self, other: Capabilities) -> Capabilities {
        Capabilities((self.0 | other.0) & Capabilities::ALL.0)
    }

    /// The capabilities in both sets.
    pub const fn intersection(self, other: Capabilities) -> Capabilities {
        Capabilities(self.0 & other.0 & Capabilities::ALL.0)
    }

    /// The set with `cap` added.
    pub const fn with(self, cap: Capability) -> Capabilities {
        Capabilities(self.0 | cap.bit())
    }

    /// The capabilities in the set, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Capability> {
        Capability::ALL
            .iter()
            .copied()
            .filter(move |c| self.contains(*c))
    }
}

impl core::fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Capability::name))
            .finish()
    }
}

impl From<Capability> for Capabilities {
    fn from(cap: Capability) -> Self {
        Capabilities(cap.bit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_what_they_are_given() {
        let rw = Capabilities::of(&[Capability::StorageWrite, Capability::Events]);
        assert!(rw.contains(Capability::StorageWrite) && rw.contains(Capability::Events));
        assert!(!rw.contains(Capability::Call));
        assert!(Capabilities::ALL.includes(rw) && !rw.includes(Capabilities::ALL));
        assert!(rw.includes(Capabilities::NONE));
        assert_eq!(rw.intersection(Capabilities::READ_ONLY), Capabilities::NONE);
        assert_eq!(
            Capabilities::NONE.with(Capability::Call),
            Capability::Call.into()
        );
        assert_eq!(rw.iter().count(), 2);
        // Unknown bits are neither held nor required.
        assert!(Capabilities::NONE.includes(Capabilities(1 << 31)));
        assert_eq!(Capabilities(u32::MAX).intersection(rw), rw);
    }

    #[test]
    fn read_only_keeps_exactly_the_capabilities_that_do_not_change_state() {
        for &cap in Capability::ALL {
            assert_eq!(
                Capabilities::READ_ONLY.contains(cap),
                !cap.changes_state(),
                "{cap:?}"
            );
        }
        assert_eq!(Capabilities::ALL.iter().count(), Capability::ALL.len());
    }
}
