//! Safety checkers that only observe. They run incrementally, on each write, commit, apply and
//! role change, so a 10-minute run costs no more to check than to simulate.
//!
//! Properties (Figure 3 of the Raft paper, plus monotonicity):
//! - Election Safety: at most one leader per term (§5.2).
//! - Leader Append-Only: a leader never overwrites or deletes entries in its log (§5.3).
//! - Log Matching: same index and term means same entry and same prefix (§5.3). Checked by
//!   induction: every (index, term) pair maps to one payload and one previous term.
//! - Leader Completeness: a leader's log holds every committed entry (§5.4).
//! - State Machine Safety: no two nodes apply different entries at one index (§5.4.3).
//! - A committed entry never changes; term never decreases; commit and applied never decrease
//!   within one incarnation of a node.

use crate::write::write_struct;
use crate::{SortedMap, SortedSet};

use raft_core::{Entry, EntryKind, HardState, LogIndex, NodeId, Role, Term};
use serde::{Deserialize, Serialize};

use crate::rng::WordHash;

/// A broken property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    pub at_ms: f64,
    pub property: String,
    pub nodes: Vec<NodeId>,
    pub index: Option<LogIndex>,
    pub detail: String,
}
write_struct!(Violation {
    at_ms: "atMs",
    property: "property",
    nodes: "nodes",
    index: "index",
    detail: "detail"
});

/// The checkers' verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub ok: bool,
    pub violations: Vec<Violation>,
}
write_struct!(CheckReport {
    ok: "ok",
    violations: "violations"
});

/// Every property a checker reports, with what it means: the one list the CLI's `--until`, the
/// docs (docs/API.md, checked by a test) and `report` go by.
pub const PROPERTIES: [(&str, &str); 14] = [
    ("electionSafety", "at most one leader per term (§5.2)"),
    (
        "leaderAppendOnly",
        "a leader never overwrites or deletes entries in its own log (§5.3)",
    ),
    (
        "logMatching",
        "two logs with an entry of the same index and term hold the same entry there and agree on every entry before it (§5.3)",
    ),
    (
        "leaderCompleteness",
        "a leader's log holds every entry committed in an earlier term (§5.4)",
    ),
    (
        "stateMachineSafety",
        "no two servers apply different entries at the same index (§5.4.3): the harm itself",
    ),
    (
        "committedEntryChanged",
        "an entry, once committed at an index, is the only entry any server ever commits there",
    ),
    (
        "leaderCommitsOwnTerm",
        "a leader advances its commit index by counting replicas only over an entry of its own term (§5.4.2, Figure 8): the warning sign before the harm",
    ),
    ("monotonicTerm", "a server's term, in memory and on disk, never decreases"),
    (
        "monotonicCommit",
        "a server's commit index never decreases while it runs",
    ),
    (
        "monotonicApplied",
        "a server never applies an index at or below one it already applied while it runs",
    ),
    (
        "singleVotePerTerm",
        "a server's persisted vote never changes within a term (§5.2)",
    ),
    (
        "diskMatchesNode",
        "once every write is durable, the disk holds exactly the hard state and log raft-core believes it persisted",
    ),
    (
        "linearizability",
        "the clients' history has a legal sequential order consistent with real time (§6.3)",
    ),
    (
        "liveness",
        "after the faults stop (or only a majority heals), a leader exists and every operation invoked before completes within the bound",
    ),
];

/// Whether `name` is one of `PROPERTIES`.
pub fn is_property(name: &str) -> bool {
    PROPERTIES.iter().any(|(p, _)| *p == name)
}

/// Violations kept per run; past this only the count grows (one bug can fire thousands of times).
pub const VIOLATIONS_MAX: usize = 100;

/// A stable hash of an entry's payload (a tag word for the kind, then its bytes).
pub fn entry_hash(e: &Entry) -> u64 {
    let mut h = WordHash::new();
    match &e.kind {
        EntryKind::Normal { data } => {
            h.word(1);
            h.bytes(data);
        }
        EntryKind::NoOp => h.word(2),
        EntryKind::ConfChange { change } => {
            h.word(3);
            h.bytes(change.summary().as_bytes());
        }
    }
    h.finish()
}

