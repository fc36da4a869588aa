//! What the leader does: replicate with batching and pipelining (§5.3), repair logs with the
//! conflict hint, commit by counting only current-term entries (§5.4.2), heartbeats,
//! CheckQuorum, proposals, configuration changes and leadership transfer.

use crate::confchange::{apply_conf_change, ConfChange};
use crate::errors::{ProposeError, StepError, TransferError};
use crate::events::{Event, IgnoreReason, NextIndexReason, RoleReason, TransferAbortReason};
use crate::message::{Message, Payload};
use crate::progress::{Progress, ProgressState};
use crate::raft::Raft;
use crate::types::{Entry, EntryKind, LogIndex, NodeId, Role};

impl Raft {
    pub(crate) fn become_leader(&mut self, votes: Vec<NodeId>) {
        assert_eq!(
            self.role,
            Role::Candidate,
            "only a candidate becomes leader"
        );
        self.leader = Some(self.id);
        self.set_role_leader(votes);
        let next = self.log.last_index().next();
        let cap = self.cfg.max_inflight_appends;
        self.progress.clear();
        for id in self.tracked_members() {
            let mut pr = Progress::new(next, cap);
            pr.recent_active = true;
            if id == self.id {
                // Our own log counts only as far as it is on disk.
                pr.matched = self.log.stable.min(self.log.last_index());
                pr.become_replicate();
                pr.next = next;
            }
            self.progress.insert(id, pr);
        }
        self.heartbeat_deadline_ms = self.now_ms + self.cfg.heartbeat_interval_ms;
        self.quorum_check_deadline_ms = self.now_ms + self.cfg.election_timeout_ms_min;
        // Uncommitted conf entries from earlier terms may be in the log: allow no new change
        // until everything up to here commits.
        self.pending_conf_index = self.log.last_index();
        // §8 / §5.4.2: a no-op of the new term lets the leader learn what is committed.
        self.append_entry(EntryKind::NoOp);
        self.bcast_append();
    }

    fn set_role_leader(&mut self, votes: Vec<NodeId>) {
        let from = self.role;
        self.role = Role::Leader;
        self.event(Event::RoleChanged {
            from,
            to: Role::Leader,
            term: self.term,
            reason: RoleReason::WonElection { votes },
        });
    }

    /// Append one entry of the current term to the leader's log and replicate it.
    pub(crate) fn append_entry(&mut self, kind: EntryKind) -> LogIndex {
        let index = self.log.last_index().next();
        let e = Entry {
            index,
            term: self.term,
            kind,
        };
        self.append_to_log(std::iter::once(e));
        if let Some(pr) = self.progress.get_mut(&self.id) {
            pr.next = index.next();
        }
        // The leader's own copy counts toward the majority only once persisted.
        self.send_after_persist(
            self.id,
            Payload::AppendResp {
                reject: false,
                index,
                reject_hint: LogIndex(0),
                hint_term: crate::Term(0),
            },
        );
        index
    }

    pub(crate) fn tick_leader(&mut self) {
        let now = self.now_ms;
        if self.cfg.check_quorum && now >= self.quorum_check_deadline_ms {
            self.quorum_check_deadline_ms = now + self.cfg.election_timeout_ms_min;
            let active: crate::nodes::NodeMap<bool> = self
                .progress
                .iter()
                .map(|(id, pr)| (*id, *id == self.id || pr.recent_active))
                .collect();
            let count = active
                .iter()
                .filter(|(id, a)| **a && self.voters.contains(**id))
                .count();
            if self.voters.vote_result(&active) != crate::quorum::VoteResult::Won {
                let reason = RoleReason::LostQuorum { active: count };
                self.become_follower(self.term, None, reason);
                return;
            }
            for (id, pr) in self.progress.iter_mut() {
                pr.recent_active = *id == self.id;
            }
        }
        if let Some((to, deadline)) = self.transfer {
            if now >= deadline {
                self.transfer = None;
                self.event(Event::TransferAborted {
                    to,
                    reason: TransferAbortReason::Timeout,
                });
            }
        }
        if now >= self.heartbeat_deadline_ms {
            self.heartbeat_deadline_ms = now + self.cfg.heartbeat_interval_ms;
            let seq = self.read_only.new_round(now);
            self.bcast_heartbeat(seq);
        }
    }

    pub(crate) fn bcast_heartbeat(&mut self, ctx: u64) {
        for (&to, pr) in self.progress.iter() {
            if to == self.id {
                continue;
            }
            // Never tell a follower to commit past what it is known to hold.
            let commit = pr.matched.min(self.log.committed);
            self.msgs.push(Message {
                from: self.id,
                to,
                term: self.term,
                payload: Payload::Heartbeat { commit, ctx },
            });
        }
    }

