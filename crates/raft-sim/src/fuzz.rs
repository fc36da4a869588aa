//! The fuzzer: one seed picks a cluster, a fault schedule and a client load; an adversary
//! applies faults through the same `apply` the page uses (so every run is a scenario that
//! replays exactly), then everything heals and the liveness phase must converge.
//!
//! The adversary is partly reactive: it watches the trace and, for example, crashes a node right
//! after it granted a vote or acknowledged an append. Reacting to the trace is still
//! deterministic, because the trace is.

use raft_core::NodeId;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::action::*;
use crate::checker::Violation;
use crate::config::{ReadMode, SimConfig};
use crate::node::NodeStatus;
use crate::rng::subsystem_rng;
use crate::scenario::Scenario;
use crate::sim::Simulation;
use crate::trace::TraceEvent;

/// Fuzz options.
#[derive(Clone, Debug)]
pub struct FuzzOptions {
    pub nodes: Vec<u64>,
    /// Length of the fault phase.
    pub duration_ms: u64,
    /// How long after healing a leader must exist and old ops complete.
    pub liveness_bound_ms: u64,
    pub bug: Option<String>,
    /// How clients read (`readIndex` unless asked; `staleFollower` shows the anomaly).
    pub read_mode: ReadMode,
}

impl Default for FuzzOptions {
    fn default() -> Self {
        FuzzOptions {
            nodes: vec![3, 5],
            duration_ms: 4_000,
            liveness_bound_ms: 8_000,
            bug: None,
            read_mode: ReadMode::ReadIndex,
        }
    }
}

/// Options for hunting one bug quickly: small clusters and short runs, where the moments a bug
/// needs (a vote just before a crash, an overwrite after a partition) come often.
pub fn bug_hunt_options(bug: &str) -> FuzzOptions {
    let nodes = match bug {
        "commit-old-term" => vec![5],
        _ => vec![3, 5],
    };
    FuzzOptions {
        nodes,
        duration_ms: 3_000,
        liveness_bound_ms: 6_000,
        bug: Some(bug.to_string()),
        read_mode: ReadMode::ReadIndex,
    }
}

