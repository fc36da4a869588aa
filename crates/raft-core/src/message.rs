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
        // Room for the longest common summary, so it is allocated once.
        let mut out = String::with_capacity(64);
        self.summary_parts().write_to(&mut out);
        out
    }

    /// What [`Message::summary`] says, as the numbers it is made of, without writing it.
    pub fn summary_parts(&self) -> SummaryParts {
        SummaryParts(match &self.payload {
            Payload::PreVote {
                last_index,
                last_term,
            } => Parts::PreVote {
                term: self.term,
                last_index: *last_index,
                last_term: *last_term,
            },
            Payload::PreVoteResp { reject } => Parts::PreVoteResp { reject: *reject },
            Payload::Vote {
                last_index,
                last_term,
                transfer,
            } => Parts::Vote {
                term: self.term,
                last_index: *last_index,
                last_term: *last_term,
                transfer: *transfer,
            },
            Payload::VoteResp { reject } => Parts::VoteResp { reject: *reject },
            Payload::Append {
                prev_index,
                prev_term,
                entries,
                commit,
            } => Parts::Append {
                entries: !entries.is_empty(),
                first: entries.first().map(|e| e.index).unwrap_or_default(),
                last: entries.last().map(|e| e.index).unwrap_or_default(),
                prev_index: *prev_index,
                prev_term: *prev_term,
                commit: *commit,
            },
            Payload::AppendResp {
                reject,
                index,
                reject_hint,
                hint_term,
            } => Parts::AppendResp {
                reject: *reject,
                index: *index,
                reject_hint: *reject_hint,
                hint_term: *hint_term,
            },
            Payload::Heartbeat { commit, ctx } => Parts::Heartbeat {
                commit: *commit,
                ctx: *ctx,
            },
            Payload::HeartbeatResp { ctx } => Parts::HeartbeatResp { ctx: *ctx },
            Payload::Snapshot { snapshot } => Parts::Snapshot {
                index: snapshot.index,
                term: snapshot.term,
                bytes: snapshot.data.len() as u64,
            },
            Payload::SnapshotResp { reject, index } => Parts::SnapshotResp {
                reject: *reject,
                index: *index,
            },
            Payload::TimeoutNow => Parts::TimeoutNow,
            Payload::ReadIndex { ctx } => Parts::ReadIndex { ctx: *ctx },
            Payload::ReadIndexResp { ctx, index, reject } => Parts::ReadIndexResp {
                ctx: *ctx,
                index: *index,
                reject: *reject,
            },
        })
    }
}

/// A message's summary ([`Message::summary`]) before it is written: the numbers of the message
/// that the text shows, copied out (a few words, no allocation). A simulator labels every
/// message it sends, and most labels are never read; it keeps these and writes the text only
/// for what is shown ([`SummaryParts::write_to`], `Display`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SummaryParts(Parts);

/// The payload's fields that the summary shows (an append's first and last entry index instead
/// of its entries, a snapshot's size instead of its data).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Parts {
    PreVote {
        term: Term,
        last_index: LogIndex,
        last_term: Term,
    },
    PreVoteResp {
        reject: bool,
    },
    Vote {
        term: Term,
        last_index: LogIndex,
        last_term: Term,
        transfer: bool,
    },
    VoteResp {
        reject: bool,
    },
    /// `first` and `last` mean something only with `entries` (a flag rather than an `Option`
    /// keeps this at six words).
    Append {
        entries: bool,
        first: LogIndex,
        last: LogIndex,
        prev_index: LogIndex,
        prev_term: Term,
        commit: LogIndex,
    },
    AppendResp {
        reject: bool,
        index: LogIndex,
        reject_hint: LogIndex,
        hint_term: Term,
    },
    Heartbeat {
        commit: LogIndex,
        ctx: u64,
    },
    HeartbeatResp {
        ctx: u64,
    },
    Snapshot {
        index: LogIndex,
        term: Term,
        bytes: u64,
    },
    SnapshotResp {
        reject: bool,
        index: LogIndex,
    },
    TimeoutNow,
    ReadIndex {
        ctx: u64,
    },
    ReadIndexResp {
        ctx: u64,
        index: LogIndex,
        reject: bool,
    },
}

