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
