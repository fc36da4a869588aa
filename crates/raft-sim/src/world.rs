//! The simulated world: the event queue, the nodes, the network, the clients and the checkers.
//! `World` is plain data (Clone), so a checkpoint is a clone.

use crate::SortedMap;

use raft_core::{Config, EntryKind, Message, NodeId, RawNode, ReadOnlyOption, Role};

use crate::checker::SafetyChecker;
use crate::client::{Client, Reply};
use crate::config::{Delivery, ReadMode, SimConfig};
use crate::error::SimError;
use crate::kv::Command;
use crate::lincheck::LinChecker;
use crate::network::{DropReason, LinkState, Network};
use crate::node::{ClientReq, NodeStatus, SimNode};
use crate::queue::EventQueue;
use crate::rng::{subsystem_rng, WordHash};
use crate::trace::{us_to_ms, MsgSummary, MsgType, RefusalReason, TraceEvent};

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

/// A message whose latency has passed in manual delivery: it waits for the user's choice.
#[derive(Clone, Debug)]
pub struct HeldMsg {
    pub msg: Message,
    pub sent_us: u64,
    /// When its latency passed.
    pub due_us: u64,
}

/// The whole simulated cluster.
pub struct World {
    pub cfg: SimConfig,
    pub now_us: u64,
    pub queue: EventQueue<Ev>,
    /// Messages waiting for the user in manual delivery, by id (so the list, and a replay,
    /// are in one order everywhere).
    pub held: SortedMap<u64, HeldMsg>,
    pub nodes: SortedMap<NodeId, SimNode>,
    pub net: Network,
    pub clients: SortedMap<u64, Client>,
    pub safety: SafetyChecker,
    pub lin: LinChecker,
    pub trace: Vec<TraceEvent>,
    pub hash: WordHash,
    /// Reused buffer for a rare event's JSON on its way into `hash`.
    pub hash_scratch: Vec<u8>,
    pub events_total: u64,
    pub next_msg_id: u64,
    pub next_op_id: u64,
    pub next_read_ctx: u64,
    /// Whether trace events are kept for the caller (off while replaying for a seek).
    pub record: bool,
    /// Whether message events (sent, delivered) are kept when recording (see
    /// `Simulation::set_trace_messages`).
    pub record_messages: bool,
    /// The voters the cluster started with (restart without a snapshot begins from these).
    pub initial_voters: Vec<NodeId>,
    pub liveness_checked: bool,
    /// Committed commands the session table recognised as retries and did not re-apply.
    pub duplicates_suppressed: u64,
    /// Recent entries' commands, decoded once for all nodes.
    pub commands: crate::kv::CommandCache,
    /// The Ready `drive` refills for every node and round, kept for its lists' room (between
    /// rounds it still holds the last round's lists, which nothing reads; a copy starts
    /// without one). Boxed: `drive` takes it out and puts it back every round, and a Ready
    /// moved by value was a 424-byte copy each way.
    pub ready: Option<Box<raft_core::Ready>>,
}

