//! The example scenarios run clean, and their trace hashes match scenarios/hashes.json (the wasm
//! build checks the same file). Regenerate after a deliberate change with
//! `RAFT_SIM_WRITE_HASHES=1 cargo test -p raft-sim --test scenarios`.

use std::collections::BTreeMap;

use raft_sim::action::*;
use raft_sim::Simulation;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

fn example_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json") && n != "hashes.json")
        .collect();
    names.sort();
    names
}

#[test]
fn example_scenarios_match_their_recorded_trace_hashes() {
    let mut hashes = BTreeMap::new();
    for name in example_names() {
        let text = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
        let sim = Simulation::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Examples run clean, except those that switch a bug on, read from followers, or
        // skew a clock under lease reads, to show what that breaks.
        let skews_a_clock = sim
            .scenario()
            .actions
            .iter()
            .any(|a| matches!(a.action, raft_sim::Action::ClockSkew(ClockSkew { .. })));
        let broken = !sim.config().bugs.is_empty()
            || sim.config().read_mode == raft_sim::ReadMode::StaleFollower
            || (sim.config().read_mode == raft_sim::ReadMode::Lease && skews_a_clock);
        assert_eq!(sim.check().ok, !broken, "{name}: {:?}", sim.check());
        hashes.insert(name, format!("{:016x}", sim.trace_hash()));
    }
    assert!(hashes.len() >= 3);
    let path = format!("{DIR}/hashes.json");
    if std::env::var("RAFT_SIM_WRITE_HASHES").is_ok() {
        std::fs::write(&path, serde_json::to_string_pretty(&hashes).unwrap() + "\n").unwrap();
    }
    let recorded: BTreeMap<String, String> = serde_json::from_str(
        &std::fs::read_to_string(&path).expect("scenarios/hashes.json exists"),
    )
    .unwrap();
    assert_eq!(
        recorded, hashes,
        "trace hashes changed; if deliberate, regenerate (see the file's doc)"
    );
}

#[test]
fn figure_8_is_safe_without_the_bug_and_loses_a_committed_entry_with_it() {
    let text = std::fs::read_to_string(format!("{DIR}/figure8-commit-old-term.json")).unwrap();
    let buggy = Simulation::from_json(&text).unwrap();
    let props: Vec<String> = buggy
        .check()
        .violations
        .iter()
        .map(|v| v.property.clone())
        .collect();
    for p in [
        "leaderCommitsOwnTerm",
        "leaderCompleteness",
        "committedEntryChanged",
        "stateMachineSafety",
    ] {
        assert!(props.iter().any(|x| x == p), "{p} missing from {props:?}");
    }
    // The same schedule on a correct Raft: entry 2 of term 1 is never committed by counting,
    // so leader 5 may overwrite it, and every checker stays green.
    let mut scenario = raft_sim::Scenario::from_json(&text).unwrap();
    scenario.config.bugs.clear();
    let fixed = Simulation::from_scenario(scenario).unwrap();
    assert!(fixed.check().ok, "{:?}", fixed.check());
    let st = fixed.state();
    let n3 = st.nodes.iter().find(|n| n.id.0 == 3).unwrap();
    let entry2 = n3.log.iter().find(|e| e.index.0 == 2).unwrap();
    assert_eq!(
        entry2.term.0, 2,
        "node 5's entry replaced the uncommitted one"
    );
}

#[test]
fn a_stale_follower_read_is_reported_as_a_linearizability_violation() {
    let text = std::fs::read_to_string(format!("{DIR}/stale-follower-read.json")).unwrap();
    let sim = Simulation::from_json(&text).unwrap();
    let report = sim.check();
    assert_eq!(report.violations.len(), 1, "{report:?}");
    let v = &report.violations[0];
    assert_eq!(v.property, "linearizability");
    assert!(
        v.detail.contains("\"old\"") && v.detail.contains("\"new\""),
        "{}",
        v.detail
    );
    // The same reads through ReadIndex are linearizable.
    let mut scenario = raft_sim::Scenario::from_json(&text).unwrap();
    scenario.config.read_mode = raft_sim::ReadMode::ReadIndex;
    let fixed = Simulation::from_scenario(scenario).unwrap();
    assert!(fixed.check().ok, "{:?}", fixed.check());
}

#[test]
fn the_example_in_docs_scenario_md_runs_clean() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/SCENARIO.md"
    ))
    .unwrap();
    let start = doc.find("```json\n").expect("a json example") + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let sim = Simulation::from_json(&doc[start..end]).unwrap();
    assert_eq!(sim.now_ms(), 6_000.0);
    assert!(sim.check().ok, "{:?}", sim.check());
}