/// The result of one seed.
#[derive(Clone, Debug)]
pub struct FuzzOutcome {
    pub seed: u64,
    pub events: u64,
    pub violations: Vec<Violation>,
    pub scenario: Scenario,
    pub trace_hash: u64,
    /// Keys whose linearizability search grew too large and was abandoned (not checked further).
    pub lin_keys_given_up: usize,
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

/// The config a seed picks.
pub fn fuzz_config(seed: u64, opts: &FuzzOptions) -> SimConfig {
    let mut rng = subsystem_rng(seed, "fuzz-config", 0);
    let lat_min = rng.random_range(1..=8) as f64;
    let lat_max = lat_min + rng.random_range(0..=25) as f64;
    let bug = opts.bug.clone();
    let disk = if bug.as_deref() == Some("ack-before-persist") {
        rng.random_range(3..=10) as f64
    } else if rng.random_bool(0.5) {
        0.0
    } else {
        rng.random_range(1..=5) as f64
    };
    let mut cfg = SimConfig {
        nodes: pick(&mut rng, &opts.nodes),
        seed,
        heartbeat_ms: 50,
        election_timeout_ms_min: 150,
        election_timeout_ms_max: 300,
        latency_ms_min: lat_min,
        latency_ms_max: lat_max,
        loss_pct: pick(&mut rng, &[0.0, 0.0, 1.0, 5.0]),
        dup_pct: pick(&mut rng, &[0.0, 0.0, 1.0, 5.0]),
        disk_latency_ms: disk,
        pre_vote: rng.random_bool(0.5),
        check_quorum: rng.random_bool(0.7),
        fast_backtrack: rng.random_bool(0.7),
        read_mode: opts.read_mode,
        clients: rng.random_range(2..=4),
        client_write_every_ms: rng.random_range(10..=40),
        snapshot_threshold: pick(&mut rng, &[0, 0, 20, 64]),
        max_entries_per_append: pick(&mut rng, &[1, 8, 64]),
        max_inflight_appends: pick(&mut rng, &[1, 4]),
        bugs: bug.clone().into_iter().collect(),
    };
    if cfg.read_mode == ReadMode::Lease {
        cfg.check_quorum = true; // lease reads are only offered with CheckQuorum
    }
    // Some bugs need a particular moment; make it common (the values stay random).
    match bug.as_deref() {
        Some("forget-vote-on-restart") => {
            // Split votes: no PreVote, a narrow timeout range, so candidates of one term meet
            // a voter that crashed and came back.
            cfg.pre_vote = false;
            cfg.election_timeout_ms_max = cfg.election_timeout_ms_min + rng.random_range(5..=30);
            cfg.latency_ms_max = cfg.latency_ms_min + rng.random_range(10..=40) as f64;
        }
        Some("stale-read") => {
            // A deposed leader keeps serving while it believes it leads; without CheckQuorum
            // that lasts until it hears of the new term.
            cfg.check_quorum = rng.random_bool(0.2);
            cfg.clients = rng.random_range(3..=5);
        }
        _ => {}
    }
    cfg
}

fn node_ids(sim: &Simulation) -> Vec<NodeId> {
    sim.world().node_ids()
}

fn status(sim: &Simulation, id: NodeId) -> NodeStatus {
    sim.world().nodes[&id].status
}

/// Run one seed.
pub fn fuzz_one(seed: u64, opts: &FuzzOptions) -> FuzzOutcome {
    let cfg = fuzz_config(seed, opts);
    let mut sim = Simulation::new(cfg).expect("fuzz configs are valid");
    let mut rng = subsystem_rng(seed, "fuzz-schedule", 0);
    let bug = opts.bug.clone().unwrap_or_default();
    // How aggressive the reactive adversary is; bugs that need a precise moment get more.
    let react_pct: u32 = match bug.as_str() {
        "forget-vote-on-restart" | "ack-before-persist" => 60,
        "" => 10,
        _ => 15,
    };
    let mut events: u64 = 0;
    let end = opts.duration_ms as f64;
    let mut restart_soon: Vec<(f64, NodeId)> = Vec::new();
    let mut decommissioned: Vec<NodeId> = Vec::new();
    while sim.now_ms() < end {
        // The adversary looks at the trace between steps; bugs that need a precise moment get
        // shorter steps, so it can react within a few milliseconds.
        let dt = if react_pct >= 60 {
            rng.random_range(1..=3)
        } else {
            rng.random_range(5..=120)
        } as f64;
        let trace = sim
            .advance(dt.min(end - sim.now_ms()).max(0.0))
            .unwrap_or_default();
        events += trace.len() as u64;
        restart_due(&mut sim, &mut restart_soon, &decommissioned);
        react(
            &mut sim,
            &mut rng,
            &trace,
            react_pct,
            &mut restart_soon,
            &bug,
        );
        restart_due(&mut sim, &mut restart_soon, &decommissioned);
        let fault_pct = if react_pct >= 60 { 4 } else { 35 };
        if rng.random_range(0..100) < fault_pct {
            let recorded = sim.recorded_scenario().actions.len();
            random_fault(&mut sim, &mut rng, &mut restart_soon, &decommissioned);
            // An operator shuts a removed server down; left running, a server that never
            // learns of its removal keeps campaigning (dissertation §4.2.3).
            let applied = sim
                .recorded_scenario()
                .actions
                .get(recorded)
                .map(|a| a.action.clone());
            let dropped: Vec<NodeId> = match applied {
                Some(Action::RemoveServer(RemoveServer { node })) => vec![node],
                // The leader switched to C_old,new on appending it (§6), so C_old is its
                // outgoing half: whoever is in it and not in C_new is being dropped.
                Some(Action::ChangeMembership(ChangeMembership { voters, learners })) => {
                    leader_view(&sim)
                        .and_then(|n| n.joint_voters)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|n| !voters.contains(n) && !learners.contains(n))
                        .collect()
                }
                _ => Vec::new(),
            };
            for node in dropped {
                let _ = sim.apply(Action::Crash(Crash { node }));
                restart_soon.retain(|(_, n)| *n != node);
                decommissioned.push(node);
            }
        }
    }
    // Liveness phase: heal everything and give the cluster a bound to converge.
    let _ = sim.apply(Action::Heal(Heal {}));
    for id in node_ids(&sim) {
        match status(&sim, id) {
            // A decommissioned server stays down: whether or not its removal committed, the
            // operator shut it down for good (restarting a removed server that never learned of
            // its removal lets it disrupt the cluster, dissertation §4.2.3).
            NodeStatus::Crashed if !decommissioned.contains(&id) => {
                let _ = sim.apply(Action::Restart(Restart { node: id }));
            }
            NodeStatus::Crashed => {}
            NodeStatus::Paused => {
                let _ = sim.apply(Action::Resume(Resume { node: id }));
            }
            NodeStatus::Up => {}
        }
        if sim.world().nodes[&id].clock.rate_ppm() != 0 {
            let _ = sim.apply(Action::ClockSkew(ClockSkew {
                node: id,
                rate_ppm: 0,
            }));
        }
    }
    let from = sim.now_ms();
    let bound = opts.liveness_bound_ms as f64;
    sim.set_liveness(from, bound)
        .expect("deadline is in the future");
    let trace = sim.advance(bound + 1.0).unwrap_or_default();
    events += trace.len() as u64;
    let report = sim.check();
    FuzzOutcome {
        seed,
        events: sim.events_total().max(events),
        violations: report.violations,
        scenario: sim.scenario(),
        trace_hash: sim.trace_hash(),
        lin_keys_given_up: sim.world().lin.keys_given_up().len(),
    }
}

