//! The TypeScript types in src/types.d.ts declare every key raft-sim actually produces: a run
//! with faults, clients, membership changes, transfers and compaction is serialized (natively,
//! by serde; the wasm's own writer, raft-sim's write.rs, is held to serde's text by
//! raft-sim's tests/write_json.rs) and each object's keys are looked up in the declarations.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use raft_sim::action::*;
use raft_sim::{Action, NodeId, SimConfig, Simulation};
use serde_json::Value;

const TYPES: &str = include_str!("../src/types.d.ts");

/// The text of `interface name { ... }` (interfaces here hold no nested braces except
/// one-level inline types, which are included).
fn interface(name: &str) -> &'static str {
    let start = TYPES
        .find(&format!("export interface {name} {{"))
        .unwrap_or_else(|| panic!("types.d.ts has no interface {name}"));
    let rest = &TYPES[start..];
    let end = rest.find("\n}").expect("interface closes");
    &rest[..end]
}

/// Every flat `{ ... }` block that declares `marker` (e.g. `kind: "msgSent"`; `type: "cas"` is
/// both a KvOp and a KvResult).
fn blocks_with(marker: &str) -> Vec<&'static str> {
    let blocks: Vec<&str> = TYPES
        .match_indices(marker)
        .map(|(at, _)| {
            let open = TYPES[..at].rfind('{').unwrap();
            let close = at + TYPES[at..].find('}').unwrap();
            &TYPES[open..close]
        })
        .collect();
    assert!(!blocks.is_empty(), "types.d.ts does not declare {marker}");
    blocks
}

/// The text of `export type name = ...;`.
fn type_alias(name: &str) -> &'static str {
    let start = TYPES
        .find(&format!("export type {name} ="))
        .unwrap_or_else(|| panic!("types.d.ts has no type {name}"));
    let rest = &TYPES[start..];
    &rest[..rest.find(";\n").expect("type alias ends")]
}

fn declares(block: &str, key: &str) -> bool {
    block.contains(&format!(" {key}:")) || block.contains(&format!(" {key}?:"))
}

fn assert_keys(what: &str, block: &str, value: &Value) {
    assert_keys_in(what, &[block], value);
}

/// Every key of `value` is declared in one of `blocks` (the same one for all keys).
fn assert_keys_in(what: &str, blocks: &[&str], value: &Value) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {value}"));
    let fits = |block: &&str| object.keys().all(|key| declares(block, key));
    assert!(
        blocks.iter().any(fits),
        "{what}: keys {:?} are not all declared in types.d.ts",
        object.keys().collect::<Vec<_>>()
    );
}

/// `{ type: "x", ... }` unions (reasons, ops, results): the variant and its keys are declared.
fn assert_tagged(what: &str, tag: &str, value: &Value) {
    if let Some(name) = value.get(tag).and_then(Value::as_str) {
        let blocks = blocks_with(&format!("{tag}: \"{name}\""));
        assert_keys_in(&format!("{what} {name}"), &blocks, value);
    } else if let Some(name) = value.as_str() {
        assert!(
            TYPES.contains(&format!("\"{name}\"")),
            "{what}: \"{name}\" is not declared"
        );
    }
}

#[test]
fn every_event_kind_and_field_seen_in_a_busy_run_is_declared() {
    let mut sim = Simulation::new(SimConfig {
        seed: 99,
        loss_pct: 5.0,
        dup_pct: 5.0,
        client_write_every_ms: 50,
        snapshot_threshold: 20,
        ..SimConfig::default()
    })
    .unwrap();
    let mut events = sim.advance(2000.0).unwrap();
    let leader = sim.current_leader().expect("a leader after 2 s");
    let other = NodeId(if leader.0 == 1 { 2 } else { 1 });
    let script = [
        Action::ClientCas(ClientCas {
            key: "k".into(),
            expected: None,
            value: "v".into(),
            client: None,
        }),
        Action::ClientGet(ClientGet {
            key: "k".into(),
            client: None,
        }),
        Action::AddServer(AddServer { node: NodeId(6) }),
        Action::AddLearner(AddLearner { node: NodeId(7) }),
        Action::TransferLeader(TransferLeader { to: other }),
        Action::Compact(Compact { node: leader }),
        Action::Crash(Crash { node: leader }),
        Action::Partition(Partition::of_nodes(vec![
            vec![NodeId(1), NodeId(2)],
            vec![NodeId(3), NodeId(4), NodeId(5)],
        ])),
        Action::Heal(Heal {}),
        Action::SetAllLinks(SetAllLinks {
            latency_ms: None,
            latency_ms_min: Some(5.0),
            latency_ms_max: Some(30.0),
            loss_pct: Some(5.0),
            dup_pct: None,
        }),
        Action::Restart(Restart { node: leader }),
        Action::Pause(Pause { node: other }),
        Action::Resume(Resume { node: other }),
        Action::SetBug(SetBug {
            name: "commit-old-term".into(),
            on: true,
        }),
        Action::RemoveServer(RemoveServer { node: NodeId(6) }),
    ];
    for action in script {
        // Some actions may be refused in the state the run is in; the events are what count.
        let _ = sim.apply(action);
        events.extend(sim.advance(700.0).unwrap());
    }
    let mut kinds = BTreeSet::new();
    for event in &events {
        let value = serde_json::to_value(event).unwrap();
        let kind = value["kind"].as_str().unwrap().to_string();
        let blocks = blocks_with(&format!("kind: \"{kind}\""));
        assert_keys_in(&kind, &blocks, &value);
        for (key, nested) in value.as_object().unwrap() {
            if nested.is_object() {
                assert_tagged(&format!("{kind}.{key}"), "type", nested);
            }
        }
        kinds.insert(kind);
    }
    // The run must have been busy enough for the check to mean something.
    for kind in [
        "msgSent",
        "msgDelivered",
        "roleChanged",
        "voteGranted",
        "commitAdvanced",
        "clientCompleted",
        "nodeCrashed",
        "confChanged",
    ] {
        assert!(
            kinds.contains(kind),
            "the run produced no {kind}: {kinds:?}"
        );
    }
}

