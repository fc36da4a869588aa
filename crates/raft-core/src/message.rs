//! Messages between nodes: RequestVote, AppendEntries and InstallSnapshot of Figure 2, plus the
//! PreVote, heartbeat, TimeoutNow and ReadIndex messages of the dissertation.

use crate::types::{Entry, LogIndex, NodeId, Snapshot, Term};

/// One message. `term` is the sender's term (for PreVote: the term it would campaign in).
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Message {
    /// Sender.
    pub from: NodeId,
    /// Recipient.
    pub to: NodeId,
    /// The sender's term.
    pub term: Term,
    /// What the message says.
    pub payload: Payload,
}

/// The typed body of a message.
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
pub enum Payload {
    /// "Would you vote for me in `term`?" sent without raising the sender's term.
    PreVote {
        /// Candidate's last log index.
        last_index: LogIndex,
        /// Candidate's last log term.
        last_term: Term,
    },
    /// Answer to PreVote.
    PreVoteResp {
        /// True when refused.
        reject: bool,
    },
    /// RequestVote (§5.2).
    Vote {
        /// Candidate's last log index.
        last_index: LogIndex,
        /// Candidate's last log term.
        last_term: Term,
        /// Sent because of a leadership transfer; bypasses leader stickiness.
        transfer: bool,
    },
    /// Answer to RequestVote.
    VoteResp {
        /// True when refused.
        reject: bool,
    },
    /// AppendEntries (§5.3).
    Append {
        /// Index of the entry before `entries`.
        prev_index: LogIndex,
        /// Term of that entry.
        prev_term: Term,
        /// Entries to store, contiguous from `prev_index + 1`.
        entries: Vec<Entry>,
        /// Leader's commit index.
        commit: LogIndex,
    },
    /// Answer to AppendEntries.
    AppendResp {
        /// True when the consistency check failed.
        reject: bool,
        /// On success the last index now known to match; on reject the rejected `prev_index`.
        index: LogIndex,
        /// On reject: the follower's guess of the last index that may match.
        reject_hint: LogIndex,
        /// On reject: the term at `reject_hint` in the follower's log (0 if none).
        hint_term: Term,
    },
    /// Heartbeat: asserts leadership and carries the commit index.
    Heartbeat {
        /// `min(commit, follower's match)`: never ahead of what the follower has.
        commit: LogIndex,
        /// The leader's round number; answers confirm leadership for reads and leases.
        ctx: u64,
    },
    /// Answer to Heartbeat.
    HeartbeatResp {
        /// The heartbeat's ctx echoed back.
        ctx: u64,
    },
    /// InstallSnapshot (§7), in one chunk.
    Snapshot {
        /// The snapshot (boxed: it is rare and large, and every message is as big as its
        /// largest kind).
        snapshot: Box<Snapshot>,
    },
    /// Answer to InstallSnapshot.
    SnapshotResp {
        /// True when refused (for a stale snapshot).
        reject: bool,
        /// Index the follower's log now reaches.
        index: LogIndex,
    },
    /// "Start an election now" (leadership transfer, dissertation §3.10).
    TimeoutNow,
    /// A follower asks the leader for a read index.
    ReadIndex {
        /// The caller's request id.
        ctx: u64,
    },
    /// The leader's answer: reads for `ctx` may be served once applied ≥ `index`.
    ReadIndexResp {
        /// The request id.
        ctx: u64,
        /// The read index (0 when rejected).
        index: LogIndex,
        /// True when the leader could not serve (e.g. it stepped down).
        reject: bool,
    },
}

/// The kind of a message, without its body.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
#[allow(missing_docs)]
pub enum MessageKind {
    PreVote,
    PreVoteResp,
    Vote,
    VoteResp,
    Append,
    AppendResp,
    Heartbeat,
    HeartbeatResp,
    Snapshot,
    SnapshotResp,
    TimeoutNow,
    ReadIndex,
    ReadIndexResp,
}

impl MessageKind {
    /// The camelCase name used in JSON and on the page.
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::PreVote => "preVote",
            MessageKind::PreVoteResp => "preVoteResp",
            MessageKind::Vote => "vote",
            MessageKind::VoteResp => "voteResp",
            MessageKind::Append => "append",
            MessageKind::AppendResp => "appendResp",
            MessageKind::Heartbeat => "heartbeat",
            MessageKind::HeartbeatResp => "heartbeatResp",
            MessageKind::Snapshot => "snapshot",
            MessageKind::SnapshotResp => "snapshotResp",
            MessageKind::TimeoutNow => "timeoutNow",
            MessageKind::ReadIndex => "readIndex",
            MessageKind::ReadIndexResp => "readIndexResp",
        }
    }

    /// Whether the message is an answer to another.
    pub fn is_response(self) -> bool {
        matches!(
            self,
            MessageKind::PreVoteResp
                | MessageKind::VoteResp
                | MessageKind::AppendResp
                | MessageKind::HeartbeatResp
                | MessageKind::SnapshotResp
                | MessageKind::ReadIndexResp
        )
    }
}

