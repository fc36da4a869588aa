//! `SimConfig`: the cluster, timing, fault and load parameters of a run, with a serde default
//! for every field (so `{}` is a valid config) and a `validate` that names the bad field.

use crate::write::write_struct;
use serde::Serialize;

use crate::error::{short_number, SimError};
use crate::read::{self, read_struct, Read};

/// Named limits. A limit that is not named is a limit nobody checks.
pub const NODES_MAX: u64 = 9;
pub const CLIENTS_MAX: u64 = 16;
pub const TIMING_MS_MAX: u64 = 600_000;
pub const LATENCY_MS_MAX: f64 = 60_000.0;
pub const DISK_LATENCY_MS_MAX: f64 = 10_000.0;
pub const MAX_ENTRIES_PER_APPEND_MAX: u64 = 10_000;
pub const MAX_INFLIGHT_APPENDS_MAX: u64 = 1_000;
pub const CLOCK_SKEW_PPM_MAX: i64 = 500_000;

/// The names of raft-core's injectable bugs, in kebab case as at every boundary.
pub const BUG_NAMES: [&str; 6] = [
    "vote-ignores-log",
    "commit-old-term",
    "forget-vote-on-restart",
    "skip-prev-log-check",
    "ack-before-persist",
    "stale-read",
];

/// One line per bug for `raft-sim bugs` and the page's "break Raft" toggles.
pub fn bug_description(name: &str) -> &'static str {
    match name {
        "vote-ignores-log" => {
            "grant votes without checking that the candidate's log is up to date (§5.4.1)"
        }
        "commit-old-term" => "commit entries of earlier terms by counting replicas (Figure 8)",
        "forget-vote-on-restart" => {
            "votedFor is not persisted, so a restarted node may vote twice in one term"
        }
        "skip-prev-log-check" => {
            "accept AppendEntries without the prevLogIndex/prevLogTerm check (§5.3)"
        }
        "ack-before-persist" => "acknowledge appends and votes before they reach the disk",
        "stale-read" => "serve reads from local state without ReadIndex or a lease (§8)",
        _ => "unknown bug",
    }
}

/// How client reads are served.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum ReadMode {
    /// The leader confirms it is still leader with a heartbeat round (§6.4 of the dissertation).
    #[default]
    ReadIndex,
    /// The leader trusts its lease (safe only while clocks drift less than the bound).
    Lease,
    /// Any node answers from its own state machine: fast, and stale (shows the anomaly).
    StaleFollower,
}

/// How messages reach their receiver once their latency has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Delivery {
    /// The network delivers each message when its latency has passed.
    #[default]
    Auto,
    /// A message whose latency has passed waits in the network until the user delivers, drops
    /// or duplicates it (the `deliver`, `drop`, `duplicate` actions); timers still fire. The
    /// learner plays the network, so any interleaving Raft must survive can be built by hand
    /// (§5.4.2, Figure 8).
    Manual,
}

impl Read for ReadMode {
    fn read(value: &crate::json::Value) -> Result<ReadMode, SimError> {
        read::variant(
            value,
            &[
                ("readIndex", ReadMode::ReadIndex),
                ("lease", ReadMode::Lease),
                ("staleFollower", ReadMode::StaleFollower),
            ],
        )
    }
}

impl Read for Delivery {
    fn read(value: &crate::json::Value) -> Result<Delivery, SimError> {
        read::variant(
            value,
            &[("auto", Delivery::Auto), ("manual", Delivery::Manual)],
        )
    }
}

impl Delivery {
    pub fn is_auto(&self) -> bool {
        *self == Delivery::Auto
    }
}

/// The parameters of a simulated cluster. JSON in camelCase; see docs/DESIGN.md.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimConfig {
    pub nodes: u64,
    pub seed: u64,
    pub heartbeat_ms: u64,
    pub election_timeout_ms_min: u64,
    pub election_timeout_ms_max: u64,
    pub latency_ms_min: f64,
    pub latency_ms_max: f64,
    pub loss_pct: f64,
    pub dup_pct: f64,
    pub disk_latency_ms: f64,
    pub pre_vote: bool,
    pub check_quorum: bool,
    /// Servers that heard from a leader within the minimum election timeout ignore vote
    /// requests (dissertation §4.2.3); raft-core's `leader_stickiness`.
    pub leader_stickiness: bool,
    pub fast_backtrack: bool,
    pub read_mode: ReadMode,
    pub clients: u64,
    pub client_write_every_ms: u64,
    /// How long a client waits for an answer before trying another server. 0 (the default)
    /// derives it: twice `electionTimeoutMsMax` plus four times `latencyMsMax` and
    /// `diskLatencyMs` (room for an election and a round trip with a disk write).
    pub client_retry_timeout_ms: u64,
    pub snapshot_threshold: u64,
    pub max_entries_per_append: u64,
    pub max_inflight_appends: u64,
    pub bugs: Vec<String>,
    /// Left out of the JSON when automatic, so scenarios and links made before manual delivery
    /// existed (and every automatic run's) stay byte for byte what they were.
    #[serde(skip_serializing_if = "Delivery::is_auto")]
    pub delivery: Delivery,
}

