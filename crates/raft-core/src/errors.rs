//! Errors returned to the caller. Each names what was wrong.

use core::fmt;

use crate::confchange::ConfChangeError;
use crate::types::{LogIndex, NodeId, Term};

/// Why `step` refused a message. The node's state is unchanged.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum StepError {
    /// The message is addressed to another node.
    WrongRecipient {
        /// The addressee.
        to: NodeId,
        /// This node.
        me: NodeId,
    },
    /// The sender is `NodeId(0)` or this node itself.
    InvalidSender {
        /// The sender.
        from: NodeId,
    },
    /// A response from a node outside the configuration.
    UnknownSender {
        /// The sender.
        from: NodeId,
    },
    /// A term so large that campaigning after it would overflow.
    TermOverflow {
        /// The term.
        term: Term,
    },
    /// An index beyond this node's log where it must be inside it.
    IndexBeyondLog {
        /// The index.
        index: LogIndex,
        /// This node's last index.
        last_index: LogIndex,
    },
    /// The body contradicts itself (e.g. entries not contiguous, entry terms above the message).
    Malformed {
        /// What is wrong.
        reason: &'static str,
    },
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::WrongRecipient { to, me } => {
                write!(f, "message addressed to node {to} was given to node {me}")
            }
            StepError::InvalidSender { from } => write!(f, "invalid sender {from}"),
            StepError::UnknownSender { from } => {
                write!(
                    f,
                    "response from node {from}, which is not in the configuration"
                )
            }
            StepError::TermOverflow { term } => write!(f, "term {term} is too large"),
            StepError::IndexBeyondLog { index, last_index } => {
                write!(f, "index {index} is beyond the last log index {last_index}")
            }
            StepError::Malformed { reason } => write!(f, "malformed message: {reason}"),
        }
    }
}

impl std::error::Error for StepError {}

/// Why a proposal (or configuration change) was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ProposeError {
    /// Only the leader appends (§5.1); try `leader_hint`.
    NotLeader {
        /// The leader this node knows of.
        leader_hint: Option<NodeId>,
    },
    /// A leadership transfer is in progress; proposals are refused until it ends (§3.10).
    TransferInProgress {
        /// The transfer target.
        to: NodeId,
    },
    /// The configuration change cannot be applied.
    ConfChange(ConfChangeError),
}

impl fmt::Display for ProposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProposeError::NotLeader {
                leader_hint: Some(l),
            } => {
                write!(f, "not the leader; node {l} is")
            }
            ProposeError::NotLeader { leader_hint: None } => {
                write!(f, "not the leader, and no leader is known")
            }
            ProposeError::TransferInProgress { to } => {
                write!(f, "leadership is being transferred to node {to}")
            }
            ProposeError::ConfChange(e) => write!(f, "configuration change refused: {e}"),
        }
    }
}

impl std::error::Error for ProposeError {}

/// Why a leadership transfer was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum TransferError {
    /// Only the leader can transfer.
    NotLeader {
        /// The leader this node knows of.
        leader_hint: Option<NodeId>,
    },
    /// The target is this leader.
    ToSelf,
    /// The target is not a voter of the configuration.
    NotAVoter {
        /// The target.
        node: NodeId,
    },
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::NotLeader { .. } => write!(f, "only the leader can transfer leadership"),
            TransferError::ToSelf => write!(f, "the target is already the leader"),
            TransferError::NotAVoter { node } => {
                write!(f, "node {node} is not a voter and cannot lead")
            }
        }
    }
}

impl std::error::Error for TransferError {}

/// Why a read could not be started.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ReadError {
    /// No leader is known to forward the request to.
    NoLeader,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no leader is known to confirm the read")
    }
}

impl std::error::Error for ReadError {}

/// Why a compaction was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CompactError {
    /// The index is not newer than the current snapshot.
    SnapshotOlderThanLog {
        /// The requested index.
        index: LogIndex,
        /// The current snapshot's index.
        snapshot_index: LogIndex,
    },
    /// Only applied entries can be compacted.
    NotApplied {
        /// The requested index.
        index: LogIndex,
        /// The applied index.
        applied: LogIndex,
    },
}

impl fmt::Display for CompactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompactError::SnapshotOlderThanLog {
                index,
                snapshot_index,
            } => write!(
                f,
                "snapshot at {index} is not newer than the current snapshot at {snapshot_index}"
            ),
            CompactError::NotApplied { index, applied } => {
                write!(f, "index {index} is not applied yet (applied {applied})")
            }
        }
    }
}

impl std::error::Error for CompactError {}
