//! `SharedBytes`: an entry's command bytes, shared instead of copied.
//!
//! One proposal's bytes travel into the leader's log, into an Append for every follower, into
//! each node's `Ready::entries` and `Ready::committed_entries`, and into each follower's log.
//! With a `Vec<u8>` each of those is an allocation and a copy; here each is a reference-count
//! increment, as with raft-rs's `bytes::Bytes`. The bytes never change once proposed, so
//! sharing them is invisible to the caller.
//!
//! The `Arc` holds the proposal's own `Vec`: a thin pointer (8 bytes, where `Arc<[u8]>` takes
//! 16), so an `Entry` is 32 bytes instead of 40 and every copy of one (into a Ready, a log
//! chunk, the caller's disk) moves a fifth less; and proposing wraps the caller's `Vec` without
//! copying its bytes into a new allocation.

use std::sync::Arc;

/// Immutable bytes whose clones share one allocation. Dereferences to `[u8]`; with the `serde`
/// feature it is written as a plain sequence of numbers, exactly like the `Vec<u8>` it replaces.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedBytes(Arc<Vec<u8>>);

impl SharedBytes {
    /// The bytes as a slice.
    pub fn as_slice(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// A copy of the bytes in a new `Vec`.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.to_vec()
    }
}

impl std::ops::Deref for SharedBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

impl From<Vec<u8>> for SharedBytes {
    fn from(v: Vec<u8>) -> Self {
        SharedBytes(Arc::new(v))
    }
}

impl From<&[u8]> for SharedBytes {
    fn from(v: &[u8]) -> Self {
        SharedBytes(Arc::new(v.to_vec()))
    }
}

impl<const N: usize> From<&[u8; N]> for SharedBytes {
    fn from(v: &[u8; N]) -> Self {
        SharedBytes(Arc::new(v.to_vec()))
    }
}

impl PartialEq<[u8]> for SharedBytes {
    fn eq(&self, other: &[u8]) -> bool {
        self.0.as_slice() == other
    }
}

impl PartialEq<Vec<u8>> for SharedBytes {
    fn eq(&self, other: &Vec<u8>) -> bool {
        *self.0 == *other
    }
}

/// Debug-prints as the byte list a `Vec<u8>` prints.
impl std::fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.as_slice().fmt(f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for SharedBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A sequence, as `Vec<u8>` serializes (not `serialize_bytes`), so JSON and trace
        // hashes are unchanged.
        s.collect_seq(self.0.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for SharedBytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(d).map(SharedBytes::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_shares_the_bytes_instead_of_copying_them() {
        let a = SharedBytes::from(vec![1u8, 2, 3]);
        let b = a.clone();
        assert!(std::ptr::eq(a.as_slice(), b.as_slice()));
        assert_eq!(b, vec![1u8, 2, 3]);
        assert_eq!(format!("{a:?}"), format!("{:?}", vec![1u8, 2, 3]));
    }

    #[test]
    fn a_proposal_keeps_its_own_buffer_and_an_entry_stays_four_words() {
        let v = vec![7u8; 64];
        let buffer = v.as_ptr();
        let a = SharedBytes::from(v);
        assert!(
            std::ptr::eq(a.as_slice().as_ptr(), buffer),
            "the bytes were copied"
        );
        assert_eq!(std::mem::size_of::<SharedBytes>(), 8);
        assert_eq!(std::mem::size_of::<crate::Entry>(), 32);
    }
}