    pub(crate) fn bcast_append(&mut self) {
        // By position: sending adds or removes no peer, and collecting the ids first would
        // allocate once per proposal.
        for i in 0..self.progress.len() {
            let to = self.progress.key_at(i);
            if to != self.id {
                self.maybe_send_append(to, true);
            }
        }
    }

    fn move_next(&mut self, peer: NodeId, from: LogIndex, reason: NextIndexReason) {
        let to = self.progress[&peer].next;
        if to != from {
            self.event(Event::NextIndexMoved {
                peer,
                from,
                to,
                reason,
            });
        }
    }

    /// Send the follower what it lacks, batched by count and bytes; a snapshot if the entries
    /// are compacted. Returns whether something was sent.
    pub(crate) fn maybe_send_append(&mut self, to: NodeId, send_if_empty: bool) -> bool {
        let Some(pr) = self.progress.get(&to) else {
            return false;
        };
        if pr.is_paused() {
            return false;
        }
        let next = pr.next;
        if !send_if_empty && next == self.log.last_index().next() {
            // The follower was sent everything: nothing to build. Every ack asks this once
            // (the pipelining loop in `handle_append_ack`), usually with nothing new.
            return false;
        }
        let prev_index = next.prev();
        let prev_term = self.log.term(prev_index);
        let ents = self.log.entries_from(
            next,
            self.cfg.max_entries_per_append,
            self.cfg.max_bytes_per_append,
        );
        let (Some(prev_term), Some(entries)) = (prev_term, ents) else {
            // §7: the entries are gone; send the snapshot instead.
            let Some(snap) = self.log.snapshot.clone() else {
                return false;
            };
            let index = snap.index;
            let first_index = self.log.first_index();
            let pr = self.progress.get_mut(&to).expect("checked above");
            pr.become_snapshot(index, self.now_ms);
            self.send(
                to,
                Payload::Snapshot {
                    snapshot: Box::new(snap),
                },
            );
            self.event(Event::SnapshotSent {
                to,
                index,
                needed: next,
                first_index,
            });
            return true;
        };
        if entries.is_empty() && !send_if_empty {
            return false;
        }
        let count = entries.len();
        let last = entries.last().map_or(prev_index, |e| e.index);
        let pr = self.progress.get_mut(&to).expect("checked above");
        // Optimistic moves of nextIndex while pipelining are not reported: one per append
        // would drown the trace; status() shows nextIndex.
        pr.sent_entries(count, last);
        let commit = self.log.committed;
        self.send(
            to,
            Payload::Append {
                prev_index,
                prev_term,
                entries,
                commit,
            },
        );
        true
    }

    /// §5.3/§5.4.2: commit the highest index on a majority, but only if it is of the current
    /// term; earlier entries commit with it (Figure 8).
    pub(crate) fn maybe_commit(&mut self) -> bool {
        let progress = &self.progress;
        let mci = self
            .voters
            .committed(|id| progress.get(&id).map_or(LogIndex(0), |p| p.matched));
        let mci = mci.min(self.log.last_index());
        if mci <= self.log.committed {
            return false;
        }
        let current_term = self.log.term(mci) == Some(self.term);
        if !current_term && !self.cfg.bugs.commit_old_term {
            return false;
        }
        let from = self.log.committed;
        self.commit_to(mci);
        self.after_leader_commit(from);
        true
    }

    /// Things that wait for a commit (the commit was `from` before): pending reads, auto-leave,
    /// promotions, stepping down.
    fn after_leader_commit(&mut self, from: LogIndex) {
        if self.role != Role::Leader {
            return;
        }
        self.release_pending_reads();
        if self.conf.current_index() > from {
            // The configuration just committed, so the members of the one before it are no
            // longer tracked. Otherwise nothing changed since `set_conf` pruned (this runs on
            // every commit: skipping it saves building the member set each time).
            self.prune_progress();
        } else {
            debug_assert!({
                let tracked = self.tracked_members();
                self.progress.iter().all(|(id, _)| tracked.contains(id))
            });
        }
        let committed = self.log.committed;
        let conf_committed = self.conf.current_index() <= committed;
        if conf_committed && !self.voters.contains(self.id) {
            // Dissertation §4.2.2: a leader that is not in C_new steps down once C_new commits.
            // Tell the followers the commit index first, so they need not wait for a new leader.
            self.bcast_append();
            self.become_follower(self.term, None, RoleReason::RemovedFromConfig);
            return;
        }
        if conf_committed && self.pending_conf_index <= committed && self.transfer.is_none() {
            let cs = self.conf.current();
            if cs.is_joint() && cs.auto_leave {
                self.pending_conf_index = self.append_entry(EntryKind::ConfChange {
                    change: Box::new(ConfChange::LeaveJoint),
                });
            } else {
                self.maybe_promote();
            }
        }
    }

