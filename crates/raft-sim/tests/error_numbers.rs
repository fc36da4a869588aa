//! Issue 12: an error once printed a hostile number in full (`1e300` as 301 digits). Every
//! number in an error from a link, a scenario or the CLI is shortened: here every numeric value
//! of every real scenario (config, actions, times) is replaced in turn by huge and tiny values,
//! and every error that comes back must be short.

use std::process::Command;

use raft_sim::error::shorten_numbers;
use raft_sim::{Scenario, Simulation};
use serde_json::Value;

/// Values a hostile link or file may hold, as JSON number literals.
fn hostile() -> Vec<String> {
    vec![
        "1e300".into(),
        "-1e300".into(),
        "1.8e16".into(),
        "-18446744073709551617".into(),
        format!("1{}", "0".repeat(400)),
        format!("-{}.5", "9".repeat(60)),
        "0.00000000000000000000123".into(),
    ]
}

/// The longest run of digits in `text`, ignoring a run glued to a letter (`x123`).
fn longest_digit_run(text: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn assert_short(what: &str, message: &str) {
    assert!(
        longest_digit_run(message) <= 16,
        "{what}: a long number in {message:?}"
    );
    assert!(
        message.len() <= 600,
        "{what}: {} characters: {message:?}",
        message.len()
    );
    assert_eq!(shorten_numbers(message), message, "{what}");
}

fn real_scenarios() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") && !path.ends_with("hashes.json") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(Scenario::from_json(&text).unwrap().to_json());
        }
    }
    assert!(out.len() >= 4, "found {} scenarios", out.len());
    out
}

/// Paths to every number in `v` (object keys and array indexes).
fn number_paths(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Number(_) => out.push(path.clone()),
        Value::Object(map) => {
            for (k, x) in map {
                path.push(k.clone());
                number_paths(x, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(i.to_string());
                number_paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `json` with the number at `path` replaced by the literal `literal` (kept as written: a
/// 400-digit integer is not representable in serde_json's Value).
fn replace_at(json: &Value, path: &[String], literal: &str) -> String {
    const MARK: &str = "\"@@HOSTILE@@\"";
    let mut v = json.clone();
    let mut at = &mut v;
    for key in path {
        at = match at {
            Value::Object(map) => map.get_mut(key).unwrap(),
            Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *at = Value::String("@@HOSTILE@@".into());
    v.to_string().replace(MARK, literal)
}

#[test]
fn every_number_in_a_scenario_error_is_short_whatever_the_value() {
    let mut errors = 0;
    for text in real_scenarios() {
        let json: Value = serde_json::from_str(&text).unwrap();
        let mut paths = Vec::new();
        number_paths(&json, &mut Vec::new(), &mut paths);
        for path in &paths {
            for literal in hostile() {
                let input = replace_at(&json, path, &literal);
                // Parsing and validation, then the replay (a precondition refused when applied).
                if let Err(e) = Scenario::from_json(&input)
                    .and_then(|_| Simulation::from_json(&input).map(|_| ()))
                {
                    errors += 1;
                    assert_short(
                        &format!("{} = {}", path.join("."), &literal[..literal.len().min(24)]),
                        &e.to_string(),
                    );
                }
            }
        }
    }
    // The test saw real errors (most of these values are refused).
    assert!(errors > 100, "only {errors} errors");
}

#[test]
fn the_cli_prints_short_numbers_in_its_errors() {
    let long = "9".repeat(400);
    let dir = std::env::temp_dir().join(format!("raft-sim-numbers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("past.json");
    std::fs::write(
        &file,
        format!(r#"{{"config":{{"nodes":3}},"actions":[{{"atMs":5,"action":{{"type":"crash","node":1}}}}],"endMs":0.{}1}}"#, "0".repeat(300)),
    )
    .unwrap();
    for args in [
        vec!["fuzz".to_string(), "--seeds".into(), long.clone()],
        vec!["bench".to_string(), "--sim-ms".into(), long.clone()],
        vec!["run".to_string(), file.to_str().unwrap().to_string()],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert_short(&args[0], stderr.trim_end());
    }
}
