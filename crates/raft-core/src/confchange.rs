//! Membership changes: single-server (dissertation §4.1) and joint consensus (§6).

use core::fmt;

use crate::types::{ConfState, NodeId};

/// A requested membership change.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum ConfChange {
    /// Make `node` a voter. A learner is promoted. A node that is not a member yet is first added
    /// as a learner by the leader and promoted once it has caught up.
    AddVoter {
        /// The node.
        node: NodeId,
    },
    /// Add `node` as a learner.
    AddLearner {
        /// The node.
        node: NodeId,
    },
    /// Remove `node` (voter or learner).
    Remove {
        /// The node.
        node: NodeId,
    },
    /// Enter the joint configuration C_old,new whose incoming half is `voters` (§6).
    EnterJoint {
        /// The new voters (C_new).
        voters: Vec<NodeId>,
        /// The learners of C_new.
        learners: Vec<NodeId>,
        /// Leave the joint configuration automatically once it commits.
        auto_leave: bool,
    },
    /// Leave the joint configuration: C_new alone.
    LeaveJoint,
}

impl ConfChange {
    /// A short human description.
    pub fn summary(&self) -> String {
        match self {
            ConfChange::AddVoter { node } => format!("add voter {node}"),
            ConfChange::AddLearner { node } => format!("add learner {node}"),
            ConfChange::Remove { node } => format!("remove {node}"),
            ConfChange::EnterJoint { voters, .. } => {
                let v: Vec<String> = voters.iter().map(|n| n.to_string()).collect();
                format!("enter joint -> {{{}}}", v.join(","))
            }
            ConfChange::LeaveJoint => "leave joint".to_string(),
        }
    }
}

/// Why a configuration change was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "type",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum ConfChangeError {
    /// Another change is appended but not committed yet (dissertation §4.1: one at a time).
    ChangePending {
        /// Index of the pending change.
        index: crate::LogIndex,
    },
    /// The change would leave no voter.
    RemovingLastVoter,
    /// The node is already a voter.
    AlreadyVoter {
        /// The node.
        node: NodeId,
    },
    /// The node is already a learner.
    AlreadyLearner {
        /// The node.
        node: NodeId,
    },
    /// The node is not a member.
    NotAMember {
        /// The node.
        node: NodeId,
    },
    /// A single-server change or a second joint change while joint; leave joint first.
    InJointConfig,
    /// LeaveJoint while not joint.
    NotInJointConfig,
    /// A voter cannot become a learner with a single-server change.
    VoterToLearner {
        /// The node.
        node: NodeId,
    },
    /// `NodeId(0)` is reserved.
    InvalidNodeId,
    /// The joint change lists a node as both voter and learner.
    VoterAndLearner {
        /// The node.
        node: NodeId,
    },
}

impl fmt::Display for ConfChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfChangeError::ChangePending { index } => {
                write!(
                    f,
                    "a configuration change at index {index} is not committed yet"
                )
            }
            ConfChangeError::RemovingLastVoter => write!(f, "cannot remove the last voter"),
            ConfChangeError::AlreadyVoter { node } => write!(f, "node {node} is already a voter"),
            ConfChangeError::AlreadyLearner { node } => {
                write!(f, "node {node} is already a learner")
            }
            ConfChangeError::NotAMember { node } => write!(f, "node {node} is not a member"),
            ConfChangeError::InJointConfig => {
                write!(
                    f,
                    "the configuration is joint; leave it before another change"
                )
            }
            ConfChangeError::NotInJointConfig => write!(f, "the configuration is not joint"),
            ConfChangeError::VoterToLearner { node } => {
                write!(
                    f,
                    "node {node} is a voter; remove it before adding it as a learner"
                )
            }
            ConfChangeError::InvalidNodeId => write!(f, "node id 0 is reserved"),
            ConfChangeError::VoterAndLearner { node } => {
                write!(f, "node {node} is listed as both voter and learner")
            }
        }
    }
}

