//! State kept for the life of one runtime call: [`with`] runs a closure on a value of type `V`
//! that persists between uses within the call.
//!
//! * In the runtime wasm, a `static` in the instance's memory: Substrate discards that memory
//!   after every runtime call (during block import the call is the whole block; during
//!   authoring one extrinsic). The wasm is single-threaded.
//! * Natively, a thread-local: it lives as long as the thread, so whatever is kept must be
//!   correct for any later call too (keyed by everything it depends on), and bounded.
//!
//! A use while another is in progress (re-entrancy) gets `None`: the caller does the work
//! without the kept state. Never panics.

use alloc::{boxed::Box, vec::Vec};
use core::{any::Any, cell::RefCell};

/// Values by type, one per type `V` used.
type Slots = Vec<Box<dyn Any>>;

#[cfg(feature = "std")]
std::thread_local! {
    static SLOTS: RefCell<Slots> = const { RefCell::new(Vec::new()) };
}

#[cfg(feature = "std")]
fn with_slots<R>(f: impl FnOnce(&mut Slots) -> R) -> Option<R> {
    SLOTS
        .try_with(|s| s.try_borrow_mut().ok().map(|mut s| f(&mut s)))
        .ok()
        .flatten()
}

#[cfg(not(feature = "std"))]
struct Global(RefCell<Slots>);

// SAFETY: without `std` this runs in the single-threaded runtime wasm: no other thread exists
// to share the value with.
#[cfg(not(feature = "std"))]
unsafe impl Sync for Global {}

#[cfg(not(feature = "std"))]
static SLOTS: Global = Global(RefCell::new(Vec::new()));

#[cfg(not(feature = "std"))]
fn with_slots<R>(f: impl FnOnce(&mut Slots) -> R) -> Option<R> {
    SLOTS.0.try_borrow_mut().ok().map(|mut s| f(&mut s))
}

/// Runs `f` on this runtime call's `V` (created with `Default` on first use); `None` if a use
/// of the same state is in progress.
pub fn with<V: Any + Default, R>(f: impl FnOnce(&mut V) -> R) -> Option<R> {
    with_slots(|slots| {
        let index = match slots.iter().position(|s| s.is::<V>()) {
            Some(i) => i,
            None => {
                slots.push(Box::new(V::default()));
                slots.len() - 1
            }
        };
        slots[index].downcast_mut::<V>().map(f)
    })
    .flatten()
}
