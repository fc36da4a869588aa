//! One seed plus the actions reproduces a run bit for bit: the same scenario gives the same trace
//! hash; seeking back and forward reaches the same state; a share link rebuilds the same run.

use raft_sim::action::*;
use raft_sim::{Action, NodeId, SimConfig, Simulation};

fn busy_config(seed: u64) -> SimConfig {
    SimConfig {
        seed,
        clients: 2,
        client_write_every_ms: 25,
        loss_pct: 2.0,
        dup_pct: 2.0,
        ..SimConfig::default()
    }
}

/// A run with faults and client load, driven through the public API.
fn scripted_run(seed: u64) -> Simulation {
    let mut sim = Simulation::new(busy_config(seed)).unwrap();
    sim.advance_ms(1_000);
    sim.apply(Action::ClientPut(ClientPut {
        key: "x".into(),
        value: "1".into(),
        client: None,
    }))
    .unwrap();
    sim.advance_ms(500);
    let leader = sim.current_leader().expect("a leader after 1.5 s");
    sim.apply(Action::Crash(Crash { node: leader })).unwrap();
    sim.advance_ms(700);
    sim.apply(Action::Partition(Partition::of_nodes(vec![
        vec![NodeId(1), NodeId(2)],
        vec![NodeId(3), NodeId(4), NodeId(5)],
    ])))
    .unwrap();
    sim.advance_ms(1_300);
    sim.apply(Action::Heal(Heal {})).unwrap();
    sim.apply(Action::Restart(Restart { node: leader }))
        .unwrap();
    sim.advance_ms(2_000);
    sim
}

#[test]
fn the_same_scenario_twice_gives_the_same_trace_hash() {
    let a = scripted_run(11);
    let b = scripted_run(11);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.state_hash(), b.state_hash());
    assert!(a.events_total() > 1_000);
    // And replaying the recorded scenario gives the same hash again.
    let c = Simulation::from_scenario(a.scenario()).unwrap();
    assert_eq!(c.now_ms(), a.now_ms());
    assert_eq!(c.trace_hash(), a.trace_hash());
    assert_eq!(c.state_hash(), a.state_hash());
}

#[test]
fn a_different_seed_gives_a_different_run() {
    assert_ne!(scripted_run(11).trace_hash(), scripted_run(12).trace_hash());
}

#[test]
fn seeking_back_then_forward_reaches_the_same_state() {
    let mut sim = Simulation::new(busy_config(5)).unwrap();
    let mut hashes = Vec::new();
    for _ in 0..12 {
        sim.advance_ms(1_000);
        hashes.push((sim.now_ms(), sim.state_hash(), sim.trace_hash()));
    }
    assert!(
        sim.checkpoint_count() >= 2,
        "a checkpoint every few simulated seconds"
    );
    for &(t, state, trace) in [hashes[2], hashes[9], hashes[0], hashes[11], hashes[6]].iter() {
        sim.seek(t).unwrap();
        assert_eq!(sim.now_ms(), t);
        assert_eq!(sim.state_hash(), state, "state at {t} ms");
        assert_eq!(sim.trace_hash(), trace, "trace hash at {t} ms");
    }
}

#[test]
fn seeking_replays_recorded_actions_and_an_action_after_a_seek_forks_the_timeline() {
    let mut sim = Simulation::new(busy_config(8)).unwrap();
    sim.advance_ms(2_000);
    sim.apply(Action::Crash(Crash { node: NodeId(2) })).unwrap();
    sim.advance_ms(2_000);
    let at_4s = sim.state_hash();
    sim.seek(1_000.0).unwrap();
    assert_eq!(sim.state().nodes[1].status, raft_sim::node::NodeStatus::Up);
    sim.seek(4_000.0).unwrap();
    assert_eq!(sim.state_hash(), at_4s, "the recorded crash is replayed");
    assert_eq!(
        sim.state().nodes[1].status,
        raft_sim::node::NodeStatus::Crashed
    );
    // Fork: at 1 s crash node 3 instead; the old crash of node 2 is forgotten.
    sim.seek(1_000.0).unwrap();
    sim.apply(Action::Crash(Crash { node: NodeId(3) })).unwrap();
    sim.advance_ms(3_000);
    let s = sim.scenario();
    assert_eq!(s.actions.len(), 1);
    assert_eq!(
        s.actions[0].action,
        Action::Crash(Crash { node: NodeId(3) })
    );
    assert_eq!(sim.state().nodes[1].status, raft_sim::node::NodeStatus::Up);
}

