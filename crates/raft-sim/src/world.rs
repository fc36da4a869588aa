//! The simulated world: the event queue, the nodes, the network, the clients and the checkers.
//! `World` is plain data (Clone), so a checkpoint is a clone.

use std::collections::BTreeMap;

use raft_core::{
    Config, EntryKind, Event, LogIndex, Message, NodeId, RawNode, ReadOnlyOption, Role,
};

use crate::checker::SafetyChecker;
use crate::client::{Client, Reply};
use crate::config::{ReadMode, SimConfig};
use crate::error::SimError;
use crate::kv::{Command, KvOp};
use crate::lincheck::LinChecker;
use crate::network::{ms_to_us, DropReason, Fate, LinkState, Network};
use crate::node::{persist, ClientReq, NodeStatus, PendingWrite, SimNode};
use crate::queue::EventQueue;
use crate::rng::{subsystem_rng, Fnv64};
use crate::trace::{us_to_ms, TraceEvent};

/// What can happen next.
#[derive(Clone, Debug)]
pub enum Ev {
    Deliver {
        id: u64,
        msg: Message,
        sent_us: u64,
    },
    Timer {
        node: NodeId,
        gen: u64,
    },
    DiskDone {
        node: NodeId,
        incarnation: u64,
    },
    ClientArrive {
        node: NodeId,
        req: ClientReq,
    },
    ClientReply {
        node: NodeId,
        client: u64,
        op_id: u64,
        attempt: u32,
        reply: Reply,
    },
    ClientTimeout {
        client: u64,
        op_id: u64,
        attempt: u32,
    },
    ClientResend {
        client: u64,
        op_id: u64,
        attempt: u32,
    },
    LoadTick {
        client: u64,
    },
}

/// The whole simulated cluster.
#[derive(Clone)]
pub struct World {
    pub cfg: SimConfig,
    pub now_us: u64,
    pub queue: EventQueue<Ev>,
    pub nodes: BTreeMap<NodeId, SimNode>,
    pub net: Network,
    pub clients: BTreeMap<u64, Client>,
    pub safety: SafetyChecker,
    pub lin: LinChecker,
    pub trace: Vec<TraceEvent>,
    pub hash: Fnv64,
    pub events_total: u64,
    pub next_msg_id: u64,
    pub next_op_id: u64,
    pub next_read_ctx: u64,
    /// Whether trace events are kept for the caller (off while replaying for a seek).
    pub record: bool,
    /// The voters the cluster started with (restart without a snapshot begins from these).
    pub initial_voters: Vec<NodeId>,
    pub liveness_checked: bool,
    /// Committed commands the session table recognised as retries and did not re-apply.
    pub duplicates_suppressed: u64,
}

/// How long a client waits for an answer before trying another node.
pub fn client_timeout(cfg: &SimConfig) -> u64 {
    (cfg.election_timeout_ms_max * 2
        + 4 * cfg.latency_ms_max.ceil() as u64
        + 4 * cfg.disk_latency_ms.ceil() as u64)
        * 1000
}

impl World {
    pub fn new(cfg: SimConfig) -> Result<World, SimError> {
        cfg.validate()?;
        let default_link = LinkState::from_ms(
            true,
            cfg.latency_ms_min,
            cfg.latency_ms_max,
            cfg.loss_pct,
            cfg.dup_pct,
        );
        let mut w = World {
            net: Network::new(default_link, subsystem_rng(cfg.seed, "network", 0)),
            now_us: 0,
            queue: EventQueue::new(),
            nodes: BTreeMap::new(),
            clients: BTreeMap::new(),
            safety: SafetyChecker::new(),
            lin: LinChecker::new(),
            trace: Vec::new(),
            hash: Fnv64::new(),
            events_total: 0,
            next_msg_id: 1,
            next_op_id: 1,
            next_read_ctx: 1,
            record: true,
            liveness_checked: false,
            duplicates_suppressed: 0,
            initial_voters: (1..=cfg.nodes).map(NodeId).collect(),
            cfg,
        };
        let voters: Vec<NodeId> = (1..=w.cfg.nodes).map(NodeId).collect();
        for &id in &voters {
            let raft = RawNode::new(w.raft_config(id, voters.clone(), Vec::new()))
                .map_err(|e| SimError::new("config", e.to_string()))?;
            w.nodes
                .insert(id, SimNode::new(id, raft, voters.clone(), Vec::new()));
        }
        for c in 1..=w.cfg.clients {
            let mut rng = subsystem_rng(w.cfg.seed, "client", c);
            let first = NodeId(rand::Rng::random_range(&mut rng, 1..=w.cfg.nodes));
            w.clients.insert(c, Client::new(c, rng, first));
            if w.cfg.client_write_every_ms > 0 {
                let at = w.cfg.client_write_every_ms * 1000;
                w.queue.push(at, Ev::LoadTick { client: c });
            }
        }
        for id in voters {
            w.reschedule_timer(id);
        }
        Ok(w)
    }