/// What the checker knows of one node's log: (term, payload hash) per index after the snapshot.
#[derive(Clone, Debug, Default)]
pub struct ShadowLog {
    pub snap_index: u64,
    pub snap_term: u64,
    /// Shared in chunks like the logs it shadows, so a checkpoint does not copy it.
    pub entries: raft_core::SharedVec<(u64, u64)>,
}

impl ShadowLog {
    pub fn last_index(&self) -> u64 {
        self.snap_index + self.entries.len() as u64
    }

    pub fn get(&self, index: u64) -> Option<(u64, u64)> {
        if index == self.snap_index && index > 0 {
            return None;
        }
        if index <= self.snap_index {
            return None;
        }
        self.entries
            .get((index - self.snap_index - 1) as usize)
            .copied()
    }

    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == self.snap_index {
            return Some(self.snap_term);
        }
        self.get(index).map(|e| e.0)
    }

    fn truncate_from(&mut self, index: u64) {
        if index <= self.snap_index {
            self.entries.clear();
        } else {
            self.entries
                .truncate((index - self.snap_index - 1) as usize);
        }
    }

    /// Install a snapshot: keep the suffix when the log already holds the snapshot's last entry.
    pub fn restore(&mut self, index: u64, term: u64) {
        if index <= self.snap_index {
            return;
        }
        let keep = self.term_at(index) == Some(term);
        if keep {
            let drop = (index - self.snap_index) as usize;
            self.entries.drain_front(drop);
        } else {
            self.entries.clear();
        }
        self.snap_index = index;
        self.snap_term = term;
    }
}

/// A sorted map over a [`raft_core::SharedVec`], for the maps that grow with the log: filled
/// in key order (appends are cheap) and shared by checkpoints like the logs themselves.
#[derive(Clone, Debug)]
struct SharedMap<K, V> {
    items: raft_core::SharedVec<(K, V)>,
}

impl<K: Ord + Clone, V: Clone> Default for SharedMap<K, V> {
    fn default() -> Self {
        SharedMap {
            items: raft_core::SharedVec::new(),
        }
    }
}

impl<K: Ord + Clone, V: Clone> SharedMap<K, V> {
    /// Where `key` is (`Ok`) or would go (`Err`), as `slice::binary_search`.
    fn find_index(&self, key: &K) -> Result<usize, usize> {
        let at = self.items.partition_point(|(k, _)| k < key);
        match self.items.get(at) {
            Some((k, _)) if k == key => Ok(at),
            _ => Err(at),
        }
    }

    fn get(&self, key: &K) -> Option<&V> {
        let at = self.find_index(key).ok()?;
        self.items.get(at).map(|(_, v)| v)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.items.last().is_none_or(|(k, _)| *k < key) {
            self.items.push((key, value));
            return;
        }
        match self.find_index(&key) {
            Ok(at) => self.items.set(at, (key, value)),
            Err(at) => self.items.insert(at, (key, value)),
        }
    }

    /// The entries from position `at` on, in key order.
    fn iter_from(&self, at: usize) -> impl Iterator<Item = &(K, V)> + '_ {
        self.items.range(at, self.items.len())
    }
}

#[derive(Clone, Debug, Default)]
struct NodeTrack {
    term: u64,
    commit: u64,
    applied: u64,
    role: Option<Role>,
    log: ShadowLog,
}

/// All safety checkers together.
#[derive(Clone, Debug, Default)]
pub struct SafetyChecker {
    leaders: SortedMap<u64, NodeId>,
    /// (index, term) -> (payload hash, previous entry's term).
    entry_ids: SharedMap<(u64, u64), (u64, u64)>,
    /// Every index any node has reported committed: (entry term, payload hash, and the term
    /// in which it was first seen committed).
    committed: SharedMap<u64, (u64, u64, u64)>,
    applied: SharedMap<u64, (u64, u64)>,
    nodes: SortedMap<NodeId, NodeTrack>,
    violations: Vec<Violation>,
    violation_count: u64,
    seen: SortedSet<(String, Option<u64>)>,
    /// New violations since the last `drain_new`.
    fresh: Vec<Violation>,
}

