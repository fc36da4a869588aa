//! The Raft state machine: state of Figure 2, role transitions, timers, and the `step` entry
//! point that applies the term rules of §5.1 before dispatching to the role handlers in
//! `role_follower.rs` and `role_leader.rs`.

use crate::nodes::{NodeMap, NodeSet};

use crate::confchange::ConfHistory;
use crate::config::{Config, ReadOnlyOption};
use crate::errors::StepError;
use crate::events::{DenyReason, Event, IgnoreReason, RoleReason, TransferAbortReason};
use crate::log::RaftLog;
use crate::message::{Message, MessageKind, Payload, ReadState};
use crate::progress::Progress;
use crate::quorum::JointConfig;
use crate::read_only::ReadOnly;
use crate::rng::SplitMix64;
use crate::types::{HardState, LogIndex, NodeId, Role, Term};

/// Which kind of election to run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CampaignKind {
    PreVote,
    Election,
    Transfer,
}

#[derive(Clone, Debug)]
pub(crate) struct Raft {
    pub id: NodeId,
    pub cfg: Config,
    // Persistent state (Figure 2).
    pub term: Term,
    pub vote: Option<NodeId>,
    pub log: RaftLog,
    // Volatile state.
    pub role: Role,
    pub leader: Option<NodeId>,
    pub conf: ConfHistory,
    pub voters: JointConfig,
    pub learners: NodeSet,
    /// Leader only: one entry per member, self included.
    pub progress: NodeMap<Progress>,
    /// Candidate / pre-candidate only.
    pub votes: NodeMap<bool>,
    // Virtual time: the caller's clock, never running backward.
    pub now_ms: u64,
    /// When the node was created or restarted: a lease it may have promised before a crash
    /// runs out an election timeout after this.
    started_ms: u64,
    pub election_timeout_ms: u64,
    pub election_deadline_ms: u64,
    pub heartbeat_deadline_ms: u64,
    pub quorum_check_deadline_ms: u64,
    pub leader_heard_ms: u64,
    rng: SplitMix64,
    // Leader bookkeeping.
    pub pending_conf_index: LogIndex,
    pub transfer: Option<(NodeId, u64)>,
    pub read_only: ReadOnly,
    pub promote_when_caught_up: NodeSet,
    // Output queues.
    pub msgs: Vec<Message>,
    /// Messages that vouch for state not yet persisted; released by `advance`.
    pub msgs_after_persist: Vec<Message>,
    pub events: Vec<Event>,
    pub read_states: Vec<ReadState>,
}

