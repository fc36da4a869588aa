//! Node configuration and its validation. Every limit is named here and checked by `validate`.

use core::fmt;

use crate::bugs::Bugs;
use crate::nodes::NodeSet;
use crate::types::NodeId;

/// The longest timeout or interval a config may set (one day): keeps every deadline
/// computation far from overflow.
pub const MAX_TIMEOUT_MS: u64 = 86_400_000;

/// Virtual time is clamped here (about 292 million years), so `now + timeout` never overflows.
pub const MAX_NOW_MS: u64 = u64::MAX / 2;

/// How a leader answers a read (§8 and dissertation §6.4).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum ReadOnlyOption {
    /// ReadIndex: confirm leadership with a heartbeat round before serving.
    #[default]
    Safe,
    /// Serve while the leader's lease holds, with no round. Unsafe when clocks drift: the lease
    /// is measured on the leader's clock while followers time out on theirs.
    LeaseBased,
}

/// Configuration of one node.
#[derive(Clone, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Config {
    /// This node's id (not 0).
    pub id: NodeId,
    /// The initial voters, used by `new` and by `restart` when there is no snapshot.
    pub voters: Vec<NodeId>,
    /// The initial learners.
    pub learners: Vec<NodeId>,
    /// Lower bound of the randomized election timeout (inclusive).
    pub election_timeout_ms_min: u64,
    /// Upper bound of the randomized election timeout (exclusive).
    pub election_timeout_ms_max: u64,
    /// Interval between leader heartbeats; must be below `election_timeout_ms_min`.
    pub heartbeat_interval_ms: u64,
    /// Most entries in one AppendEntries.
    pub max_entries_per_append: usize,
    /// Most payload bytes in one AppendEntries (at least one entry is always sent).
    pub max_bytes_per_append: u64,
    /// Most AppendEntries in flight to one follower in the replicate state.
    pub max_inflight_appends: usize,
    /// Run a PreVote round before raising the term (dissertation §9.6).
    pub pre_vote: bool,
    /// Leaders step down when an election timeout passes without hearing from a quorum
    /// (dissertation §6.2). Unlike etcd, this does not decide whether votes are ignored: that is
    /// `leader_stickiness`.
    pub check_quorum: bool,
    /// A server that heard from a current leader within the minimum election timeout ignores
    /// RequestVote and PreVote, without raising its term (dissertation §4.2.3, "disruptive
    /// servers"); a leader counts as hearing from itself. etcd applies this rule only together
    /// with CheckQuorum; here it is its own setting, so a server that believes it is a voter but
    /// that no leader contacts cannot depose a live leader even with CheckQuorum off.
    pub leader_stickiness: bool,
    /// Use the follower's conflict hint to move nextIndex by whole terms (§5.3, the end).
    pub fast_backtrack: bool,
    /// How reads are served.
    pub read_only_option: ReadOnlyOption,
    /// Seed of the election-timeout PRNG.
    pub rng_seed: u64,
    /// Injected bugs; all off by default.
    pub bugs: Bugs,
}

impl Config {
    /// A config with the defaults of the playground: 150–300 ms election timeout, 50 ms heartbeats,
    /// PreVote, CheckQuorum and leader stickiness on, fast backtracking on.
    pub fn new(id: NodeId, voters: Vec<NodeId>) -> Config {
        Config {
            id,
            voters,
            learners: Vec::new(),
            election_timeout_ms_min: 150,
            election_timeout_ms_max: 300,
            heartbeat_interval_ms: 50,
            max_entries_per_append: 64,
            max_bytes_per_append: 1 << 20,
            max_inflight_appends: 4,
            pre_vote: true,
            check_quorum: true,
            leader_stickiness: true,
            fast_backtrack: true,
            read_only_option: ReadOnlyOption::Safe,
            rng_seed: id.0,
            bugs: Bugs::default(),
        }
    }

    /// Check every field; the error names the field that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |field: &'static str, reason: String| Err(ConfigError { field, reason });
        if self.id == NodeId::NONE {
            return err("id", "node id 0 is reserved for \"nobody\"".into());
        }
        if self.voters.is_empty() {
            return err("voters", "at least one voter is required".into());
        }
        if self.voters.contains(&NodeId::NONE) || self.learners.contains(&NodeId::NONE) {
            return err("voters", "node id 0 is reserved for \"nobody\"".into());
        }
        let distinct: NodeSet = self.voters.iter().copied().collect();
        if distinct.len() < self.voters.len() {
            return err("voters", "a voter is listed twice".into());
        }
        if let Some(l) = self.learners.iter().find(|l| self.voters.contains(l)) {
            return err(
                "learners",
                format!("node {l} is both a voter and a learner"),
            );
        }
        if self.election_timeout_ms_min == 0 {
            return err("election_timeout_ms_min", "must be above 0".into());
        }
        if self.election_timeout_ms_min >= self.election_timeout_ms_max {
            return err(
                "election_timeout_ms_max",
                format!(
                    "must be above election_timeout_ms_min ({} >= {}); the timeout is drawn from [min, max)",
                    self.election_timeout_ms_min, self.election_timeout_ms_max
                ),
            );
        }
        if self.election_timeout_ms_max > MAX_TIMEOUT_MS {
            return err(
                "election_timeout_ms_max",
                format!("must be at most {MAX_TIMEOUT_MS} (one day)"),
            );
        }
        if self.heartbeat_interval_ms == 0 {
            return err("heartbeat_interval_ms", "must be above 0".into());
        }
        if self.heartbeat_interval_ms >= self.election_timeout_ms_min {
            return err(
                "heartbeat_interval_ms",
                format!(
                    "must be below election_timeout_ms_min ({} >= {}), or followers time out between heartbeats",
                    self.heartbeat_interval_ms, self.election_timeout_ms_min
                ),
            );
        }
        if self.max_entries_per_append == 0 {
            return err("max_entries_per_append", "must be at least 1".into());
        }
        if self.max_bytes_per_append == 0 {
            return err("max_bytes_per_append", "must be at least 1".into());
        }
        if self.max_inflight_appends == 0 {
            return err("max_inflight_appends", "must be at least 1".into());
        }
        if self.read_only_option == ReadOnlyOption::LeaseBased && !self.check_quorum {
            return err(
                "read_only_option",
                "lease reads need check_quorum, or a deposed leader keeps serving".into(),
            );
        }
        if self.read_only_option == ReadOnlyOption::LeaseBased && !self.leader_stickiness {
            return err(
                "read_only_option",
                "lease reads need leader_stickiness, or followers elect a new leader while the old one's lease holds".into(),
            );
        }
        Ok(())
    }

    /// `validate`, plus: this node must be a member of the initial configuration.
    pub(crate) fn validate_new(&self) -> Result<(), ConfigError> {
        self.validate()?;
        if !self.voters.contains(&self.id) && !self.learners.contains(&self.id) {
            return Err(ConfigError {
                field: "id",
                reason: format!("node {} is neither in voters nor in learners", self.id),
            });
        }
        Ok(())
    }
}

/// A config that cannot work.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfigError {
    /// The offending field (snake case, as in [`Config`]).
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid config field `{}`: {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}
