//! `raft-sim lessons`: list, check (`--check`) or walk through (`--show ID`) the lessons in
//! `web/lessons` (docs/LESSONS.md).

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{parse_flags, UsageError, EXIT_OK, EXIT_VIOLATION};
use crate::lesson::{Lesson, LessonIndex};
use crate::lesson_check::{check_folder, check_lesson, default_folder, FolderReport};

pub fn cmd_lessons(args: &[String], out: &mut dyn Write) -> Result<i32, UsageError> {
    let f = parse_flags(args, &["dir", "only", "show"], &["check", "json"])?;
    if let Some(p) = f.positional.first() {
        return Err(UsageError(format!("unexpected argument \"{p}\"")));
    }
    let dir = f.value("dir").map_or_else(default_folder, PathBuf::from);
    if let Some(id) = f.value("show") {
        if f.has("check") || f.has("json") || f.value("only").is_some() {
            return Err(UsageError(
                "--show ID goes alone (with --dir at most)".into(),
            ));
        }
        return show(&dir, id, out);
    }
    let report = check_folder(&dir, f.value("only"))?;
    if f.has("check") {
        if f.has("json") {
            // One line, last, so scripts can read it.
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string(&report).expect("serializes")
            );
        } else {
            print_report(&report, out);
        }
        return Ok(if report.ok() { EXIT_OK } else { EXIT_VIOLATION });
    }
    if f.has("json") {
        return Err(UsageError("--json goes with --check".into()));
    }
    for o in &report.outcomes {
        let _ = writeln!(out, "{:28} {:2} steps", o.id, o.steps.len());
    }
    Ok(EXIT_OK)
}

fn print_report(r: &FolderReport, out: &mut dyn Write) {
    for o in &r.outcomes {
        let _ = writeln!(
            out,
            "{} {} ({} steps)",
            if o.ok() { "ok  " } else { "FAIL" },
            o.id,
            o.steps.len()
        );
    }
    for f in &r.failed {
        let step = f.step.map_or(String::new(), |s| format!(" step {s}"));
        let _ = writeln!(out, "  {}{step}: {}", f.lesson, f.error);
    }
    for u in &r.untranslated {
        let _ = writeln!(
            out,
            "  {} {}: no {}",
            u.lesson,
            u.field,
            u.missing.join(" or ")
        );
    }
    let _ = writeln!(
        out,
        "{} lessons, {} steps, {} failures, {} untranslated; topics: {}",
        r.lessons,
        r.steps,
        r.failed.len(),
        r.untranslated.len(),
        r.topics.join(", ")
    );
}

/// Each step's moment, the event that triggered it, and the cluster there: what an author
/// needs to write a caption that matches the run.
fn show(dir: &std::path::Path, id: &str, out: &mut dyn Write) -> Result<i32, UsageError> {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .map_err(|e| UsageError(format!("cannot read {}: {e}", dir.join(name).display())))
    };
    let index = LessonIndex::from_json(&read("index.json")?)
        .map_err(|e| UsageError(format!("index.json: {e}")))?;
    let lesson = Lesson::from_json(&read(&format!("{id}.json"))?, &index)
        .map_err(|e| UsageError(format!("{id}.json: {e}")))?;
    let outcome = check_lesson(&lesson);
    let mut sim = crate::sim::Simulation::new(lesson.scenario.config.clone())?;
    let mut next = 0;
    let mut prev_ms = -1.0;
    let trace = whole_trace(&lesson)?;
    for s in &outcome.steps {
        // Replay to the moment to describe the cluster there.
        while let Some(ta) = lesson
            .scenario
            .actions
            .get(next)
            .filter(|a| a.at_ms <= s.at_ms)
        {
            sim.advance(ta.at_ms - sim.now_ms())?;
            sim.apply(ta.action.clone())?;
            next += 1;
        }
        sim.advance(s.at_ms - sim.now_ms())?;
        let _ = writeln!(out, "step {} at {} ms", s.step, s.at_ms);
        for e in notable(&trace, prev_ms, s.at_ms) {
            let _ = writeln!(out, "    {e}");
        }
        prev_ms = s.at_ms;
        if let Some(e) = &s.event {
            let _ = writeln!(out, "  on {e}");
        }
        for n in sim.state().nodes {
            let terms: Vec<String> = n.log.iter().map(|e| e.term.0.to_string()).collect();
            let _ = writeln!(
                out,
                "  S{} {:?} {:?} term {} votedFor {} commit {} applied {} log [{}]",
                n.id.0,
                n.status,
                n.role,
                n.term.0,
                n.voted_for.map_or("-".to_string(), |v| v.0.to_string()),
                n.commit_index.0,
                n.last_applied.0,
                terms.join(" ")
            );
        }
        for e in &s.errors {
            let _ = writeln!(out, "  FAILED: {e}");
        }
    }
    if let Some(e) = &outcome.error {
        let _ = writeln!(out, "FAILED: {e}");
    }
    Ok(if outcome.ok() {
        EXIT_OK
    } else {
        EXIT_VIOLATION
    })
}

/// The whole run's trace, as JSON.
fn whole_trace(lesson: &Lesson) -> Result<Vec<serde_json::Value>, UsageError> {
    let mut sim = crate::sim::Simulation::new(lesson.scenario.config.clone())?;
    let mut out = Vec::new();
    let end = lesson.scenario.end_ms.unwrap_or(0.0);
    for ta in &lesson.scenario.actions {
        out.extend(sim.advance(ta.at_ms - sim.now_ms())?);
        sim.apply(ta.action.clone())?;
    }
    out.extend(sim.advance((end - sim.now_ms()).max(0.0))?);
    Ok(out
        .iter()
        .map(|e| serde_json::to_value(e).expect("serializes"))
        .collect())
}

/// The events between two moments that say what happened (messages and applies left out).
fn notable(trace: &[serde_json::Value], after_ms: f64, to_ms: f64) -> Vec<String> {
    const QUIET: [&str; 6] = [
        "msgSent",
        "msgDelivered",
        "msgDropped",
        "applied",
        "nextIndexMoved",
        "entriesAppended",
    ];
    const SHOWN_MAX: usize = 40;
    let mut out: Vec<String> = trace
        .iter()
        .filter(|e| {
            let t = e["atMs"].as_f64().unwrap_or_default();
            t > after_ms && t <= to_ms && !QUIET.iter().any(|q| e["kind"] == *q)
        })
        .map(|e| e.to_string())
        .collect();
    if out.len() > SHOWN_MAX {
        let more = out.len() - SHOWN_MAX;
        out.truncate(SHOWN_MAX);
        out.push(format!("... and {more} more"));
    }
    out
}
