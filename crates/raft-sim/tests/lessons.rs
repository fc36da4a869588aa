//! The lessons in web/lessons replay and every step's expectations hold (the same check as
//! `raft-sim lessons --check`), and the check can fail: a wrong expectation, a missing
//! translation, a typo, an unknown topic or a trigger that never fires each make it fail with a
//! message that says where.

use std::path::PathBuf;
use std::process::Command;

use raft_sim::lesson::{Lesson, LessonIndex};
use raft_sim::lesson_check::{check_folder, check_lesson, default_folder, untranslated};
use serde_json::{json, Value};

fn index() -> LessonIndex {
    LessonIndex::from_json(&std::fs::read_to_string(default_folder().join("index.json")).unwrap())
        .unwrap()
}

fn lesson_value(id: &str) -> Value {
    let text = std::fs::read_to_string(default_folder().join(format!("{id}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn parse(v: &Value) -> Result<Lesson, String> {
    Lesson::from_json(&v.to_string(), &index()).map_err(|e| e.to_string())
}

fn errors_of(v: &Value) -> Vec<String> {
    let o = check_lesson(&parse(v).unwrap());
    o.steps
        .iter()
        .flat_map(|s| {
            s.errors
                .iter()
                .map(move |e| format!("step {}: {e}", s.step))
        })
        .chain(o.error)
        .collect()
}

#[test]
fn every_shipped_lesson_passes_its_own_check() {
    let report = check_folder(&default_folder(), None).unwrap();
    assert!(report.lessons >= 2, "{report:?}");
    assert!(report.failed.is_empty(), "failed: {:#?}", report.failed);
    assert!(
        report.untranslated.is_empty(),
        "untranslated: {:#?}",
        report.untranslated
    );
    let index = index();
    for t in &report.topics {
        assert!(index.has_topic(t), "{t}");
    }
}

#[test]
fn a_wrong_expectation_fails_the_check_and_says_where() {
    let mut v = lesson_value("leader-crash");
    // Step 3: S2 wins term 2. Claim that S4 did.
    v["steps"][3]["expect"][0] = json!({ "leaders": [4] });
    let errs = errors_of(&v);
    assert_eq!(
        errs,
        vec!["step 3: leaders: expected [4], got [2]".to_string()]
    );

    let mut v = lesson_value("leader-crash");
    v["steps"][6]["expect"][0] = json!({ "node": 3, "logTerms": [1, 2, 2] });
    assert_eq!(
        errors_of(&v),
        vec!["step 6: node 3: logTerms[1]: expected 2, got 1".to_string()]
    );

    let mut v = lesson_value("election");
    v["steps"][3]["expect"] =
        json!([{ "happened": { "kind": "voteDenied", "reason": "logBehind" } }]);
    let errs = errors_of(&v);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("nothing happened since the previous step matches"),
        "{errs:?}"
    );
}

#[test]
fn each_expectation_kind_can_fail() {
    let cases = [
        json!({ "node": 3, "role": "follower" }),
        json!({ "node": 3, "termAt": { "1": 2 } }),
        json!({ "node": 3, "progress": { "4": { "matchIndex": 99 } } }),
        json!({ "leaders": [] }),
        json!({ "happened": { "kind": "nodeCrashed" } }),
        json!({ "happened": { "kind": "voteGranted", "to": 3 }, "times": 1 }),
        json!({ "notHappened": { "kind": "voteGranted" } }),
        json!({ "inFlight": { "type": "snapshot" } }),
        json!({ "link": [1, 2], "up": false }),
        json!({ "client": 1, "completed": 7 }),
        json!({ "violation": "electionSafety" }),
        json!({ "violations": 1 }),
    ];
    for case in cases {
        let mut v = lesson_value("election");
        v["steps"][3]["expect"] = json!([case]);
        let errs = errors_of(&v);
        assert_eq!(errs.len(), 1, "{case} should fail once: {errs:?}");
        // And the same step passes with no expectation, so it was this one that failed.
        v["steps"][3]["expect"] = json!([]);
        assert!(errors_of(&v).is_empty());
    }
}

#[test]
fn a_field_name_typo_lists_the_fields() {
    let mut v = lesson_value("election");
    v["steps"][0]["expect"] = json!([{ "node": 1, "comitIndex": 0 }]);
    let errs = errors_of(&v);
    assert!(
        errs[0].contains("node 1 has no field \"comitIndex\"; fields are:"),
        "{errs:?}"
    );
    assert!(errs[0].contains("commitIndex"), "{errs:?}");
}

#[test]
fn a_trigger_that_never_fires_says_what_did_happen() {
    let mut v = lesson_value("election");
    v["steps"][1]["on"] = json!({ "kind": "roleChanged", "to": "preCandidate", "node": 9 });
    let o = check_lesson(&parse(&v).unwrap());
    let err = o.error.unwrap();
    assert!(err.starts_with("steps[1].on: no event matches"), "{err}");
    assert!(
        err.contains("roleChanged event(s) happened, the first:"),
        "{err}"
    );
    // The step before it was still checked.
    assert_eq!(o.steps.len(), 1);
}

#[test]
fn a_missing_translation_is_reported() {
    let mut v = lesson_value("election");
    v["steps"][2]["caption"]["zh"] = json!("  ");
    v["title"] = json!({ "en": "Leader election" });
    let u = untranslated(&parse(&v).unwrap());
    let fields: Vec<(&str, Vec<&str>)> = u
        .iter()
        .map(|u| (u.field.as_str(), u.missing.clone()))
        .collect();
    assert_eq!(
        fields,
        vec![("title", vec!["zh"]), ("steps[2].caption", vec!["zh"])]
    );
}

#[test]
fn bad_lessons_are_refused_with_the_field_named() {
    let cases: [(&str, Value, &str); 7] = [
        (
            "topics",
            json!(["leader-election"]),
            "topics[0]: unknown topic \"leader-election\"; topics are: election-timeout",
        ),
        (
            "id",
            json!("Leader Crash"),
            "id: \"Leader Crash\" is not a kebab-case id",
        ),
        (
            "steps",
            json!([{ "atMs": 1, "on": { "kind": "x" } }]),
            "steps[0]: a step triggers either at a time",
        ),
        (
            "steps",
            json!([{ "on": { "node": 1 } }]),
            "steps[0].on.kind: an event pattern names the event's kind",
        ),
        (
            "steps",
            json!([{ "atMs": 1, "expect": [{ "node": 1, "leaders": [1] }] }]),
            "steps[0].expect[0]: an expectation has exactly one of",
        ),
        (
            "steps",
            json!([{ "atMs": 1, "expect": [{ "leaders": [1], "times": 2 }] }]),
            "steps[0].expect[0].times: not a field of a \"leaders\" expectation",
        ),
        (
            "steps",
            json!([{ "atMs": 1, "hilight": {} }]),
            "steps[0].hilight: unknown field `hilight`",
        ),
    ];
    for (key, value, needle) in cases {
        let mut v = lesson_value("election");
        v[key] = value;
        let err = parse(&v).unwrap_err();
        assert!(
            err.contains(needle),
            "{key}: expected {needle:?} in {err:?}"
        );
    }
    let mut v = lesson_value("election");
    v["view"] = json!("paper");
    assert!(parse(&v).unwrap_err().contains("scenario.config.preVote"));
}

#[test]
fn steps_go_forward_in_time_and_stay_within_the_run() {
    let mut v = lesson_value("leader-crash");
    v["steps"][5]["atMs"] = json!(1300);
    let err = check_lesson(&parse(&v).unwrap()).error.unwrap();
    assert!(
        err.contains("steps[5].atMs: 1300 is not after the previous step's moment"),
        "{err}"
    );
    v["steps"][5]["atMs"] = json!(5000);
    let err = check_lesson(&parse(&v).unwrap()).error.unwrap();
    assert!(
        err.contains("after the scenario's endMs (4000 ms)"),
        "{err}"
    );
}

#[test]
fn highlights_must_name_what_exists_at_the_step() {
    let mut v = lesson_value("election");
    v["steps"][0]["highlight"] = json!({ "nodes": [7], "log": [{ "node": 1, "index": 1 }] });
    let errs = errors_of(&v);
    assert!(
        errs.iter()
            .any(|e| e.contains("highlight: there is no node 7")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("node 1 has entries 1..=0")),
        "{errs:?}"
    );
    let mut v = lesson_value("election");
    v["steps"][0]["highlight"] = json!({ "messages": "trigger" });
    assert!(errors_of(&v)[0].contains("needs a step triggered by a message event"));
}

#[test]
fn drawn_majorities_must_be_what_they_claim() {
    // Refused on reading: the arithmetic of the claim, and the group's shape.
    let cases: [(Value, &str); 4] = [
        (
            json!([{ "name": "old", "nodes": [1], "of": [1, 2, 3] }]),
            "highlight.majorities[0].majority: 1 of 3 voters is not a majority",
        ),
        (
            json!([{ "name": "new", "nodes": [1, 2], "of": [1, 2, 3, 4], "majority": true }]),
            "highlight.majorities[0].majority: 2 of 4 voters is not a majority",
        ),
        (
            json!([{ "name": "old", "nodes": [1, 4], "of": [1, 2, 3] }]),
            "highlight.majorities[0].nodes: S4 is not one of the configuration's voters",
        ),
        (
            json!([
                { "name": "old", "nodes": [1, 2], "of": [1, 2, 3] },
                { "name": "old", "nodes": [2, 3], "of": [1, 2, 3] }
            ]),
            "highlight.majorities: at most two groups, one named \"old\" and one named \"new\"",
        ),
    ];
    for (groups, needle) in cases {
        let mut v = lesson_value("membership");
        v["steps"][6]["highlight"]["majorities"] = groups;
        let err = parse(&v).unwrap_err();
        assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    }
    // A non-majority said so is accepted; it is drawn as one that falls short.
    let mut v = lesson_value("membership");
    v["steps"][6]["highlight"]["majorities"] =
        json!([{ "name": "new", "nodes": [1, 2], "of": [1, 2, 3, 4, 5], "majority": false }]);
    assert!(errors_of(&v).is_empty(), "{:?}", errors_of(&v));
    // Checked on the run: a configuration no server has held, and servers not there yet.
    let mut v = lesson_value("membership");
    v["steps"][6]["highlight"]["majorities"] =
        json!([{ "name": "new", "nodes": [1, 2], "of": [1, 2, 4] }]);
    let errs = errors_of(&v);
    assert!(
        errs.iter().any(|e| e.starts_with("step 6: highlight.majorities[0]: no server has held the configuration [1, 2, 4] by now; voter sets so far: [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]")),
        "{errs:?}"
    );
    let mut v = lesson_value("membership");
    v["steps"][0]["highlight"]["majorities"] =
        json!([{ "name": "new", "nodes": [3, 4, 5], "of": [1, 2, 3, 4, 5] }]);
    let errs = errors_of(&v);
    assert!(
        errs.iter()
            .any(|e| e == "step 0: highlight.majorities[0]: there is no node 4"),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("no server has held the configuration [1, 2, 3, 4, 5] by now; voter sets so far: [1, 2, 3]")),
        "{errs:?}"
    );
}

fn tmp_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raft-lessons-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["index.json", "election.json"] {
        std::fs::copy(default_folder().join(f), dir.join(f)).unwrap();
    }
    std::fs::write(
        dir.join("index.js"),
        "import index from './index.json' with { type: 'json' };\nimport election from './election.json' with { type: 'json' };\n",
    )
    .unwrap();
    let mut index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    index["lessons"] = json!(["election"]);
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    dir
}

