//! The output contract: `Ready` and the persistence token.
//!
//! Order of work for a `Ready`, as in etcd-io/raft:
//! 1. persist: `snapshot` or `compacted` (replace the disk snapshot and drop entries up to its
//!    index), then drop entries from `truncate_from`, then append `entries`, then `hard_state`;
//! 2. send `messages` (none of them vouch for unpersisted state);
//! 3. apply `committed_entries` (restore the state machine from `snapshot` first, if set);
//! 4. serve `read_states` once applied ≥ their index;
//! 5. call `RawNode::advance(token)` when step 1 is on disk. That releases the messages that
//!    vouch for it (vote grants, append acks, the leader's own ack) into the next `Ready`.

use crate::events::Event;
use crate::message::{Message, ReadState};
use crate::types::{Entry, HardState, LogIndex, Snapshot};

/// Everything a node wants done, in one value. `Default` is an empty one, for
/// `RawNode::ready_into`.
#[derive(Debug, Default)]
pub struct Ready {
    /// Term, vote and commit to persist, when changed.
    pub hard_state: Option<HardState>,
    /// A snapshot from the leader: persist it and restore the state machine from it.
    pub snapshot: Option<Snapshot>,
    /// A snapshot of this node's own state machine (from `compact`): persist it; do not restore.
    pub compacted: Option<Snapshot>,
    /// Drop persisted entries from this index on, before appending `entries`.
    pub truncate_from: Option<LogIndex>,
    /// Entries to append to stable storage.
    pub entries: Vec<Entry>,
    /// Messages to send now.
    pub messages: Vec<Message>,
    /// Committed entries to apply, in order.
    pub committed_entries: Vec<Entry>,
    /// Reads that may be served once applied ≥ their index.
    pub read_states: Vec<ReadState>,
    /// What happened and why.
    pub events: Vec<Event>,
    pub(crate) token: Option<PersistToken>,
}

impl Ready {
    /// The token to hand to `RawNode::advance` once this Ready's state is persisted. Taking it
    /// twice yields a spent token whose `advance` does nothing.
    pub fn persist_token(&mut self) -> PersistToken {
        self.token.take().unwrap_or(PersistToken { seq: 0 })
    }

    /// Whether anything must be written to disk.
    pub fn must_persist(&self) -> bool {
        self.hard_state.is_some()
            || self.snapshot.is_some()
            || self.compacted.is_some()
            || self.truncate_from.is_some()
            || !self.entries.is_empty()
    }
}

/// Proof that a Ready was persisted. Not `Clone`: `advance` consumes it.
#[derive(Debug, PartialEq, Eq)]
pub struct PersistToken {
    pub(crate) seq: u64,
}

impl PersistToken {
    /// A copy for a checkpoint that clones the node together with its pending disk writes.
    /// Each copy must be used only with the clone of the node it was taken alongside.
    pub fn clone_for_checkpoint(&self) -> PersistToken {
        PersistToken { seq: self.seq }
    }

    /// Ordinal of the Ready this token belongs to (1-based; 0 for a spent token).
    pub fn seq(&self) -> u64 {
        self.seq
    }
}
