//! The deletion queue: the storage of terminated contracts, removed in `on_idle` within the
//! weight left in each block.
//!
//! Deleting a large child trie at once could take longer than a block has, so `qnet_terminate`
//! removes the contract's record and pays out its funds at once, and queues its trie id
//! ([`queue`]). Every block's `on_idle` ([`process`]) then removes as many of the oldest
//! queued tries' keys as the weight left allows, continuing in the next block where it stopped.
//! The trie id is never reused (it derives from the contract's address, and an address is
//! never derived twice), so a queued trie is never written to again.

use crate::{
    pallet::{DeletionQueue, DeletionQueueCounter},
    weights::WeightInfo,
    Config, TrieId,
};
use frame_support::{
    storage::child::{self, ChildInfo},
    traits::Get,
    weights::Weight,
};

/// Queues the trie `trie_id` for deletion.
pub fn queue<T: Config>(trie_id: TrieId) {
    let (next, oldest) = DeletionQueueCounter::<T>::get();
    DeletionQueue::<T>::insert(next, trie_id);
    DeletionQueueCounter::<T>::put((next.wrapping_add(1), oldest));
}

/// Tries still queued.
pub fn queued<T: Config>() -> u32 {
    let (next, oldest) = DeletionQueueCounter::<T>::get();
    next.wrapping_sub(oldest)
}

/// The weight of removing one key of a queued trie (the `on_idle_per_key` slope), never less
/// than what a contract's removal of one entry weighs (its database write included).
pub fn key_weight<T: Config>() -> Weight {
    let benchmarked =
        T::WeightInfo::on_idle_per_key(1).saturating_sub(T::WeightInfo::on_idle_per_key(0));
    let removal =
        T::WeightInfo::host_storage_remove(1).saturating_sub(T::WeightInfo::host_storage_remove(0));
    benchmarked.max(removal)
}

/// The fixed weight of one step (one queued trie): what `on_idle_per_key` measured at 0 keys,
/// never less than reading the counter and the queue entry and rewriting both.
pub fn step_weight<T: Config>() -> Weight {
    T::WeightInfo::on_idle_per_key(0).max(T::DbWeight::get().reads_writes(2, 2))
}

/// Deletes queued storage within `limit`: the weight used.
pub fn process<T: Config>(limit: Weight) -> Weight {
    let per_key = key_weight::<T>();
    let step = step_weight::<T>();
    let mut used = Weight::zero();
    loop {
        let left = limit.saturating_sub(used);
        if left.any_lt(step.saturating_add(per_key)) {
            break;
        }
        let (next, oldest) = DeletionQueueCounter::<T>::get();
        if next == oldest {
            break;
        }
        let budget = keys_within(left.saturating_sub(step), per_key);
        let Some(trie_id) = DeletionQueue::<T>::get(oldest) else {
            DeletionQueueCounter::<T>::put((next, oldest.wrapping_add(1)));
            used = used.saturating_add(step);
            continue;
        };
        let removed = child::clear_storage(&ChildInfo::new_default(&trie_id), Some(budget), None);
        // Every key removed from the database, and at least one key's worth: an empty trie's
        // removal is not free. (Keys written in this block are still in the overlay, removed
        // without being counted — `child::clear_storage` reports only the database's — and
        // without a database access: the writes that put them there paid far more.)
        let keys = u64::from(removed.loops.max(1));
        used = used
            .saturating_add(step)
            .saturating_add(per_key.saturating_mul(keys));
        if removed.maybe_cursor.is_some() {
            // Keys remain: go on in the next block.
            break;
        }
        DeletionQueue::<T>::remove(oldest);
        DeletionQueueCounter::<T>::put((next, oldest.wrapping_add(1)));
    }
    used
}

/// How many keys of weight `per_key` fit in `left` (in both dimensions).
fn keys_within(left: Weight, per_key: Weight) -> u32 {
    let by = |have: u64, each: u64| have.checked_div(each).unwrap_or(u64::MAX);
    by(left.ref_time(), per_key.ref_time())
        .min(by(left.proof_size(), per_key.proof_size()))
        .clamp(1, u64::from(u32::MAX)) as u32
}