    /// A learner added through `AddVoter` is promoted once it holds everything committed.
    pub(crate) fn maybe_promote(&mut self) {
        if self.pending_conf_index > self.log.committed || self.conf.current().is_joint() {
            return;
        }
        let committed = self.log.committed;
        let ready = self.promote_when_caught_up.iter().copied().find(|id| {
            self.learners.contains(id)
                && self
                    .progress
                    .get(id)
                    .is_some_and(|p| p.matched >= committed)
        });
        self.promote_when_caught_up
            .retain(|id| self.learners.contains(id));
        if let Some(node) = ready {
            self.promote_when_caught_up.remove(&node);
            let change = Box::new(ConfChange::AddVoter { node });
            self.pending_conf_index = self.append_entry(EntryKind::ConfChange { change });
            self.bcast_append();
        }
    }

    pub(crate) fn step_leader(&mut self, m: Message) -> Result<(), StepError> {
        if let Some(pr) = self.progress.get_mut(&m.from) {
            pr.recent_active = true;
        } else if m.kind().is_response() && !matches!(m.payload, Payload::ReadIndexResp { .. }) {
            self.ignore(&m, IgnoreReason::UnknownPeer);
            return Ok(());
        }
        let from = m.from;
        match m.payload {
            Payload::AppendResp {
                reject: true,
                index,
                reject_hint,
                hint_term,
            } => {
                let pr = &self.progress[&from];
                let old_next = pr.next;
                let pipelined = pr.state == ProgressState::Replicate;
                let matched = pr.matched;
                let (probe, reason) = if self.cfg.fast_backtrack {
                    // The leader's half of the hint: skip to the last entry of ours whose term
                    // is <= the follower's term there.
                    let probe = if hint_term.0 > 0 {
                        self.log.find_conflict_by_term(reject_hint, hint_term).0
                    } else {
                        reject_hint
                    };
                    (
                        probe,
                        NextIndexReason::Hint {
                            reject_hint,
                            hint_term,
                        },
                    )
                } else {
                    (index.prev(), NextIndexReason::OneStep)
                };
                // While pipelining, maybe_decr_to ignores the hint and restarts after the match:
                // say so, or the page would credit a jump to a hint that played no part.
                let reason = if pipelined {
                    NextIndexReason::BackToMatch {
                        rejected: index,
                        matched,
                    }
                } else {
                    reason
                };
                let pr = self.progress.get_mut(&from).expect("present");
                if pr.maybe_decr_to(index, probe) {
                    if pr.state == ProgressState::Replicate {
                        pr.become_probe();
                    }
                    self.move_next(from, old_next, reason);
                    self.maybe_send_append(from, true);
                }
            }
            Payload::AppendResp {
                reject: false,
                index,
                ..
            } => self.handle_append_ack(from, index),
            Payload::HeartbeatResp { ctx } => {
                let give_up_ms = self.now_ms.saturating_sub(self.cfg.election_timeout_ms_min);
                let pr = self.progress.get_mut(&from).expect("present");
                pr.probe_sent = false;
                if pr.state == ProgressState::Snapshot && pr.snapshot_sent_ms <= give_up_ms {
                    // The follower is alive but has not answered the snapshot for a minimum
                    // election timeout: the snapshot or its answer was lost (etcd waits for the
                    // transport's ReportSnapshot; a sans-IO core cannot). Probe again, right
                    // after the snapshot; a follower without it refuses and gets it again.
                    let old_next = pr.next;
                    pr.become_probe();
                    self.move_next(from, old_next, NextIndexReason::Probe);
                }
                let pr = self.progress.get_mut(&from).expect("present");
                if pr.state == ProgressState::Replicate && pr.inflights.full() {
                    pr.inflights.free_first();
                }
                if pr.matched < self.log.last_index() {
                    self.maybe_send_append(from, true);
                }
                if ctx != 0 && self.voters.contains(from) {
                    self.handle_heartbeat_ack(from, ctx);
                }
            }
            Payload::SnapshotResp { index, .. } => {
                let pr = self.progress.get_mut(&from).expect("present");
                if pr.state == ProgressState::Snapshot {
                    let old_next = pr.next;
                    // Even a refusal reports a committed prefix, which matches ours.
                    pr.maybe_update(index);
                    pr.become_probe();
                    self.move_next(from, old_next, NextIndexReason::SnapshotAnswered { index });
                    self.maybe_send_append(from, true);
                } else {
                    self.event(Event::MessageIgnored {
                        from,
                        msg: crate::MessageKind::SnapshotResp,
                        reason: IgnoreReason::Unexpected,
                    });
                }
            }
            Payload::ReadIndex { ctx } => self.leader_read(from, ctx),
            other => {
                let msg = other.kind();
                self.event(Event::MessageIgnored {
                    from,
                    msg,
                    reason: IgnoreReason::Unexpected,
                });
            }
        }
        Ok(())
    }

