//! `ClusterState`: everything the page draws, as plain serde data (camelCase JSON).

use crate::SortedMap;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use raft_core::{LogIndex, NodeId, Role, Term};
use serde::{Deserialize, Serialize};

use crate::checker::CheckReport;
use crate::client::ClientView;
use crate::kv::Session;
use crate::network::{Endpoint, LinkView};
use crate::node::NodeStatus;
use crate::trace::us_to_ms;
use crate::world::{entry_summary, Ev, World};
use crate::write::WriteJson;

/// A sorted map as a JSON object even when it is empty (litemap writes an empty map as `[]`,
/// which is not the `Record` the TypeScript types promise).
fn as_object<K: Serialize, V: Serialize, S: serde::Serializer>(
    map: &SortedMap<K, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(map.iter())
}

/// At most this many of the newest log entries per node are listed (the page shows a window;
/// listing 30 000 entries every frame would make a long run crawl).
pub const STATE_LOG_ENTRIES_MAX: usize = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntryView {
    pub index: LogIndex,
    pub term: Term,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressView {
    pub peer: NodeId,
    pub next_index: LogIndex,
    pub match_index: LogIndex,
    pub state: raft_core::ProgressState,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeState {
    pub id: NodeId,
    pub status: NodeStatus,
    pub role: Role,
    pub term: Term,
    pub voted_for: Option<NodeId>,
    pub leader: Option<NodeId>,
    pub log: Vec<LogEntryView>,
    /// Index of the last entry (the listed log may be a window ending here).
    pub last_index: LogIndex,
    pub commit_index: LogIndex,
    pub last_applied: LogIndex,
    pub snapshot_index: LogIndex,
    pub snapshot_term: Term,
    /// Simulated time at which the election timer fires (null when it is not armed).
    pub election_deadline_ms: Option<f64>,
    pub election_timeout_ms: u64,
    pub progress: Vec<ProgressView>,
    pub voters: Vec<NodeId>,
    pub learners: Vec<NodeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joint_voters: Option<Vec<NodeId>>,
    /// The key-value store (always a JSON object, `{}` when empty).
    #[serde(serialize_with = "as_object")]
    pub kv: SortedMap<String, String>,
    /// The session table behind exactly-once writes: per client id, the last sequence number
    /// applied and its result (dissertation §6.3). Rebuilt by applying; empty while crashed.
    #[serde(serialize_with = "as_object")]
    pub sessions: SortedMap<u64, Session>,
    pub clock_skew_ppm: i64,
    /// A write is on its way to disk (acks wait for it).
    pub disk_busy: bool,
    /// What the disk holds now; the rest of this view is the node's memory, which may be ahead
    /// of it while a write is on its way (Figure 2: currentTerm, votedFor and log[] must reach
    /// stable storage before the node answers). A crashed node's view is its disk.
    pub disk: DiskView,
    /// Candidates and pre-candidates: the answers received in this campaign (§5.2).
    pub votes: Vec<raft_core::VoteRecord>,
}

/// The persisted part of a node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskView {
    pub term: Term,
    pub voted_for: Option<NodeId>,
    /// Saved with the term and vote (as etcd does); the paper keeps it in memory only.
    pub commit_index: LogIndex,
    /// The last log index on disk (the snapshot's index when the log part is empty).
    pub last_index: LogIndex,
}

/// A message's fields by the paper's names (Figure 2; §7 for InstallSnapshot), those its type
/// has; `entries` lists (index, term) only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MsgFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_id: Option<NodeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_log_index: Option<LogIndex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_log_term: Option<Term>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote_granted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_id: Option<NodeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_log_index: Option<LogIndex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_log_term: Option<Term>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<Vec<EntryRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_commit: Option<LogIndex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// On success, the last index now known to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_index: Option<LogIndex>,
    /// On a rejection, the follower's hint: the last index that may match, and its term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_index: Option<LogIndex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_term: Option<Term>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_included_index: Option<LogIndex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_included_term: Option<Term>,
}

