//! The typed trace the page animates and puts into words, and its stable hash.
//!
//! Every event carries `atMs` (simulated milliseconds, fractional). The trace hash is a
//! [`WordHash`] over every event in order, each event as 64-bit words (`TraceEvent::hash_into`):
//! the common events field by field, a message from the message itself (its summary is display
//! text made from it), and the rare kinds as their compact JSON. It used to be FNV-1a over every
//! event's JSON text: writing ~130 bytes of text per event and one multiply per byte was 40% of a
//! seek (issue 16). The words are defined on integers only (times as their f64 bits), so the hash
//! is the same natively and in wasm, and std's `DefaultHasher` (free to change) is not used.

use raft_core::{
    AppendRejectReason, DenyReason, LogIndex, NextIndexReason, NodeId, Role, RoleReason, StepError,
    Term, TransferAbortReason,
};
use serde::{Deserialize, Serialize};

use crate::client::SendReason;
use crate::kv::{KvOp, KvResult};
use crate::network::{DropReason, Endpoint};
use crate::rng::WordHash;
use crate::scenario::Action;

/// A message kind's name in an event (`Message::kind_name`): borrowed, so the two events every
/// message gives allocate no text for it. Events are never read back from JSON (7333919 took
/// `TraceEvent`'s decoder away); a `Cow` still lets a test build an event with any name.
pub type MsgType = std::borrow::Cow<'static, str>;

/// A `msgSent`'s summary, the text `Message::summary` gives: kept as the numbers it is made of
/// and written out only when shown or serialized. Every message sent is traced with one, most
/// are never read (the CLI, a hidden feed), and making each as a `String` was an allocation
/// and a free per message, a twelfth of a busy `advance` (issue 16).
#[derive(Clone, Debug)]
pub enum MsgSummary {
    /// From a message this simulation sent.
    Parts(raft_core::SummaryParts),
    /// Given as text (an event built by hand, as tests build odd ones).
    Text(String),
}

impl MsgSummary {
    /// The text appended to `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            MsgSummary::Parts(p) => p.write_to(out),
            MsgSummary::Text(t) => out.push_str(t),
        }
    }

    /// The text (written out now for `Parts`).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            MsgSummary::Parts(p) => {
                let mut out = String::with_capacity(64);
                p.write_to(&mut out);
                out.into()
            }
            MsgSummary::Text(t) => t.as_str().into(),
        }
    }
}

impl std::fmt::Display for MsgSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<&str> for MsgSummary {
    fn from(text: &str) -> Self {
        MsgSummary::Text(text.to_string())
    }
}

