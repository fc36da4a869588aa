//! `RawNode`: the sans-IO API. See `ready.rs` for the output contract.

use std::collections::VecDeque;

use crate::confchange::{ConfChange, ConfHistory};
use crate::config::{Config, ConfigError, ReadOnlyOption};
use crate::errors::{CompactError, ProposeError, ReadError, StepError, TransferError};
use crate::events::{Event, RoleReason};
use crate::log::RaftLog;
use crate::message::Message;
use crate::raft::{CampaignKind, Raft};
use crate::ready::{PersistToken, Ready};
use crate::status::{PeerProgress, Status, VoteRecord};
use crate::types::{
    ConfState, Entry, EntryKind, HardState, LogIndex, NodeId, PersistedState, Role, Snapshot,
};
use crate::{Bugs, SharedBytes};

/// Messages held until the Ready that preceded them is persisted.
#[derive(Clone, Debug)]
struct Unpersisted {
    seq: u64,
    last_index: LogIndex,
    held: Vec<Message>,
}

/// Hand out an output queue. An empty one keeps its buffer; a full one is replaced by one
/// sized for the next burst (one message or event per proposal and follower): as much room as
/// this one had, up to [`QUEUE_ROOM_KEPT_BYTES`], and at least what it held. Sizes alternate
/// between Readies (a follower's burst of appends, then a Ready of a few), and a replacement
/// only as large as the small one would grow again, reallocating and copying, up to the next
/// burst's size; the byte bound keeps one unusual burst's room from being allocated for every
/// Ready after it.
fn take_queue<T>(queue: &mut Vec<T>) -> Vec<T> {
    if queue.is_empty() {
        return Vec::new();
    }
    let room_max = QUEUE_ROOM_KEPT_BYTES / std::mem::size_of::<T>().max(1);
    let capacity = queue.len().max(queue.capacity().min(room_max));
    std::mem::replace(queue, Vec::with_capacity(capacity))
}

/// Move an output queue's items into `out` (emptied first). A list with room changes places with
/// the queue, which goes on in that room (unless a burst made it larger than the bound); a new
/// one (`ready`'s) gets `take_queue`'s replacement.
fn hand_over<T>(queue: &mut Vec<T>, out: &mut Vec<T>) {
    out.clear();
    if out.capacity() == 0 {
        *out = take_queue(queue);
    } else {
        std::mem::swap(queue, out);
        bound_room(queue);
    }
}

/// Shrink an empty list's room to [`QUEUE_ROOM_KEPT_BYTES`] when one unusual burst made it
/// larger (as `take_queue` bounds a replacement): lists that trade places (`hand_over`, the
/// held acks' spare) would otherwise keep the largest burst's room for good, and in the
/// simulator, whose one `Ready` serves every node, pass it from node to node.
fn bound_room<T>(list: &mut Vec<T>) {
    let room_max = QUEUE_ROOM_KEPT_BYTES / std::mem::size_of::<T>().max(1);
    if list.capacity() > room_max {
        list.shrink_to(room_max);
    }
}

/// The most room an output queue keeps from one Ready to the next: a few hundred messages or
/// events, well under the allocator's threshold for mapping fresh pages.
const QUEUE_ROOM_KEPT_BYTES: usize = 16 * 1024;

/// One Raft node without IO, clock or global randomness.
#[derive(Clone, Debug)]
pub struct RawNode {
    raft: Raft,
    prev_hard_state: HardState,
    next_seq: u64,
    unpersisted: VecDeque<Unpersisted>,
    /// An empty list with room, for the next held messages: `advance` leaves here the room of
    /// a list it emptied, and `ready_into` hands it to the held queue instead of a new one.
    spare: Vec<Message>,
}

impl RawNode {
    /// A brand-new node whose configuration is `config.voters` / `config.learners`, starting at
    /// `now_ms` on the caller's clock (the clock `tick` is given): its first election timeout
    /// runs from then.
    pub fn new(config: Config, now_ms: u64) -> Result<RawNode, ConfigError> {
        config.validate_new()?;
        let cs = ConfState {
            voters: config.voters.clone(),
            learners: config.learners.clone(),
            ..ConfState::default()
        };
        let conf = ConfHistory::new(LogIndex(0), cs);
        let raft = Raft::new(config, RaftLog::new(), conf, HardState::default(), now_ms);
        Ok(RawNode {
            raft,
            prev_hard_state: HardState::default(),
            next_seq: 1,
            unpersisted: VecDeque::new(),
            spare: Vec::new(),
        })
    }