    fn handle_append_ack(&mut self, from: NodeId, index: LogIndex) {
        let pr = self.progress.get_mut(&from).expect("present");
        let old_next = pr.next;
        let was_paused = pr.is_paused();
        // An ack of exactly the match while probing also proves where the logs agree.
        let probe_confirmed = pr.state == ProgressState::Probe && pr.matched == index;
        if !pr.maybe_update(index) && !probe_confirmed {
            return;
        }
        match pr.state {
            ProgressState::Probe => pr.become_replicate(),
            ProgressState::Snapshot if pr.matched >= pr.pending_snapshot => {
                pr.become_probe();
                pr.become_replicate();
            }
            ProgressState::Replicate => pr.inflights.free_le(index),
            ProgressState::Snapshot => {}
        }
        self.move_next(from, old_next, NextIndexReason::Acked);
        // An ack at or below the commit index cannot move the majority's match above it (only
        // this follower's match changed), so skip the count: with three nodes, every second ack.
        if index > self.log.committed && self.maybe_commit() {
            self.bcast_append();
        } else if was_paused {
            // It may have missed the commit index while paused.
            self.maybe_send_append(from, true);
        }
        if self.role != Role::Leader {
            return;
        }
        // Pipelining: keep the window full.
        let mut budget = self.cfg.max_inflight_appends;
        while budget > 0 && self.maybe_send_append(from, false) {
            budget -= 1;
        }
        if let Some((to, _)) = self.transfer {
            if to == from && self.progress[&from].matched == self.log.last_index() {
                self.send(to, Payload::TimeoutNow);
                self.event(Event::TimeoutNowSent { to });
            }
        }
        if self.promote_when_caught_up.contains(&from) {
            self.maybe_promote();
        }
    }

    pub(crate) fn propose(&mut self, data: crate::SharedBytes) -> Result<LogIndex, ProposeError> {
        self.check_can_propose()?;
        let index = self.append_entry(EntryKind::Normal { data });
        self.bcast_append();
        Ok(index)
    }

    fn check_can_propose(&self) -> Result<(), ProposeError> {
        if self.role != Role::Leader {
            return Err(ProposeError::NotLeader {
                leader_hint: self.leader,
            });
        }
        if let Some((to, _)) = self.transfer {
            return Err(ProposeError::TransferInProgress { to });
        }
        Ok(())
    }

    pub(crate) fn propose_conf_change(&mut self, cc: ConfChange) -> Result<LogIndex, ProposeError> {
        self.check_can_propose()?;
        if self.pending_conf_index > self.log.committed {
            let index = self.pending_conf_index;
            return Err(ProposeError::ConfChange(
                crate::ConfChangeError::ChangePending { index },
            ));
        }
        let mut change = cc;
        let mut promote = None;
        if let ConfChange::AddVoter { node } = change {
            if !self.conf.current().contains(node) && node != crate::NodeId::NONE {
                // A new server first catches up as a learner (dissertation §4.2.1).
                change = ConfChange::AddLearner { node };
                promote = Some(node);
            }
        }
        apply_conf_change(self.conf.current(), &change).map_err(ProposeError::ConfChange)?;
        let change = Box::new(change);
        let index = self.append_entry(EntryKind::ConfChange { change });
        self.pending_conf_index = index;
        if let Some(node) = promote {
            self.promote_when_caught_up.insert(node);
        }
        self.bcast_append();
        Ok(index)
    }

    pub(crate) fn transfer_leader(&mut self, to: NodeId) -> Result<(), TransferError> {
        if self.role != Role::Leader {
            return Err(TransferError::NotLeader {
                leader_hint: self.leader,
            });
        }
        if to == self.id {
            return Err(TransferError::ToSelf);
        }
        if !self.voters.contains(to) {
            return Err(TransferError::NotAVoter { node: to });
        }
        if let Some((cur, _)) = self.transfer {
            if cur == to {
                return Ok(());
            }
            self.event(Event::TransferAborted {
                to: cur,
                reason: TransferAbortReason::Replaced,
            });
        }
        self.transfer = Some((to, self.now_ms + self.cfg.election_timeout_ms_min));
        self.event(Event::TransferStarted { to });
        if self.progress[&to].matched == self.log.last_index() {
            self.send(to, Payload::TimeoutNow);
            self.event(Event::TimeoutNowSent { to });
        } else {
            // Bring the target up to date first.
            self.maybe_send_append(to, true);
        }
        Ok(())
    }
}
