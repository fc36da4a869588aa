//! The discrete-event queue, ordered by (time, sequence number): two events at the same
//! microsecond run in the order they were scheduled, on every platform.
//!
//! A binary heap rather than an ordered map: the simulator only ever pushes and pops the
//! earliest event, and in the wasm build a heap is a few hundred bytes of code where a
//! `BTreeMap` instantiation is several kilobytes. The (time, sequence) key is unique, so the
//! pop order is fully determined and a clone (a checkpoint) replays exactly.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Clone, Debug)]
struct Scheduled<E> {
    at_us: u64,
    seq: u64,
    event: E,
}

impl<E> Scheduled<E> {
    fn key(&self) -> (u64, u64) {
        (self.at_us, self.seq)
    }
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<E> Eq for Scheduled<E> {}

impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Scheduled<E> {
    /// Reversed, so the max-heap's top is the earliest (time, sequence).
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Pending events.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    events: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            events: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedule `event` at `at_us`; returns its sequence number.
    pub fn push(&mut self, at_us: u64, event: E) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.events.push(Scheduled { at_us, seq, event });
        seq
    }

    pub fn peek_time(&self) -> Option<u64> {
        self.events.peek().map(|s| s.at_us)
    }

    pub fn pop(&mut self) -> Option<(u64, E)> {
        self.events.pop().map(|s| (s.at_us, s.event))
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Every pending event in the order it will run (sorted on demand: only views ask). A heap
    /// sort over references reuses the heap code instead of pulling in a general sort.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &E)> {
        let refs: BinaryHeap<&Scheduled<E>> = self.events.iter().collect();
        // Ascending in the reversed order is latest first; walk it backwards.
        refs.into_sorted_vec()
            .into_iter()
            .rev()
            .map(|s| (s.at_us, &s.event))
    }

    /// Drop every event `keep` rejects (e.g. a crashed node's timers).
    pub fn retain(&mut self, mut keep: impl FnMut(&E) -> bool) {
        self.events.retain(|s| keep(&s.event));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_pop_by_time_then_by_insertion_order() {
        let mut q = EventQueue::new();
        q.push(20, "c");
        q.push(10, "a");
        q.push(10, "b");
        assert_eq!(q.pop(), Some((10, "a")));
        assert_eq!(q.pop(), Some((10, "b")));
        assert_eq!(q.pop(), Some((20, "c")));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn iteration_lists_pending_events_in_the_order_they_will_run() {
        let mut q = EventQueue::new();
        for (t, e) in [(30, "d"), (10, "a"), (20, "c"), (10, "b")] {
            q.push(t, e);
        }
        let order: Vec<_> = q.iter().collect();
        assert_eq!(order, vec![(10, &"a"), (10, &"b"), (20, &"c"), (30, &"d")]);
        q.retain(|e| *e != "c");
        assert_eq!(q.len(), 3);
        assert_eq!(q.pop(), Some((10, "a")));
    }
}
