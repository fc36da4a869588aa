//! What followers and candidates do with messages: RequestVote (§5.2, §5.4.1), AppendEntries
//! (§5.3), InstallSnapshot (§7), TimeoutNow, and counting votes.

use crate::events::{AppendRejectReason, DenyReason, Event, IgnoreReason, RoleReason};
use crate::message::{Message, Payload, ReadState};
use crate::raft::{CampaignKind, Raft};
use crate::types::{LogIndex, Role, Snapshot, Term};

impl Raft {
    /// RequestVote and PreVote, in any role. The term rules already ran in `step`.
    pub(crate) fn handle_vote_request(&mut self, m: Message) {
        let (pre_vote, last_index, last_term) = match m.payload {
            Payload::PreVote {
                last_index,
                last_term,
            } => (true, last_index, last_term),
            Payload::Vote {
                last_index,
                last_term,
                ..
            } => (false, last_index, last_term),
            _ => unreachable!("handle_vote_request called with a non-vote message"),
        };
        // §5.2: one vote per term, first come first served. A pre-vote for a later term does
        // not use up the vote.
        let can_vote = self.vote == Some(m.from)
            || (self.vote.is_none() && self.leader.is_none())
            || (pre_vote && m.term > self.term);
        // §5.4.1: only for a candidate whose log is at least as up-to-date as ours.
        let up_to_date =
            self.log.is_up_to_date(last_index, last_term) || self.cfg.bugs.vote_ignores_log;
        if can_vote && up_to_date {
            self.event(Event::VoteGranted {
                to: m.from,
                term: m.term,
                pre_vote,
            });
            if pre_vote {
                // Answer in the term asked about, so the pre-candidate counts it.
                self.msgs.push(Message {
                    from: self.id,
                    to: m.from,
                    term: m.term,
                    payload: Payload::PreVoteResp { reject: false },
                });
            } else {
                self.vote = Some(m.from);
                self.election_deadline_ms = self.now_ms + self.election_timeout_ms;
                // The grant vouches for a persisted votedFor.
                self.send_after_persist(m.from, Payload::VoteResp { reject: false });
            }
            return;
        }
        let reason = if !can_vote {
            match (self.vote, self.leader) {
                (Some(voted_for), _) => DenyReason::AlreadyVoted {
                    voted_for,
                    term: self.term,
                },
                (None, Some(leader)) => DenyReason::HasLeader { leader },
                (None, None) => unreachable!("can_vote holds with no vote and no leader"),
            }
        } else {
            DenyReason::LogBehind {
                candidate_last_term: last_term,
                candidate_last_index: last_index,
                last_term: self.log.last_term(),
                last_index: self.log.last_index(),
            }
        };
        self.event(Event::VoteDenied {
            to: m.from,
            term: m.term,
            pre_vote,
            reason,
        });
        let payload = if pre_vote {
            Payload::PreVoteResp { reject: true }
        } else {
            Payload::VoteResp { reject: true }
        };
        self.send(m.from, payload);
    }

    pub(crate) fn step_candidate(&mut self, m: Message) {
        match m.payload {
            Payload::Append { .. } | Payload::Heartbeat { .. } | Payload::Snapshot { .. } => {
                // §5.2: a leader of this term exists; the candidate returns to follower.
                let reason = RoleReason::LeaderDiscovered { leader: m.from };
                self.become_follower(m.term, Some(m.from), reason);
                self.step_follower(m);
            }
            Payload::PreVoteResp { reject } if self.role == Role::PreCandidate => {
                if self.voters.contains(m.from) {
                    self.record_vote(m.from, !reject);
                }
            }
            Payload::VoteResp { reject } if self.role == Role::Candidate => {
                if self.voters.contains(m.from) {
                    self.record_vote(m.from, !reject);
                }
            }
            _ => self.ignore(&m, IgnoreReason::Unexpected),
        }
    }

    pub(crate) fn step_follower(&mut self, m: Message) {
        match m.payload {
            Payload::Append {
                prev_index,
                prev_term,
                entries,
                commit,
            } => {
                self.heard_from_leader(m.from);
                self.handle_append(m.from, prev_index, prev_term, entries, commit);
            }
            Payload::Heartbeat { commit, ctx } => {
                self.heard_from_leader(m.from);
                // The leader sends min(commit, our match), so this never passes our log; clamp
                // anyway so a lost suffix (possible only with injected bugs) cannot panic.
                let commit = commit.min(self.log.last_index());
                self.commit_to(commit);
                self.send(m.from, Payload::HeartbeatResp { ctx });
            }
            Payload::Snapshot { snapshot } => {
                self.heard_from_leader(m.from);
                self.handle_snapshot(m.from, *snapshot);
            }
            Payload::TimeoutNow => {
                if self.promotable() {
                    // Dissertation §3.10: skip PreVote; the leader asked for this election.
                    self.campaign(
                        CampaignKind::Transfer,
                        RoleReason::TimeoutNow { from: m.from },
                    );
                } else {
                    self.ignore(&m, IgnoreReason::Unexpected);
                }
            }
            Payload::ReadIndex { ctx } => {
                // Not the leader: refuse so the asker retries elsewhere.
                self.send(
                    m.from,
                    Payload::ReadIndexResp {
                        ctx,
                        index: LogIndex(0),
                        reject: true,
                    },
                );
            }
            Payload::ReadIndexResp { ctx, index, reject } => {
                if reject {
                    self.event(Event::ReadAborted { ctx });
                } else {
                    self.read_states.push(ReadState { ctx, index });
                }
            }
            _ => self.ignore(&m, IgnoreReason::Unexpected),
        }
    }

