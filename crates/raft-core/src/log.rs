//! The log: a snapshot followed by entries, with the bookkeeping of what has been handed to the
//! caller for persistence (`emitted`) and what is known to be on disk (`stable`).
//!
//! Invariants (asserted in `check`): snapshot index <= applied <= committed <= last index, and
//! `entries[i].index == snapshot index + 1 + i`.

use crate::shared_vec::SharedVec;
use crate::types::{Entry, LogIndex, Snapshot, Term};

#[derive(Clone, Debug)]
pub(crate) struct RaftLog {
    /// Latest snapshot (compacted locally or installed from a leader), with its data.
    pub snapshot: Option<Snapshot>,
    snap_index: LogIndex,
    snap_term: Term,
    /// Shared in chunks, so a clone of the node (a simulator's checkpoint) shares the log.
    entries: SharedVec<Entry>,
    pub committed: LogIndex,
    /// Highest index handed to the caller in `committed_entries` (or restored from a snapshot).
    pub applied: LogIndex,
    /// Highest index known to be persisted.
    pub stable: LogIndex,
    /// Highest index handed to the caller in a Ready (persisted or being persisted).
    pub emitted: LogIndex,
    /// The disk must drop entries from this index before appending.
    pub pending_truncate: Option<LogIndex>,
    /// A snapshot from the leader to persist and restore.
    pub pending_install: Option<Snapshot>,
    /// A local snapshot to persist.
    pub pending_compacted: Option<Snapshot>,
}

/// What `append` did: where the new entries start and what it had to remove first.
pub(crate) struct Appended {
    pub first: LogIndex,
    pub truncated: Option<Truncation>,
}

/// What `append` had to remove.
pub(crate) struct Truncation {
    pub from: LogIndex,
    pub to: LogIndex,
    pub conflict_term: Term,
}

impl RaftLog {
    pub fn new() -> RaftLog {
        RaftLog {
            snapshot: None,
            snap_index: LogIndex(0),
            snap_term: Term(0),
            entries: SharedVec::new(),
            committed: LogIndex(0),
            applied: LogIndex(0),
            stable: LogIndex(0),
            emitted: LogIndex(0),
            pending_truncate: None,
            pending_install: None,
            pending_compacted: None,
        }
    }

    /// A log recovered from disk: everything in it is already persisted.
    pub fn recover(snapshot: Option<Snapshot>, entries: Vec<Entry>, commit: LogIndex) -> RaftLog {
        let mut log = RaftLog::new();
        if let Some(s) = snapshot {
            log.snap_index = s.index;
            log.snap_term = s.term;
            log.committed = s.index;
            log.applied = s.index;
            log.snapshot = Some(s);
        }
        let first = log.snap_index.next();
        // Entries at or below the snapshot are redundant; a gap after it would break the log.
        log.entries = entries.into_iter().filter(|e| e.index >= first).collect();
        let last = log.last_index();
        log.committed = log.committed.max(commit.min(last));
        log.stable = last;
        log.emitted = last;
        log
    }

    pub fn first_index(&self) -> LogIndex {
        self.snap_index.next()
    }

    pub fn last_index(&self) -> LogIndex {
        LogIndex(self.snap_index.0 + self.entries.len() as u64)
    }

    pub fn snapshot_index(&self) -> LogIndex {
        self.snap_index
    }

    pub fn snapshot_term(&self) -> Term {
        self.snap_term
    }

    pub fn last_term(&self) -> Term {
        self.term(self.last_index()).unwrap_or(Term(0))
    }

    /// The term of entry `i`; `None` when compacted away or beyond the log.
    pub fn term(&self, i: LogIndex) -> Option<Term> {
        if i == self.snap_index {
            return Some(self.snap_term);
        }
        if i < self.snap_index || i > self.last_index() {
            return None;
        }
        self.entries
            .get((i.0 - self.snap_index.0 - 1) as usize)
            .map(|e| e.term)
    }

    pub fn match_term(&self, i: LogIndex, t: Term) -> bool {
        self.term(i) == Some(t)
    }

    /// §5.4.1: a log is more up-to-date if its last term is higher, or equal with a longer log.
    pub fn is_up_to_date(&self, last_index: LogIndex, last_term: Term) -> bool {
        let my_term = self.last_term();
        last_term > my_term || (last_term == my_term && last_index >= self.last_index())
    }

