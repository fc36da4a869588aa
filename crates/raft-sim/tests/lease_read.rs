//! Lease reads are only as good as the clocks (dissertation §6.4.1): scenarios/lease-read-clock-skew.json
//! slows the leader's clock to half speed, cuts it off from the majority, and lets the majority
//! elect a new leader and overwrite `x`. The old leader still believes its lease holds and answers
//! a read with the overwritten value. ReadIndex on the same schedule stays linearizable.

use raft_core::Role;
use raft_sim::action::*;
use raft_sim::kv::KvResult;
use raft_sim::{Action, NodeId, ReadMode, Scenario, Simulation, TraceEvent};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/lease-read-clock-skew.json"
);

fn scenario() -> Scenario {
    Scenario::from_json(&std::fs::read_to_string(FILE).unwrap()).unwrap()
}

/// Play the scenario action by action, keeping the whole trace (from_scenario drops it). The
/// trace hash proves it is the same run as the recorded replay.
fn replay(scenario: &Scenario) -> (Simulation, Vec<TraceEvent>) {
    let mut sim = Simulation::new(scenario.config.clone()).unwrap();
    let mut trace = Vec::new();
    for timed in &scenario.actions {
        trace.extend(sim.advance(timed.at_ms - sim.now_ms()).unwrap());
        sim.apply(timed.action.clone()).unwrap();
    }
    let end = scenario.end_ms.unwrap();
    trace.extend(sim.advance(end - sim.now_ms()).unwrap());
    let recorded = Simulation::from_scenario(scenario.clone()).unwrap();
    assert_eq!(
        sim.trace_hash(),
        recorded.trace_hash(),
        "same run as the replay"
    );
    (sim, trace)
}

/// (leader, term) of every election won before `before_ms`.
fn leaders_before(trace: &[TraceEvent], before_ms: f64) -> Vec<(u64, u64)> {
    trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::RoleChanged {
                at_ms,
                node,
                to: Role::Leader,
                term,
                ..
            } if *at_ms < before_ms => Some((node.0, term.0)),
            _ => None,
        })
        .collect()
}

/// The completion of the operation the client invoked at `invoked_ms`: (served by, result, at).
fn completion(trace: &[TraceEvent], client: u64, invoked_ms: f64) -> (NodeId, KvResult, f64) {
    let op = trace
        .iter()
        .find_map(|e| match e {
            TraceEvent::ClientInvoked {
                at_ms,
                client: c,
                op_id,
                ..
            } if *c == client && *at_ms == invoked_ms => Some(*op_id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("client {client} invoked nothing at {invoked_ms} ms"));
    trace
        .iter()
        .find_map(|e| match e {
            TraceEvent::ClientCompleted {
                at_ms,
                op_id,
                result,
                served_by,
                ..
            } if *op_id == op => Some((*served_by, result.clone(), *at_ms)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("op {op} of client {client} never completed"))
}

fn value(v: &str) -> KvResult {
    KvResult::Value {
        value: Some(v.to_string()),
    }
}

#[test]
fn a_leader_with_a_slow_clock_serves_a_stale_lease_read_after_a_new_leader_committed() {
    let s = scenario();
    assert_eq!(s.config.read_mode, ReadMode::Lease);
    let (sim, trace) = replay(&s);

    // Node 1 led term 1 when it was cut off; node 2 won term 2 in the majority before the write.
    assert_eq!(leaders_before(&trace, 1000.0), vec![(1, 1)]);
    assert_eq!(leaders_before(&trace, 1120.0), vec![(1, 1), (2, 2)]);
    // The write went through the new leader and finished before the read began.
    let (put_by, put, put_done_ms) = completion(&trace, 2, 1120.0);
    assert_eq!((put_by, put), (NodeId(2), KvResult::Ok));
    assert!(put_done_ms < 1180.0);
    // The read went to the old leader, which answered from its lease with the overwritten value
    // while it still believed it led (it steps down later, on its slow clock).
    let (read_by, read, read_done_ms) = completion(&trace, 1, 1180.0);
    assert_eq!((read_by, read), (NodeId(1), value("old")));
    let stepped_down_ms = trace
        .iter()
        .find_map(|e| match e {
            TraceEvent::RoleChanged {
                at_ms,
                node: NodeId(1),
                from: Role::Leader,
                ..
            } => Some(*at_ms),
            _ => None,
        })
        .expect("node 1 steps down once it notices it lost its quorum");
    assert!(read_done_ms < stepped_down_ms);

    let report = sim.check();
    assert_eq!(report.violations.len(), 1, "{report:?}");
    let v = &report.violations[0];
    assert_eq!(v.property, "linearizability");
    assert!(v.detail.contains("key \"x\""), "{}", v.detail);
    assert!(v.detail.contains("returned \"old\""), "{}", v.detail);
    assert_eq!(v.at_ms, read_done_ms);
}

#[test]
fn the_same_schedule_with_read_index_stays_linearizable() {
    let mut s = scenario();
    s.config.read_mode = ReadMode::ReadIndex;
    let (sim, trace) = replay(&s);
    // The same cast: node 1 leads when cut off, node 2 leads the majority.
    assert_eq!(leaders_before(&trace, 1120.0), vec![(1, 1), (2, 2)]);
    // The read sent to node 1 cannot gather a quorum of heartbeat answers there; the client
    // gives up on it and gets the new value from the majority's side (the new leader, or a
    // follower that asks it for a read index).
    let (read_by, read, _) = completion(&trace, 1, 1180.0);
    assert_ne!(read_by, NodeId(1));
    assert_eq!(read, value("new"));
    assert!(sim.check().ok, "{:?}", sim.check());
}

#[test]
fn without_the_clock_skew_the_lease_expires_before_a_new_leader_can_exist() {
    let mut s = scenario();
    s.actions
        .retain(|a| !matches!(a.action, Action::ClockSkew(ClockSkew { .. })));
    let (sim, trace) = replay(&s);
    assert_eq!(leaders_before(&trace, 1000.0), vec![(1, 1)]);
    // Node 1 still believes it leads at 1180 ms, but its lease has run out: it does not
    // answer; the majority's side does, with whatever is linearizable then.
    let (read_by, _, _) = completion(&trace, 1, 1180.0);
    assert_ne!(read_by, NodeId(1));
    assert!(sim.check().ok, "{:?}", sim.check());
}
