//! `SharedVec`: a vector whose clones share storage. Elements live in chunks of
//! [`SHARED_CHUNK_LEN`] behind `Arc`s, so cloning copies one pointer per full chunk and the
//! elements of the last one, and a clone that is then written copies only the chunk it writes
//! (copy on write). A simulator that keeps a checkpoint of every node every simulated second
//! pays for what changed since the last one, not for the whole log each time.
//!
//! Invariants: every chunk but the last holds exactly `SHARED_CHUNK_LEN` elements; the last is
//! not empty; `head < SHARED_CHUNK_LEN` elements at the front of the first chunk are dropped
//! (`drain_front` is how a log forgets its compacted prefix) and not counted in `len`.

use std::sync::Arc;

/// Elements per chunk: small enough that copying the chunk being written after a clone is
/// cheap, large enough that the pointer list a clone copies stays short.
pub const SHARED_CHUNK_LEN: usize = 64;

/// A vector with cheap clones (see the module docs).
#[derive(Debug)]
pub struct SharedVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    /// Elements dropped from the front of the first chunk.
    head: usize,
    len: usize,
}

impl<T> Default for SharedVec<T> {
    fn default() -> Self {
        SharedVec {
            chunks: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

/// A clone shares every full chunk and copies a last chunk that still has room, at its exact
/// length. The original, which goes on appending, keeps its chunk with the room in it: sharing
/// that chunk instead made the original's next push copy it (at its length, then regrow it
/// towards `SHARED_CHUNK_LEN`), and the clone (a checkpoint, seldom written) kept the original's
/// allocation with all its room. Issue 16's bench (600 checkpoints in 300 simulated seconds)
/// held 42 MB at its peak, 17 MB of it in such chunks.
impl<T: Clone> Clone for SharedVec<T> {
    fn clone(&self) -> Self {
        let mut chunks = self.chunks.clone();
        if let Some(last) = chunks.last_mut() {
            if last.len() < SHARED_CHUNK_LEN {
                *last = Arc::new(last.as_slice().to_vec());
            }
        }
        SharedVec {
            chunks,
            head: self.head,
            len: self.len,
        }
    }
}

impl<T: Clone> SharedVec<T> {
    /// An empty vector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn locate(&self, i: usize) -> (usize, usize) {
        let p = i + self.head;
        (p / SHARED_CHUNK_LEN, p % SHARED_CHUNK_LEN)
    }

    /// The element at `i`, if any.
    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let (c, o) = self.locate(i);
        Some(&self.chunks[c][o])
    }

    /// The first element.
    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    /// The last element.
    pub fn last(&self) -> Option<&T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Append one element; copies the last chunk first if a clone shares it.
    pub fn push(&mut self, x: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < SHARED_CHUNK_LEN => Arc::make_mut(last).push(x),
            _ => {
                let mut chunk = Vec::with_capacity(SHARED_CHUNK_LEN);
                chunk.push(x);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// Replace the element at `i` (copies its chunk first if a clone shares it).
    pub fn set(&mut self, i: usize, x: T) {
        assert!(i < self.len, "set at {i} beyond length {}", self.len);
        let (c, o) = self.locate(i);
        Arc::make_mut(&mut self.chunks[c])[o] = x;
    }

    /// Insert `x` at `i`, shifting the elements after it (copies them: cheap near the end).
    pub fn insert(&mut self, i: usize, x: T) {
        assert!(i <= self.len, "insert at {i} beyond length {}", self.len);
        let tail: Vec<T> = self.range(i, self.len).cloned().collect();
        self.truncate(i);
        self.push(x);
        self.extend(tail);
    }

    /// Append every element of `items`.
    pub fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        let mut items = items.into_iter();
        // Fill the last chunk (made unique once, not once per element), then start another;
        // a new chunk is made only once an element for it is in hand. No `Peekable`: taking
        // from the plain iterator keeps a `Vec` drain's exact length, so the chunk copies
        // its run in one go (a follower appends one Append's entries this way).
        while let Some(first) = items.next() {
            let fresh = !matches!(self.chunks.last(), Some(last) if last.len() < SHARED_CHUNK_LEN);
            if fresh {
                self.chunks
                    .push(Arc::new(Vec::with_capacity(SHARED_CHUNK_LEN)));
            }
            let last = Arc::make_mut(self.chunks.last_mut().expect("a chunk with room"));
            let before = last.len();
            last.push(first);
            let room = SHARED_CHUNK_LEN - last.len();
            last.extend(items.by_ref().take(room));
            self.len += last.len() - before;
        }
    }

    /// Keep the first `len` elements.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        if len == 0 {
            self.clear();
            return;
        }
        let (c, o) = self.locate(len - 1);
        self.chunks.truncate(c + 1);
        let last = self.chunks.last_mut().expect("len > 0");
        if last.len() > o + 1 {
            Arc::make_mut(last).truncate(o + 1);
        }
        self.len = len;
    }

