//! The example scenarios run clean, and their trace hashes match scenarios/hashes.json (the wasm
//! build checks the same file). Regenerate after a deliberate change with
//! `RAFT_SIM_WRITE_HASHES=1 cargo test -p raft-sim --test scenarios`.

use std::collections::BTreeMap;

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
        assert!(sim.check().ok, "{name}: {:?}", sim.check());
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
