//! Replays a lesson and checks every step (docs/LESSONS.md): finds each step's moment, runs the
//! simulation to it, and compares the expectations with `sim.state()`, the trace since the
//! previous step and the checkers' report. `raft-sim lessons --check` and `cargo test` run it.
//!
//! A step's moment is a simulated time; what is checked (and what the page shows when it pauses
//! there) is the state after everything due at or before that time, by the timeline rules of
//! docs/SCENARIO.md.

use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

use crate::error::{Json, SimError};
use crate::lesson::{matches, Expect, Highlight, Lesson, Trigger};
use crate::scenario::Scenario;
use crate::sim::Simulation;

/// A lesson's scenario, played forward action by action through the live API (the same run as
/// `Simulation::from_scenario`, by the timeline rules), handing back the trace as JSON.
struct Replay {
    sim: Simulation,
    scenario: Scenario,
    next_action: usize,
}

impl Replay {
    fn new(scenario: &Scenario) -> Result<Replay, SimError> {
        Ok(Replay {
            sim: Simulation::new(scenario.config.clone())?,
            scenario: scenario.clone(),
            next_action: 0,
        })
    }

    /// Run to `t_ms`, applying the scenario's actions due at or before it.
    fn run_to(&mut self, t_ms: f64) -> Result<Vec<Value>, SimError> {
        let mut out = Vec::new();
        while let Some(ta) = self.scenario.actions.get(self.next_action) {
            if ta.at_ms > t_ms {
                break;
            }
            let events = self.sim.advance(ta.at_ms - self.sim.now_ms())?;
            out.extend(events.iter().map(to_json));
            self.sim
                .apply(ta.action.clone())
                .map_err(|e| e.within(&format!("scenario.actions[{}].action", self.next_action)))?;
            self.next_action += 1;
        }
        let events = self.sim.advance((t_ms - self.sim.now_ms()).max(0.0))?;
        out.extend(events.iter().map(to_json));
        Ok(out)
    }
}

/// Through text rather than `serde_json::to_value`, read back from a `&str` like every other
/// input. The check runs natively (at build time, xtask's plans.rs); it was written this way
/// when it still ran in the wasm, where a second path into `Value` would have added code.
fn to_json<T: Serialize>(v: &T) -> Value {
    let text = serde_json::to_string(v).expect("simulation data always serializes");
    serde_json::from_str(&text).expect("what serde_json wrote, it reads")
}

fn end_ms(s: &Scenario) -> f64 {
    s.end_ms
        .unwrap_or_else(|| s.actions.last().map_or(0.0, |a| a.at_ms))
}

/// Where one step paused, and what went wrong there.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepOutcome {
    pub step: usize,
    pub at_ms: f64,
    /// The trace event that triggered the step (event triggers only).
    pub event: Option<Value>,
    pub errors: Vec<String>,
    /// The messages the step highlights (ids), for the page.
    pub message_ids: Vec<u64>,
    /// Where the page starts playing into this step (see [`LEAD_IN_MS`]).
    pub slow_from_ms: f64,
}

/// The page plays this much simulated time into each step (quiet time before it is skipped),
/// or from when the first highlighted message was sent, whichever is earlier; never more than
/// [`LEAD_IN_MS_MAX`], and never from before the previous step.
pub const LEAD_IN_MS: f64 = 40.0;
pub const LEAD_IN_MS_MAX: f64 = 400.0;

/// The result of checking one lesson.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LessonOutcome {
    pub id: String,
    /// Steps checked, in order (fewer than the lesson's if a moment could not be found).
    pub steps: Vec<StepOutcome>,
    /// A problem with the lesson as a whole (a trigger that never fires, a replay error).
    pub error: Option<String>,
}

impl LessonOutcome {
    pub fn ok(&self) -> bool {
        self.error.is_none() && self.steps.iter().all(|s| s.errors.is_empty())
    }
}