/// Restart the nodes whose promised restart time has come.
fn restart_due(
    sim: &mut Simulation,
    restart_soon: &mut Vec<(f64, NodeId)>,
    decommissioned: &[NodeId],
) {
    restart_soon.retain(|(_, n)| !decommissioned.contains(n));
    let now = sim.now_ms();
    let due: Vec<NodeId> = restart_soon
        .iter()
        .filter(|(t, _)| *t <= now)
        .map(|(_, n)| *n)
        .collect();
    restart_soon.retain(|(t, _)| *t > now);
    for n in due {
        let _ = sim.apply(Action::Restart(Restart { node: n }));
    }
}

/// React to what just happened (crash a voter right after its vote, a follower right after its
/// ack, a leader right after it committed).
fn react(
    sim: &mut Simulation,
    rng: &mut ChaCha8Rng,
    trace: &[TraceEvent],
    pct: u32,
    restart_soon: &mut Vec<(f64, NodeId)>,
    bug: &str,
) {
    let mut targets: Vec<NodeId> = Vec::new();
    for ev in trace {
        match ev {
            TraceEvent::VoteGranted {
                node,
                pre_vote: false,
                ..
            } => targets.push(*node),
            TraceEvent::MsgSent { from, msg_type, .. }
                if msg_type == "appendResp" && bug == "ack-before-persist" =>
            {
                targets.push(*from)
            }
            TraceEvent::CommitAdvanced { node, .. }
                if bug == "commit-old-term" || bug == "ack-before-persist" =>
            {
                targets.push(*node)
            }
            _ => {}
        }
    }
    targets.dedup();
    if bug == "forget-vote-on-restart" {
        competing_candidates(sim, rng, trace, pct);
    }
    // A forgotten vote matters only while the election that asked for it is still going.
    let restart_ms_max = if bug == "forget-vote-on-restart" {
        2
    } else {
        60
    };
    for n in targets.into_iter().take(2) {
        if rng.random_range(0..100) >= pct || status(sim, n) != NodeStatus::Up {
            continue;
        }
        if crashed_count(sim) * 2 + 2 > node_ids(sim).len() {
            continue; // keep a majority able to make progress most of the time
        }
        if sim.apply(Action::Crash(Crash { node: n })).is_ok() {
            let back = sim.now_ms() + rng.random_range(0..=restart_ms_max) as f64;
            restart_soon.push((back, n));
        }
    }
}

