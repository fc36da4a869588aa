//! Applying user and fuzzer actions to the world. Every precondition is checked before anything
//! changes, so a refused action leaves the world exactly as it was (and is not recorded).

use raft_core::{ConfChange, NodeId, PersistedState, RawNode};

use crate::error::SimError;
use crate::kv::KvOp;
use crate::node::{NodeStatus, SimNode};
use crate::scenario::Action;
use crate::trace::TraceEvent;
use crate::world::World;

impl World {
    fn need_node(&self, field: &str, id: NodeId) -> Result<&SimNode, SimError> {
        self.nodes.get(&id).ok_or_else(|| {
            let known: Vec<String> = self.nodes.keys().map(|k| k.0.to_string()).collect();
            SimError::new(
                field,
                format!("unknown node {}; nodes are {}", id.0, known.join(", ")),
            )
        })
    }

    fn need_leader(&self) -> Result<NodeId, SimError> {
        self.leader()
            .ok_or_else(|| SimError::new("", "no leader right now; try again once one is elected"))
    }

    fn need_client(&self, client: Option<u64>) -> Result<u64, SimError> {
        let c = client.unwrap_or(1);
        match self.clients.get(&c) {
            None => Err(SimError::new(
                "client",
                format!("unknown client {c}; clients are 1..={}", self.clients.len()),
            )),
            Some(cl) if cl.queue.len() >= crate::client::CLIENT_QUEUE_MAX => Err(SimError::new(
                "client",
                format!(
                    "client {c} already has {} queued operations",
                    cl.queue.len()
                ),
            )),
            Some(_) => Ok(c),
        }
    }

