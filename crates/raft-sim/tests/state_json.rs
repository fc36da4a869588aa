//! `state_json()` (the page's per-frame read, written by hand) is the very text serde writes for
//! `state()`, through fuzzed faults, crashed, paused and joint nodes, manual delivery, long logs
//! and strings that need escaping: the page and `stateHash` see no difference.

use std::collections::BTreeSet;

use raft_sim::action::*;
use raft_sim::fuzz::{bug_hunt_options, fuzz_one, FuzzOptions};
use raft_sim::{Action, Delivery, NodeId, SimConfig, Simulation};

/// Replay `sim` in uneven steps up to `end_ms`, comparing the two texts at each; returns how
/// many states were compared.
fn compare_until(sim: &mut Simulation, end_ms: f64, what: &str) -> usize {
    compare_seeing(sim, end_ms, what, &mut BTreeSet::new())
}

/// `compare_until`, noting in `seen` each node shape a compared state held (`status Crashed`,
/// `role Leader`, `progress Probe`, `joint`), so a test can show it reached the branches of
/// the hand-written text it claims to check.
fn compare_seeing(
    sim: &mut Simulation,
    end_ms: f64,
    what: &str,
    seen: &mut BTreeSet<String>,
) -> usize {
    let mut compared = 0;
    let mut step = 3.0;
    while sim.now_ms() < end_ms {
        sim.advance(step).unwrap();
        let state = sim.state();
        let by_serde = serde_json::to_string(&state).unwrap();
        assert_eq!(sim.state_json(), by_serde, "{what} at {} ms", sim.now_ms());
        for n in &state.nodes {
            seen.insert(format!("status {:?}", n.status));
            seen.insert(format!("role {:?}", n.role));
            for p in &n.progress {
                seen.insert(format!("progress {:?}", p.state));
            }
            if n.joint_voters.is_some() {
                seen.insert("joint".to_string());
            }
        }
        compared += 1;
        // 3, 10, 31, 97 ms and round again: fractions of a ms, and stretches long enough for
        // elections, crashes and heals to happen between looks.
        step = if step > 90.0 { 3.0 } else { step * 3.1 + 0.7 };
    }
    compared
}

#[test]
fn the_hand_written_state_is_serde_s_text_through_fuzzed_faults() {
    let mut compared = 0;
    for nodes in [3, 5, 7] {
        let opts = FuzzOptions {
            nodes: vec![nodes],
            duration_ms: 2_000,
            liveness_bound_ms: 2_000,
            ..FuzzOptions::default()
        };
        for seed in 0..2 {
            let run = fuzz_one(seed, &opts);
            let end = run.scenario.end_ms.unwrap_or(0.0);
            let mut sim = Simulation::from_scenario(run.scenario).unwrap();
            // Built at its end; replayed from the start, its actions happen on the way.
            sim.seek(0.0).unwrap();
            compared += compare_until(&mut sim, end, &format!("{nodes} nodes, seed {seed}"));
        }
    }
    assert!(compared > 150, "compared {compared}");
}

#[test]
fn the_hand_written_state_is_serde_s_text_with_violations_and_long_logs() {
    // A bug the checkers catch: the verdict lists violations.
    let bug = "vote-ignores-log";
    let opts = FuzzOptions {
        bug: Some(bug.to_string()),
        ..bug_hunt_options(bug)
    };
    // Seed 5 is the first the checkers catch it at (the search in tests/bugs.rs).
    let run = fuzz_one(5, &opts);
    let end = run.scenario.end_ms.unwrap_or(0.0);
    let mut sim = Simulation::from_scenario(run.scenario).unwrap();
    sim.seek(0.0).unwrap();
    compare_until(&mut sim, end, bug);
    assert!(!sim.state().checker.ok, "{bug} was caught");

    // Five clients writing: logs longer than the listed window, sessions; then with snapshots
    // on a lossy network.
    for (snapshot_threshold, loss_pct) in [(0, 0.0), (100, 7.5)] {
        let config = SimConfig {
            nodes: 5,
            clients: 5,
            client_write_every_ms: 5,
            snapshot_threshold,
            loss_pct,
            ..SimConfig::default()
        };
        let mut sim = Simulation::new(config).unwrap();
        compare_until(&mut sim, 5_000.0, "long logs");
        let st = sim.state();
        if snapshot_threshold == 0 {
            let longest = st.nodes.iter().map(|n| n.log.len()).max().unwrap();
            let last = st.nodes.iter().map(|n| n.last_index.0).max().unwrap();
            assert_eq!(
                longest,
                raft_sim::state::STATE_LOG_ENTRIES_MAX,
                "last index {last}"
            );
        } else {
            assert!(st.nodes.iter().any(|n| n.snapshot_index.0 > 0));
        }
    }
}