    /// raft-core's config for one node, from the sim config.
    pub fn raft_config(&self, id: NodeId, voters: Vec<NodeId>, learners: Vec<NodeId>) -> Config {
        let mut c = Config::new(id, voters);
        c.learners = learners;
        c.election_timeout_ms_min = self.cfg.election_timeout_ms_min;
        // raft-core draws from [min, max); the sim's range is inclusive.
        c.election_timeout_ms_max = self.cfg.election_timeout_ms_max + 1;
        c.heartbeat_interval_ms = self.cfg.heartbeat_ms;
        c.max_entries_per_append = self.cfg.max_entries_per_append as usize;
        c.max_inflight_appends = self.cfg.max_inflight_appends as usize;
        c.pre_vote = self.cfg.pre_vote;
        c.check_quorum = self.cfg.check_quorum || self.cfg.read_mode == ReadMode::Lease;
        c.fast_backtrack = self.cfg.fast_backtrack;
        c.read_only_option = match self.cfg.read_mode {
            ReadMode::Lease => ReadOnlyOption::LeaseBased,
            _ => ReadOnlyOption::Safe,
        };
        c.rng_seed = crate::rng::fnv1a64(format!("{}:timer:{}", self.cfg.seed, id.0).as_bytes());
        c.bugs = raft_core::Bugs::from_names(&self.cfg.bugs).unwrap_or_default();
        c
    }

    pub fn now_ms(&self) -> f64 {
        us_to_ms(self.now_us)
    }

    pub fn emit(&mut self, ev: TraceEvent) {
        ev.hash_into(&mut self.hash);
        self.events_total += 1;
        if self.record {
            self.trace.push(ev);
        }
    }

    /// Report a checker violation into the trace.
    pub fn flush_violations(&mut self) {
        for v in self.safety.drain_new() {
            self.emit(TraceEvent::Violation {
                at_ms: v.at_ms,
                property: v.property,
                nodes: v.nodes,
                index: v.index,
                detail: v.detail,
            });
        }
    }

