//! `Simulation`: the public API (docs/DESIGN.md). It owns the world, the scenario being
//! recorded, and checkpoints for seeking.
//!
//! Timeline rules, which make live runs and replays identical:
//! - an action recorded at time t runs after every event due at or before t;
//! - `apply` first runs every event due at or before now, then applies and records the action,
//!   then runs the events it caused at this instant;
//! - applying an action after seeking back forks the timeline: later recorded actions and
//!   checkpoints are dropped.

use raft_core::NodeId;

use crate::checker::CheckReport;
use crate::config::SimConfig;
use crate::error::SimError;
use crate::network::ms_to_us;
use crate::scenario::LivenessCheck;
use crate::scenario::{Action, Scenario, TimedAction};
use crate::state::ClusterState;
use crate::trace::{us_to_ms, TraceEvent};
use crate::world::World;

/// Simulated time between checkpoints (a seek replays at most this much). A busy 9-node
/// cluster replays a simulated second in about 40 ms in wasm, so a seek anywhere stays near
/// a frame.
pub const CHECKPOINT_EVERY_MS: u64 = 500;
/// The bytes all checkpoints together may hold beyond what they share with each other (see
/// `World::checkpoint_bytes`); past it every other checkpoint is dropped and the spacing
/// doubles. Logs, disks and the checkers' per-index maps live in `SharedVec` chunks, so a
/// checkpoint costs about 100-200 KB whatever the log length: a busy 10-minute run keeps one
/// every 0.5 s.
pub const CHECKPOINT_BYTES_BUDGET: u64 = 192 * 1024 * 1024;
/// Checkpoints kept; past this every other one is dropped and the spacing doubles.
pub const CHECKPOINTS_MAX: usize = 4096;
/// Silent queued items one `step` may run before it gives up looking for one that shows.
pub const STEP_ITEMS_MAX: usize = 10_000;
/// The furthest a seek or advance may go in one call (24 simulated hours).
pub const SIM_MS_MAX: f64 = 86_400_000.0;
/// The latest simulated time any run may reach (10^12 ms, about 31 years): far past any replay
/// a call may ask for, and low enough that every time in microseconds, plus any timeout, lease
/// or checkpoint spacing, fits a u64 with room to spare. Scenario times are checked against it.
pub const TIME_MS_MAX: f64 = 1e12;
/// Trace events `advance` returns in one call; past this the oldest are dropped (the hash still
/// covers them). Keeps a huge advance from building a huge array for JS.
pub const TRACE_RETURN_MAX: usize = 200_000;
/// Events' room an idle simulation keeps for the next call's trace (128 bytes each): a
/// second of a busy cluster, so one huge advance does not leave megabytes reserved.
const TRACE_ROOM_KEPT_MAX: usize = 4096;
/// The work one synchronous call (`advance`, `seek`, a replay) may do: queue items processed
/// (events, timers and recorded actions). The config's bounds cap what one simulated second
/// can cost (the worst config, 9 nodes with 1 ms heartbeats, 0 ms latency and 16 clients
/// writing every 1 ms, costs about 0.9 M items per second), so this caps a call's wall time
/// (a second or two in wasm) whatever time it asks for; 40 simulated minutes of the default
/// cluster fit in one call. A call that reaches it stops there with an error naming this
/// limit; the simulation stays usable at the time it reached, and the next call goes on.
pub const EVENTS_PER_CALL_MAX: u64 = 1_000_000;
/// Log entries all nodes' disks may hold together. Every entry costs memory several times over
/// (raft-core's log, the disk, the checkers), about 300 bytes per node; past this, time stops
/// with an error naming the limit (compaction, `snapshotThreshold`, keeps a run under it).
pub const LOG_ENTRIES_MAX: u64 = 1_000_000;
/// Events waiting in the queue (messages in flight, timers, client timers) at once.
pub const QUEUE_EVENTS_MAX: usize = 1_000_000;
/// How often (in queue items) a run checks the memory limits and trims the trace.
const BUDGET_CHECK_EVERY: u64 = 1024;

