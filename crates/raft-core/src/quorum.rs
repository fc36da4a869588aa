//! Quorum arithmetic: majorities, and joint majorities (§6: every decision needs a majority of
//! C_old and a majority of C_new).

use crate::nodes::{NodeMap, NodeSet};

use crate::types::{LogIndex, NodeId};

/// The outcome of a vote count.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum VoteResult {
    Pending,
    Won,
    Lost,
}

/// A majority configuration.
pub(crate) fn majority_size(voters: &NodeSet) -> usize {
    voters.len() / 2 + 1
}

/// The highest value a majority of `voters` has reached: for match indexes, the highest index on
/// a majority (§5.3: "a majority of matchIndex[i] ≥ N"). An empty configuration imposes no
/// constraint and yields `unconstrained`.
pub(crate) fn majority_min<T: Ord + Copy>(
    voters: &NodeSet,
    value: impl Fn(NodeId) -> T,
    unconstrained: T,
) -> T {
    if voters.is_empty() {
        return unconstrained;
    }
    // The leader asks after every ack: sort on the stack unless the configuration is huge.
    let mut stack = [unconstrained; STACK_VOTERS_MAX];
    let mut heap = Vec::new();
    let vals: &mut [T] = if voters.len() <= STACK_VOTERS_MAX {
        &mut stack[..voters.len()]
    } else {
        heap.resize(voters.len(), unconstrained);
        &mut heap
    };
    for (slot, &v) in vals.iter_mut().zip(voters) {
        *slot = value(v);
    }
    vals.sort_unstable_by(|a, b| b.cmp(a));
    vals[majority_size(voters) - 1]
}

/// Configurations up to this many voters are counted without allocating.
const STACK_VOTERS_MAX: usize = 16;

/// The highest index present on a majority of `voters`.
pub(crate) fn majority_committed(
    voters: &NodeSet,
    matched: impl Fn(NodeId) -> LogIndex,
) -> LogIndex {
    majority_min(voters, matched, LogIndex(u64::MAX))
}

pub(crate) fn majority_vote(voters: &NodeSet, votes: &NodeMap<bool>) -> VoteResult {
    if voters.is_empty() {
        return VoteResult::Won;
    }
    let (mut yes, mut missing) = (0, 0);
    for v in voters {
        match votes.get(v) {
            Some(true) => yes += 1,
            Some(false) => {}
            None => missing += 1,
        }
    }
    let q = majority_size(voters);
    if yes >= q {
        VoteResult::Won
    } else if yes + missing >= q {
        VoteResult::Pending
    } else {
        VoteResult::Lost
    }
}

/// A configuration that may be joint.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub(crate) struct JointConfig {
    pub incoming: NodeSet,
    pub outgoing: NodeSet,
}

impl JointConfig {
    pub fn contains(&self, id: NodeId) -> bool {
        self.incoming.contains(&id) || self.outgoing.contains(&id)
    }

    pub fn ids(&self) -> NodeSet {
        self.incoming.union(&self.outgoing)
    }

    /// Committed index: the smaller of both halves' majorities.
    pub fn committed(&self, matched: impl Fn(NodeId) -> LogIndex) -> LogIndex {
        let a = majority_committed(&self.incoming, &matched);
        let b = majority_committed(&self.outgoing, &matched);
        a.min(b)
    }

    /// The value reached by majorities of both halves (e.g. the lease start of a quorum).
    pub fn quorum_min<T: Ord + Copy>(&self, value: impl Fn(NodeId) -> T, unconstrained: T) -> T {
        let a = majority_min(&self.incoming, &value, unconstrained);
        let b = majority_min(&self.outgoing, &value, unconstrained);
        a.min(b)
    }

    /// Won needs both halves; lost if either half is lost.
    pub fn vote_result(&self, votes: &NodeMap<bool>) -> VoteResult {
        let a = majority_vote(&self.incoming, votes);
        let b = majority_vote(&self.outgoing, votes);
        match (a, b) {
            (VoteResult::Won, VoteResult::Won) => VoteResult::Won,
            (VoteResult::Lost, _) | (_, VoteResult::Lost) => VoteResult::Lost,
            _ => VoteResult::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[u64]) -> NodeSet {
        ids.iter().map(|&i| NodeId(i)).collect()
    }

    #[test]
    fn majority_of_five_is_the_third_highest_match() {
        let m = [5u64, 1, 4, 2, 3];
        let c = majority_committed(&set(&[1, 2, 3, 4, 5]), |id| {
            LogIndex(m[(id.0 - 1) as usize])
        });
        assert_eq!(c, LogIndex(3));
    }

    #[test]
    fn joint_commit_is_the_minimum_of_both_halves() {
        let j = JointConfig {
            incoming: set(&[1, 2, 3]),
            outgoing: set(&[3, 4, 5]),
        };
        let m = [9u64, 9, 1, 1, 1];
        assert_eq!(
            j.committed(|id| LogIndex(m[(id.0 - 1) as usize])),
            LogIndex(1)
        );
    }

    #[test]
    fn joint_vote_needs_both_majorities() {
        let j = JointConfig {
            incoming: set(&[1, 2, 3]),
            outgoing: set(&[4, 5, 6]),
        };
        let mut votes: NodeMap<bool> = [(NodeId(1), true), (NodeId(2), true)].into_iter().collect();
        assert_eq!(j.vote_result(&votes), VoteResult::Pending);
        votes.insert(NodeId(4), false);
        votes.insert(NodeId(5), false);
        assert_eq!(j.vote_result(&votes), VoteResult::Lost);
    }
}
