//! An adversary that steers a cluster into the shape of the Raft paper's Figure 8 (§5.4.2),
//! instead of waiting for random faults to stumble on it.
//!
//! The shape, with a majority m of n servers:
//! 1. Leader L1 of term T is cut off with m - 2 followers (group A, a minority); the clients
//!    still reach it, so it appends entries of term T that only A holds.
//! 2. The majority B elects L2 (term T2 > T); the moment it wins, L2 is cut off alone, so the
//!    entries it appends in term T2 stay in its log only.
//! 3. A and B without L2 elect L3 from A (its log, ending in term T, is the most up to date);
//!    L3 appends in its own term T3 and brings B's logs up to date.
//! 4. The moment L3 advances its commit index, the servers holding an entry of term T3 are cut
//!    off from the rest and L2 rejoins the rest. Raft commits only entries of the leader's term
//!    by counting (§5.4.2), so by then a majority holds term T3 and L2 cannot win: nothing
//!    happens. With `commit-old-term`, L3 may commit the term-T entries while only a minority
//!    holds term T3; L2 then wins the rest, overwrites those entries with its own of term T2, and
//!    the servers apply different entries at one index: a `stateMachineSafety` violation.
//!
//! Step 4 needs followers to acknowledge the term-T entries before the term-T3 ones, which
//! appends of one entry each (`maxEntriesPerAppend: 1`) make likely; the fuzzer picks that for
//! the seeds it steers. The adversary reacts within a millisecond, and steered seeds keep the
//! minimum latency above that, so an entry in flight is still dropped by the cut.

use raft_core::{NodeId, Role, Term};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::action::{Action, Partition};
use crate::sim::Simulation;
use crate::trace::TraceEvent;

/// The longest each step waits for what it needs before the steering gives up.
const STEP_WAIT_MS_MAX: f64 = 3_000.0;
/// How long L1 collects entries of its own in step 1.
const MINORITY_APPENDS_MS: f64 = 120.0;
/// How long the last partition stands before the liveness phase.
const AFTER_STEER_MS: f64 = 1_500.0;

/// How far the steering got (for tests and statistics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    NoLeader,
    MinorityAppended,
    IsolatedNewLeader,
    OldLeaderReturned,
    SplitAtCommit,
}

fn leader_term(sim: &Simulation, id: NodeId) -> Option<Term> {
    let n = sim.world().nodes.get(&id)?;
    let s = n.raft.as_ref()?.status();
    (n.is_up() && s.role == Role::Leader).then_some(s.term)
}

fn last_term(sim: &Simulation, id: NodeId) -> Term {
    sim.world().nodes[&id]
        .raft
        .as_ref()
        .map(|r| r.status().last_term)
        .unwrap_or_default()
}

/// Advance in 1 ms steps until `found` says yes or `wait_ms` passes; returns what it found.
fn wait_for<T>(
    sim: &mut Simulation,
    events: &mut u64,
    wait_ms: f64,
    mut found: impl FnMut(&Simulation, &[TraceEvent]) -> Option<T>,
) -> Option<T> {
    let until = sim.now_ms() + wait_ms;
    while sim.now_ms() < until {
        let trace = sim.advance(1.0).unwrap_or_default();
        *events += trace.len() as u64;
        if let Some(t) = found(sim, &trace) {
            return Some(t);
        }
    }
    None
}

fn partition(sim: &mut Simulation, groups: Vec<Vec<NodeId>>) {
    // Refused only for unknown nodes, and every id here comes from the world.
    let _ = sim.apply(Action::Partition(Partition::of_nodes(groups)));
}

/// Steer toward Figure 8; returns how far it got. Leaves the last partition standing for a
/// while; the caller's liveness phase heals.
pub fn steer(sim: &mut Simulation, rng: &mut ChaCha8Rng, events: &mut u64) -> Reached {
    let ids = sim.world().node_ids();
    let n = ids.len();
    let majority = n / 2 + 1;
    // Step 0: a leader everyone follows.
    let Some(l1) = wait_for(sim, events, STEP_WAIT_MS_MAX, |s, _| s.current_leader()) else {
        return Reached::NoLeader;
    };
    let t1 = leader_term(sim, l1).unwrap_or_default();
    let mut others: Vec<NodeId> = ids.iter().copied().filter(|&i| i != l1).collect();
    for i in (1..others.len()).rev() {
        let j = rng.random_range(0..=i);
        others.swap(i, j);
    }
    let mut a = vec![l1];
    a.extend(others.drain(..majority.saturating_sub(2)));
    let b = others;
    // Step 1: L1 and its minority append entries of term T1 that the majority never sees.
    partition(sim, vec![a.clone(), b.clone()]);
    let trace = sim.advance(MINORITY_APPENDS_MS).unwrap_or_default();
    *events += trace.len() as u64;
    if last_term(sim, l1) != t1 {
        return Reached::NoLeader;
    }
    // Step 2: the majority elects L2; the moment it wins, it is cut off alone.
    let won = |s: &Simulation, trace: &[TraceEvent]| {
        trace.iter().find_map(|e| match e {
            TraceEvent::RoleChanged {
                node,
                to: Role::Leader,
                term,
                ..
            } if b.contains(node) && leader_term(s, *node) == Some(*term) => Some((*node, *term)),
            _ => None,
        })
    };
    let Some((l2, t2)) = wait_for(sim, events, STEP_WAIT_MS_MAX, won) else {
        return Reached::MinorityAppended;
    };
    let rest: Vec<NodeId> = ids.iter().copied().filter(|&i| i != l2).collect();
    partition(sim, vec![rest.clone(), vec![l2]]);
    // Step 3: a server of A wins the rest (its log ends in term T1, the others' earlier).
    let won = |s: &Simulation, trace: &[TraceEvent]| {
        trace.iter().find_map(|e| match e {
            TraceEvent::RoleChanged {
                node,
                to: Role::Leader,
                term,
                ..
            } if *term > t2 && leader_term(s, *node) == Some(*term) => Some((*node, *term)),
            _ => None,
        })
    };
    let Some((l3, t3)) = wait_for(sim, events, STEP_WAIT_MS_MAX, won) else {
        return Reached::IsolatedNewLeader;
    };
    if !a.contains(&l3) {
        return Reached::IsolatedNewLeader;
    }
    // Step 4: at L3's first commit, the holders of term T3 are cut off; L2 joins the rest.
    let committed = |_: &Simulation, trace: &[TraceEvent]| {
        trace
            .iter()
            .any(|e| matches!(e, TraceEvent::CommitAdvanced { node, .. } if *node == l3))
            .then_some(())
    };
    if wait_for(sim, events, STEP_WAIT_MS_MAX, committed).is_none() {
        return Reached::OldLeaderReturned;
    }
    let (g1, g2): (Vec<NodeId>, Vec<NodeId>) = ids
        .iter()
        .copied()
        .partition(|&i| i != l2 && last_term(sim, i) >= t3);
    partition(sim, vec![g1, g2]);
    let trace = sim.advance(AFTER_STEER_MS).unwrap_or_default();
    *events += trace.len() as u64;
    Reached::SplitAtCommit
}
