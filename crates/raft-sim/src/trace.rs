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
        self.write_json(scratch);
        scratch.push(b'\n');
        h.write(scratch);
    }

    /// This event's compact JSON, byte for byte what `serde_json::to_vec` gives (the hash is
    /// defined over that; a test compares the two for every kind of event). The events every
    /// message, append and commit produce are written by hand: through serde
    /// they cost a fifth of a busy run. The rest go through serde.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let mut j = JsonOut { out };
        match self {
            TraceEvent::MsgSent {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
                summary,
                deliver_at_ms,
            } => write_msg_json(
                j.out,
                &MsgJson {
                    at_ms: *at_ms,
                    id: *id,
                    msg_type,
                    from: *from,
                    to: *to,
                    term: *term,
                },
                summary,
                Some(*deliver_at_ms),
            ),
            TraceEvent::MsgDelivered {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
                summary,
            } => write_msg_json(
                j.out,
                &MsgJson {
                    at_ms: *at_ms,
                    id: *id,
                    msg_type,
                    from: *from,
                    to: *to,
                    term: *term,
                },
                summary,
                None,
            ),
            TraceEvent::EntriesAppended {
                at_ms,
                node,
                from,
                to,
            } => {
                j.head("entriesAppended", *at_ms);
                j.u64("node", node.0);
                j.u64("from", from.0);
                j.u64("to", to.0);
                j.end();
            }
            TraceEvent::CommitAdvanced {
                at_ms,
                node,
                from,
                to,
            } => {
                j.head("commitAdvanced", *at_ms);
                j.u64("node", node.0);
                j.u64("from", from.0);
                j.u64("to", to.0);
                j.end();
            }
            TraceEvent::Applied { at_ms, node, index } => {
                j.head("applied", *at_ms);
                j.u64("node", node.0);
                j.u64("index", index.0);
                j.end();
            }
            TraceEvent::VoteGranted {
                at_ms,
                node,
                to,
                term,
                pre_vote,
            } => {
                j.head("voteGranted", *at_ms);
                j.u64("node", node.0);
                j.u64("to", to.0);
                j.u64("term", term.0);
                j.key("preVote");
                j.out
                    .extend_from_slice(if *pre_vote { b"true" } else { b"false" });
                j.end();
            }
            other => serde_json::to_writer(&mut *j.out, other).expect("an event always serializes"),
        }
    }
}

/// A trace as one JSON array, exactly `serde_json::to_string(events)`: the bindings hand
/// `advance`'s events to JS this way, and the common events are written by hand (see
/// [`TraceEvent::write_json`]).
pub fn trace_json(events: &[TraceEvent]) -> String {
    let mut out = Vec::with_capacity(events.len() * 128 + 2);
    out.push(b'[');
    for (i, ev) in events.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        ev.write_json(&mut out);
    }
    out.push(b']');
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The fields `msgSent` and `msgDelivered` share, ahead of the summary.
pub struct MsgJson<'a> {
    pub at_ms: f64,
    pub id: u64,
    pub msg_type: &'a str,
    pub from: NodeId,
    pub to: NodeId,
    pub term: Term,
}

/// The JSON of a `msgSent` (with `deliver_at_ms`) or `msgDelivered` event, from its parts: the
/// simulator hashes a message this way without building the event while it replays unseen.
pub fn write_msg_json(
    out: &mut Vec<u8>,
    m: &MsgJson<'_>,
    summary: &str,
    deliver_at_ms: Option<f64>,
) {
    let mut j = JsonOut { out };
    let kind = if deliver_at_ms.is_some() {
        "msgSent"
    } else {
        "msgDelivered"
    };
    j.head(kind, m.at_ms);
    j.u64("id", m.id);
    j.str("type", m.msg_type);
    j.u64("from", m.from.0);
    j.u64("to", m.to.0);
    j.u64("term", m.term.0);
    j.str("summary", summary);
    if let Some(at) = deliver_at_ms {
        j.key("deliverAtMs");
        j.f64(at);
    }
    j.end();
}

/// Writes the compact JSON of one flat object, as serde_json would. Plain strings, integers and
/// times in whole microseconds are written here; anything else (a string to escape, a float
/// that is not a time) goes through serde_json itself.
struct JsonOut<'a> {
    out: &'a mut Vec<u8>,
}

impl JsonOut<'_> {
    /// `{"kind":"...","atMs":...` (serde puts an internally tagged enum's tag first).
    fn head(&mut self, kind: &str, at_ms: f64) {
        self.out.extend_from_slice(b"{\"kind\":\"");
        self.out.extend_from_slice(kind.as_bytes());
        self.out.extend_from_slice(b"\",\"atMs\":");
        self.f64(at_ms);
    }

    fn key(&mut self, name: &str) {
        self.out.extend_from_slice(b",\"");
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn u64(&mut self, name: &str, v: u64) {
        self.key(name);
        self.digits(v);
    }

    fn digits(&mut self, mut v: u64) {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        loop {
            at -= 1;
            buf[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&buf[at..]);
    }

    /// Simulated times are whole microseconds over 1000: below 10^9 ms such a double has at
    /// most 15 significant digits, so its shortest round-trip form (serde_json's) is exactly
    /// the decimal `ms.uuu` without trailing zeros (`.0` when whole). Anything else goes
    /// through serde_json.
    fn f64(&mut self, v: f64) {
        let us = (v * 1000.0).round();
        if (0.0..1e12).contains(&us) && us / 1000.0 == v {
            let us = us as u64;
            self.digits(us / 1000);
            let frac = us % 1000;
            self.out.push(b'.');
            if frac == 0 {
                self.out.push(b'0');
            } else {
                let d = [
                    b'0' + (frac / 100) as u8,
                    b'0' + (frac / 10 % 10) as u8,
                    b'0' + (frac % 10) as u8,
                ];
                let len = if d[2] != b'0' {
                    3
                } else if d[1] != b'0' {
                    2
                } else {
                    1
                };
                self.out.extend_from_slice(&d[..len]);
            }
            return;
        }
        serde_json::to_writer(&mut *self.out, &v).expect("a number always serializes");
    }

    fn str(&mut self, name: &str, v: &str) {
        self.key(name);
        // The escapes serde_json writes: quote, backslash and control characters.
        if v.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.out.push(b'"');
            self.out.extend_from_slice(v.as_bytes());
            self.out.push(b'"');
        } else {
            serde_json::to_writer(&mut *self.out, v).expect("a string always serializes");
        }
    }

    fn end(&mut self) {
        self.out.push(b'}');
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
