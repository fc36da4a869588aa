//! Lessons (docs/LESSONS.md): a scenario plus ordered steps. Each step pauses the run at one
//! moment, says what just happened in English and Chinese, names what to highlight, and lists
//! expectations that `lesson_check` verifies against the simulation at that moment, so the
//! narration cannot drift from what the run shows.
//!
//! This module is the format: parsing, with errors that name the field, and the pattern
//! matching that triggers and expectations share. It does no I/O; `lesson_check` replays.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{from_value_named, Json, SimError};
use crate::scenario::Scenario;

/// At most this many steps per lesson (a lesson teaches one idea).
pub const LESSON_STEPS_MAX: usize = 64;
/// At most this many expectations per step.
pub const STEP_EXPECTATIONS_MAX: usize = 32;

/// Text the page shows, in both of its languages.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub zh: String,
}

impl Text {
    /// The languages that are missing or blank.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.en.trim().is_empty() {
            out.push("en");
        }
        if self.zh.trim().is_empty() {
            out.push("zh");
        }
        out
    }
}

/// One topic of the fixed vocabulary (`web/lessons/index.json`, the one place it is defined).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub en: String,
    pub zh: String,
}

/// `web/lessons/index.json`: the topic vocabulary and the lessons in the order the page lists
/// them (each is `web/lessons/<id>.json`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonIndex {
    pub topics: Vec<Topic>,
    pub lessons: Vec<String>,
}

impl LessonIndex {
    pub fn from_json(text: &str) -> Result<LessonIndex, SimError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        let index: LessonIndex = from_value_named(&value)?;
        for (i, t) in index.topics.iter().enumerate() {
            check_id(&t.id).map_err(|e| e.within(&format!("topics[{i}].id")))?;
            if index.topics[..i].iter().any(|o| o.id == t.id) {
                return Err(SimError::new(
                    format!("topics[{i}].id"),
                    format!("topic \"{}\" is listed twice", t.id),
                ));
            }
        }
        for (i, id) in index.lessons.iter().enumerate() {
            check_id(id).map_err(|e| e.within(&format!("lessons[{i}]")))?;
            if index.lessons[..i].contains(id) {
                return Err(SimError::new(
                    format!("lessons[{i}]"),
                    format!("lesson \"{id}\" is listed twice"),
                ));
            }
        }
        Ok(index)
    }

    pub fn has_topic(&self, id: &str) -> bool {
        self.topics.iter().any(|t| t.id == id)
    }
}

/// Lesson and topic ids are kebab-case: they appear in URLs (`?lesson=ID`) and file names.
fn check_id(id: &str) -> Result<(), SimError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(SimError::new(
            "",
            format!("\"{id}\" is not a kebab-case id (a-z, 0-9 and -, at most 64 characters)"),
        ))
    }
}

/// How the page draws a lesson.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum View {
    /// The playground as it is.
    #[default]
    Default,
    /// As in the paper: heartbeats drawn as empty AppendEntries (the config must turn PreVote
    /// off, which the checker enforces).
    Paper,
}

/// One log cell (or a run of cells `index..=to`) on one node.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogCell {
    pub node: u64,
    pub index: u64,
    #[serde(default)]
    pub to: Option<u64>,
}

/// What stands out at a step; everything else dims.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Highlight {
    #[serde(default)]
    pub nodes: Vec<u64>,
    /// A pattern over messages in flight (e.g. `{"type": "requestVote"}`), or the string
    /// `"trigger"`: the one message whose event triggered the step.
    #[serde(default)]
    pub messages: Option<Value>,
    #[serde(default)]
    pub log: Vec<LogCell>,
    /// Links as `[from, to]` pairs (drawn in both directions).
    #[serde(default)]
    pub links: Vec<[u64; 2]>,
    #[serde(default)]
    pub clients: Vec<u64>,
    /// Groups of servers drawn around them: a majority of a configuration (or, said so, not
    /// one), the picture behind §4.3 (joint consensus) and §4.1 (one server at a time).
    #[serde(default)]
    pub majorities: Vec<MajorityGroup>,
}

/// Which configuration a drawn group belongs to; the page labels them C_old and C_new.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ConfigName {
    Old,
    New,
}