/// Each step's moment and triggering event, found on one full replay; when one cannot be found,
/// the moments before it and why.
fn find_moments(lesson: &Lesson, trace: &[Value]) -> (Vec<(f64, Option<Value>)>, Option<String>) {
    let mut out = Vec::new();
    let err = moments_into(lesson, trace, &mut out).err();
    (out, err)
}

fn moments_into(
    lesson: &Lesson,
    trace: &[Value],
    out: &mut Vec<(f64, Option<Value>)>,
) -> Result<(), String> {
    let end = end_ms(&lesson.scenario);
    let mut prev: Option<f64> = None;
    for (i, step) in lesson.steps.iter().enumerate() {
        let (at, event) = match &step.trigger {
            Trigger::At { at_ms } => {
                if prev.is_some_and(|p| *at_ms <= p) {
                    return Err(format!(
                        "steps[{i}].atMs: {at_ms} is not after the previous step's moment ({} ms); steps are in time order",
                        prev.unwrap_or_default()
                    ));
                }
                (*at_ms, None)
            }
            Trigger::On {
                pattern,
                nth,
                after_ms,
            } => {
                let from = prev.unwrap_or(-1.0);
                let candidates = trace.iter().filter(|e| {
                    let t = e["atMs"].as_f64().unwrap_or_default();
                    t > from && after_ms.is_none_or(|a| t >= a)
                });
                let found = candidates
                    .clone()
                    .filter(|e| matches(pattern, e, "").is_ok())
                    .nth(*nth as usize - 1);
                match found {
                    Some(e) => (e["atMs"].as_f64().unwrap_or_default(), Some(e.clone())),
                    None => {
                        return Err(format!(
                            "steps[{i}].on: {}",
                            no_match_hint(
                                pattern,
                                *nth,
                                candidates,
                                from.max(after_ms.unwrap_or(0.0)),
                                end
                            )
                        ))
                    }
                }
            }
        };
        if at > end {
            return Err(format!(
                "steps[{i}]: its moment {at} ms is after the scenario's endMs ({end} ms)"
            ));
        }
        prev = Some(at);
        out.push((at, event));
    }
    Ok(())
}

/// Why an event pattern found nothing, with the nearest thing that did happen.
fn no_match_hint<'a>(
    pattern: &Value,
    nth: u32,
    candidates: impl Iterator<Item = &'a Value>,
    from: f64,
    end: f64,
) -> String {
    let kind = pattern["kind"].as_str().unwrap_or_default();
    let same_kind: Vec<&Value> = candidates.filter(|e| e["kind"] == kind).collect();
    let which = if nth == 1 {
        "no".to_string()
    } else {
        format!("fewer than {nth}")
    };
    let mut msg = format!(
        "{which} event matches {} between {from} ms and endMs ({end} ms)",
        Json(pattern)
    );
    match same_kind.first() {
        None => msg.push_str(&format!("; there is no {kind} event at all in that time")),
        Some(first) => {
            let why = matches(pattern, first, "").err().unwrap_or_default();
            msg.push_str(&format!(
                "; {} {kind} event(s) happened, the first: {} ({why})",
                same_kind.len(),
                Json(first)
            ));
        }
    }
    msg
}

/// The node as expectations see it: `sim.state()`'s fields, with `progress` keyed by peer id and
/// the log also given as `logTerms` (the terms of the listed entries, in order).
fn node_view(node: &Value) -> Map<String, Value> {
    let mut m = node.as_object().cloned().unwrap_or_default();
    let terms: Vec<Value> = m["log"]
        .as_array()
        .map(|l| l.iter().map(|e| e["term"].clone()).collect())
        .unwrap_or_default();
    m.insert("logTerms".into(), Value::Array(terms));
    // Inserted one by one: `collect` into a map sorts first, a sort's code per item type.
    let mut progress = Map::new();
    for p in m["progress"].as_array().into_iter().flatten() {
        progress.insert(Json(&p["peer"]).to_string(), p.clone());
    }
    m.insert("progress".into(), Value::Object(progress));
    m
}

