//! `dropMessage`: one message in flight is lost by hand, as a lossy link would lose it; a message
//! that is not in flight is refused and nothing changes.

use raft_sim::action::DropMessage;
use raft_sim::{SimConfig, Simulation, TraceEvent};

fn sim() -> Simulation {
    let mut sim = Simulation::new(SimConfig {
        seed: 4,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance(1000.0).unwrap();
    sim
}

#[test]
fn a_dropped_message_leaves_the_wire_and_the_trace_says_so() {
    let mut sim = sim();
    let m = sim.state().in_flight[0].clone();
    sim.apply(DropMessage { id: m.id }.into()).unwrap();
    assert!(sim.state().in_flight.iter().all(|x| x.id != m.id));
    let events = sim.advance(0.0).unwrap();
    let dropped = events.iter().find_map(|e| match e {
        TraceEvent::MsgDropped {
            id,
            reason,
            from,
            to,
            ..
        } => Some((*id, *reason, *from, *to)),
        _ => None,
    });
    assert_eq!(
        dropped,
        Some((m.id, raft_sim::network::DropReason::ByHand, m.from, m.to))
    );
    // It is never delivered later either, and the run replays from its recorded scenario.
    let later = sim.advance(500.0).unwrap();
    assert!(!later
        .iter()
        .any(|e| matches!(e, TraceEvent::MsgDelivered { id, .. } if *id == m.id)));
    let mut replay = Simulation::from_scenario(sim.recorded_scenario().clone()).unwrap();
    replay.advance(sim.now_ms() - replay.now_ms()).unwrap();
    assert_eq!(replay.state_hash(), sim.state_hash());
}

#[test]
fn a_message_not_in_flight_is_refused_and_nothing_changes() {
    let mut sim = sim();
    let before = sim.state_hash();
    let err = sim.apply(DropMessage { id: 999_999 }.into()).unwrap_err();
    assert_eq!(err.field, "id");
    assert!(
        err.message.contains("no message 999999 is in flight"),
        "{err}"
    );
    assert_eq!(sim.state_hash(), before);
    assert!(sim.recorded_scenario().actions.is_empty());
}
