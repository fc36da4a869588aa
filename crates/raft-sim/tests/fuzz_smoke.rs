//! A short fuzz campaign with no injected bug finds no violation (the long one is
//! `raft-sim fuzz --seeds 2000`).

use raft_sim::fuzz::{fuzz_one, FuzzOptions};

#[test]
fn twenty_seeds_of_faults_find_no_violation() {
    let opts = FuzzOptions {
        nodes: vec![3, 5],
        duration_ms: 2_000,
        ..FuzzOptions::default()
    };
    let mut events = 0;
    for seed in 0..20 {
        let o = fuzz_one(seed, &opts);
        events += o.events;
        assert!(
            o.violations.is_empty(),
            "seed {seed}: {:?}\n{}",
            o.violations,
            o.scenario.to_json()
        );
    }
    assert!(events > 10_000, "events {events}");
}

#[test]
fn a_fuzz_run_replays_from_its_scenario() {
    let opts = FuzzOptions {
        duration_ms: 1_500,
        ..FuzzOptions::default()
    };
    let o = fuzz_one(77, &opts);
    let replay = raft_sim::Simulation::from_scenario(o.scenario.clone()).unwrap();
    assert_eq!(replay.trace_hash(), o.trace_hash);
    assert!(!o.scenario.actions.is_empty());
}

#[test]
fn stale_follower_reads_are_caught_by_the_linearizability_checker() {
    // Reading from any node's local state is not linearizable (§8): a follower that has not
    // heard of the latest write answers with an old value. The checker must see it.
    let opts = FuzzOptions {
        read_mode: raft_sim::ReadMode::StaleFollower,
        duration_ms: 3_000,
        ..FuzzOptions::default()
    };
    let caught = (0..30).find_map(|seed| {
        let o = fuzz_one(seed, &opts);
        o.violations
            .iter()
            .find(|v| v.property == "linearizability")
            .map(|v| (seed, v.detail.clone()))
    });
    assert!(caught.is_some(), "no stale read detected in 30 seeds");
}