/// Two summaries are equal when they read the same, however each is kept.
impl PartialEq for MsgSummary {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Serialize for MsgSummary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

/// One thing that happened in the simulation.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
        msg_type: MsgType,
        from: NodeId,
        to: NodeId,
        term: Term,
        summary: MsgSummary,
        deliver_at_ms: f64,
    },
    /// Message `id` arrived. Its summary is its `msgSent`'s: not repeated, as it was half of
    /// the summary text a busy run makes and an eighth of the JSON `advance` hands to JS.
    MsgDelivered {
        at_ms: f64,
        id: u64,
        #[serde(rename = "type")]
        msg_type: MsgType,
        from: NodeId,
        to: NodeId,
        term: Term,
    },
    MsgDropped {
        at_ms: f64,
        id: u64,
        #[serde(rename = "type")]
        msg_type: MsgType,
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
        msg_type: MsgType,
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

    /// Add this event to a running trace hash, as words: a tag naming the encoding, then the
    /// fields in order. The events every append, commit and client request produce, and those
    /// a faulty network produces by the thousand (drops, duplicates, rejected appends, nextIndex
    /// moves), are encoded field by field (strings as their bytes, an absent value as 0, a
    /// present one as 1 and it; an enum as its variant's number, 1 up, then its fields);
    /// messages are hashed from the message by [`hash_msg`] (never through here); the rest are
    /// their compact JSON (tag 0, then the bytes: serde_json's text, which `write_json` writes),
    /// through `scratch` (cleared first).
    pub fn hash_into(&self, h: &mut WordHash, scratch: &mut Vec<u8>) {
        match *self {
            TraceEvent::EntriesAppended {
                at_ms,
                node,
                from,
                to,
            } => {
                h.word(HashTag::EntriesAppended as u64);
                h.word(at_ms.to_bits());
                h.word(node.0);
                h.word(from.0);
                h.word(to.0);
            }
            TraceEvent::CommitAdvanced {
                at_ms,
                node,
                from,
                to,
            } => {
                h.word(HashTag::CommitAdvanced as u64);
                h.word(at_ms.to_bits());
                h.word(node.0);
                h.word(from.0);
                h.word(to.0);
            }
            TraceEvent::Applied { at_ms, node, index } => {
                h.word(HashTag::Applied as u64);
                h.word(at_ms.to_bits());
                h.word(node.0);
                h.word(index.0);
            }
            TraceEvent::MsgDropped {
                at_ms,
                id,
                ref msg_type,
                from,
                to,
                reason,
            } => {
                h.word(HashTag::MsgDropped as u64);
                h.word(at_ms.to_bits());
                h.word(id);
                h.bytes(msg_type.as_bytes());
                h.word(from.0);
                h.word(to.0);
                h.word(match reason {
                    DropReason::LinkDown => 1,
                    DropReason::Lost => 2,
                    DropReason::NodeDown => 3,
                    DropReason::ByHand => 4,
                });
            }
            TraceEvent::MsgDuplicated {
                at_ms,
                id,
                copy_id,
                deliver_at_ms,
            } => {
                h.word(HashTag::MsgDuplicated as u64);
                h.word(at_ms.to_bits());
                h.word(id);
                h.word(copy_id);
                h.word(deliver_at_ms.to_bits());
            }
            TraceEvent::AppendRejected {
                at_ms,
                node,
                leader,
                prev_index,
                prev_term,
                reason,
                hint,
                hint_term,
            } => {
                h.word(HashTag::AppendRejected as u64);
                h.word(at_ms.to_bits());
                h.word(node.0);
                h.word(leader.0);
                h.word(prev_index.0);
                h.word(prev_term.0);
                match reason {
                    AppendRejectReason::LogTooShort { last_index } => {
                        h.word(1);
                        h.word(last_index.0);
                    }
                    AppendRejectReason::TermMismatch { term } => {
                        h.word(2);
                        h.word(term.0);
                    }
                }
                h.word(hint.0);
                h.word(hint_term.0);
            }
            TraceEvent::NextIndexMoved {
                at_ms,
                node,
                peer,
                from,
                to,
                ref reason,
            } => {
                h.word(HashTag::NextIndexMoved as u64);
                h.word(at_ms.to_bits());
                h.word(node.0);
                h.word(peer.0);
                h.word(from.0);
                h.word(to.0);
                match *reason {
                    NextIndexReason::Acked => h.word(1),
                    NextIndexReason::Hint {
                        reject_hint,
                        hint_term,
                    } => {
                        h.word(2);
                        h.word(reject_hint.0);
                        h.word(hint_term.0);
                    }
                    NextIndexReason::OneStep => h.word(3),
                    NextIndexReason::BackToMatch { rejected, matched } => {
                        h.word(4);
                        h.word(rejected.0);
                        h.word(matched.0);
                    }
                    NextIndexReason::SnapshotAnswered { index } => {
                        h.word(5);
                        h.word(index.0);
                    }
                    NextIndexReason::Probe => h.word(6),
                }
            }
            TraceEvent::VoteGranted {
                at_ms,
                node,
                to,
                term,
                pre_vote,
            } => {
                h.word(HashTag::VoteGranted as u64);
                h.word(at_ms.to_bits());
                h.word(node.0);
                h.word(to.0);
                h.word(term.0);
                h.word(u64::from(pre_vote));
            }
            TraceEvent::ClientInvoked {
                at_ms,
                client,
                op_id,
                ref op,
            } => {
                h.word(HashTag::ClientInvoked as u64);
                h.word(at_ms.to_bits());
                h.word(client);
                h.word(op_id);
                match op {
                    KvOp::Put { key, value } => {
                        h.word(1);
                        h.bytes(key.as_bytes());
                        h.bytes(value.as_bytes());
                    }
                    KvOp::Get { key } => {
                        h.word(2);
                        h.bytes(key.as_bytes());
                    }
                    KvOp::Append { key, value } => {
                        h.word(3);
                        h.bytes(key.as_bytes());
                        h.bytes(value.as_bytes());
                    }
                    KvOp::Cas {
                        key,
                        expected,
                        value,
                    } => {
                        h.word(4);
                        h.bytes(key.as_bytes());
                        hash_opt_str(h, expected.as_deref());
                        h.bytes(value.as_bytes());
                    }
                }
            }
            TraceEvent::ClientSent {
                at_ms,
                client,
                op_id,
                attempt,
                to,
                ref reason,
            } => {
                h.word(HashTag::ClientSent as u64);
                h.word(at_ms.to_bits());
                h.word(client);
                h.word(op_id);
                h.word(u64::from(attempt));
                h.word(to.0);
                match *reason {
                    SendReason::First => h.word(1),
                    SendReason::Redirected { from, hint } => {
                        h.word(2);
                        h.word(from.0);
                        hash_opt_word(h, hint.map(|n| n.0));
                    }
                    SendReason::TimedOut { from } => {
                        h.word(3);
                        h.word(from.0);
                    }
                }
            }
            TraceEvent::ClientCompleted {
                at_ms,
                client,
                op_id,
                ref result,
                served_by,
            } => {
                h.word(HashTag::ClientCompleted as u64);
                h.word(at_ms.to_bits());
                h.word(client);
                h.word(op_id);
                match result {
                    KvResult::Ok => h.word(1),
                    KvResult::Value { value } => {
                        h.word(2);
                        hash_opt_str(h, value.as_deref());
                    }
                    KvResult::Cas { ok, current } => {
                        h.word(3);
                        h.word(u64::from(*ok));
                        hash_opt_str(h, current.as_deref());
                    }
                }
                h.word(served_by.0);
            }
            _ => {
                scratch.clear();
                self.write_json(scratch);
                h.word(HashTag::Json as u64);
                h.bytes(scratch);
            }
        }
    }

    /// This event's compact JSON, byte for byte what `serde_json::to_vec` gives with the
    /// derived `Serialize` (the hash is defined over that for the rare kinds; tests compare the
    /// two for every kind of event): field by field in their declared order (`write.rs`). The
    /// common kinds used to be written by a writer of their own, when their JSON was hashed
    /// and handed to JS; now they are hashed as words and cross as numbers (`columns`), and
    /// one writer for every kind is smaller in the wasm.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        use crate::write::field;
        let head = |out: &mut Vec<u8>, kind: &str, at_ms: &f64| {
            crate::write::tagged(out, "kind", kind);
            field(out, "atMs", at_ms);
        };
        match self {
            TraceEvent::MsgDropped {
                at_ms,
                id,
                msg_type,
                from,
                to,
                reason,
            } => {
                head(out, "msgDropped", at_ms);
                field(out, "id", id);
                field(out, "type", msg_type);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "reason", reason);
            }
            TraceEvent::MsgDuplicated {
                at_ms,
                id,
                copy_id,
                deliver_at_ms,
            } => {
                head(out, "msgDuplicated", at_ms);
                field(out, "id", id);
                field(out, "copyId", copy_id);
                field(out, "deliverAtMs", deliver_at_ms);
            }
            TraceEvent::RoleChanged {
                at_ms,
                node,
                from,
                to,
                term,
                reason,
            } => {
                head(out, "roleChanged", at_ms);
                field(out, "node", node);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "term", term);
                field(out, "reason", reason);
            }
            TraceEvent::VoteDenied {
                at_ms,
                node,
                to,
                term,
                pre_vote,
                reason,
            } => {
                head(out, "voteDenied", at_ms);
                field(out, "node", node);
                field(out, "to", to);
                field(out, "term", term);
                field(out, "preVote", pre_vote);
                field(out, "reason", reason);
            }
            TraceEvent::AppendRejected {
                at_ms,
                node,
                leader,
                prev_index,
                prev_term,
                reason,
                hint,
                hint_term,
            } => {
                head(out, "appendRejected", at_ms);
                field(out, "node", node);
                field(out, "leader", leader);
                field(out, "prevIndex", prev_index);
                field(out, "prevTerm", prev_term);
                field(out, "reason", reason);
                field(out, "hint", hint);
                field(out, "hintTerm", hint_term);
            }
            TraceEvent::EntriesTruncated {
                at_ms,
                node,
                from,
                to,
                conflict_term,
            } => {
                head(out, "entriesTruncated", at_ms);
                field(out, "node", node);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "conflictTerm", conflict_term);
            }
            TraceEvent::NextIndexMoved {
                at_ms,
                node,
                peer,
                from,
                to,
                reason,
            } => {
                head(out, "nextIndexMoved", at_ms);
                field(out, "node", node);
                field(out, "peer", peer);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "reason", reason);
            }
            TraceEvent::SnapshotTaken {
                at_ms,
                node,
                index,
                term,
            } => {
                head(out, "snapshotTaken", at_ms);
                field(out, "node", node);
                field(out, "index", index);
                field(out, "term", term);
            }
            TraceEvent::SnapshotSent {
                at_ms,
                node,
                to,
                index,
                needed,
                first_index,
            } => {
                head(out, "snapshotSent", at_ms);
                field(out, "node", node);
                field(out, "to", to);
                field(out, "index", index);
                field(out, "needed", needed);
                field(out, "firstIndex", first_index);
            }
            TraceEvent::SnapshotInstalled {
                at_ms,
                node,
                index,
                term,
            } => {
                head(out, "snapshotInstalled", at_ms);
                field(out, "node", node);
                field(out, "index", index);
                field(out, "term", term);
            }
            TraceEvent::ConfChanged {
                at_ms,
                node,
                voters,
                learners,
                voters_outgoing,
                joint,
            } => {
                head(out, "confChanged", at_ms);
                field(out, "node", node);
                field(out, "voters", voters);
                field(out, "learners", learners);
                field(out, "votersOutgoing", voters_outgoing);
                field(out, "joint", joint);
            }
            TraceEvent::TransferStarted { at_ms, node, to } => {
                head(out, "transferStarted", at_ms);
                field(out, "node", node);
                field(out, "to", to);
            }
            TraceEvent::TransferAborted {
                at_ms,
                node,
                to,
                reason,
            } => {
                head(out, "transferAborted", at_ms);
                field(out, "node", node);
                field(out, "to", to);
                field(out, "reason", reason);
            }
            TraceEvent::ClientInvoked {
                at_ms,
                client,
                op_id,
                op,
            } => {
                head(out, "clientInvoked", at_ms);
                field(out, "client", client);
                field(out, "opId", op_id);
                field(out, "op", op);
            }
            TraceEvent::ClientSent {
                at_ms,
                client,
                op_id,
                attempt,
                to,
                reason,
            } => {
                head(out, "clientSent", at_ms);
                field(out, "client", client);
                field(out, "opId", op_id);
                field(out, "attempt", attempt);
                field(out, "to", to);
                field(out, "reason", reason);
            }
            TraceEvent::ClientCompleted {
                at_ms,
                client,
                op_id,
                result,
                served_by,
            } => {
                head(out, "clientCompleted", at_ms);
                field(out, "client", client);
                field(out, "opId", op_id);
                field(out, "result", result);
                field(out, "servedBy", served_by);
            }
            TraceEvent::ClientMsgDropped {
                at_ms,
                client,
                node,
                op_id,
                attempt,
                reply,
                reason,
            } => {
                head(out, "clientMsgDropped", at_ms);
                field(out, "client", client);
                field(out, "node", node);
                field(out, "opId", op_id);
                field(out, "attempt", attempt);
                field(out, "reply", reply);
                field(out, "reason", reason);
            }
            TraceEvent::NodeCrashed { at_ms, node }
            | TraceEvent::NodeRestarted { at_ms, node }
            | TraceEvent::NodePaused { at_ms, node }
            | TraceEvent::NodeResumed { at_ms, node } => {
                let kind = match self {
                    TraceEvent::NodeCrashed { .. } => "nodeCrashed",
                    TraceEvent::NodeRestarted { .. } => "nodeRestarted",
                    TraceEvent::NodePaused { .. } => "nodePaused",
                    _ => "nodeResumed",
                };
                head(out, kind, at_ms);
                field(out, "node", node);
            }
            TraceEvent::LinkChanged {
                at_ms,
                from,
                to,
                up,
            } => {
                head(out, "linkChanged", at_ms);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "up", up);
            }
            TraceEvent::Action { at_ms, action } => {
                head(out, "action", at_ms);
                field(out, "action", action);
            }
            TraceEvent::MsgRefused {
                at_ms,
                node,
                from,
                msg_type,
                reason,
            } => {
                head(out, "msgRefused", at_ms);
                field(out, "node", node);
                field(out, "from", from);
                field(out, "type", msg_type);
                field(out, "reason", reason);
            }
            TraceEvent::Violation {
                at_ms,
                property,
                nodes,
                index,
                detail,
            } => {
                head(out, "violation", at_ms);
                field(out, "property", property);
                field(out, "nodes", nodes);
                field(out, "index", index);
                field(out, "detail", detail);
            }
            TraceEvent::MsgSent {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
                summary,
                deliver_at_ms,
            } => {
                head(out, "msgSent", at_ms);
                field(out, "id", id);
                field(out, "type", msg_type);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "term", term);
                field(out, "summary", &*summary.text());
                field(out, "deliverAtMs", deliver_at_ms);
            }
            TraceEvent::MsgDelivered {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
            } => {
                head(out, "msgDelivered", at_ms);
                field(out, "id", id);
                field(out, "type", msg_type);
                field(out, "from", from);
                field(out, "to", to);
                field(out, "term", term);
            }
            TraceEvent::EntriesAppended {
                at_ms,
                node,
                from,
                to,
            }
            | TraceEvent::CommitAdvanced {
                at_ms,
                node,
                from,
                to,
            } => {
                let kind = match self {
                    TraceEvent::EntriesAppended { .. } => "entriesAppended",
                    _ => "commitAdvanced",
                };
                head(out, kind, at_ms);
                field(out, "node", node);
                field(out, "from", from);
                field(out, "to", to);
            }
            TraceEvent::Applied { at_ms, node, index } => {
                head(out, "applied", at_ms);
                field(out, "node", node);
                field(out, "index", index);
            }
            TraceEvent::VoteGranted {
                at_ms,
                node,
                to,
                term,
                pre_vote,
            } => {
                head(out, "voteGranted", at_ms);
                field(out, "node", node);
                field(out, "to", to);
                field(out, "term", term);
                field(out, "preVote", pre_vote);
            }
        }
        out.push(b'}');
    }
}