impl Raft {
    /// A node starting at `now_ms` on its clock: its first election timeout runs from then.
    pub fn new(cfg: Config, log: RaftLog, conf: ConfHistory, hs: HardState, now_ms: u64) -> Raft {
        let now_ms = now_ms.min(crate::config::MAX_NOW_MS);
        let mut r = Raft {
            id: cfg.id,
            term: hs.term,
            vote: hs.vote,
            log,
            role: Role::Follower,
            leader: None,
            conf,
            voters: JointConfig::default(),
            learners: NodeSet::new(),
            progress: NodeMap::new(),
            votes: NodeMap::new(),
            now_ms,
            started_ms: now_ms,
            election_timeout_ms: cfg.election_timeout_ms_min,
            election_deadline_ms: 0,
            heartbeat_deadline_ms: 0,
            quorum_check_deadline_ms: 0,
            leader_heard_ms: now_ms,
            rng: SplitMix64::new(cfg.rng_seed ^ cfg.id.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            pending_conf_index: LogIndex(0),
            transfer: None,
            read_only: ReadOnly::default(),
            promote_when_caught_up: NodeSet::new(),
            msgs: Vec::new(),
            msgs_after_persist: Vec::new(),
            events: Vec::new(),
            read_states: Vec::new(),
            cfg,
        };
        let cs = r.conf.current().clone();
        r.set_conf(&cs);
        r.reset_election_timer();
        r
    }

    pub fn hard_state(&self) -> HardState {
        HardState {
            term: self.term,
            vote: self.vote,
            commit: self.log.committed,
        }
    }

    /// Voters may campaign; learners and removed nodes may not.
    pub fn promotable(&self) -> bool {
        self.voters.contains(self.id)
    }

    pub fn is_member(&self, id: NodeId) -> bool {
        self.voters.contains(id) || self.learners.contains(&id)
    }

    pub fn send(&mut self, to: NodeId, payload: Payload) {
        let m = Message {
            from: self.id,
            to,
            term: self.term,
            payload,
        };
        self.msgs.push(m);
    }

    /// Queue a message that must not leave before the current state is persisted.
    pub fn send_after_persist(&mut self, to: NodeId, payload: Payload) {
        let m = Message {
            from: self.id,
            to,
            term: self.term,
            payload,
        };
        if self.cfg.bugs.ack_before_persist {
            if to == self.id {
                self.self_ack(m);
            } else {
                self.msgs.push(m);
            }
        } else {
            self.msgs_after_persist.push(m);
        }
    }

    pub fn event(&mut self, e: Event) {
        self.events.push(e);
    }

    // ---- timers -------------------------------------------------------------------------

    /// §5.2: a fresh timeout drawn from [min, max) each time the timer restarts in a new role.
    pub fn reset_election_timer(&mut self) {
        self.election_timeout_ms = self.rng.range(
            self.cfg.election_timeout_ms_min,
            self.cfg.election_timeout_ms_max,
        );
        self.election_deadline_ms = self.now_ms + self.election_timeout_ms;
    }

    /// A leader was heard: push the deadline out by the current timeout.
    pub fn heard_from_leader(&mut self, leader: NodeId) {
        self.leader = Some(leader);
        self.leader_heard_ms = self.now_ms;
        self.election_deadline_ms = self.now_ms + self.election_timeout_ms;
    }

    pub fn next_deadline_ms(&self) -> Option<u64> {
        if self.role == Role::Leader {
            let mut d = self.heartbeat_deadline_ms;
            if self.cfg.check_quorum {
                d = d.min(self.quorum_check_deadline_ms);
            }
            if let Some((_, t)) = self.transfer {
                d = d.min(t);
            }
            Some(d)
        } else if self.promotable() {
            Some(self.election_deadline_ms)
        } else {
            None
        }
    }

    /// §5.2: a follower or candidate that hears nothing until its election deadline starts an
    /// election then, the first deadline after it started included.
    pub fn tick(&mut self, now_ms: u64) {
        let now_ms = now_ms.min(crate::config::MAX_NOW_MS);
        self.now_ms = self.now_ms.max(now_ms);
        if self.role == Role::Leader {
            self.tick_leader();
        } else if self.now_ms >= self.election_deadline_ms {
            if self.promotable() {
                let timeout_ms = self.election_timeout_ms;
                let kind = if self.cfg.pre_vote {
                    CampaignKind::PreVote
                } else {
                    CampaignKind::Election
                };
                self.campaign(kind, RoleReason::ElectionTimeout { timeout_ms });
            } else {
                self.reset_election_timer();
            }
        }
    }

    // ---- role transitions ---------------------------------------------------------------

    fn set_role(&mut self, to: Role, reason: RoleReason) {
        let from = self.role;
        self.role = to;
        if from != to || to == Role::Candidate || to == Role::PreCandidate {
            self.event(Event::RoleChanged {
                from,
                to,
                term: self.term,
                reason,
            });
        }
    }

    pub fn become_follower(&mut self, term: Term, leader: Option<NodeId>, reason: RoleReason) {
        if term > self.term {
            self.term = term;
            self.vote = None;
        }
        if let Some((to, _)) = self.transfer.take() {
            if leader != Some(to) {
                self.event(Event::TransferAborted {
                    to,
                    reason: TransferAbortReason::SteppedDown,
                });
            }
        }
        self.progress.clear();
        self.votes.clear();
        // Reads waiting at a leader that steps down can no longer be confirmed by it.
        for (requester, ctx) in std::mem::take(&mut self.read_only).into_requests() {
            if requester == self.id {
                self.event(Event::ReadAborted { ctx });
            } else {
                self.send(
                    requester,
                    Payload::ReadIndexResp {
                        ctx,
                        index: LogIndex(0),
                        reject: true,
                    },
                );
            }
        }
        self.leader = leader;
        if leader.is_some() {
            self.leader_heard_ms = self.now_ms;
        }
        self.reset_election_timer();
        self.set_role(Role::Follower, reason);
    }

    pub fn campaign(&mut self, kind: CampaignKind, reason: RoleReason) {
        if !self.promotable() {
            return;
        }
        self.votes.clear();
        self.leader = None;
        self.reset_election_timer();
        let vote_term = if kind == CampaignKind::PreVote {
            // Dissertation §9.6: ask first without raising the term.
            self.set_role(Role::PreCandidate, reason);
            self.term.next()
        } else {
            self.term = self.term.next();
            self.vote = Some(self.id);
            self.set_role(Role::Candidate, reason);
            self.term
        };
        let (last_index, last_term) = (self.log.last_index(), self.log.last_term());
        for id in self.voters.ids() {
            if id == self.id {
                continue;
            }
            let payload = match kind {
                CampaignKind::PreVote => Payload::PreVote {
                    last_index,
                    last_term,
                },
                _ => Payload::Vote {
                    last_index,
                    last_term,
                    transfer: kind == CampaignKind::Transfer,
                },
            };
            self.msgs.push(Message {
                from: self.id,
                to: id,
                term: vote_term,
                payload,
            });
        }
        if kind == CampaignKind::PreVote {
            // A pre-vote for oneself changes nothing on disk.
            self.record_vote(self.id, true);
        } else {
            // The self-vote counts only once votedFor is persisted.
            self.send_after_persist(self.id, Payload::VoteResp { reject: false });
        }
    }

    pub fn record_vote(&mut self, from: NodeId, granted: bool) {
        // The first answer from a voter counts; a repeat (a duplicated message) changes nothing.
        self.votes.get_or_insert_with(from, || granted);
        match self.voters.vote_result(&self.votes) {
            crate::quorum::VoteResult::Won => {
                if self.role == Role::PreCandidate {
                    self.campaign(CampaignKind::Election, RoleReason::PreVoteWon);
                } else {
                    let votes = self
                        .votes
                        .iter()
                        .filter(|(_, g)| **g)
                        .map(|(id, _)| *id)
                        .collect();
                    self.become_leader(votes);
                }
            }
            crate::quorum::VoteResult::Lost => {
                let rejections = self
                    .votes
                    .iter()
                    .filter(|(_, g)| !**g)
                    .map(|(id, _)| *id)
                    .collect();
                self.become_follower(self.term, None, RoleReason::LostElection { rejections });
            }
            crate::quorum::VoteResult::Pending => {}
        }
    }

    /// A message queued by `send_after_persist` to this node itself, now persisted.
    pub fn self_ack(&mut self, m: Message) {
        if m.term != self.term {
            return;
        }
        match m.payload {
            Payload::VoteResp { reject } if self.role == Role::Candidate => {
                self.record_vote(self.id, !reject)
            }
            Payload::AppendResp { index, .. } if self.role == Role::Leader => {
                if let Some(pr) = self.progress.get_mut(&self.id) {
                    pr.maybe_update(index);
                }
                if self.maybe_commit() {
                    self.bcast_append();
                }
            }
            _ => {}
        }
    }

    pub fn commit_to(&mut self, index: LogIndex) -> bool {
        let from = self.log.committed;
        if self.log.commit_to(index) {
            self.event(Event::CommitAdvanced { from, to: index });
            true
        } else {
            false
        }
    }

    // ---- step ---------------------------------------------------------------------------

    fn validate(&self, m: &Message) -> Result<(), StepError> {
        if m.to != self.id {
            return Err(StepError::WrongRecipient {
                to: m.to,
                me: self.id,
            });
        }
        if m.from == NodeId::NONE || m.from == self.id {
            return Err(StepError::InvalidSender { from: m.from });
        }
        if m.term.0 >= u64::MAX - 1 {
            return Err(StepError::TermOverflow { term: m.term });
        }
        if m.kind().is_response()
            && !matches!(m.payload, Payload::ReadIndexResp { .. })
            && !self.is_member(m.from)
            && m.term >= self.term
        {
            return Err(StepError::UnknownSender { from: m.from });
        }
        match &m.payload {
            Payload::Append {
                prev_index,
                prev_term,
                entries,
                ..
            } => {
                if *prev_term > m.term {
                    return Err(StepError::Malformed {
                        reason: "prevLogTerm above the leader's term",
                    });
                }
                if *prev_index == LogIndex(0) && *prev_term != Term(0) {
                    return Err(StepError::Malformed {
                        reason: "prevLogTerm set for index 0",
                    });
                }
                let mut expect = prev_index.next();
                let mut last_term = *prev_term;
                for e in entries {
                    if e.index != expect {
                        return Err(StepError::Malformed {
                            reason: "entries are not contiguous",
                        });
                    }
                    if e.term > m.term || e.term < last_term {
                        return Err(StepError::Malformed {
                            reason: "entry terms out of order",
                        });
                    }
                    expect = expect.next();
                    last_term = e.term;
                }
            }
            Payload::Snapshot { snapshot } => {
                if snapshot.index == LogIndex(0) || snapshot.term > m.term {
                    return Err(StepError::Malformed {
                        reason: "snapshot index or term invalid",
                    });
                }
                if snapshot.conf_state.voters.is_empty() {
                    return Err(StepError::Malformed {
                        reason: "snapshot without voters",
                    });
                }
            }
            // In its own term a leader's log only grows, so an answer about an index it never
            // sent is made up. (Answers from older terms are filtered by the term rules.)
            Payload::AppendResp { index, .. } | Payload::SnapshotResp { index, .. }
                if self.role == Role::Leader
                    && m.term == self.term
                    && *index > self.log.last_index() =>
            {
                return Err(StepError::IndexBeyondLog {
                    index: *index,
                    last_index: self.log.last_index(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Why this node will not vote now, whatever the candidate: leader stickiness (a live
    /// leader was heard within the minimum election timeout, dissertation §4.2.3), or, with
    /// lease reads, a node that just started and may have promised a lease it no longer
    /// remembers.
    fn vote_lease(&self) -> Option<DenyReason> {
        if !self.cfg.leader_stickiness {
            return None;
        }
        if self.role == Role::Leader {
            return Some(DenyReason::IsLeader { term: self.term });
        }
        let min = self.cfg.election_timeout_ms_min;
        if let Some(leader) = self.leader {
            let heard_ms_ago = self.now_ms.saturating_sub(self.leader_heard_ms);
            if heard_ms_ago < min {
                return Some(DenyReason::LeaderSticky {
                    leader,
                    heard_ms_ago,
                });
            }
        }
        let until = self.started_ms + min;
        if self.cfg.read_only_option == ReadOnlyOption::LeaseBased && self.now_ms < until {
            return Some(DenyReason::RecentlyStarted {
                wait_ms: until - self.now_ms,
            });
        }
        None
    }

    pub fn step(&mut self, m: Message) -> Result<(), StepError> {
        self.validate(&m)?;
        let kind = m.kind();
        if m.term > self.term {
            let is_vote = matches!(kind, MessageKind::Vote | MessageKind::PreVote);
            if is_vote {
                let transfer = matches!(m.payload, Payload::Vote { transfer: true, .. });
                if let (false, Some(reason)) = (transfer, self.vote_lease()) {
                    // Leader stickiness: do not let a partitioned node disrupt a live leader.
                    self.event(Event::VoteDenied {
                        to: m.from,
                        term: m.term,
                        pre_vote: kind == MessageKind::PreVote,
                        reason,
                    });
                    return Ok(());
                }
            }
            if self.transfer.is_some_and(|(to, _)| to == m.from) {
                // The transfer target campaigns: the transfer succeeded.
                self.transfer = None;
            }
            let keep_term = kind == MessageKind::PreVote
                || matches!(m.payload, Payload::PreVoteResp { reject: false });
            if !keep_term {
                let leader = matches!(
                    kind,
                    MessageKind::Append | MessageKind::Heartbeat | MessageKind::Snapshot
                )
                .then_some(m.from);
                let reason = RoleReason::HigherTerm {
                    from: m.from,
                    term: m.term,
                };
                self.become_follower(m.term, leader, reason);
            }
        } else if m.term < self.term {
            self.step_stale(m);
            return Ok(());
        }
        match kind {
            MessageKind::Vote | MessageKind::PreVote => {
                self.handle_vote_request(m);
                Ok(())
            }
            _ => match self.role {
                Role::Leader => self.step_leader(m),
                Role::Candidate | Role::PreCandidate => {
                    self.step_candidate(m);
                    Ok(())
                }
                Role::Follower => {
                    self.step_follower(m);
                    Ok(())
                }
            },
        }
    }

    /// §5.1: a request with a stale term is rejected with the current term, so a deposed leader
    /// or stale candidate learns it is behind.
    fn step_stale(&mut self, m: Message) {
        let kind = m.kind();
        match kind {
            MessageKind::Append | MessageKind::Heartbeat
                if self.cfg.check_quorum || self.cfg.pre_vote || self.cfg.leader_stickiness =>
            {
                // Without this answer, a leader cut off by a partition and then healed would
                // never learn the newer term: our pre-votes do not raise its term. And with
                // leader stickiness its followers ignore our vote requests, so a server whose
                // term ran ahead while it was cut off would never rejoin (§4.2.3): this answer
                // makes the leader step down, and the next election brings everyone together.
                self.send(
                    m.from,
                    Payload::AppendResp {
                        reject: false,
                        index: LogIndex(0),
                        reject_hint: LogIndex(0),
                        hint_term: Term(0),
                    },
                );
            }
            MessageKind::PreVote | MessageKind::Vote => {
                let pre_vote = kind == MessageKind::PreVote;
                self.event(Event::VoteDenied {
                    to: m.from,
                    term: m.term,
                    pre_vote,
                    reason: DenyReason::StaleTerm {
                        candidate_term: m.term,
                        term: self.term,
                    },
                });
                let payload = if pre_vote {
                    Payload::PreVoteResp { reject: true }
                } else {
                    Payload::VoteResp { reject: true }
                };
                self.send(m.from, payload);
                return;
            }
            _ => {}
        }
        self.event(Event::MessageIgnored {
            from: m.from,
            msg: kind,
            reason: IgnoreReason::StaleTerm {
                msg_term: m.term,
                term: self.term,
            },
        });
    }
}