/// A nemesis for double votes: right after a node grants its vote in term T, it crashes and
/// comes back at once, and a node that has not yet heard of term T is told to campaign, so a
/// second candidate of term T asks the restarted voter.
fn competing_candidates(
    sim: &mut Simulation,
    rng: &mut ChaCha8Rng,
    trace: &[TraceEvent],
    pct: u32,
) {
    let grants: Vec<(NodeId, NodeId, u64)> = trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::VoteGranted {
                node,
                to,
                term,
                pre_vote: false,
                ..
            } => Some((*node, *to, term.0)),
            _ => None,
        })
        .collect();
    let Some(&(voter, candidate, term)) = grants.last() else {
        return;
    };
    if rng.random_range(0..100) >= pct || status(sim, voter) != NodeStatus::Up {
        return;
    }
    if sim.apply(Action::Crash(Crash { node: voter })).is_err()
        || sim.apply(Action::Restart(Restart { node: voter })).is_err()
    {
        return;
    }
    let st = sim.state();
    let behind: Vec<NodeId> = st
        .nodes
        .iter()
        .filter(|n| {
            n.id != voter && n.id != candidate && n.term.0 + 1 == term && n.status == NodeStatus::Up
        })
        .map(|n| n.id)
        .collect();
    if let Some(&b) = behind.first() {
        let _ = sim.apply(Action::Timeout(Timeout { node: b }));
    }
}

fn crashed_count(sim: &Simulation) -> usize {
    node_ids(sim)
        .into_iter()
        .filter(|&n| status(sim, n) == NodeStatus::Crashed)
        .count()
}

/// The voters of the configuration the current leader is in (empty without a leader).
fn leader_voters(sim: &Simulation) -> Vec<NodeId> {
    leader_view(sim).map(|n| n.voters).unwrap_or_default()
}

/// The current leader as `state()` shows it.
fn leader_view(sim: &Simulation) -> Option<crate::state::NodeState> {
    let leader = sim.current_leader()?;
    sim.state().nodes.into_iter().find(|n| n.id == leader)
}

