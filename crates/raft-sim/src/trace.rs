//! The typed trace the page animates and puts into words, and its stable hash.
//!
//! Every event carries `atMs` (simulated milliseconds, fractional). The hash is FNV-1a over the
//! compact JSON of each event in order: JSON because it is the one canonical encoding both the
//! native build and wasm already share, FNV because it is defined byte for byte (std's
//! `DefaultHasher` may change between releases).

use raft_core::{
    AppendRejectReason, DenyReason, LogIndex, NextIndexReason, NodeId, Role, RoleReason, StepError,
    Term, TransferAbortReason,
};
use serde::{Deserialize, Serialize};

use crate::kv::{KvOp, KvResult};
use crate::network::{DropReason, Endpoint};
use crate::rng::Fnv64;
use crate::scenario::Action;

/// One thing that happened in the simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum TraceEvent {
    MsgSent {
        at_ms: f64,
        id: u64,
        #[serde(rename = "type")]
        msg_type: String,
        from: NodeId,
        to: NodeId,
        term: Term,
        summary: String,
        deliver_at_ms: f64,
    },
    MsgDelivered {
        at_ms: f64,
        id: u64,
        #[serde(rename = "type")]
        msg_type: String,
        from: NodeId,
        to: NodeId,
        term: Term,
        summary: String,
    },
    MsgDropped {
        at_ms: f64,
        id: u64,
        #[serde(rename = "type")]
        msg_type: String,
        from: NodeId,
        to: NodeId,
        reason: DropReason,
    },
    MsgDuplicated {
        at_ms: f64,
        id: u64,
        copy_id: u64,
        deliver_at_ms: f64,
    },
    RoleChanged {
        at_ms: f64,
        node: NodeId,
        from: Role,
        to: Role,
        term: Term,
        reason: RoleReason,
    },
    VoteGranted {
        at_ms: f64,
        node: NodeId,
        to: NodeId,
        term: Term,
        pre_vote: bool,
    },
    VoteDenied {
        at_ms: f64,
        node: NodeId,
        to: NodeId,
        term: Term,
        pre_vote: bool,
        reason: DenyReason,
    },
    AppendRejected {
        at_ms: f64,
        node: NodeId,
        leader: NodeId,
        prev_index: LogIndex,
        prev_term: Term,
        /// Why the consistency check failed.
        reason: AppendRejectReason,
        /// The follower's conflict hint: the last index that may match, and its term.
        hint: LogIndex,
        hint_term: Term,
    },
    EntriesAppended {
        at_ms: f64,
        node: NodeId,
        from: LogIndex,
        to: LogIndex,
    },
    EntriesTruncated {
        at_ms: f64,
        node: NodeId,
        from: LogIndex,
        to: LogIndex,
        conflict_term: Term,
    },
    NextIndexMoved {
        at_ms: f64,
        node: NodeId,
        peer: NodeId,
        from: LogIndex,
        to: LogIndex,
        reason: NextIndexReason,
    },
    CommitAdvanced {
        at_ms: f64,
        node: NodeId,
        from: LogIndex,
        to: LogIndex,
    },
    Applied {
        at_ms: f64,
        node: NodeId,
        index: LogIndex,
    },
    SnapshotTaken {
        at_ms: f64,
        node: NodeId,
        index: LogIndex,
        term: Term,
    },
    /// The leader `node` sent `to` its snapshot: the entries `to` needs start at `needed`,
    /// before the leader's first log index.
    SnapshotSent {
        at_ms: f64,
        node: NodeId,
        to: NodeId,
        index: LogIndex,
        needed: LogIndex,
        first_index: LogIndex,
    },
    SnapshotInstalled {
        at_ms: f64,
        node: NodeId,
        index: LogIndex,
        term: Term,
    },
    ConfChanged {
        at_ms: f64,
        node: NodeId,
        voters: Vec<NodeId>,
        learners: Vec<NodeId>,
        voters_outgoing: Vec<NodeId>,
        joint: bool,
    },
    TransferStarted {
        at_ms: f64,
        node: NodeId,
        to: NodeId,
    },
    TransferAborted {
        at_ms: f64,
        node: NodeId,
        to: NodeId,
        reason: TransferAbortReason,
    },
    ClientInvoked {
        at_ms: f64,
        client: u64,
        op_id: u64,
        op: KvOp,
    },
    /// A client sent (or re-sent after a timeout or redirect) its request to a node.
    ClientSent {
        at_ms: f64,
        client: u64,
        op_id: u64,
        attempt: u32,
        to: NodeId,
        /// Why it went to `to`: the first try, a redirect or a timeout.
        reason: crate::client::SendReason,
    },
    ClientCompleted {
        at_ms: f64,
        client: u64,
        op_id: u64,
        result: KvResult,
        served_by: NodeId,
    },
    /// A request (client -> node) or its answer (node -> client, `reply`) was lost on the way:
    /// client traffic crosses the same links as the servers' messages.
    ClientMsgDropped {
        at_ms: f64,
        client: u64,
        node: NodeId,
        op_id: u64,
        attempt: u32,
        reply: bool,
        reason: DropReason,
    },
    NodeCrashed {
        at_ms: f64,
        node: NodeId,
    },
    NodeRestarted {
        at_ms: f64,
        node: NodeId,
    },
    NodePaused {
        at_ms: f64,
        node: NodeId,
    },
    NodeResumed {
        at_ms: f64,
        node: NodeId,
    },
    /// One direction of a link went up or down; either end may be a client (`"c1"`).
    LinkChanged {
        at_ms: f64,
        from: Endpoint,
        to: Endpoint,
        up: bool,
    },
    /// A user or fuzzer action took effect.
    Action {
        at_ms: f64,
        action: Action,
    },
    /// `node` refused a message from `from` as impossible input (raft-core's `StepError`) and
    /// dropped it unanswered. A repeat of the same refusal is not traced again.
    MsgRefused {
        at_ms: f64,
        node: NodeId,
        from: NodeId,
        #[serde(rename = "type")]
        msg_type: String,
        reason: RefusalReason,
    },
    Violation {
        at_ms: f64,
        property: String,
        nodes: Vec<NodeId>,
        index: Option<LogIndex>,
        detail: String,
    },
}