    /// Drop every element.
    pub fn clear(&mut self) {
        self.chunks.clear();
        self.head = 0;
        self.len = 0;
    }

    /// Drop the first `n` elements (all of them when `n >= len`).
    pub fn drain_front(&mut self, n: usize) {
        if n >= self.len {
            self.clear();
            return;
        }
        let p = self.head + n;
        self.chunks.drain(..p / SHARED_CHUNK_LEN);
        self.head = p % SHARED_CHUNK_LEN;
        self.len -= n;
    }

    /// Elements `lo..hi` (clamped to the vector) in order.
    pub fn range(&self, lo: usize, hi: usize) -> Iter<'_, T> {
        let hi = hi.min(self.len);
        let lo = lo.min(hi);
        let (c, o) = self.locate(lo);
        let mut chunks = self.chunks[c.min(self.chunks.len())..].iter();
        let current = match chunks.next() {
            Some(chunk) => chunk[o.min(chunk.len())..].iter(),
            None => [].iter(),
        };
        Iter {
            chunks,
            current,
            left: hi - lo,
        }
    }

    /// Clones of elements `lo..hi` (clamped to the vector) in a new `Vec` of exactly that
    /// length, copied a chunk's run at a time. Every Ready's entry lists and every Append's
    /// entries are built here, so it skips what `range(..).cloned().collect()` pays per element
    /// (the iterator's chunk check, the `Vec`'s room check).
    pub fn to_vec_range(&self, lo: usize, hi: usize) -> Vec<T> {
        let mut out = Vec::new();
        self.extend_vec_range(lo, hi, &mut out);
        out
    }

    /// Append clones of elements `lo..hi` (clamped to the vector) to `out`, as `to_vec_range`
    /// does into a new `Vec` (a caller that keeps `out` from round to round allocates nothing).
    pub fn extend_vec_range(&self, lo: usize, hi: usize, out: &mut Vec<T>) {
        let hi = hi.min(self.len);
        let mut at = lo.min(hi);
        out.reserve_exact(hi - at);
        while at < hi {
            let (c, o) = self.locate(at);
            let chunk = &self.chunks[c];
            let n = (chunk.len() - o).min(hi - at);
            out.extend_from_slice(&chunk[o..o + n]);
            at += n;
        }
    }

    /// Every element in order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.range(0, self.len)
    }

    /// The index of the first element for which `pred` is false, assuming `pred` holds for a
    /// prefix (as `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.get(mid).expect("mid < len")) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Keep the elements for which `keep` holds (rebuilds the vector: not for hot paths).
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let kept: Vec<T> = self.iter().filter(|x| keep(x)).cloned().collect();
        self.clear();
        self.extend(kept);
    }

    /// How many chunks a clone shares: the pointers it copies.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }
}

/// The iterator of [`SharedVec::range`] and [`SharedVec::iter`].
pub struct Iter<'a, T> {
    chunks: std::slice::Iter<'a, Arc<Vec<T>>>,
    current: std::slice::Iter<'a, T>,
    left: usize,
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.left == 0 {
            return None;
        }
        loop {
            if let Some(x) = self.current.next() {
                self.left -= 1;
                return Some(x);
            }
            self.current = self.chunks.next()?.iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<'a, T: Clone> IntoIterator for &'a SharedVec<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: Clone> FromIterator<T> for SharedVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut v = SharedVec::new();
        v.extend(items);
        v
    }
}

