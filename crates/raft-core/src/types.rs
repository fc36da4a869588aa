//! Newtypes and the values that are persisted: entries, hard state, snapshots.

use core::fmt;

use crate::confchange::ConfChange;
use crate::nodes::NodeSet;
use crate::shared_bytes::SharedBytes;

macro_rules! newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<u64> for $name {
            fn from(v: u64) -> Self {
                $name(v)
            }
        }
    };
}

newtype!(
    /// A server's id. `NodeId(0)` is reserved for "nobody".
    NodeId
);
newtype!(
    /// A term number (§5.1). `Term(0)` means "before any election".
    Term
);
newtype!(
    /// A position in the log. The log starts at 1; `LogIndex(0)` means "nothing".
    LogIndex
);

impl NodeId {
    /// The reserved "nobody" id.
    pub const NONE: NodeId = NodeId(0);
}

impl LogIndex {
    /// The index right after this one.
    pub fn next(self) -> LogIndex {
        LogIndex(self.0 + 1)
    }
    /// The index right before this one (saturating at 0).
    pub fn prev(self) -> LogIndex {
        LogIndex(self.0.saturating_sub(1))
    }
}

impl Term {
    /// The term right after this one.
    pub fn next(self) -> Term {
        Term(self.0 + 1)
    }
}

/// What an entry carries.
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
pub enum EntryKind {
    /// A client command for the state machine.
    Normal {
        /// The command bytes, shared by every copy of the entry.
        data: SharedBytes,
    },
    /// The empty entry a new leader appends at the start of its term (§5.4.2, §8).
    NoOp,
    /// A configuration change; it takes effect as soon as it is appended (dissertation §4.1).
    ConfChange {
        /// The change (boxed: rare, and it would otherwise make every entry twice as big).
        change: Box<ConfChange>,
    },
}

/// One log entry.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Entry {
    /// Position in the log.
    pub index: LogIndex,
    /// Term of the leader that created the entry.
    pub term: Term,
    /// What the entry carries.
    pub kind: EntryKind,
}

impl Entry {
    /// A normal entry carrying `data`.
    pub fn normal(index: LogIndex, term: Term, data: impl Into<SharedBytes>) -> Entry {
        Entry {
            index,
            term,
            kind: EntryKind::Normal { data: data.into() },
        }
    }

    /// A no-op entry.
    pub fn noop(index: LogIndex, term: Term) -> Entry {
        Entry {
            index,
            term,
            kind: EntryKind::NoOp,
        }
    }

    /// The approximate size on the wire, used to bound an append by bytes.
    pub fn size_bytes(&self) -> u64 {
        // 16 bytes of index + term, plus the payload.
        16 + match &self.kind {
            EntryKind::Normal { data } => data.len() as u64,
            EntryKind::NoOp => 0,
            EntryKind::ConfChange { .. } => 16,
        }
    }

    /// A short human description: `3@2 set x` style.
    pub fn summary(&self) -> String {
        match &self.kind {
            EntryKind::Normal { data } => {
                let text = String::from_utf8_lossy(data);
                let mut short: String = text.chars().take(24).collect();
                if text.chars().count() > 24 {
                    short.push('…');
                }
                short
            }
            EntryKind::NoOp => "no-op".to_string(),
            EntryKind::ConfChange { change } => change.summary(),
        }
    }
}

/// The state that must be on disk before the node answers anyone (Figure 2, "Persistent state").
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct HardState {
    /// currentTerm.
    pub term: Term,
    /// votedFor in `term`.
    pub vote: Option<NodeId>,
    /// The commit index. Not required by the paper, but persisting it lets a restart re-apply
    /// without waiting for a leader.
    pub commit: LogIndex,
}

/// What a node believes is durable (`RawNode::believed_durable`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BelievedDurable {
    /// The hard state last handed out in a Ready.
    pub hard_state: HardState,
    /// The highest log index known persisted.
    pub stable_index: LogIndex,
    /// The term of the entry there, if the log still holds it (or its snapshot ends there).
    pub stable_term: Option<Term>,
    /// Every Ready handed out has been advanced.
    pub fully_advanced: bool,
}

/// The membership: voters, learners, and the outgoing voters while joint (§6).
#[derive(Clone, Default, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct ConfState {
    /// Voters of the (incoming) configuration, sorted.
    pub voters: Vec<NodeId>,
    /// Learners: receive the log, never vote, never count toward a quorum. Sorted.
    pub learners: Vec<NodeId>,
    /// The old voters while in joint consensus (C_old,new); empty otherwise. Sorted.
    pub voters_outgoing: Vec<NodeId>,
    /// Whether the leader leaves the joint configuration by itself once it commits.
    pub auto_leave: bool,
}

impl ConfState {
    /// Whether the configuration is joint (C_old,new).
    pub fn is_joint(&self) -> bool {
        !self.voters_outgoing.is_empty()
    }

    /// Whether `id` votes in either half of the configuration.
    pub fn is_voter(&self, id: NodeId) -> bool {
        self.voters.contains(&id) || self.voters_outgoing.contains(&id)
    }

    /// Whether `id` is a learner (and not also a voter).
    pub fn is_learner(&self, id: NodeId) -> bool {
        self.learners.contains(&id) && !self.is_voter(id)
    }

    /// Whether `id` is in the configuration at all.
    pub fn contains(&self, id: NodeId) -> bool {
        self.is_voter(id) || self.learners.contains(&id)
    }

    /// Every member, voters and learners, sorted and unique.
    pub fn members(&self) -> Vec<NodeId> {
        self.voters
            .iter()
            .chain(self.voters_outgoing.iter())
            .chain(self.learners.iter())
            .copied()
            .collect::<NodeSet>()
            .into_vec()
    }

    pub(crate) fn normalize(&mut self) {
        for ids in [
            &mut self.voters,
            &mut self.voters_outgoing,
            &mut self.learners,
        ] {
            *ids = std::mem::take(ids)
                .into_iter()
                .collect::<NodeSet>()
                .into_vec();
        }
        // A node is either a voter or a learner of the incoming config. A learner that is still
        // an outgoing voter keeps voting until the joint config is left (§6).
        let voters = &self.voters;
        self.learners.retain(|l| !voters.contains(l));
    }
}

/// A snapshot: the state machine up to `index`, and the configuration at that index (§7).
#[derive(Clone, Default, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Snapshot {
    /// Last included index.
    pub index: LogIndex,
    /// Term of the last included entry.
    pub term: Term,
    /// The configuration as of `index`.
    pub conf_state: ConfState,
    /// The state-machine bytes.
    pub data: Vec<u8>,
}

/// What survived on disk; the input of [`crate::RawNode::restart`].
#[derive(Clone, Default, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct PersistedState {
    /// Term, vote, commit.
    pub hard_state: HardState,
    /// The latest persisted snapshot, if any.
    pub snapshot: Option<Snapshot>,
    /// Entries after the snapshot, contiguous.
    pub entries: Vec<Entry>,
}

/// A node's role (§5.1), plus the PreVote phase (dissertation §9.6).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Role {
    /// Passive: answers leaders and candidates.
    #[default]
    Follower,
    /// Asking for pre-votes without raising its term.
    PreCandidate,
    /// Asking for votes in a new term.
    Candidate,
    /// Handles all client requests and replicates the log.
    Leader,
}

impl Role {
    /// The camelCase name used on the page.
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "preCandidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
