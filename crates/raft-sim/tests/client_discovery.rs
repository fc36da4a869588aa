//! Clients find the leader as the dissertation's §6.2 describes: follow a hint while it leads
//! somewhere new, otherwise try the other servers of the latest configuration they know, and
//! never loop. Client traffic crosses the simulated links like the servers' messages.

use raft_sim::action::{ChangeMembership, ClientPut, Crash};
use raft_sim::{Action, NodeId, SimConfig, Simulation, TraceEvent};

fn ids(v: &[u64]) -> Vec<NodeId> {
    v.iter().map(|&n| NodeId(n)).collect()
}

fn put(key: &str, value: &str) -> Action {
    Action::ClientPut(ClientPut {
        key: key.into(),
        value: value.into(),
        client: None,
    })
}

/// The op id of the last `clientInvoked` in a trace.
fn last_invoked(trace: &[TraceEvent]) -> u64 {
    trace
        .iter()
        .rev()
        .find_map(|e| match e {
            TraceEvent::ClientInvoked { op_id, .. } => Some(*op_id),
            _ => None,
        })
        .expect("the put was invoked")
}

/// Milliseconds (simulated) until `op_id` completes, advancing at most `limit_ms`.
fn ms_to_complete(s: &mut Simulation, op_id: u64, limit_ms: u64) -> Option<u64> {
    for waited in (10..=limit_ms).step_by(10) {
        let done = s
            .advance_ms(10)
            .iter()
            .any(|e| matches!(e, TraceEvent::ClientCompleted { op_id: id, .. } if *id == op_id));
        if done {
            return Some(waited);
        }
    }
    None
}

/// The reproduction: after moving {1,2,3} to {3,4,5}, the removed S1 knows no leader
/// and S2 points at S1. A client that bounced between them never reached the new leader; it
/// must now try the servers of the configuration it learns from their answers.
#[test]
fn after_a_joint_change_a_client_write_completes_within_ten_seconds_in_every_seed() {
    let mut slowest_ms = 0;
    for seed in 0..30 {
        let mut s = Simulation::new(SimConfig {
            nodes: 3,
            seed,
            ..SimConfig::default()
        })
        .unwrap();
        s.advance_ms(1_000);
        s.apply(put("a", "1")).unwrap();
        s.advance_ms(300);
        s.apply(Action::ChangeMembership(ChangeMembership {
            voters: ids(&[3, 4, 5]),
            learners: vec![],
        }))
        .unwrap();
        s.advance_ms(2_000);
        s.apply(put("b", "2")).unwrap();
        let op = last_invoked(&s.advance_ms(0));
        let took = ms_to_complete(&mut s, op, 10_000);
        let took = took.unwrap_or_else(|| {
            panic!(
                "seed {seed}: the write did not complete in 10 s; client {:?}",
                s.state().clients[0]
            )
        });
        slowest_ms = slowest_ms.max(took);
        assert!(s.check().ok, "seed {seed}: {:?}", s.check());
    }
    eprintln!("slowest write after the joint change: {slowest_ms} ms");
}

/// A client that learns nothing new never asks the same server twice in one round: with every
/// server up but leaderless (all paused but one follower), it tries each once before waiting.
#[test]
fn a_client_tries_each_known_server_once_per_round() {
    let mut s = Simulation::new(SimConfig {
        nodes: 5,
        seed: 3,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_ms(1_000);
    for n in 1..=5 {
        s.apply(Action::Crash(Crash { node: NodeId(n) })).unwrap();
    }
    s.apply(put("k", "v")).unwrap();
    let trace = s.advance_ms(5_000);
    let sent: Vec<u64> = trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::ClientSent { to, .. } => Some(to.0),
            _ => None,
        })
        .collect();
    assert!(sent.len() >= 5, "sent {sent:?}");
    let mut first_round = sent[..5].to_vec();
    first_round.sort_unstable();
    assert_eq!(first_round, vec![1, 2, 3, 4, 5], "sent {sent:?}");
}
