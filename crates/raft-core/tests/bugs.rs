//! Each injected bug changes behaviour (so the simulator's checkers have something to catch).
//! `commit-old-term`, `forget-vote-on-restart`, `ack-before-persist` and `stale-read` have
//! their own tests next to the rule they break.
mod common;
use common::*;
use raft_core::*;

/// `vote-ignores-log`: the §5.4.1 up-to-date check is skipped.
#[test]
fn with_vote_ignores_log_a_voter_grants_a_candidate_whose_log_is_behind() {
    for bug in [false, true] {
        let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 2)], |c| {
            paper(c);
            c.bugs.vote_ignores_log = bug;
        });
        n.step(msg(
            2,
            1,
            3,
            Payload::Vote {
                last_index: LogIndex(1),
                last_term: Term(1),
                transfer: false,
            },
        ))
        .unwrap();
        let d = drain(&mut n);
        assert_eq!(
            of_kind(&d.messages, MessageKind::VoteResp)[0].payload,
            Payload::VoteResp { reject: !bug }
        );
    }
}

/// `skip-prev-log-check`: an append is accepted although the previous entry's term differs,
/// which breaks Log Matching (§5.3).
#[test]
fn with_skip_prev_log_check_a_mismatched_append_is_accepted() {
    for bug in [false, true] {
        let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 1)], |c| {
            paper(c);
            c.bugs.skip_prev_log_check = bug;
        });
        let app = Payload::Append {
            prev_index: LogIndex(2),
            prev_term: Term(2),
            entries: ents(&[(3, 3)]),
            commit: LogIndex(0),
        };
        n.step(msg(2, 1, 3, app)).unwrap();
        drain(&mut n);
        let s = n.status();
        assert_eq!(s.last_index, LogIndex(if bug { 3 } else { 2 }), "bug {bug}");
        if bug {
            // Entry 2 has term 1 here but term 2 at the leader, yet entry 3 follows it.
            assert_eq!(n.term_at(LogIndex(2)), Some(Term(1)));
        }
    }
}

/// No bug is on by default, and each name maps to its own flag.
#[test]
fn each_bug_name_turns_on_exactly_one_flag() {
    for name in Bugs::ALL_NAMES {
        let b = Bugs::from_names(&[name]).unwrap();
        assert_eq!(b.names(), vec![name]);
    }
    assert!(!Config::new(NodeId(1), ids(3)).bugs.any());
}