/// Groups one step may draw: one per configuration, old and new.
pub const HIGHLIGHT_MAJORITIES_MAX: usize = 2;

/// `nodes`, drawn as a group, out of the voters `of`; `majority` says whether they are more
/// than half of them (true unless said otherwise; the check verifies the arithmetic, and that
/// `of` is a configuration some server has held by the step's moment).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MajorityGroup {
    pub name: ConfigName,
    pub nodes: Vec<u64>,
    pub of: Vec<u64>,
    #[serde(default = "majority_by_default")]
    pub majority: bool,
}

fn majority_by_default() -> bool {
    true
}

impl MajorityGroup {
    /// What can be checked without running the lesson: the group is drawn from its
    /// configuration, and it is (or is not) a majority of it as claimed.
    fn check(&self) -> Result<(), SimError> {
        // A handful of ids: a scan, not a set (a `BTreeSet` costs about 6 KB of wasm).
        let distinct = |v: &[u64]| v.iter().enumerate().all(|(i, n)| !v[..i].contains(n));
        if self.nodes.is_empty() || !distinct(&self.nodes) || !distinct(&self.of) {
            return Err(SimError::new(
                "nodes",
                "a group lists one or more servers, each once, out of \"of\", its configuration's voters, each once",
            ));
        }
        if let Some(n) = self.nodes.iter().find(|n| !self.of.contains(n)) {
            return Err(SimError::new(
                "nodes",
                format!(
                    "S{n} is not one of the configuration's voters {:?}",
                    self.of
                ),
            ));
        }
        let is_majority = 2 * self.nodes.len() > self.of.len();
        if is_majority != self.majority {
            return Err(SimError::new(
                "majority",
                format!(
                    "{} of {} voters {} a majority; {}",
                    self.nodes.len(),
                    self.of.len(),
                    if is_majority { "is" } else { "is not" },
                    if is_majority {
                        "drop \"majority\": false"
                    } else {
                        "say \"majority\": false, or add servers"
                    }
                ),
            ));
        }
        Ok(())
    }
}

/// When a step's moment comes.
#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// At this simulated time.
    At { at_ms: f64 },
    /// At the `nth` (1-based) trace event after the previous step (and after `after_ms`, if
    /// given) that matches `pattern`.
    On {
        pattern: Value,
        nth: u32,
        after_ms: Option<f64>,
    },
}

/// A step as written in the file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawStep {
    #[serde(default)]
    at_ms: Option<f64>,
    #[serde(default)]
    on: Option<Value>,
    #[serde(default)]
    nth: Option<u32>,
    #[serde(default)]
    after_ms: Option<f64>,
    #[serde(default)]
    caption: Text,
    #[serde(default)]
    highlight: Highlight,
    #[serde(default)]
    expect: Vec<Value>,
}

/// One pause in a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub trigger: Trigger,
    pub caption: Text,
    pub highlight: Highlight,
    pub expect: Vec<Expect>,
}

/// Something that must hold at a step's moment. See docs/LESSONS.md for each kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// Fields of one node as `sim.state()` shows it, plus `logTerms` and `termAt`.
    Node {
        node: u64,
        fields: Map<String, Value>,
    },
    /// Exactly these running nodes are leaders (any term).
    Leaders(Vec<u64>),
    /// A trace event since the previous step matches (exactly `times` of them, if given).
    Happened { pattern: Value, times: Option<u64> },
    /// No trace event since the previous step matches.
    NotHappened(Value),
    /// A message in flight now matches (exactly `times` of them, if given).
    InFlight { pattern: Value, times: Option<u64> },
    /// Fields of one direction of one link.
    Link {
        from: u64,
        to: u64,
        fields: Map<String, Value>,
    },
    /// Fields of one client.
    Client {
        client: u64,
        fields: Map<String, Value>,
    },
    /// The checkers have reported a violation matching this (a property name, or a pattern
    /// over `{property, nodes, index, detail}`).
    Violation(Value),
    /// The checkers have reported exactly this many violations.
    Violations(u64),
}

/// The subject keys of an expectation; each expectation has exactly one.
pub const EXPECT_KINDS: [&str; 9] = [
    "node",
    "leaders",
    "happened",
    "notHappened",
    "inFlight",
    "link",
    "client",
    "violation",
    "violations",
];

