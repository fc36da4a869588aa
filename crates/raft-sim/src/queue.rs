//! The discrete-event queue, ordered by (time, sequence number): two events at the same
//! microsecond run in the order they were scheduled, on every platform.
//!
//! A binary heap rather than an ordered map: the simulator only ever pushes and pops the
//! earliest event, and in the wasm build a heap is a few hundred bytes of code where a
//! `BTreeMap` instantiation is several kilobytes. The (time, sequence) key is unique, so the
//! pop order is fully determined and a clone (a checkpoint) replays exactly.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A heap entry: the event's place in the slots, under its (time, sequence) key. The heap moves
/// only these 24 bytes while it sifts; an event (a message with its entries inline) is several
/// times that and stays where it was put until it runs: moving whole events through the heap
/// was a tenth of a seek.
#[derive(Clone, Copy, Debug)]
struct Scheduled {
    at_us: u64,
    seq: u64,
    slot: u32,
}

impl Scheduled {
    fn key(&self) -> (u64, u64) {
        (self.at_us, self.seq)
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    /// Reversed, so the max-heap's top is the earliest (time, sequence).
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Pending events. The order is the (time, sequence) keys' alone (unique), never the slots',
/// so which slot an event lands in changes nothing.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled>,
    /// Every pending event is `Some` in exactly one slot, named by exactly one heap entry.
    slots: Vec<Option<E>>,
    /// The `None` slots, reused before the slots grow.
    free: Vec<u32>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
        }
    }
}

/// A copy (a checkpoint) holds only the pending events, packed into as many slots, each heap
/// entry renamed to its event's new slot: the slots grow to the most events ever pending at
/// once (a burst, an election), and copying that high-water mark with its empty slots cost a
/// checkpoint twice the room its pending events need.
impl<E: Clone> Clone for EventQueue<E> {
    fn clone(&self) -> Self {
        let mut slots = Vec::with_capacity(self.heap.len());
        // The same entries in the same order: still a heap, which `from` keeps as it is.
        let entries: Vec<Scheduled> = self
            .heap
            .iter()
            .map(|s| {
                slots.push(self.slots[s.slot as usize].clone());
                Scheduled {
                    slot: u32::try_from(slots.len() - 1).expect("as many slots as before"),
                    ..*s
                }
            })
            .collect();
        EventQueue {
            heap: BinaryHeap::from(entries),
            slots,
            free: Vec::new(),
            next_seq: self.next_seq,
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
        let slot = match self.free.pop() {
            Some(slot) => {
                debug_assert!(self.slots[slot as usize].is_none(), "a free slot is empty");
                self.slots[slot as usize] = Some(event);
                slot
            }
            None => {
                self.slots.push(Some(event));
                u32::try_from(self.slots.len() - 1).expect("fewer than 2^32 pending events")
            }
        };
        self.heap.push(Scheduled { at_us, seq, slot });
        seq
    }

    pub fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|s| s.at_us)
    }

    pub fn pop(&mut self) -> Option<(u64, E)> {
        let s = self.heap.pop()?;
        let event = self.slots[s.slot as usize]
            .take()
            .expect("a heap entry names a full slot");
        self.free.push(s.slot);
        Some((s.at_us, event))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Every pending event in the order it will run (sorted on demand: only views ask). A heap
    /// sort of the keys reuses the heap code instead of pulling in a general sort.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &E)> {
        // Ascending in the reversed order is latest first; walk it backwards.
        self.heap
            .clone()
            .into_sorted_vec()
            .into_iter()
            .rev()
            .map(|s| {
                let event = self.slots[s.slot as usize]
                    .as_ref()
                    .expect("a heap entry names a full slot");
                (s.at_us, event)
            })
    }

    /// Drop every event `keep` rejects (e.g. a crashed node's timers).
    pub fn retain(&mut self, mut keep: impl FnMut(&E) -> bool) {
        let (slots, free) = (&mut self.slots, &mut self.free);
        self.heap.retain(|s| {
            let slot = &mut slots[s.slot as usize];
            let kept = keep(slot.as_ref().expect("a heap entry names a full slot"));
            if !kept {
                *slot = None;
                free.push(s.slot);
            }
            kept
        });
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

    /// Slots freed by `pop` and `retain` are reused, and reuse (or a copy's packing) never
    /// changes the order: it is the (time, sequence) keys', as in a queue that never reuses
    /// anything.
    #[test]
    fn reused_slots_keep_the_order_of_time_then_insertion() {
        let mut q = EventQueue::new();
        let mut model: Vec<(u64, u64, u32)> = Vec::new();
        let mut seq = 0u64;
        let mut x = 12345u64;
        for round in 0..2_000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (x >> 33) % 50;
            match x % 7 {
                0 | 1 => {
                    let got = q.pop();
                    model.sort();
                    let want = (!model.is_empty()).then(|| model.remove(0));
                    assert_eq!(got, want.map(|(t, _, e)| (t, e)), "round {round}");
                }
                2 if round % 50 == 0 => {
                    q.retain(|e| e % 3 != 0);
                    model.retain(|(_, _, e)| e % 3 != 0);
                }
                3 if round % 30 == 0 => {
                    // Going on from a copy: its events packed into new slots, same order.
                    let copy = q.clone();
                    assert_eq!(copy.slots.len(), model.len(), "a copy holds no empty slot");
                    q = copy;
                }
                _ => {
                    assert_eq!(q.push(at, round), seq);
                    model.push((at, seq, round));
                    seq += 1;
                }
            }
            assert_eq!(q.len(), model.len());
        }
        model.sort();
        let left: Vec<_> = q.iter().map(|(t, e)| (t, *e)).collect();
        let want: Vec<_> = model.iter().map(|&(t, _, e)| (t, e)).collect();
        assert_eq!(left, want);
        assert!(
            q.slots.len() < 2_000,
            "{} slots: freed ones were not reused",
            q.slots.len()
        );
    }
}