    pub(crate) fn ignore(&mut self, m: &Message, reason: IgnoreReason) {
        self.event(Event::MessageIgnored {
            from: m.from,
            msg: m.kind(),
            reason,
        });
    }

    /// AppendEntries receiver implementation, Figure 2 steps 2–5.
    fn handle_append(
        &mut self,
        from: crate::NodeId,
        prev_index: LogIndex,
        prev_term: Term,
        mut entries: Vec<crate::Entry>,
        leader_commit: LogIndex,
    ) {
        let committed = self.log.committed;
        if prev_index < committed {
            // Already committed here, so it matches the leader: report the commit index.
            self.send_after_persist(
                from,
                Payload::AppendResp {
                    reject: false,
                    index: committed,
                    reject_hint: LogIndex(0),
                    hint_term: Term(0),
                },
            );
            return;
        }
        let matches = self.log.match_term(prev_index, prev_term)
            || (self.cfg.bugs.skip_prev_log_check && prev_index <= self.log.last_index());
        if !matches {
            // §5.3 optimisation: hint the last index whose term is <= prevLogTerm, so the leader
            // can skip a whole term per round trip.
            let last_index = self.log.last_index();
            let hint = prev_index.min(last_index);
            let (reject_hint, hint_term) = self.log.find_conflict_by_term(hint, prev_term);
            let reason = match self.log.term(prev_index) {
                Some(term) => AppendRejectReason::TermMismatch { term },
                // Beyond the log (below the snapshot the check always passes: prev_index <
                // committed was answered above).
                None => AppendRejectReason::LogTooShort { last_index },
            };
            self.event(Event::AppendRejected {
                from,
                prev_index,
                prev_term,
                reason,
                reject_hint,
                hint_term,
            });
            self.send(
                from,
                Payload::AppendResp {
                    reject: true,
                    index: prev_index,
                    reject_hint,
                    hint_term,
                },
            );
            return;
        }
        let last_new = LogIndex(prev_index.0 + entries.len() as u64);
        if let Some(conflict) = self.log.find_conflict(&entries) {
            // Figure 2 step 3: delete the conflicting entry and all that follow. A conflict at or
            // below the commit index would contradict Leader Completeness (§5.4.3).
            let skip = if conflict <= self.log.committed {
                // Only injected bugs get here; keep the committed prefix and let the checkers
                // report the broken cluster instead of crashing the simulation.
                assert!(
                    self.cfg.bugs.any(),
                    "leader {from} conflicts with committed entry {conflict}"
                );
                (self.log.committed.0 - prev_index.0) as usize
            } else {
                (conflict.0 - prev_index.0 - 1) as usize
            };
            if skip < entries.len() {
                self.append_to_log(entries.drain(skip..));
            }
        }
        // Step 5: commit = min(leaderCommit, index of last new entry).
        self.commit_to(leader_commit.min(last_new).min(self.log.last_index()));
        self.send_after_persist(
            from,
            Payload::AppendResp {
                reject: false,
                index: last_new,
                reject_hint: LogIndex(0),
                hint_term: Term(0),
            },
        );
    }

    /// InstallSnapshot receiver (§7).
    fn handle_snapshot(&mut self, from: crate::NodeId, snap: Snapshot) {
        let committed = self.log.committed;
        if snap.index <= committed {
            self.event(Event::MessageIgnored {
                from,
                msg: crate::MessageKind::Snapshot,
                reason: IgnoreReason::StaleSnapshot {
                    index: snap.index,
                    commit: committed,
                },
            });
            self.send(
                from,
                Payload::SnapshotResp {
                    reject: true,
                    index: committed,
                },
            );
            return;
        }
        if self.log.match_term(snap.index, snap.term) {
            // §7: the log already holds the snapshot's last entry: keep what follows it.
            self.commit_to(snap.index);
            self.send_after_persist(
                from,
                Payload::SnapshotResp {
                    reject: false,
                    index: snap.index,
                },
            );
            return;
        }
        let (index, term) = (snap.index, snap.term);
        let cs = snap.conf_state.clone();
        // Compare the membership only: a snapshot usually carries the configuration the
        // follower already uses, and a "new configuration" line would then be noise.
        let same_conf = {
            let old = self.conf.current();
            old.voters == cs.voters
                && old.learners == cs.learners
                && old.voters_outgoing == cs.voters_outgoing
        };
        self.log.restore(snap);
        self.conf = crate::confchange::ConfHistory::new(index, cs.clone());
        self.set_conf(&cs);
        self.event(Event::SnapshotInstalled { from, index, term });
        if !same_conf {
            self.event(Event::ConfChanged {
                voters: cs.voters,
                learners: cs.learners,
                voters_outgoing: cs.voters_outgoing,
                index,
            });
        }
        self.send_after_persist(
            from,
            Payload::SnapshotResp {
                reject: false,
                index,
            },
        );
    }
}
