//! Typed contract storage: SCALE-encoded values under byte keys, and `Mapping`s.

use crate::sys;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use core::marker::PhantomData;
use qvm_primitives::abi::ReturnCode;

/// Values up to this many bytes are read with one host call; a larger one takes two more (its
/// size, then a read into a buffer of that size).
pub const INLINE_READ_LEN: usize = 128;

/// `qnet_storage_read` of `key` into `buf`: the value's length, or a [`ReturnCode`].
fn read_into(key: &[u8], buf: &mut [u8]) -> i32 {
    unsafe {
        sys::qnet_storage_read(
            key.as_ptr() as i32,
            key.len() as i32,
            buf.as_mut_ptr() as i32,
            buf.len() as i32,
        )
    }
}

/// The raw value under `key`: one host call for values up to [`INLINE_READ_LEN`] bytes.
pub fn get_raw(key: &[u8]) -> Option<Vec<u8>> {
    let mut buf = alloc::vec![0u8; INLINE_READ_LEN];
    let mut n = read_into(key, &mut buf);
    if n == ReturnCode::BufferTooSmall.as_i32() {
        let size = unsafe { sys::qnet_storage_size(key.as_ptr() as i32, key.len() as i32) };
        if size < 0 {
            return None;
        }
        buf.resize(size as usize, 0);
        n = read_into(key, &mut buf);
    }
    if n < 0 {
        return None;
    }
    buf.truncate(n as usize);
    Some(buf)
}

/// Stores raw `value` under `key`.
pub fn set_raw(key: &[u8], value: &[u8]) {
    unsafe {
        sys::qnet_storage_write(
            key.as_ptr() as i32,
            key.len() as i32,
            value.as_ptr() as i32,
            value.len() as i32,
        )
    };
}

/// Removes `key`; `true` if it existed.
pub fn remove(key: &[u8]) -> bool {
    unsafe {
        sys::qnet_storage_remove(key.as_ptr() as i32, key.len() as i32)
            == ReturnCode::Success.as_i32()
    }
}

/// The value under `key`, decoded (reverts if it does not decode as `V`).
pub fn get<V: Decode>(key: &[u8]) -> Option<V> {
    get_raw(key).map(|bytes| crate::decode_or_revert(&bytes, "storage value"))
}

/// Stores `value` under `key`, SCALE-encoded.
pub fn set<V: Encode>(key: &[u8], value: &V) {
    value.using_encoded(|bytes| set_raw(key, bytes))
}

/// A typed storage cell at a fixed key.
pub struct Value<V> {
    key: &'static [u8],
    _v: PhantomData<V>,
}

impl<V: Encode + Decode> Value<V> {
    /// The cell stored under `key`.
    pub const fn new(key: &'static [u8]) -> Self {
        Self {
            key,
            _v: PhantomData,
        }
    }
    /// Its value, if set.
    pub fn get(&self) -> Option<V> {
        get(self.key)
    }
    /// Its value or `V::default()`.
    pub fn get_or_default(&self) -> V
    where
        V: Default,
    {
        self.get().unwrap_or_default()
    }
    /// Sets it.
    pub fn set(&self, value: &V) {
        set(self.key, value)
    }
}

/// A typed map: `value(k)` is stored under `prefix ++ SCALE(k)`.
pub struct Mapping<K, V> {
    prefix: &'static [u8],
    _kv: PhantomData<(K, V)>,
}

impl<K: Encode, V: Encode + Decode> Mapping<K, V> {
    /// The map whose keys start with `prefix`.
    pub const fn new(prefix: &'static [u8]) -> Self {
        Self {
            prefix,
            _kv: PhantomData,
        }
    }
    fn key(&self, k: &K) -> Vec<u8> {
        let mut key = Vec::with_capacity(self.prefix.len() + k.size_hint());
        key.extend_from_slice(self.prefix);
        k.encode_to(&mut key);
        key
    }
    /// The value under `k`.
    pub fn get(&self, k: &K) -> Option<V> {
        get(&self.key(k))
    }
    /// The value under `k` or `V::default()`.
    pub fn get_or_default(&self, k: &K) -> V
    where
        V: Default,
    {
        self.get(k).unwrap_or_default()
    }
    /// Sets the value under `k`.
    pub fn set(&self, k: &K, v: &V) {
        set(&self.key(k), v)
    }
    /// Removes `k`.
    pub fn remove(&self, k: &K) -> bool {
        remove(&self.key(k))
    }
}
