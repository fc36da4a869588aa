//! The trace hash takes each event as words, field by field (docs/DESIGN.md, "The trace hash"):
//! a field left out of an encoding would let two different traces hash alike. These tests change
//! one field at a time and require a different hash every time.

use std::collections::BTreeSet;

use raft_core::{AppendRejectReason, Entry, LogIndex, Message, NextIndexReason, Payload, Term};
use raft_sim::client::SendReason;
use raft_sim::kv::{KvOp, KvResult};
use raft_sim::network::DropReason;
use raft_sim::rng::WordHash;
use raft_sim::trace::{hash_msg, TraceEvent};
use raft_sim::{NodeId, SimConfig, Simulation};

fn event_hash(ev: &TraceEvent) -> u64 {
    let mut h = WordHash::new();
    ev.hash_into(&mut h, &mut Vec::new());
    h.finish()
}

/// Every hash differs from every other (each variant differs from the first in one field).
fn assert_all_distinct(what: &str, hashes: &[u64]) {
    let set: BTreeSet<u64> = hashes.iter().copied().collect();
    assert_eq!(set.len(), hashes.len(), "{what}: two variants hashed alike");
}

#[test]
fn every_field_of_the_word_encoded_events_moves_the_hash() {
    let n = NodeId;
    let i = LogIndex;
    let events = [
        TraceEvent::EntriesAppended {
            at_ms: 1.5,
            node: n(1),
            from: i(2),
            to: i(3),
        },
        TraceEvent::EntriesAppended {
            at_ms: 1.501,
            node: n(1),
            from: i(2),
            to: i(3),
        },
        TraceEvent::EntriesAppended {
            at_ms: 1.5,
            node: n(2),
            from: i(2),
            to: i(3),
        },
        TraceEvent::EntriesAppended {
            at_ms: 1.5,
            node: n(1),
            from: i(3),
            to: i(3),
        },
        TraceEvent::EntriesAppended {
            at_ms: 1.5,
            node: n(1),
            from: i(2),
            to: i(4),
        },
        // The same fields under another kind.
        TraceEvent::CommitAdvanced {
            at_ms: 1.5,
            node: n(1),
            from: i(2),
            to: i(3),
        },
        TraceEvent::Applied {
            at_ms: 1.5,
            node: n(1),
            index: i(3),
        },
        TraceEvent::Applied {
            at_ms: 1.5,
            node: n(1),
            index: i(4),
        },
        TraceEvent::VoteGranted {
            at_ms: 1.5,
            node: n(1),
            to: n(2),
            term: Term(3),
            pre_vote: false,
        },
        TraceEvent::VoteGranted {
            at_ms: 1.5,
            node: n(1),
            to: n(2),
            term: Term(3),
            pre_vote: true,
        },
        TraceEvent::VoteGranted {
            at_ms: 1.5,
            node: n(1),
            to: n(2),
            term: Term(4),
            pre_vote: false,
        },
    ];
    let hashes: Vec<u64> = events.iter().map(event_hash).collect();
    assert_all_distinct("log events", &hashes);

    let put = |key: &str, value: &str| KvOp::Put {
        key: key.into(),
        value: value.into(),
    };
    let invoked = |op_id: u64, op: KvOp| TraceEvent::ClientInvoked {
        at_ms: 2.0,
        client: 1,
        op_id,
        op,
    };
    let clients = [
        invoked(1, put("k", "v")),
        invoked(2, put("k", "v")),
        invoked(1, put("kv", "")),
        invoked(1, put("k", "w")),
        invoked(
            1,
            KvOp::Append {
                key: "k".into(),
                value: "v".into(),
            },
        ),
        invoked(1, KvOp::Get { key: "k".into() }),
        invoked(
            1,
            KvOp::Cas {
                key: "k".into(),
                expected: None,
                value: "v".into(),
            },
        ),
        invoked(
            1,
            KvOp::Cas {
                key: "k".into(),
                expected: Some(String::new()),
                value: "v".into(),
            },
        ),
        TraceEvent::ClientInvoked {
            at_ms: 2.0,
            client: 2,
            op_id: 1,
            op: put("k", "v"),
        },
    ];
    assert_all_distinct(
        "clientInvoked",
        &clients.iter().map(event_hash).collect::<Vec<_>>(),
    );

    let sent = |attempt: u32, to: u64, reason: SendReason| TraceEvent::ClientSent {
        at_ms: 2.0,
        client: 1,
        op_id: 1,
        attempt,
        to: n(to),
        reason,
    };
    let sends = [
        sent(0, 1, SendReason::First),
        sent(1, 1, SendReason::First),
        sent(0, 2, SendReason::First),
        sent(0, 1, SendReason::TimedOut { from: n(2) }),
        sent(0, 1, SendReason::TimedOut { from: n(3) }),
        sent(
            0,
            1,
            SendReason::Redirected {
                from: n(2),
                hint: None,
            },
        ),
        sent(
            0,
            1,
            SendReason::Redirected {
                from: n(2),
                hint: Some(n(0)),
            },
        ),
    ];
    assert_all_distinct(
        "clientSent",
        &sends.iter().map(event_hash).collect::<Vec<_>>(),
    );

    let done = |result: KvResult, served_by: u64| TraceEvent::ClientCompleted {
        at_ms: 2.0,
        client: 1,
        op_id: 1,
        result,
        served_by: n(served_by),
    };
    let dones = [
        done(KvResult::Ok, 1),
        done(KvResult::Ok, 2),
        done(KvResult::Value { value: None }, 1),
        done(
            KvResult::Value {
                value: Some(String::new()),
            },
            1,
        ),
        done(
            KvResult::Cas {
                ok: true,
                current: None,
            },
            1,
        ),
        done(
            KvResult::Cas {
                ok: false,
                current: None,
            },
            1,
        ),
        done(
            KvResult::Cas {
                ok: false,
                current: Some("v".into()),
            },
            1,
        ),
    ];
    assert_all_distinct(
        "clientCompleted",
        &dones.iter().map(event_hash).collect::<Vec<_>>(),
    );
}

