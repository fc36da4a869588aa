//! Numbers from a scenario, a link, the API or the CLI never overflow: a value past what the
//! simulator can count is refused by name before anything runs (these panicked in debug
//! builds, or slipped through in release).

use std::process::Command;

use raft_sim::action::*;
use raft_sim::sim::TIME_MS_MAX;
use raft_sim::{Action, NodeId, Scenario, SimConfig, Simulation};

fn restart_at(at_ms: &str) -> String {
    format!(
        r#"{{"config":{{"nodes":1,"seed":1}},"actions":[{{"atMs":0,"action":{{"type":"crash","node":1}}}},{{"atMs":{at_ms},"action":{{"type":"restart","node":1}}}}]}}"#
    )
}

#[test]
fn an_action_past_the_latest_simulated_time_is_refused_by_name() {
    for at in ["1.844e16", "1.8e16", "1e300"] {
        let e = Simulation::from_json(&restart_at(at)).err().expect(at);
        assert_eq!(e.field, "actions[1].atMs", "{at}: {e}");
        assert!(e.message.contains("at most"), "{e}");
    }
    let s = Scenario::from_json(&restart_at(&TIME_MS_MAX.to_string())).unwrap();
    assert_eq!(s.actions[1].at_ms, TIME_MS_MAX);
    let e = Scenario::from_json(r#"{"endMs":1e20}"#).unwrap_err();
    assert_eq!(e.field, "endMs", "{e}");
    let e = Scenario::from_json(r#"{"liveness":{"fromMs":1,"boundMs":1e19}}"#).unwrap_err();
    assert_eq!(e.field, "liveness.boundMs", "{e}");
}

#[test]
fn the_cli_refuses_a_scenario_past_the_latest_simulated_time() {
    let dir = std::env::temp_dir().join(format!("raft-sim-overflow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("far.json");
    std::fs::write(&file, restart_at("1.844e16")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(["run", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("actions[1].atMs"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `ratePpm` = i64::MIN has no absolute value in i64: `abs()` overflowed (a panic in debug, in
/// release a negative number that passed the bound, and a clock that ran backwards).
#[test]
fn a_clock_skew_of_i64_min_is_refused() {
    for rate in [i64::MIN, i64::MIN + 1, i64::MAX, -500_001, 500_001] {
        let text = format!(r#"{{"type":"clockSkew","node":1,"ratePpm":{rate}}}"#);
        let e = Action::from_json(&text).unwrap_err();
        assert_eq!(e.field, "ratePpm", "{rate}: {e}");
        let mut sim = Simulation::new(SimConfig::default()).unwrap();
        let e = sim
            .apply(
                ClockSkew {
                    node: NodeId(1),
                    rate_ppm: rate,
                }
                .into(),
            )
            .unwrap_err();
        assert_eq!(e.field, "ratePpm", "{rate}: {e}");
    }
    assert!(Action::from_json(r#"{"type":"clockSkew","node":1,"ratePpm":-500000}"#).is_ok());
}

#[test]
fn advancing_past_the_latest_simulated_time_is_refused() {
    let mut sim = Simulation::from_json(&format!(
        r#"{{"config":{{"nodes":1,"seed":1}},"actions":[{{"atMs":0,"action":{{"type":"crash","node":1}}}}],"endMs":{}}}"#,
        TIME_MS_MAX - 1000.0
    ))
    .unwrap();
    let e = sim.advance(2_000.0).unwrap_err();
    assert_eq!(e.field, "ms", "{e}");
    sim.advance(1_000.0).unwrap();
    assert_eq!(sim.now_ms(), TIME_MS_MAX);
    sim.advance_ms(5_000);
    assert_eq!(sim.now_ms(), TIME_MS_MAX);
}
