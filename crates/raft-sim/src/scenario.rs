//! The scenario format: config + seed + timed user actions (docs/SCENARIO.md), its validation,
//! and share links (`"v2." + base64url(compact JSON) + "." + checksum`; v1 links, without the
//! checksum, still open).

use crate::write::write_struct;
use serde::Serialize;

pub use crate::action::{Action, KEY_BYTES_MAX, TOGGLE_NAMES, VALUE_BYTES_MAX};
use crate::base64url;
use crate::config::{check_ms, SimConfig};
use crate::error::{short_number, SimError};
use crate::read::{read_struct, Read};
use crate::sim::TIME_MS_MAX;

/// Current scenario format version.
pub const SCENARIO_VERSION: u64 = 1;
/// A share link longer than this is refused before decoding (a link is not a file transfer).
pub const LINK_CHARS_MAX: usize = 1 << 20;
/// Limit on recorded actions (a scenario is built by hand or by a fuzzer, never unbounded).
pub const ACTIONS_MAX: usize = 100_000;

/// An action and when it happens.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimedAction {
    pub at_ms: f64,
    pub action: Action,
}
read_struct!(TimedAction {
    at_ms: "atMs",
    action: "action"
});
write_struct!(TimedAction {
    at_ms: "atMs",
    action: "action"
});

/// After the fault phase: a leader must appear and every client operation invoked before
/// `fromMs` must complete by `fromMs + boundMs`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LivenessCheck {
    pub from_ms: f64,
    pub bound_ms: f64,
}
read_struct!(LivenessCheck {
    from_ms: "fromMs",
    bound_ms: "boundMs"
});
write_struct!(LivenessCheck {
    from_ms: "fromMs",
    bound_ms: "boundMs"
});

