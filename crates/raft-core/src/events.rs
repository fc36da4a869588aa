//! Explanations of what a node did and why, for the page to put into words.

use crate::message::MessageKind;
use crate::types::{LogIndex, NodeId, Role, Term};

/// Why a role changed.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum RoleReason {
    /// No word from a leader within the election timeout (§5.2).
    ElectionTimeout {
        /// The randomized timeout that expired.
        timeout_ms: u64,
    },
    /// `campaign()` was called.
    ForcedCampaign,
    /// The leader asked this node to campaign (leadership transfer).
    TimeoutNow {
        /// The old leader.
        from: NodeId,
    },
    /// A majority granted pre-votes; the real election starts.
    PreVoteWon,
    /// A majority granted votes (§5.2).
    WonElection {
        /// Who voted yes, this node included.
        votes: Vec<NodeId>,
    },
    /// A majority refused the (pre-)votes.
    LostElection {
        /// Who said no.
        rejections: Vec<NodeId>,
    },
    /// A message carried a higher term (§5.1).
    HigherTerm {
        /// Who sent it.
        from: NodeId,
        /// Its term.
        term: Term,
    },
    /// A leader of the current term made itself known to a candidate (§5.2).
    LeaderDiscovered {
        /// The leader.
        leader: NodeId,
    },
    /// CheckQuorum: no word from a majority within an election timeout.
    LostQuorum {
        /// How many voters were heard from, self included.
        active: usize,
    },
    /// The leader committed a configuration without itself (dissertation §4.2.2).
    RemovedFromConfig,
}

/// Why a (pre-)vote was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum DenyReason {
    /// One vote per term, first come first served (§5.2).
    AlreadyVoted {
        /// Who got the vote.
        voted_for: NodeId,
        /// In which term.
        term: Term,
    },
    /// This node already follows a leader of this term.
    HasLeader {
        /// The leader.
        leader: NodeId,
    },
    /// The candidate's log is not at least as up-to-date as this node's (§5.4.1).
    LogBehind {
        /// Candidate's last log term.
        candidate_last_term: Term,
        /// Candidate's last log index.
        candidate_last_index: LogIndex,
        /// This node's last log term.
        last_term: Term,
        /// This node's last log index.
        last_index: LogIndex,
    },
    /// The candidate's term is behind this node's (§5.1).
    StaleTerm {
        /// The candidate's term.
        candidate_term: Term,
        /// This node's term.
        term: Term,
    },
    /// Leader stickiness: this node is itself the live leader of its term; a candidate for a later
    /// term would depose it while it still reaches a majority.
    IsLeader {
        /// The term it leads.
        term: Term,
    },
    /// Leader stickiness (dissertation §4.2.3): a leader was heard within the minimum election
    /// timeout.
    LeaderSticky {
        /// The live leader.
        leader: NodeId,
        /// How long ago it was heard.
        heard_ms_ago: u64,
    },
    /// Lease reads: a node that just (re)started may have promised a lease before it crashed,
    /// so it waits one minimum election timeout before voting.
    RecentlyStarted {
        /// How long it still waits.
        wait_ms: u64,
    },
}

/// Why nextIndex moved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum NextIndexReason {
    /// An append was acknowledged.
    Acked,
    /// A rejection moved it back by the follower's conflict hint (fast backtracking).
    Hint {
        /// The hinted index.
        reject_hint: LogIndex,
        /// The hinted term.
        hint_term: Term,
    },
    /// A rejection moved it back by one entry (Figure 2 without the optimisation).
    OneStep,
    /// A rejection while appends were pipelined: every append sent after the rejected one is
    /// void too, so the leader restarts right after the follower's matchIndex and probes from
    /// there (etcd's `MaybeDecrTo` in StateReplicate); the hint is not used.
    BackToMatch {
        /// The prevLogIndex of the rejected append.
        rejected: LogIndex,
        /// The follower's matchIndex: the last entry it is known to hold.
        matched: LogIndex,
    },
    /// The follower answered a snapshot (§7): replication continues right after it.
    SnapshotAnswered {
        /// The index the follower reported holding.
        index: LogIndex,
    },
    /// Replication fell back to probing.
    Probe,
}

/// Why a follower rejected an append (Figure 2, AppendEntries receiver step 2).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum AppendRejectReason {
    /// The log ends before prevLogIndex. On a healthy follower this means an earlier append has
    /// not arrived yet (a later one overtook it on the network) or was lost, or the follower was
    /// down while the leader sent it.
    LogTooShort {
        /// The follower's last index.
        last_index: LogIndex,
    },
    /// The entry at prevLogIndex has another term: the logs diverged there (§5.3).
    TermMismatch {
        /// The term of the follower's entry at prevLogIndex.
        term: Term,
    },
}