#[derive(Clone)]
struct Checkpoint {
    at_us: u64,
    world: World,
    next_action: usize,
    /// Roughly how much memory the clone holds on its own (see `World::checkpoint_bytes`).
    weight: u64,
}

/// The work and memory limits of one synchronous call (defaults: the constants above).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallLimits {
    pub events_per_call_max: u64,
    pub log_entries_max: u64,
    pub queue_events_max: usize,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits {
            events_per_call_max: EVENTS_PER_CALL_MAX,
            log_entries_max: LOG_ENTRIES_MAX,
            queue_events_max: QUEUE_EVENTS_MAX,
        }
    }
}

/// A deterministic simulated Raft cluster.
#[derive(Clone)]
pub struct Simulation {
    world: World,
    scenario: Scenario,
    next_action: usize,
    checkpoints: Vec<Checkpoint>,
    checkpoint_every_us: u64,
    checkpoint_budget: u64,
    dropped_trace: u64,
    limits: CallLimits,
    /// The furthest time this run has reached: replaying up to it (a seek) repeats states it
    /// already held, so only going past it is checked against the memory limits.
    furthest_us: u64,
}

impl Simulation {
    /// A new cluster at time 0. Errors name the bad config field.
    pub fn new(config: SimConfig) -> Result<Simulation, SimError> {
        config.validate()?;
        let world = World::new(config.clone())?;
        Ok(Simulation {
            checkpoints: vec![Checkpoint {
                at_us: 0,
                world: world.clone(),
                next_action: 0,
                weight: 0,
            }],
            world,
            scenario: Scenario::new(config),
            next_action: 0,
            checkpoint_every_us: CHECKPOINT_EVERY_MS * 1000,
            checkpoint_budget: CHECKPOINT_BYTES_BUDGET,
            dropped_trace: 0,
            limits: CallLimits::default(),
            furthest_us: 0,
        })
    }

    /// Rebuild a run from a scenario and play it to its `endMs` (or its last action).
    pub fn from_scenario(scenario: Scenario) -> Result<Simulation, SimError> {
        let mut sim = Simulation::load(scenario)?;
        let end_ms = sim.recorded_end_ms();
        sim.world.record = false;
        let result = sim.run_until(ms_to_us(end_ms));
        sim.world.record = true;
        sim.world.trace = Vec::new();
        result?;
        Ok(sim)
    }

    /// A run at time 0 with the scenario's actions recorded, not yet replayed: they happen as
    /// time passes (`advance`, `seek`), so a caller can replay a long scenario in slices.
    pub fn load(scenario: Scenario) -> Result<Simulation, SimError> {
        scenario.validate()?;
        let end_ms = replay_end_ms(&scenario);
        let mut sim = Simulation::new(scenario.config.clone())?;
        sim.scenario.title = scenario.title;
        sim.scenario.liveness = scenario.liveness;
        sim.scenario.actions = scenario.actions;
        sim.scenario.end_ms = Some(end_ms);
        Ok(sim)
    }

    /// Refuse up front a scenario that would replay past [`SIM_MS_MAX`] (the JS API and the
    /// CLI ask this before replaying; the work limit would stop it later anyway).
    pub fn check_replay_length(scenario: &Scenario) -> Result<(), SimError> {
        let end_ms = replay_end_ms(scenario);
        if end_ms > SIM_MS_MAX {
            return Err(SimError::limit(
                "simMsMax",
                "endMs",
                format!(
                    "the scenario runs to {} ms; at most {} ms of simulated time can be replayed \
                     (limits().simMsMax)",
                    crate::error::short_number(end_ms),
                    crate::error::short_number(SIM_MS_MAX)
                ),
            ));
        }
        Ok(())
    }

    /// Where the recorded scenario ends: the `endMs` it was loaded with, or its last recorded
    /// action (an action applied after a seek back forks the timeline and drops the old end).
    pub fn recorded_end_ms(&self) -> f64 {
        replay_end_ms(&self.scenario)
    }

