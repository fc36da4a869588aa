//! Linearizable reads (§8, dissertation §6.4). ReadIndex: record the commit index, confirm
//! leadership with a heartbeat round, serve once applied ≥ that index. A new leader first commits
//! an entry of its own term, since until then it does not know the commit index.
//!
//! Lease reads (dissertation §6.4.1) skip the round while the lease holds: every heartbeat is a
//! numbered round; when a quorum has answered rounds sent at or after time T, none of them will
//! vote for another leader before T + election_timeout_ms_min (CheckQuorum stickiness), so no
//! other leader can exist before then. That reasoning holds only if clocks run at the same rate:
//! with drift, a follower's timer can fire early and a stale read becomes possible.

use crate::nodes::NodeMap;
use std::collections::VecDeque;

use crate::config::ReadOnlyOption;
use crate::errors::ReadError;
use crate::events::Event;
use crate::message::{Payload, ReadState};
use crate::quorum::VoteResult;
use crate::raft::Raft;
use crate::types::{LogIndex, NodeId, Role};

/// A read round awaiting a quorum of heartbeat answers.
#[derive(Clone, Debug)]
struct ReadRound {
    seq: u64,
    index: LogIndex,
    requests: Vec<(NodeId, u64)>,
    acks: NodeMap<bool>,
}

/// Leader-side read bookkeeping.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadOnly {
    next_seq: u64,
    /// Send time of recent heartbeat rounds, oldest first (bounded by `ROUNDS_KEPT`).
    sent: VecDeque<(u64, u64)>,
    /// Per voter: send time of the latest round it answered (the start of its lease promise).
    lease_from: NodeMap<u64>,
    rounds: VecDeque<ReadRound>,
    /// Requests waiting for the first commit of the leader's term.
    waiting: Vec<(NodeId, u64)>,
}

/// Heartbeat rounds whose send time is remembered; older answers no longer extend a lease.
const ROUNDS_KEPT: usize = 64;

impl ReadOnly {
    /// Number a new heartbeat round sent at `now_ms`.
    pub fn new_round(&mut self, now_ms: u64) -> u64 {
        self.next_seq += 1;
        self.sent.push_back((self.next_seq, now_ms));
        while self.sent.len() > ROUNDS_KEPT {
            self.sent.pop_front();
        }
        self.next_seq
    }

    /// Every request still waiting, oldest first.
    pub fn into_requests(self) -> Vec<(NodeId, u64)> {
        let mut all = self.waiting;
        for r in self.rounds {
            all.extend(r.requests);
        }
        all
    }

    pub fn pending(&self) -> usize {
        self.waiting.len() + self.rounds.iter().map(|r| r.requests.len()).sum::<usize>()
    }
}

impl Raft {
    /// The caller's read request.
    pub(crate) fn read_index(&mut self, ctx: u64) -> Result<(), ReadError> {
        if self.cfg.bugs.stale_read {
            // Injected bug: answer from local state with no round at all.
            let index = self.log.committed;
            self.read_states.push(ReadState { ctx, index });
            return Ok(());
        }
        if self.role == Role::Leader {
            self.leader_read(self.id, ctx);
            return Ok(());
        }
        match self.leader {
            Some(leader) => {
                // A follower forwards the request; the leader answers with an index.
                self.send(leader, Payload::ReadIndex { ctx });
                Ok(())
            }
            None => Err(ReadError::NoLeader),
        }
    }

    fn answer_read(&mut self, requester: NodeId, ctx: u64, index: LogIndex) {
        if requester == self.id {
            self.read_states.push(ReadState { ctx, index });
        } else {
            self.send(
                requester,
                Payload::ReadIndexResp {
                    ctx,
                    index,
                    reject: false,
                },
            );
        }
    }

    pub(crate) fn leader_read(&mut self, requester: NodeId, ctx: u64) {
        if self.log.term(self.log.committed) != Some(self.term) {
            // §8: the leader does not know the commit index until its term's first entry commits.
            self.read_only.waiting.push((requester, ctx));
            self.event(Event::ReadPending { ctx });
            return;
        }
        let index = self.log.committed;
        let single_voter = self.voters.ids().len() == 1;
        let lease = self.cfg.read_only_option == ReadOnlyOption::LeaseBased && self.lease_valid();
        if single_voter || lease {
            self.answer_read(requester, ctx, index);
            return;
        }
        // Safe reads, and lease reads whose lease has lapsed, confirm leadership with a round.
        let seq = self.read_only.new_round(self.now_ms);
        let acks = [(self.id, true)].into_iter().collect();
        self.read_only.rounds.push_back(ReadRound {
            seq,
            index,
            requests: vec![(requester, ctx)],
            acks,
        });
        self.bcast_heartbeat(seq);
    }

    pub(crate) fn release_pending_reads(&mut self) {
        if self.read_only.waiting.is_empty() || self.log.term(self.log.committed) != Some(self.term)
        {
            return;
        }
        for (requester, ctx) in std::mem::take(&mut self.read_only.waiting) {
            self.leader_read(requester, ctx);
        }
    }

    /// Whether a quorum's lease promise still covers now (see the module comment). Not during a
    /// transfer: TimeoutNow lets the target bypass stickiness.
    pub(crate) fn lease_valid(&self) -> bool {
        if self.transfer.is_some() {
            return false;
        }
        let (me, now) = (self.id, self.now_ms);
        let lease_from = &self.read_only.lease_from;
        let start = self.voters.quorum_min(
            |id| {
                if id == me {
                    Some(now)
                } else {
                    lease_from.get(&id).copied()
                }
            },
            Some(u64::MAX),
        );
        start.is_some_and(|t| now < t.saturating_add(self.cfg.election_timeout_ms_min))
    }

    /// A voter answered heartbeat round `seq`: it extends its lease promise and confirms every
    /// read round up to `seq`.
    pub(crate) fn handle_heartbeat_ack(&mut self, from: NodeId, seq: u64) {
        // From the newest: answers are mostly to the round just sent.
        if let Some(&(_, sent_ms)) = self.read_only.sent.iter().rev().find(|(s, _)| *s == seq) {
            let t = self
                .read_only
                .lease_from
                .get_or_insert_with(from, || sent_ms);
            *t = (*t).max(sent_ms);
        }
        self.handle_read_ack(from, seq);
    }

    /// A heartbeat answer for round `seq` confirms every round up to it.
    fn handle_read_ack(&mut self, from: NodeId, seq: u64) {
        for round in self.read_only.rounds.iter_mut() {
            if round.seq <= seq {
                round.acks.insert(from, true);
            }
        }
        while let Some(front) = self.read_only.rounds.front() {
            if self.voters.vote_result(&front.acks) != VoteResult::Won {
                break;
            }
            let round = self.read_only.rounds.pop_front().expect("front exists");
            for (requester, ctx) in round.requests {
                self.answer_read(requester, ctx, round.index);
            }
        }
    }
}
