//! Any sequence of actions, valid or not, in any order: the simulation never panics, a refused
//! action is not recorded, and the recorded scenario replays to the same trace and state.

use raft_sim::action::*;
use raft_sim::{Action, NodeId, ReadMode, SimConfig, Simulation};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_action(rng: &mut ChaCha8Rng) -> Action {
    let node = NodeId(rng.random_range(0..=10));
    let other = NodeId(rng.random_range(0..=10));
    let key = ["a", "b", ""][rng.random_range(0..3)].to_string();
    match rng.random_range(0..22) {
        0 => Action::Crash(Crash { node }),
        1 => Action::Restart(Restart { node }),
        2 => Action::Pause(Pause { node }),
        3 => Action::Resume(Resume { node }),
        4 => Action::Timeout(Timeout { node }),
        5 => Action::Partition(Partition::of_nodes(vec![vec![node], vec![other]])),
        6 => Action::SetLink(SetLink {
            from: node.into(),
            to: other.into(),
            up: Some(rng.random_bool(0.5)),
            latency_ms: None,
            latency_ms_min: Some(rng.random_range(-5.0..50.0)),
            latency_ms_max: Some(rng.random_range(-5.0..50.0)),
            loss_pct: Some(rng.random_range(-10.0..120.0)),
            dup_pct: None,
        }),
        7 => Action::Heal(Heal {}),
        8 => Action::ClockSkew(ClockSkew {
            node,
            rate_ppm: rng.random_range(-600_000..600_000),
        }),
        9 => Action::ClientPut(ClientPut {
            key,
            value: "v".into(),
            client: Some(rng.random_range(0..4)),
        }),
        10 => Action::ClientGet(ClientGet { key, client: None }),
        11 => Action::ClientAppend(ClientAppend {
            key,
            value: "+".into(),
            client: None,
        }),
        12 => Action::ClientCas(ClientCas {
            key,
            expected: None,
            value: "c".into(),
            client: None,
        }),
        13 => Action::TransferLeader(TransferLeader { to: node }),
        14 => Action::AddServer(AddServer { node }),
        15 => Action::AddLearner(AddLearner { node }),
        16 => Action::RemoveServer(RemoveServer { node }),
        17 => Action::Compact(Compact { node }),
        18 => Action::SetBug(SetBug {
            name: ["stale-read", "nope"][rng.random_range(0..2)].into(),
            on: rng.random_bool(0.5),
        }),
        19 => Action::SetToggle(SetToggle {
            name: ["preVote", "checkQuorum", "fastBacktrack", "turbo"][rng.random_range(0..4)]
                .into(),
            on: rng.random_bool(0.5),
        }),
        20 => Action::SetReadMode(SetReadMode {
            mode: [
                ReadMode::ReadIndex,
                ReadMode::Lease,
                ReadMode::StaleFollower,
            ][rng.random_range(0..3)],
        }),
        _ => Action::Heal(Heal {}),
    }
}

#[test]
fn random_actions_never_panic_and_the_recorded_scenario_replays_exactly() {
    let mut refused = 0;
    let mut accepted = 0;
    for seed in 0..6u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let cfg = SimConfig {
            nodes: rng.random_range(1..=5),
            seed,
            client_write_every_ms: 40,
            ..SimConfig::default()
        };
        let mut sim = Simulation::new(cfg).unwrap();
        for _ in 0..300 {
            let before = sim.scenario().actions.len();
            match sim.apply(random_action(&mut rng)) {
                Ok(()) => {
                    accepted += 1;
                    assert_eq!(sim.scenario().actions.len(), before + 1);
                }
                Err(e) => {
                    refused += 1;
                    assert!(!e.to_string().is_empty());
                    assert_eq!(
                        sim.scenario().actions.len(),
                        before,
                        "a refused action is not recorded"
                    );
                }
            }
            match rng.random_range(0..4) {
                0 => {
                    sim.step();
                }
                1 => {
                    let _ = sim.advance(rng.random_range(-10.0..200.0));
                }
                _ => {
                    sim.advance_ms(rng.random_range(0..50));
                }
            }
        }
        let replay = Simulation::from_scenario(sim.scenario()).unwrap();
        assert_eq!(replay.trace_hash(), sim.trace_hash(), "seed {seed}");
        assert_eq!(replay.state_hash(), sim.state_hash(), "seed {seed}");
        let _ = sim.check();
    }
    assert!(
        accepted > 100 && refused > 100,
        "accepted {accepted}, refused {refused}"
    );
}

/// docs/API.md: a refused call changes nothing. Every action type's generator, on clusters with
/// and without a 0 ms network, between advances and single steps (which leave events of the
/// instant still to run): around each refused call, the state hash, the trace hash and the
/// recorded actions stay as they were.
#[test]
fn a_refused_call_changes_nothing() {
    let mut refused_by_type = vec![0usize; ACTION_TYPES.len()];
    for seed in 0..12u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let zero = seed % 3 == 0;
        let cfg = SimConfig {
            nodes: rng.random_range(1..=5),
            seed,
            clients: 2,
            client_write_every_ms: if seed % 2 == 0 { 30 } else { 0 },
            latency_ms_min: if zero { 0.0 } else { 1.0 },
            latency_ms_max: if zero { 0.0 } else { 12.0 },
            disk_latency_ms: if seed % 4 == 1 { 3.0 } else { 0.0 },
            ..SimConfig::default()
        };
        let mut sim = Simulation::new(cfg).unwrap();
        for _ in 0..250 {
            let i = rng.random_range(0..ACTION_TYPES.len());
            let action = Action::generate(ACTION_TYPES[i], sim.world(), &mut rng).unwrap();
            let before = (sim.state_hash(), sim.trace_hash(), sim.scenario().actions);
            let text = format!("{action:?}");
            if sim.apply(action).is_err() {
                refused_by_type[i] += 1;
                let after = (sim.state_hash(), sim.trace_hash(), sim.scenario().actions);
                assert!(
                    after == before,
                    "seed {seed}: refused {text} changed the run"
                );
            }
            if rng.random_bool(0.5) {
                for _ in 0..rng.random_range(1..6) {
                    sim.step();
                }
            } else {
                sim.advance_ms(rng.random_range(0..60));
            }
        }
    }
    for (tag, n) in ACTION_TYPES.iter().zip(refused_by_type) {
        if !matches!(*tag, "heal" | "setReadMode" | "setDelivery") {
            assert!(n > 0, "no {tag} was refused");
        }
    }
}