    /// Parse, validate and replay scenario JSON.
    pub fn from_json(text: &str) -> Result<Simulation, SimError> {
        Simulation::from_scenario(Scenario::from_json(text)?)
    }

    /// Rebuild a run from a share link.
    pub fn from_link(link: &str) -> Result<Simulation, SimError> {
        Simulation::from_scenario(Scenario::from_link(link)?)
    }

    pub fn now_ms(&self) -> f64 {
        self.world.now_ms()
    }

    pub fn config(&self) -> &SimConfig {
        &self.world.cfg
    }

    /// Run `ms` of simulated time; return the trace since the last call.
    pub fn advance(&mut self, ms: f64) -> Result<Vec<TraceEvent>, SimError> {
        crate::config::check_ms("ms", ms, SIM_MS_MAX)?;
        if self.now_ms() + ms > TIME_MS_MAX {
            return Err(SimError::new(
                "ms",
                format!(
                    "the run would pass the latest simulated time, {} ms",
                    crate::error::short_number(TIME_MS_MAX)
                ),
            ));
        }
        let target = self.world.now_us + ms_to_us(ms);
        self.run_until(target)?;
        Ok(self.take_trace())
    }

    /// Run `ms` whole milliseconds (the Rust-side convenience; cannot fail).
    pub fn advance_ms(&mut self, ms: u64) -> Vec<TraceEvent> {
        let target =
            (self.world.now_us + ms.min(SIM_MS_MAX as u64) * 1000).min(ms_to_us(TIME_MS_MAX));
        // Recorded actions can only fail if the scenario was edited by hand; stop there.
        let _ = self.run_until(target);
        self.take_trace()
    }

    /// Process the next event that shows (or recorded action); return its trace. Some queued
    /// items record nothing (a client's retry timer whose answer already came, a tick with
    /// nothing due): a step the user asked for must show something, so those run on, up to
    /// `STEP_ITEMS_MAX` of them.
    pub fn step(&mut self) -> Vec<TraceEvent> {
        for _ in 0..STEP_ITEMS_MAX {
            match self.next_item(u64::MAX) {
                Some(item) => {
                    let _ = self.run_item(item);
                }
                None => break,
            }
            if !self.world.trace.is_empty() {
                break;
            }
        }
        self.take_trace()
    }

    /// Check liveness at `from_ms + bound_ms`: a leader exists and every client op invoked
    /// before `from_ms` has completed. Recorded into the scenario.
    pub fn set_liveness(&mut self, from_ms: f64, bound_ms: f64) -> Result<(), SimError> {
        crate::config::check_ms("fromMs", from_ms, SIM_MS_MAX)?;
        crate::config::check_ms("boundMs", bound_ms, SIM_MS_MAX)?;
        if ms_to_us(from_ms + bound_ms) < self.world.now_us {
            return Err(SimError::new(
                "fromMs",
                "the liveness deadline is in the past",
            ));
        }
        self.scenario.liveness = Some(LivenessCheck { from_ms, bound_ms });
        Ok(())
    }

    /// A liveness check that is set but has not run yet: the simulated time it is due at. A
    /// run that ended before it (its window reaches past the end) did not check liveness, and
    /// must not be reported as if it had.
    pub fn liveness_pending_ms(&self) -> Option<f64> {
        match self.scenario.liveness {
            Some(l) if !self.world.liveness_checked => Some(l.from_ms + l.bound_ms),
            _ => None,
        }
    }