    /// A node recovering from what was on its disk: snapshot, entries after it, hard state.
    /// The configuration comes from the snapshot (or `config` without one), then from the
    /// configuration entries in the log, which take effect when appended. Like `new`, the node
    /// starts at `now_ms`.
    pub fn restart(
        config: Config,
        persisted: PersistedState,
        now_ms: u64,
    ) -> Result<RawNode, ConfigError> {
        config.validate()?;
        let PersistedState {
            mut hard_state,
            snapshot,
            entries,
        } = persisted;
        let bad = |reason: &str| ConfigError {
            field: "persisted",
            reason: reason.to_string(),
        };
        let base = snapshot.as_ref().map_or(LogIndex(0), |s| s.index);
        if let Some(first) = entries.iter().find(|e| e.index > base) {
            if first.index != base.next() {
                return Err(bad("the log has a gap after the snapshot"));
            }
        }
        let tail: Vec<&Entry> = entries.iter().filter(|e| e.index > base).collect();
        if tail
            .windows(2)
            .any(|w| w[1].index != w[0].index.next() || w[1].term < w[0].term)
        {
            return Err(bad("entries are not contiguous with non-decreasing terms"));
        }
        if tail.last().is_some_and(|e| e.term > hard_state.term) {
            return Err(bad("an entry's term is above the persisted term"));
        }
        if config.bugs.forget_vote_on_restart {
            // Injected bug: votedFor does not survive the crash.
            hard_state.vote = None;
        }
        let cs = match &snapshot {
            Some(s) => s.conf_state.clone(),
            None => ConfState {
                voters: config.voters.clone(),
                learners: config.learners.clone(),
                ..ConfState::default()
            },
        };
        let mut conf = ConfHistory::new(base, cs);
        for e in &tail {
            if let EntryKind::ConfChange { change } = &e.kind {
                if let Ok(next) = crate::confchange::apply_conf_change(conf.current(), change) {
                    conf.push(e.index, next);
                }
            }
        }
        let log = RaftLog::recover(snapshot, entries, hard_state.commit);
        let hs = HardState {
            commit: log.committed,
            ..hard_state
        };
        let raft = Raft::new(config, log, conf, hs, now_ms);
        Ok(RawNode {
            prev_hard_state: hs,
            raft,
            next_seq: 1,
            unpersisted: VecDeque::new(),
            spare: Vec::new(),
        })
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.raft.id
    }

    /// The configuration in use (toggles included).
    pub fn config(&self) -> &Config {
        &self.raft.cfg
    }

    /// Advance virtual time to `now_ms` (never backwards) and fire the timers due by then.
    pub fn tick(&mut self, now_ms: u64) {
        self.raft.tick(now_ms);
    }

    /// The earliest time at which `tick` would do anything.
    pub fn next_deadline_ms(&self) -> Option<u64> {
        self.raft.next_deadline_ms()
    }

    /// Handle one message. Bad input is refused with a reason and leaves the node unchanged.
    pub fn step(&mut self, msg: Message) -> Result<(), StepError> {
        self.raft.step(msg)
    }

    /// Propose a command. Only the leader accepts.
    pub fn propose(&mut self, data: impl Into<SharedBytes>) -> Result<LogIndex, ProposeError> {
        self.raft.propose(data.into())
    }

    /// Start an election now, as if the election timer fired (with PreVote if configured).
    pub fn campaign(&mut self) {
        if self.raft.role == Role::Leader {
            return;
        }
        let kind = if self.raft.cfg.pre_vote {
            CampaignKind::PreVote
        } else {
            CampaignKind::Election
        };
        self.raft.campaign(kind, RoleReason::ForcedCampaign);
    }

    /// Ask for a linearizable read; the answer arrives in `Ready::read_states` with `ctx`.
    pub fn read_index(&mut self, ctx: u64) -> Result<(), ReadError> {
        self.raft.read_index(ctx)
    }

    /// Hand leadership to `to` (dissertation §3.10).
    pub fn transfer_leader(&mut self, to: NodeId) -> Result<(), TransferError> {
        self.raft.transfer_leader(to)
    }

    /// Propose a membership change; at most one may be uncommitted.
    pub fn propose_conf_change(&mut self, cc: ConfChange) -> Result<LogIndex, ProposeError> {
        self.raft.propose_conf_change(cc)
    }

