//! The fuzzer: one seed picks a cluster, a fault schedule and a client load; an adversary
//! applies faults through the same `apply` the page uses (so every run is a scenario that
//! replays exactly). Then the liveness phase heals only a random majority, the core, and leaves
//! the rest as the faults left them (TigerBeetle's VOPR does the same): the core must elect a
//! leader and finish every client operation within the bound.
//!
//! The adversary is partly reactive: it watches the trace and, for example, crashes a node right
//! after it granted a vote or acknowledged an append. Reacting to the trace is still
//! deterministic, because the trace is. Some seeds are steered instead into the shape of the
//! paper's Figure 8 (`figure8`).

mod figure8;
pub use figure8::Reached as Figure8Reached;

use raft_core::NodeId;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::action::*;
use crate::checker::Violation;
use crate::config::{ReadMode, SimConfig};
use crate::network::Endpoint;
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

/// Whether a seed is steered toward Figure 8 rather than fuzzed at random: for clusters of 5 or
/// more (Figure 8 needs two disjoint minorities plus one), most seeds when hunting
/// `commit-old-term`, a fifth otherwise (so correct Raft meets the shape too).
pub fn steers_figure8(seed: u64, opts: &FuzzOptions, nodes: u64) -> bool {
    let mut rng = subsystem_rng(seed, "fuzz-plan", 0);
    let pct = if opts.bug.as_deref() == Some("commit-old-term") {
        80
    } else {
        20
    };
    nodes >= 5 && rng.random_range(0..100) < pct
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
    /// How far the Figure 8 steering got, for steered seeds.
    pub figure8: Option<Figure8Reached>,
    /// The servers the liveness phase healed.
    pub core: Vec<NodeId>,
}

impl FuzzOutcome {
    /// Every property violated, once each, in the order first seen.
    pub fn properties(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in &self.violations {
            if !out.contains(&v.property) {
                out.push(v.property.clone());
            }
        }
        out
    }
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
        leader_stickiness: true,
        fast_backtrack: rng.random_bool(0.7),
        read_mode: opts.read_mode,
        clients: rng.random_range(2..=4),
        client_write_every_ms: rng.random_range(10..=40),
        client_retry_timeout_ms: 0,
        snapshot_threshold: pick(&mut rng, &[0, 0, 20, 64]),
        max_entries_per_append: pick(&mut rng, &[1, 8, 64]),
        max_inflight_appends: pick(&mut rng, &[1, 4]),
        bugs: bug.clone().into_iter().collect(),
        delivery: crate::config::Delivery::Auto,
    };
    // Drawn after the older fields, so a seed keeps the cluster it had before this field.
    cfg.leader_stickiness = rng.random_bool(0.75);
    if steers_figure8(seed, opts, cfg.nodes) {
        // One entry per append, so followers acknowledge old entries before new ones; latency
        // above the adversary's 1 ms reaction time (see `figure8`).
        cfg.max_entries_per_append = 1;
        cfg.latency_ms_min = cfg.latency_ms_min.max(3.0);
        cfg.latency_ms_max = cfg.latency_ms_max.max(cfg.latency_ms_min);
    }
    if cfg.read_mode == ReadMode::Lease {
        // Lease reads are only offered with CheckQuorum and leader stickiness.
        cfg.check_quorum = true;
        cfg.leader_stickiness = true;
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
    // The adversary reacts to votes, commits and role changes; to messages only for this bug.
    sim.set_trace_messages(bug == "ack-before-persist");
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
    let figure8 = steers_figure8(seed, opts, sim.config().nodes)
        .then(|| figure8::steer(&mut sim, &mut rng, &mut events));
    while figure8.is_none() && sim.now_ms() < end {
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
    let core = heal_core(&mut sim, &mut rng, &decommissioned);
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
        figure8,
        core,
    }
}

/// The server whose log is the most up to date (§5.4.1's comparison: last term, then last
/// index), read from memory or, for a crashed server, from its disk.
fn most_up_to_date(sim: &Simulation, among: &[NodeId]) -> Option<NodeId> {
    among.iter().copied().max_by_key(|id| {
        let n = &sim.world().nodes[id];
        let last = match n.raft.as_ref() {
            Some(r) => {
                let s = r.status();
                (s.last_term, s.last_index)
            }
            None => {
                let d = &n.storage;
                let term = d
                    .entries
                    .last()
                    .map(|e| e.term)
                    .or(d.snapshot.as_ref().map(|s| s.term))
                    .unwrap_or_default();
                (term, d.last_index())
            }
        };
        (last, std::cmp::Reverse(*id))
    })
}

