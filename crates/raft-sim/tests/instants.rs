//! What one instant holds: a refused call leaves it as it was, a link brings it back exactly,
//! a restarted node starts afresh at it (its election timer and its disk), and the first
//! election timeout of a run fires at its deadline.

use raft_core::Role;
use raft_sim::action::*;
use raft_sim::{Action, NodeId, SimConfig, Simulation, TraceEvent};

fn node(sim: &Simulation, id: u64) -> raft_sim::NodeState {
    sim.state()
        .nodes
        .into_iter()
        .find(|n| n.id == NodeId(id))
        .expect("node exists")
}

/// The page draws the timer ring emptying at `electionDeadlineMs`; the election starts then
/// (§5.2), not one timeout later.
#[test]
fn the_first_election_of_a_run_starts_at_the_first_deadline() {
    for seed in 1..=5 {
        let mut sim = Simulation::new(SimConfig {
            seed,
            ..SimConfig::default()
        })
        .unwrap();
        let first_deadline = sim
            .state()
            .nodes
            .iter()
            .filter_map(|n| n.election_deadline_ms)
            .fold(f64::INFINITY, f64::min);
        let trace = sim.advance_ms(1_000);
        let first_campaign = trace
            .iter()
            .find_map(|e| match e {
                TraceEvent::RoleChanged {
                    at_ms,
                    to: Role::PreCandidate | Role::Candidate,
                    ..
                } => Some(*at_ms),
                _ => None,
            })
            .expect("someone campaigns within a second");
        assert_eq!(first_campaign, first_deadline, "seed {seed}");
    }
}

/// docs/API.md: a refused call changes nothing. With a 0 ms network a client request arrives
/// at the instant it is sent; a refused call must not run it.
#[test]
fn a_refused_call_changes_neither_the_state_nor_the_recorded_actions() {
    let mut sim = Simulation::new(SimConfig {
        seed: 3,
        latency_ms_min: 0.0,
        latency_ms_max: 0.0,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance_ms(1_000);
    sim.apply(
        ClientGet {
            key: "k".into(),
            client: None,
        }
        .into(),
    )
    .unwrap();
    let (state, actions) = (sim.state_hash(), sim.scenario().actions);
    let refused = sim.apply(
        ClientPut {
            key: "k".into(),
            value: "v".into(),
            client: Some(9),
        }
        .into(),
    );
    assert!(refused.is_err());
    assert_eq!(sim.state_hash(), state, "a refused call changed the state");
    assert_eq!(sim.scenario().actions, actions);
}

/// The same after a single step that leaves events of this instant still to run.
#[test]
fn a_refused_call_after_a_step_changes_nothing() {
    let mut sim = Simulation::new(SimConfig {
        seed: 4,
        latency_ms_min: 0.0,
        latency_ms_max: 0.0,
        ..SimConfig::default()
    })
    .unwrap();
    sim.advance_ms(1_000);
    let mut checked = 0;
    for _ in 0..400 {
        sim.step();
        let due_now = sim
            .world()
            .queue
            .peek_time()
            .is_some_and(|t| t <= sim.world().now_us);
        let (state, actions) = (sim.state_hash(), sim.scenario().actions);
        let refused = sim.apply(Crash { node: NodeId(8) }.into());
        assert!(refused.is_err());
        assert_eq!(sim.state_hash(), state);
        assert_eq!(sim.scenario().actions, actions);
        checked += usize::from(due_now);
    }
    assert!(checked > 10, "only {checked} steps left events due now");
}

/// `crash(3); advance(579); restart(3)`, then a link: the replay shows what the live run
/// showed at that instant, node 3's election deadline included.
#[test]
fn a_link_reproduces_the_instant_it_was_made() {
    let mut sim = Simulation::new(SimConfig {
        seed: 5,
        ..SimConfig::default()
    })
    .unwrap();
    sim.apply(Crash { node: NodeId(3) }.into()).unwrap();
    sim.advance(579.0).unwrap();
    sim.apply(Restart { node: NodeId(3) }.into()).unwrap();
    let replay = Simulation::from_link(&sim.to_link()).unwrap();
    assert_eq!(replay.now_ms(), sim.now_ms());
    assert_eq!(
        node(&replay, 3).election_deadline_ms,
        node(&sim, 3).election_deadline_ms
    );
    assert_eq!(replay.state_hash(), sim.state_hash());
    assert_eq!(replay.trace_hash(), sim.trace_hash());
}

/// Any instant a live run reaches by advancing and acting, a 0 ms network included (where an
/// action's messages arrive at the instant it is taken), a link brings back exactly.
#[test]
fn links_made_at_random_instants_reproduce_them() {
    use rand::{Rng, SeedableRng};
    for seed in 0..4u64 {
        let zero = seed % 2 == 0;
        let mut sim = Simulation::new(SimConfig {
            seed,
            clients: 2,
            latency_ms_min: if zero { 0.0 } else { 2.0 },
            latency_ms_max: if zero { 0.0 } else { 9.0 },
            ..SimConfig::default()
        })
        .unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        for round in 0..40 {
            sim.advance_ms(rng.random_range(0..150));
            let tag = ACTION_TYPES[rng.random_range(0..ACTION_TYPES.len())];
            let action = Action::generate(tag, sim.world(), &mut rng).unwrap();
            let _ = sim.apply(action);
            if round % 8 == 7 {
                let replay = Simulation::from_link(&sim.to_link()).unwrap();
                assert_eq!(
                    replay.state_hash(),
                    sim.state_hash(),
                    "seed {seed} round {round}"
                );
            }
        }
    }
}

/// A crash throws away the writes the disk had queued; the restarted node's first write does
/// not wait behind them.
#[test]
fn a_crash_empties_the_nodes_disk_queue() {
    let mut sim = Simulation::new(SimConfig {
        seed: 6,
        nodes: 3,
        pre_vote: false,
        disk_latency_ms: 300.0,
        clients: 1,
        client_write_every_ms: 2,
        ..SimConfig::default()
    })
    .unwrap();
    // Find a moment when a follower's disk is busy for most of a write still.
    let mut busy = None;
    for _ in 0..500 {
        sim.advance_ms(10);
        let now_us = sim.world().now_us;
        let leader = sim.current_leader();
        busy = sim
            .world()
            .nodes
            .values()
            .find(|n| Some(n.id) != leader && n.disk_free_us > now_us + 250_000);
        if busy.is_some() {
            break;
        }
    }
    let f = busy.expect("a follower's disk gets busy").id;
    let others: Vec<NodeId> = sim
        .world()
        .node_ids()
        .into_iter()
        .filter(|&n| n != f)
        .collect();
    sim.apply(Partition::of_nodes(vec![vec![f], others]).into())
        .unwrap();
    sim.apply(Crash { node: f }.into()).unwrap();
    sim.apply(Restart { node: f }.into()).unwrap();
    sim.apply(Timeout { node: f }.into()).unwrap();
    // Its vote is its only write, and the disk takes 300 ms for it.
    let writes: Vec<u64> = sim.world().nodes[&f]
        .pending_writes
        .iter()
        .map(|w| w.done_us)
        .collect();
    assert_eq!(
        writes,
        vec![sim.world().now_us + 300_000],
        "the restarted node's write waits behind the writes its crash threw away"
    );
    assert!(node(&sim, f.0).disk_busy);
}
