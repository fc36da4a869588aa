//! A deterministic in-memory harness: nodes, their disks, and a network that delivers in FIFO
//! order until quiet, with drops, cuts, isolation and held persistence.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use raft_core::*;

/// Seeds for a property test: `default`, or `RAFT_CORE_SEEDS` for a longer campaign.
pub fn seed_count(default: u64) -> u64 {
    std::env::var("RAFT_CORE_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A log written as (index, term) pairs.
pub type Log<'a> = &'a [(u64, u64)];

pub fn ids(n: u64) -> Vec<NodeId> {
    (1..=n).map(NodeId).collect()
}

pub fn config(id: u64, voters: &[NodeId]) -> Config {
    let mut c = Config::new(NodeId(id), voters.to_vec());
    c.rng_seed = 1000 + id;
    c
}

/// What one Ready asks the disk to do.
pub struct DiskWrite {
    pub hard_state: Option<HardState>,
    pub snapshot: Option<Snapshot>,
    pub truncate_from: Option<LogIndex>,
    pub entries: Vec<Entry>,
}

impl DiskWrite {
    pub fn of(rd: &Ready) -> DiskWrite {
        DiskWrite {
            hard_state: rd.hard_state,
            snapshot: rd.snapshot.clone().or_else(|| rd.compacted.clone()),
            truncate_from: rd.truncate_from,
            entries: rd.entries.clone(),
        }
    }

    /// Persist, in the documented order.
    pub fn apply(&self, disk: &mut PersistedState) {
        if let Some(snap) = &self.snapshot {
            disk.entries.retain(|e| e.index > snap.index);
            disk.snapshot = Some(snap.clone());
        }
        if let Some(t) = self.truncate_from {
            disk.entries.retain(|e| e.index < t);
        }
        disk.entries.extend(self.entries.iter().cloned());
        if let Some(hs) = self.hard_state {
            disk.hard_state = hs;
        }
    }
}

/// Everything a lone node emits until it has nothing more, persisting at once.
#[derive(Default, Debug)]
pub struct Drained {
    pub messages: Vec<Message>,
    pub events: Vec<Event>,
    pub committed: Vec<Entry>,
    pub read_states: Vec<ReadState>,
    pub entries: Vec<Entry>,
}

pub fn drain(node: &mut RawNode) -> Drained {
    let mut out = Drained::default();
    let mut guard = 0;
    while node.has_ready() {
        guard += 1;
        assert!(guard < 100, "ready loop does not settle");
        let mut rd = node.ready();
        out.messages.append(&mut rd.messages);
        out.events.append(&mut rd.events);
        out.committed.append(&mut rd.committed_entries);
        out.read_states.append(&mut rd.read_states);
        out.entries.extend(rd.entries.iter().cloned());
        let t = rd.persist_token();
        node.advance(t);
    }
    out
}

pub fn msg(from: u64, to: u64, term: u64, payload: Payload) -> Message {
    Message {
        from: NodeId(from),
        to: NodeId(to),
        term: Term(term),
        payload,
    }
}

pub fn ents(pairs: &[(u64, u64)]) -> Vec<Entry> {
    pairs
        .iter()
        .map(|&(i, t)| Entry::normal(LogIndex(i), Term(t), vec![i as u8]))
        .collect()
}

/// A node whose disk already holds `log` (index, term pairs) at `term`.
pub fn node_with_log(
    id: u64,
    voters: &[NodeId],
    term: u64,
    log: &[(u64, u64)],
    tweak: impl Fn(&mut Config),
) -> RawNode {
    let mut c = config(id, voters);
    tweak(&mut c);
    let persisted = PersistedState {
        hard_state: HardState {
            term: Term(term),
            vote: None,
            commit: LogIndex(0),
        },
        snapshot: None,
        entries: ents(log),
    };
    RawNode::restart(c, persisted, 0).expect("valid restart")
}

pub struct Cluster {
    pub nodes: BTreeMap<NodeId, RawNode>,
    pub configs: BTreeMap<NodeId, Config>,
    pub disks: BTreeMap<NodeId, PersistedState>,
    pub applied: BTreeMap<NodeId, Vec<Entry>>,
    pub reads: BTreeMap<NodeId, Vec<ReadState>>,
    pub events: Vec<(NodeId, Event)>,
    pub now_ms: u64,
    pub queue: VecDeque<Message>,
    /// Directed links that drop everything.
    pub cut: BTreeSet<(NodeId, NodeId)>,
    /// Message kinds dropped everywhere.
    pub ignore: BTreeSet<MessageKind>,
    /// Nodes whose Readies are persisted but not acknowledged (advance held).
    pub hold_persist: BTreeSet<NodeId>,
    pub held_tokens: BTreeMap<NodeId, Vec<(DiskWrite, PersistToken)>>,
    pub delivered: BTreeMap<MessageKind, usize>,
    pub step_errors: Vec<StepError>,
    /// Drop messages matching this predicate.
    pub drop_if: Option<fn(&Message) -> bool>,
    /// Rewrite (or drop, with `None`) each message before delivery.
    pub rewrite: Option<fn(Message) -> Option<Message>>,
    /// Each node's Ready, refilled by `ready_into` every round (emptied by the round before,
    /// its lists' room kept).
    pub kept: BTreeMap<NodeId, Ready>,
}

impl Cluster {
    pub fn new(n: u64) -> Cluster {
        Cluster::with(n, |_| {})
    }

    pub fn with(n: u64, tweak: impl Fn(&mut Config)) -> Cluster {
        let voters = ids(n);
        let mut cl = Cluster::empty();
        for id in &voters {
            let mut c = config(id.0, &voters);
            tweak(&mut c);
            cl.add_node(c);
        }
        cl
    }

    pub fn empty() -> Cluster {
        Cluster {
            nodes: BTreeMap::new(),
            configs: BTreeMap::new(),
            disks: BTreeMap::new(),
            applied: BTreeMap::new(),
            reads: BTreeMap::new(),
            events: Vec::new(),
            now_ms: 0,
            queue: VecDeque::new(),
            cut: BTreeSet::new(),
            ignore: BTreeSet::new(),
            hold_persist: BTreeSet::new(),
            held_tokens: BTreeMap::new(),
            delivered: BTreeMap::new(),
            step_errors: Vec::new(),
            drop_if: None,
            rewrite: None,
            kept: BTreeMap::new(),
        }
    }

    pub fn add_node(&mut self, c: Config) {
        let node = RawNode::new(c.clone(), self.now_ms).expect("valid config");
        self.insert(c, node, PersistedState::default());
    }

    pub fn insert(&mut self, c: Config, mut node: RawNode, disk: PersistedState) {
        let id = c.id;
        node.tick(self.now_ms);
        self.nodes.insert(id, node);
        self.configs.insert(id, c);
        self.disks.insert(id, disk);
        self.applied.entry(id).or_default();
    }

    pub fn node(&self, id: u64) -> &RawNode {
        &self.nodes[&NodeId(id)]
    }

    pub fn node_mut(&mut self, id: u64) -> &mut RawNode {
        self.nodes.get_mut(&NodeId(id)).expect("live node")
    }

    pub fn status(&self, id: u64) -> Status {
        self.node(id).status()
    }

    pub fn leaders(&self) -> Vec<NodeId> {
        self.nodes
            .values()
            .filter(|n| n.status().role == Role::Leader)
            .map(|n| n.id())
            .collect()
    }

    pub fn leader(&self) -> Option<NodeId> {
        let l = self.leaders();
        let max_term = l.iter().map(|id| self.nodes[id].status().term).max()?;
        l.into_iter()
            .find(|id| self.nodes[id].status().term == max_term)
    }

    fn handle_ready(&mut self, id: NodeId) -> bool {
        let Some(node) = self.nodes.get_mut(&id) else {
            return false;
        };
        if !node.has_ready() {
            return false;
        }
        // Every Ready is taken both ways, `ready` from a copy of the node and `ready_into` the
        // node's kept one: they must hand out the same things.
        let fresh = node.clone().ready();
        let mut rd = self.kept.remove(&id).unwrap_or_default();
        node.ready_into(&mut rd);
        assert_eq!(
            format!("{rd:?}"),
            format!("{fresh:?}"),
            "ready_into differs from ready"
        );
        let write = DiskWrite::of(&rd);
        if !self.hold_persist.contains(&id) {
            write.apply(self.disks.get_mut(&id).expect("disk"));
        }
        for m in rd.messages.drain(..) {
            self.queue.push_back(m);
        }
        if let Some(s) = &rd.snapshot {
            // The state machine is restored from the snapshot; keep applied entries as a marker.
            let applied = self.applied.get_mut(&id).expect("applied");
            applied.retain(|e| e.index <= s.index);
        }
        self.applied
            .get_mut(&id)
            .expect("applied")
            .append(&mut rd.committed_entries);
        self.reads
            .entry(id)
            .or_default()
            .append(&mut rd.read_states);
        for e in rd.events.drain(..) {
            self.events.push((id, e));
        }
        let token = rd.persist_token();
        if self.hold_persist.contains(&id) {
            self.held_tokens.entry(id).or_default().push((write, token));
        } else {
            self.nodes.get_mut(&id).expect("node").advance(token);
        }
        self.kept.insert(id, rd);
        true
    }

    /// Release every held persistence acknowledgement of `id`.
    pub fn release_persist(&mut self, id: u64) {
        let id = NodeId(id);
        self.hold_persist.remove(&id);
        for (w, t) in self.held_tokens.remove(&id).unwrap_or_default() {
            w.apply(self.disks.get_mut(&id).expect("disk"));
            self.nodes.get_mut(&id).expect("node").advance(t);
        }
    }

    fn flush_readies(&mut self) {
        loop {
            let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
            let mut any = false;
            for id in ids {
                any |= self.handle_ready(id);
            }
            if !any {
                break;
            }
        }
    }

    fn dropped(&self, m: &Message) -> bool {
        self.cut.contains(&(m.from, m.to))
            || self.ignore.contains(&m.kind())
            || !self.nodes.contains_key(&m.to)
            || self.drop_if.is_some_and(|f| f(m))
    }

    /// Deliver one queued message. Returns false when the network is quiet.
    pub fn deliver_one(&mut self) -> bool {
        self.flush_readies();
        let Some(m) = self.queue.pop_front() else {
            return false;
        };
        if self.dropped(&m) {
            return true;
        }
        let m = match self.rewrite {
            Some(f) => match f(m) {
                Some(m) => m,
                None => return true,
            },
            None => m,
        };
        *self.delivered.entry(m.kind()).or_default() += 1;
        let to = m.to;
        if let Err(e) = self.nodes.get_mut(&to).expect("live").step(m) {
            self.step_errors.push(e);
        }
        true
    }

    /// Deliver until no message is in flight (bounded).
    pub fn stabilize(&mut self) {
        let mut n = 0;
        while self.deliver_one() {
            n += 1;
            assert!(n < 200_000, "network does not quiesce");
        }
    }

    /// Messages that are queued now, taken out of the network (for inspection or reordering).
    pub fn take_queue(&mut self) -> Vec<Message> {
        self.flush_readies();
        self.queue.drain(..).collect()
    }

    pub fn send(&mut self, m: Message) {
        self.queue.push_back(m);
    }

    /// Advance virtual time to `t`, firing timers and delivering between deadlines.
    pub fn run_until(&mut self, t: u64) {
        loop {
            self.stabilize();
            let next = self
                .nodes
                .values()
                .filter_map(|n| n.next_deadline_ms())
                .min();
            match next {
                Some(d) if d <= t => {
                    self.now_ms = self.now_ms.max(d);
                    let now = self.now_ms;
                    for n in self.nodes.values_mut() {
                        n.tick(now);
                    }
                }
                _ => break,
            }
        }
        self.now_ms = self.now_ms.max(t);
        let now = self.now_ms;
        for n in self.nodes.values_mut() {
            n.tick(now);
        }
        self.stabilize();
    }

    pub fn run_for(&mut self, ms: u64) {
        let t = self.now_ms + ms;
        self.run_until(t);
    }

    pub fn campaign(&mut self, id: u64) {
        self.node_mut(id).campaign();
        self.stabilize();
    }

    pub fn propose(&mut self, id: u64, data: &[u8]) -> Result<LogIndex, ProposeError> {
        let r = self.node_mut(id).propose(data.to_vec());
        self.stabilize();
        r
    }

    pub fn isolate(&mut self, id: u64) {
        let id = NodeId(id);
        let others: Vec<NodeId> = self.configs.keys().copied().filter(|o| *o != id).collect();
        for o in others {
            self.cut.insert((id, o));
            self.cut.insert((o, id));
        }
    }

    pub fn cut_link(&mut self, a: u64, b: u64) {
        self.cut.insert((NodeId(a), NodeId(b)));
        self.cut.insert((NodeId(b), NodeId(a)));
    }

    pub fn heal(&mut self) {
        self.cut.clear();
        self.ignore.clear();
        self.drop_if = None;
        self.rewrite = None;
    }

    /// Crash: the node and its unpersisted state vanish; the disk stays.
    pub fn crash(&mut self, id: u64) {
        let id = NodeId(id);
        self.nodes.remove(&id);
        self.held_tokens.remove(&id);
        self.hold_persist.remove(&id);
        self.queue.retain(|m| m.to != id && m.from != id);
    }

    pub fn restart(&mut self, id: u64) {
        let id = NodeId(id);
        let c = self.configs[&id].clone();
        let disk = self.disks[&id].clone();
        let node = RawNode::restart(c.clone(), disk.clone(), self.now_ms).expect("restart");
        self.applied.insert(id, Vec::new());
        self.insert(c, node, disk);
    }

    /// Elect `id` by forcing its timeout, then let the network settle.
    pub fn elect(&mut self, id: u64) {
        self.campaign(id);
        assert_eq!(
            self.status(id).role,
            Role::Leader,
            "node {id} failed to win"
        );
    }

    pub fn log_terms(&self, id: u64) -> Vec<(u64, u64)> {
        let n = self.node(id);
        let s = n.status();
        n.entries(s.first_index, s.last_index)
            .iter()
            .map(|e| (e.index.0, e.term.0))
            .collect()
    }

    pub fn count_events(&self, f: impl Fn(&Event) -> bool) -> usize {
        self.events.iter().filter(|(_, e)| f(e)).count()
    }
}

/// Figure 2 alone: no PreVote, no CheckQuorum.
pub fn paper(c: &mut Config) {
    c.pre_vote = false;
    c.check_quorum = false;
    c.leader_stickiness = false;
}

/// A lone node of `voters` made leader by feeding it vote grants; returns what it sent last.
pub fn make_leader(node: &mut RawNode) -> Drained {
    node.campaign();
    let mut d = drain(node);
    if node.status().role == Role::PreCandidate {
        let term = node.status().term.0 + 1;
        for v in node.status().voters {
            if v != node.id() {
                node.step(msg(
                    v.0,
                    node.id().0,
                    term,
                    Payload::PreVoteResp { reject: false },
                ))
                .unwrap();
            }
        }
        d = drain(node);
    }
    let term = node.status().term.0;
    for v in node.status().voters {
        if node.status().role == Role::Leader {
            break;
        }
        if v != node.id() {
            node.step(msg(
                v.0,
                node.id().0,
                term,
                Payload::VoteResp { reject: false },
            ))
            .unwrap();
        }
    }
    let more = drain(node);
    assert_eq!(node.status().role, Role::Leader);
    let _ = d;
    more
}

/// Messages of one kind.
pub fn of_kind(ms: &[Message], kind: MessageKind) -> Vec<Message> {
    ms.iter().filter(|m| m.kind() == kind).cloned().collect()
}

/// A small seeded PRNG for schedules (xorshift64*).
#[derive(Clone)]
pub struct TestRng(pub u64);

impl TestRng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

impl Cluster {
    /// Deliver queued messages in a seeded random order, dropping `drop_pct` percent.
    pub fn stabilize_shuffled(&mut self, rng: &mut TestRng, drop_pct: u64) {
        let mut n = 0;
        loop {
            self.flush_readies_pub();
            if self.queue.is_empty() {
                break;
            }
            n += 1;
            assert!(n < 200_000, "network does not quiesce");
            let i = rng.below(self.queue.len() as u64) as usize;
            let m = self.queue.remove(i).expect("index in range");
            if rng.below(100) < drop_pct
                || self.cut.contains(&(m.from, m.to))
                || !self.nodes.contains_key(&m.to)
            {
                continue;
            }
            *self.delivered.entry(m.kind()).or_default() += 1;
            let to = m.to;
            if let Err(e) = self.nodes.get_mut(&to).expect("live").step(m) {
                self.step_errors.push(e);
            }
        }
    }

    /// Like `run_until`, but with shuffled, lossy delivery between deadlines.
    pub fn run_shuffled(&mut self, t: u64, rng: &mut TestRng, drop_pct: u64) {
        loop {
            self.stabilize_shuffled(rng, drop_pct);
            let next = self
                .nodes
                .values()
                .filter_map(|n| n.next_deadline_ms())
                .min();
            match next {
                Some(d) if d <= t => {
                    self.now_ms = self.now_ms.max(d);
                    let now = self.now_ms;
                    for n in self.nodes.values_mut() {
                        n.tick(now);
                    }
                }
                _ => break,
            }
        }
        self.now_ms = self.now_ms.max(t);
    }

    pub fn flush_readies_pub(&mut self) {
        self.flush_readies();
    }

    /// Every (term, leader) pair any node ever became leader in.
    pub fn leaders_by_term(&self) -> Vec<(Term, NodeId)> {
        self.events
            .iter()
            .filter_map(|(id, e)| match e {
                Event::RoleChanged {
                    to: Role::Leader,
                    term,
                    ..
                } => Some((*term, *id)),
                _ => None,
            })
            .collect()
    }

    /// Panics if two different nodes led the same term (Election Safety, §5.2).
    pub fn assert_one_leader_per_term(&self) {
        let mut seen: BTreeMap<Term, NodeId> = BTreeMap::new();
        for (term, id) in self.leaders_by_term() {
            if let Some(prev) = seen.insert(term, id) {
                assert_eq!(prev, id, "two leaders in term {term}: {prev} and {id}");
            }
        }
    }
}