/// Drops, duplicates, rejected appends and nextIndex moves come by the thousand in a faulty run
/// and are word-encoded too; each differs from the first in one field (or the reason's variant
/// or one of its fields).
#[test]
fn every_field_of_the_fault_events_moves_the_hash() {
    let n = NodeId;
    let i = LogIndex;
    let dropped =
        |at_ms: f64, id: u64, msg_type: &'static str, from, to, reason| TraceEvent::MsgDropped {
            at_ms,
            id,
            msg_type: msg_type.into(),
            from: n(from),
            to: n(to),
            reason,
        };
    let drops = [
        dropped(1.5, 7, "append", 1, 2, DropReason::LinkDown),
        dropped(1.501, 7, "append", 1, 2, DropReason::LinkDown),
        dropped(1.5, 8, "append", 1, 2, DropReason::LinkDown),
        dropped(1.5, 7, "appendResp", 1, 2, DropReason::LinkDown),
        dropped(1.5, 7, "append", 3, 2, DropReason::LinkDown),
        dropped(1.5, 7, "append", 1, 3, DropReason::LinkDown),
        dropped(1.5, 7, "append", 1, 2, DropReason::Lost),
        dropped(1.5, 7, "append", 1, 2, DropReason::NodeDown),
        dropped(1.5, 7, "append", 1, 2, DropReason::ByHand),
    ];
    assert_all_distinct(
        "msgDropped",
        &drops.iter().map(event_hash).collect::<Vec<_>>(),
    );

    let dup = |at_ms: f64, id: u64, copy_id: u64, deliver_at_ms: f64| TraceEvent::MsgDuplicated {
        at_ms,
        id,
        copy_id,
        deliver_at_ms,
    };
    let dups = [
        dup(1.5, 7, 8, 9.0),
        dup(1.501, 7, 8, 9.0),
        dup(1.5, 6, 8, 9.0),
        dup(1.5, 7, 9, 9.0),
        dup(1.5, 7, 8, 9.001),
    ];
    assert_all_distinct(
        "msgDuplicated",
        &dups.iter().map(event_hash).collect::<Vec<_>>(),
    );

    let rejected =
        |node, leader, prev: (u64, u64), reason, hint: (u64, u64)| TraceEvent::AppendRejected {
            at_ms: 1.5,
            node: n(node),
            leader: n(leader),
            prev_index: i(prev.0),
            prev_term: Term(prev.1),
            reason,
            hint: i(hint.0),
            hint_term: Term(hint.1),
        };
    let short = |last| AppendRejectReason::LogTooShort {
        last_index: i(last),
    };
    let mismatch = |term| AppendRejectReason::TermMismatch { term: Term(term) };
    let rejections = [
        rejected(1, 2, (5, 3), short(4), (4, 2)),
        rejected(3, 2, (5, 3), short(4), (4, 2)),
        rejected(1, 3, (5, 3), short(4), (4, 2)),
        rejected(1, 2, (6, 3), short(4), (4, 2)),
        rejected(1, 2, (5, 4), short(4), (4, 2)),
        rejected(1, 2, (5, 3), short(3), (4, 2)),
        rejected(1, 2, (5, 3), mismatch(4), (4, 2)),
        rejected(1, 2, (5, 3), mismatch(2), (4, 2)),
        rejected(1, 2, (5, 3), short(4), (3, 2)),
        rejected(1, 2, (5, 3), short(4), (4, 1)),
    ];
    let mut hashes: Vec<u64> = rejections.iter().map(event_hash).collect();
    let mut later = rejections[0].clone();
    if let TraceEvent::AppendRejected { at_ms, .. } = &mut later {
        *at_ms = 1.501;
    }
    hashes.push(event_hash(&later));
    assert_all_distinct("appendRejected", &hashes);

    let moved = |node, peer, from, to, reason| TraceEvent::NextIndexMoved {
        at_ms: 1.5,
        node: n(node),
        peer: n(peer),
        from: i(from),
        to: i(to),
        reason,
    };
    let hint = |reject_hint, hint_term| NextIndexReason::Hint {
        reject_hint: i(reject_hint),
        hint_term: Term(hint_term),
    };
    let back = |rejected, matched| NextIndexReason::BackToMatch {
        rejected: i(rejected),
        matched: i(matched),
    };
    let moves = [
        moved(1, 2, 5, 6, NextIndexReason::Acked),
        moved(3, 2, 5, 6, NextIndexReason::Acked),
        moved(1, 3, 5, 6, NextIndexReason::Acked),
        moved(1, 2, 4, 6, NextIndexReason::Acked),
        moved(1, 2, 5, 7, NextIndexReason::Acked),
        moved(1, 2, 5, 6, NextIndexReason::OneStep),
        moved(1, 2, 5, 6, NextIndexReason::Probe),
        moved(1, 2, 5, 6, hint(3, 2)),
        moved(1, 2, 5, 6, hint(4, 2)),
        moved(1, 2, 5, 6, hint(3, 1)),
        moved(1, 2, 5, 6, back(3, 2)),
        moved(1, 2, 5, 6, back(4, 2)),
        moved(1, 2, 5, 6, back(3, 1)),
        moved(
            1,
            2,
            5,
            6,
            NextIndexReason::SnapshotAnswered { index: i(3) },
        ),
        moved(
            1,
            2,
            5,
            6,
            NextIndexReason::SnapshotAnswered { index: i(4) },
        ),
    ];
    let mut hashes: Vec<u64> = moves.iter().map(event_hash).collect();
    let mut later = moves[0].clone();
    if let TraceEvent::NextIndexMoved { at_ms, .. } = &mut later {
        *at_ms = 1.501;
    }
    hashes.push(event_hash(&later));
    assert_all_distinct("nextIndexMoved", &hashes);
}

