//! The trace hash takes each event as words, field by field (docs/DESIGN.md, "The trace hash"):
//! a field left out of an encoding would let two different traces hash alike. These tests change
//! one field at a time and require a different hash every time.

use std::collections::BTreeSet;

use raft_core::{Entry, LogIndex, Message, Payload, Term};
use raft_sim::client::SendReason;
use raft_sim::kv::{KvOp, KvResult};
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