// Every field is optional: an absent one keeps its default (`{}` is the default config).
read_struct!(SimConfig = SimConfig::default(), {
    nodes: "nodes",
    seed: "seed",
    heartbeat_ms: "heartbeatMs",
    election_timeout_ms_min: "electionTimeoutMsMin",
    election_timeout_ms_max: "electionTimeoutMsMax",
    latency_ms_min: "latencyMsMin",
    latency_ms_max: "latencyMsMax",
    loss_pct: "lossPct",
    dup_pct: "dupPct",
    disk_latency_ms: "diskLatencyMs",
    pre_vote: "preVote",
    check_quorum: "checkQuorum",
    leader_stickiness: "leaderStickiness",
    fast_backtrack: "fastBacktrack",
    read_mode: "readMode",
    clients: "clients",
    client_write_every_ms: "clientWriteEveryMs",
    client_retry_timeout_ms: "clientRetryTimeoutMs",
    snapshot_threshold: "snapshotThreshold",
    max_entries_per_append: "maxEntriesPerAppend",
    max_inflight_appends: "maxInflightAppends",
    bugs: "bugs",
    delivery: "delivery",
});
write_struct!(SimConfig { nodes: "nodes", seed: "seed", heartbeat_ms: "heartbeatMs", election_timeout_ms_min: "electionTimeoutMsMin", election_timeout_ms_max: "electionTimeoutMsMax", latency_ms_min: "latencyMsMin", latency_ms_max: "latencyMsMax", loss_pct: "lossPct", dup_pct: "dupPct", disk_latency_ms: "diskLatencyMs", pre_vote: "preVote", check_quorum: "checkQuorum", leader_stickiness: "leaderStickiness", fast_backtrack: "fastBacktrack", read_mode: "readMode", clients: "clients", client_write_every_ms: "clientWriteEveryMs", client_retry_timeout_ms: "clientRetryTimeoutMs", snapshot_threshold: "snapshotThreshold", max_entries_per_append: "maxEntriesPerAppend", max_inflight_appends: "maxInflightAppends", bugs: "bugs", delivery: "delivery" omit });

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            nodes: 5,
            seed: 0,
            heartbeat_ms: 50,
            election_timeout_ms_min: 150,
            election_timeout_ms_max: 300,
            latency_ms_min: 5.0,
            latency_ms_max: 15.0,
            loss_pct: 0.0,
            dup_pct: 0.0,
            disk_latency_ms: 0.0,
            pre_vote: true,
            check_quorum: true,
            leader_stickiness: true,
            fast_backtrack: true,
            read_mode: ReadMode::ReadIndex,
            clients: 1,
            client_write_every_ms: 0,
            client_retry_timeout_ms: 0,
            snapshot_threshold: 0,
            max_entries_per_append: 64,
            max_inflight_appends: 4,
            bugs: Vec::new(),
            delivery: Delivery::Auto,
        }
    }
}

/// Check a latency-like number: finite, not negative, within `max`.
pub fn check_ms(field: &str, v: f64, max: f64) -> Result<(), SimError> {
    if v.is_nan() {
        return Err(SimError::new(field, "must be a number, got NaN"));
    }
    if !v.is_finite() {
        return Err(SimError::new(
            field,
            format!("must be finite, got {}", short_number(v)),
        ));
    }
    if v < 0.0 {
        return Err(SimError::new(
            field,
            format!("must not be negative, got {}", short_number(v)),
        ));
    }
    if v > max {
        return Err(SimError::new(
            field,
            format!(
                "must be at most {}, got {}",
                short_number(max),
                short_number(v)
            ),
        ));
    }
    Ok(())
}

