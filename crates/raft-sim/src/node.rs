//! One simulated server: a raft-core `RawNode`, its simulated disk, its state machine, its clock,
//! and the client requests it is serving.

use crate::SortedMap;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use raft_core::{
    Entry, HardState, LogIndex, NodeId, PersistToken, PersistedState, RawNode, SharedVec, Snapshot,
};
use serde::{Deserialize, Serialize};

use crate::clock::NodeClock;
use crate::kv::{KvOp, KvStore};

/// Whether the process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeStatus {
    Up,
    /// Stalled: timers and inbound messages wait until it resumes.
    Paused,
    /// Down: volatile state gone; only what reached the disk survives.
    Crashed,
}

/// A client request a node is working on.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientReq {
    pub client: u64,
    pub op_id: u64,
    pub seq: u64,
    pub attempt: u32,
    pub op: KvOp,
}

/// A Ready's persistence, queued on the disk. Writes complete in order; each one's token is
/// handed to `advance` when it (and every write before it) is durable.
pub struct PendingWrite {
    pub token: PersistToken,
    pub hard_state: Option<HardState>,
    /// A snapshot from the leader, or this node's own compaction.
    pub snapshot: Option<Snapshot>,
    pub truncate_from: Option<LogIndex>,
    pub entries: Vec<Entry>,
    /// When the disk finishes it.
    pub done_us: u64,
    /// On disk, but the node was paused, so `advance` waits for resume.
    pub durable: bool,
}

impl Clone for PendingWrite {
    fn clone(&self) -> Self {
        PendingWrite {
            // A checkpoint clones the node together with its queued writes, so each copy of the
            // token is only ever used with its own copy of the node.
            token: self.token.clone_for_checkpoint(),
            hard_state: self.hard_state,
            snapshot: self.snapshot.clone(),
            truncate_from: self.truncate_from,
            entries: self.entries.clone(),
            done_us: self.done_us,
            durable: self.durable,
        }
    }
}

/// What a node's disk holds. Entries (in shared chunks) and the snapshot are shared, so cloning
/// a node for a checkpoint copies a few pointers, not the log.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    pub hard_state: HardState,
    pub snapshot: Option<Arc<Snapshot>>,
    pub entries: SharedVec<Entry>,
}

impl Disk {
    /// The form raft-core's `RawNode::restart` takes.
    pub fn to_persisted(&self) -> PersistedState {
        PersistedState {
            hard_state: self.hard_state,
            snapshot: self.snapshot.as_deref().cloned(),
            entries: self.entries.iter().cloned().collect(),
        }
    }

    /// Drop entries at `from` and after (entries are contiguous, so this is a truncate).
    fn truncate_from(&mut self, from: LogIndex) {
        let keep = self.entries.partition_point(|e| e.index < from);
        self.entries.truncate(keep);
    }

    pub fn last_index(&self) -> LogIndex {
        self.entries
            .last()
            .map(|e| e.index)
            .unwrap_or_else(|| self.snapshot.as_ref().map_or(LogIndex(0), |s| s.index))
    }
}

/// Apply a write to the durable state, as a disk would: snapshot (dropping the entries it
/// covers), truncation, new entries, then the hard state.
pub fn persist(disk: &mut Disk, w: &PendingWrite) {
    if let Some(snap) = &w.snapshot {
        let newer = disk.snapshot.as_ref().is_none_or(|s| s.index < snap.index);
        if newer {
            // Keep the entries after the snapshot only if the log agrees at its last index.
            let agrees = disk
                .entries
                .iter()
                .any(|e| e.index == snap.index && e.term == snap.term);
            if agrees {
                let covered = disk.entries.partition_point(|e| e.index <= snap.index);
                disk.entries.drain_front(covered);
            } else {
                disk.entries.clear();
            }
            disk.snapshot = Some(Arc::new(snap.clone()));
        }
    }
    if let Some(from) = w.truncate_from {
        disk.truncate_from(from);
    }
    if let Some(first) = w.entries.first() {
        disk.truncate_from(first.index);
        let snap_index = disk.snapshot.as_ref().map_or(LogIndex(0), |s| s.index);
        disk.entries
            .extend(w.entries.iter().filter(|e| e.index > snap_index).cloned());
    }
    if let Some(hs) = w.hard_state {
        disk.hard_state = hs;
    }
}