    /// Apply one action now. Err means nothing changed.
    pub fn apply_action(&mut self, action: &Action) -> Result<(), SimError> {
        action.validate_static()?;
        let at_ms = self.now_ms();
        // Preconditions first.
        match action {
            Action::Crash { node } => {
                if self.need_node("node", *node)?.status == NodeStatus::Crashed {
                    return Err(SimError::new(
                        "node",
                        format!("node {} is already crashed", node.0),
                    ));
                }
            }
            Action::Restart { node } => {
                if self.need_node("node", *node)?.status != NodeStatus::Crashed {
                    return Err(SimError::new(
                        "node",
                        format!("node {} is not crashed", node.0),
                    ));
                }
            }
            Action::Pause { node } => {
                if self.need_node("node", *node)?.status != NodeStatus::Up {
                    return Err(SimError::new(
                        "node",
                        format!("node {} is not running", node.0),
                    ));
                }
            }
            Action::Resume { node } => {
                if self.need_node("node", *node)?.status != NodeStatus::Paused {
                    return Err(SimError::new(
                        "node",
                        format!("node {} is not paused", node.0),
                    ));
                }
            }
            Action::Timeout { node } | Action::Compact { node } => {
                if self.need_node("node", *node)?.status != NodeStatus::Up {
                    return Err(SimError::new(
                        "node",
                        format!("node {} is not running", node.0),
                    ));
                }
            }
            Action::ClockSkew { node, .. } => {
                self.need_node("node", *node)?;
            }
            Action::Partition { groups } => {
                for (g, group) in groups.iter().enumerate() {
                    for (i, n) in group.iter().enumerate() {
                        self.need_node(&format!("groups[{g}][{i}]"), *n)?;
                    }
                }
            }
            Action::SetLink { from, to, .. } => {
                self.need_node("from", *from)?;
                self.need_node("to", *to)?;
            }
            Action::ClientPut { client, .. }
            | Action::ClientGet { client, .. }
            | Action::ClientAppend { client, .. }
            | Action::ClientCas { client, .. } => {
                self.need_client(*client)?;
            }
            Action::TransferLeader { to } => {
                self.need_node("to", *to)?;
                self.need_leader()?;
            }
            Action::AddServer { .. } | Action::AddLearner { .. } | Action::RemoveServer { .. } => {
                self.need_leader()?;
                if let Action::RemoveServer { node } = action {
                    self.need_node("node", *node)?;
                }
            }
            Action::ChangeMembership { .. } => {
                self.need_leader()?;
            }
            Action::SetToggle { name, on: false }
                if name == "checkQuorum"
                    && self.cfg.read_mode == crate::config::ReadMode::Lease =>
            {
                return Err(SimError::new(
                    "name",
                    "lease reads need checkQuorum; switch the read mode first",
                ));
            }
            Action::Heal
            | Action::SetAllLinks { .. }
            | Action::SetBug { .. }
            | Action::SetToggle { .. }
            | Action::SetReadMode { .. } => {}
        }
        // Actions that talk to raft-core can still be refused by it; those run before the trace
        // entry so a refusal leaves no mark.
        match action {
            Action::TransferLeader { to } => {
                let leader = self.need_leader()?;
                self.touch(leader);
                let r = self
                    .nodes
                    .get_mut(&leader)
                    .and_then(|n| n.raft.as_mut())
                    .expect("leader is up");
                r.transfer_leader(*to)
                    .map_err(|e| SimError::new("to", e.to_string()))?;
                self.emit(TraceEvent::Action {
                    at_ms,
                    action: action.clone(),
                });
                self.drive(leader);
                return Ok(());
            }
            Action::AddServer { node }
            | Action::AddLearner { node }
            | Action::RemoveServer { node } => {
                let leader = self.need_leader()?;
                let change = match action {
                    Action::AddServer { .. } => ConfChange::AddVoter { node: *node },
                    Action::AddLearner { .. } => ConfChange::AddLearner { node: *node },
                    _ => ConfChange::Remove { node: *node },
                };
                self.propose_conf_change_at(leader, change, "node")?;
                if !self.nodes.contains_key(node) {
                    self.spawn_joining_node(*node)?;
                }
                self.emit(TraceEvent::Action {
                    at_ms,
                    action: action.clone(),
                });
                self.drive(leader);
                return Ok(());
            }
            Action::ChangeMembership { voters, learners } => {
                let leader = self.need_leader()?;
                let old_voters = self.leader_voters(leader);
                let change = ConfChange::EnterJoint {
                    voters: voters.clone(),
                    learners: learners.clone(),
                    auto_leave: true,
                };
                self.propose_conf_change_at(leader, change, "voters")?;
                // New members start empty and learn everything from the leader, as addServer's do.
                for node in voters.iter().chain(learners) {
                    if !self.nodes.contains_key(node) {
                        self.spawn_joining_node_with(*node, old_voters.clone())?;
                    }
                }
                self.emit(TraceEvent::Action {
                    at_ms,
                    action: action.clone(),
                });
                self.drive(leader);
                return Ok(());
            }
            Action::Compact { node } => {
                self.compact_now(*node)
                    .map_err(|e| SimError::new("node", e))?;
                self.emit(TraceEvent::Action {
                    at_ms,
                    action: action.clone(),
                });
                return Ok(());
            }
            _ => {}
        }
        self.emit(TraceEvent::Action {
            at_ms,
            action: action.clone(),
        });
        match action {
            Action::Crash { node } => {
                self.nodes.get_mut(node).expect("checked").crash();
                self.emit(TraceEvent::NodeCrashed { at_ms, node: *node });
            }
            Action::Restart { node } => self.restart_node(*node)?,
            Action::Pause { node } => {
                let n = self.nodes.get_mut(node).expect("checked");
                n.status = NodeStatus::Paused;
                self.emit(TraceEvent::NodePaused { at_ms, node: *node });
            }
            Action::Resume { node } => self.resume_node(*node),
            Action::Timeout { node } => {
                self.touch(*node);
                if let Some(r) = self.nodes.get_mut(node).and_then(|n| n.raft.as_mut()) {
                    r.campaign();
                }
                self.drive(*node);
            }
            Action::ClockSkew { node, rate_ppm } => {
                let now = self.now_us;
                self.nodes
                    .get_mut(node)
                    .expect("checked")
                    .clock
                    .set_rate(now, *rate_ppm);
                self.reschedule_timer(*node);
            }
            Action::Partition { groups } => {
                let nodes: Vec<u64> = self.nodes.keys().map(|n| n.0).collect();
                let groups: Vec<Vec<u64>> = groups
                    .iter()
                    .map(|g| g.iter().map(|n| n.0).collect())
                    .collect();
                for (from, to, up) in self.net.partition(&nodes, &groups) {
                    self.emit(TraceEvent::LinkChanged {
                        at_ms,
                        from: NodeId(from),
                        to: NodeId(to),
                        up,
                    });
                }
            }
            Action::SetLink {
                from,
                to,
                up,
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            } => {
                let settings = [
                    *latency_ms,
                    *latency_ms_min,
                    *latency_ms_max,
                    *loss_pct,
                    *dup_pct,
                ];
                self.change_link(at_ms, *from, *to, *up, settings);
            }
            Action::SetAllLinks {
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            } => {
                let settings = [
                    *latency_ms,
                    *latency_ms_min,
                    *latency_ms_max,
                    *loss_pct,
                    *dup_pct,
                ];
                // The network's own settings change too: links of servers added later, and
                // links after a heal, take them (what the page's sliders promise).
                let mut default = self.net.default_link();
                adjust_link(&mut default, settings);
                self.net.set_default_link(default);
                let ids = self.node_ids();
                for &from in &ids {
                    for &to in &ids {
                        if from != to {
                            self.change_link(at_ms, from, to, None, settings);
                        }
                    }
                }
            }
            Action::Heal => {
                let ids = self.node_ids();
                let mut changed = Vec::new();
                for &a in &ids {
                    for &b in &ids {
                        if a != b && !self.net.is_up(a.0, b.0) {
                            changed.push((a, b));
                        }
                    }
                }
                self.net.heal();
                for (from, to) in changed {
                    self.emit(TraceEvent::LinkChanged {
                        at_ms,
                        from,
                        to,
                        up: true,
                    });
                }
            }
            Action::ClientPut { key, value, client } => {
                let c = self.need_client(*client)?;
                self.client_enqueue(
                    c,
                    KvOp::Put {
                        key: key.clone(),
                        value: value.clone(),
                    },
                );
            }
            Action::ClientGet { key, client } => {
                let c = self.need_client(*client)?;
                self.client_enqueue(c, KvOp::Get { key: key.clone() });
            }
            Action::ClientAppend { key, value, client } => {
                let c = self.need_client(*client)?;
                self.client_enqueue(
                    c,
                    KvOp::Append {
                        key: key.clone(),
                        value: value.clone(),
                    },
                );
            }
            Action::ClientCas {
                key,
                expected,
                value,
                client,
            } => {
                let c = self.need_client(*client)?;
                let op = KvOp::Cas {
                    key: key.clone(),
                    expected: expected.clone(),
                    value: value.clone(),
                };
                self.client_enqueue(c, op);
            }
            Action::SetBug { name, on } => {
                self.cfg.bugs.retain(|b| b != name);
                if *on {
                    self.cfg.bugs.push(name.clone());
                }
                self.push_config_to_nodes();
            }
            Action::SetToggle { name, on } => {
                match name.as_str() {
                    "preVote" => self.cfg.pre_vote = *on,
                    "checkQuorum" => self.cfg.check_quorum = *on,
                    _ => self.cfg.fast_backtrack = *on,
                }
                self.push_config_to_nodes();
            }
            Action::SetReadMode { mode } => {
                self.cfg.read_mode = *mode;
                // Lease reads are only safe with CheckQuorum (a deposed leader must stop serving
                // within its lease), so choosing them turns it on, visibly, in the config.
                if *mode == crate::config::ReadMode::Lease {
                    self.cfg.check_quorum = true;
                }
                self.push_config_to_nodes();
            }
            Action::TransferLeader { .. }
            | Action::AddServer { .. }
            | Action::AddLearner { .. }
            | Action::RemoveServer { .. }
            | Action::ChangeMembership { .. }
            | Action::Compact { .. } => unreachable!("handled above"),
        }
        Ok(())
    }

