//! A snapshot of a node's state for display.

use crate::progress::ProgressState;
use crate::types::{LogIndex, NodeId, Role, Term};

/// One follower as the leader sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct PeerProgress {
    /// The follower (or the leader itself).
    pub peer: NodeId,
    /// nextIndex.
    pub next_index: LogIndex,
    /// matchIndex.
    pub match_index: LogIndex,
    /// probe / replicate / snapshot.
    pub state: ProgressState,
    /// Appends in flight.
    pub inflight: usize,
    /// Heard from in the current CheckQuorum window.
    pub recent_active: bool,
    /// A learner.
    pub is_learner: bool,
}

/// One answer a candidate (or pre-candidate) has received in its current campaign.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct VoteRecord {
    /// The voter.
    pub node: NodeId,
    /// Whether it granted the vote.
    pub granted: bool,
}

/// Everything the page shows about one node.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Status {
    /// This node.
    pub id: NodeId,
    /// Its role.
    pub role: Role,
    /// currentTerm.
    pub term: Term,
    /// votedFor.
    pub voted_for: Option<NodeId>,
    /// The leader it knows of.
    pub leader: Option<NodeId>,
    /// commitIndex.
    pub commit: LogIndex,
    /// lastApplied (handed to the caller for applying).
    pub applied: LogIndex,
    /// First index still in the log.
    pub first_index: LogIndex,
    /// Last index.
    pub last_index: LogIndex,
    /// Term of the last entry.
    pub last_term: Term,
    /// Highest index known persisted.
    pub stable_index: LogIndex,
    /// Snapshot's last included index.
    pub snapshot_index: LogIndex,
    /// Snapshot's last included term.
    pub snapshot_term: Term,
    /// The node's clock (last `tick`).
    pub now_ms: u64,
    /// When the election timer fires (absolute ms); `None` for leaders and non-voters.
    pub election_deadline_ms: Option<u64>,
    /// The current randomized election timeout.
    pub election_timeout_ms: u64,
    /// Per-peer progress, leader only (self included).
    pub progress: Vec<PeerProgress>,
    /// Voters (incoming half when joint).
    pub voters: Vec<NodeId>,
    /// Learners.
    pub learners: Vec<NodeId>,
    /// Outgoing voters while joint; empty otherwise.
    pub voters_outgoing: Vec<NodeId>,
    /// Whether the configuration is joint.
    pub joint: bool,
    /// Index of the last configuration change that is not committed (0 if none).
    pub pending_conf_index: LogIndex,
    /// Target of a leadership transfer in progress.
    pub transfer_target: Option<NodeId>,
    /// Reads waiting at this leader.
    pub pending_reads: usize,
    /// Candidates and pre-candidates: the answers received in this campaign (its own included);
    /// empty otherwise (§5.2).
    pub votes: Vec<VoteRecord>,
}