    /// Entries `lo..=hi` that are still in the log (compacted ones are skipped).
    pub fn slice(&self, lo: LogIndex, hi: LogIndex) -> crate::shared_vec::Iter<'_, Entry> {
        let (from, to) = self.positions(lo, hi);
        self.entries.range(from, to)
    }

    /// Clones of entries `lo..=hi` that are still in the log, as `slice` but built in one go.
    pub fn to_vec(&self, lo: LogIndex, hi: LogIndex) -> Vec<Entry> {
        let (from, to) = self.positions(lo, hi);
        self.entries.to_vec_range(from, to)
    }

    /// `to_vec`, appended to `out`.
    pub fn extend_vec(&self, lo: LogIndex, hi: LogIndex, out: &mut Vec<Entry>) {
        let (from, to) = self.positions(lo, hi);
        self.entries.extend_vec_range(from, to, out);
    }

    /// Positions in `entries` of indexes `lo..=hi`, clamped to the log: `from..to`.
    fn positions(&self, lo: LogIndex, hi: LogIndex) -> (usize, usize) {
        let lo = lo.max(self.first_index());
        let hi = hi.min(self.last_index());
        let off = self.snap_index.0 + 1;
        if lo > hi {
            (0, 0)
        } else {
            ((lo.0 - off) as usize, (hi.0 - off) as usize + 1)
        }
    }

    /// Entries from `lo` bounded by count and bytes (always at least one if any exist).
    /// `None` when `lo` is compacted: the follower needs a snapshot.
    pub fn entries_from(
        &self,
        lo: LogIndex,
        max_count: usize,
        max_bytes: u64,
    ) -> Option<Vec<Entry>> {
        if lo < self.first_index() {
            return None;
        }
        let all = self.slice(lo, self.last_index());
        let mut bytes = 0u64;
        // One allocation of the right size: the leader builds one of these per Append.
        let mut out = Vec::with_capacity(all.len().min(max_count));
        for e in all.take(max_count) {
            bytes += e.size_bytes();
            if !out.is_empty() && bytes > max_bytes {
                break;
            }
            out.push(e.clone());
        }
        Some(out)
    }

    /// Index of the first entry of `ents` that is not already in the log with the same term.
    pub fn find_conflict(&self, ents: &[Entry]) -> Option<LogIndex> {
        ents.iter()
            .find(|e| !self.match_term(e.index, e.term))
            .map(|e| e.index)
    }

    /// The last index `<= index` whose term is `<= term`, and that term: the follower's and the
    /// leader's halves of fast backtracking (§5.3, "the follower can include the term of the
    /// conflicting entry"). Stops at the snapshot, where terms are unknown below.
    pub fn find_conflict_by_term(&self, index: LogIndex, term: Term) -> (LogIndex, Term) {
        let mut i = index.min(self.last_index());
        loop {
            match self.term(i) {
                Some(t) if t > term && i > self.snap_index => i = i.prev(),
                Some(t) => return (i, t),
                None => return (i, Term(0)),
            }
        }
    }

    /// Append `ents` (contiguous), removing any conflicting suffix first. Never removes a
    /// committed entry (asserted). Returns the first index appended and what was removed, or
    /// `None` when `ents` is empty.
    pub fn append(&mut self, ents: impl IntoIterator<Item = Entry>) -> Option<Appended> {
        // The first entry is taken out rather than peeked at, so `ents` keeps its exact length
        // on its way into the chunks (see `SharedVec::extend`).
        let mut ents = ents.into_iter();
        let head = ents.next()?;
        let first = head.index;
        assert!(
            first > self.committed,
            "truncating committed entry {first} (commit {})",
            self.committed
        );
        assert!(
            first <= self.last_index().next(),
            "gap before appended entry {first}"
        );
        let mut truncated = None;
        if first <= self.last_index() {
            truncated = Some(Truncation {
                from: first,
                to: self.last_index(),
                conflict_term: self.term(first).unwrap_or(Term(0)),
            });
            self.entries
                .truncate((first.0 - self.snap_index.0 - 1) as usize);
            if first <= self.emitted {
                // The disk holds (or will hold) the removed entries: tell it to drop them.
                let t = self.pending_truncate.map_or(first, |p| p.min(first));
                self.pending_truncate = Some(t);
                self.emitted = first.prev();
            }
            self.stable = self.stable.min(first.prev());
        }
        self.entries.extend(std::iter::once(head).chain(ents));
        self.check();
        Some(Appended { first, truncated })
    }

    pub fn commit_to(&mut self, i: LogIndex) -> bool {
        if i > self.committed {
            assert!(
                i <= self.last_index(),
                "commit {i} beyond last index {}",
                self.last_index()
            );
            self.committed = i;
            true
        } else {
            false
        }
    }

    /// Entries not yet handed out for persistence, appended to `out`.
    pub fn unemitted_into(&self, out: &mut Vec<Entry>) {
        self.extend_vec(self.emitted.next(), self.last_index(), out);
    }

    /// Committed entries not yet handed out for applying, appended to `out`.
    pub fn unapplied_into(&self, out: &mut Vec<Entry>) {
        self.extend_vec(self.applied.next(), self.committed, out);
    }

    pub fn has_unapplied(&self) -> bool {
        self.committed > self.applied
    }

    /// Replace the whole log with a snapshot from the leader (§7).
    pub fn restore(&mut self, snap: Snapshot) {
        assert!(
            snap.index > self.committed,
            "restoring a snapshot below the commit index"
        );
        self.snap_index = snap.index;
        self.snap_term = snap.term;
        self.entries.clear();
        self.committed = snap.index;
        self.applied = snap.index;
        let from = self
            .pending_truncate
            .map_or(snap.index.next(), |p| p.min(snap.index.next()));
        self.pending_truncate = Some(from);
        self.stable = snap.index;
        self.emitted = snap.index;
        self.pending_compacted = None;
        self.pending_install = Some(snap.clone());
        self.snapshot = Some(snap);
        self.check();
    }

    /// Drop entries up to `snap.index`, which must be applied and in the log.
    pub fn compact(&mut self, snap: Snapshot) {
        assert!(snap.index > self.snap_index && snap.index <= self.applied);
        let drop = (snap.index.0 - self.snap_index.0) as usize;
        self.entries.drain_front(drop);
        self.snap_index = snap.index;
        self.snap_term = snap.term;
        self.emitted = self.emitted.max(snap.index);
        self.stable = self.stable.max(snap.index);
        self.pending_compacted = Some(snap.clone());
        self.snapshot = Some(snap);
        self.check();
    }

    pub fn check(&self) {
        debug_assert!(self.applied <= self.committed, "applied > committed");
        debug_assert!(
            self.committed <= self.last_index(),
            "committed > last index"
        );
        debug_assert!(self.snap_index <= self.applied, "snapshot beyond applied");
        debug_assert!(self
            .entries
            .first()
            .is_none_or(|e| e.index == self.snap_index.next()));
    }
}
