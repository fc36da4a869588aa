//! The `raft-sim` command line: run, fuzz, bugs, bench, lessons (in `cli_lessons.rs`). Arguments are parsed with std only.
//! Bad input prints one line `error: ...` and exits with code 2; a found violation exits 1; a
//! scenario whose liveness window reaches past its end exits 3 (liveness not checked).

use std::io::Write;
use std::time::Instant;

use crate::config::{bug_description, SimConfig, BUG_NAMES};
use crate::error::SimError;
use crate::fuzz::{fuzz_one, FuzzOptions};
use crate::sim::Simulation;

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_VIOLATION: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
/// `run`: no safety violation, but the liveness check was due after the run ended.
pub const EXIT_NOT_CHECKED: i32 = 3;
/// Limits on CLI numbers.
pub const FUZZ_SEEDS_MAX: u64 = 10_000_000;
pub const FUZZ_DURATION_MS_MAX: u64 = 3_600_000;

pub const USAGE: &str = "usage:
  raft-sim run FILE.json [--json] [--trace]    (exit 0 ok, 1 violation, 2 bad input, 3 liveness not checked)
  raft-sim fuzz --seeds N [--seed-start S] [--nodes 3,5,7] [--duration-ms D] [--bug NAME] [--read-mode M] [--until PROPERTY] [--out DIR] [--json]
  raft-sim bugs
  raft-sim lessons [--check] [--show ID] [--only ID] [--dir DIR] [--json]
  raft-sim bench [--json] [--sim-ms MS]";

/// A usage error: printed as one line, exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl From<SimError> for UsageError {
    fn from(e: SimError) -> Self {
        UsageError(e.to_string())
    }
}

/// Run the CLI; returns the exit code. Output goes to `out`, errors to `err`.
pub fn main_with(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out) {
        Ok(code) => code,
        Err(UsageError(msg)) => {
            // One line, so scripts can show it as is; a number from the command line or a
            // scenario file is shortened like every number in an error.
            let msg = crate::error::shorten_numbers(&msg);
            let _ = writeln!(err, "error: {msg} (raft-sim help shows the usage)");
            EXIT_USAGE
        }
    }
}

pub(crate) struct Flags {
    pub(crate) positional: Vec<String>,
    values: Vec<(String, String)>,
    switches: Vec<String>,
}

/// Split arguments into positionals, `--name value` pairs and `--switch`es; reject unknown names.
pub(crate) fn parse_flags(
    args: &[String],
    with_value: &[&str],
    switches: &[&str],
) -> Result<Flags, UsageError> {
    let mut f = Flags {
        positional: Vec::new(),
        values: Vec::new(),
        switches: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(name) = a.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            if with_value.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i)
                            .cloned()
                            .ok_or_else(|| UsageError(format!("--{name} needs a value")))?
                    }
                };
                if f.values.iter().any(|(n, _)| n == name) {
                    return Err(UsageError(format!("--{name} given twice")));
                }
                f.values.push((name.to_string(), v));
            } else if switches.contains(&name) && inline.is_none() {
                f.switches.push(name.to_string());
            } else {
                return Err(UsageError(format!("unknown flag --{name}")));
            }
        } else if a.starts_with('-') && a.len() > 1 {
            return Err(UsageError(format!("unknown flag {a}")));
        } else {
            f.positional.push(a.clone());
        }
        i += 1;
    }
    Ok(f)
}

impl Flags {
    pub(crate) fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub(crate) fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
    fn number(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, UsageError> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => {
                let n: u64 = v.parse().map_err(|_| {
                    UsageError(format!("--{name} must be a whole number, got \"{v}\""))
                })?;
                if n < min || n > max {
                    return Err(UsageError(format!(
                        "--{name} must be between {min} and {max}, got {n}"
                    )));
                }
                Ok(Some(n))
            }
        }
    }
}

fn dispatch(args: &[String], out: &mut dyn Write) -> Result<i32, UsageError> {
    let Some(cmd) = args.first() else {
        return Err(UsageError("no command given".into()));
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "run" => cmd_run(rest, out),
        "fuzz" => cmd_fuzz(rest, out),
        "bugs" => {
            let f = parse_flags(rest, &[], &[])?;
            if !f.positional.is_empty() {
                return Err(UsageError(format!(
                    "bugs takes no arguments, got \"{}\"",
                    f.positional[0]
                )));
            }
            for b in BUG_NAMES {
                let _ = writeln!(out, "{b:24} {}", bug_description(b));
            }
            Ok(EXIT_OK)
        }
        "bench" => cmd_bench(rest, out),
        "lessons" => crate::cli_lessons::cmd_lessons(rest, out),
        "help" | "--help" | "-h" => {
            let _ = writeln!(out, "{USAGE}");
            Ok(EXIT_OK)
        }
        other => Err(UsageError(format!("unknown command \"{other}\""))),
    }
}