impl crate::write::WriteJson for TraceEvent {
    fn write_json(&self, out: &mut Vec<u8>) {
        TraceEvent::write_json(self, out);
    }
}

/// The first word of each event in the trace hash: which encoding follows.
#[derive(Clone, Copy)]
enum HashTag {
    /// The event's compact JSON as bytes (`WordHash::bytes`).
    Json = 0,
    MsgSent = 1,
    MsgDelivered = 2,
    EntriesAppended = 3,
    CommitAdvanced = 4,
    Applied = 5,
    VoteGranted = 6,
    ClientInvoked = 7,
    ClientSent = 8,
    ClientCompleted = 9,
    MsgDropped = 10,
    MsgDuplicated = 11,
    AppendRejected = 12,
    NextIndexMoved = 13,
}

/// An optional word: 0 for none, else 1 and the word.
fn hash_opt_word(h: &mut WordHash, w: Option<u64>) {
    match w {
        None => h.word(0),
        Some(w) => {
            h.word(1);
            h.word(w);
        }
    }
}

/// An optional string: 0 for none, else 1 and its bytes.
fn hash_opt_str(h: &mut WordHash, s: Option<&str>) {
    match s {
        None => h.word(0),
        Some(s) => {
            h.word(1);
            h.bytes(s.as_bytes());
        }
    }
}