/// Check a percentage: finite and in 0..=100.
pub fn check_pct(field: &str, v: f64) -> Result<(), SimError> {
    if !v.is_finite() {
        return Err(SimError::new(
            field,
            format!("must be a finite percentage, got {}", short_number(v)),
        ));
    }
    if !(0.0..=100.0).contains(&v) {
        return Err(SimError::new(
            field,
            format!("must be between 0 and 100, got {}", short_number(v)),
        ));
    }
    Ok(())
}

/// Check a bug name against raft-core's list.
pub fn check_bug_name(field: &str, name: &str) -> Result<(), SimError> {
    if BUG_NAMES.contains(&name) {
        Ok(())
    } else {
        Err(SimError::new(
            field,
            format!(
                "unknown bug \"{name}\"; known bugs: {}",
                BUG_NAMES.join(", ")
            ),
        ))
    }
}

impl SimConfig {
    /// Parse JSON text; errors name the field (`nodes: ...`).
    pub fn from_json(text: &str) -> Result<SimConfig, SimError> {
        let value = crate::json::parse(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        let cfg = SimConfig::read(&value)?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Reject every configuration that cannot work, naming the field.
    pub fn validate(&self) -> Result<(), SimError> {
        if self.nodes == 0 {
            return Err(SimError::new(
                "nodes",
                "a cluster needs at least 1 node, got 0",
            ));
        }
        if self.nodes > NODES_MAX {
            return Err(SimError::new(
                "nodes",
                format!(
                    "at most {NODES_MAX} nodes are supported, got {}",
                    self.nodes
                ),
            ));
        }
        if self.heartbeat_ms == 0 || self.heartbeat_ms > TIMING_MS_MAX {
            return Err(SimError::new(
                "heartbeatMs",
                format!(
                    "must be between 1 and {TIMING_MS_MAX}, got {}",
                    self.heartbeat_ms
                ),
            ));
        }
        if self.election_timeout_ms_min <= self.heartbeat_ms {
            return Err(SimError::new(
                "electionTimeoutMsMin",
                format!(
                    "must be greater than heartbeatMs ({}), got {}",
                    self.heartbeat_ms, self.election_timeout_ms_min
                ),
            ));
        }
        if self.election_timeout_ms_max > TIMING_MS_MAX {
            return Err(SimError::new(
                "electionTimeoutMsMax",
                format!(
                    "must be at most {TIMING_MS_MAX}, got {}",
                    self.election_timeout_ms_max
                ),
            ));
        }
        if self.election_timeout_ms_min > self.election_timeout_ms_max {
            return Err(SimError::new(
                "electionTimeoutMsMin",
                format!(
                    "must not exceed electionTimeoutMsMax ({}), got {}",
                    self.election_timeout_ms_max, self.election_timeout_ms_min
                ),
            ));
        }
        check_ms("latencyMsMin", self.latency_ms_min, LATENCY_MS_MAX)?;
        check_ms("latencyMsMax", self.latency_ms_max, LATENCY_MS_MAX)?;
        if self.latency_ms_min > self.latency_ms_max {
            return Err(SimError::new(
                "latencyMsMin",
                format!(
                    "must not exceed latencyMsMax ({}), got {}",
                    short_number(self.latency_ms_max),
                    short_number(self.latency_ms_min)
                ),
            ));
        }
        check_pct("lossPct", self.loss_pct)?;
        check_pct("dupPct", self.dup_pct)?;
        check_ms("diskLatencyMs", self.disk_latency_ms, DISK_LATENCY_MS_MAX)?;
        if self.clients == 0 || self.clients > CLIENTS_MAX {
            return Err(SimError::new(
                "clients",
                format!("must be between 1 and {CLIENTS_MAX}, got {}", self.clients),
            ));
        }
        if self.client_write_every_ms > TIMING_MS_MAX {
            return Err(SimError::new(
                "clientWriteEveryMs",
                format!(
                    "must be at most {TIMING_MS_MAX}, got {}",
                    self.client_write_every_ms
                ),
            ));
        }
        if self.client_retry_timeout_ms > TIMING_MS_MAX {
            return Err(SimError::new(
                "clientRetryTimeoutMs",
                format!(
                    "must be at most {TIMING_MS_MAX}, got {}",
                    self.client_retry_timeout_ms
                ),
            ));
        }
        if self.max_entries_per_append == 0
            || self.max_entries_per_append > MAX_ENTRIES_PER_APPEND_MAX
        {
            return Err(SimError::new(
                "maxEntriesPerAppend",
                format!(
                    "must be between 1 and {MAX_ENTRIES_PER_APPEND_MAX}, got {}",
                    self.max_entries_per_append
                ),
            ));
        }
        if self.max_inflight_appends == 0 || self.max_inflight_appends > MAX_INFLIGHT_APPENDS_MAX {
            return Err(SimError::new(
                "maxInflightAppends",
                format!(
                    "must be between 1 and {MAX_INFLIGHT_APPENDS_MAX}, got {}",
                    self.max_inflight_appends
                ),
            ));
        }
        if self.read_mode == ReadMode::Lease && !self.check_quorum {
            return Err(SimError::new(
                "readMode",
                "lease reads need checkQuorum (a deposed leader would keep serving); set checkQuorum to true",
            ));
        }
        if self.read_mode == ReadMode::Lease && !self.leader_stickiness {
            return Err(SimError::new(
                "readMode",
                "lease reads need leaderStickiness (followers would elect a new leader inside the old one's lease); set leaderStickiness to true",
            ));
        }
        for (i, b) in self.bugs.iter().enumerate() {
            check_bug_name(&format!("bugs[{i}]"), b)?;
        }
        Ok(())
    }

    /// How long a client waits for an answer before trying another server, in microseconds.
    pub fn client_retry_timeout_us(&self) -> u64 {
        let ms = match self.client_retry_timeout_ms {
            0 => {
                self.election_timeout_ms_max * 2
                    + 4 * self.latency_ms_max.ceil() as u64
                    + 4 * self.disk_latency_ms.ceil() as u64
            }
            ms => ms,
        };
        ms * 1000
    }

    pub fn has_bug(&self, name: &str) -> bool {
        self.bugs.iter().any(|b| b == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_object_is_the_default_config() {
        let cfg = SimConfig::from_json("{}").unwrap();
        assert_eq!(cfg, SimConfig::default());
        assert_eq!(cfg.nodes, 5);
    }

    #[test]
    fn ten_thousand_nodes_is_rejected_by_name() {
        let e = SimConfig::from_json(r#"{"nodes": 10000}"#).unwrap_err();
        assert_eq!(e.field, "nodes");
        assert!(e.message.contains("10000"), "{e}");
    }

    #[test]
    fn negative_latency_names_the_field() {
        let e = SimConfig::from_json(r#"{"latencyMsMin": -3}"#).unwrap_err();
        assert_eq!(e.field, "latencyMsMin", "{e}");
        let e = SimConfig::from_json(r#"{"heartbeatMs": -3}"#).unwrap_err();
        assert_eq!(e.field, "heartbeatMs", "{e}");
    }

    #[test]
    fn nan_latency_is_rejected() {
        let cfg = SimConfig {
            latency_ms_max: f64::NAN,
            ..SimConfig::default()
        };
        assert_eq!(cfg.validate().unwrap_err().field, "latencyMsMax");
    }

    #[test]
    fn min_above_max_is_rejected() {
        let e = SimConfig::from_json(r#"{"latencyMsMin": 20, "latencyMsMax": 10}"#).unwrap_err();
        assert_eq!(e.field, "latencyMsMin");
        let e = SimConfig::from_json(r#"{"electionTimeoutMsMin": 400}"#).unwrap_err();
        assert_eq!(e.field, "electionTimeoutMsMin");
    }

    #[test]
    fn unknown_bug_and_unknown_field_are_named() {
        let e = SimConfig::from_json(r#"{"bugs": ["vote-ignores-log", "nope"]}"#).unwrap_err();
        assert_eq!(e.field, "bugs[1]");
        let e = SimConfig::from_json(r#"{"nodez": 3}"#).unwrap_err();
        assert!(e.message.contains("nodez"), "{e}");
    }

    #[test]
    fn lease_reads_without_check_quorum_are_rejected() {
        let e = SimConfig::from_json(r#"{"readMode": "lease", "checkQuorum": false}"#).unwrap_err();
        assert_eq!(e.field, "readMode", "{e}");
        assert!(SimConfig::from_json(r#"{"readMode": "lease"}"#).is_ok());
    }

    #[test]
    fn zero_nodes_is_rejected() {
        let e = SimConfig::from_json(r#"{"nodes": 0}"#).unwrap_err();
        assert_eq!(e.field, "nodes");
    }
}
