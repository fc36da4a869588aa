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
    let q = majority_size(voters);
    // The leader asks after every ack, its own included: insert each value into a descending
    // run, on the stack for up to `STACK_VOTERS_MAX` voters. For a handful of voters that is a
    // few compares, where the general sort spent more on its setup than on the sorting; and
    // no `sort` at all keeps that sort's code (kilobytes per element type) out of the wasm.
    if voters.len() > STACK_VOTERS_MAX {
        let mut vals = vec![unconstrained; voters.len()];
        return descending_at(&mut vals, voters, value, q);
    }
    let mut vals = [unconstrained; STACK_VOTERS_MAX];
    descending_at(&mut vals, voters, value, q)
}

/// Fill `vals` (at least as long as `voters`) with each voter's value, highest first, and
/// return the `q`-th highest.
fn descending_at<T: Ord + Copy>(
    vals: &mut [T],
    voters: &NodeSet,
    value: impl Fn(NodeId) -> T,
    q: usize,
) -> T {
    for (i, &v) in voters.iter().enumerate() {
        let x = value(v);
        let mut j = i;
        while j > 0 && vals[j - 1] < x {
            vals[j] = vals[j - 1];
            j -= 1;
        }
        vals[j] = x;
    }
    vals[q - 1]
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

    /// The stack path and the heap path (over `STACK_VOTERS_MAX` voters) against a sorted copy,
    /// for every size up to past the bound, duplicates included.
    #[test]
    fn majority_min_is_the_majority_th_highest_value_at_every_size() {
        let mut x = 11u64;
        for n in 1..=STACK_VOTERS_MAX as u64 + 3 {
            for _ in 0..50 {
                let vals: Vec<u64> = (0..n)
                    .map(|_| {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        (x >> 33) % 8
                    })
                    .collect();
                let voters = set(&(1..=n).collect::<Vec<_>>());
                let got = majority_min(&voters, |id| vals[(id.0 - 1) as usize], u64::MAX);
                let mut sorted = vals.clone();
                sorted.sort_unstable_by(|a, b| b.cmp(a));
                assert_eq!(got, sorted[n as usize / 2], "values {vals:?}");
            }
        }
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
