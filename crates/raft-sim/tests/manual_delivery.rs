//! Manual delivery (issue 15): with `delivery: "manual"` a message whose latency has passed waits
//! until the user delivers, drops or duplicates it; timers still fire. `drop` also works in
//! automatic delivery (the message inspector's button). Every choice is a recorded action, so a
//! link replays it exactly; a choice about a message that is not in flight is refused and
//! nothing changes.

use raft_sim::action::{DeliverMessage, DropMessage, DuplicateMessage, SetDelivery, Timeout};
use raft_sim::network::DropReason;
use raft_sim::{Action, Delivery, NodeId, SimConfig, Simulation, TraceEvent};

fn sim() -> Simulation {
    let mut sim = Simulation::new(SimConfig {
        seed: 4,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance(1000.0).unwrap();
    sim
}

/// Three nodes in manual delivery, S1 campaigning at 1 ms: its vote requests wait.
fn manual() -> Simulation {
    let mut sim = Simulation::new(SimConfig {
        nodes: 3,
        seed: 11,
        pre_vote: false,
        delivery: Delivery::Manual,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance(1.0).unwrap();
    sim.apply(Timeout { node: NodeId(1) }.into()).unwrap();
    sim.advance(40.0).unwrap();
    sim
}

fn refused_changes_nothing(sim: &mut Simulation, action: Action, needle: &str) {
    let before = (sim.state_hash(), sim.trace_hash(), sim.scenario().actions);
    let err = sim.apply(action.clone()).unwrap_err();
    assert_eq!(err.field, "id", "{err}");
    assert!(err.message.contains(needle), "{action:?}: {err}");
    let after = (sim.state_hash(), sim.trace_hash(), sim.scenario().actions);
    assert!(after == before, "refused {action:?} changed the run");
}

fn delivered(events: &[TraceEvent], id: u64) -> bool {
    events
        .iter()
        .any(|e| matches!(e, TraceEvent::MsgDelivered { id: i, .. } if *i == id))
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
    assert_eq!(dropped, Some((m.id, DropReason::ByHand, m.from, m.to)));
    // It is never delivered later either, and the run replays from its recorded scenario.
    let later = sim.advance(500.0).unwrap();
    assert!(!delivered(&later, m.id));
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

#[test]
fn in_manual_delivery_arrived_messages_wait_and_timers_still_fire() {
    let mut sim = manual();
    let pending = sim.pending();
    let votes: Vec<_> = pending.iter().filter(|m| m.msg_type == "vote").collect();
    assert_eq!(votes.len(), 2, "{pending:?}");
    // Latency is at most 15 ms: both have arrived and wait, flagged and still listed.
    assert!(votes.iter().all(|m| m.waiting && m.deliver_at_ms <= 16.0));
    assert_eq!(pending, sim.state().in_flight);
    // A long wait delivers nothing, while election timers keep firing.
    let events = sim.advance(2_000.0).unwrap();
    assert!(!events
        .iter()
        .any(|e| matches!(e, TraceEvent::MsgDelivered { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, TraceEvent::RoleChanged { .. })));
    assert!(sim.pending().len() > pending.len());
}

#[test]
fn deliver_hands_one_waiting_message_to_its_receiver_now() {
    let mut sim = manual();
    let vote = sim
        .pending()
        .into_iter()
        .find(|m| m.msg_type == "vote" && m.to == NodeId(2))
        .unwrap();
    sim.apply(DeliverMessage { id: vote.id }.into()).unwrap();
    let events = sim.advance(0.0).unwrap();
    assert!(delivered(&events, vote.id));
    // S2 granted its vote, and the answer now travels back.
    assert!(events.iter().any(|e| matches!(
        e,
        TraceEvent::VoteGranted { node, to, .. } if *node == NodeId(2) && *to == NodeId(1)
    )));
    let node2 = sim
        .state()
        .nodes
        .into_iter()
        .find(|n| n.id == NodeId(2))
        .unwrap();
    assert_eq!(node2.voted_for, Some(NodeId(1)));
    let pending = sim.pending();
    assert!(pending.iter().all(|m| m.id != vote.id));
    assert!(pending
        .iter()
        .any(|m| m.msg_type == "voteResp" && m.from == NodeId(2) && !m.waiting));
    // Delivered once; a second time is refused and changes nothing.
    refused_changes_nothing(
        &mut sim,
        DeliverMessage { id: vote.id }.into(),
        &format!("no message {} is in flight", vote.id),
    );
    refused_changes_nothing(&mut sim, DuplicateMessage { id: 0 }.into(), "no message 0");
    refused_changes_nothing(&mut sim, DropMessage { id: u64::MAX }.into(), "in flight");
}

#[test]
fn a_duplicate_gets_the_next_id_waits_like_the_original_and_both_arrive() {
    let mut sim = manual();
    let vote = sim
        .pending()
        .into_iter()
        .find(|m| m.msg_type == "vote")
        .unwrap();
    let next_id = sim.world().next_msg_id;
    sim.apply(DuplicateMessage { id: vote.id }.into()).unwrap();
    let events = sim.advance(0.0).unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        TraceEvent::MsgDuplicated { id, copy_id, .. } if *id == vote.id && *copy_id == next_id
    )));
    let copy = sim.pending().into_iter().find(|m| m.id == next_id).unwrap();
    assert!(copy.waiting);
    assert_eq!(
        (
            copy.msg_type.as_str(),
            copy.from,
            copy.to,
            copy.fields.clone()
        ),
        (
            vote.msg_type.as_str(),
            vote.from,
            vote.to,
            vote.fields.clone()
        )
    );
    sim.apply(DeliverMessage { id: vote.id }.into()).unwrap();
    sim.apply(DeliverMessage { id: copy.id }.into()).unwrap();
    let events = sim.advance(0.0).unwrap();
    assert!(delivered(&events, vote.id) && delivered(&events, copy.id));
    // The repeat is harmless (§5.1): the voter answers it again, for the same candidate.
    let grants = events
        .iter()
        .filter(|e| matches!(e, TraceEvent::VoteGranted { .. }))
        .count();
    assert_eq!(grants, 2);
}

#[test]
fn back_to_automatic_delivery_every_waiting_message_arrives() {
    let mut sim = manual();
    let waiting: Vec<u64> = sim.pending().iter().map(|m| m.id).collect();
    assert!(!waiting.is_empty());
    sim.apply(
        SetDelivery {
            mode: Delivery::Auto,
        }
        .into(),
    )
    .unwrap();
    let events = sim.advance(0.0).unwrap();
    for id in waiting {
        assert!(delivered(&events, id), "message {id} still waits");
    }
    assert_eq!(sim.config().delivery, Delivery::Auto);
    sim.advance(500.0).unwrap();
    assert!(sim.current_leader().is_some());
}

#[test]
fn in_automatic_delivery_deliver_brings_a_message_early_and_duplicate_adds_a_copy() {
    let mut sim = sim();
    let m = sim.pending().into_iter().find(|m| !m.waiting).unwrap();
    assert!(m.deliver_at_ms > sim.now_ms());
    let copy_id = sim.world().next_msg_id;
    sim.apply(DuplicateMessage { id: m.id }.into()).unwrap();
    sim.apply(DeliverMessage { id: m.id }.into()).unwrap();
    let events = sim.advance(0.0).unwrap();
    assert!(delivered(&events, m.id));
    let copy = sim.pending().into_iter().find(|x| x.id == copy_id);
    let copy = copy.expect("the copy still travels");
    assert_eq!(copy.fields, m.fields);
    assert_eq!(copy.deliver_at_ms, m.deliver_at_ms);
    let later = sim.advance(m.deliver_at_ms - sim.now_ms()).unwrap();
    assert!(delivered(&later, copy.id));
}

/// A run built from manual choices replays exactly from its link: the same messages get the
/// same ids, so every recorded `deliver`, `drop` and `duplicate` names the same message.
#[test]
fn a_link_replays_manual_choices_exactly() {
    let mut sim = Simulation::new(SimConfig {
        nodes: 5,
        seed: 3,
        pre_vote: false,
        delivery: Delivery::Manual,
        ..SimConfig::default()
    })
    .unwrap();
    // S2 campaigns at 169 ms; the choices start about 60 ms into the first election, while
    // few vote requests wait (later, every node has campaigned and the choices answer stale
    // requests one by one).
    sim.advance(230.0).unwrap();
    let mut choices = 0;
    for round in 0..60u64 {
        let pending = sim.pending();
        let Some(m) = pending.iter().find(|m| m.waiting) else {
            sim.advance(20.0).unwrap();
            continue;
        };
        let id = m.id;
        let action: Action = match round % 7 {
            3 => DropMessage { id }.into(),
            5 => DuplicateMessage { id }.into(),
            _ => DeliverMessage { id }.into(),
        };
        sim.apply(action).unwrap();
        choices += 1;
        sim.advance(3.0).unwrap();
    }
    assert!(choices > 40, "{choices} choices");
    let link = sim.to_link();
    let replay = Simulation::from_link(&link).unwrap();
    assert_eq!(replay.now_ms(), sim.now_ms());
    assert_eq!(replay.trace_hash(), sim.trace_hash());
    assert_eq!(replay.state_hash(), sim.state_hash());
    assert_eq!(replay.pending(), sim.pending());
    // The choices moved the cluster: someone was elected by hand.
    assert!(sim.state().nodes.iter().any(|n| n.term.0 > 0));
    assert!(
        sim.current_leader().is_some(),
        "no leader was elected by hand"
    );
}

#[test]
fn the_delivery_mode_reads_from_and_writes_to_json() {
    let cfg = SimConfig::from_json(r#"{"delivery": "manual"}"#).unwrap();
    assert_eq!(cfg.delivery, Delivery::Manual);
    assert_eq!(SimConfig::from_json("{}").unwrap().delivery, Delivery::Auto);
    let e = SimConfig::from_json(r#"{"delivery": "byHand"}"#).unwrap_err();
    assert!(
        e.message.contains("byHand") && e.message.contains("manual"),
        "{e}"
    );
    let a = Action::from_json(r#"{"type":"setDelivery","mode":"manual"}"#).unwrap();
    assert_eq!(
        a,
        SetDelivery {
            mode: Delivery::Manual
        }
        .into()
    );
    let e = Action::from_json(r#"{"type":"deliver","id":"3"}"#).unwrap_err();
    assert!(e.message.contains("invalid type"), "{e}");
}