    /// Take a snapshot at `index` (applied) holding `data`, and drop the log up to it (§7).
    pub fn compact(&mut self, index: LogIndex, data: Vec<u8>) -> Result<(), CompactError> {
        let log = &self.raft.log;
        if index <= log.snapshot_index() {
            return Err(CompactError::SnapshotOlderThanLog {
                index,
                snapshot_index: log.snapshot_index(),
            });
        }
        if index > log.applied {
            return Err(CompactError::NotApplied {
                index,
                applied: log.applied,
            });
        }
        let term = log
            .term(index)
            .expect("applied entries above the snapshot are in the log");
        let conf_state = self.raft.conf.at(index);
        self.raft.log.compact(Snapshot {
            index,
            term,
            conf_state,
            data,
        });
        self.raft.conf.compact_to(index);
        self.raft.event(Event::SnapshotTaken { index, term });
        Ok(())
    }

    /// The index to compact at when at least `threshold_entries` applied entries follow the
    /// snapshot (the caller then calls `compact` with its state-machine bytes); `None` otherwise
    /// or when `threshold_entries` is 0.
    pub fn compaction_due(&self, threshold_entries: u64) -> Option<LogIndex> {
        let log = &self.raft.log;
        let since = log.applied.0.saturating_sub(log.snapshot_index().0);
        (threshold_entries > 0 && since >= threshold_entries).then_some(log.applied)
    }

    /// The log index of the configuration in effect (0 for the initial one): a caller that
    /// hears of configurations from several nodes keeps the one with the highest index.
    pub fn conf_index(&self) -> crate::LogIndex {
        self.raft.conf.current_index()
    }

    /// Turn PreVote on or off.
    pub fn set_pre_vote(&mut self, on: bool) {
        self.raft.cfg.pre_vote = on;
    }

    /// Turn CheckQuorum on or off.
    pub fn set_check_quorum(&mut self, on: bool) {
        self.raft.cfg.check_quorum = on;
        self.raft.quorum_check_deadline_ms =
            self.raft.now_ms + self.raft.cfg.election_timeout_ms_min;
    }

    /// Turn leader stickiness (dissertation §4.2.3) on or off.
    pub fn set_leader_stickiness(&mut self, on: bool) {
        self.raft.cfg.leader_stickiness = on;
    }

    /// Turn fast backtracking on or off.
    pub fn set_fast_backtrack(&mut self, on: bool) {
        self.raft.cfg.fast_backtrack = on;
    }

    /// Change how reads are served. Lease reads need CheckQuorum.
    pub fn set_read_only_option(&mut self, opt: ReadOnlyOption) -> Result<(), ConfigError> {
        let mut cfg = self.raft.cfg.clone();
        cfg.read_only_option = opt;
        cfg.validate()?;
        self.raft.cfg.read_only_option = opt;
        Ok(())
    }

    /// Replace the injected bugs.
    pub fn set_bugs(&mut self, bugs: Bugs) {
        self.raft.cfg.bugs = bugs;
    }

    /// Whether `ready` has anything to hand out.
    pub fn has_ready(&self) -> bool {
        let r = &self.raft;
        !r.msgs.is_empty()
            || !r.msgs_after_persist.is_empty()
            || !r.events.is_empty()
            || !r.read_states.is_empty()
            || r.hard_state() != self.prev_hard_state
            || r.log.emitted < r.log.last_index()
            || r.log.pending_truncate.is_some()
            || r.log.pending_install.is_some()
            || r.log.pending_compacted.is_some()
            || r.log.has_unapplied()
    }

    /// Everything to persist, send and apply since the last call.
    pub fn ready(&mut self) -> Ready {
        let mut rd = Ready::default();
        self.ready_into(&mut rd);
        rd
    }

    /// `ready`, into a Ready the caller keeps from round to round: whatever its lists held is
    /// dropped, and they are refilled. The message, event and read lists change places with the
    /// node's own queues, and the entry lists are filled in place, so a caller that hands back
    /// the same Ready every round allocates none of them once they have room (each `ready`
    /// allocated up to four: a sixth of a simulated cluster's allocations).
    pub fn ready_into(&mut self, rd: &mut Ready) {
        let r = &mut self.raft;
        let hs = r.hard_state();
        rd.hard_state = (hs != self.prev_hard_state).then_some(hs);
        self.prev_hard_state = hs;
        rd.snapshot = r.log.pending_install.take();
        rd.compacted = r.log.pending_compacted.take();
        rd.truncate_from = r.log.pending_truncate.take();
        rd.entries.clear();
        r.log.unemitted_into(&mut rd.entries);
        r.log.emitted = r.log.last_index();
        rd.committed_entries.clear();
        r.log.unapplied_into(&mut rd.committed_entries);
        r.log.applied = r.log.committed;
        r.log.check();
        let seq = self.next_seq;
        self.next_seq += 1;
        let held = if r.msgs_after_persist.is_empty() || self.spare.capacity() == 0 {
            take_queue(&mut r.msgs_after_persist)
        } else {
            std::mem::replace(&mut r.msgs_after_persist, std::mem::take(&mut self.spare))
        };
        self.unpersisted.push_back(Unpersisted {
            seq,
            last_index: r.log.last_index(),
            held,
        });
        hand_over(&mut r.msgs, &mut rd.messages);
        hand_over(&mut r.read_states, &mut rd.read_states);
        hand_over(&mut r.events, &mut rd.events);
        rd.token = Some(PersistToken { seq });
    }