    /// Process the next queued event if it is due at or before `limit_us`.
    pub fn step_until(&mut self, limit_us: u64) -> bool {
        match self.queue.peek_time() {
            Some(t) if t <= limit_us => {
                let (t, ev) = self.queue.pop().expect("peeked");
                debug_assert!(t >= self.now_us, "time never runs backward");
                self.now_us = t;
                self.handle(ev);
                self.flush_violations();
                true
            }
            _ => false,
        }
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Deliver { id, msg, .. } => self.deliver(id, msg),
            Ev::Timer { node, gen } => {
                let Some(n) = self.nodes.get_mut(&node) else {
                    return;
                };
                if n.timer_gen != gen {
                    return;
                }
                n.timer_at_us = None;
                if n.status != NodeStatus::Up {
                    return;
                }
                let local_ms = n.clock.local_us(self.now_us) / 1000;
                if let Some(r) = n.raft.as_mut() {
                    r.tick(local_ms);
                }
                self.drive(node);
            }
            Ev::DiskDone { node, incarnation } => self.disk_done(node, incarnation),
            Ev::ClientArrive { node, req } => self.client_arrive(node, req),
            Ev::ClientReply {
                node,
                client,
                op_id,
                attempt,
                reply,
            } => self.client_reply(node, client, op_id, attempt, reply),
            Ev::ClientTimeout {
                client,
                op_id,
                attempt,
            } => self.client_timeout(client, op_id, attempt),
            Ev::ClientResend {
                client,
                op_id,
                attempt,
            } => self.client_send(client, op_id, attempt),
            Ev::LoadTick { client } => self.load_tick(client),
        }
    }

    pub fn deliver(&mut self, id: u64, msg: Message) {
        let (from, to) = (msg.from, msg.to);
        let dropped = if !self.net.is_up(from.0, to.0) {
            Some(DropReason::LinkDown)
        } else {
            match self.nodes.get(&to).map(|n| n.status) {
                None | Some(NodeStatus::Crashed) => Some(DropReason::NodeDown),
                _ => None,
            }
        };
        if let Some(reason) = dropped {
            let at_ms = self.now_ms();
            self.emit(TraceEvent::MsgDropped {
                at_ms,
                id,
                msg_type: msg.kind_name().to_string(),
                from,
                to,
                reason,
            });
            return;
        }
        let n = self.nodes.get_mut(&to).expect("checked above");
        if n.status == NodeStatus::Paused {
            let sent_us = self.now_us;
            n.inbox.push(Ev::Deliver { id, msg, sent_us });
            return;
        }
        let at_ms = self.now_ms();
        self.emit(TraceEvent::MsgDelivered {
            at_ms,
            id,
            msg_type: msg.kind_name().to_string(),
            from,
            to,
            term: msg.term,
            summary: msg.summary(),
        });
        self.touch(to);
        let n = self.nodes.get_mut(&to).expect("checked above");
        if let Some(r) = n.raft.as_mut() {
            // A message raft-core refuses is input it considers malformed; it has said why in
            // its error, and ignoring it is what a real server would do.
            let _ = r.step(msg);
        }
        self.drive(to);
    }

    /// Bring the node's clock up to now before giving it input: raft-core learns the time only
    /// from `tick`, and a leader heard "now" must push the election deadline from now.
    pub fn touch(&mut self, id: NodeId) {
        let now = self.now_us;
        if let Some(n) = self.nodes.get_mut(&id) {
            let local_ms = n.clock.local_us(now) / 1000;
            if let Some(r) = n.raft.as_mut() {
                r.tick(local_ms);
            }
        }
    }

    /// Schedule the node's next timer from raft-core's deadline, through its clock.
    pub fn reschedule_timer(&mut self, id: NodeId) {
        let now = self.now_us;
        let Some(n) = self.nodes.get_mut(&id) else {
            return;
        };
        let Some(r) = n.raft.as_ref() else { return };
        let at = r
            .next_deadline_ms()
            .map(|ms| n.clock.sim_us_for_local(ms * 1000).max(now));
        if at != n.timer_at_us {
            n.timer_gen += 1;
            n.timer_at_us = at;
            if let Some(at) = at {
                let gen = n.timer_gen;
                self.queue.push(at, Ev::Timer { node: id, gen });
            }
        }
    }

    /// Process every Ready the node has, in the order of raft-core's contract: queue the
    /// persistence on the disk, send, apply, serve reads; `advance` once the write is durable.
    /// Writes are pipelined (etcd's async storage writes): the node keeps working while its disk
    /// is busy, but what vouches for a write (acks, votes) waits inside raft-core until `advance`.
    pub fn drive(&mut self, id: NodeId) {
        let disk_us = ms_to_us(self.cfg.disk_latency_ms);
        for _ in 0..READY_ROUNDS_MAX {
            let now = self.now_us;
            let Some(n) = self.nodes.get_mut(&id) else {
                return;
            };
            if n.status != NodeStatus::Up {
                break;
            }
            let Some(r) = n.raft.as_mut() else { break };
            if !r.has_ready() {
                break;
            }
            let mut rd = r.ready();
            let must_persist = rd.must_persist();
            let token = rd.persist_token();
            let events = std::mem::take(&mut rd.events);
            let messages = std::mem::take(&mut rd.messages);
            let committed = std::mem::take(&mut rd.committed_entries);
            let read_states = std::mem::take(&mut rd.read_states);
            let installed = rd.snapshot.take();
            let snapshot = installed.clone().or(rd.compacted.take());
            let write = PendingWrite {
                token,
                hard_state: rd.hard_state,
                snapshot,
                truncate_from: rd.truncate_from,
                entries: std::mem::take(&mut rd.entries),
                done_us: 0,
                durable: false,
            };
            self.record_events(id, &events, &write);
            self.send_messages(messages);
            if let Some(snap) = &installed {
                self.install_snapshot(id, snap);
            }
            self.apply_committed(id, committed);
            for rs in read_states {
                self.read_state(id, rs.ctx, rs.index.0);
            }
            self.serve_ready_reads(id);
            self.maybe_compact(id);
            let n = self.nodes.get_mut(&id).expect("node exists");
            if n.pending_writes.is_empty() && (!must_persist || disk_us == 0) {
                let before = n.storage.hard_state;
                persist(&mut n.storage, &write);
                let after = n.storage.hard_state;
                if let Some(r) = n.raft.as_mut() {
                    r.advance(write.token);
                }
                self.safety
                    .on_persist_hard_state(us_to_ms(now), id, before, after);
            } else {
                // Behind earlier writes even when there is nothing to write: tokens are
                // released in order, or an earlier write's acks would leave too soon.
                let cost = if must_persist { disk_us } else { 0 };
                let done_us = now.max(n.disk_free_us) + cost;
                n.disk_free_us = done_us;
                let incarnation = n.incarnation;
                n.pending_writes
                    .push_back(PendingWrite { done_us, ..write });
                self.queue.push(
                    done_us,
                    Ev::DiskDone {
                        node: id,
                        incarnation,
                    },
                );
            }
        }
        self.reschedule_timer(id);
    }

    /// The disk finished the writes due by now: make them durable, then release their tokens.
    fn disk_done(&mut self, id: NodeId, incarnation: u64) {
        let now = self.now_us;
        let Some(n) = self.nodes.get_mut(&id) else {
            return;
        };
        if n.incarnation != incarnation {
            return;
        }
        let mut changes = Vec::new();
        for w in n.pending_writes.iter_mut() {
            if w.done_us > now {
                break;
            }
            if !w.durable {
                w.durable = true;
                let before = n.storage.hard_state;
                persist(&mut n.storage, w);
                changes.push((before, n.storage.hard_state));
            }
        }
        for (before, after) in changes {
            self.safety
                .on_persist_hard_state(us_to_ms(now), id, before, after);
        }
        let n = self.nodes.get_mut(&id).expect("exists");
        if n.status != NodeStatus::Up {
            return; // paused: advance on resume
        }
        self.advance_durable(id);
        self.drive(id);
    }

    /// Hand every durable write's token to raft-core, oldest first.
    pub fn advance_durable(&mut self, id: NodeId) {
        let Some(n) = self.nodes.get_mut(&id) else {
            return;
        };
        while n.pending_writes.front().is_some_and(|w| w.durable) {
            let w = n.pending_writes.pop_front().expect("front exists");
            if let Some(r) = n.raft.as_mut() {
                r.advance(w.token);
            }
        }
    }

    /// Trace raft-core's events and feed the checkers, in the order they happened.
    fn record_events(&mut self, id: NodeId, events: &[Event], write: &PendingWrite) {
        let at_ms = self.now_ms();
        let mut became_leader = false;
        let mut commits = Vec::new();
        for ev in events {
            let te = match ev.clone() {
                Event::RoleChanged {
                    from,
                    to,
                    term,
                    reason,
                } => {
                    self.safety.on_role(at_ms, id, to, term);
                    became_leader = to == Role::Leader;
                    Some(TraceEvent::RoleChanged {
                        at_ms,
                        node: id,
                        from,
                        to,
                        term,
                        reason,
                    })
                }
                Event::VoteGranted { to, term, pre_vote } => Some(TraceEvent::VoteGranted {
                    at_ms,
                    node: id,
                    to,
                    term,
                    pre_vote,
                }),
                Event::VoteDenied {
                    to,
                    term,
                    pre_vote,
                    reason,
                } => Some(TraceEvent::VoteDenied {
                    at_ms,
                    node: id,
                    to,
                    term,
                    pre_vote,
                    reason,
                }),
                Event::AppendRejected {
                    from,
                    prev_index,
                    prev_term,
                    reject_hint,
                    hint_term,
                } => Some(TraceEvent::AppendRejected {
                    at_ms,
                    node: id,
                    leader: from,
                    prev_index,
                    prev_term,
                    hint: reject_hint,
                    hint_term,
                }),
                Event::EntriesAppended { from, to } => Some(TraceEvent::EntriesAppended {
                    at_ms,
                    node: id,
                    from,
                    to,
                }),
                Event::EntriesTruncated {
                    from,
                    to,
                    conflict_term,
                } => {
                    self.safety.on_truncate_event(at_ms, id, from, to);
                    Some(TraceEvent::EntriesTruncated {
                        at_ms,
                        node: id,
                        from,
                        to,
                        conflict_term,
                    })
                }
                Event::NextIndexMoved {
                    peer,
                    from,
                    to,
                    reason,
                } => Some(TraceEvent::NextIndexMoved {
                    at_ms,
                    node: id,
                    peer,
                    from,
                    to,
                    reason,
                }),
                Event::CommitAdvanced { from, to } => {
                    commits.push((from, to));
                    Some(TraceEvent::CommitAdvanced {
                        at_ms,
                        node: id,
                        from,
                        to,
                    })
                }
                Event::SnapshotTaken { index, term } => Some(TraceEvent::SnapshotTaken {
                    at_ms,
                    node: id,
                    index,
                    term,
                }),
                Event::SnapshotInstalled { index, term, .. } => {
                    Some(TraceEvent::SnapshotInstalled {
                        at_ms,
                        node: id,
                        index,
                        term,
                    })
                }
                Event::ConfChanged {
                    voters,
                    learners,
                    voters_outgoing,
                    ..
                } => Some(TraceEvent::ConfChanged {
                    at_ms,
                    node: id,
                    joint: !voters_outgoing.is_empty(),
                    voters,
                    learners,
                    voters_outgoing,
                }),
                Event::TransferStarted { to } => Some(TraceEvent::TransferStarted {
                    at_ms,
                    node: id,
                    to,
                }),
                Event::TransferAborted { to, reason } => Some(TraceEvent::TransferAborted {
                    at_ms,
                    node: id,
                    to,
                    reason,
                }),
                _ => None,
            };
            if let Some(te) = te {
                self.emit(te);
            }
        }
        if let Some(s) = &write.snapshot {
            self.safety.on_snapshot(id, s.index, s.term);
        }
        self.safety
            .on_log_write(at_ms, id, write.truncate_from, &write.entries);
        for (from, to) in commits {
            self.safety.on_commit(at_ms, id, from, to);
        }
        if became_leader && self.safety.role(id) == Some(Role::Leader) {
            let term = self.nodes[&id]
                .raft
                .as_ref()
                .map(|r| r.status().term)
                .unwrap_or_default();
            self.safety.check_leader_completeness(at_ms, id, term);
        }
    }

    pub fn send_messages(&mut self, messages: Vec<Message>) {
        for msg in messages {
            let id = self.next_msg_id;
            self.next_msg_id += 1;
            let at_ms = self.now_ms();
            let fate = self.net.send(msg.from.0, msg.to.0, self.now_us);
            let deliver_at_us = match fate {
                Fate::Deliver { at_us, .. } => at_us,
                Fate::Dropped(_) => self.now_us,
            };
            self.emit(TraceEvent::MsgSent {
                at_ms,
                id,
                msg_type: msg.kind_name().to_string(),
                from: msg.from,
                to: msg.to,
                term: msg.term,
                summary: msg.summary(),
                deliver_at_ms: us_to_ms(deliver_at_us),
            });
            match fate {
                Fate::Dropped(reason) => {
                    let (from, to) = (msg.from, msg.to);
                    let msg_type = msg.kind_name().to_string();
                    self.emit(TraceEvent::MsgDropped {
                        at_ms,
                        id,
                        msg_type,
                        from,
                        to,
                        reason,
                    });
                }
                Fate::Deliver {
                    at_us,
                    duplicate_at_us,
                } => {
                    if let Some(dup_at) = duplicate_at_us {
                        let copy_id = self.next_msg_id;
                        self.next_msg_id += 1;
                        self.emit(TraceEvent::MsgDuplicated {
                            at_ms,
                            id,
                            copy_id,
                            deliver_at_ms: us_to_ms(dup_at),
                        });
                        self.queue.push(
                            dup_at,
                            Ev::Deliver {
                                id: copy_id,
                                msg: msg.clone(),
                                sent_us: self.now_us,
                            },
                        );
                    }
                    self.queue.push(
                        at_us,
                        Ev::Deliver {
                            id,
                            msg,
                            sent_us: self.now_us,
                        },
                    );
                }
            }
        }
    }

    fn install_snapshot(&mut self, id: NodeId, snap: &raft_core::Snapshot) {
        let n = self.nodes.get_mut(&id).expect("node exists");
        if snap.index > n.applied {
            n.kv = crate::kv::KvStore::from_snapshot(&snap.data);
            n.applied = snap.index;
            n.compacted = snap.index;
            n.proposals.retain(|&i, _| i > snap.index.0);
            self.safety.on_apply_snapshot(id, snap.index);
        }
    }

    fn apply_committed(&mut self, id: NodeId, committed: Vec<raft_core::Entry>) {
        if committed.is_empty() {
            return;
        }
        let at_ms = self.now_ms();
        let n = self.nodes.get_mut(&id).expect("node exists");
        let fresh: Vec<raft_core::Entry> = committed
            .into_iter()
            .filter(|e| e.index > n.applied)
            .collect();
        if fresh.is_empty() {
            return;
        }
        let mut replies = Vec::new();
        let mut duplicates = 0;
        for e in &fresh {
            n.applied = e.index;
            if let EntryKind::Normal { data } = &e.kind {
                if let Some(cmd) = Command::decode(data) {
                    let (result, fresh) = n.kv.apply_checked(&cmd);
                    if !fresh {
                        duplicates += 1;
                    }
                    if let Some(req) = n.proposals.remove(&e.index.0) {
                        if req.client == cmd.client && req.seq == cmd.seq {
                            replies.push((req, result));
                        }
                    }
                }
            }
            n.proposals.retain(|&i, _| i > e.index.0);
        }
        let last = n.applied;
        self.duplicates_suppressed += duplicates;
        self.safety.on_apply(at_ms, id, &fresh);
        self.emit(TraceEvent::Applied {
            at_ms,
            node: id,
            index: last,
        });
        for (req, result) in replies {
            self.reply(id, &req, Reply::Done(result));
        }
    }

    /// Compact once `snapshotThreshold` entries were applied since the last snapshot.
    fn maybe_compact(&mut self, id: NodeId) {
        let threshold = self.cfg.snapshot_threshold;
        if threshold == 0 {
            return;
        }
        let n = self.nodes.get_mut(&id).expect("node exists");
        if n.applied.0 < n.compacted.0 + threshold {
            return;
        }
        let Some(r) = n.raft.as_mut() else { return };
        if r.compact(n.applied, n.kv.to_snapshot()).is_ok() {
            n.compacted = n.applied;
        }
    }

    /// Compact now (the `compact` action); Err when there is nothing new to compact.
    pub fn compact_now(&mut self, id: NodeId) -> Result<(), String> {
        let n = self.nodes.get_mut(&id).ok_or("no such node")?;
        let r = n.raft.as_mut().ok_or("node is crashed")?;
        r.compact(n.applied, n.kv.to_snapshot())
            .map_err(|e| e.to_string())?;
        n.compacted = n.applied;
        self.drive(id);
        Ok(())
    }

    /// A rough size of this world for the checkpoint budget: log entries held in memory
    /// (raft-core's log; the simulated disks share theirs), plus a constant for the rest.
    pub fn weight(&self) -> u64 {
        self.nodes
            .values()
            .map(|n| n.storage.entries.len() as u64 + 200)
            .sum()
    }

    pub fn node_ids(&self) -> Vec<NodeId> {
        self.nodes.keys().copied().collect()
    }
}