impl TraceEvent {
    pub fn at_ms(&self) -> f64 {
        match self {
            TraceEvent::MsgSent { at_ms, .. }
            | TraceEvent::MsgDelivered { at_ms, .. }
            | TraceEvent::MsgDropped { at_ms, .. }
            | TraceEvent::MsgDuplicated { at_ms, .. }
            | TraceEvent::RoleChanged { at_ms, .. }
            | TraceEvent::VoteGranted { at_ms, .. }
            | TraceEvent::VoteDenied { at_ms, .. }
            | TraceEvent::AppendRejected { at_ms, .. }
            | TraceEvent::EntriesAppended { at_ms, .. }
            | TraceEvent::EntriesTruncated { at_ms, .. }
            | TraceEvent::NextIndexMoved { at_ms, .. }
            | TraceEvent::CommitAdvanced { at_ms, .. }
            | TraceEvent::Applied { at_ms, .. }
            | TraceEvent::SnapshotTaken { at_ms, .. }
            | TraceEvent::SnapshotSent { at_ms, .. }
            | TraceEvent::SnapshotInstalled { at_ms, .. }
            | TraceEvent::ConfChanged { at_ms, .. }
            | TraceEvent::TransferStarted { at_ms, .. }
            | TraceEvent::TransferAborted { at_ms, .. }
            | TraceEvent::ClientInvoked { at_ms, .. }
            | TraceEvent::ClientSent { at_ms, .. }
            | TraceEvent::ClientCompleted { at_ms, .. }
            | TraceEvent::ClientMsgDropped { at_ms, .. }
            | TraceEvent::NodeCrashed { at_ms, .. }
            | TraceEvent::NodeRestarted { at_ms, .. }
            | TraceEvent::NodePaused { at_ms, .. }
            | TraceEvent::NodeResumed { at_ms, .. }
            | TraceEvent::LinkChanged { at_ms, .. }
            | TraceEvent::Action { at_ms, .. }
            | TraceEvent::MsgRefused { at_ms, .. }
            | TraceEvent::Violation { at_ms, .. } => *at_ms,
        }
    }

    /// Add this event to a running trace hash. The JSON goes through `scratch` (cleared first)
    /// rather than straight into the hasher: a `Vec<u8>` writer is the one serializer the
    /// bindings use too, so each `Serialize` impl is compiled once in the wasm, not twice.
    pub fn hash_into(&self, h: &mut Fnv64, scratch: &mut Vec<u8>) {
        scratch.clear();
        serde_json::to_writer(&mut *scratch, self).expect("hashing never fails");
        h.write(scratch);
        h.write(b"\n");
    }
}

/// Why a node refused a message outright: raft-core's `StepError`, in a form the page can put
/// into words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum RefusalReason {
    /// An answer about an index beyond the receiver's log. A leader's log holds every committed
    /// entry (Leader Completeness, §5.4), so in a correct cluster no follower can report more;
    /// after an injected bug a follower may hold committed entries the leader lacks.
    IndexBeyondLog {
        /// The index the answer reports.
        index: LogIndex,
        /// The receiver's last index.
        last_index: LogIndex,
    },
    /// A response from a node outside the receiver's configuration.
    UnknownSender,
    /// Any other malformed input, in raft-core's words.
    Malformed {
        /// raft-core's message.
        detail: String,
    },
}

impl From<&StepError> for RefusalReason {
    fn from(e: &StepError) -> Self {
        match e {
            StepError::IndexBeyondLog { index, last_index } => RefusalReason::IndexBeyondLog {
                index: *index,
                last_index: *last_index,
            },
            StepError::UnknownSender { .. } => RefusalReason::UnknownSender,
            other => RefusalReason::Malformed {
                detail: other.to_string(),
            },
        }
    }
}

/// Simulated microseconds to the public milliseconds.
pub fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1000.0
}