/// A lesson as the page and the checker read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub topics: Vec<String>,
    pub view: View,
    pub scenario: Scenario,
    pub steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawLesson {
    id: String,
    #[serde(default)]
    title: Text,
    #[serde(default)]
    summary: Text,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    view: View,
    scenario: Value,
    steps: Vec<Value>,
}

impl Lesson {
    /// Parse a lesson file. Topic names are checked against `index`. Errors name the field,
    /// e.g. `steps[3].expect[1].node: ...`.
    pub fn from_json(text: &str, index: &LessonIndex) -> Result<Lesson, SimError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        let raw: RawLesson = from_value_named(&value)?;
        check_id(&raw.id).map_err(|e| e.within("id"))?;
        for (i, t) in raw.topics.iter().enumerate() {
            if !index.has_topic(t) {
                let known: Vec<&str> = index.topics.iter().map(|t| t.id.as_str()).collect();
                return Err(SimError::new(
                    format!("topics[{i}]"),
                    format!("unknown topic \"{t}\"; topics are: {}", known.join(", ")),
                ));
            }
        }
        if raw.topics.is_empty() {
            return Err(SimError::new("topics", "a lesson lists at least one topic"));
        }
        let scenario =
            Scenario::from_value(&(&raw.scenario).into()).map_err(|e| e.within("scenario"))?;
        if raw.view == View::Paper && scenario.config.pre_vote {
            return Err(SimError::new(
                "scenario.config.preVote",
                "the paper view draws Raft as the paper describes it: set \"preVote\": false",
            ));
        }
        if raw.steps.is_empty() || raw.steps.len() > LESSON_STEPS_MAX {
            return Err(SimError::new(
                "steps",
                format!(
                    "a lesson has 1 to {LESSON_STEPS_MAX} steps, got {}",
                    raw.steps.len()
                ),
            ));
        }
        let steps = raw
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| Step::from_value(s).map_err(|e| e.within(&format!("steps[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Lesson {
            id: raw.id,
            title: raw.title,
            summary: raw.summary,
            topics: raw.topics,
            view: raw.view,
            scenario,
            steps,
        })
    }
}