#[test]
fn a_share_link_rebuilds_the_same_run() {
    let a = scripted_run(21);
    let link = a.to_link();
    assert!(link.starts_with("v2."));
    let b = Simulation::from_link(&link).unwrap();
    assert_eq!(b.now_ms(), a.now_ms());
    assert_eq!(b.state_hash(), a.state_hash());
    assert_eq!(b.trace_hash(), a.trace_hash());
}

#[test]
fn stepping_one_event_at_a_time_matches_advancing() {
    let mut a = Simulation::new(busy_config(3)).unwrap();
    let mut steps = 0;
    while a.now_ms() < 800.0 {
        a.step();
        steps += 1;
    }
    // An action applied mid-step runs after the events due at that time; replay agrees.
    a.apply(Action::Timeout(Timeout { node: NodeId(4) }))
        .unwrap();
    for _ in 0..500 {
        a.step();
    }
    assert!(steps > 10);
    let b = Simulation::from_scenario(a.scenario()).unwrap();
    assert_eq!(b.state_hash(), a.state_hash());
    assert_eq!(b.trace_hash(), a.trace_hash());
}

#[test]
fn seeking_in_a_ten_minute_run_is_fast() {
    // Not a timing assertion (those flake); it checks seeking uses checkpoints: after a 10-minute
    // run, a seek replays at most one checkpoint interval of events.
    let mut sim = Simulation::new(SimConfig {
        seed: 9,
        client_write_every_ms: 200,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance_ms(600_000);
    let total = sim.events_total();
    let at_end = sim.state_hash();
    sim.seek(300_000.0).unwrap();
    let replayed_back = sim.events_total();
    sim.seek(600_000.0).unwrap();
    assert_eq!(sim.state_hash(), at_end);
    assert!(replayed_back < total);
    assert!(
        sim.checkpoint_count() >= 16,
        "checkpoints: {}",
        sim.checkpoint_count()
    );
}

#[test]
fn a_small_checkpoint_budget_thins_checkpoints_and_seeking_still_lands_exactly() {
    let mut sim = Simulation::new(busy_config(13)).unwrap();
    sim.set_checkpoint_budget(500_000);
    let mut hashes = Vec::new();
    for _ in 0..8 {
        sim.advance_ms(5_000);
        hashes.push((sim.now_ms(), sim.state_hash()));
    }
    assert!(
        sim.checkpoint_interval_ms() > raft_sim::sim::CHECKPOINT_EVERY_MS as f64,
        "spacing grew: {}",
        sim.checkpoint_interval_ms()
    );
    for &(t, h) in hashes.iter().rev() {
        sim.seek(t).unwrap();
        assert_eq!(sim.state_hash(), h, "at {t} ms");
    }
}

#[test]
fn every_step_the_user_takes_shows_at_least_one_event() {
    // Client retry timers whose answer already came record nothing; "." and the Step button
    // still have to show the learner something, so a step runs on past silent items.
    let mut sim = Simulation::new(busy_config(7)).unwrap();
    sim.advance_ms(300);
    for i in 0..2_000 {
        let before = sim.now_ms();
        let events = sim.step();
        assert!(
            !events.is_empty(),
            "step {i} at {before} ms showed nothing (now {} ms)",
            sim.now_ms()
        );
    }
}
