//! §5.4: the election restriction and committing entries from previous terms.
mod common;
use common::*;
use raft_core::*;

/// "The RPC includes information about the candidate's log." Reference: §5.4.1.
#[test]
fn a_vote_request_carries_the_candidates_last_log_index_and_term() {
    let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 2)], paper);
    n.campaign();
    let d = drain(&mut n);
    for m in of_kind(&d.messages, MessageKind::Vote) {
        assert_eq!(
            m.payload,
            Payload::Vote {
                last_index: LogIndex(2),
                last_term: Term(2),
                transfer: false
            }
        );
        assert_eq!(m.term, Term(3));
    }
}

/// "The voter denies its vote if its own log is more up-to-date than that of the candidate ...
/// If the logs have last entries with different terms, then the log with the later term is more
/// up-to-date. If the logs end with the same term, then whichever log is longer is more
/// up-to-date." Reference: §5.4.1.
#[test]
fn a_voter_refuses_a_candidate_whose_log_is_less_up_to_date() {
    // (voter log, candidate last index, candidate last term, rejected)
    let cases: [(Log, u64, u64, bool); 9] = [
        (&[(1, 1)], 1, 1, false),
        (&[(1, 1)], 1, 2, false),
        (&[(1, 1), (2, 1)], 1, 1, true),
        (&[(1, 1), (2, 1)], 1, 2, false),
        (&[(1, 1), (2, 1)], 3, 1, false),
        (&[(1, 2)], 1, 1, true),
        (&[(1, 2)], 2, 1, true),
        (&[(1, 2)], 1, 3, false),
        (&[], 0, 0, false),
    ];
    for (log, li, lt, reject) in cases {
        let mut n = node_with_log(1, &ids(3), 2, log, paper);
        n.step(msg(
            2,
            1,
            3,
            Payload::Vote {
                last_index: LogIndex(li),
                last_term: Term(lt),
                transfer: false,
            },
        ))
        .unwrap();
        let d = drain(&mut n);
        let r = of_kind(&d.messages, MessageKind::VoteResp);
        assert_eq!(
            r[0].payload,
            Payload::VoteResp { reject },
            "log {log:?} cand {li}@{lt}"
        );
        if reject {
            assert!(d.events.iter().any(|e| matches!(
                e,
                Event::VoteDenied { reason: DenyReason::LogBehind { candidate_last_index, candidate_last_term, .. }, .. }
                    if *candidate_last_index == LogIndex(li) && *candidate_last_term == Term(lt)
            )));
        }
    }
}

/// "Raft never commits log entries from previous terms by counting replicas. Only log entries
/// from the leader's current term are committed by counting replicas." Reference: §5.4.2.
#[test]
fn a_leader_commits_by_counting_replicas_only_entries_of_its_current_term() {
    // (acked index, commit afterwards) for a term-3 leader whose log is 1@1 2@2 3@3(no-op).
    for (bug, cases) in [
        (false, [(1, 0), (2, 0), (3, 3)]),
        (true, [(1, 1), (2, 2), (3, 3)]),
    ] {
        for (index, want) in cases {
            let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 2)], |c| {
                paper(c);
                c.bugs.commit_old_term = bug;
            });
            make_leader(&mut n);
            n.step(msg(
                2,
                1,
                3,
                Payload::AppendResp {
                    reject: false,
                    index: LogIndex(index),
                    reject_hint: LogIndex(0),
                    hint_term: Term(0),
                },
            ))
            .unwrap();
            drain(&mut n);
            assert_eq!(
                n.status().commit,
                LogIndex(want),
                "bug {bug}, acked {index}"
            );
        }
    }
}

/// Whether an index was applied with different entries on different nodes.
fn conflicting_applies(c: &Cluster) -> bool {
    let mut at: std::collections::BTreeMap<LogIndex, Term> = Default::default();
    for applied in c.applied.values() {
        for e in applied {
            if let Some(t) = at.insert(e.index, e.term) {
                if t != e.term {
                    return true;
                }
            }
        }
    }
    false
}

/// Figure 8 run to the end: S1 (term 4) puts its term-2 entry on a majority; S5 (whose last
/// entry has term 3) can still win and overwrite it. Counting replicas of the old entry would
/// have committed something that is later lost. Reference: §5.4.2, Figure 8.
#[test]
fn figure_8_an_old_term_entry_on_a_majority_is_not_committed_and_may_be_overwritten() {
    for bug in [false, true] {
        let tweak = |c: &mut Config| {
            paper(c);
            c.max_entries_per_append = 1;
            c.bugs.commit_old_term = bug;
        };
        let logs: [Log; 5] = [
            &[(1, 1), (2, 2)],
            &[(1, 1)],
            &[(1, 1)],
            &[(1, 1)],
            &[(1, 1), (2, 3)],
        ];
        let mut c = Cluster::empty();
        for (i, log) in logs.iter().enumerate() {
            let id = i as u64 + 1;
            let mut cfg = config(id, &ids(5));
            tweak(&mut cfg);
            let node = node_with_log(id, &ids(5), 3, log, tweak);
            c.insert(cfg, node, PersistedState::default());
        }
        c.cut_link(1, 4);
        c.cut_link(1, 5);
        // (c): S1 leads term 4 and copies 2@2 to S2 and S3, but its no-op never arrives.
        c.rewrite = Some(|mut m| {
            if let Payload::Append { entries, .. } = &mut m.payload {
                entries.retain(|e| e.term != Term(4));
            }
            Some(m)
        });
        c.elect(1);
        c.run_for(20);
        assert_eq!(c.log_terms(2), vec![(1, 1), (2, 2)]);
        assert_eq!(c.log_terms(3), vec![(1, 1), (2, 2)]);
        let s1_commit = c.status(1).commit;
        assert_eq!(
            s1_commit >= LogIndex(2),
            bug,
            "bug {bug}: S1 commit {s1_commit}"
        );
        // (d): S1 crashes; S5 is elected by S2, S3, S4 and overwrites index 2 everywhere.
        c.crash(1);
        c.heal();
        c.campaign(5); // term 4 was S1's: this round only teaches S5 the term
        c.elect(5);
        c.run_for(100);
        // With the bug S2 and S3 even report the lost entry as committed, so it is never repaired.
        for id in if bug { 4..=5 } else { 2..=5 } {
            assert_eq!(c.log_terms(id)[1], (2, 3), "node {id}");
        }
        assert_eq!(
            conflicting_applies(&c),
            bug,
            "bug {bug}: State Machine Safety"
        );
    }
}