impl Step {
    fn from_value(value: &Value) -> Result<Step, SimError> {
        let raw: RawStep = from_value_named(value)?;
        let trigger = match (raw.at_ms, raw.on) {
            (Some(at_ms), None) => {
                if raw.nth.is_some() || raw.after_ms.is_some() {
                    return Err(SimError::new(
                        "atMs",
                        "\"nth\" and \"afterMs\" go with \"on\", not with \"atMs\"",
                    ));
                }
                crate::config::check_ms("atMs", at_ms, f64::MAX)?;
                Trigger::At { at_ms }
            }
            (None, Some(pattern)) => {
                check_pattern(&pattern, true).map_err(|e| e.within("on"))?;
                if let Some(a) = raw.after_ms {
                    crate::config::check_ms("afterMs", a, f64::MAX)?;
                }
                Trigger::On {
                    pattern,
                    nth: match raw.nth {
                        Some(0) => return Err(SimError::new("nth", "counts from 1")),
                        Some(n) => n,
                        None => 1,
                    },
                    after_ms: raw.after_ms,
                }
            }
            _ => {
                return Err(SimError::new(
                    "",
                    "a step triggers either at a time (\"atMs\": 1200) or at an event (\"on\": {\"kind\": ...}), exactly one of them",
                ))
            }
        };
        if let Some(m) = &raw.highlight.messages {
            if m.as_str() != Some("trigger") {
                check_pattern(m, false).map_err(|e| e.within("highlight.messages"))?;
            }
        }
        let groups = &raw.highlight.majorities;
        if groups.len() > HIGHLIGHT_MAJORITIES_MAX
            || (groups.len() == 2 && groups[0].name == groups[1].name)
        {
            return Err(SimError::new(
                "highlight.majorities",
                "at most two groups, one named \"old\" and one named \"new\"",
            ));
        }
        for (i, g) in groups.iter().enumerate() {
            g.check()
                .map_err(|e| e.within(&format!("highlight.majorities[{i}]")))?;
        }
        if raw.expect.len() > STEP_EXPECTATIONS_MAX {
            return Err(SimError::new(
                "expect",
                format!("at most {STEP_EXPECTATIONS_MAX} expectations per step"),
            ));
        }
        let expect = raw
            .expect
            .iter()
            .enumerate()
            .map(|(i, e)| Expect::from_value(e).map_err(|e| e.within(&format!("expect[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Step {
            trigger,
            caption: raw.caption,
            highlight: raw.highlight,
            expect,
        })
    }
}

/// A pattern is an object; a trace pattern must name the event's `kind`.
fn check_pattern(p: &Value, needs_kind: bool) -> Result<(), SimError> {
    let Some(obj) = p.as_object() else {
        return Err(SimError::new(
            "",
            "a pattern is an object such as {\"kind\": \"voteDenied\"}",
        ));
    };
    if needs_kind && !obj.get("kind").is_some_and(Value::is_string) {
        return Err(SimError::new(
            "kind",
            "an event pattern names the event's kind, e.g. {\"kind\": \"roleChanged\", \"to\": \"leader\"}",
        ));
    }
    Ok(())
}

impl Expect {
    fn from_value(value: &Value) -> Result<Expect, SimError> {
        let Some(obj) = value.as_object() else {
            return Err(SimError::new(
                "",
                "an expectation is an object such as {\"node\": 3, \"role\": \"leader\"}",
            ));
        };
        let subjects: Vec<&str> = EXPECT_KINDS
            .iter()
            .copied()
            .filter(|k| obj.contains_key(*k))
            .collect();
        let [subject] = subjects.as_slice() else {
            return Err(SimError::new(
                "",
                format!(
                    "an expectation has exactly one of {}; got {}",
                    EXPECT_KINDS.join(", "),
                    if subjects.is_empty() {
                        "none".to_string()
                    } else {
                        subjects.join(" and ")
                    }
                ),
            ));
        };
        // The keys besides the subject: any (`None`, they are fields to compare) or only these.
        let rest = |allowed: Option<&[&str]>| -> Result<Map<String, Value>, SimError> {
            let mut m = obj.clone();
            m.remove(*subject);
            if let Some(allowed) = allowed {
                if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
                    let also = if allowed.is_empty() {
                        "nothing else".to_string()
                    } else {
                        allowed.join(", ")
                    };
                    return Err(SimError::new(
                        k.as_str(),
                        format!("not a field of a \"{subject}\" expectation (it takes {also})"),
                    ));
                }
            }
            Ok(m)
        };
        let subject_value = &obj[*subject];
        let id = |what: &str| -> Result<u64, SimError> {
            subject_value.as_u64().filter(|n| *n > 0).ok_or_else(|| {
                SimError::new(
                    *subject,
                    format!("must be a {what} id (a positive whole number)"),
                )
            })
        };
        let times = |m: &Map<String, Value>| -> Result<Option<u64>, SimError> {
            match m.get("times") {
                None => Ok(None),
                Some(v) => v
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| SimError::new("times", "must be a whole number")),
            }
        };
        let needs_fields = |m: Map<String, Value>| -> Result<Map<String, Value>, SimError> {
            if m.is_empty() {
                Err(SimError::new(
                    "",
                    format!("a \"{subject}\" expectation needs at least one field to compare"),
                ))
            } else {
                Ok(m)
            }
        };
        Ok(match *subject {
            "node" => Expect::Node {
                node: id("node")?,
                fields: needs_fields(rest(None)?)?,
            },
            "client" => Expect::Client {
                client: id("client")?,
                fields: needs_fields(rest(None)?)?,
            },
            "leaders" => {
                rest(Some(&[]))?;
                let ids = subject_value
                    .as_array()
                    .and_then(|a| a.iter().map(Value::as_u64).collect::<Option<Vec<_>>>())
                    .ok_or_else(|| {
                        SimError::new(
                            "leaders",
                            "must be a list of node ids, e.g. [3] (or [] for none)",
                        )
                    })?;
                let mut ids = ids;
                ids.sort_unstable();
                Expect::Leaders(ids)
            }
            "happened" | "inFlight" => {
                let m = rest(Some(&["times"]))?;
                check_pattern(subject_value, *subject == "happened")
                    .map_err(|e| e.within(subject))?;
                let times = times(&m)?;
                if *subject == "happened" {
                    Expect::Happened {
                        pattern: subject_value.clone(),
                        times,
                    }
                } else {
                    Expect::InFlight {
                        pattern: subject_value.clone(),
                        times,
                    }
                }
            }
            "notHappened" => {
                rest(Some(&[]))?;
                check_pattern(subject_value, true).map_err(|e| e.within("notHappened"))?;
                Expect::NotHappened(subject_value.clone())
            }
            "link" => {
                let pair = subject_value
                    .as_array()
                    .and_then(|a| a.iter().map(Value::as_u64).collect::<Option<Vec<_>>>())
                    .filter(|a| a.len() == 2)
                    .ok_or_else(|| {
                        SimError::new("link", "must be a [from, to] pair of node ids")
                    })?;
                Expect::Link {
                    from: pair[0],
                    to: pair[1],
                    fields: needs_fields(rest(None)?)?,
                }
            }
            "violation" => {
                rest(Some(&[]))?;
                if !(subject_value.is_string() || subject_value.is_object()) {
                    return Err(SimError::new(
                        "violation",
                        "must be a property name such as \"leaderCompleteness\", or a pattern",
                    ));
                }
                Expect::Violation(subject_value.clone())
            }
            "violations" => {
                rest(Some(&[]))?;
                Expect::Violations(
                    subject_value
                        .as_u64()
                        .ok_or_else(|| SimError::new("violations", "must be a count, e.g. 0"))?,
                )
            }
            _ => unreachable!("EXPECT_KINDS is matched in full"),
        })
    }
}