/// Compare named fields; `termAt` (index → term, null for "no entry") reads the log.
fn check_fields(what: &str, view: &Map<String, Value>, fields: &Map<String, Value>) -> Vec<String> {
    let mut errs = Vec::new();
    for (k, expected) in fields {
        if k == "termAt" && view.contains_key("log") {
            errs.extend(check_term_at(what, &view["log"], expected));
            continue;
        }
        match view.get(k) {
            None => {
                let mut known: Vec<&str> = view.keys().map(String::as_str).collect();
                if view.contains_key("log") {
                    known.push("termAt");
                }
                errs.push(format!(
                    "{what} has no field \"{k}\"; fields are: {}",
                    known.join(", ")
                ));
            }
            Some(actual) => {
                if let Err(e) = matches(expected, actual, k) {
                    errs.push(format!("{what}: {e}"));
                }
            }
        }
    }
    errs
}

fn check_term_at(what: &str, log: &Value, expected: &Value) -> Vec<String> {
    let Some(cells) = expected.as_object() else {
        return vec![format!(
            "{what}: termAt is an object of index → term, e.g. {{\"3\": 2}}"
        )];
    };
    let mut errs = Vec::new();
    for (index, term) in cells {
        let entry = log.as_array().and_then(|l| {
            l.iter().find(|e| {
                e["index"].as_u64().map(|i| i.to_string()).as_deref() == Some(index.as_str())
            })
        });
        let actual = entry.map_or(Value::Null, |e| e["term"].clone());
        if matches(term, &actual, "").is_err() {
            errs.push(format!(
                "{what}: termAt.{index}: expected {}, got {}",
                Json(term),
                Json(&actual)
            ));
        }
    }
    errs
}

/// Everything one step is checked against.
struct Moment<'a> {
    state: &'a Value,
    /// The trace since the previous step.
    events: &'a [Value],
    event: Option<&'a Value>,
    sim: &'a Simulation,
    /// Every voter set a server has held up to this moment (sorted), old halves included.
    configs: &'a BTreeSet<Vec<u64>>,
}

