//! `advance` hands events to JS as their serde JSON (and the trace hash takes the rare events'
//! JSON); the simulator writes the common events' JSON by hand (it is faster). These tests hold
//! the two to the same bytes, so the text cannot drift from serde's.

use raft_core::{LogIndex, Term};
use raft_sim::action::*;
use raft_sim::trace::TraceEvent;
use raft_sim::{Action, NodeId, SimConfig, Simulation};

fn assert_same_json(ev: &TraceEvent) {
    let mut fast = Vec::new();
    ev.write_json(&mut fast);
    let serde = serde_json::to_vec(ev).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&fast),
        String::from_utf8_lossy(&serde),
        "{ev:?}"
    );
}

#[test]
fn every_event_of_a_busy_run_has_its_serde_json() {
    let mut sim = Simulation::new(SimConfig {
        seed: 3,
        clients: 3,
        client_write_every_ms: 15,
        loss_pct: 5.0,
        dup_pct: 5.0,
        ..SimConfig::default()
    })
    .unwrap();
    let mut events = sim.advance(1_500.0).unwrap();
    // User text with every kind of character JSON escapes.
    sim.apply(Action::ClientPut(ClientPut {
        key: "k\"\\\n\t\u{1}é€😀".into(),
        value: "v\r\u{7f}\u{1f}".into(),
        client: None,
    }))
    .unwrap();
    events.extend(sim.advance(700.0).unwrap());
    let leader = sim.current_leader().expect("a leader after 2 s");
    sim.apply(Action::Crash(Crash { node: leader })).unwrap();
    events.extend(sim.advance(2_000.0).unwrap());
    sim.apply(Action::Restart(Restart { node: leader }))
        .unwrap();
    events.extend(sim.advance(2_000.0).unwrap());
    let mut kinds = std::collections::BTreeSet::new();
    for ev in &events {
        assert_same_json(ev);
        let json = serde_json::to_value(ev).unwrap();
        kinds.insert(json["kind"].as_str().unwrap().to_string());
    }
    for kind in [
        "msgSent",
        "msgDelivered",
        "msgDropped",
        "entriesAppended",
        "commitAdvanced",
        "applied",
        "clientSent",
        "voteGranted",
        "clientInvoked",
        "clientCompleted",
        "roleChanged",
    ] {
        assert!(
            kinds.contains(kind),
            "the run has no {kind} event: {kinds:?}"
        );
    }
}

#[test]
fn hand_written_events_match_serde_at_the_edges() {
    let odd = [0.0, 0.001, 1.5, 1e12, 123_456_789.123, f64::NAN, 1e300];
    for at_ms in odd {
        for text in ["", "plain", "q\"b\\c\n\u{0}\u{8}\u{c}\u{1b}é"] {
            let big = u64::MAX;
            let events = [
                TraceEvent::MsgSent {
                    at_ms,
                    id: big,
                    msg_type: text.into(),
                    from: NodeId(1),
                    to: NodeId(big),
                    term: Term(0),
                    summary: text.into(),
                    deliver_at_ms: at_ms * 2.0,
                },
                TraceEvent::MsgDelivered {
                    at_ms,
                    id: 0,
                    msg_type: text.into(),
                    from: NodeId(0),
                    to: NodeId(9),
                    term: Term(big),
                },
                TraceEvent::EntriesAppended {
                    at_ms,
                    node: NodeId(2),
                    from: LogIndex(big),
                    to: LogIndex(0),
                },
                TraceEvent::CommitAdvanced {
                    at_ms,
                    node: NodeId(2),
                    from: LogIndex(1),
                    to: LogIndex(10),
                },
                TraceEvent::Applied {
                    at_ms,
                    node: NodeId(2),
                    index: LogIndex(big),
                },
                TraceEvent::VoteGranted {
                    at_ms,
                    node: NodeId(1),
                    to: NodeId(2),
                    term: Term(4),
                    pre_vote: true,
                },
                TraceEvent::VoteGranted {
                    at_ms,
                    node: NodeId(1),
                    to: NodeId(2),
                    term: Term(4),
                    pre_vote: false,
                },
            ];
            for ev in &events {
                assert_same_json(ev);
            }
        }
    }
}

#[test]
fn every_simulated_time_is_written_as_serde_writes_it() {
    let mut us_values: Vec<u64> = (0..20_000).collect();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Up to about 10^15 us, past the hand-written range (10^12) into serde's.
        us_values.push((x % 1_000_000_000_000_000) >> (x % 40));
    }
    us_values.extend([
        999_999_999_999,
        1_000_000_000_000,
        1_000_000_000_001,
        u64::MAX >> 11,
    ]);
    for us in us_values {
        assert_same_json(&TraceEvent::Applied {
            at_ms: us as f64 / 1000.0,
            node: NodeId(1),
            index: LogIndex(us),
        });
    }
}

#[test]
fn a_whole_trace_is_the_json_array_serde_writes() {
    let mut sim = Simulation::new(SimConfig {
        clients: 2,
        client_write_every_ms: 20,
        loss_pct: 5.0,
        ..SimConfig::default()
    })
    .unwrap();
    let events = sim.advance(3_000.0).unwrap();
    assert!(events.len() > 100);
    assert_eq!(
        raft_sim::trace::trace_json(&events),
        serde_json::to_string(&events).unwrap()
    );
    assert_eq!(raft_sim::trace::trace_json(&[]), "[]");
}
