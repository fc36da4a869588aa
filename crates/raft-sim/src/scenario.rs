//! The scenario format: config + seed + timed user actions (docs/SCENARIO.md), its validation,
//! and share links (`"v1." + base64url(compact JSON)`).

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::config::{
    check_bug_name, check_ms, check_pct, ReadMode, SimConfig, CLOCK_SKEW_PPM_MAX, LATENCY_MS_MAX,
    NODES_MAX,
};
use crate::error::{clean_serde_message, from_value_named, SimError};
use crate::NodeId;

/// Current scenario format version.
pub const SCENARIO_VERSION: u64 = 1;
/// A share link longer than this is refused before decoding (a link is not a file transfer).
pub const LINK_CHARS_MAX: usize = 1 << 20;
/// Limits on the text a client operation carries.
pub const KEY_BYTES_MAX: usize = 64;
pub const VALUE_BYTES_MAX: usize = 1024;
/// Limit on recorded actions (a scenario is built by hand or by a fuzzer, never unbounded).
pub const ACTIONS_MAX: usize = 100_000;
/// Toggles that `setToggle` accepts.
pub const TOGGLE_NAMES: [&str; 3] = ["preVote", "checkQuorum", "fastBacktrack"];

/// A user (or fuzzer) action. JSON: `{"type": "crash", "node": 3}`. Decoded by hand in
/// `tagged.rs` (the derived decoder for a tagged enum is large in wasm); keep the two in step.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Action {
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    Pause {
        node: NodeId,
    },
    Resume {
        node: NodeId,
    },
    /// Force an election timeout now ("timeout now" button).
    Timeout {
        node: NodeId,
    },
    /// Cut every link between different groups; nodes in no group are cut from everyone.
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    /// Change one direction of one link.
    SetLink {
        from: NodeId,
        to: NodeId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        up: Option<bool>,
        /// Sets both ends of the latency range.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms_min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms_max: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        loss_pct: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dup_pct: Option<f64>,
    },
    /// Change the network's latency, loss or duplication: every link now (both directions), the
    /// links of servers added later, and every link after a heal. What the page's sliders do, as
    /// one action instead of one per link, so a share link stays short.
    SetAllLinks {
        /// Sets both ends of the latency range.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms_min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        latency_ms_max: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        loss_pct: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dup_pct: Option<f64>,
    },
    /// Every link up, with the network's latency, loss and duplication: the config's, or those of
    /// the last `SetAllLinks`.
    Heal,
    ClockSkew {
        node: NodeId,
        rate_ppm: i64,
    },
    ClientPut {
        key: String,
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<u64>,
    },
    ClientGet {
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<u64>,
    },
    ClientAppend {
        key: String,
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<u64>,
    },
    /// Compare-and-set; `expected: null` means "the key is absent".
    ClientCas {
        key: String,
        #[serde(default)]
        expected: Option<String>,
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<u64>,
    },
    TransferLeader {
        to: NodeId,
    },
    AddServer {
        node: NodeId,
    },
    AddLearner {
        node: NodeId,
    },
    RemoveServer {
        node: NodeId,
    },
    /// Joint consensus (§6): enter C_old,new whose incoming half is `voters` (and `learners`),
    /// then leave it for C_new automatically once it commits. Voters not running yet start empty.
    ChangeMembership {
        voters: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        learners: Vec<NodeId>,
    },
    Compact {
        node: NodeId,
    },
    SetBug {
        name: String,
        on: bool,
    },
    SetToggle {
        name: String,
        on: bool,
    },
    SetReadMode {
        mode: ReadMode,
    },
}