impl SummaryParts {
    /// The summary appended to `out`. The messages a busy cluster sends most (appends,
    /// heartbeats and their answers) are put together piece by piece: a simulator labels every
    /// message it shows, and `format!` was a tenth of its time.
    pub fn write_to(&self, out: &mut String) {
        use core::fmt::Write;
        fn yes_no(reject: bool) -> &'static str {
            if reject {
                "rejected"
            } else {
                "granted"
            }
        }
        // Digit by digit as chars: a `str::from_utf8` check over a digit buffer cost as much
        // as making the digits, and the crate has no `unsafe` to skip it.
        fn num(out: &mut String, v: u64) {
            let mut digits = [0u8; 20];
            let mut at = digits.len();
            let mut v = v;
            loop {
                at -= 1;
                digits[at] = b'0' + (v % 10) as u8;
                v /= 10;
                if v == 0 {
                    break;
                }
            }
            out.reserve(digits.len() - at);
            digits[at..].iter().for_each(|&d| out.push(char::from(d)));
        }
        match self.0 {
            Parts::Append {
                entries,
                first,
                last,
                prev_index,
                prev_term,
                commit,
            } => {
                if entries {
                    out.push_str("append ");
                    num(out, first.0);
                    out.push_str("..");
                    num(out, last.0);
                    out.push_str(" after ");
                } else {
                    out.push_str("append after ");
                }
                num(out, prev_index.0);
                out.push('@');
                num(out, prev_term.0);
                out.push_str(if entries {
                    ", commit "
                } else {
                    ", no entries, commit "
                });
                num(out, commit.0);
            }
            Parts::AppendResp {
                reject: false,
                index,
                ..
            } => {
                out.push_str("ok, match ");
                num(out, index.0);
            }
            Parts::Heartbeat { commit, ctx } => {
                out.push_str("heartbeat #");
                num(out, ctx);
                out.push_str(", commit ");
                num(out, commit.0);
            }
            Parts::HeartbeatResp { ctx } => {
                out.push_str("heartbeat #");
                num(out, ctx);
                out.push_str(" ok");
            }
            Parts::PreVote {
                term,
                last_index,
                last_term,
            } => {
                let _ = write!(
                    out,
                    "pre-vote for term {term}? last log {last_index}@{last_term}"
                );
            }
            Parts::PreVoteResp { reject } => {
                let _ = write!(out, "pre-vote {}", yes_no(reject));
            }
            Parts::Vote {
                term,
                last_index,
                last_term,
                transfer,
            } => {
                let _ = write!(
                    out,
                    "vote for me in term {term}? last log {last_index}@{last_term}{}",
                    if transfer { " (transfer)" } else { "" }
                );
            }
            Parts::VoteResp { reject } => {
                let _ = write!(out, "vote {}", yes_no(reject));
            }
            Parts::AppendResp {
                reject: true,
                index,
                reject_hint,
                hint_term,
            } => {
                let _ = write!(out, "reject prev {index}; hint {reject_hint}@{hint_term}");
            }
            Parts::Snapshot { index, term, bytes } => {
                let _ = write!(out, "snapshot up to {index}@{term} ({bytes} bytes)");
            }
            Parts::SnapshotResp { reject, index } => {
                let _ = write!(
                    out,
                    "snapshot {}, log at {index}",
                    if reject { "refused" } else { "installed" }
                );
            }
            Parts::TimeoutNow => out.push_str("timeout now: start an election"),
            Parts::ReadIndex { ctx } => {
                let _ = write!(out, "read index? request {ctx}");
            }
            Parts::ReadIndexResp { ctx, index, reject } => {
                if reject {
                    let _ = write!(out, "read {ctx} refused");
                } else {
                    let _ = write!(out, "read {ctx} at index {index}");
                }
            }
        }
    }
}

impl core::fmt::Display for SummaryParts {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut text = String::new();
        self.write_to(&mut text);
        f.write_str(&text)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(payload: Payload) -> Message {
        Message {
            from: NodeId(1),
            to: NodeId(2),
            term: Term(3),
            payload,
        }
    }