/// A copy of the state, for a checkpoint or for undoing a refused action: everything but the
/// trace, which is the caller's (the events since its last call), not the state's. Copying it
/// at every checkpoint made one long advance cost memory quadratic in its length; leaving it
/// out here rather than around each clone also keeps a copy of every event kind's clone out of
/// the wasm. The display caches (`SimNode::summaries`, `commands`) start empty in a copy too.
impl Clone for World {
    fn clone(&self) -> World {
        World {
            cfg: self.cfg.clone(),
            now_us: self.now_us,
            queue: self.queue.clone(),
            held: self.held.clone(),
            nodes: self.nodes.clone(),
            net: self.net.clone(),
            clients: self.clients.clone(),
            safety: self.safety.clone(),
            lin: self.lin.clone(),
            trace: Vec::new(),
            hash: self.hash,
            hash_scratch: Vec::new(),
            events_total: self.events_total,
            next_msg_id: self.next_msg_id,
            next_op_id: self.next_op_id,
            next_read_ctx: self.next_read_ctx,
            record: self.record,
            record_messages: self.record_messages,
            initial_voters: self.initial_voters.clone(),
            liveness_checked: self.liveness_checked,
            duplicates_suppressed: self.duplicates_suppressed,
            commands: self.commands.clone(),
            ready: None,
        }
    }
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
            held: SortedMap::new(),
            nodes: SortedMap::new(),
            clients: SortedMap::new(),
            safety: SafetyChecker::new(),
            lin: LinChecker::new(),
            trace: Vec::new(),
            hash: WordHash::new(),
            hash_scratch: Vec::new(),
            events_total: 0,
            next_msg_id: 1,
            next_op_id: 1,
            next_read_ctx: 1,
            record: true,
            record_messages: true,
            liveness_checked: false,
            duplicates_suppressed: 0,
            commands: Default::default(),
            ready: None,
            initial_voters: (1..=cfg.nodes).map(NodeId).collect(),
            cfg,
        };
        let voters: Vec<NodeId> = (1..=w.cfg.nodes).map(NodeId).collect();
        for &id in &voters {
            let raft = RawNode::new(w.raft_config(id, voters.clone(), Vec::new()), 0)
                .map_err(|e| SimError::new("config", e.to_string()))?;
            w.nodes
                .insert(id, SimNode::new(id, raft, voters.clone(), Vec::new()));
        }
        for c in 1..=w.cfg.clients {
            let mut rng = subsystem_rng(w.cfg.seed, "client", c);
            let first = NodeId(rand::Rng::random_range(&mut rng, 1..=w.cfg.nodes));
            let discovery = subsystem_rng(w.cfg.seed, "client-discovery", c);
            let client = Client::new(c, rng, discovery, first, voters.clone());
            w.clients.insert(c, client);
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
        c.check_quorum = self.cfg.check_quorum;
        c.leader_stickiness = self.cfg.leader_stickiness;
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
        debug_assert!(
            !matches!(
                ev,
                TraceEvent::MsgSent { .. } | TraceEvent::MsgDelivered { .. }
            ),
            "messages are traced by emit_msg"
        );
        ev.hash_into(&mut self.hash, &mut self.hash_scratch);
        self.events_total += 1;
        if self.record {
            self.trace.push(ev);
        }
    }

    /// Trace a message sent (with the time it will arrive) or delivered. The hash is taken from
    /// the message itself (`trace::hash_msg`); the event, with its summary text (`msgSent`
    /// only), is built only while something records (a seek replaying unseen never builds it):
    /// a busy run traces two of these for every message.
    pub fn emit_msg(&mut self, id: u64, msg: &Message, deliver_at_us: Option<u64>) {
        let at_ms = self.now_ms();
        let deliver_at_ms = deliver_at_us.map(us_to_ms);
        crate::trace::hash_msg(&mut self.hash, at_ms, id, msg, deliver_at_ms);
        self.events_total += 1;
        if !self.record || !self.record_messages {
            return;
        }
        let msg_type = MsgType::from(msg.kind_name());
        let (from, to, term) = (msg.from, msg.to, msg.term);
        self.trace.push(match deliver_at_ms {
            Some(deliver_at_ms) => TraceEvent::MsgSent {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
                summary: MsgSummary::Parts(msg.summary_parts()),
                deliver_at_ms,
            },
            None => TraceEvent::MsgDelivered {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
            },
        });
    }

    /// Report a checker violation into the trace.
    pub fn flush_violations(&mut self) {
        // Asked after every event, and nearly always empty: no list is taken and dropped then.
        if !self.safety.has_new() {
            return;
        }
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
            Ev::Deliver { id, msg, sent_us } => {
                if self.cfg.delivery == Delivery::Manual {
                    let due_us = self.now_us;
                    self.held.insert(
                        id,
                        HeldMsg {
                            msg,
                            sent_us,
                            due_us,
                        },
                    );
                } else {
                    self.deliver(id, msg);
                }
            }
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
                msg_type: msg.kind_name().into(),
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
        self.emit_msg(id, &msg, None);
        self.touch(to);
        let n = self.nodes.get_mut(&to).expect("checked above");
        let msg_type = msg.kind_name();
        let refused = match n.raft.as_mut() {
            // A message raft-core refuses is input it considers impossible; ignoring it is what
            // a real server would do, and the trace says why. The same refusal repeats with
            // every heartbeat while its cause lasts (after an injected bug, for ever), so it is
            // traced again only after a message of that kind from that sender was accepted.
            Some(r) => r.step(msg).err().map(|e| RefusalReason::from(&e)),
            None => None,
        };
        match refused {
            Some(reason) if n.last_refusal.get(&(from, msg_type)) != Some(&reason) => {
                n.last_refusal.insert((from, msg_type), reason.clone());
                let at_ms = self.now_ms();
                self.emit(TraceEvent::MsgRefused {
                    at_ms,
                    node: to,
                    from,
                    msg_type: msg_type.into(),
                    reason,
                });
            }
            Some(_) => {}
            None => {
                n.last_refusal.remove(&(from, msg_type));
            }
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

    /// A rough size in bytes of what a clone of this world holds on its own, for the checkpoint
    /// budget. Logs, disks and the checkers' per-index maps are `SharedVec`s: a clone copies
    /// one pointer per full chunk of each, and the elements of the last one.
    pub fn checkpoint_bytes(&self) -> u64 {
        const CHUNK: u64 = raft_core::SHARED_CHUNK_LEN as u64;
        // Pointers of one shared vector of `len` elements, plus its last chunk's copy (counted
        // full: a rough upper bound).
        let shared = |len: u64, elem_bytes: u64| (len / CHUNK + 1) * 8 + CHUNK * elem_bytes;
        let per_node: u64 = self
            .nodes
            .values()
            .map(|n| {
                let len = n.storage.entries.len() as u64;
                // raft-core's log and the disk (entries ~100 bytes), the checker's shadow log,
                // and a few kilobytes of progress, sessions, inbox and key-value data.
                2 * shared(len, 100) + shared(len, 16) + 4096 + n.kv.data.len() as u64 * 64
            })
            .sum();
        let committed = self.nodes.values().map(|n| n.applied.0).max().unwrap_or(0);
        // Three checker maps by index; queued events, messages with their entries.
        let waiting = (self.queue.len() + self.held.len()) as u64;
        per_node + 3 * shared(committed, 32) + waiting * 200 + 16 * 1024
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

impl World {
    /// Report a linearizability violation with the other checkers' findings.
    pub fn lin_violation(&mut self, v: crate::lincheck::LinViolation) {
        let at_ms = self.now_ms();
        self.safety
            .report(at_ms, "linearizability", Vec::new(), None, v.detail);
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
}