fn cmd_run(args: &[String], out: &mut dyn Write) -> Result<i32, UsageError> {
    let f = parse_flags(args, &[], &["json", "trace"])?;
    let [file] = f.positional.as_slice() else {
        return Err(UsageError("run needs exactly one scenario file".into()));
    };
    let text = std::fs::read_to_string(file)
        .map_err(|e| UsageError(format!("cannot read {file}: {e}")))?;
    if f.has("trace") {
        print_trace(&text, out).map_err(|e| UsageError(format!("{file}: {e}")))?;
    }
    let started = Instant::now();
    let sim = crate::scenario::Scenario::from_json(&text)
        .and_then(|s| Simulation::check_replay_length(&s).map(|()| s))
        .and_then(Simulation::from_scenario)
        .map_err(|e| UsageError(format!("{file}: {e}")))?;
    let report = sim.check();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let liveness_pending = sim.liveness_pending_ms();
    if f.has("json") {
        let v = serde_json::json!({
            "ok": report.ok,
            "livenessChecked": liveness_pending.is_none(),
            "endMs": sim.now_ms(),
            "events": sim.events_total(),
            "traceHash": format!("{:016x}", sim.trace_hash()),
            "violations": report.violations,
            "elapsed_ms": elapsed_ms,
        });
        let _ = writeln!(out, "{v}");
    } else {
        // The title comes from the file: printed with control characters escaped, so it cannot
        // move the cursor, clear the line or fake a line of output.
        let title = sim
            .recorded_scenario()
            .title
            .clone()
            .unwrap_or_else(|| file.clone());
        let _ = writeln!(
            out,
            "{}: ran to {} ms, {} events, trace hash {:016x}",
            escape_controls(&title),
            sim.now_ms(),
            sim.events_total(),
            sim.trace_hash()
        );
        if !report.ok {
            let _ = writeln!(out, "checkers: {} violation(s)", report.violations.len());
            for v in &report.violations {
                let _ = writeln!(out, "  [{} at {} ms] {}", v.property, v.at_ms, v.detail);
            }
        } else if let Some(due) = liveness_pending {
            let _ = writeln!(
                out,
                "checkers: safety ok; liveness NOT CHECKED: its window ends at {} ms, after the run's end at {} ms",
                crate::error::short_number(due),
                crate::error::short_number(sim.now_ms())
            );
        } else {
            let _ = writeln!(out, "checkers: ok");
        }
    }
    Ok(if !report.ok {
        EXIT_VIOLATION
    } else if liveness_pending.is_some() {
        EXIT_NOT_CHECKED
    } else {
        EXIT_OK
    })
}

/// Text from a file, safe to print on a terminal: control characters (ESC, CR, LF, ...) and
/// the bidirectional overrides are written as `\u{..}` escapes.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Replay a scenario action by action through the live API, printing every trace event as a
/// JSON line (the same run as `from_scenario`, by the timeline rules).
fn print_trace(text: &str, out: &mut dyn Write) -> Result<(), SimError> {
    let scenario = crate::scenario::Scenario::from_json(text)?;
    let mut sim = Simulation::new(scenario.config.clone())?;
    if let Some(l) = scenario.liveness {
        sim.set_liveness(l.from_ms, l.bound_ms)?;
    }
    let dump = |events: Vec<crate::trace::TraceEvent>, out: &mut dyn Write| {
        for e in events {
            let _ = writeln!(out, "{}", serde_json::to_string(&e).expect("serializes"));
        }
    };
    for (i, ta) in scenario.actions.iter().enumerate() {
        let events = sim.advance(ta.at_ms - sim.now_ms())?;
        dump(events, out);
        sim.apply(ta.action.clone())
            .map_err(|e| e.within(&format!("actions[{i}].action")))?;
    }
    let end = scenario.end_ms.unwrap_or(sim.now_ms());
    let events = sim.advance(end - sim.now_ms())?;
    dump(events, out);
    Ok(())
}

