//! Every injected bug is caught by the checkers within a small seed budget, so the checkers can
//! never silently stop working. The full campaign (`raft-sim fuzz --bug NAME --seeds 500`) is a
//! command of its own; this is its smoke version.

use raft_sim::fuzz::{fuzz_one, FuzzOptions};
use raft_sim::BUG_NAMES;

/// Seeds tried per bug in the test suite.
const SEED_BUDGET: u64 = 40;

#[test]
fn the_checkers_catch_every_injected_bug() {
    let mut missed = Vec::new();
    for bug in BUG_NAMES {
        let opts = FuzzOptions {
            bug: Some(bug.to_string()),
            ..raft_sim::fuzz::bug_hunt_options(bug)
        };
        let found = (0..SEED_BUDGET).find(|&seed| !fuzz_one(seed, &opts).violations.is_empty());
        match found {
            Some(seed) => eprintln!("{bug}: caught at seed {seed}"),
            None => missed.push(bug),
        }
    }
    assert!(
        missed.is_empty(),
        "not caught within {SEED_BUDGET} seeds: {missed:?}"
    );
}

#[test]
fn a_caught_bug_reproduces_from_its_scenario() {
    let bug = "vote-ignores-log";
    let opts = FuzzOptions {
        bug: Some(bug.to_string()),
        ..raft_sim::fuzz::bug_hunt_options(bug)
    };
    let o = (0..SEED_BUDGET)
        .map(|s| fuzz_one(s, &opts))
        .find(|o| !o.violations.is_empty())
        .expect("caught");
    let replay = raft_sim::Simulation::from_scenario(o.scenario.clone()).unwrap();
    assert_eq!(replay.trace_hash(), o.trace_hash);
    assert!(!replay.check().ok);
}