    /// Move to `t_ms`, backward (from a checkpoint, replaying) or forward. The trace of the
    /// replayed stretch is not returned.
    pub fn seek(&mut self, t_ms: f64) -> Result<(), SimError> {
        crate::config::check_ms("tMs", t_ms, SIM_MS_MAX)?;
        let target = ms_to_us(t_ms);
        // The latest checkpoint at or before the target; used when going back, or when going
        // forward past a checkpoint taken earlier (a seek back, then forward again).
        let cp = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.at_us <= target)
            .expect("there is always a checkpoint at 0");
        if target < self.world.now_us || cp.at_us > self.world.now_us {
            let cp = cp.clone();
            self.world = cp.world;
            self.next_action = cp.next_action;
        }
        self.world.record = false;
        let r = self.run_until(target);
        self.world.record = true;
        // A fresh vector: `clear` would keep the capacity of whatever a long advance gathered.
        self.world.trace = Vec::new();
        r
    }

    /// Apply an action now and record it into the scenario. Err leaves everything unchanged:
    /// the state, the trace and the recorded actions.
    ///
    /// As in a replay, the events due now run first (a `step` may have left some); a refusal
    /// after them puts back the world from before them. Then the events the action caused at
    /// this instant run too (with a 0 ms network its messages arrive at once), so that the state
    /// now is the state a replay of `to_link()` reaches.
    pub fn apply(&mut self, action: Action) -> Result<(), SimError> {
        action.validate()?;
        let now = self.world.now_us;
        let due_now = self.world.queue.peek_time().is_some_and(|t| t <= now);
        let before = due_now.then(|| {
            let world = self.world.clone();
            (world, self.next_action, self.checkpoints.len())
        });
        // The copy holds no trace (the caller's): the events gathered before this call are
        // set aside, so that a refusal puts back exactly them.
        let earlier = std::mem::take(&mut self.world.trace);
        let applied = self
            .run_until_with(now, false)
            .and_then(|()| self.world.apply_action(&action));
        if let Err(e) = applied {
            if let Some((world, next_action, checkpoints)) = before {
                self.world = world;
                self.next_action = next_action;
                self.checkpoints.truncate(checkpoints);
            }
            self.world.trace = earlier;
            return Err(e);
        }
        let now_events = std::mem::replace(&mut self.world.trace, earlier);
        self.world.trace.extend(now_events);
        self.world.flush_violations();
        // Fork the timeline: what was recorded after now is gone.
        self.scenario.actions.truncate(self.next_action);
        self.scenario.end_ms = None;
        self.furthest_us = now;
        self.checkpoints.retain(|c| c.at_us <= now);
        self.scenario.actions.push(TimedAction {
            at_ms: us_to_ms(now),
            action,
        });
        self.next_action = self.scenario.actions.len();
        self.run_until(now)
    }

    /// Parse an action from JSON and apply it.
    pub fn apply_json(&mut self, text: &str) -> Result<(), SimError> {
        self.apply(Action::from_json(text)?)
    }

    pub fn state(&self) -> ClusterState {
        self.world.cluster_state()
    }

    /// `state()` as JSON text, written straight from the world (the page's per-frame read).
    pub fn state_json(&self) -> String {
        self.world.cluster_state_json()
    }

    /// The messages in flight, by id: `state().inFlight` alone, for the deliver, drop and
    /// duplicate choices of manual delivery.
    pub fn pending(&self) -> Vec<crate::state::InFlightView> {
        self.world.in_flight_views()
    }

    pub fn check(&self) -> CheckReport {
        self.world.report()
    }

    /// The scenario that reproduces this run up to now.
    pub fn scenario(&self) -> Scenario {
        let mut s = self.scenario.clone();
        s.actions.truncate(self.next_action);
        s.end_ms = Some(self.now_ms());
        s
    }

    /// All recorded actions, including those after now (after a seek back).
    pub fn recorded_scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn to_link(&self) -> String {
        self.scenario().to_link()
    }

    /// FNV-1a over the canonical JSON of every trace event so far.
    pub fn trace_hash(&self) -> u64 {
        self.world.hash.finish()
    }

    /// A hash of the current `state()` (for comparing two runs at one time).
    pub fn state_hash(&self) -> u64 {
        crate::rng::fnv1a64(self.state_json().as_bytes())
    }

    /// Trace events processed since time 0.
    pub fn events_total(&self) -> u64 {
        self.world.events_total
    }

    pub fn current_leader(&self) -> Option<NodeId> {
        self.world.leader()
    }

    /// Whether `advance` and `step` return message events (`msgSent`, `msgDelivered`; on by
    /// default). The fuzzer turns them off unless it reacts to them: building two events per
    /// message, summaries and all, only to drop them was a tenth of its time. The trace hash
    /// covers every message either way.
    pub fn set_trace_messages(&mut self, on: bool) {
        self.world.record_messages = on;
        for c in &mut self.checkpoints {
            c.world.record_messages = on;
        }
    }

    /// Limit the memory checkpoints may hold, in bytes summed over checkpoints (default
    /// `CHECKPOINT_BYTES_BUDGET`). A smaller budget means sparser checkpoints and longer seeks.
    pub fn set_checkpoint_budget(&mut self, bytes: u64) {
        self.checkpoint_budget = bytes.max(1);
    }

    /// Lower (or raise) the work and memory limits of each call; tests use small ones.
    pub fn set_call_limits(&mut self, limits: CallLimits) {
        self.limits = limits;
    }

    pub fn call_limits(&self) -> CallLimits {
        self.limits
    }

    /// What the checkpoints hold on their own, by the estimate the budget is checked against.
    pub fn checkpoint_bytes(&self) -> u64 {
        self.checkpoints.iter().map(|c| c.weight).sum()
    }

    /// Current spacing of checkpoints in simulated ms (it doubles as a run grows).
    pub fn checkpoint_interval_ms(&self) -> f64 {
        us_to_ms(self.checkpoint_every_us)
    }

    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// Trace events that did not fit in one `advance` answer.
    pub fn dropped_trace(&self) -> u64 {
        self.dropped_trace
    }

    /// Read access to the world, for tests and the CLI.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The trace gathered since the last call. The next one starts with room for half as many
    /// again (up to `TRACE_ROOM_KEPT_MAX`): calls in a row return similar counts, and growing
    /// from empty each time, copying every event at each doubling, was 5% of a busy advance;
    /// room for exactly as many still regrew (and copied) in half the calls of a steady run.
    fn take_trace(&mut self) -> Vec<TraceEvent> {
        let len = self.world.trace.len();
        let room = (len + len / 2).min(TRACE_ROOM_KEPT_MAX);
        let mut t = std::mem::replace(&mut self.world.trace, Vec::with_capacity(room));
        if t.len() > TRACE_RETURN_MAX {
            let drop = t.len() - TRACE_RETURN_MAX;
            self.dropped_trace += drop as u64;
            t.drain(..drop);
        }
        t
    }

    /// The next thing to happen at or before `limit_us`: at equal times, queued events run
    /// first, then recorded actions, then the liveness check.
    fn next_item(&self, limit_us: u64) -> Option<(u64, u8)> {
        // Checked in that order, each taking over only when strictly earlier.
        let mut next = self.world.queue.peek_time().map(|t| (t, 0u8));
        let earlier = |next: Option<(u64, u8)>, t: u64| next.is_none_or(|(n, _)| t < n);
        if let Some(t) = self.next_action_us() {
            if earlier(next, t) {
                next = Some((t, 1));
            }
        }
        if let Some(l) = self
            .scenario
            .liveness
            .filter(|_| !self.world.liveness_checked)
        {
            let t = ms_to_us(l.from_ms + l.bound_ms);
            if earlier(next, t) {
                next = Some((t, 2));
            }
        }
        next.filter(|&(t, _)| t <= limit_us)
    }

    fn run_item(&mut self, (at_us, kind): (u64, u8)) -> Result<(), SimError> {
        match kind {
            0 => {
                self.maybe_checkpoint(at_us);
                self.world.step_until(at_us);
                Ok(())
            }
            1 => self.apply_recorded(),
            _ => {
                self.maybe_checkpoint(at_us);
                self.world.now_us = self.world.now_us.max(at_us);
                self.world.liveness_checked = true;
                let l = self.scenario.liveness.expect("scheduled");
                self.world.liveness_check(ms_to_us(l.from_ms));
                self.world.flush_violations();
                Ok(())
            }
        }
    }

    fn next_action_us(&self) -> Option<u64> {
        self.scenario
            .actions
            .get(self.next_action)
            .map(|a| ms_to_us(a.at_ms))
    }

    fn apply_recorded(&mut self) -> Result<(), SimError> {
        let ta = self.scenario.actions[self.next_action].clone();
        let at = ms_to_us(ta.at_ms);
        self.maybe_checkpoint(at);
        self.world.now_us = self.world.now_us.max(at);
        self.next_action += 1;
        let r = self
            .world
            .apply_action(&ta.action)
            .map_err(|e| e.within(&format!("actions[{}].action", self.next_action - 1)));
        self.world.flush_violations();
        r
    }

    /// Take the checkpoints due before processing anything at `next_us`. Asked before every
    /// queue item; the answer is nearly always no, so that test is inlined and the rest is not.
    #[inline(always)]
    fn maybe_checkpoint(&mut self, next_us: u64) {
        let last = self.checkpoints.last().map_or(0, |c| c.at_us);
        let due = last.saturating_add(self.checkpoint_every_us);
        if next_us > due && self.world.now_us <= due {
            self.take_checkpoints(next_us);
        }
    }

    #[inline(never)]
    fn take_checkpoints(&mut self, next_us: u64) {
        loop {
            let last = self.checkpoints.last().map_or(0, |c| c.at_us);
            let due = last.saturating_add(self.checkpoint_every_us);
            if next_us <= due || self.world.now_us > due {
                break;
            }
            // Nothing happens between now and `due`, so the world at `due` is the world now.
            // The copy holds neither the trace (the caller's) nor the display caches (see
            // `World`'s `Clone`).
            let mut world = self.world.clone();
            world.now_us = due;
            let weight = world.checkpoint_bytes();
            self.checkpoints.push(Checkpoint {
                at_us: due,
                world,
                next_action: self.next_action,
                weight,
            });
            let total: u64 = self.checkpoints.iter().map(|c| c.weight).sum();
            if self.checkpoints.len() > CHECKPOINTS_MAX
                || (total > self.checkpoint_budget && self.checkpoints.len() > 4)
            {
                let mut i = 0;
                self.checkpoints.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.checkpoint_every_us = self.checkpoint_every_us.saturating_mul(2);
            }
        }
    }

    /// Run every event and recorded action due at or before `target_us`, then set now; within
    /// the work and memory limits (see [`EVENTS_PER_CALL_MAX`]).
    fn run_until(&mut self, target_us: u64) -> Result<(), SimError> {
        let past_furthest = target_us > self.furthest_us;
        let r = self.run_until_with(target_us, past_furthest);
        self.furthest_us = self.furthest_us.max(self.world.now_us);
        r
    }

    /// `run_until`, checking the memory limits only when `check_memory` (`apply` runs just the
    /// events due now: a cluster over a memory limit can still be acted on, e.g. compacted).
    /// They are checked before every `BUDGET_CHECK_EVERY` items, the first one included, so
    /// a run already over a limit is refused before it moves.
    fn run_until_with(&mut self, target_us: u64, check_memory: bool) -> Result<(), SimError> {
        let mut items = 0u64;
        while let Some(item) = self.next_item(target_us) {
            if items >= self.limits.events_per_call_max {
                return Err(self.stopped(
                    "eventsPerCallMax",
                    format!(
                        "one call may process at most {} events (limits().eventsPerCallMax); \
                     time can go on in further calls",
                        self.limits.events_per_call_max
                    ),
                ));
            }
            if items.is_multiple_of(BUDGET_CHECK_EVERY) {
                self.trim_trace();
                if check_memory {
                    self.check_memory()?;
                }
            }
            self.run_item(item)?;
            items += 1;
        }
        self.maybe_checkpoint(target_us);
        self.world.now_us = self.world.now_us.max(target_us);
        Ok(())
    }

    /// The error of a call that stopped at a limit, at the time it reached.
    fn stopped(&self, limit: &'static str, why: String) -> SimError {
        SimError::limit(
            limit,
            "",
            format!(
                "stopped at {} ms: {why}",
                crate::error::short_number(self.now_ms())
            ),
        )
    }

    /// Refuse to run on once the cluster holds more than the memory limits allow.
    fn check_memory(&self) -> Result<(), SimError> {
        let entries: u64 = self
            .world
            .nodes
            .values()
            .map(|n| n.storage.entries.len() as u64)
            .sum();
        if entries > self.limits.log_entries_max {
            return Err(self.stopped(
                "logEntriesMax",
                format!(
                "the nodes' logs hold {entries} entries, more than {} (limits().logEntriesMax); \
                 set snapshotThreshold so they compact, or write less",
                self.limits.log_entries_max
            ),
            ));
        }
        // Messages held for the user (manual delivery) wait too.
        let queued = self.world.queue.len() + self.world.held.len();
        if queued > self.limits.queue_events_max {
            return Err(self.stopped(
                "queueEventsMax",
                format!(
                    "{queued} events are waiting, more than {} (limits().queueEventsMax); \
                 lower the latency or the load, or deliver the messages waiting in manual delivery",
                    self.limits.queue_events_max
                ),
            ));
        }
        Ok(())
    }

    /// Keep the trace a long call gathers within twice what it may return.
    fn trim_trace(&mut self) {
        let t = &mut self.world.trace;
        if t.len() > 2 * TRACE_RETURN_MAX {
            let drop = t.len() - TRACE_RETURN_MAX;
            self.dropped_trace += drop as u64;
            t.drain(..drop);
        }
    }
}