fn cmd_fuzz(args: &[String], out: &mut dyn Write) -> Result<i32, UsageError> {
    let f = parse_flags(
        args,
        &[
            "seeds",
            "seed-start",
            "nodes",
            "duration-ms",
            "bug",
            "out",
            "read-mode",
            "until",
        ],
        &["json"],
    )?;
    if let Some(p) = f.positional.first() {
        return Err(UsageError(format!("unexpected argument \"{p}\"")));
    }
    let seeds = f
        .number("seeds", 1, FUZZ_SEEDS_MAX)?
        .ok_or_else(|| UsageError("fuzz needs --seeds N".into()))?;
    let start = f
        .number("seed-start", 0, u64::MAX - FUZZ_SEEDS_MAX)?
        .unwrap_or(0);
    let mut opts = FuzzOptions::default();
    if let Some(d) = f.number("duration-ms", 100, FUZZ_DURATION_MS_MAX)? {
        opts.duration_ms = d;
    }
    if let Some(list) = f.value("nodes") {
        let mut nodes = Vec::new();
        for part in list.split(',') {
            let n: u64 = part.trim().parse().map_err(|_| {
                UsageError(format!(
                    "--nodes must be a comma-separated list of sizes, got \"{list}\""
                ))
            })?;
            if n == 0 || n > crate::config::NODES_MAX {
                return Err(UsageError(format!(
                    "--nodes: cluster sizes must be between 1 and {}, got {n}",
                    crate::config::NODES_MAX
                )));
            }
            nodes.push(n);
        }
        opts.nodes = nodes;
    }
    if let Some(b) = f.value("bug") {
        crate::config::check_bug_name("--bug", b)?;
        opts.bug = Some(b.to_string());
    }
    if let Some(m) = f.value("read-mode") {
        opts.read_mode = match m {
            "readIndex" => crate::config::ReadMode::ReadIndex,
            "lease" => crate::config::ReadMode::Lease,
            "staleFollower" => crate::config::ReadMode::StaleFollower,
            other => {
                return Err(UsageError(format!(
                    "--read-mode must be readIndex, lease or staleFollower, got \"{other}\""
                )))
            }
        };
    }
    let until = match f.value("until") {
        None => None,
        Some(p) if crate::checker::is_property(p) => Some(p.to_string()),
        Some(p) => {
            let names: Vec<&str> = crate::checker::PROPERTIES.iter().map(|(n, _)| *n).collect();
            return Err(UsageError(format!(
                "--until: unknown property \"{p}\"; properties are {}",
                names.join(", ")
            )));
        }
    };
    let out_dir = f.value("out").unwrap_or(".").to_string();
    let json = f.has("json");
    let started = Instant::now();
    let mut events = 0u64;
    let mut ran = 0u64;
    let mut lin_given_up = 0u64;
    // Seeds that violated something, but not the property `--until` hunts for.
    let mut passed_over = 0u64;
    let mut found: Option<crate::fuzz::FuzzOutcome> = None;
    for seed in start..start + seeds {
        let o = match std::panic::catch_unwind(|| fuzz_one(seed, &opts)) {
            Ok(o) => o,
            Err(panic) => {
                // An assertion (on in the `fuzz` profile) fired: the seed is the finding.
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let _ = writeln!(out, "seed {seed}: assertion failed: {msg}");
                return Ok(EXIT_VIOLATION);
            }
        };
        events += o.events;
        ran += 1;
        lin_given_up += o.lin_keys_given_up as u64;
        let hit = match &until {
            None => !o.violations.is_empty(),
            Some(p) => o.violations.iter().any(|v| &v.property == p),
        };
        if hit {
            found = Some(o);
            break;
        }
        if !o.violations.is_empty() {
            passed_over += 1;
        }
    }
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let mut file_written = None;
    if let Some(o) = &found {
        let path = std::path::Path::new(&out_dir).join(format!("raft-sim-seed-{}.json", o.seed));
        let mut scenario = o.scenario.clone();
        scenario.title = Some(format!(
            "fuzz seed {}{}: {}",
            o.seed,
            opts.bug
                .as_ref()
                .map(|b| format!(" with bug {b}"))
                .unwrap_or_default(),
            o.properties().join(", ")
        ));
        let text = serde_json::to_string_pretty(&scenario).expect("scenario serializes");
        std::fs::write(&path, text)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
        let _ = writeln!(
            out,
            "seed {}: {} violation(s) of {}; first: [{}] {}",
            o.seed,
            o.violations.len(),
            o.properties().join(", "),
            o.violations[0].property,
            o.violations[0].detail
        );
        let _ = writeln!(out, "reproduce with: raft-sim run {}", path.display());
        file_written = Some(path.display().to_string());
    } else if !json {
        let hunted = until
            .as_ref()
            .map(|p| format!(" of {p} ({passed_over} seeds violated something else)"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{ran} seeds, {events} events, 0 violations{hunted}, {elapsed_ms} ms"
        );
    }
    if json {
        let v = serde_json::json!({
            "seeds": ran,
            "events": events,
            "violations": found.as_ref().map_or(0, |o| o.violations.len()),
            "elapsed_ms": elapsed_ms,
            "seed": found.as_ref().map(|o| o.seed),
            "property": found.as_ref().map(|o| o.violations[0].property.clone()),
            "until": until,
            "passedOver": passed_over,
            "scenarioFile": file_written,
            "bug": opts.bug,
            "linKeysGivenUp": lin_given_up,
            "properties": found.as_ref().map(|o| o.properties()).unwrap_or_default(),
        });
        let _ = writeln!(out, "{v}");
    }
    Ok(if found.is_some() {
        EXIT_VIOLATION
    } else {
        EXIT_OK
    })
}

/// The benchmark: 5 nodes, 50 ms heartbeats, one client writing every 20 ms.
pub fn bench_config() -> SimConfig {
    SimConfig {
        nodes: 5,
        seed: 1,
        heartbeat_ms: 50,
        client_write_every_ms: 20,
        clients: 1,
        ..SimConfig::default()
    }
}

fn cmd_bench(args: &[String], out: &mut dyn Write) -> Result<i32, UsageError> {
    let f = parse_flags(args, &["sim-ms"], &["json"])?;
    if let Some(p) = f.positional.first() {
        return Err(UsageError(format!("unexpected argument \"{p}\"")));
    }
    let sim_ms = f.number("sim-ms", 1_000, 86_400_000)?.unwrap_or(120_000);
    let mut sim = Simulation::new(bench_config())?;
    let started = Instant::now();
    let mut trace_events = 0u64;
    let step_ms = 1_000;
    let mut done = 0;
    while done < sim_ms {
        trace_events += sim.advance_ms(step_ms).len() as u64;
        done += step_ms;
    }
    let wall = started.elapsed().as_secs_f64();
    // Seeking: back to the start, then to the end (replay from checkpoints).
    let seek_started = Instant::now();
    sim.seek(sim_ms as f64 / 2.0)?;
    let seek_mid_ms = seek_started.elapsed().as_secs_f64() * 1000.0;
    let seek_started = Instant::now();
    sim.seek(sim_ms as f64 - 1.0)?;
    let seek_end_ms = seek_started.elapsed().as_secs_f64() * 1000.0;
    let report = sim.check();
    let completed: u64 = sim.state().clients.iter().map(|c| c.completed).sum();
    let events_per_sec = trace_events as f64 / wall;
    let sim_s_per_wall_s = (sim_ms as f64 / 1000.0) / wall;
    if f.has("json") {
        let v = serde_json::json!({
            "simMs": sim_ms,
            "wallMs": wall * 1000.0,
            "events": trace_events,
            "eventsPerSec": events_per_sec.round(),
            "simSecondsPerWallSecond": (sim_s_per_wall_s * 10.0).round() / 10.0,
            "clientOpsCompleted": completed,
            "seekMidMs": seek_mid_ms,
            "seekEndMs": seek_end_ms,
            "checkpoints": sim.checkpoint_count(),
            "ok": report.ok,
        });
        let _ = writeln!(out, "{v}");
    } else {
        let _ = writeln!(
            out,
            "5 nodes, 50 ms heartbeats, a client writing every 20 ms, {} simulated seconds:",
            sim_ms / 1000
        );
        let _ = writeln!(
            out,
            "  {trace_events} trace events in {:.0} ms wall",
            wall * 1000.0
        );
        let _ = writeln!(
            out,
            "  {events_per_sec:.0} events/s, {sim_s_per_wall_s:.1} simulated s per wall s"
        );
        let _ = writeln!(
            out,
            "  {completed} client ops completed; checkers ok: {}",
            report.ok
        );
        let _ = writeln!(
            out,
            "  seek to the middle {seek_mid_ms:.1} ms, to the end {seek_end_ms:.1} ms ({} checkpoints)",
            sim.checkpoint_count()
        );
    }
    Ok(EXIT_OK)
}