impl Moment<'_> {
    fn node(&self, id: u64) -> Option<&Value> {
        self.state["nodes"]
            .as_array()?
            .iter()
            .find(|n| n["id"] == id)
    }

    fn check(&self, e: &Expect) -> Vec<String> {
        match e {
            Expect::Node { node, fields } => match self.node(*node) {
                None => vec![format!("there is no node {node}")],
                Some(n) => check_fields(&format!("node {node}"), &node_view(n), fields),
            },
            Expect::Client { client, fields } => {
                match self.state["clients"]
                    .as_array()
                    .and_then(|c| c.iter().find(|c| c["id"] == *client))
                {
                    None => vec![format!("there is no client {client}")],
                    Some(c) => check_fields(
                        &format!("client {client}"),
                        c.as_object().expect("object"),
                        fields,
                    ),
                }
            }
            Expect::Link { from, to, fields } => {
                let link = self.state["links"]
                    .as_array()
                    .and_then(|l| l.iter().find(|l| l["from"] == *from && l["to"] == *to));
                match link {
                    None => vec![format!("there is no link {from}→{to}")],
                    Some(l) => check_fields(
                        &format!("link {from}→{to}"),
                        l.as_object().expect("object"),
                        fields,
                    ),
                }
            }
            Expect::Leaders(ids) => {
                let mut leaders: Vec<u64> = self.state["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|n| n["role"] == "leader")
                    .filter_map(|n| n["id"].as_u64())
                    .collect();
                leaders.sort_unstable();
                if leaders == *ids {
                    vec![]
                } else {
                    vec![format!("leaders: expected {ids:?}, got {leaders:?}")]
                }
            }
            Expect::Happened { pattern, times } => count_check(
                "happened since the previous step",
                pattern,
                self.events,
                *times,
            ),
            Expect::NotHappened(pattern) => {
                match self.events.iter().find(|e| matches(pattern, e, "").is_ok()) {
                    None => vec![],
                    Some(e) => vec![format!(
                        "notHappened {}: but {} did",
                        Json(pattern),
                        Json(e)
                    )],
                }
            }
            Expect::InFlight { pattern, times } => {
                let msgs = self.state["inFlight"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                count_check("in flight", pattern, &msgs, *times)
            }
            Expect::Violation(p) => {
                let pattern = match p {
                    Value::String(s) => json!({ "property": s }),
                    other => other.clone(),
                };
                let report = to_json(&self.sim.check());
                let found = report["violations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|v| matches(&pattern, v, "").is_ok());
                if found {
                    vec![]
                } else {
                    let props: Vec<&Value> = report["violations"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|v| &v["property"])
                        .collect();
                    vec![format!(
                        "violation {}: not reported; the checkers reported {props:?}",
                        Json(p)
                    )]
                }
            }
            Expect::Violations(n) => {
                let report = self.sim.check();
                if report.violations.len() as u64 == *n {
                    vec![]
                } else {
                    let props: Vec<&str> = report
                        .violations
                        .iter()
                        .map(|v| v.property.as_str())
                        .collect();
                    vec![format!(
                        "violations: expected {n}, got {} ({})",
                        report.violations.len(),
                        props.join(", ")
                    )]
                }
            }
        }
    }

    /// The messages a step highlights, with when each was sent: the trigger's message, or those
    /// in flight now or sent since the previous step that match the pattern.
    fn highlighted(&self, h: &Highlight) -> Vec<(u64, f64)> {
        match &h.messages {
            None => Vec::new(),
            Some(Value::String(_)) => {
                let id = self.event.and_then(|e| e["id"].as_u64());
                let sent = self
                    .events
                    .iter()
                    .chain(self.state["inFlight"].as_array().into_iter().flatten())
                    .find(|e| e["id"].as_u64() == id)
                    .map(|e| {
                        e["sentAtMs"]
                            .as_f64()
                            .or(e["atMs"].as_f64())
                            .unwrap_or_default()
                    });
                id.map(|i| vec![(i, sent.unwrap_or_default())])
                    .unwrap_or_default()
            }
            Some(p) => {
                let mut out: Vec<(u64, f64)> = Vec::new();
                let in_flight = self.state["inFlight"].as_array().into_iter().flatten();
                for m in in_flight.filter(|m| matches(p, m, "").is_ok()) {
                    out.push((
                        m["id"].as_u64().unwrap_or_default(),
                        m["sentAtMs"].as_f64().unwrap_or_default(),
                    ));
                }
                let sent = self.events.iter().filter(|e| e["kind"] == "msgSent");
                for m in sent.filter(|m| matches(p, m, "").is_ok()) {
                    let id = m["id"].as_u64().unwrap_or_default();
                    if !out.iter().any(|(i, _)| *i == id) {
                        out.push((id, m["atMs"].as_f64().unwrap_or_default()));
                    }
                }
                out.sort_by_key(|(i, _)| *i);
                out
            }
        }
    }

    /// What a step highlights must exist at its moment (a typo in a lesson shows up here).
    fn check_highlight(&self, h: &Highlight) -> Vec<String> {
        let mut errs = Vec::new();
        for n in h.nodes.iter().chain(h.links.iter().flatten()) {
            if self.node(*n).is_none() {
                errs.push(format!("highlight: there is no node {n}"));
            }
        }
        for c in &h.log {
            match self.node(c.node) {
                None => errs.push(format!("highlight.log: there is no node {}", c.node)),
                Some(n) => {
                    let last = n["lastIndex"].as_u64().unwrap_or_default();
                    let to = c.to.unwrap_or(c.index);
                    if c.index == 0 || to < c.index || to > last {
                        errs.push(format!(
                            "highlight.log: node {} has entries 1..={last}; cells {}..={to} are not among them",
                            c.node, c.index
                        ));
                    }
                }
            }
        }
        for c in &h.clients {
            if !self.state["clients"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x["id"] == *c)
            {
                errs.push(format!("highlight: there is no client {c}"));
            }
        }
        for (i, g) in h.majorities.iter().enumerate() {
            for n in g.nodes.iter().chain(&g.of) {
                if self.node(*n).is_none() {
                    errs.push(format!("highlight.majorities[{i}]: there is no node {n}"));
                }
            }
            let mut of = g.of.clone();
            of.sort_unstable();
            if !self.configs.contains(&of) {
                let held: Vec<String> = self.configs.iter().map(|c| format!("{c:?}")).collect();
                errs.push(format!(
                    "highlight.majorities[{i}]: no server has held the configuration {of:?} by now; voter sets so far: {}",
                    held.join(", ")
                ));
            }
        }
        match &h.messages {
            Some(Value::String(_)) if self.event.and_then(|e| e.get("id")).is_none() => {
                errs.push("highlight.messages \"trigger\" needs a step triggered by a message event (msgSent, msgDelivered or msgDropped)".into());
            }
            Some(p) if !p.is_string() && self.highlighted(h).is_empty() => {
                errs.push(format!(
                    "highlight.messages: no message in flight or sent since the previous step matches {}",
                    Json(p)
                ));
            }
            _ => {}
        }
        errs
    }
}

fn count_check(what: &str, pattern: &Value, items: &[Value], times: Option<u64>) -> Vec<String> {
    let n = items
        .iter()
        .filter(|e| matches(pattern, e, "").is_ok())
        .count() as u64;
    match times {
        Some(t) if t != n => vec![format!("{}: expected {t} {what}, found {n}", Json(pattern))],
        None if n == 0 => vec![format!("{}: nothing {what} matches", Json(pattern))],
        _ => vec![],
    }
}

/// Add the voter sets the servers hold now and those the trace's configuration changes named.
fn note_configs(configs: &mut BTreeSet<Vec<u64>>, state: &Value, events: &[Value]) {
    let mut add = |v: &Value| {
        let mut ids: Vec<u64> = v
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect();
        ids.sort_unstable();
        if !ids.is_empty() {
            configs.insert(ids);
        }
    };
    for n in state["nodes"].as_array().into_iter().flatten() {
        add(&n["voters"]);
        add(&n["jointVoters"]);
    }
    for e in events.iter().filter(|e| e["kind"] == "confChanged") {
        add(&e["voters"]);
        add(&e["votersOutgoing"]);
    }
}

/// Replay a lesson and check every step.
pub fn check_lesson(lesson: &Lesson) -> LessonOutcome {
    let mut outcome = LessonOutcome {
        id: lesson.id.clone(),
        steps: Vec::new(),
        error: None,
    };
    if let Err(e) = run_steps(lesson, &mut outcome.steps) {
        outcome.error = Some(e);
    }
    outcome
}

fn run_steps(lesson: &Lesson, out: &mut Vec<StepOutcome>) -> Result<(), String> {
    let mut whole = Replay::new(&lesson.scenario).map_err(|e| e.to_string())?;
    let trace = whole
        .run_to(end_ms(&lesson.scenario))
        .map_err(|e| e.to_string())?;
    let (moments, missing) = find_moments(lesson, &trace);
    let mut replay = Replay::new(&lesson.scenario).map_err(|e| e.to_string())?;
    let mut prev_ms = 0.0f64;
    let mut configs = BTreeSet::new();
    note_configs(&mut configs, &to_json(&replay.sim.state()), &[]);
    for (i, (step, (at_ms, event))) in lesson.steps.iter().zip(moments).enumerate() {
        let events = replay.run_to(at_ms).map_err(|e| e.to_string())?;
        let state = to_json(&replay.sim.state());
        note_configs(&mut configs, &state, &events);
        let m = Moment {
            state: &state,
            events: &events,
            event: event.as_ref(),
            sim: &replay.sim,
            configs: &configs,
        };
        let mut errors: Vec<String> = step.expect.iter().flat_map(|e| m.check(e)).collect();
        errors.extend(m.check_highlight(&step.highlight));
        let highlighted = m.highlighted(&step.highlight);
        let first_sent = highlighted
            .iter()
            .map(|(_, t)| *t)
            .fold(at_ms - LEAD_IN_MS, f64::min);
        let slow_from_ms = first_sent
            .max(at_ms - LEAD_IN_MS_MAX)
            .max(prev_ms)
            .min(at_ms);
        prev_ms = at_ms;
        out.push(StepOutcome {
            step: i,
            at_ms,
            event,
            errors,
            message_ids: highlighted.iter().map(|(id, _)| *id).collect(),
            slow_from_ms,
        });
    }
    missing.map_or(Ok(()), Err)
}

/// One step as the page plays it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanStep {
    pub at_ms: f64,
    pub message_ids: Vec<u64>,
    pub slow_from_ms: f64,
}

impl LessonOutcome {
    /// Where the page pauses for each step, and what moves slowly into it, read off the check
    /// itself (so the page stops where the check looked). `cargo xtask` writes it into each
    /// lesson file it ships (xtask/src/plans.rs). Fails when a step's moment could not be found
    /// (the plan would be short); a failed expectation does not stop the plan (the check
    /// reports it).
    pub fn plan(&self) -> Result<Vec<PlanStep>, SimError> {
        if let Some(e) = &self.error {
            return Err(SimError::new("lesson", e.clone()));
        }
        Ok(self
            .steps
            .iter()
            .map(|s| PlanStep {
                at_ms: s.at_ms,
                message_ids: s.message_ids.clone(),
                slow_from_ms: s.slow_from_ms,
            })
            .collect())
    }
}

/// [`LessonOutcome::plan`] of one lesson, from the text of the index and of the lesson file.
pub fn lesson_plan(index_json: &str, lesson_json: &str) -> Result<Vec<PlanStep>, SimError> {
    let index = crate::lesson::LessonIndex::from_json(index_json).map_err(|e| e.within("index"))?;
    let lesson = Lesson::from_json(lesson_json, &index).map_err(|e| e.within("lesson"))?;
    check_lesson(&lesson).plan()
}

/// A caption, title or summary that lacks a language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Untranslated {
    pub lesson: String,
    /// `title`, `summary` or `steps[N].caption`.
    pub field: String,
    pub missing: Vec<&'static str>,
}

