//! A retried write is applied once (dissertation §6.3): clients retry with the same (client, seq)
//! after timeouts and leader changes, and the session table recognises the retry.

use raft_sim::action::*;
use raft_sim::kv::{KvOp, KvResult};
use raft_sim::{Action, NodeId, SimConfig, Simulation, TraceEvent};

#[test]
fn appends_retried_across_leader_crashes_appear_exactly_once() {
    let mut total_retries = 0;
    let mut suppressed = 0;
    for seed in 0..4u64 {
        let cfg = SimConfig {
            seed,
            clients: 3,
            client_write_every_ms: 0,
            disk_latency_ms: 2.0,
            ..SimConfig::default()
        };
        let mut s = Simulation::new(cfg).unwrap();
        s.advance_ms(1_500);
        let mut trace = Vec::new();
        for round in 0..12u64 {
            for c in 1..=3u64 {
                let value = format!("<{c}.{round}>");
                s.apply(Action::ClientAppend(ClientAppend {
                    key: "log".into(),
                    value,
                    client: Some(c),
                }))
                .unwrap();
            }
            trace.extend(s.advance_ms(30));
            // Crash the leader right after it got the appends: some are committed but unanswered.
            if let Some(l) = s.current_leader() {
                s.apply(Action::Crash(Crash { node: l })).unwrap();
                trace.extend(s.advance_ms(400));
                s.apply(Action::Restart(Restart { node: l })).unwrap();
            }
            trace.extend(s.advance_ms(300));
        }
        trace.extend(s.advance_ms(10_000));
        total_retries += trace
            .iter()
            .filter(|e| matches!(e, TraceEvent::ClientSent { attempt, .. } if *attempt > 0))
            .count();
        suppressed += s.world().duplicates_suppressed;
        // Every append completed, and every token is in every node's value exactly once.
        let st = s.state();
        for c in &st.clients {
            assert!(
                c.pending.is_none() && c.queued == 0,
                "client {} still busy",
                c.id
            );
        }
        for n in &st.nodes {
            let v = n.kv.get("log").cloned().unwrap_or_default();
            for round in 0..12u64 {
                for c in 1..=3u64 {
                    let token = format!("<{c}.{round}>");
                    assert_eq!(
                        v.matches(&token).count(),
                        1,
                        "seed {seed} node {} token {token} in {v}",
                        n.id
                    );
                }
            }
        }
        assert!(s.check().ok, "seed {seed}: {:?}", s.check());
    }
    assert!(total_retries > 0, "the test must exercise retries");
    assert!(
        suppressed > 0,
        "the session table must have caught at least one retried write"
    );
}

#[test]
fn a_client_follows_the_redirect_hint_to_the_leader() {
    let mut s = Simulation::new(SimConfig {
        seed: 4,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_ms(2_000);
    let leader = s.current_leader().unwrap();
    // Point the client at a follower first.
    let follower = (1..=5).map(NodeId).find(|&n| n != leader).unwrap();
    s.apply(Action::Crash(Crash { node: leader })).unwrap();
    s.advance_ms(2_000);
    let new_leader = s.current_leader().unwrap();
    s.apply(Action::Restart(Restart { node: leader })).unwrap();
    let _ = follower;
    s.apply(Action::ClientPut(ClientPut {
        key: "k".into(),
        value: "v".into(),
        client: None,
    }))
    .unwrap();
    let trace = s.advance_ms(2_000);
    let done = trace.iter().find_map(|e| match e {
        TraceEvent::ClientCompleted {
            result, served_by, ..
        } => Some((result.clone(), *served_by)),
        _ => None,
    });
    assert_eq!(done, Some((KvResult::Ok, new_leader)));
    s.apply(Action::ClientGet(ClientGet {
        key: "k".into(),
        client: None,
    }))
    .unwrap();
    let trace = s.advance_ms(1_000);
    let read = trace.iter().find_map(|e| match e {
        TraceEvent::ClientCompleted { result, .. } => Some(result.clone()),
        _ => None,
    });
    assert_eq!(
        read,
        Some(KvResult::Value {
            value: Some("v".into())
        })
    );
    let _ = KvOp::Get { key: "k".into() };
}

#[test]
fn the_state_shows_each_nodes_session_table_and_an_empty_store_as_an_object() {
    let mut s = Simulation::new(SimConfig {
        seed: 1,
        clients: 2,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_ms(1_000);
    // Before any write: `kv` and `sessions` are JSON objects, not arrays.
    let before = serde_json::to_value(s.state()).unwrap();
    assert_eq!(before["nodes"][0]["kv"], serde_json::json!({}));
    assert_eq!(before["nodes"][0]["sessions"], serde_json::json!({}));
    for (client, value) in [(1u64, "a"), (2, "b"), (2, "c")] {
        s.apply(Action::ClientAppend(ClientAppend {
            key: "k".into(),
            value: value.into(),
            client: Some(client),
        }))
        .unwrap();
        s.advance_ms(300);
    }
    let st = s.state();
    let leader = s.current_leader().unwrap();
    let node = st.nodes.iter().find(|n| n.id == leader).unwrap();
    assert_eq!(node.sessions.len(), 2, "one row per client that wrote");
    // Client 2 wrote twice: its row holds its second sequence number, above client 1's.
    let one = node.sessions.get(&1).unwrap();
    let two = node.sessions.get(&2).unwrap();
    assert!(two.last_seq > one.last_seq);
    assert_eq!(two.last_result, KvResult::Ok);
    let json = serde_json::to_value(&st).unwrap();
    let node_json = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == serde_json::json!(leader.0))
        .unwrap();
    let row = &node_json["sessions"]["2"];
    assert_eq!(row["lastSeq"], serde_json::json!(two.last_seq));
    assert_eq!(row["lastResult"], serde_json::json!({ "type": "ok" }));
}