#[test]
fn a_lesson_file_the_index_does_not_list_fails() {
    let dir = tmp_folder("unlisted");
    assert!(check_folder(&dir, None).unwrap().ok());
    std::fs::copy(
        default_folder().join("leader-crash.json"),
        dir.join("leader-crash.json"),
    )
    .unwrap();
    let r = check_folder(&dir, None).unwrap();
    assert_eq!(r.failed.len(), 1, "{:?}", r.failed);
    assert!(r.failed[0]
        .error
        .contains("leader-crash.json is not listed in index.json"));
}

#[test]
fn the_cli_check_prints_one_json_line_last_and_exits_non_zero_on_failure() {
    let run = |dir: &PathBuf| {
        Command::new(env!("CARGO_BIN_EXE_raft-sim"))
            .args([
                "lessons",
                "--check",
                "--json",
                "--dir",
                dir.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let dir = tmp_folder("cli");
    let out = run(&dir);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let steps = lesson_value("election")["steps"].as_array().unwrap().len();
    assert_eq!(
        last,
        json!({
            "lessons": 1, "steps": steps, "failed": [], "untranslated": [],
            "topics": ["election-timeout", "vote-once-per-term"]
        })
    );

    let mut v = lesson_value("election");
    v["steps"][0]["caption"] = json!({ "en": "Five followers." });
    v["steps"][0]["expect"] = json!([{ "leaders": [1] }]);
    std::fs::write(dir.join("election.json"), v.to_string()).unwrap();
    let out = run(&dir);
    assert_eq!(out.status.code(), Some(1));
    let last: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        last["failed"],
        json!([{ "lesson": "election", "step": 0, "error": "leaders: expected [1], got []" }])
    );
    assert_eq!(
        last["untranslated"],
        json!([{ "lesson": "election", "field": "steps[0].caption", "missing": ["zh"] }])
    );

    let out = Command::new(env!("CARGO_BIN_EXE_raft-sim"))
        .args(["lessons", "--check", "--only", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("index.json lists no lesson \"nope\""));
}

#[test]
fn the_module_the_page_loads_must_import_every_listed_lesson_in_order() {
    let dir = tmp_folder("module");
    assert!(check_folder(&dir, None).unwrap().ok());
    std::fs::write(
        dir.join("index.js"),
        "import index from './index.json' with { type: 'json' };\n",
    )
    .unwrap();
    let r = check_folder(&dir, None).unwrap();
    assert_eq!(r.failed.len(), 1, "{:?}", r.failed);
    assert_eq!(r.failed[0].lesson, "index.js");
    assert!(
        r.failed[0]
            .error
            .contains("imports [] but index.json lists [\"election\"]"),
        "{}",
        r.failed[0].error
    );
}