    /// The Ready of `token` (and every earlier one) is persisted: release what waited for it.
    pub fn advance(&mut self, token: PersistToken) {
        while self.unpersisted.front().is_some_and(|u| u.seq <= token.seq) {
            let u = self.unpersisted.pop_front().expect("front exists");
            let log = &mut self.raft.log;
            log.stable = log.stable.max(u.last_index.min(log.emitted));
            let me = self.raft.id;
            let mut held = u.held;
            if held.is_empty() {
                continue;
            }
            if self.raft.msgs.is_empty() && held.iter().all(|m| m.to != me) {
                // The usual case for a follower (its acks, nothing else queued): hand the
                // held list over as it is, in the same order, without copying it; the
                // output queue's empty room is kept for the next held list.
                std::mem::swap(&mut self.raft.msgs, &mut held);
            } else {
                for m in held.drain(..) {
                    if m.to == self.raft.id {
                        self.raft.self_ack(m);
                    } else {
                        self.raft.msgs.push(m);
                    }
                }
            }
            if self.spare.capacity() == 0 {
                self.spare = held;
                bound_room(&mut self.spare);
            }
        }
    }

    /// What this node believes its disk holds once every Ready handed out so far is persisted
    /// and advanced: the last hard state handed out, and the log up to the stable index. The
    /// caller pairs it with what its storage really holds (an assertion at the persistence
    /// boundary, as TigerBeetle pairs its checks).
    pub fn believed_durable(&self) -> crate::BelievedDurable {
        let log = &self.raft.log;
        crate::BelievedDurable {
            hard_state: self.prev_hard_state,
            stable_index: log.stable,
            stable_term: log.term(log.stable),
            fully_advanced: self.unpersisted.is_empty(),
        }
    }

    /// Entries `lo..=hi` still in the log (compacted ones are skipped).
    pub fn entries(&self, lo: LogIndex, hi: LogIndex) -> Vec<Entry> {
        self.raft.log.to_vec(lo, hi)
    }

    /// The term of entry `index`, if known.
    pub fn term_at(&self, index: LogIndex) -> Option<crate::Term> {
        self.raft.log.term(index)
    }

    /// The latest snapshot held (compacted or installed).
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.raft.log.snapshot.as_ref()
    }

    /// The configuration in force.
    pub fn conf_state(&self) -> &ConfState {
        self.raft.conf.current()
    }

    /// Everything the page shows about this node.
    pub fn status(&self) -> Status {
        let r = &self.raft;
        let cs = r.conf.current();
        let progress = r
            .progress
            .iter()
            .map(|(id, p)| PeerProgress {
                peer: *id,
                next_index: p.next,
                match_index: p.matched,
                state: p.state,
                inflight: p.inflights.len(),
                recent_active: p.recent_active,
                is_learner: r.learners.contains(id),
            })
            .collect();
        let election_deadline_ms =
            (r.role != Role::Leader && r.promotable()).then_some(r.election_deadline_ms);
        Status {
            id: r.id,
            role: r.role,
            term: r.term,
            voted_for: r.vote,
            leader: r.leader,
            commit: r.log.committed,
            applied: r.log.applied,
            first_index: r.log.first_index(),
            last_index: r.log.last_index(),
            last_term: r.log.last_term(),
            stable_index: r.log.stable,
            snapshot_index: r.log.snapshot_index(),
            snapshot_term: r.log.snapshot_term(),
            now_ms: r.now_ms,
            election_deadline_ms,
            election_timeout_ms: r.election_timeout_ms,
            progress,
            voters: cs.voters.clone(),
            learners: cs.learners.clone(),
            voters_outgoing: cs.voters_outgoing.clone(),
            joint: cs.is_joint(),
            pending_conf_index: if r.pending_conf_index > r.log.committed {
                r.pending_conf_index
            } else {
                LogIndex(0)
            },
            transfer_target: r.transfer.map(|(t, _)| t),
            pending_reads: r.read_only.pending(),
            votes: if matches!(r.role, Role::Candidate | Role::PreCandidate) {
                r.votes
                    .iter()
                    .map(|(node, granted)| VoteRecord {
                        node: *node,
                        granted: *granted,
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}