/// Every text of a lesson that lacks English or Chinese. The summary is optional (both blank
/// is fine); titles and captions are not.
pub fn untranslated(lesson: &Lesson) -> Vec<Untranslated> {
    let mut out = Vec::new();
    let mut note = |field: String, missing: Vec<&'static str>| {
        if !missing.is_empty() {
            out.push(Untranslated {
                lesson: lesson.id.clone(),
                field,
                missing,
            });
        }
    };
    note("title".into(), lesson.title.missing());
    let summary = lesson.summary.missing();
    if summary.len() == 1 {
        note("summary".into(), summary);
    }
    for (i, s) in lesson.steps.iter().enumerate() {
        note(format!("steps[{i}].caption"), s.caption.missing());
    }
    out
}

/// One failure, for `raft-sim lessons --check --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub lesson: String,
    /// The step, when the failure belongs to one.
    pub step: Option<usize>,
    pub error: String,
}

/// The check of a whole lesson folder.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FolderReport {
    pub lessons: usize,
    pub steps: usize,
    pub failed: Vec<Failure>,
    pub untranslated: Vec<Untranslated>,
    /// The topics the lessons cover, in the vocabulary's order.
    pub topics: Vec<String>,
    /// Each lesson's outcome, for the human-readable report.
    #[serde(skip)]
    pub outcomes: Vec<LessonOutcome>,
}

