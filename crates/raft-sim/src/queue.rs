//! The discrete-event queue, ordered by (time, sequence number): two events at the same
//! microsecond run in the order they were scheduled, on every platform.

use std::collections::BTreeMap;

/// Pending events; an ordered map so a clone (a checkpoint) is exact and iteration is stable.
#[derive(Clone, Debug)]
pub struct EventQueue<E> {
    events: BTreeMap<(u64, u64), E>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            events: BTreeMap::new(),
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
        self.events.insert((at_us, seq), event);
        seq
    }

    pub fn peek_time(&self) -> Option<u64> {
        self.events.keys().next().map(|k| k.0)
    }

    pub fn pop(&mut self) -> Option<(u64, E)> {
        self.events.pop_first().map(|((t, _), e)| (t, e))
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u64, &E)> {
        self.events.iter().map(|((t, _), e)| (*t, e))
    }

    /// Drop every event `keep` rejects (e.g. a crashed node's timers).
    pub fn retain(&mut self, mut keep: impl FnMut(&E) -> bool) {
        self.events.retain(|_, e| keep(e));
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
}