    /// The page and the trace show these words; writing them piece by piece must not change them.
    #[test]
    fn the_busiest_messages_read_as_before() {
        let entries = vec![
            Entry::normal(LogIndex(7), Term(2), b"a".to_vec()),
            Entry::normal(LogIndex(9), Term(3), b"b".to_vec()),
        ];
        let cases = [
            (
                Payload::Append {
                    prev_index: LogIndex(6),
                    prev_term: Term(2),
                    entries,
                    commit: LogIndex(5),
                },
                "append 7..9 after 6@2, commit 5",
            ),
            (
                Payload::Append {
                    prev_index: LogIndex(0),
                    prev_term: Term(0),
                    entries: Vec::new(),
                    commit: LogIndex(18_446_744_073_709_551_615),
                },
                "append after 0@0, no entries, commit 18446744073709551615",
            ),
            (
                Payload::AppendResp {
                    reject: false,
                    index: LogIndex(10),
                    reject_hint: LogIndex(0),
                    hint_term: Term(0),
                },
                "ok, match 10",
            ),
            (
                Payload::AppendResp {
                    reject: true,
                    index: LogIndex(10),
                    reject_hint: LogIndex(4),
                    hint_term: Term(2),
                },
                "reject prev 10; hint 4@2",
            ),
            (
                Payload::Heartbeat {
                    commit: LogIndex(12),
                    ctx: 40,
                },
                "heartbeat #40, commit 12",
            ),
            (Payload::HeartbeatResp { ctx: 0 }, "heartbeat #0 ok"),
            (
                Payload::Vote {
                    last_index: LogIndex(4),
                    last_term: Term(2),
                    transfer: true,
                },
                "vote for me in term 3? last log 4@2 (transfer)",
            ),
        ];
        for (payload, want) in cases {
            assert_eq!(msg(payload).summary(), want);
        }
    }

    /// The parts, written later, read exactly as the summary of the message they came from,
    /// for every kind.
    #[test]
    fn every_kind_reads_the_same_from_its_parts() {
        let snapshot = Snapshot {
            index: LogIndex(8),
            term: Term(2),
            data: b"abc".to_vec(),
            ..Snapshot::default()
        };
        let cases = [
            (
                Payload::PreVote {
                    last_index: LogIndex(4),
                    last_term: Term(2),
                },
                "pre-vote for term 3? last log 4@2",
            ),
            (Payload::PreVoteResp { reject: true }, "pre-vote rejected"),
            (
                Payload::Vote {
                    last_index: LogIndex(4),
                    last_term: Term(2),
                    transfer: false,
                },
                "vote for me in term 3? last log 4@2",
            ),
            (Payload::VoteResp { reject: false }, "vote granted"),
            (
                Payload::Append {
                    prev_index: LogIndex(6),
                    prev_term: Term(2),
                    entries: vec![Entry::normal(LogIndex(7), Term(2), b"a".to_vec())],
                    commit: LogIndex(5),
                },
                "append 7..7 after 6@2, commit 5",
            ),
            (
                Payload::Snapshot {
                    snapshot: Box::new(snapshot),
                },
                "snapshot up to 8@2 (3 bytes)",
            ),
            (
                Payload::SnapshotResp {
                    reject: false,
                    index: LogIndex(8),
                },
                "snapshot installed, log at 8",
            ),
            (Payload::TimeoutNow, "timeout now: start an election"),
            (Payload::ReadIndex { ctx: 4 }, "read index? request 4"),
            (
                Payload::ReadIndexResp {
                    ctx: 4,
                    index: LogIndex(0),
                    reject: true,
                },
                "read 4 refused",
            ),
            (
                Payload::ReadIndexResp {
                    ctx: 4,
                    index: LogIndex(9),
                    reject: false,
                },
                "read 4 at index 9",
            ),
        ];
        for (payload, want) in cases {
            let m = msg(payload);
            assert_eq!(m.summary(), want);
            assert_eq!(m.summary_parts().to_string(), want);
        }
    }
}