/// How far replaying `scenario` runs: its `endMs`, or else its last action (a liveness check
/// due later is not run, and reported as not checked).
pub fn replay_end_ms(scenario: &Scenario) -> f64 {
    let last_action = scenario.actions.last().map_or(0.0, |a| a.at_ms);
    scenario.end_ms.unwrap_or(last_action)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checkpoint cloned the world with the trace the call had gathered so far, and
    /// `clear()` kept that capacity: one long advance held memory quadratic in its length.
    #[test]
    fn checkpoints_hold_no_trace_however_long_the_advance() {
        let mut sim = Simulation::new(SimConfig::default()).unwrap();
        let trace = sim.advance(120_000.0).unwrap();
        assert!(
            trace.len() > 10_000,
            "the advance traced {} events",
            trace.len()
        );
        assert!(
            sim.checkpoints.len() > 10,
            "{} checkpoints",
            sim.checkpoints.len()
        );
        for c in &sim.checkpoints {
            assert_eq!(c.world.trace.capacity(), 0, "checkpoint at {} us", c.at_us);
        }
    }

    #[test]
    fn a_seek_leaves_no_trace_capacity_behind() {
        let mut sim = Simulation::new(SimConfig::default()).unwrap();
        sim.advance(20_000.0).unwrap();
        sim.seek(1_000.0).unwrap();
        sim.seek(19_000.0).unwrap();
        assert_eq!(sim.world.trace.capacity(), 0);
    }

    #[test]
    fn an_advance_leaves_room_for_the_next_within_the_bound() {
        let mut sim = Simulation::new(SimConfig::default()).unwrap();
        let long = sim.advance(60_000.0).unwrap().len();
        assert!(long > TRACE_ROOM_KEPT_MAX, "{long} events");
        assert_eq!(sim.world.trace.capacity(), TRACE_ROOM_KEPT_MAX);
        let short = sim.advance(10.0).unwrap().len();
        assert!(short > 1 && short < TRACE_ROOM_KEPT_MAX / 2);
        assert_eq!(sim.world.trace.capacity(), short + short / 2);
    }
}