#[test]
fn every_field_of_a_message_moves_its_hash() {
    let append = |prev: u64, entries: Vec<Entry>, commit: u64| Message {
        from: NodeId(1),
        to: NodeId(2),
        term: Term(3),
        payload: Payload::Append {
            prev_index: LogIndex(prev),
            prev_term: Term(3),
            entries,
            commit: LogIndex(commit),
        },
    };
    let entry = |index: u64, term: u64, data: &[u8]| {
        Entry::normal(LogIndex(index), Term(term), data.to_vec())
    };
    let base = append(4, vec![entry(5, 3, b"x")], 4);
    let mut variants = vec![
        (1.0, 7, base.clone(), Some(2.0)),
        (1.5, 7, base.clone(), Some(2.0)),
        (1.0, 8, base.clone(), Some(2.0)),
        (1.0, 7, base.clone(), Some(2.5)),
        // Delivered rather than sent.
        (1.0, 7, base.clone(), None),
        (1.0, 7, append(5, vec![entry(5, 3, b"x")], 4), Some(2.0)),
        (1.0, 7, append(4, vec![entry(5, 3, b"x")], 5), Some(2.0)),
        (1.0, 7, append(4, vec![entry(6, 3, b"x")], 4), Some(2.0)),
        (1.0, 7, append(4, vec![entry(5, 2, b"x")], 4), Some(2.0)),
        // Same index and term, another payload: the summary text never showed this.
        (1.0, 7, append(4, vec![entry(5, 3, b"y")], 4), Some(2.0)),
        (1.0, 7, append(4, vec![], 4), Some(2.0)),
    ];
    for change in 0..4 {
        let mut m = base.clone();
        match change {
            0 => m.from = NodeId(9),
            1 => m.to = NodeId(9),
            2 => m.term = Term(9),
            _ => {
                m.payload = Payload::Heartbeat {
                    commit: LogIndex(4),
                    ctx: 4,
                }
            }
        }
        variants.push((1.0, 7, m, Some(2.0)));
    }
    let hashes: Vec<u64> = variants
        .iter()
        .map(|(at, id, msg, deliver)| {
            let mut h = WordHash::new();
            hash_msg(&mut h, *at, *id, msg, *deliver);
            h.finish()
        })
        .collect();
    assert_all_distinct("messages", &hashes);
}

/// A run that records its events and one that replays them unseen (a seek, a link) hash the
/// same: messages are hashed from the message on both paths, never from the kept event.
#[test]
fn a_recorded_run_and_an_unseen_replay_hash_alike() {
    let cfg = SimConfig {
        seed: 11,
        clients: 3,
        client_write_every_ms: 15,
        loss_pct: 3.0,
        dup_pct: 3.0,
        ..SimConfig::default()
    };
    let mut live = Simulation::new(cfg).unwrap();
    let events = live.advance(4_000.0).unwrap();
    assert!(events.len() > 1_000, "{} events", events.len());
    let mut replay = Simulation::from_scenario(live.scenario()).unwrap();
    assert_eq!(replay.trace_hash(), live.trace_hash());
    replay.seek(1_000.0).unwrap();
    replay.seek(4_000.0).unwrap();
    assert_eq!(replay.trace_hash(), live.trace_hash());
}