impl FolderReport {
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.untranslated.is_empty()
    }
}

/// The lesson folder shipped with the page (`web/lessons`), as seen from this crate.
#[cfg(not(target_arch = "wasm32"))]
pub fn default_folder() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/lessons")
}

/// Read `index.json` and every lesson it lists from `dir`, check them all (or only `only`).
/// A lesson file that the index does not list is a failure too (it would never be shown).
#[cfg(not(target_arch = "wasm32"))]
pub fn check_folder(dir: &std::path::Path, only: Option<&str>) -> Result<FolderReport, SimError> {
    use crate::lesson::LessonIndex;
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).map_err(|e| {
            SimError::new(
                name,
                format!("cannot read {}: {e}", dir.join(name).display()),
            )
        })
    };
    let index = LessonIndex::from_json(&read("index.json")?).map_err(|e| e.within("index.json"))?;
    if let Some(id) = only {
        if !index.lessons.iter().any(|l| l == id) {
            return Err(SimError::new(
                "--only",
                format!("index.json lists no lesson \"{id}\""),
            ));
        }
    }
    let mut report = FolderReport::default();
    let mut covered = Vec::new();
    for id in index
        .lessons
        .iter()
        .filter(|l| only.is_none_or(|o| o == *l))
    {
        let file = format!("{id}.json");
        report.lessons += 1;
        let lesson =
            read(&file).and_then(|t| Lesson::from_json(&t, &index).map_err(|e| e.within(&file)));
        let lesson = match lesson {
            Ok(l) if l.id != *id => Err(SimError::new(
                format!("{file}: id"),
                format!("is \"{}\", but the file is named {file}", l.id),
            )),
            other => other,
        };
        let lesson = match lesson {
            Ok(l) => l,
            Err(e) => {
                report.failed.push(Failure {
                    lesson: id.clone(),
                    step: None,
                    error: e.to_string(),
                });
                continue;
            }
        };
        report.steps += lesson.steps.len();
        covered.extend(lesson.topics.iter().cloned());
        report.untranslated.extend(untranslated(&lesson));
        let outcome = check_lesson(&lesson);
        if let Some(e) = &outcome.error {
            report.failed.push(Failure {
                lesson: id.clone(),
                step: None,
                error: e.clone(),
            });
        }
        for s in &outcome.steps {
            for e in &s.errors {
                report.failed.push(Failure {
                    lesson: id.clone(),
                    step: Some(s.step),
                    error: e.clone(),
                });
            }
        }
        report.outcomes.push(outcome);
    }
    if only.is_none() {
        report.failed.extend(unlisted_files(dir, &index)?);
        report.failed.extend(module_mismatch(dir, &index));
    }
    report.topics = index
        .topics
        .iter()
        .map(|t| t.id.clone())
        .filter(|t| covered.contains(t))
        .collect();
    Ok(report)
}