impl Payload {
    /// The kind of this payload.
    pub fn kind(&self) -> MessageKind {
        match self {
            Payload::PreVote { .. } => MessageKind::PreVote,
            Payload::PreVoteResp { .. } => MessageKind::PreVoteResp,
            Payload::Vote { .. } => MessageKind::Vote,
            Payload::VoteResp { .. } => MessageKind::VoteResp,
            Payload::Append { .. } => MessageKind::Append,
            Payload::AppendResp { .. } => MessageKind::AppendResp,
            Payload::Heartbeat { .. } => MessageKind::Heartbeat,
            Payload::HeartbeatResp { .. } => MessageKind::HeartbeatResp,
            Payload::Snapshot { .. } => MessageKind::Snapshot,
            Payload::SnapshotResp { .. } => MessageKind::SnapshotResp,
            Payload::TimeoutNow => MessageKind::TimeoutNow,
            Payload::ReadIndex { .. } => MessageKind::ReadIndex,
            Payload::ReadIndexResp { .. } => MessageKind::ReadIndexResp,
        }
    }
}

impl Message {
    /// The kind of this message.
    pub fn kind(&self) -> MessageKind {
        self.payload.kind()
    }

    /// The camelCase kind name: `preVote`, `vote`, `append`, `appendResp`, `heartbeat`, ...
    pub fn kind_name(&self) -> &'static str {
        self.kind().name()
    }

    /// A short human description of the body, for the page's message labels.
    pub fn summary(&self) -> String {
        fn yes_no(reject: bool) -> &'static str {
            if reject {
                "rejected"
            } else {
                "granted"
            }
        }
        match &self.payload {
            Payload::PreVote {
                last_index,
                last_term,
            } => {
                format!(
                    "pre-vote for term {}? last log {last_index}@{last_term}",
                    self.term
                )
            }
            Payload::PreVoteResp { reject } => format!("pre-vote {}", yes_no(*reject)),
            Payload::Vote {
                last_index,
                last_term,
                transfer,
            } => format!(
                "vote for me in term {}? last log {last_index}@{last_term}{}",
                self.term,
                if *transfer { " (transfer)" } else { "" }
            ),
            Payload::VoteResp { reject } => format!("vote {}", yes_no(*reject)),
            Payload::Append {
                prev_index,
                prev_term,
                entries,
                commit,
            } => {
                if entries.is_empty() {
                    format!("append after {prev_index}@{prev_term}, no entries, commit {commit}")
                } else {
                    format!(
                        "append {}..{} after {prev_index}@{prev_term}, commit {commit}",
                        entries[0].index,
                        entries[entries.len() - 1].index
                    )
                }
            }
            Payload::AppendResp {
                reject: false,
                index,
                ..
            } => format!("ok, match {index}"),
            Payload::AppendResp {
                reject: true,
                index,
                reject_hint,
                hint_term,
            } => format!("reject prev {index}; hint {reject_hint}@{hint_term}"),
            Payload::Heartbeat { commit, ctx } => format!("heartbeat #{ctx}, commit {commit}"),
            Payload::HeartbeatResp { ctx } => format!("heartbeat #{ctx} ok"),
            Payload::Snapshot { snapshot } => format!(
                "snapshot up to {}@{} ({} bytes)",
                snapshot.index,
                snapshot.term,
                snapshot.data.len()
            ),
            Payload::SnapshotResp { reject, index } => {
                format!(
                    "snapshot {}, log at {index}",
                    if *reject { "refused" } else { "installed" }
                )
            }
            Payload::TimeoutNow => "timeout now: start an election".to_string(),
            Payload::ReadIndex { ctx } => format!("read index? request {ctx}"),
            Payload::ReadIndexResp { ctx, index, reject } => {
                if *reject {
                    format!("read {ctx} refused")
                } else {
                    format!("read {ctx} at index {index}")
                }
            }
        }
    }
}

/// A read that may be served once the state machine has applied `index`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct ReadState {
    /// The caller's request id given to `read_index`.
    pub ctx: u64,
    /// The read index.
    pub index: LogIndex,
}
