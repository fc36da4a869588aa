//! `ClusterState`: everything the page draws, as plain serde data (camelCase JSON).

use crate::SortedMap;

use raft_core::{LogIndex, NodeId, Role, Term};
use serde::{Deserialize, Serialize};

use crate::checker::CheckReport;
use crate::client::ClientView;
use crate::kv::Session;
use crate::network::{Endpoint, LinkView};
use crate::node::NodeStatus;
use crate::trace::us_to_ms;
use crate::world::{entry_summary, Ev, World};

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
        let mut list: Vec<InFlightView> = self
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
            .collect();
        list.sort_unstable_by_key(|m| m.id);
        list
    }

    pub fn cluster_state(&self) -> ClusterState {
        let mut nodes = Vec::new();
        for n in self.nodes.values() {
            nodes.push(self.node_state(n.id));
        }
        let mut links: Vec<LinkView> = Vec::new();
        for &a in self.nodes.keys() {
            for &b in self.nodes.keys() {
                if a != b {
                    links.push(self.net.view(Endpoint::Node(a), Endpoint::Node(b)));
                }
            }
        }
        let mut client_links: Vec<LinkView> = Vec::new();
        for &c in self.clients.keys() {
            for &n in self.nodes.keys() {
                let (c, n) = (Endpoint::Client(c), Endpoint::Node(n));
                client_links.push(self.net.view(c, n));
                client_links.push(self.net.view(n, c));
            }
        }
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
                let lo = LogIndex(
                    s.first_index
                        .0
                        .max((s.last_index.0 + 1).saturating_sub(STATE_LOG_ENTRIES_MAX as u64)),
                );
                let mut summaries = n.summaries.borrow_mut();
                let log = r
                    .entries(lo, s.last_index)
                    .iter()
                    .map(|e| LogEntryView {
                        index: e.index,
                        term: e.term,
                        summary: match summaries.get(&e.index.0) {
                            Some((t, text)) if *t == e.term.0 => text.clone(),
                            _ => {
                                let text = entry_summary(e);
                                summaries.insert(e.index.0, (e.term.0, text.clone()));
                                text
                            }
                        },
                    })
                    .collect();
                // Keep what the next frame will show again: the shown window moves on as the
                // log grows (trimmed in batches, so the sorted vector shifts rarely).
                let keep = 2 * STATE_LOG_ENTRIES_MAX;
                if summaries.len() > keep + keep / 2 {
                    let excess = summaries.len() - keep;
                    if let Some((&oldest_kept, _)) = summaries.get_indexed(excess) {
                        summaries.retain(|&index, _| index >= oldest_kept);
                    }
                }
                drop(summaries);
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
                    election_deadline_ms: s
                        .election_deadline_ms
                        .map(|d| us_to_ms(n.clock.sim_us_for_local(d * 1000))),
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
                let skip = st.entries.len().saturating_sub(STATE_LOG_ENTRIES_MAX);
                let log = st
                    .entries
                    .range(skip, st.entries.len())
                    .map(|e| LogEntryView {
                        index: e.index,
                        term: e.term,
                        summary: entry_summary(e),
                    })
                    .collect();
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