#[test]
fn the_hand_written_state_is_serde_s_text_for_waiting_messages_skew_and_odd_strings() {
    let config = SimConfig {
        nodes: 3,
        delivery: Delivery::Manual,
        ..SimConfig::default()
    };
    let mut sim = Simulation::new(config).unwrap();
    sim.apply(Action::ClockSkew(ClockSkew {
        node: NodeId(2),
        rate_ppm: -25_000,
    }))
    .unwrap();
    compare_until(&mut sim, 400.0, "manual delivery");
    assert!(sim.state().in_flight.iter().any(|m| m.waiting));

    // Keys and values that JSON must escape (quotes, backslashes, control characters) and
    // some it must not (non-ASCII).
    let mut sim = Simulation::new(SimConfig::default()).unwrap();
    sim.advance(1_000.0).unwrap();
    sim.apply(Action::ClientPut(ClientPut {
        key: "k\"\\\n\u{1}\u{7f}".into(),
        value: "välue \t 值 \u{1f}".into(),
        client: None,
    }))
    .unwrap();
    compare_until(&mut sim, 2_000.0, "odd strings");
    let kv = &sim.state().nodes[0].kv;
    assert!(kv.iter().any(|(k, _)| k.contains('\u{1}')), "{kv:?}");
}

#[test]
fn the_hand_written_state_is_serde_s_text_for_crashed_paused_and_joint_nodes() {
    let mut sim = Simulation::new(SimConfig {
        nodes: 5,
        ..SimConfig::default()
    })
    .unwrap();
    let mut seen = BTreeSet::new();
    compare_seeing(&mut sim, 1_000.0, "elected", &mut seen);
    let leader = sim
        .state()
        .nodes
        .iter()
        .find(|n| n.role == raft_core::Role::Leader)
        .map(|n| n.id);
    let leader = leader.expect("a leader within a second");
    let others: Vec<NodeId> = (1..=5).map(NodeId).filter(|&id| id != leader).collect();
    sim.apply(Action::Pause(Pause { node: others[0] })).unwrap();
    sim.apply(Action::Crash(Crash { node: others[1] })).unwrap();
    // C_old,new: the leader and two others, with the crashed node left out, entered jointly.
    sim.apply(Action::ChangeMembership(ChangeMembership {
        voters: vec![leader, others[2], others[3]],
        learners: vec![],
    }))
    .unwrap();
    compare_seeing(&mut sim, 1_400.0, "paused, crashed, joint", &mut seen);
    sim.apply(Action::Restart(Restart { node: others[1] }))
        .unwrap();
    sim.apply(Action::Resume(Resume { node: others[0] }))
        .unwrap();
    compare_seeing(&mut sim, 3_000.0, "back", &mut seen);
    for shape in [
        "status Crashed",
        "status Paused",
        "status Up",
        "joint",
        "role Leader",
        "role Follower",
        "role PreCandidate",
        "progress Replicate",
    ] {
        assert!(
            seen.contains(shape),
            "never compared a state with {shape}: {seen:?}"
        );
    }
}