    /// Propose a configuration change at the leader; raft-core's refusal is reported on `field`.
    fn propose_conf_change_at(
        &mut self,
        leader: NodeId,
        change: ConfChange,
        field: &str,
    ) -> Result<(), SimError> {
        self.nodes
            .get_mut(&leader)
            .and_then(|n| n.raft.as_mut())
            .expect("leader is up")
            .propose_conf_change(change)
            .map(|_| ())
            .map_err(|e| SimError::new(field, e.to_string()))
    }

    /// One direction of one link: `up`, and `[latencyMs, latencyMsMin, latencyMsMax, lossPct,
    /// dupPct]` where given. A link that goes up or down is reported in the trace.
    fn change_link(
        &mut self,
        at_ms: f64,
        from: NodeId,
        to: NodeId,
        up: Option<bool>,
        settings: [Option<f64>; 5],
    ) {
        let mut l = self.net.link(from.0, to.0);
        let before = l.up;
        if let Some(u) = up {
            l.up = u;
        }
        adjust_link(&mut l, settings);
        self.net.set_link(from.0, to.0, l);
        if l.up != before {
            self.emit(TraceEvent::LinkChanged {
                at_ms,
                from,
                to,
                up: l.up,
            });
        }
    }

    fn restart_node(&mut self, id: NodeId) -> Result<(), SimError> {
        let at_ms = self.now_ms();
        let n = &self.nodes[&id];
        let storage: PersistedState = n.storage.to_persisted();
        let cfg = self.raft_config(id, n.boot_voters.clone(), n.boot_learners.clone());
        let raft = RawNode::restart(cfg, storage.clone())
            .map_err(|e| SimError::new("node", e.to_string()))?;
        let n = self.nodes.get_mut(&id).expect("checked");
        n.raft = Some(raft);
        n.status = NodeStatus::Up;
        // The state machine is rebuilt from the snapshot; committed entries are re-applied.
        let (kv, applied) = match &storage.snapshot {
            Some(s) => (crate::kv::KvStore::from_snapshot(&s.data), s.index),
            None => (crate::kv::KvStore::default(), raft_core::LogIndex(0)),
        };
        n.kv = kv;
        n.applied = applied;
        n.compacted = applied;
        let mut shadow = crate::checker::ShadowLog::default();
        if let Some(s) = &storage.snapshot {
            shadow.snap_index = s.index.0;
            shadow.snap_term = s.term.0;
        }
        for e in &storage.entries {
            shadow
                .entries
                .push((e.term.0, crate::checker::entry_hash(e)));
        }
        self.safety.on_restart(
            id,
            shadow,
            storage.hard_state.term,
            storage.hard_state.commit,
            applied,
        );
        self.emit(TraceEvent::NodeRestarted { at_ms, node: id });
        self.drive(id);
        Ok(())
    }