/// One entry an AppendEntries carries, without its payload.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryRef {
    pub index: LogIndex,
    pub term: Term,
}

impl MsgFields {
    pub fn of(msg: &raft_core::Message) -> MsgFields {
        use raft_core::Payload as P;
        let mut f = MsgFields::default();
        match &msg.payload {
            P::PreVote {
                last_index,
                last_term,
            }
            | P::Vote {
                last_index,
                last_term,
                ..
            } => {
                f.candidate_id = Some(msg.from);
                f.last_log_index = Some(*last_index);
                f.last_log_term = Some(*last_term);
            }
            P::PreVoteResp { reject } | P::VoteResp { reject } => f.vote_granted = Some(!reject),
            P::Append {
                prev_index,
                prev_term,
                entries,
                commit,
            } => {
                f.leader_id = Some(msg.from);
                f.prev_log_index = Some(*prev_index);
                f.prev_log_term = Some(*prev_term);
                f.entries = Some(
                    entries
                        .iter()
                        .map(|e| EntryRef {
                            index: e.index,
                            term: e.term,
                        })
                        .collect(),
                );
                f.leader_commit = Some(*commit);
            }
            P::AppendResp {
                reject,
                index,
                reject_hint,
                hint_term,
            } => {
                f.success = Some(!reject);
                if *reject {
                    f.conflict_index = Some(*reject_hint);
                    f.conflict_term = Some(*hint_term);
                } else {
                    f.match_index = Some(*index);
                }
            }
            P::Heartbeat { commit, .. } => {
                f.leader_id = Some(msg.from);
                f.leader_commit = Some(*commit);
            }
            P::Snapshot { snapshot } => {
                f.leader_id = Some(msg.from);
                f.last_included_index = Some(snapshot.index);
                f.last_included_term = Some(snapshot.term);
            }
            P::SnapshotResp { reject, index } => {
                f.success = Some(!reject);
                f.match_index = Some(*index);
            }
            _ => {}
        }
        f
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightView {
    pub id: u64,
    #[serde(rename = "type")]
    pub msg_type: String,
    pub from: NodeId,
    pub to: NodeId,
    pub term: Term,
    pub sent_at_ms: f64,
    pub deliver_at_ms: f64,
    pub summary: String,
    pub fields: MsgFields,
    /// Manual delivery: its latency has passed (at `deliverAtMs`) and it waits for `deliver`,
    /// `drop` or `duplicate`.
    pub waiting: bool,
}

/// An in-flight view ordered by its id alone, for `World::in_flight_views`' heap.
struct ById(InFlightView);

impl PartialEq for ById {
    fn eq(&self, other: &Self) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for ById {}

impl PartialOrd for ById {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ById {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.id.cmp(&other.0.id)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterState {
    pub now_ms: f64,
    pub nodes: Vec<NodeState>,
    pub links: Vec<crate::network::LinkView>,
    /// Every client <-> server link, both directions (client traffic crosses the network too).
    pub client_links: Vec<crate::network::LinkView>,
    pub in_flight: Vec<InFlightView>,
    pub clients: Vec<ClientView>,
    pub checker: CheckReport,
}

/// The log entries a node's state lists: the newest [`STATE_LOG_ENTRIES_MAX`], each with its
/// summary. Summaries are kept on the node between calls (the page asks for the state 30 times
/// a second, and the window moves on one entry at a time).
fn shown_log(
    n: &crate::node::SimNode,
    r: &raft_core::RawNode,
    s: &raft_core::Status,
    mut f: impl FnMut(LogIndex, Term, &str),
) {
    let lo = LogIndex(
        s.first_index
            .0
            .max((s.last_index.0 + 1).saturating_sub(STATE_LOG_ENTRIES_MAX as u64)),
    );
    let mut summaries = n.summaries.borrow_mut();
    for e in r.entries(lo, s.last_index).iter() {
        match summaries.get(&e.index.0) {
            Some((t, text)) if *t == e.term.0 => f(e.index, e.term, text),
            _ => {
                let text = entry_summary(e);
                f(e.index, e.term, &text);
                summaries.insert(e.index.0, (e.term.0, text));
            }
        }
    }
    // Keep what the next frame will show again: the shown window moves on as the log grows
    // (trimmed in batches, so the sorted vector shifts rarely).
    let keep = 2 * STATE_LOG_ENTRIES_MAX;
    if summaries.len() > keep + keep / 2 {
        let excess = summaries.len() - keep;
        if let Some((&oldest_kept, _)) = summaries.get_indexed(excess) {
            summaries.retain(|&index, _| index >= oldest_kept);
        }
    }
}

/// A crashed node's listed log: the newest [`STATE_LOG_ENTRIES_MAX`] entries on its disk.
fn shown_disk_log(st: &crate::node::Disk, mut f: impl FnMut(LogIndex, Term, &str)) {
    let skip = st.entries.len().saturating_sub(STATE_LOG_ENTRIES_MAX);
    for e in st.entries.range(skip, st.entries.len()) {
        f(e.index, e.term, &entry_summary(e));
    }
}

/// When a running node's election timer fires, in simulated ms (its clock may be skewed).
fn election_deadline_ms(n: &crate::node::SimNode, s: &raft_core::Status) -> Option<f64> {
    s.election_deadline_ms
        .map(|d| us_to_ms(n.clock.sim_us_for_local(d * 1000)))
}

/// JSON text as serde_json writes it, built by hand (see `World::cluster_state_json`).
struct JsonOut(Vec<u8>);

impl JsonOut {
    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// The comma before every item of a list but the first.
    fn comma(&mut self, i: usize) {
        if i > 0 {
            self.0.push(b',');
        }
    }

    fn uint(&mut self, n: u64) {
        crate::write::uint(&mut self.0, n);
    }

    fn int(&mut self, n: i64) {
        crate::write::int(&mut self.0, n);
    }

    fn float(&mut self, x: f64) {
        crate::write::float(&mut self.0, x);
    }

    fn str(&mut self, text: &str) {
        crate::write::string(&mut self.0, text);
    }

    fn opt_id(&mut self, id: Option<NodeId>) {
        id.write_json(&mut self.0);
    }

    fn ids(&mut self, ids: &[NodeId]) {
        ids.write_json(&mut self.0);
    }

    fn endpoint(&mut self, e: Endpoint) {
        e.write_json(&mut self.0);
    }

    fn entry(&mut self, index: LogIndex, term: Term, summary: &str) {
        self.raw("{\"index\":");
        self.uint(index.0);
        self.raw(",\"term\":");
        self.uint(term.0);
        self.raw(",\"summary\":");
        self.str(summary);
        self.0.push(b'}');
    }

    fn link(&mut self, l: &LinkView) {
        self.raw("{\"from\":");
        self.endpoint(l.from);
        self.raw(",\"to\":");
        self.endpoint(l.to);
        self.raw(if l.up {
            ",\"up\":true"
        } else {
            ",\"up\":false"
        });
        self.raw(",\"latencyMsMin\":");
        self.float(l.latency_ms_min);
        self.raw(",\"latencyMsMax\":");
        self.float(l.latency_ms_max);
        self.raw(",\"lossPct\":");
        self.float(l.loss_pct);
        self.raw(",\"dupPct\":");
        self.float(l.dup_pct);
        self.0.push(b'}');
    }

    fn disk(&mut self, d: &DiskView) {
        self.raw("{\"term\":");
        self.uint(d.term.0);
        self.raw(",\"votedFor\":");
        self.opt_id(d.voted_for);
        self.raw(",\"commitIndex\":");
        self.uint(d.commit_index.0);
        self.raw(",\"lastIndex\":");
        self.uint(d.last_index.0);
        self.0.push(b'}');
    }

    fn in_flight(&mut self, m: &InFlightView) {
        self.raw("{\"id\":");
        self.uint(m.id);
        self.raw(",\"type\":");
        self.str(&m.msg_type);
        self.raw(",\"from\":");
        self.uint(m.from.0);
        self.raw(",\"to\":");
        self.uint(m.to.0);
        self.raw(",\"term\":");
        self.uint(m.term.0);
        self.raw(",\"sentAtMs\":");
        self.float(m.sent_at_ms);
        self.raw(",\"deliverAtMs\":");
        self.float(m.deliver_at_ms);
        self.raw(",\"summary\":");
        self.str(&m.summary);
        self.raw(",\"fields\":");
        self.fields(&m.fields);
        self.raw(if m.waiting {
            ",\"waiting\":true}"
        } else {
            ",\"waiting\":false}"
        });
    }

    /// `MsgFields`: only the fields its message has, in their declared order.
    fn fields(&mut self, f: &MsgFields) {
        let mut first = true;
        let mut key = |out: &mut JsonOut, name: &str| {
            out.raw(if first { "{\"" } else { ",\"" });
            first = false;
            out.raw(name);
            out.raw("\":");
        };
        let numbers = [
            ("candidateId", f.candidate_id.map(|n| n.0)),
            ("lastLogIndex", f.last_log_index.map(|i| i.0)),
            ("lastLogTerm", f.last_log_term.map(|t| t.0)),
        ];
        for (name, n) in numbers {
            if let Some(n) = n {
                key(self, name);
                self.uint(n);
            }
        }
        if let Some(granted) = f.vote_granted {
            key(self, "voteGranted");
            self.raw(if granted { "true" } else { "false" });
        }
        let numbers = [
            ("leaderId", f.leader_id.map(|n| n.0)),
            ("prevLogIndex", f.prev_log_index.map(|i| i.0)),
            ("prevLogTerm", f.prev_log_term.map(|t| t.0)),
        ];
        for (name, n) in numbers {
            if let Some(n) = n {
                key(self, name);
                self.uint(n);
            }
        }
        if let Some(entries) = &f.entries {
            key(self, "entries");
            self.0.push(b'[');
            for (i, e) in entries.iter().enumerate() {
                self.comma(i);
                self.raw("{\"index\":");
                self.uint(e.index.0);
                self.raw(",\"term\":");
                self.uint(e.term.0);
                self.0.push(b'}');
            }
            self.0.push(b']');
        }
        if let Some(commit) = f.leader_commit {
            key(self, "leaderCommit");
            self.uint(commit.0);
        }
        if let Some(success) = f.success {
            key(self, "success");
            self.raw(if success { "true" } else { "false" });
        }
        let numbers = [
            ("matchIndex", f.match_index.map(|i| i.0)),
            ("conflictIndex", f.conflict_index.map(|i| i.0)),
            ("conflictTerm", f.conflict_term.map(|t| t.0)),
            ("lastIncludedIndex", f.last_included_index.map(|i| i.0)),
            ("lastIncludedTerm", f.last_included_term.map(|t| t.0)),
        ];
        for (name, n) in numbers {
            if let Some(n) = n {
                key(self, name);
                self.uint(n);
            }
        }
        self.raw(if first { "{}" } else { "}" });
    }

    /// A value that writes itself (the rare and nested parts).
    fn json<T: WriteJson + ?Sized>(&mut self, value: &T) {
        value.write_json(&mut self.0);
    }
}

/// A message in flight as `pending()` lists it (the same object `state()` shows).
impl WriteJson for InFlightView {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut j = JsonOut(std::mem::take(out));
        j.in_flight(self);
        *out = j.0;
    }
}

fn disk_view(d: &crate::node::Disk) -> DiskView {
    let snap = d.snapshot.as_ref().map_or(LogIndex(0), |s| s.index);
    DiskView {
        term: d.hard_state.term,
        voted_for: d.hard_state.vote,
        commit_index: d.hard_state.commit,
        last_index: d.entries.last().map_or(snap, |e| e.index),
    }
}

impl World {
    /// Every message in flight, by id (the order they were sent): those still travelling and,
    /// in manual delivery, those waiting for the user.
    pub fn in_flight_views(&self) -> Vec<InFlightView> {
        let view =
            |id: u64, msg: &raft_core::Message, sent_us: u64, due_us: u64, waiting| InFlightView {
                id,
                msg_type: msg.kind_name().to_string(),
                from: msg.from,
                to: msg.to,
                term: msg.term,
                sent_at_ms: us_to_ms(sent_us),
                deliver_at_ms: us_to_ms(due_us),
                summary: msg.summary(),
                fields: MsgFields::of(msg),
                waiting,
            };
        // By id, through std's heap (the queue's `iter` already uses one) rather than
        // `sort_unstable_by_key`: this was the wasm's last use of std's slice sort, whose
        // instantiation cost 1.2 KB gzipped. Ids are unique, so any sort gives this order.
        let heap: BinaryHeap<ById> = self
            .queue
            .iter()
            .filter_map(|(at, ev)| match ev {
                Ev::Deliver { id, msg, sent_us } => Some(view(*id, msg, *sent_us, at, false)),
                _ => None,
            })
            .chain(
                self.held
                    .iter()
                    .map(|(id, h)| view(*id, &h.msg, h.sent_us, h.due_us, true)),
            )
            .map(ById)
            .collect();
        heap.into_sorted_vec().into_iter().map(|m| m.0).collect()
    }

    /// Every server <-> server link, both directions, in `ClusterState.links`' order.
    fn each_link(&self, mut f: impl FnMut(LinkView)) {
        for &a in self.nodes.keys() {
            for &b in self.nodes.keys() {
                if a != b {
                    f(self.net.view(Endpoint::Node(a), Endpoint::Node(b)));
                }
            }
        }
    }

    /// Every client <-> server link, both directions, in `ClusterState.clientLinks`' order.
    fn each_client_link(&self, mut f: impl FnMut(LinkView)) {
        for &c in self.clients.keys() {
            for &n in self.nodes.keys() {
                let (c, n) = (Endpoint::Client(c), Endpoint::Node(n));
                f(self.net.view(c, n));
                f(self.net.view(n, c));
            }
        }
    }

    pub fn cluster_state(&self) -> ClusterState {
        let mut nodes = Vec::new();
        for n in self.nodes.values() {
            nodes.push(self.node_state(n.id));
        }
        let mut links: Vec<LinkView> = Vec::new();
        self.each_link(|l| links.push(l));
        let mut client_links: Vec<LinkView> = Vec::new();
        self.each_client_link(|l| client_links.push(l));
        let in_flight = self.in_flight_views();
        ClusterState {
            now_ms: self.now_ms(),
            nodes,
            links,
            client_links,
            in_flight,
            clients: self.clients.values().map(|c| c.view()).collect(),
            // The incremental verdict (cheap enough for every frame); `check()` also searches
            // the open linearizability segments.
            checker: self.safety.report_card(),
        }
    }

    fn node_state(&self, id: NodeId) -> NodeState {
        let n = &self.nodes[&id];
        let clock_skew_ppm = n.clock.rate_ppm();
        let disk_busy = !n.pending_writes.is_empty();
        let kv = n.kv.data.clone();
        let sessions = n.kv.sessions.clone();
        match n.raft.as_ref() {
            Some(r) => {
                let s = r.status();
                let mut log = Vec::new();
                shown_log(n, r, &s, |index, term, summary| {
                    log.push(LogEntryView {
                        index,
                        term,
                        summary: summary.to_string(),
                    })
                });
                let progress = s
                    .progress
                    .iter()
                    .map(|p| ProgressView {
                        peer: p.peer,
                        next_index: p.next_index,
                        match_index: p.match_index,
                        state: p.state,
                    })
                    .collect();
                NodeState {
                    id,
                    status: n.status,
                    role: s.role,
                    term: s.term,
                    voted_for: s.voted_for,
                    leader: s.leader,
                    log,
                    last_index: s.last_index,
                    commit_index: s.commit,
                    last_applied: n.applied,
                    snapshot_index: s.snapshot_index,
                    snapshot_term: s.snapshot_term,
                    election_deadline_ms: election_deadline_ms(n, &s),
                    election_timeout_ms: s.election_timeout_ms,
                    progress,
                    voters: s.voters.clone(),
                    learners: s.learners.clone(),
                    joint_voters: if s.voters_outgoing.is_empty() {
                        None
                    } else {
                        Some(s.voters_outgoing.clone())
                    },
                    kv,
                    sessions,
                    clock_skew_ppm,
                    disk_busy,
                    disk: disk_view(&n.storage),
                    votes: s.votes.clone(),
                }
            }
            None => {
                // Crashed: show what the disk holds.
                let st = &n.storage;
                let mut log = Vec::new();
                shown_disk_log(st, |index, term, summary| {
                    log.push(LogEntryView {
                        index,
                        term,
                        summary: summary.to_string(),
                    })
                });
                let (snap_index, snap_term) = st
                    .snapshot
                    .as_ref()
                    .map_or((LogIndex(0), Term(0)), |s| (s.index, s.term));
                NodeState {
                    id,
                    status: n.status,
                    role: Role::Follower,
                    term: st.hard_state.term,
                    voted_for: st.hard_state.vote,
                    leader: None,
                    log,
                    last_index: st.entries.last().map_or(snap_index, |e| e.index),
                    commit_index: st.hard_state.commit,
                    last_applied: LogIndex(0),
                    snapshot_index: snap_index,
                    snapshot_term: snap_term,
                    election_deadline_ms: None,
                    election_timeout_ms: 0,
                    progress: Vec::new(),
                    voters: Vec::new(),
                    learners: Vec::new(),
                    joint_voters: None,
                    kv: SortedMap::new(),
                    sessions: SortedMap::new(),
                    clock_skew_ppm,
                    disk_busy: false,
                    disk: disk_view(st),
                    votes: Vec::new(),
                }
            }
        }
    }

    /// `ClusterState`'s JSON text written straight from the world: the same text as
    /// `serde_json::to_string(&self.cluster_state())` (a test holds the two equal), without
    /// building most of the state's vectors, maps and strings first (the messages in flight
    /// and each node's status are still built, then written). The page asks for it up to 30
    /// times a second per playground (web/driver.js), and in wasm building and serializing the
    /// structs took 0.1-0.4 ms a call.
    pub fn cluster_state_json(&self) -> String {
        let mut out = JsonOut(Vec::with_capacity(8 * 1024));
        out.raw("{\"nowMs\":");
        out.float(self.now_ms());
        out.raw(",\"nodes\":[");
        for (i, n) in self.nodes.values().enumerate() {
            out.comma(i);
            self.write_node(&mut out, n);
        }
        out.raw("],\"links\":[");
        let mut i = 0;
        self.each_link(|l| {
            out.comma(i);
            out.link(&l);
            i += 1;
        });
        out.raw("],\"clientLinks\":[");
        let mut i = 0;
        self.each_client_link(|l| {
            out.comma(i);
            out.link(&l);
            i += 1;
        });
        out.raw("],\"inFlight\":[");
        for (i, m) in self.in_flight_views().iter().enumerate() {
            out.comma(i);
            out.in_flight(m);
        }
        // Clients and the checker's verdict are short (usually one client, no violation) and
        // their types nest enums: their `WriteJson` impls (write.rs) write them.
        out.raw("],\"clients\":[");
        for (i, c) in self.clients.values().enumerate() {
            out.comma(i);
            out.json(&c.view());
        }
        out.raw("],\"checker\":");
        out.json(&self.safety.report_card());
        out.raw("}");
        crate::write::text(out.0)
    }

    /// One `NodeState`, in its fields' order, as `node_state` builds it.
    fn write_node(&self, out: &mut JsonOut, n: &crate::node::SimNode) {
        out.raw("{\"id\":");
        out.uint(n.id.0);
        out.raw(",\"status\":");
        out.raw(match n.status {
            NodeStatus::Up => "\"up\"",
            NodeStatus::Paused => "\"paused\"",
            NodeStatus::Crashed => "\"crashed\"",
        });
        let skew = n.clock.rate_ppm();
        match n.raft.as_ref() {
            Some(r) => {
                let s = r.status();
                out.raw(",\"role\":");
                out.raw(match s.role {
                    Role::Follower => "\"follower\"",
                    Role::PreCandidate => "\"preCandidate\"",
                    Role::Candidate => "\"candidate\"",
                    Role::Leader => "\"leader\"",
                });
                out.raw(",\"term\":");
                out.uint(s.term.0);
                out.raw(",\"votedFor\":");
                out.opt_id(s.voted_for);
                out.raw(",\"leader\":");
                out.opt_id(s.leader);
                out.raw(",\"log\":[");
                let mut i = 0;
                shown_log(n, r, &s, |index, term, summary| {
                    out.comma(i);
                    out.entry(index, term, summary);
                    i += 1;
                });
                out.raw("],\"lastIndex\":");
                out.uint(s.last_index.0);
                out.raw(",\"commitIndex\":");
                out.uint(s.commit.0);
                out.raw(",\"lastApplied\":");
                out.uint(n.applied.0);
                out.raw(",\"snapshotIndex\":");
                out.uint(s.snapshot_index.0);
                out.raw(",\"snapshotTerm\":");
                out.uint(s.snapshot_term.0);
                out.raw(",\"electionDeadlineMs\":");
                match election_deadline_ms(n, &s) {
                    Some(ms) => out.float(ms),
                    None => out.raw("null"),
                }
                out.raw(",\"electionTimeoutMs\":");
                out.uint(s.election_timeout_ms);
                out.raw(",\"progress\":[");
                for (i, p) in s.progress.iter().enumerate() {
                    out.comma(i);
                    out.raw("{\"peer\":");
                    out.uint(p.peer.0);
                    out.raw(",\"nextIndex\":");
                    out.uint(p.next_index.0);
                    out.raw(",\"matchIndex\":");
                    out.uint(p.match_index.0);
                    out.raw(",\"state\":");
                    out.raw(match p.state {
                        raft_core::ProgressState::Probe => "\"probe\"}",
                        raft_core::ProgressState::Replicate => "\"replicate\"}",
                        raft_core::ProgressState::Snapshot => "\"snapshot\"}",
                    });
                }
                out.raw("],\"voters\":");
                out.ids(&s.voters);
                out.raw(",\"learners\":");
                out.ids(&s.learners);
                if !s.voters_outgoing.is_empty() {
                    out.raw(",\"jointVoters\":");
                    out.ids(&s.voters_outgoing);
                }
                out.raw(",\"kv\":{");
                for (i, (k, v)) in n.kv.data.iter().enumerate() {
                    out.comma(i);
                    out.str(k);
                    out.raw(":");
                    out.str(v);
                }
                out.raw("},\"sessions\":{");
                for (i, (client, session)) in n.kv.sessions.iter().enumerate() {
                    out.comma(i);
                    // A map's number keys are strings in JSON.
                    out.raw("\"");
                    out.uint(*client);
                    out.raw("\":");
                    out.json(session);
                }
                out.raw("},\"clockSkewPpm\":");
                out.int(skew);
                out.raw(",\"diskBusy\":");
                out.raw(if n.pending_writes.is_empty() {
                    "false"
                } else {
                    "true"
                });
                out.raw(",\"disk\":");
                out.disk(&disk_view(&n.storage));
                out.raw(",\"votes\":[");
                for (i, v) in s.votes.iter().enumerate() {
                    out.comma(i);
                    out.raw("{\"node\":");
                    out.uint(v.node.0);
                    out.raw(if v.granted {
                        ",\"granted\":true}"
                    } else {
                        ",\"granted\":false}"
                    });
                }
                out.raw("]}");
            }
            None => {
                // Crashed: what the disk holds, as `node_state` shows it.
                let st = &n.storage;
                let (snap_index, snap_term) = st
                    .snapshot
                    .as_ref()
                    .map_or((LogIndex(0), Term(0)), |s| (s.index, s.term));
                out.raw(",\"role\":\"follower\",\"term\":");
                out.uint(st.hard_state.term.0);
                out.raw(",\"votedFor\":");
                out.opt_id(st.hard_state.vote);
                out.raw(",\"leader\":null,\"log\":[");
                let mut i = 0;
                shown_disk_log(st, |index, term, summary| {
                    out.comma(i);
                    out.entry(index, term, summary);
                    i += 1;
                });
                out.raw("],\"lastIndex\":");
                out.uint(st.entries.last().map_or(snap_index, |e| e.index).0);
                out.raw(",\"commitIndex\":");
                out.uint(st.hard_state.commit.0);
                out.raw(",\"lastApplied\":0,\"snapshotIndex\":");
                out.uint(snap_index.0);
                out.raw(",\"snapshotTerm\":");
                out.uint(snap_term.0);
                out.raw(",\"electionDeadlineMs\":null,\"electionTimeoutMs\":0,\"progress\":[],\"voters\":[],\"learners\":[],\"kv\":{},\"sessions\":{},\"clockSkewPpm\":");
                out.int(skew);
                out.raw(",\"diskBusy\":false,\"disk\":");
                out.disk(&disk_view(st));
                out.raw(",\"votes\":[]}");
            }
        }
    }

    /// The checkers' verdict so far, including the open linearizability segments.
    pub fn report(&self) -> CheckReport {
        let mut r = self.safety.report_card();
        let known = r
            .violations
            .iter()
            .filter(|v| v.property == "linearizability")
            .count();
        for v in self.lin.check_open().into_iter().skip(known) {
            r.violations.push(crate::checker::Violation {
                at_ms: self.now_ms(),
                property: "linearizability".into(),
                nodes: Vec::new(),
                index: None,
                detail: v.detail,
            });
        }
        r.ok = r.violations.is_empty();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::JsonOut;

    fn float_json(x: f64) -> String {
        let mut out = JsonOut(Vec::new());
        out.float(x);
        String::from_utf8(out.0).unwrap()
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        // The shortcut for whole thousandths, on every thousandth up to 20 s (step 37) and on
        // spread-out larger ones up to where it hands over to serde_json; then numbers it
        // hands over.
        let mut values: Vec<u64> = (0..20_000_000).step_by(37).collect();
        let mut n: u64 = 1;
        while n < 10_000_000_000_000_000 {
            values.extend([n, n + 1, n * 3 + 7, n * 10 - 1]);
            n *= 10;
        }
        for thousandths in values {
            let x = thousandths as f64 / 1000.0;
            assert_eq!(
                float_json(x),
                serde_json::to_string(&x).unwrap(),
                "{thousandths}"
            );
        }
        for x in [
            0.1 + 0.2,
            1e-7,
            123.456_789,
            -2.5,
            -0.0,
            2.5e20,
            1e300,
            7.5,
            0.0075,
        ] {
            assert_eq!(float_json(x), serde_json::to_string(&x).unwrap(), "{x}");
        }
    }
}
