use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::config::{ReadMode, SimConfig};

fn world() -> World {
    World::new(SimConfig {
        seed: 7,
        ..SimConfig::default()
    })
    .unwrap()
}

#[test]
fn every_tag_is_listed_once_and_names_its_own_type() {
    let w = world();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for (i, tag) in ACTION_TYPES.iter().enumerate() {
        assert!(!ACTION_TYPES[..i].contains(tag), "{tag} is listed twice");
        let a = Action::generate(tag, &w, &mut rng).expect("every tag has a generator");
        assert_eq!(a.type_name(), *tag);
        let json: serde_json::Value = serde_json::to_value(&a).unwrap();
        assert_eq!(json["type"], *tag, "{json}");
    }
    assert!(Action::generate("explode", &w, &mut rng).is_none());
}

#[test]
fn every_generated_action_decodes_back_from_the_json_it_encodes_to() {
    let w = world();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for tag in ACTION_TYPES {
        for _ in 0..20 {
            let a = Action::generate(tag, &w, &mut rng).unwrap();
            let text = serde_json::to_string(&a).unwrap();
            let value = crate::json::parse(&text).unwrap();
            assert_eq!(
                crate::read::from_value::<Action>(&value).unwrap(),
                a,
                "{text}"
            );
        }
    }
}