/// The configuration that results from applying `cc` to `cs`, or why it cannot be applied.
/// Pure: used both to validate a proposal and to apply an appended entry.
pub fn apply_conf_change(cs: &ConfState, cc: &ConfChange) -> Result<ConfState, ConfChangeError> {
    let mut next = cs.clone();
    match cc {
        ConfChange::AddVoter { node }
        | ConfChange::AddLearner { node }
        | ConfChange::Remove { node }
            if *node == NodeId::NONE =>
        {
            return Err(ConfChangeError::InvalidNodeId)
        }
        _ => {}
    }
    match cc {
        ConfChange::AddVoter { node } => {
            if cs.is_joint() {
                return Err(ConfChangeError::InJointConfig);
            }
            if cs.voters.contains(node) {
                return Err(ConfChangeError::AlreadyVoter { node: *node });
            }
            next.learners.retain(|l| l != node);
            next.voters.push(*node);
        }
        ConfChange::AddLearner { node } => {
            if cs.is_joint() {
                return Err(ConfChangeError::InJointConfig);
            }
            if cs.voters.contains(node) {
                return Err(ConfChangeError::VoterToLearner { node: *node });
            }
            if cs.learners.contains(node) {
                return Err(ConfChangeError::AlreadyLearner { node: *node });
            }
            next.learners.push(*node);
        }
        ConfChange::Remove { node } => {
            if cs.is_joint() {
                return Err(ConfChangeError::InJointConfig);
            }
            if !cs.contains(*node) {
                return Err(ConfChangeError::NotAMember { node: *node });
            }
            next.voters.retain(|v| v != node);
            next.learners.retain(|l| l != node);
            if next.voters.is_empty() {
                return Err(ConfChangeError::RemovingLastVoter);
            }
        }
        ConfChange::EnterJoint {
            voters,
            learners,
            auto_leave,
        } => {
            if cs.is_joint() {
                return Err(ConfChangeError::InJointConfig);
            }
            if voters.is_empty() {
                return Err(ConfChangeError::RemovingLastVoter);
            }
            if voters
                .iter()
                .chain(learners.iter())
                .any(|n| *n == NodeId::NONE)
            {
                return Err(ConfChangeError::InvalidNodeId);
            }
            if let Some(both) = voters.iter().find(|v| learners.contains(v)) {
                return Err(ConfChangeError::VoterAndLearner { node: *both });
            }
            next.voters_outgoing = cs.voters.clone();
            next.voters = voters.clone();
            next.learners = learners.clone();
            next.auto_leave = *auto_leave;
        }
        ConfChange::LeaveJoint => {
            if !cs.is_joint() {
                return Err(ConfChangeError::NotInJointConfig);
            }
            next.voters_outgoing.clear();
            next.auto_leave = false;
        }
    }
    next.normalize();
    Ok(next)
}

/// The configuration at every index that changed it. Conf entries take effect when appended
/// (dissertation §4.1), so a truncated conf entry must be rolled back: this keeps the history.
#[derive(Clone, Debug)]
pub(crate) struct ConfHistory {
    base_index: LogIndex,
    base: ConfState,
    changes: Vec<(LogIndex, ConfState)>,
}

use crate::types::LogIndex;

impl ConfHistory {
    pub fn new(index: LogIndex, mut cs: ConfState) -> ConfHistory {
        cs.normalize();
        ConfHistory {
            base_index: index,
            base: cs,
            changes: Vec::new(),
        }
    }

    pub fn current(&self) -> &ConfState {
        self.changes.last().map_or(&self.base, |(_, cs)| cs)
    }

    /// Index of the entry (or snapshot) that set the current configuration.
    pub fn current_index(&self) -> LogIndex {
        self.changes.last().map_or(self.base_index, |(i, _)| *i)
    }

    /// The configuration in force at `index`.
    pub fn at(&self, index: LogIndex) -> ConfState {
        self.changes
            .iter()
            .rev()
            .find(|(i, _)| *i <= index)
            .map_or_else(|| self.base.clone(), |(_, cs)| cs.clone())
    }

    pub fn push(&mut self, index: LogIndex, cs: ConfState) {
        debug_assert!(index > self.current_index());
        self.changes.push((index, cs));
    }

    /// Forget changes at `index` and after; returns whether the current configuration changed.
    pub fn truncate_from(&mut self, index: LogIndex) -> bool {
        let before = self.changes.len();
        self.changes.retain(|(i, _)| *i < index);
        self.changes.len() != before
    }

    /// The log before `index` is gone: fold older changes into the base.
    pub fn compact_to(&mut self, index: LogIndex) {
        while self.changes.first().is_some_and(|(i, _)| *i <= index) {
            let (i, cs) = self.changes.remove(0);
            self.base_index = i;
            self.base = cs;
        }
    }
}