impl<T: Clone + PartialEq> PartialEq for SharedVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation, checked against a plain Vec across chunk boundaries.
    #[test]
    fn behaves_like_a_vec_across_chunk_boundaries() {
        let mut v = SharedVec::new();
        let mut model: Vec<u64> = Vec::new();
        let mut x = 7u64;
        for step in 0..5_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            match (x >> 33) % 8 {
                0..=3 => {
                    v.push(step);
                    model.push(step);
                }
                4 => {
                    let n = ((x >> 20) as usize) % (model.len() + 1);
                    v.truncate(n.max(model.len().saturating_sub(70)));
                    model.truncate(n.max(model.len().saturating_sub(70)));
                }
                5 => {
                    let n = ((x >> 20) as usize) % 80;
                    v.drain_front(n);
                    model.drain(..n.min(model.len()));
                }
                6 => {
                    // A clone that is then written must not disturb the original.
                    let mut c = v.clone();
                    c.push(u64::MAX);
                    c.truncate(c.len() / 2);
                }
                _ => {
                    let lo = ((x >> 10) as usize) % (model.len() + 1);
                    let hi = lo + ((x >> 40) as usize) % 100;
                    let got: Vec<u64> = v.range(lo, hi).copied().collect();
                    assert_eq!(got, model[lo..hi.min(model.len())].to_vec());
                    assert_eq!(v.to_vec_range(lo, hi), got);
                    let mut kept = vec![u64::MAX];
                    v.extend_vec_range(lo, hi, &mut kept);
                    assert_eq!(kept[1..], got[..]);
                }
            }
            assert_eq!(v.len(), model.len());
            assert_eq!(v.first(), model.first());
            assert_eq!(v.last(), model.last());
        }
        assert_eq!(v.iter().copied().collect::<Vec<_>>(), model);
    }

    #[test]
    fn a_clone_shares_every_full_chunk_and_copies_only_the_last_at_its_length() {
        let mut v: SharedVec<u64> = (0..1_000).collect();
        let mut c = v.clone();
        let shared = |a: &SharedVec<u64>, b: &SharedVec<u64>| {
            a.chunks
                .iter()
                .zip(b.chunks.iter())
                .filter(|(x, y)| Arc::ptr_eq(x, y))
                .count()
        };
        assert_eq!(
            shared(&v, &c),
            v.chunk_count() - 1,
            "the last chunk was copied"
        );
        let tail = c.chunks.last().expect("not empty");
        assert_eq!(tail.capacity(), tail.len(), "the copy holds no room");
        // Neither side copies anything more when written.
        let before = Arc::as_ptr(v.chunks.last().expect("not empty"));
        v.push(1_000);
        assert_eq!(Arc::as_ptr(v.chunks.last().expect("not empty")), before);
        c.push(2_000);
        assert_eq!(shared(&v, &c), v.chunk_count() - 1);
        assert_eq!((v.len(), v.last()), (1_001, Some(&1_000)));
        assert_eq!((c.len(), c.last()), (1_001, Some(&2_000)));
        // A full last chunk is shared like the others.
        let full: SharedVec<u64> = (0..2 * SHARED_CHUNK_LEN as u64).collect();
        assert_eq!(shared(&full, &full.clone()), full.chunk_count());
    }

    #[test]
    fn partition_point_and_retain_match_a_vec() {
        let v: SharedVec<u64> = (0..300).map(|i| i * 2).collect();
        assert_eq!(v.partition_point(|&x| x < 201), 101);
        let mut w = v.clone();
        w.retain(|&x| x % 3 == 0);
        assert_eq!(
            w.iter().copied().collect::<Vec<_>>(),
            (0..300)
                .map(|i| i * 2)
                .filter(|x| x % 3 == 0)
                .collect::<Vec<_>>()
        );
    }
}
