//! The safety checkers, fed by hand: each property of Figure 3 fires on the observation that
//! breaks it and stays quiet on the legal one next to it.

use raft_core::{Entry, HardState, LogIndex, NodeId, Role, Term};
use raft_sim::checker::SafetyChecker;

fn e(index: u64, term: u64, data: &str) -> Entry {
    Entry::normal(LogIndex(index), Term(term), data.as_bytes().to_vec())
}

fn props(c: &SafetyChecker) -> Vec<String> {
    c.violations().iter().map(|v| v.property.clone()).collect()
}

#[test]
fn election_safety_allows_one_leader_per_term() {
    let mut c = SafetyChecker::new();
    c.on_role(0.0, NodeId(1), Role::Leader, Term(3));
    c.on_role(1.0, NodeId(2), Role::Leader, Term(4));
    assert!(c.violations().is_empty());
    c.on_role(2.0, NodeId(3), Role::Leader, Term(4));
    assert_eq!(props(&c), ["electionSafety"]);
}

#[test]
fn log_matching_requires_the_same_entry_for_the_same_index_and_term() {
    let mut c = SafetyChecker::new();
    c.on_log_write(0.0, NodeId(1), None, &[e(1, 1, "a"), e(2, 1, "b")]);
    c.on_log_write(0.0, NodeId(2), None, &[e(1, 1, "a"), e(2, 1, "b")]);
    assert!(c.violations().is_empty());
    c.on_log_write(0.0, NodeId(3), None, &[e(1, 1, "a"), e(2, 1, "X")]);
    assert_eq!(props(&c), ["logMatching"]);
}

#[test]
fn a_leader_never_truncates_its_own_log() {
    let mut c = SafetyChecker::new();
    c.on_truncate_event(0.0, NodeId(1), LogIndex(3), LogIndex(4));
    assert!(c.violations().is_empty(), "a follower may truncate");
    c.on_role(1.0, NodeId(1), Role::Leader, Term(2));
    c.on_truncate_event(2.0, NodeId(1), LogIndex(3), LogIndex(4));
    assert_eq!(props(&c), ["leaderAppendOnly"]);
}

#[test]
fn a_new_leader_must_hold_every_committed_entry() {
    let mut c = SafetyChecker::new();
    c.on_log_write(0.0, NodeId(1), None, &[e(1, 1, "a"), e(2, 1, "b")]);
    c.on_commit(0.0, NodeId(1), LogIndex(0), LogIndex(2));
    c.on_log_write(
        0.0,
        NodeId(2),
        None,
        &[e(1, 1, "a"), e(2, 1, "b"), e(3, 2, "c")],
    );
    c.on_role(1.0, NodeId(2), Role::Leader, Term(2));
    c.check_leader_completeness(1.0, NodeId(2), Term(2));
    assert!(c.violations().is_empty());
    c.on_log_write(0.0, NodeId(3), None, &[e(1, 1, "a")]);
    c.on_role(2.0, NodeId(3), Role::Leader, Term(3));
    c.check_leader_completeness(2.0, NodeId(3), Term(3));
    assert_eq!(props(&c), ["leaderCompleteness"]);
}

#[test]
fn leader_completeness_checks_from_just_past_a_new_leaders_snapshot() {
    let mut c = SafetyChecker::new();
    c.on_log_write(
        0.0,
        NodeId(1),
        None,
        &[e(1, 1, "a"), e(2, 1, "b"), e(3, 1, "c")],
    );
    c.on_commit(0.0, NodeId(1), LogIndex(0), LogIndex(3));
    // Entry 3 is covered by this leader's snapshot: nothing after it is missing.
    c.on_snapshot(NodeId(2), LogIndex(3), Term(1));
    c.on_role(1.0, NodeId(2), Role::Leader, Term(2));
    c.check_leader_completeness(1.0, NodeId(2), Term(2));
    assert!(c.violations().is_empty(), "{:?}", props(&c));
    // This one's snapshot ends at 2, and committed entry 3, the first after it, is missing.
    c.on_snapshot(NodeId(3), LogIndex(2), Term(1));
    c.on_role(2.0, NodeId(3), Role::Leader, Term(3));
    c.check_leader_completeness(2.0, NodeId(3), Term(3));
    assert_eq!(props(&c), ["leaderCompleteness"]);
}

#[test]
fn two_nodes_may_not_apply_different_entries_at_one_index() {
    let mut c = SafetyChecker::new();
    c.on_apply(0.0, NodeId(1), &[e(1, 1, "a")]);
    c.on_apply(0.0, NodeId(2), &[e(1, 1, "a")]);
    assert!(c.violations().is_empty());
    c.on_apply(0.0, NodeId(3), &[e(1, 2, "z")]);
    assert_eq!(props(&c), ["stateMachineSafety"]);
}