/// The latency, loss and duplication fields of `setLink` and `setAllLinks`.
fn check_link_settings(
    latency_ms: Option<f64>,
    latency_ms_min: Option<f64>,
    latency_ms_max: Option<f64>,
    loss_pct: Option<f64>,
    dup_pct: Option<f64>,
) -> Result<(), SimError> {
    if let Some(v) = latency_ms {
        check_ms("latencyMs", v, LATENCY_MS_MAX)?;
    }
    if let Some(v) = latency_ms_min {
        check_ms("latencyMsMin", v, LATENCY_MS_MAX)?;
    }
    if let Some(v) = latency_ms_max {
        check_ms("latencyMsMax", v, LATENCY_MS_MAX)?;
    }
    if let (Some(a), Some(b)) = (latency_ms_min, latency_ms_max) {
        if a > b {
            return Err(SimError::new(
                "latencyMsMin",
                format!("must not exceed latencyMsMax ({b}), got {a}"),
            ));
        }
    }
    if let Some(v) = loss_pct {
        check_pct("lossPct", v)?;
    }
    if let Some(v) = dup_pct {
        check_pct("dupPct", v)?;
    }
    Ok(())
}

impl Action {
    /// The `type` tag, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Action::Crash { .. } => "crash",
            Action::Restart { .. } => "restart",
            Action::Pause { .. } => "pause",
            Action::Resume { .. } => "resume",
            Action::Timeout { .. } => "timeout",
            Action::Partition { .. } => "partition",
            Action::SetLink { .. } => "setLink",
            Action::SetAllLinks { .. } => "setAllLinks",
            Action::Heal => "heal",
            Action::ClockSkew { .. } => "clockSkew",
            Action::ClientPut { .. } => "clientPut",
            Action::ClientGet { .. } => "clientGet",
            Action::ClientAppend { .. } => "clientAppend",
            Action::ClientCas { .. } => "clientCas",
            Action::TransferLeader { .. } => "transferLeader",
            Action::AddServer { .. } => "addServer",
            Action::AddLearner { .. } => "addLearner",
            Action::RemoveServer { .. } => "removeServer",
            Action::ChangeMembership { .. } => "changeMembership",
            Action::Compact { .. } => "compact",
            Action::SetBug { .. } => "setBug",
            Action::SetToggle { .. } => "setToggle",
            Action::SetReadMode { .. } => "setReadMode",
        }
    }

    /// Checks that need no cluster state: id ranges, numbers, names, text sizes.
    pub fn validate_static(&self) -> Result<(), SimError> {
        let node_ok = |field: &str, n: NodeId| -> Result<(), SimError> {
            if n.0 == 0 || n.0 > NODES_MAX {
                Err(SimError::new(
                    field,
                    format!("node id must be between 1 and {NODES_MAX}, got {}", n.0),
                ))
            } else {
                Ok(())
            }
        };
        let key_ok = |k: &str| -> Result<(), SimError> {
            if k.is_empty() || k.len() > KEY_BYTES_MAX {
                Err(SimError::new(
                    "key",
                    format!("must be 1 to {KEY_BYTES_MAX} bytes, got {}", k.len()),
                ))
            } else {
                Ok(())
            }
        };
        let value_ok = |field: &str, v: &str| -> Result<(), SimError> {
            if v.len() > VALUE_BYTES_MAX {
                Err(SimError::new(
                    field,
                    format!("must be at most {VALUE_BYTES_MAX} bytes, got {}", v.len()),
                ))
            } else {
                Ok(())
            }
        };
        match self {
            Action::Crash { node }
            | Action::Restart { node }
            | Action::Pause { node }
            | Action::Resume { node }
            | Action::Timeout { node }
            | Action::AddServer { node }
            | Action::AddLearner { node }
            | Action::RemoveServer { node }
            | Action::Compact { node } => node_ok("node", *node),
            Action::TransferLeader { to } => node_ok("to", *to),
            Action::ChangeMembership { voters, learners } => {
                if voters.is_empty() {
                    return Err(SimError::new("voters", "must name at least one voter"));
                }
                let mut seen = crate::SortedSet::new();
                let all = voters
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (format!("voters[{i}]"), *n))
                    .chain(
                        learners
                            .iter()
                            .enumerate()
                            .map(|(i, n)| (format!("learners[{i}]"), *n)),
                    );
                for (field, n) in all {
                    node_ok(&field, n)?;
                    if seen.insert(n, ()).is_some() {
                        return Err(SimError::new(
                            field,
                            format!("node {} is listed twice", n.0),
                        ));
                    }
                }
                Ok(())
            }
            Action::Partition { groups } => {
                let mut seen = crate::SortedSet::new();
                for (g, group) in groups.iter().enumerate() {
                    for (i, n) in group.iter().enumerate() {
                        node_ok(&format!("groups[{g}][{i}]"), *n)?;
                        if seen.insert(*n, ()).is_some() {
                            return Err(SimError::new(
                                format!("groups[{g}][{i}]"),
                                format!("node {} appears in more than one group", n.0),
                            ));
                        }
                    }
                }
                Ok(())
            }
            Action::SetLink {
                from,
                to,
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
                ..
            } => {
                node_ok("from", *from)?;
                node_ok("to", *to)?;
                if from == to {
                    return Err(SimError::new("to", "a link joins two different nodes"));
                }
                check_link_settings(
                    *latency_ms,
                    *latency_ms_min,
                    *latency_ms_max,
                    *loss_pct,
                    *dup_pct,
                )
            }
            Action::SetAllLinks {
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            } => check_link_settings(
                *latency_ms,
                *latency_ms_min,
                *latency_ms_max,
                *loss_pct,
                *dup_pct,
            ),
            Action::Heal => Ok(()),
            Action::ClockSkew { node, rate_ppm } => {
                node_ok("node", *node)?;
                if rate_ppm.abs() > CLOCK_SKEW_PPM_MAX {
                    return Err(SimError::new(
                        "ratePpm",
                        format!("must be between -{CLOCK_SKEW_PPM_MAX} and {CLOCK_SKEW_PPM_MAX}, got {rate_ppm}"),
                    ));
                }
                Ok(())
            }
            Action::ClientPut { key, value, .. } | Action::ClientAppend { key, value, .. } => {
                key_ok(key)?;
                value_ok("value", value)
            }
            Action::ClientGet { key, .. } => key_ok(key),
            Action::ClientCas {
                key,
                expected,
                value,
                ..
            } => {
                key_ok(key)?;
                if let Some(e) = expected {
                    value_ok("expected", e)?;
                }
                value_ok("value", value)
            }
            Action::SetBug { name, .. } => check_bug_name("name", name),
            Action::SetToggle { name, .. } => {
                if TOGGLE_NAMES.contains(&name.as_str()) {
                    Ok(())
                } else {
                    Err(SimError::new(
                        "name",
                        format!(
                            "unknown toggle \"{name}\"; known toggles: {}",
                            TOGGLE_NAMES.join(", ")
                        ),
                    ))
                }
            }
            Action::SetReadMode { .. } => Ok(()),
        }
    }

    /// Parse one action from JSON text, naming the bad field.
    pub fn from_json(text: &str) -> Result<Action, SimError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        Self::from_value(&value)
    }

    pub fn from_value(value: &serde_json::Value) -> Result<Action, SimError> {
        // Tagged enums cannot be probed key by key, so report serde's own message, which names
        // the variant or field (`unknown variant`, `missing field`, `invalid type`).
        let action: Action = serde_json::from_value(value.clone())
            .map_err(|e| SimError::new("", clean_serde_message(&e.to_string())))?;
        action.validate_static()?;
        Ok(action)
    }
}