impl SafetyChecker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Record a violation (deduplicated by property and index).
    pub fn report(
        &mut self,
        at_ms: f64,
        property: &str,
        nodes: Vec<NodeId>,
        index: Option<LogIndex>,
        detail: String,
    ) {
        debug_assert!(is_property(property), "unlisted property {property}");
        self.violation_count += 1;
        if self
            .seen
            .insert((property.to_string(), index.map(|i| i.0)), ())
            .is_some()
        {
            return;
        }
        if self.violations.len() >= VIOLATIONS_MAX {
            return;
        }
        let v = Violation {
            at_ms,
            property: property.to_string(),
            nodes,
            index,
            detail,
        };
        self.violations.push(v.clone());
        self.fresh.push(v);
    }

    /// Whether a violation was found since the last `drain_new` (asked after every event).
    pub fn has_new(&self) -> bool {
        !self.fresh.is_empty()
    }

    pub fn drain_new(&mut self) -> Vec<Violation> {
        std::mem::take(&mut self.fresh)
    }

    pub fn report_card(&self) -> CheckReport {
        CheckReport {
            ok: self.violations.is_empty(),
            violations: self.violations.clone(),
        }
    }

    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    pub fn violation_count(&self) -> u64 {
        self.violation_count
    }

    /// The node's current term (for election safety and monotonicity).
    pub fn on_term(&mut self, at_ms: f64, node: NodeId, term: Term) {
        let t = self.nodes.entry(node).or_default();
        if term.0 < t.term {
            let detail = format!("term went from {} back to {}", t.term, term.0);
            self.report(at_ms, "monotonicTerm", vec![node], None, detail);
        }
        let t = self.nodes.entry(node).or_default();
        t.term = t.term.max(term.0);
    }

    pub fn on_role(&mut self, at_ms: f64, node: NodeId, role: Role, term: Term) {
        self.on_term(at_ms, node, term);
        let was = self.nodes.entry(node).or_default().role.replace(role);
        if role != Role::Leader || was == Some(Role::Leader) {
            return;
        }
        match self.leaders.get(&term.0) {
            Some(&other) if other != node => {
                let detail = format!("nodes {other} and {node} were both leader in term {term}");
                self.report(at_ms, "electionSafety", vec![other, node], None, detail);
            }
            _ => {
                self.leaders.insert(term.0, node);
            }
        }
    }

    /// §5.4: every committed entry is in the log of every later leader. Called once the new
    /// leader's log reflects everything it had when it won.
    pub fn check_leader_completeness(&mut self, at_ms: f64, node: NodeId, term: Term) {
        let log = &self.nodes[&node].log;
        let mut bad = None;
        let first = self
            .committed
            .find_index(&(log.snap_index + 1))
            .unwrap_or_else(|at| at);
        for &(index, (cterm, chash, commit_term)) in self.committed.iter_from(first) {
            // The property binds leaders of terms after the commit; a candidate of an older term
            // may still win with votes cast in that term, and it cannot overwrite anything
            // (every holder of the entry is in a newer term and rejects its appends).
            if commit_term >= term.0 {
                continue;
            }
            match log.get(index) {
                Some((t, h)) if t == cterm && h == chash => {}
                other => {
                    bad = Some((index, cterm, other));
                    break;
                }
            }
        }
        if let Some((index, cterm, other)) = bad {
            let has = match other {
                Some((t, _)) => format!("an entry of term {t}"),
                None => "nothing".to_string(),
            };
            let detail = format!(
                "node {node} became leader of term {term} without committed entry {index} (term {cterm}); its log has {has} there"
            );
            self.report(
                at_ms,
                "leaderCompleteness",
                vec![node],
                Some(LogIndex(index)),
                detail,
            );
        }
    }

    /// The node removed entries `from..=to` from its log; a leader never does (§5.3).
    pub fn on_truncate_event(&mut self, at_ms: f64, node: NodeId, from: LogIndex, to: LogIndex) {
        if self.nodes.entry(node).or_default().role == Some(Role::Leader) {
            let detail = format!("leader {node} removed its entries {from}..={to}");
            self.report(at_ms, "leaderAppendOnly", vec![node], Some(from), detail);
        }
    }

    /// The node wrote to its log: truncate the suffix from `truncate_from`, then append `entries`.
    pub fn on_log_write(
        &mut self,
        at_ms: f64,
        node: NodeId,
        truncate_from: Option<LogIndex>,
        entries: &[Entry],
    ) {
        let track = self.nodes.entry(node).or_default();
        let is_leader = track.role == Some(Role::Leader);
        if let Some(from) = truncate_from {
            track.log.truncate_from(from.0);
        }
        for e in entries {
            let track = self.nodes.get_mut(&node).expect("tracked above");
            let idx = e.index.0;
            if idx <= track.log.snap_index {
                continue;
            }
            let last = track.log.last_index();
            if idx <= last {
                // Overwriting in place without a truncation: only legal if identical.
                let (t, h) = track.log.get(idx).unwrap_or_default();
                if t == e.term.0 && h == entry_hash(e) {
                    continue;
                }
                if is_leader {
                    let detail = format!("leader {node} overwrote entry {idx}");
                    self.report(at_ms, "leaderAppendOnly", vec![node], Some(e.index), detail);
                }
                let track = self.nodes.get_mut(&node).expect("tracked above");
                track.log.truncate_from(idx);
            } else if idx != last + 1 {
                let detail = format!(
                    "node {node} appended entry {idx} after last index {last}, leaving a gap"
                );
                self.report(at_ms, "logMatching", vec![node], Some(e.index), detail);
                continue;
            }
            let track = self.nodes.get_mut(&node).expect("tracked above");
            let prev_term = track.log.term_at(idx - 1).unwrap_or(0);
            let hash = entry_hash(e);
            track.log.entries.push((e.term.0, hash));
            match self.entry_ids.get(&(idx, e.term.0)) {
                None => {
                    self.entry_ids.insert((idx, e.term.0), (hash, prev_term));
                }
                Some(&(h, p)) if h == hash && p == prev_term => {}
                Some(&(h, p)) => {
                    let what = if h != hash {
                        "a different command"
                    } else {
                        "a different previous term"
                    };
                    let detail = format!(
                        "node {node} holds entry {idx} of term {} with {what} than another node (prev term {prev_term} vs {p})",
                        e.term
                    );
                    self.report(at_ms, "logMatching", vec![node], Some(e.index), detail);
                }
            }
        }
    }

    /// The node's log now starts with a snapshot at (index, term).
    pub fn on_snapshot(&mut self, node: NodeId, index: LogIndex, term: Term) {
        self.nodes
            .entry(node)
            .or_default()
            .log
            .restore(index.0, term.0);
    }

    /// The node advanced its commit index.
    pub fn on_commit(&mut self, at_ms: f64, node: NodeId, from: LogIndex, to: LogIndex) {
        let track = self.nodes.entry(node).or_default();
        if to.0 < track.commit {
            let detail = format!("commit index went from {} back to {to}", track.commit);
            self.report(at_ms, "monotonicCommit", vec![node], Some(to), detail);
            return;
        }
        // §5.4.2: a leader commits by counting replicas only entries of its own term; older
        // entries become committed indirectly, below one of its own (Figure 8).
        if track.role == Some(Role::Leader) {
            if let Some(t) = track.log.term_at(to.0) {
                if t != track.term && to.0 > track.commit {
                    let detail = format!(
                        "leader {node} of term {} advanced its commit index to {to}, an entry of term {t}, by counting replicas",
                        track.term
                    );
                    self.report(at_ms, "leaderCommitsOwnTerm", vec![node], Some(to), detail);
                }
            }
        }
        let track = self.nodes.entry(node).or_default();
        let lo = from.0.max(track.commit) + 1;
        track.commit = to.0;
        let commit_term = track.term;
        let mut problems = Vec::new();
        for idx in lo..=to.0 {
            let Some((t, h)) = self.nodes[&node].log.get(idx) else {
                continue;
            };
            match self.committed.get(&idx) {
                None => {
                    self.committed.insert(idx, (t, h, commit_term));
                }
                Some(&(ct, ch, _)) if ct == t && ch == h => {}
                Some(&(ct, _, _)) => problems.push((idx, ct, t)),
            }
        }
        for (idx, ct, t) in problems {
            let detail = format!(
                "node {node} committed entry {idx} of term {t}, but entry {idx} of term {ct} was already committed"
            );
            self.report(
                at_ms,
                "committedEntryChanged",
                vec![node],
                Some(LogIndex(idx)),
                detail,
            );
        }
    }

    /// The node applied committed entries to its state machine.
    pub fn on_apply(&mut self, at_ms: f64, node: NodeId, entries: &[Entry]) {
        for e in entries {
            let applied = self.nodes.entry(node).or_default().applied;
            if e.index.0 <= applied && applied > 0 {
                let detail = format!("applied index went from {applied} back to {}", e.index);
                self.report(at_ms, "monotonicApplied", vec![node], Some(e.index), detail);
            }
            let track = self.nodes.entry(node).or_default();
            track.applied = track.applied.max(e.index.0);
            let hash = entry_hash(e);
            match self.applied.get(&e.index.0) {
                None => {
                    self.applied.insert(e.index.0, (e.term.0, hash));
                }
                Some(&(t, h)) if t == e.term.0 && h == hash => {}
                Some(&(t, _)) => {
                    let detail = format!(
                        "node {node} applied entry {} of term {} where another node applied one of term {t}",
                        e.index, e.term
                    );
                    self.report(
                        at_ms,
                        "stateMachineSafety",
                        vec![node],
                        Some(e.index),
                        detail,
                    );
                }
            }
        }
    }

    /// The node's state machine jumped to a snapshot.
    pub fn on_apply_snapshot(&mut self, node: NodeId, index: LogIndex) {
        let t = self.nodes.entry(node).or_default();
        t.applied = t.applied.max(index.0);
        t.commit = t.commit.max(index.0);
    }

    /// The node restarted from disk: its volatile indices start over, its log is what was persisted.
    pub fn on_restart(
        &mut self,
        node: NodeId,
        log: ShadowLog,
        term: Term,
        commit: LogIndex,
        applied: LogIndex,
    ) {
        let t = self.nodes.entry(node).or_default();
        // A crash may lose a term change that never reached the disk; nothing vouched for it,
        // so the in-memory term starts over from the persisted one.
        t.term = term.0;
        t.commit = commit.0;
        t.applied = applied.0;
        t.role = Some(Role::Follower);
        t.log = log;
    }

    /// The node's disk now holds `after` where it held `before`: the persisted term never goes
    /// back, and a persisted vote never changes within a term (§5.2: one vote per term).
    pub fn on_persist_hard_state(
        &mut self,
        at_ms: f64,
        node: NodeId,
        before: HardState,
        after: HardState,
    ) {
        if after.term < before.term {
            let detail = format!(
                "persisted term went from {} back to {}",
                before.term, after.term
            );
            self.report(at_ms, "monotonicTerm", vec![node], None, detail);
        }
        if after.term == before.term {
            if let (Some(a), Some(b)) = (before.vote, after.vote) {
                if a != b {
                    let detail = format!(
                        "node {node} voted for {a} and then for {b} in term {}",
                        after.term
                    );
                    self.report(at_ms, "singleVotePerTerm", vec![node, a, b], None, detail);
                }
            }
        }
    }

    /// The node's shadow log, for tests and the crash model.
    pub fn role(&self, node: NodeId) -> Option<Role> {
        self.nodes.get(&node).and_then(|t| t.role)
    }

    pub fn shadow(&self, node: NodeId) -> Option<&ShadowLog> {
        self.nodes.get(&node).map(|t| &t.log)
    }
}