/// Most Ready rounds in one `drive` (each round is one batch; a loop past this is a bug).
pub const READY_ROUNDS_MAX: usize = 64;

/// Decode a command for display; non-commands give their raft-core summary.
pub fn entry_summary(e: &raft_core::Entry) -> String {
    match &e.kind {
        EntryKind::Normal { data } => match Command::decode(data) {
            Some(c) => c.summary(),
            None => e.summary(),
        },
        _ => e.summary(),
    }
}

/// The read key of an op, if it is a read.
pub fn read_key(op: &KvOp) -> Option<&str> {
    match op {
        KvOp::Get { key } => Some(key),
        _ => None,
    }
}

impl World {
    pub fn read_index_ctx(&mut self) -> u64 {
        let c = self.next_read_ctx;
        self.next_read_ctx += 1;
        c
    }

    pub fn lin_violation(&mut self, v: crate::lincheck::LinViolation) {
        let at_ms = self.now_ms();
        self.safety
            .report(at_ms, "linearizability", Vec::new(), None, v.detail);
        let _ = v.key;
    }

    /// Current leader: the up node that is leader in the highest term.
    pub fn leader(&self) -> Option<NodeId> {
        self.nodes
            .values()
            .filter(|n| n.is_up())
            .filter_map(|n| n.raft.as_ref().map(|r| (r.status(), n.id)))
            .filter(|(s, _)| s.role == Role::Leader)
            .max_by_key(|(s, id)| (s.term, *id))
            .map(|(_, id)| id)
    }

    pub fn last_log_index(&self, id: NodeId) -> LogIndex {
        self.nodes
            .get(&id)
            .and_then(|n| n.raft.as_ref())
            .map(|r| r.status().last_index)
            .unwrap_or_default()
    }
}