/// An action and when it happens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimedAction {
    pub at_ms: f64,
    pub action: Action,
}

/// After the fault phase: a leader must appear and every client operation invoked before
/// `fromMs` must complete by `fromMs + boundMs`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LivenessCheck {
    pub from_ms: f64,
    pub bound_ms: f64,
}

fn d_version() -> u64 {
    SCENARIO_VERSION
}

/// A reproducible run: config (with its seed) and timed actions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "d_version")]
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub config: SimConfig,
    #[serde(default)]
    pub actions: Vec<TimedAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<LivenessCheck>,
}

impl Scenario {
    pub fn new(config: SimConfig) -> Scenario {
        Scenario {
            version: SCENARIO_VERSION,
            title: None,
            config,
            actions: Vec::new(),
            end_ms: None,
            liveness: None,
        }
    }

    /// Parse and validate JSON text. Errors name the field, e.g. `actions[2].atMs`.
    pub fn from_json(text: &str) -> Result<Scenario, SimError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        Self::from_value(&value)
    }

    pub fn from_value(value: &serde_json::Value) -> Result<Scenario, SimError> {
        let obj = value
            .as_object()
            .ok_or_else(|| SimError::new("", "a scenario must be a JSON object"))?;
        // Parse the config and each action on its own, so an error can say where it is.
        if let Some(cfg) = obj.get("config") {
            from_value_named::<SimConfig>(cfg).map_err(|e| e.within("config"))?;
        }
        if let Some(actions) = obj.get("actions") {
            let list = actions
                .as_array()
                .ok_or_else(|| SimError::new("actions", "must be an array"))?;
            for (i, a) in list.iter().enumerate() {
                let path = format!("actions[{i}]");
                let ao = a.as_object().ok_or_else(|| {
                    SimError::new(path.clone(), "must be an object {atMs, action}")
                })?;
                if let Some(act) = ao.get("action") {
                    Action::from_value(act).map_err(|e| e.within(&format!("{path}.action")))?;
                }
                from_value_named::<TimedAction>(a).map_err(|e| e.within(&path))?;
            }
        }
        let scenario: Scenario = from_value_named(value)?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn validate(&self) -> Result<(), SimError> {
        if self.version != SCENARIO_VERSION {
            return Err(SimError::new(
                "version",
                format!(
                    "unsupported scenario version {}; this build reads version {SCENARIO_VERSION}",
                    self.version
                ),
            ));
        }
        self.config.validate().map_err(|e| e.within("config"))?;
        if self.actions.len() > ACTIONS_MAX {
            return Err(SimError::new(
                "actions",
                format!("at most {ACTIONS_MAX} actions, got {}", self.actions.len()),
            ));
        }
        let mut prev = 0.0f64;
        for (i, ta) in self.actions.iter().enumerate() {
            let path = format!("actions[{i}]");
            check_ms("atMs", ta.at_ms, f64::MAX).map_err(|e| e.within(&path))?;
            if ta.at_ms < prev {
                return Err(SimError::new(
                    format!("{path}.atMs"),
                    format!("{} is in the past: the previous action is at {prev} (actions must be in time order)", ta.at_ms),
                ));
            }
            prev = ta.at_ms;
            ta.action
                .validate_static()
                .map_err(|e| e.within(&format!("{path}.action")))?;
        }
        if let Some(end) = self.end_ms {
            check_ms("endMs", end, f64::MAX)?;
            if end < prev {
                return Err(SimError::new(
                    "endMs",
                    format!("{end} is before the last action at {prev}"),
                ));
            }
        }
        if let Some(l) = self.liveness {
            check_ms("liveness.fromMs", l.from_ms, f64::MAX)?;
            check_ms("liveness.boundMs", l.bound_ms, f64::MAX)?;
        }
        Ok(())
    }

    /// Compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scenario always serializes")
    }

    /// `"v1." + base64url(compact JSON)`, no padding.
    pub fn to_link(&self) -> String {
        format!(
            "v1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.to_json())
        )
    }

    /// Decode a share link; errors say which part is wrong.
    pub fn from_link(link: &str) -> Result<Scenario, SimError> {
        let link = link.trim();
        // Accept a whole URL or a fragment: take what follows the last '#', and a `s=` parameter.
        let link = link.rsplit('#').next().unwrap_or(link);
        let link = link.strip_prefix("s=").unwrap_or(link);
        if link.is_empty() {
            return Err(SimError::new("link", "is empty"));
        }
        if link.len() > LINK_CHARS_MAX {
            return Err(SimError::new(
                "link",
                format!("is {} characters; at most {LINK_CHARS_MAX}", link.len()),
            ));
        }
        let Some((version, body)) = link.split_once('.') else {
            return Err(SimError::new(
                "link",
                "has no version prefix; expected \"v1.<base64url>\"",
            ));
        };
        if version != "v1" {
            return Err(SimError::new(
                "link",
                format!("unsupported version \"{version}\"; expected \"v1\""),
            ));
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body.trim_end_matches('='))
            .map_err(|e| {
                SimError::new(
                    "link",
                    format!("is not valid base64url ({e}); was it cut short?"),
                )
            })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| SimError::new("link", "does not decode to UTF-8 text"))?;
        Scenario::from_json(&text).map_err(|e| {
            if e.field.is_empty() {
                SimError::new("link", e.message)
            } else {
                e.within("link")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips() {
        let mut s = Scenario::new(SimConfig {
            seed: 42,
            ..SimConfig::default()
        });
        s.actions.push(TimedAction {
            at_ms: 10.0,
            action: Action::Crash { node: NodeId(2) },
        });
        s.actions.push(TimedAction {
            at_ms: 20.0,
            action: Action::ClientPut {
                key: "x".into(),
                value: "<img src=x>".into(),
                client: None,
            },
        });
        let link = s.to_link();
        assert!(link.starts_with("v1."));
        assert_eq!(Scenario::from_link(&link).unwrap(), s);
        assert_eq!(
            Scenario::from_link(&format!("https://x/#{link}")).unwrap(),
            s
        );
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        assert!(Scenario::from_link("")
            .unwrap_err()
            .message
            .contains("empty"));
        assert!(Scenario::from_link("v2.abc")
            .unwrap_err()
            .message
            .contains("version"));
        assert!(Scenario::from_link("v1.@@@")
            .unwrap_err()
            .message
            .contains("base64"));
        let cut = &Scenario::new(SimConfig::default()).to_link()[..20];
        let e = Scenario::from_link(cut).unwrap_err();
        assert_eq!(e.field, "link", "{e}");
    }

    #[test]
    fn actions_in_the_past_are_rejected() {
        let text = r#"{"actions":[{"atMs":100,"action":{"type":"heal"}},{"atMs":50,"action":{"type":"heal"}}]}"#;
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.field, "actions[1].atMs", "{e}");
        let text = r#"{"actions":[{"atMs":-1,"action":{"type":"heal"}}]}"#;
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.field, "actions[0].atMs", "{e}");
    }

    #[test]
    fn bad_actions_are_named() {
        let e =
            Scenario::from_json(r#"{"actions":[{"atMs":1,"action":{"type":"crash","node":12}}]}"#)
                .unwrap_err();
        assert_eq!(e.field, "actions[0].action.node", "{e}");
        let e = Scenario::from_json(r#"{"actions":[{"atMs":1,"action":{"type":"explode"}}]}"#)
            .unwrap_err();
        assert_eq!(e.field, "actions[0].action", "{e}");
        assert!(e.message.contains("explode"), "{e}");
        let e = Scenario::from_json(
            r#"{"actions":[{"atMs":1,"action":{"type":"setBug","name":"x","on":true}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "actions[0].action.name", "{e}");
        let e = Scenario::from_json(r#"{"config":{"nodes":10000}}"#).unwrap_err();
        assert_eq!(e.field, "config.nodes", "{e}");
        let e = Scenario::from_json(r#"{"config":{"latencyMsMax":"fast"}}"#).unwrap_err();
        assert_eq!(e.field, "config.latencyMsMax", "{e}");
    }

    #[test]
    fn malformed_json_is_reported() {
        let e = Scenario::from_json("{not json").unwrap_err();
        assert!(e.message.contains("malformed JSON"), "{e}");
    }
}
