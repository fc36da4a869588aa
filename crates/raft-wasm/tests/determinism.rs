//! Native and wasm give the same trace hash for the example scenarios.
//!
//! raft-sim records the native hashes in scenarios/hashes.json (its own test checks them
//! natively). This binary compiles both ways: natively it replays through raft-sim directly,
//! in wasm through the JS-facing `fromScenario` and `traceHash`; both must match the file.

const SCENARIOS: [(&str, &str); 4] = [
    (
        "leader-crash.json",
        include_str!("../../raft-sim/scenarios/leader-crash.json"),
    ),
    (
        "minority-partition.json",
        include_str!("../../raft-sim/scenarios/minority-partition.json"),
    ),
    (
        "prevote-rejoin.json",
        include_str!("../../raft-sim/scenarios/prevote-rejoin.json"),
    ),
    // Clock skew scales every timer of one node: the same hash in wasm shows the skewed
    // arithmetic is integer-exact on both targets.
    (
        "lease-read-clock-skew.json",
        include_str!("../../raft-sim/scenarios/lease-read-clock-skew.json"),
    ),
];
const HASHES: &str = include_str!("../../raft-sim/scenarios/hashes.json");

/// Every scenario's recorded hash, by file name.
fn recorded_hashes() -> Vec<(String, String)> {
    SCENARIOS
        .iter()
        .map(|(name, _)| (name.to_string(), recorded_hash(name)))
        .collect()
}

fn recorded_hash(name: &str) -> String {
    let hashes: serde_json::Value = serde_json::from_str(HASHES).expect("hashes.json parses");
    hashes[name]
        .as_str()
        .unwrap_or_else(|| panic!("hashes.json has no entry for {name}"))
        .to_string()
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::*;
    use raft_wasm::JsSimulation;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn wasm_replays_each_scenario_to_the_native_trace_hash() {
        let mut got = Vec::new();
        for (name, text) in SCENARIOS {
            let sim = JsSimulation::from_scenario(JsValue::from_str(text), JsValue::UNDEFINED)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            got.push((name.to_string(), sim.trace_hash()));
        }
        assert_eq!(got, recorded_hashes());
    }

    #[wasm_bindgen_test]
    fn a_scenario_given_as_an_object_replays_to_the_same_hash() {
        let (name, text) = SCENARIOS[0];
        let object = js_sys::JSON::parse(text).unwrap();
        let sim = JsSimulation::from_scenario(object, JsValue::UNDEFINED).unwrap();
        assert_eq!(sim.trace_hash(), recorded_hash(name));
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn native_replays_each_scenario_to_the_recorded_trace_hash() {
    let mut got = Vec::new();
    for (name, text) in SCENARIOS {
        let sim = raft_sim::Simulation::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        got.push((
            name.to_string(),
            raft_wasm::convert::hex64(sim.trace_hash()),
        ));
    }
    assert_eq!(got, recorded_hashes());
}