/// The liveness phase's start (TigerBeetle's VOPR): heal a random majority, the core, and leave
/// every other server as the faults left it (crashed, paused, cut off, lossy, skewed). Healed
/// means running, with a true clock, and links up with the configured latency and no loss.
/// Clients get all their links back (see below).
///
/// The core is the server X with the most up-to-date log plus random servers until it holds a
/// majority of each half of X's configuration (and of its voters with its learners, who may be
/// promoted): X can then win an election in the core, and
/// whatever configuration the core ends in, it holds a majority of it. Decommissioned servers
/// stay down.
///
/// What the others may still do depends on the configuration. With CheckQuorum a leader outside
/// the core that cannot hear a quorum steps down, and servers that hear a leader ignore vote
/// requests when leader stickiness is on (dissertation §4.2.3); without CheckQuorum, a leader
/// outside the core whose heartbeats still reach the core keeps it from ever electing, and
/// without stickiness a server that no leader contacts (one outside the configuration that
/// believes it is a voter) deposes every leader. Raft promises no liveness against either, so
/// in those configurations the servers outside the core are cut off completely.
fn heal_core(sim: &mut Simulation, rng: &mut ChaCha8Rng, decommissioned: &[NodeId]) -> Vec<NodeId> {
    let ids = node_ids(sim);
    let candidates: Vec<NodeId> = ids
        .iter()
        .copied()
        .filter(|n| !decommissioned.contains(n))
        .collect();
    let Some(x) = most_up_to_date(sim, &candidates) else {
        return Vec::new();
    };
    if status(sim, x) == NodeStatus::Crashed {
        let _ = sim.apply(Action::Restart(Restart { node: x }));
    }
    let halves: Vec<Vec<NodeId>> = match sim.world().nodes[&x].raft.as_ref() {
        Some(r) => {
            let cs = r.conf_state();
            // A learner may be promoted once it catches up (addServer), so the core must also
            // hold a majority of the voters with the learners counted in.
            let with_learners: Vec<NodeId> =
                cs.voters.iter().chain(&cs.learners).copied().collect();
            [cs.voters.clone(), with_learners, cs.voters_outgoing.clone()]
                .into_iter()
                .filter(|h| !h.is_empty())
                .collect()
        }
        None => vec![candidates.clone()],
    };
    let mut core = vec![x];
    for half in &halves {
        let mut pool: Vec<NodeId> = half
            .iter()
            .copied()
            .filter(|n| candidates.contains(n) && !core.contains(n))
            .collect();
        while half.iter().filter(|n| core.contains(n)).count() <= half.len() / 2 && !pool.is_empty()
        {
            let i = rng.random_range(0..pool.len());
            core.push(pool.swap_remove(i));
        }
    }
    core.sort_unstable();
    let cfg = sim.config().clone();
    let links_as_configured = |from: Endpoint, to: Endpoint, up: bool| {
        Action::SetLink(SetLink {
            from,
            to,
            up: Some(up),
            latency_ms: None,
            latency_ms_min: Some(cfg.latency_ms_min),
            latency_ms_max: Some(cfg.latency_ms_max),
            // Healthy means no loss: with a bare-majority core every vote is needed, and the
            // configured loss alone can keep such an election failing past the bound.
            loss_pct: Some(0.0),
            dup_pct: Some(cfg.dup_pct),
        })
    };
    let clients: Vec<Endpoint> = sim
        .world()
        .clients
        .keys()
        .map(|&c| Endpoint::Client(c))
        .collect();
    for &a in &core {
        for &b in &core {
            if a != b {
                let _ = sim.apply(links_as_configured(a.into(), b.into(), true));
            }
        }

        match status(sim, a) {
            NodeStatus::Crashed => {
                let _ = sim.apply(Action::Restart(Restart { node: a }));
            }
            NodeStatus::Paused => {
                let _ = sim.apply(Action::Resume(Resume { node: a }));
            }
            NodeStatus::Up => {}
        }
        if sim.world().nodes[&a].clock.rate_ppm() != 0 {
            let _ = sim.apply(Action::ClockSkew(ClockSkew {
                node: a,
                rate_ppm: 0,
            }));
        }
    }
    // Clients get every link back: the leader may rightly be a server outside the core that a
    // majority follows, and clients here do not have followers proxy for them (§6.2 allows
    // either), so a client cut from it would wait forever while the cluster is live.
    for &c in &clients {
        for &n in &ids {
            let _ = sim.apply(links_as_configured(c, n.into(), true));
            let _ = sim.apply(links_as_configured(n.into(), c, true));
        }
    }
    if !cfg.check_quorum || !cfg.leader_stickiness {
        let outside: Vec<NodeId> = ids.iter().copied().filter(|n| !core.contains(n)).collect();
        for &o in &outside {
            for &other in &ids {
                if other != o {
                    let _ = sim.apply(links_as_configured(o.into(), other.into(), false));
                    let _ = sim.apply(links_as_configured(other.into(), o.into(), false));
                }
            }
        }
    }
    core
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
            let mut p = Partition::of_nodes(vec![a.to_vec(), b.to_vec()]);
            // Half the time the clients are cut too, each with one side: a client left with
            // an old leader in the minority is what the partition questions are about.
            if rng.random_bool(0.5) {
                for &c in sim.world().clients.keys() {
                    let side = rng.random_range(0..p.groups.len());
                    p.groups[side].push(Endpoint::Client(c));
                }
            }
            Action::Partition(p)
        }
        36..46 => {
            let to = pick(rng, &ids);
            if to == any {
                return;
            }
            Action::SetLink(SetLink {
                from: any.into(),
                to: to.into(),
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
                from: any.into(),
                to: to.into(),
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