/// A reproducible run: config (with its seed) and timed actions.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    pub version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub config: SimConfig,
    pub actions: Vec<TimedAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveness: Option<LivenessCheck>,
}
// Every field is optional: `{}` is the default config with no actions, at this version.
read_struct!(Scenario = Scenario::new(SimConfig::default()), {
    version: "version",
    title: "title",
    config: "config",
    actions: "actions",
    end_ms: "endMs",
    liveness: "liveness",
});
write_struct!(Scenario { version: "version", title: "title" omit, config: "config", actions: "actions", end_ms: "endMs" omit, liveness: "liveness" omit });

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
        let value = crate::json::parse(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Read and validate a parsed scenario. Errors name the field, e.g. `actions[2].atMs`.
    pub fn from_value(value: &crate::json::Value) -> Result<Scenario, SimError> {
        if !value.is_object() {
            return Err(SimError::new("", "a scenario must be a JSON object"));
        }
        let scenario = Scenario::read(value)?;
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
            check_ms("atMs", ta.at_ms, TIME_MS_MAX).map_err(|e| e.within(&path))?;
            if ta.at_ms < prev {
                return Err(SimError::new(
                    format!("{path}.atMs"),
                    format!(
                        "{} is in the past: the previous action is at {} (actions must be in time order)",
                        short_number(ta.at_ms),
                        short_number(prev)
                    ),
                ));
            }
            prev = ta.at_ms;
            ta.action
                .validate()
                .map_err(|e| e.within(&format!("{path}.action")))?;
        }
        if let Some(end) = self.end_ms {
            check_ms("endMs", end, TIME_MS_MAX)?;
            if end < prev {
                return Err(SimError::new(
                    "endMs",
                    format!(
                        "{} is before the last action at {}",
                        short_number(end),
                        short_number(prev)
                    ),
                ));
            }
        }
        if let Some(l) = self.liveness {
            check_ms("liveness.fromMs", l.from_ms, TIME_MS_MAX)?;
            check_ms("liveness.boundMs", l.bound_ms, TIME_MS_MAX)?;
        }
        Ok(())
    }

    /// Compact JSON.
    pub fn to_json(&self) -> String {
        crate::write::to_string(self)
    }

    /// `"v2." + base64url(compact JSON) + "." + base64url(checksum)`, no padding. The checksum
    /// (FNV-1a 64 of the JSON) makes a changed or cut link an error instead of another run:
    /// in v1, 7 of 300 random one-character changes opened as a different valid run.
    pub fn to_link(&self) -> String {
        let json = self.to_json();
        let sum = crate::rng::fnv1a64(json.as_bytes()).to_be_bytes();
        format!(
            "v2.{}.{}",
            base64url::encode(json.as_bytes()),
            base64url::encode(&sum)
        )
    }

    /// Decode a share link (v2, or v1 without a checksum); errors say which part is wrong.
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
        let Some((version, rest)) = link.split_once('.') else {
            return Err(SimError::new(
                "link",
                "has no version prefix; expected \"v2.<base64url>.<checksum>\"",
            ));
        };
        let (body, checksum) = match version {
            "v1" => (rest, None),
            "v2" => match rest.split_once('.') {
                Some((body, sum)) => (body, Some(sum)),
                None => return Err(SimError::new(
                    "link",
                    "has no checksum after the data (\"v2.<data>.<checksum>\"); was it cut short?",
                )),
            },
            _ => {
                return Err(SimError::new(
                    "link",
                    format!(
                        "unsupported version \"{}\"; expected \"v2\" (or \"v1\")",
                        version.chars().take(16).collect::<String>()
                    ),
                ))
            }
        };
        let bytes = base64url::decode(body.trim_end_matches('=')).map_err(|e| {
            SimError::new(
                "link",
                format!("is not valid base64url ({e}); was it cut short?"),
            )
        })?;
        if let Some(sum) = checksum {
            let expected = crate::rng::fnv1a64(&bytes).to_be_bytes();
            if base64url::decode(sum).ok().as_deref() != Some(&expected[..]) {
                return Err(SimError::new(
                    "link",
                    "checksum does not match its data: the link was changed or cut short",
                ));
            }
        }
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
    use crate::action::{ClientPut, Crash};
    use crate::NodeId;

    #[test]
    fn a_link_round_trips() {
        let mut s = Scenario::new(SimConfig {
            seed: 42,
            ..SimConfig::default()
        });
        s.actions.push(TimedAction {
            at_ms: 10.0,
            action: Crash { node: NodeId(2) }.into(),
        });
        s.actions.push(TimedAction {
            at_ms: 20.0,
            action: ClientPut {
                key: "x".into(),
                value: "<img src=x>".into(),
                client: None,
            }
            .into(),
        });
        let link = s.to_link();
        assert!(link.starts_with("v2."));
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
        assert!(Scenario::from_link("v3.abc")
            .unwrap_err()
            .message
            .contains("version"));
        assert!(Scenario::from_link("v2.abc")
            .unwrap_err()
            .message
            .contains("checksum"));
        assert!(Scenario::from_link("v1.@@@")
            .unwrap_err()
            .message
            .contains("base64"));
        let cut = &Scenario::new(SimConfig::default()).to_link()[..20];
        let e = Scenario::from_link(cut).unwrap_err();
        assert_eq!(e.field, "link", "{e}");
    }

    #[test]
    fn a_v1_link_without_checksum_still_opens() {
        let s = Scenario::new(SimConfig {
            nodes: 3,
            seed: 9,
            ..SimConfig::default()
        });
        let v1 = format!("v1.{}", base64url::encode(s.to_json().as_bytes()));
        assert_eq!(Scenario::from_link(&v1).unwrap(), s);
    }

    /// In v1, 7 of 300 random one-character corruptions opened as a different valid run. In v2
    /// every one is refused by the checksum or decodes to the very same run.
    #[test]
    fn no_corrupted_link_opens_as_a_different_run() {
        let mut s = Scenario::new(SimConfig {
            nodes: 5,
            seed: 42,
            client_write_every_ms: 20,
            ..SimConfig::default()
        });
        s.actions.push(TimedAction {
            at_ms: 120.5,
            action: Crash { node: NodeId(2) }.into(),
        });
        s.end_ms = Some(3000.0);
        let link = s.to_link();
        let alphabet: Vec<char> =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
                .chars()
                .collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let (mut refused, mut same) = (0, 0);
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut chars: Vec<char> = link.chars().collect();
            let at = 3 + (x % (chars.len() as u64 - 3)) as usize;
            let c = alphabet[((x >> 32) % alphabet.len() as u64) as usize];
            if chars[at] == c {
                continue;
            }
            chars[at] = c;
            let bad: String = chars.into_iter().collect();
            match Scenario::from_link(&bad) {
                Err(e) => {
                    assert_eq!(e.field, "link", "{e}");
                    refused += 1;
                }
                Ok(got) => {
                    assert_eq!(got, s, "a corrupted link opened a different run: {bad}");
                    same += 1;
                }
            }
        }
        assert!(refused > 250, "refused {refused}, same {same}");
        let e = Scenario::from_link(&link.replacen('A', "B", 1)).unwrap_err();
        assert!(e.message.contains("checksum"), "{e}");
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
        assert_eq!(e.field, "actions[0].action.type", "{e}");
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