/// The JSON of scenarios, links and the trace hash: it must not change shape.
#[test]
fn actions_encode_to_the_scenario_formats_json() {
    let cases: Vec<(Action, &str)> = vec![
        (
            Crash { node: NodeId(1) }.into(),
            r#"{"type":"crash","node":1}"#,
        ),
        (Heal {}.into(), r#"{"type":"heal"}"#),
        (
            Partition::of_nodes(vec![vec![NodeId(1)], vec![NodeId(2), NodeId(3)]]).into(),
            r#"{"type":"partition","groups":[[1],[2,3]]}"#,
        ),
        (
            SetLink {
                from: NodeId(1).into(),
                to: NodeId(2).into(),
                up: Some(false),
                latency_ms: None,
                latency_ms_min: Some(3.0),
                latency_ms_max: None,
                loss_pct: Some(10.0),
                dup_pct: None,
            }
            .into(),
            r#"{"type":"setLink","from":1,"to":2,"up":false,"latencyMsMin":3.0,"lossPct":10.0}"#,
        ),
        (
            ClockSkew {
                node: NodeId(2),
                rate_ppm: -500,
            }
            .into(),
            r#"{"type":"clockSkew","node":2,"ratePpm":-500}"#,
        ),
        (
            ClientCas {
                key: "k".into(),
                expected: None,
                value: "v".into(),
                client: Some(7),
            }
            .into(),
            r#"{"type":"clientCas","key":"k","expected":null,"value":"v","client":7}"#,
        ),
        (
            SetReadMode {
                mode: ReadMode::Lease,
            }
            .into(),
            r#"{"type":"setReadMode","mode":"lease"}"#,
        ),
        (
            ChangeMembership {
                voters: vec![NodeId(3), NodeId(4)],
                learners: vec![],
            }
            .into(),
            r#"{"type":"changeMembership","voters":[3,4]}"#,
        ),
    ];
    for (action, json) in cases {
        assert_eq!(serde_json::to_string(&action).unwrap(), json);
        assert_eq!(Action::from_json(json).unwrap(), action);
    }
}

#[test]
fn a_bad_action_is_refused_in_serdes_words_naming_the_field() {
    let err = |t: &str| Action::from_json(t).unwrap_err();
    let unknown = err(r#"{"type":"explode","node":1}"#);
    assert_eq!(unknown.field, "type");
    assert!(
        unknown
            .message
            .starts_with("unknown variant `explode`, expected one of `crash`, "),
        "{unknown}"
    );
    assert!(unknown.message.ends_with(", `setReadMode`"), "{unknown}");
    assert_eq!(
        err(r#"{"type":"crash","nod":1}"#),
        SimError::new("nod", "unknown field `nod`, expected `node`")
    );
    assert_eq!(
        err(r#"{"type":"heal","node":1}"#),
        SimError::new("node", "unknown field `node`, there are no fields")
    );
    assert_eq!(
        err(r#"{"type":"crash"}"#),
        SimError::new("", "missing field `node`")
    );
    assert_eq!(
        err(r#"{"node":1}"#),
        SimError::new("", "missing field `type`")
    );
    assert_eq!(
        err(r#"{"type":3}"#),
        SimError::new("type", "invalid type: integer `3`, expected a string")
    );
    assert_eq!(
        err("[1]").to_string(),
        "invalid type: sequence, expected an action (an object with a \"type\" field)"
    );
    assert_eq!(
        err(r#"{"type":"crash","node":"3"}"#),
        SimError::new("node", "invalid type: string \"3\", expected u64")
    );
    assert_eq!(
        err(r#"{"type":"clockSkew","node":1,"ratePpm":1.5}"#),
        SimError::new(
            "ratePpm",
            "invalid type: floating point `1.5`, expected i64"
        )
    );
    assert_eq!(
        err(r#"{"type":"partition","groups":[[1],[2,"x"]]}"#).field,
        "groups[1][1]"
    );
    assert_eq!(
        err(r#"{"type":"setReadMode","mode":"fast"}"#),
        SimError::new(
            "mode",
            "unknown variant `fast`, expected one of `readIndex`, `lease`, `staleFollower`"
        )
    );
    // Optional fields may be null or absent; required ones may not be null.
    assert!(Action::from_json(r#"{"type":"clientGet","key":"k","client":null}"#).is_ok());
    assert_eq!(
        err(r#"{"type":"clientGet","key":null}"#),
        SimError::new("key", "invalid type: null, expected a string")
    );
}

/// Every type's generator makes actions a running cluster accepts, and ones it refuses: the
/// fuzzers reach both the effect and the refusal of every action.
#[test]
fn every_generator_makes_accepted_and_refused_actions() {
    use rand::Rng;
    let mut tally: Vec<(usize, usize)> = vec![(0, 0); ACTION_TYPES.len()];
    for seed in 0..8u64 {
        let mut sim = crate::Simulation::new(SimConfig {
            seed,
            ..SimConfig::default()
        })
        .unwrap();
        sim.advance_ms(1_000);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for _ in 0..400 {
            let i = rng.random_range(0..ACTION_TYPES.len());
            let a = Action::generate(ACTION_TYPES[i], sim.world(), &mut rng).unwrap();
            match sim.apply(a) {
                Ok(()) => tally[i].0 += 1,
                Err(_) => tally[i].1 += 1,
            }
            sim.advance_ms(rng.random_range(0..100));
        }
    }
    for (tag, (accepted, refused)) in ACTION_TYPES.iter().zip(tally) {
        assert!(accepted > 0, "{tag}: no generated action was accepted");
        // `heal`, `setReadMode` and `setDelivery` have nothing a cluster refuses.
        if !matches!(*tag, "heal" | "setReadMode" | "setDelivery") {
            assert!(refused > 0, "{tag}: no generated action was refused");
        }
    }
}

#[test]
fn an_action_under_its_old_name_still_decodes_so_old_links_open() {
    // `dropMessage` became `drop` with manual delivery (issue 15); links made before still hold it.
    let old = Action::from_json(r#"{"type":"dropMessage","id":12}"#).unwrap();
    assert_eq!(
        old,
        Action::from_json(r#"{"type":"drop","id":12}"#).unwrap()
    );
    assert_eq!(old.type_name(), "drop");
    // An old name is no way around validation, and unknown names are still refused.
    assert!(Action::from_json(r#"{"type":"dropMessage"}"#).is_err());
    let err = Action::from_json(r#"{"type":"dropMessages","id":1}"#).unwrap_err();
    assert!(err.to_string().contains("dropMessages"), "{err}");
}