#[test]
fn every_state_config_and_scenario_key_is_declared() {
    let mut sim = Simulation::new(SimConfig {
        seed: 5,
        client_write_every_ms: 100,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance(1500.0).unwrap();
    let _ = sim.apply(Action::ClientPut(ClientPut {
        key: "a".into(),
        value: "1".into(),
        client: None,
    }));
    sim.advance(30.0).unwrap();
    let state = serde_json::to_value(sim.state()).unwrap();
    assert_keys("ClusterState", interface("ClusterState"), &state);
    for node in state["nodes"].as_array().unwrap() {
        assert_keys("NodeState", interface("NodeState"), node);
        for entry in node["log"].as_array().unwrap() {
            assert_keys("LogEntryView", interface("LogEntryView"), entry);
        }
        for progress in node["progress"].as_array().unwrap() {
            assert_keys("ProgressView", interface("ProgressView"), progress);
        }
        for session in node["sessions"].as_object().unwrap().values() {
            assert_keys("Session", interface("Session"), session);
            assert_tagged("Session.lastResult", "type", &session["lastResult"]);
        }
        assert_keys("DiskView", interface("DiskView"), &node["disk"]);
        for vote in node["votes"].as_array().unwrap() {
            assert_keys("VoteRecord", interface("VoteRecord"), vote);
        }
    }
    for link in state["links"].as_array().unwrap() {
        assert_keys("LinkView", interface("LinkView"), link);
    }
    for message in state["inFlight"].as_array().unwrap() {
        assert_keys("InFlightView", interface("InFlightView"), message);
        assert_keys("MsgFields", interface("MsgFields"), &message["fields"]);
    }
    for client in state["clients"].as_array().unwrap() {
        assert_keys("ClientView", interface("ClientView"), client);
        if client["pending"].is_object() {
            assert_keys(
                "ClientOutstanding",
                interface("ClientOutstanding"),
                &client["pending"],
            );
        }
    }
    assert_keys("CheckReport", interface("CheckReport"), &state["checker"]);
    let config = serde_json::to_value(sim.config()).unwrap();
    assert_keys("SimConfig", interface("SimConfig"), &config);
    let scenario = serde_json::to_value(sim.scenario()).unwrap();
    assert_keys("Scenario", interface("Scenario"), &scenario);
    for timed in scenario["actions"].as_array().unwrap() {
        assert_keys("TimedAction", interface("TimedAction"), timed);
        assert_tagged("action", "type", &timed["action"]);
    }
}

#[test]
fn every_bug_name_is_declared() {
    let bug_names = type_alias("BugName");
    for name in raft_sim::BUG_NAMES {
        assert!(bug_names.contains(&format!("\"{name}\"")), "{name}");
    }
}

/// The `Action` union declares exactly the simulator's action types, and every field their
/// generators produce (all optional fields of each type show up over a few hundred draws).
#[test]
fn the_action_union_declares_every_action_type_and_its_fields() {
    use rand_chacha::rand_core::SeedableRng;
    let start = TYPES
        .find("export type Action =")
        .expect("types.d.ts has an Action union");
    let union = &TYPES[start..start + TYPES[start..].find("\n\n").unwrap()];
    let declared: BTreeSet<&str> = union
        .match_indices("type: \"")
        .map(|(at, m)| {
            let rest = &union[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let vocabulary: BTreeSet<&str> = ACTION_TYPES.iter().copied().collect();
    assert_eq!(declared, vocabulary, "types.d.ts Action vs ACTION_TYPES");
    let sim = Simulation::new(SimConfig::default()).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    for tag in ACTION_TYPES {
        for _ in 0..200 {
            let action = Action::generate(tag, sim.world(), &mut rng).unwrap();
            let value = serde_json::to_value(&action).unwrap();
            assert_tagged("Action", "type", &value);
        }
    }
}
