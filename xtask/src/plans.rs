//! Each lesson's plan (where the page pauses for each step, what it plays slowly into it:
//! docs/LESSONS.md), computed at build time and shipped inside the lesson file the page loads.
//!
//! The plans come from the lesson check itself (`raft_sim::lesson_check::check_folder`, the
//! function `raft-sim lessons --check` runs), over the very files being shipped, so the page
//! pauses where the check looked. The page used to ask the wasm for them, which kept the lesson
//! parser and checker in every download (about 90 KB raw) for results that only depend on files
//! shipped with the site (docs/DESIGN.md, "Wasm size").

use raft_sim::lesson_check::{check_folder, FolderReport};
use std::path::Path;

/// Checks the lessons in `dir` (a copy of web/lessons about to be shipped) and writes each one's
/// plan into its file as `plan`. Refuses, naming each lesson and what failed, when any lesson
/// fails its check: the page would pause where nothing was checked, or nowhere.
pub fn add_plans(dir: &Path) -> Result<(), String> {
    let report = check_folder(dir, None)
        .map_err(|err| format!("cannot check the lessons in {}: {err}", dir.display()))?;
    if !report.ok() {
        return Err(refusal(&report));
    }
    for outcome in &report.outcomes {
        let plan = outcome
            .plan()
            .map_err(|err| format!("lesson {}: {err}", outcome.id))?;
        let plan = serde_json::to_string(&plan).expect("a plan is numbers only");
        let path = dir.join(format!("{}.json", outcome.id));
        let text = std::fs::read_to_string(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let with = with_plan(&text, &plan)
            .ok_or_else(|| format!("{} is not a JSON object", path.display()))?;
        std::fs::write(&path, with)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    Ok(())
}

/// The lesson's text with `"plan": PLAN` added as its last field. The author's bytes stay as
/// they are (numbers included), so the page reads exactly what was checked. The check has
/// parsed the text as a lesson, an object whose fields are closed (`plan` is refused in a
/// lesson file), so the field cannot already be there.
fn with_plan(text: &str, plan: &str) -> Option<String> {
    let body = text.trim_end().strip_suffix('}')?.trim_end();
    Some(format!("{body},\n  \"plan\": {plan}\n}}\n"))
}

fn refusal(report: &FolderReport) -> String {
    let mut lines = vec![
        "the lessons fail their check, so the site is not built (each step's pause comes from it):"
            .to_string(),
    ];
    for f in &report.failed {
        let step = f.step.map_or(String::new(), |s| format!(" step {s}"));
        lines.push(format!("  lesson {}{step}: {}", f.lesson, f.error));
    }
    for u in &report.untranslated {
        lines.push(format!(
            "  lesson {} {}: no {}",
            u.lesson,
            u.field,
            u.missing.join(" or ")
        ));
    }
    lines.push(
        "  `cargo run -q -p raft-sim -- lessons --check --only ID` shows one lesson's check".into(),
    );
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{build, run};
    use raft_sim::lesson_check::lesson_plan;
    use serde_json::Value;

    /// A scratch copy of web/lessons under target/, as the site build makes it.
    fn copy_of_lessons(name: &str) -> std::path::PathBuf {
        let dir = run::root().join("target/xtask-tests").join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        build::copy_tree(&run::root().join("web/lessons"), &dir).unwrap();
        dir
    }

    #[test]
    fn every_shipped_plan_is_the_checks_and_the_rest_of_the_file_is_untouched() {
        let source = run::root().join("web/lessons");
        let dir = copy_of_lessons("plans");
        add_plans(&dir).unwrap();
        let index_text = std::fs::read_to_string(source.join("index.json")).unwrap();
        let index: Value = serde_json::from_str(&index_text).unwrap();
        let ids = index["lessons"].as_array().unwrap();
        assert!(ids.len() >= 20, "{} lessons", ids.len());
        for id in ids {
            let id = id.as_str().unwrap();
            let text = std::fs::read_to_string(source.join(format!("{id}.json"))).unwrap();
            let shipped = std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap();
            let mut shipped: Value = serde_json::from_str(&shipped).unwrap();
            let plan = shipped.as_object_mut().unwrap().remove("plan").unwrap();
            let expected = serde_json::to_value(lesson_plan(&index_text, &text).unwrap()).unwrap();
            assert_eq!(plan, expected, "{id}'s plan");
            let steps = shipped["steps"].as_array().unwrap().len();
            assert_eq!(
                plan.as_array().unwrap().len(),
                steps,
                "{id}: a plan step per step"
            );
            let original: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(shipped, original, "{id}: only the plan was added");
        }
    }

    #[test]
    fn a_lesson_that_fails_its_check_stops_the_build_and_is_named() {
        let dir = copy_of_lessons("failing");
        let path = dir.join("leader-crash.json");
        let text = std::fs::read_to_string(&path).unwrap();
        // A caption's claim the run does not bear out: the step expects a leader nobody is.
        let broken = text.replacen("\"leaders\": [", "\"leaders\": [9, ", 1);
        assert_ne!(
            broken, text,
            "leader-crash has a leaders expectation to break"
        );
        std::fs::write(&path, broken).unwrap();
        let err = add_plans(&dir).unwrap_err();
        assert!(err.contains("lesson leader-crash step"), "{err}");
        assert!(err.contains("leaders"), "{err}");
        // Nothing was written: no lesson file carries a plan.
        let election = std::fs::read_to_string(dir.join("election.json")).unwrap();
        assert!(!election.contains("\"plan\""));
    }

    #[test]
    fn the_plan_is_added_as_the_last_field() {
        let text = "{\n  \"id\": \"x\",\n  \"steps\": []\n}\n";
        let with = with_plan(text, "[]").unwrap();
        let v: Value = serde_json::from_str(&with).unwrap();
        assert_eq!(v["plan"], serde_json::json!([]));
        assert!(with.starts_with("{\n  \"id\": \"x\",\n  \"steps\": []"));
        assert_eq!(with_plan("[1]", "[]"), None);
    }
}