/// Does `actual` match `expected`? Objects match when every expected key matches (extra keys in
/// `actual` are ignored; an expected `null` also matches a missing key); a string matches a
/// tagged object whose `type` is that string (so `"reason": "logBehind"` matches
/// `{"type": "logBehind", ...}`); numbers compare by value; arrays element by element, same
/// length. On a mismatch, says where and what.
pub fn matches(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match a.get(k) {
                    Some(av) => matches(ev, av, &p)?,
                    None if ev.is_null() => {}
                    None => {
                        return Err(format!(
                            "{p}: expected {}, but there is no such field",
                            Json(ev)
                        ))
                    }
                }
            }
            Ok(())
        }
        (Value::String(s), Value::Object(a)) if a.get("type").and_then(Value::as_str).is_some() => {
            let t = a["type"].as_str().unwrap_or_default();
            if t == s {
                Ok(())
            } else {
                Err(format!("{path}: expected {s}, got {t}"))
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!(
            "{}expected {}, got {}",
            if path.is_empty() {
                String::new()
            } else {
                format!("{path}: ")
            },
            Json(expected),
            Json(actual)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pattern_matches_a_subset_and_a_tag_by_name() {
        let ev = json!({"kind": "voteDenied", "node": 2, "reason": {"type": "logBehind", "lastIndex": 4}});
        assert!(matches(
            &json!({"kind": "voteDenied", "reason": "logBehind"}),
            &ev,
            ""
        )
        .is_ok());
        assert!(matches(&json!({"reason": {"lastIndex": 4}}), &ev, "").is_ok());
        let err = matches(&json!({"reason": "staleTerm"}), &ev, "").unwrap_err();
        assert_eq!(err, "reason: expected staleTerm, got logBehind");
        assert!(matches(&json!({"node": 3}), &ev, "").is_err());
        assert!(matches(&json!({"missing": null}), &ev, "").is_ok());
        assert!(matches(&json!({"missing": 1}), &ev, "").is_err());
    }

    #[test]
    fn an_expectation_has_exactly_one_subject() {
        assert!(Expect::from_value(&json!({"node": 1, "leaders": [1]})).is_err());
        assert!(Expect::from_value(&json!({"role": "leader"})).is_err());
        assert!(Expect::from_value(&json!({"node": 1})).is_err());
        assert!(Expect::from_value(&json!({"happened": {"kind": "x"}, "oops": 1})).is_err());
        assert_eq!(
            Expect::from_value(&json!({"leaders": [3, 1]})).unwrap(),
            Expect::Leaders(vec![1, 3])
        );
    }
}