#[test]
fn a_committed_entry_never_changes() {
    let mut c = SafetyChecker::new();
    c.on_log_write(0.0, NodeId(1), None, &[e(1, 1, "a")]);
    c.on_commit(0.0, NodeId(1), LogIndex(0), LogIndex(1));
    c.on_log_write(0.0, NodeId(2), None, &[e(1, 2, "other")]);
    c.on_commit(0.0, NodeId(2), LogIndex(0), LogIndex(1));
    assert!(
        props(&c).contains(&"committedEntryChanged".to_string()),
        "{:?}",
        props(&c)
    );
}

#[test]
fn a_leader_commits_only_entries_of_its_own_term_by_counting() {
    let mut c = SafetyChecker::new();
    c.on_role(0.0, NodeId(1), Role::Leader, Term(3));
    c.on_log_write(0.0, NodeId(1), None, &[e(1, 1, "old"), e(2, 3, "noop")]);
    c.on_commit(0.0, NodeId(1), LogIndex(0), LogIndex(2));
    assert!(
        c.violations().is_empty(),
        "committing its own entry commits the older one too"
    );
    let mut c = SafetyChecker::new();
    c.on_role(0.0, NodeId(1), Role::Leader, Term(3));
    c.on_log_write(0.0, NodeId(1), None, &[e(1, 1, "old"), e(2, 3, "noop")]);
    c.on_commit(0.0, NodeId(1), LogIndex(0), LogIndex(1));
    assert_eq!(props(&c), ["leaderCommitsOwnTerm"]);
}

#[test]
fn the_persisted_vote_is_cast_once_per_term_and_the_term_never_goes_back() {
    let mut c = SafetyChecker::new();
    let hs = |term, vote: Option<u64>| HardState {
        term: Term(term),
        vote: vote.map(NodeId),
        commit: LogIndex(0),
    };
    c.on_persist_hard_state(0.0, NodeId(1), hs(1, None), hs(1, Some(2)));
    c.on_persist_hard_state(0.0, NodeId(1), hs(1, Some(2)), hs(2, Some(3)));
    assert!(c.violations().is_empty());
    c.on_persist_hard_state(0.0, NodeId(1), hs(2, Some(3)), hs(2, Some(4)));
    c.on_persist_hard_state(0.0, NodeId(1), hs(2, Some(4)), hs(1, None));
    assert_eq!(props(&c), ["singleVotePerTerm", "monotonicTerm"]);
}

#[test]
fn leader_completeness_binds_leaders_of_later_terms_only() {
    // Entry 2 is committed in term 5. A candidate of term 4 that collected its votes in term 4
    // may still become leader after that (its vote replies were delayed); it does not need the
    // entry, and cannot overwrite it. A leader of term 6 must have it.
    let mut c = SafetyChecker::new();
    c.on_role(0.0, NodeId(1), Role::Leader, Term(5));
    c.on_log_write(0.0, NodeId(1), None, &[e(1, 1, "a"), e(2, 5, "b")]);
    c.on_commit(0.0, NodeId(1), LogIndex(0), LogIndex(2));
    c.on_log_write(0.0, NodeId(2), None, &[e(1, 1, "a")]);
    c.on_role(1.0, NodeId(2), Role::Leader, Term(4));
    c.check_leader_completeness(1.0, NodeId(2), Term(4));
    assert!(c.violations().is_empty(), "{:?}", props(&c));
    c.on_log_write(0.0, NodeId(3), None, &[e(1, 1, "a")]);
    c.on_role(2.0, NodeId(3), Role::Leader, Term(6));
    c.check_leader_completeness(2.0, NodeId(3), Term(6));
    assert_eq!(props(&c), ["leaderCompleteness"]);
}

/// docs/API.md's table of checker properties is `PROPERTIES`, word for word: one list, so a
/// property added to the checkers without its meaning in the docs fails here.
#[test]
fn the_api_docs_list_every_checker_property_and_no_other() {
    let api =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/API.md")).unwrap();
    let start = api
        .find("### What the checkers check")
        .expect("the section");
    let section = &api[start..];
    let section = &section[..section[4..].find("\n#").map_or(section.len(), |i| i + 4)];
    let documented: Vec<(String, String)> = section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((name.to_string(), cells.get(2)?.to_string()))
        })
        .collect();
    let names: Vec<&str> = documented.iter().map(|(n, _)| n.as_str()).collect();
    let listed: Vec<&str> = raft_sim::checker::PROPERTIES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(names, listed);
    for ((name, doc), (_, meaning)) in documented.iter().zip(raft_sim::checker::PROPERTIES) {
        assert!(
            doc.starts_with(meaning),
            "{name}: docs say {doc:?}, the code {meaning:?}"
        );
    }
}