/// The page loads lessons through `index.js` (one JSON import per lesson, so bundlers pack them):
/// its imports must be the index's lessons, in order.
#[cfg(not(target_arch = "wasm32"))]
fn module_mismatch(dir: &std::path::Path, index: &crate::lesson::LessonIndex) -> Option<Failure> {
    let text = std::fs::read_to_string(dir.join("index.js")).ok()?;
    let imported: Vec<&str> = text
        .split("from './")
        .skip(1)
        .filter_map(|rest| rest.split_once(".json'").map(|(id, _)| id))
        .filter(|id| *id != "index")
        .collect();
    if imported == index.lessons {
        return None;
    }
    Some(Failure {
        lesson: "index.js".into(),
        step: None,
        error: format!(
            "imports {imported:?} but index.json lists {:?}; give each lesson a line `import x from './ID.json' with {{ type: 'json' }};` in that order, and add it to LESSONS",
            index.lessons
        ),
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn unlisted_files(
    dir: &std::path::Path,
    index: &crate::lesson::LessonIndex,
) -> Result<Vec<Failure>, SimError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| SimError::new("", format!("cannot list {}: {e}", dir.display())))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(id) = name.strip_suffix(".json") else {
            continue;
        };
        if id != "index" && !index.lessons.iter().any(|l| l == id) {
            out.push(Failure {
                lesson: id.to_string(),
                step: None,
                error: format!("{name} is not listed in index.json, so the page never shows it"),
            });
        }
    }
    out.sort_by(|a, b| a.lesson.cmp(&b.lesson));
    Ok(out)
}