fn random_fault(
    sim: &mut Simulation,
    rng: &mut ChaCha8Rng,
    restart_soon: &mut Vec<(f64, NodeId)>,
    decommissioned: &[NodeId],
) {
    let ids = node_ids(sim);
    let any = pick(rng, &ids);
    let leader = sim.current_leader();
    let action = match rng.random_range(0..100u32) {
        0..12 => {
            let target = if rng.random_bool(0.6) {
                leader.unwrap_or(any)
            } else {
                any
            };
            if crashed_count(sim) * 2 + 2 <= ids.len() || rng.random_bool(0.2) {
                let back = sim.now_ms() + rng.random_range(20..=1500) as f64;
                restart_soon.push((back, target));
                Action::Crash(Crash { node: target })
            } else {
                return;
            }
        }
        12..22 => match ids
            .iter()
            .find(|&&n| status(sim, n) == NodeStatus::Crashed && !decommissioned.contains(&n))
        {
            Some(&n) => Action::Restart(Restart { node: n }),
            None => return,
        },
        22..36 => {
            // A random two-way split, often isolating the leader in the minority.
            let mut shuffled = ids.clone();
            for i in (1..shuffled.len()).rev() {
                let j = rng.random_range(0..=i);
                shuffled.swap(i, j);
            }
            if let (Some(l), true) = (leader, rng.random_bool(0.5)) {
                shuffled.retain(|&n| n != l);
                shuffled.insert(0, l);
            }
            let cut = rng.random_range(1..shuffled.len().max(2));
            let (a, b) = shuffled.split_at(cut.min(shuffled.len()));
            Action::Partition(Partition {
                groups: vec![a.to_vec(), b.to_vec()],
            })
        }
        36..46 => {
            let to = pick(rng, &ids);
            if to == any {
                return;
            }
            Action::SetLink(SetLink {
                from: any,
                to,
                up: Some(false),
                latency_ms: None,
                latency_ms_min: None,
                latency_ms_max: None,
                loss_pct: None,
                dup_pct: None,
            })
        }
        46..52 => {
            let to = pick(rng, &ids);
            if to == any {
                return;
            }
            Action::SetLink(SetLink {
                from: any,
                to,
                up: Some(true),
                latency_ms: None,
                latency_ms_min: Some(rng.random_range(0..=5) as f64),
                latency_ms_max: Some(rng.random_range(20..=120) as f64),
                loss_pct: Some(pick(rng, &[0.0, 10.0, 30.0])),
                dup_pct: Some(pick(rng, &[0.0, 10.0, 30.0])),
            })
        }
        52..64 => Action::Heal(Heal {}),
        64..71 => match status(sim, any) {
            NodeStatus::Up => Action::Pause(Pause { node: any }),
            NodeStatus::Paused => Action::Resume(Resume { node: any }),
            NodeStatus::Crashed => return,
        },
        71..76 => {
            // Lease reads are safe only while clocks drift less than the lease's margin; in
            // lease mode the adversary also tries drifts far past it, to show the anomaly.
            let rate_ppm = if sim.config().read_mode == ReadMode::Lease && rng.random_bool(0.5) {
                pick(rng, &[-450_000, -300_000, 300_000])
            } else {
                pick(rng, &[-50_000, -10_000, 0, 10_000, 50_000])
            };
            Action::ClockSkew(ClockSkew {
                node: any,
                rate_ppm,
            })
        }
        76..84 => Action::Timeout(Timeout { node: any }),
        84..88 => Action::TransferLeader(TransferLeader { to: any }),
        88..92 => Action::Compact(Compact { node: any }),
        92..95 => {
            // Membership: add a fresh server, or remove a voter other than the leader.
            let next = ids.iter().map(|n| n.0).max().unwrap_or(0) + 1;
            let voters = leader_voters(sim);
            let roll = rng.random_range(0..3u32);
            if next <= crate::config::NODES_MAX && roll == 0 {
                Action::AddServer(AddServer { node: NodeId(next) })
            } else if next <= crate::config::NODES_MAX && roll == 1 && !voters.is_empty() {
                // Joint consensus (§6): C_new is C_old plus a fresh server and, once per run,
                // minus a follower, in one change through C_old,new. The dropped server counts
                // as decommissioned like a single-server removal.
                let mut new_voters = voters.clone();
                new_voters.push(NodeId(next));
                if voters.len() >= 3 && decommissioned.is_empty() && rng.random_bool(0.5) {
                    let v = pick(rng, &voters);
                    if Some(v) != leader {
                        new_voters.retain(|&n| n != v);
                    }
                }
                Action::ChangeMembership(ChangeMembership {
                    voters: new_voters,
                    learners: Vec::new(),
                })
            } else if voters.len() > 3 && decommissioned.is_empty() {
                // One removal per run: its server is shut down even if the removal never
                // commits, and a configuration of 3 or more voters survives one server down.
                let v = pick(rng, &voters);
                if Some(v) == leader {
                    return;
                }
                Action::RemoveServer(RemoveServer { node: v })
            } else {
                return;
            }
        }
        _ => {
            // Resume everything paused.
            match ids.iter().find(|&&n| status(sim, n) == NodeStatus::Paused) {
                Some(&n) => Action::Resume(Resume { node: n }),
                None => return,
            }
        }
    };
    // Refusals (no leader, node not running, ...) are part of the game: nothing changes.
    let _ = sim.apply(action);
}