/// Why a message was ignored.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum IgnoreReason {
    /// Its term is below ours (§5.1).
    StaleTerm {
        /// The message's term.
        msg_term: Term,
        /// Our term.
        term: Term,
    },
    /// A vote request while a leader is live (leader stickiness, dissertation §4.2.3).
    LeaderSticky {
        /// The live leader.
        leader: NodeId,
    },
    /// A snapshot that is not newer than what we have committed.
    StaleSnapshot {
        /// The snapshot's index.
        index: LogIndex,
        /// Our commit index.
        commit: LogIndex,
    },
    /// A response that does not match any request we still track.
    Unexpected,
    /// A response from a node we do not track.
    UnknownPeer,
}

/// Why a leadership transfer was abandoned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum TransferAbortReason {
    /// The target did not take over within an election timeout.
    Timeout,
    /// The leader stepped down before the transfer finished.
    SteppedDown,
    /// Another transfer replaced it.
    Replaced,
    /// The target left the configuration.
    TargetRemoved,
}

/// Something a node did, with the reason.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "kind",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum Event {
    /// The role changed.
    RoleChanged {
        /// Previous role.
        from: Role,
        /// New role.
        to: Role,
        /// Term after the change.
        term: Term,
        /// Why.
        reason: RoleReason,
    },
    /// This node granted a (pre-)vote.
    VoteGranted {
        /// The candidate.
        to: NodeId,
        /// The term of the request.
        term: Term,
        /// PreVote rather than a real vote.
        pre_vote: bool,
    },
    /// This node refused a (pre-)vote.
    VoteDenied {
        /// The candidate.
        to: NodeId,
        /// The term of the request.
        term: Term,
        /// PreVote rather than a real vote.
        pre_vote: bool,
        /// Why.
        reason: DenyReason,
    },
    /// This follower rejected an append: its log does not contain prevLogIndex@prevLogTerm.
    AppendRejected {
        /// The leader.
        from: NodeId,
        /// The append's prevLogIndex.
        prev_index: LogIndex,
        /// The append's prevLogTerm.
        prev_term: Term,
        /// Why the check failed.
        reason: AppendRejectReason,
        /// The hint sent back: last index that may match.
        reject_hint: LogIndex,
        /// The term at `reject_hint`.
        hint_term: Term,
    },
    /// Entries `from..=to` were appended to the local log.
    EntriesAppended {
        /// First appended index.
        from: LogIndex,
        /// Last appended index.
        to: LogIndex,
    },
    /// Conflicting entries `from..=to` were removed (§5.3).
    EntriesTruncated {
        /// First removed index.
        from: LogIndex,
        /// Last removed index.
        to: LogIndex,
        /// Term of the first removed entry.
        conflict_term: Term,
    },
    /// The leader moved a follower's nextIndex.
    NextIndexMoved {
        /// The follower.
        peer: NodeId,
        /// Old nextIndex.
        from: LogIndex,
        /// New nextIndex.
        to: LogIndex,
        /// Why.
        reason: NextIndexReason,
    },
    /// The commit index advanced.
    CommitAdvanced {
        /// Old commit index.
        from: LogIndex,
        /// New commit index.
        to: LogIndex,
    },
    /// This node compacted its log into a snapshot.
    SnapshotTaken {
        /// Last included index.
        index: LogIndex,
        /// Its term.
        term: Term,
    },
    /// This node installed a snapshot from the leader.
    SnapshotInstalled {
        /// The leader.
        from: NodeId,
        /// Last included index.
        index: LogIndex,
        /// Its term.
        term: Term,
    },
    /// The leader sent a snapshot because the follower needs compacted entries.
    SnapshotSent {
        /// The follower.
        to: NodeId,
        /// Last included index.
        index: LogIndex,
        /// The follower's nextIndex: the first entry it needs.
        needed: LogIndex,
        /// The leader's first log index: everything before it is compacted.
        first_index: LogIndex,
    },
    /// The configuration changed (on append, or on truncation of a config entry).
    ConfChanged {
        /// Voters (incoming).
        voters: Vec<NodeId>,
        /// Learners.
        learners: Vec<NodeId>,
        /// Outgoing voters while joint.
        voters_outgoing: Vec<NodeId>,
        /// Index of the entry (or snapshot) that set it.
        index: LogIndex,
    },
    /// A leadership transfer started.
    TransferStarted {
        /// The target.
        to: NodeId,
    },
    /// A leadership transfer was abandoned.
    TransferAborted {
        /// The target.
        to: NodeId,
        /// Why.
        reason: TransferAbortReason,
    },
    /// The leader sent TimeoutNow to the transfer target.
    TimeoutNowSent {
        /// The target.
        to: NodeId,
    },
    /// A message was dropped on purpose.
    MessageIgnored {
        /// Sender.
        from: NodeId,
        /// Its kind.
        msg: MessageKind,
        /// Why.
        reason: IgnoreReason,
    },
    /// A read request is waiting for the leader to commit an entry of its term (§8).
    ReadPending {
        /// The request id.
        ctx: u64,
    },
    /// A read request was dropped (the leader stepped down or refused); retry it.
    ReadAborted {
        /// The request id.
        ctx: u64,
    },
}
