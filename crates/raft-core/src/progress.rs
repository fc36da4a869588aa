//! What the leader knows about each follower: nextIndex and matchIndex (Figure 2, "Volatile
//! state on leaders"), plus etcd's flow control: probe, replicate (pipelined, with a bounded
//! window of appends in flight) and snapshot.

use std::collections::VecDeque;

use crate::types::LogIndex;

/// How the leader is currently sending to a follower.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum ProgressState {
    /// Where the logs match is unknown: one append at a time, waiting for each answer.
    Probe,
    /// The logs match up to `match`: appends are pipelined, several in flight.
    Replicate,
    /// A snapshot is on its way; nothing else is sent until it is answered.
    Snapshot,
}

/// Appends in flight to one follower, by their last index. Bounded by `max_inflight_appends`.
#[derive(Clone, Debug)]
pub(crate) struct Inflights {
    queue: VecDeque<LogIndex>,
    cap: usize,
}

impl Inflights {
    pub fn new(cap: usize) -> Inflights {
        Inflights {
            queue: VecDeque::with_capacity(cap),
            cap,
        }
    }
    pub fn full(&self) -> bool {
        self.queue.len() >= self.cap
    }
    pub fn len(&self) -> usize {
        self.queue.len()
    }
    pub fn add(&mut self, last: LogIndex) {
        assert!(!self.full(), "inflight window overflow");
        self.queue.push_back(last);
    }
    /// Forget every append whose last index is `<= to`: they are acknowledged.
    pub fn free_le(&mut self, to: LogIndex) {
        while self.queue.front().is_some_and(|&i| i <= to) {
            self.queue.pop_front();
        }
    }
    pub fn free_first(&mut self) {
        self.queue.pop_front();
    }
    pub fn reset(&mut self) {
        self.queue.clear();
    }
}

/// One follower's progress, as seen by the leader.
#[derive(Clone, Debug)]
pub(crate) struct Progress {
    /// Highest index known to be replicated on the follower.
    pub matched: LogIndex,
    /// Next index to send. Invariant: `matched < next`.
    pub next: LogIndex,
    pub state: ProgressState,
    /// In probe: an append is outstanding, wait for its answer (or a heartbeat answer).
    pub probe_sent: bool,
    /// In snapshot: the index of the snapshot sent.
    pub pending_snapshot: LogIndex,
    /// In snapshot: when it was sent (leader's clock, ms).
    pub snapshot_sent_ms: u64,
    /// Heard from within the current CheckQuorum window.
    pub recent_active: bool,
    pub inflights: Inflights,
}

impl Progress {
    pub fn new(next: LogIndex, max_inflight: usize) -> Progress {
        Progress {
            matched: LogIndex(0),
            next,
            state: ProgressState::Probe,
            probe_sent: false,
            pending_snapshot: LogIndex(0),
            snapshot_sent_ms: 0,
            recent_active: false,
            inflights: Inflights::new(max_inflight),
        }
    }

    fn reset_state(&mut self, state: ProgressState) {
        self.probe_sent = false;
        self.pending_snapshot = LogIndex(0);
        self.state = state;
        self.inflights.reset();
    }

    pub fn become_probe(&mut self) {
        if self.state == ProgressState::Snapshot {
            // The snapshot may have landed; resume right after it.
            let pending = self.pending_snapshot;
            self.reset_state(ProgressState::Probe);
            self.next = self.matched.max(pending).next();
        } else {
            self.reset_state(ProgressState::Probe);
            self.next = self.matched.next();
        }
    }

    pub fn become_replicate(&mut self) {
        self.reset_state(ProgressState::Replicate);
        self.next = self.matched.next();
    }

    pub fn become_snapshot(&mut self, index: LogIndex, now_ms: u64) {
        self.reset_state(ProgressState::Snapshot);
        self.pending_snapshot = index;
        self.snapshot_sent_ms = now_ms;
    }

    /// An ack for `n`: returns whether `matched` grew.
    pub fn maybe_update(&mut self, n: LogIndex) -> bool {
        let updated = self.matched < n;
        if updated {
            self.matched = n;
            self.probe_sent = false;
        }
        self.next = self.next.max(n.next());
        self.check();
        updated
    }

    /// A rejection of an append whose prevLogIndex was `rejected`; `hint` is where to probe next.
    /// Returns false when the rejection is stale (answers an older append).
    pub fn maybe_decr_to(&mut self, rejected: LogIndex, hint: LogIndex) -> bool {
        if self.state == ProgressState::Replicate {
            if rejected <= self.matched {
                return false;
            }
            // Pipelined appends after the rejected one are void; restart right after the match.
            self.next = self.matched.next();
            return true;
        }
        if self.next.prev() != rejected {
            return false;
        }
        let next = hint.next().min(rejected).max(self.matched.next());
        if next == self.next {
            // The follower rejected an index we believe it matches: only possible when safety
            // is already broken (injected bugs). Wait for the next heartbeat instead of looping.
            return false;
        }
        self.next = next;
        self.probe_sent = false;
        self.check();
        true
    }

    /// Record that `count` entries ending at `last` were sent.
    pub fn sent_entries(&mut self, count: usize, last: LogIndex) {
        match self.state {
            ProgressState::Replicate => {
                if count > 0 {
                    self.next = last.next();
                    self.inflights.add(last);
                }
            }
            ProgressState::Probe => {
                self.probe_sent = true;
            }
            ProgressState::Snapshot => unreachable!("appends are not sent in snapshot state"),
        }
    }

    /// Figure 2 bookkeeping: the follower is known to hold `matched`, so `next` is above it.
    pub fn check(&self) {
        debug_assert!(
            self.matched < self.next,
            "match {} >= next {}",
            self.matched,
            self.next
        );
    }

    pub fn is_paused(&self) -> bool {
        match self.state {
            ProgressState::Probe => self.probe_sent,
            ProgressState::Replicate => self.inflights.full(),
            ProgressState::Snapshot => true,
        }
    }
}