/// Add a `msgSent` (with `deliver_at_ms`) or `msgDelivered` event to the trace hash, from the
/// message: the event's fields, then the message's payload field by field, entries as their
/// index, term and payload hash (the checkers' [`crate::checker::entry_hash`]). This covers
/// everything the summary text shows and more; the text itself is made only when the event is
/// kept (a seek replaying unseen never makes it).
pub fn hash_msg(
    h: &mut WordHash,
    at_ms: f64,
    id: u64,
    msg: &raft_core::Message,
    deliver_at_ms: Option<f64>,
) {
    use raft_core::Payload;
    h.word(match deliver_at_ms {
        Some(_) => HashTag::MsgSent as u64,
        None => HashTag::MsgDelivered as u64,
    });
    h.word(at_ms.to_bits());
    h.word(id);
    h.word(msg.kind() as u64);
    h.word(msg.from.0);
    h.word(msg.to.0);
    h.word(msg.term.0);
    match &msg.payload {
        Payload::PreVote {
            last_index,
            last_term,
        } => {
            h.word(last_index.0);
            h.word(last_term.0);
        }
        Payload::Vote {
            last_index,
            last_term,
            transfer,
        } => {
            h.word(last_index.0);
            h.word(last_term.0);
            h.word(u64::from(*transfer));
        }
        Payload::PreVoteResp { reject } | Payload::VoteResp { reject } => {
            h.word(u64::from(*reject));
        }
        Payload::Append {
            prev_index,
            prev_term,
            entries,
            commit,
        } => {
            h.word(prev_index.0);
            h.word(prev_term.0);
            h.word(commit.0);
            h.word(entries.len() as u64);
            for e in entries.iter() {
                h.word(e.index.0);
                h.word(e.term.0);
                h.word(crate::checker::entry_hash(e));
            }
        }
        Payload::AppendResp {
            reject,
            index,
            reject_hint,
            hint_term,
        } => {
            h.word(u64::from(*reject));
            h.word(index.0);
            h.word(reject_hint.0);
            h.word(hint_term.0);
        }
        Payload::Heartbeat { commit, ctx } => {
            h.word(commit.0);
            h.word(*ctx);
        }
        Payload::HeartbeatResp { ctx } | Payload::ReadIndex { ctx } => h.word(*ctx),
        Payload::Snapshot { snapshot } => {
            h.word(snapshot.index.0);
            h.word(snapshot.term.0);
            let c = &snapshot.conf_state;
            for ids in [&c.voters, &c.learners, &c.voters_outgoing] {
                h.word(ids.len() as u64);
                ids.iter().for_each(|id| h.word(id.0));
            }
            h.word(u64::from(c.auto_leave));
            h.bytes(&snapshot.data);
        }
        Payload::SnapshotResp { reject, index } => {
            h.word(u64::from(*reject));
            h.word(index.0);
        }
        Payload::TimeoutNow => {}
        Payload::ReadIndexResp { ctx, index, reject } => {
            h.word(*ctx);
            h.word(index.0);
            h.word(u64::from(*reject));
        }
    }
    if let Some(at) = deliver_at_ms {
        h.word(at.to_bits());
    }
}

/// A trace as one JSON array, exactly `serde_json::to_string(events)` (each event by
/// [`TraceEvent::write_json`]), as the CLI prints it.
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
    crate::write::text(out)
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