    fn resume_node(&mut self, id: NodeId) {
        let at_ms = self.now_ms();
        let n = self.nodes.get_mut(&id).expect("checked");
        n.status = NodeStatus::Up;
        let inbox = std::mem::take(&mut n.inbox);
        self.emit(TraceEvent::NodeResumed { at_ms, node: id });
        // Writes that reached the disk while paused are acknowledged now.
        self.advance_durable(id);
        // The timer fired while paused; tick at once, then take the queued input in order.
        let local_ms = self.nodes[&id].clock.local_us(self.now_us) / 1000;
        if let Some(r) = self.nodes.get_mut(&id).and_then(|n| n.raft.as_mut()) {
            r.tick(local_ms);
        }
        self.drive(id);
        for ev in inbox {
            match ev {
                crate::world::Ev::Deliver { id: mid, msg, .. } => self.deliver(mid, msg),
                crate::world::Ev::ClientArrive { node, req } => self.client_arrive(node, req),
                _ => {}
            }
        }
    }

    /// A node that is being added starts empty and learns everything from the leader.
    fn spawn_joining_node(&mut self, id: NodeId) -> Result<(), SimError> {
        let leader = self.need_leader()?;
        let voters = self.leader_voters(leader);
        self.spawn_joining_node_with(id, voters)
    }

    fn leader_voters(&self, leader: NodeId) -> Vec<NodeId> {
        let r = self.nodes[&leader].raft.as_ref().expect("leader is up");
        r.conf_state().voters.clone()
    }

    /// As `spawn_joining_node`, booting from the given voters (a joint change passes C_old, so
    /// the new node's outgoing half is the old configuration, not the one being entered).
    fn spawn_joining_node_with(
        &mut self,
        id: NodeId,
        mut voters: Vec<NodeId>,
    ) -> Result<(), SimError> {
        voters.retain(|v| *v != id);
        let cfg = self.raft_config(id, voters.clone(), vec![id]);
        let raft = RawNode::new(cfg).map_err(|e| SimError::new("node", e.to_string()))?;
        self.nodes
            .insert(id, SimNode::new(id, raft, voters, vec![id]));
        self.reschedule_timer(id);
        Ok(())
    }

    /// Bugs, toggles and the read mode apply to running nodes at once (restarted nodes get
    /// them from `raft_config`).
    fn push_config_to_nodes(&mut self) {
        let ids = self.node_ids();
        for id in ids {
            let cfg = self.raft_config(id, Vec::new(), Vec::new());
            if let Some(r) = self.nodes.get_mut(&id).and_then(|n| n.raft.as_mut()) {
                r.set_bugs(cfg.bugs);
                r.set_pre_vote(cfg.pre_vote);
                r.set_fast_backtrack(cfg.fast_backtrack);
                if r.config().check_quorum != cfg.check_quorum {
                    r.set_check_quorum(cfg.check_quorum);
                }
                // Validated by the preconditions of the action (lease needs CheckQuorum).
                let _ = r.set_read_only_option(cfg.read_only_option);
            }
        }
    }
}

/// Apply `[latencyMs, latencyMsMin, latencyMsMax, lossPct, dupPct]`, where given, to a link.
fn adjust_link(l: &mut crate::network::LinkState, settings: [Option<f64>; 5]) {
    let [latency_ms, latency_ms_min, latency_ms_max, loss_pct, dup_pct] = settings;
    let us = crate::network::ms_to_us;
    if let Some(v) = latency_ms {
        l.latency_us_min = us(v);
        l.latency_us_max = us(v);
    }
    if let Some(v) = latency_ms_min {
        l.latency_us_min = us(v);
    }
    if let Some(v) = latency_ms_max {
        l.latency_us_max = us(v);
    }
    if l.latency_us_min > l.latency_us_max {
        l.latency_us_max = l.latency_us_min;
    }
    if let Some(v) = loss_pct {
        l.loss_ppm = crate::rng::pct_to_ppm(v);
    }
    if let Some(v) = dup_pct {
        l.dup_ppm = crate::rng::pct_to_ppm(v);
    }
}