/// Display text of the log entries `state()` showed, by index: (term, summary). Filled by
/// `state()` when it shows an entry (so behind a `RefCell`), not when the entry is written:
/// decoding every entry on every node as it was written cost a twentieth of a busy run that
/// nobody was looking at (a seek, the fuzzer). Only a cache, rebuilt on demand: a copy (a
/// checkpoint) starts empty, since cloning its strings only to drop them was a sixth of a busy
/// run's time.
#[derive(Default)]
pub struct SummaryCache(RefCell<SortedMap<u64, (u64, String)>>);

impl Clone for SummaryCache {
    fn clone(&self) -> Self {
        SummaryCache::default()
    }
}

impl Deref for SummaryCache {
    type Target = RefCell<SortedMap<u64, (u64, String)>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for SummaryCache {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// A server in the simulation.
#[derive(Clone)]
pub struct SimNode {
    pub id: NodeId,
    pub status: NodeStatus,
    /// None while crashed.
    pub raft: Option<RawNode>,
    pub storage: Disk,
    /// Writes queued on the disk, oldest first.
    pub pending_writes: VecDeque<PendingWrite>,
    /// The configuration the node was created with (restart starts from it without a snapshot).
    pub boot_voters: Vec<NodeId>,
    pub boot_learners: Vec<NodeId>,
    pub disk_free_us: u64,
    pub kv: KvStore,
    pub applied: LogIndex,
    /// Index of the newest snapshot (taken or installed) in this incarnation.
    pub compacted: LogIndex,
    pub clock: NodeClock,
    pub timer_gen: u64,
    pub timer_at_us: Option<u64>,
    /// Events that arrived while paused, in arrival order.
    pub inbox: Vec<crate::world::Ev>,
    /// Write proposals by log index.
    pub proposals: SortedMap<u64, ClientReq>,
    /// Reads waiting for a read index, by ctx.
    pub reads: SortedMap<u64, ClientReq>,
    /// Reads with a read index, waiting for the state machine to reach it.
    pub reads_ready: Vec<(u64, ClientReq)>,
    /// Display text of the log entries `state()` showed (see [`SummaryCache`]).
    pub summaries: SummaryCache,
    /// Counts restarts, so a disk completion for an earlier life is ignored.
    pub incarnation: u64,
    /// Why raft-core last refused a message of each (sender, kind), until one is accepted.
    pub last_refusal: SortedMap<(NodeId, &'static str), crate::trace::RefusalReason>,
}

impl SimNode {
    pub fn new(
        id: NodeId,
        raft: RawNode,
        boot_voters: Vec<NodeId>,
        boot_learners: Vec<NodeId>,
    ) -> SimNode {
        SimNode {
            id,
            status: NodeStatus::Up,
            raft: Some(raft),
            storage: Disk::default(),
            pending_writes: VecDeque::new(),
            boot_voters,
            boot_learners,
            disk_free_us: 0,
            kv: KvStore::default(),
            applied: LogIndex(0),
            compacted: LogIndex(0),
            clock: NodeClock::default(),
            timer_gen: 0,
            timer_at_us: None,
            inbox: Vec::new(),
            proposals: SortedMap::new(),
            reads: SortedMap::new(),
            reads_ready: Vec::new(),
            incarnation: 0,
            summaries: Default::default(),
            last_refusal: SortedMap::new(),
        }
    }

    /// Lose everything volatile: the process, the unpersisted write, the state machine.
    pub fn crash(&mut self) {
        self.status = NodeStatus::Crashed;
        self.raft = None;
        // The writes queued on the disk die with the process: a restarted node's first write
        // waits behind nothing.
        self.pending_writes.clear();
        self.disk_free_us = 0;
        self.kv = KvStore::default();
        self.applied = LogIndex(0);
        self.compacted = LogIndex(0);
        self.timer_gen += 1;
        self.timer_at_us = None;
        self.inbox.clear();
        self.proposals.clear();
        self.reads.clear();
        self.reads_ready.clear();
        self.incarnation += 1;
        self.summaries.get_mut().clear();
        self.last_refusal.clear();
    }

    pub fn is_up(&self) -> bool {
        self.status == NodeStatus::Up
    }
}
