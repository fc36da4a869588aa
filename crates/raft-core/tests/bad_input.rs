//! Bad input is refused with a reason and never panics.
mod common;
use common::*;
use raft_core::*;

fn follower() -> RawNode {
    let mut c = config(1, &ids(3));
    paper(&mut c);
    RawNode::new(c, 0).unwrap()
}

fn empty_append(prev: u64, prev_term: u64, entries: Vec<Entry>, commit: u64) -> Payload {
    Payload::Append {
        prev_index: LogIndex(prev),
        prev_term: Term(prev_term),
        entries,
        commit: LogIndex(commit),
    }
}

/// A message is for one server (§5, RPCs are point to point); one given to another node is refused.
#[test]
fn a_message_for_another_node_is_refused() {
    let mut n = follower();
    let e = n.step(msg(2, 3, 1, Payload::TimeoutNow)).unwrap_err();
    assert_eq!(
        e,
        StepError::WrongRecipient {
            to: NodeId(3),
            me: NodeId(1)
        }
    );
    assert!(e.to_string().contains("node 3"));
}

/// Node 0 is "nobody" and a node never messages itself; both are refused.
#[test]
fn a_message_from_nobody_or_from_itself_is_refused() {
    let mut n = follower();
    assert_eq!(
        n.step(msg(0, 1, 1, Payload::TimeoutNow)).unwrap_err(),
        StepError::InvalidSender { from: NodeId(0) }
    );
    assert_eq!(
        n.step(msg(1, 1, 1, Payload::TimeoutNow)).unwrap_err(),
        StepError::InvalidSender { from: NodeId(1) }
    );
}

/// Only members answer the leader's RPCs (§6): a response from a stranger is refused.
#[test]
fn a_response_from_a_node_outside_the_configuration_is_refused() {
    let mut n = follower();
    make_leader(&mut n);
    let e = n
        .step(msg(9, 1, 1, Payload::HeartbeatResp { ctx: 0 }))
        .unwrap_err();
    assert_eq!(e, StepError::UnknownSender { from: NodeId(9) });
    assert_eq!(n.status().role, Role::Leader);
}

/// Requests from outside the configuration are still served (dissertation §4.1: a server
/// processes incoming RPCs without consulting its configuration), so a new member can work.
#[test]
fn a_request_from_outside_the_configuration_is_still_answered() {
    let mut n = follower();
    n.step(msg(9, 1, 1, empty_append(0, 0, ents(&[(1, 1)]), 0)))
        .unwrap();
    assert_eq!(n.status().leader, Some(NodeId(9)));
    assert_eq!(n.status().last_index, LogIndex(1));
}

/// Terms only grow (§5.1): one too large to grow further is refused, a stale one ignored with a
/// reason.
#[test]
fn a_term_too_large_to_campaign_after_is_refused_and_a_stale_one_ignored() {
    let mut n = follower();
    let e = n
        .step(msg(
            2,
            1,
            u64::MAX,
            Payload::Heartbeat {
                commit: LogIndex(0),
                ctx: 0,
            },
        ))
        .unwrap_err();
    assert_eq!(
        e,
        StepError::TermOverflow {
            term: Term(u64::MAX)
        }
    );
    assert_eq!(n.status().term, Term(0));
    // A far-future but representable term is legitimate (a long partition) and adopted.
    n.step(msg(
        2,
        1,
        1 << 40,
        Payload::Heartbeat {
            commit: LogIndex(0),
            ctx: 0,
        },
    ))
    .unwrap();
    assert_eq!(n.status().term, Term(1 << 40));
    n.step(msg(
        3,
        1,
        1,
        Payload::Heartbeat {
            commit: LogIndex(0),
            ctx: 0,
        },
    ))
    .unwrap();
    let d = drain(&mut n);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::MessageIgnored {
            reason: IgnoreReason::StaleTerm { .. },
            ..
        }
    )));
}

/// AppendEntries carries contiguous entries no newer than the leader's term (§5.3); anything else
/// is refused.
#[test]
fn malformed_appends_are_refused_and_leave_the_log_alone() {
    let cases = [
        (
            empty_append(0, 0, ents(&[(1, 1), (3, 1)]), 0),
            "not contiguous",
        ),
        (empty_append(0, 0, ents(&[(2, 1)]), 0), "not contiguous"),
        (empty_append(0, 0, ents(&[(1, 5)]), 0), "terms out of order"),
        (empty_append(1, 2, ents(&[(2, 1)]), 0), "terms out of order"),
        (empty_append(1, 9, vec![], 0), "prevLogTerm"),
    ];
    for (payload, reason) in cases {
        let mut n = follower();
        let e = n.step(msg(2, 1, 2, payload)).unwrap_err();
        assert!(matches!(e, StepError::Malformed { .. }), "{e:?}");
        assert!(
            e.to_string().contains(reason),
            "{e} should mention {reason}"
        );
        assert_eq!(n.status().last_index, LogIndex(0));
        assert_eq!(
            n.status().term,
            Term(0),
            "a refused message changes nothing"
        );
    }
}

/// matchIndex can never pass the leader's log (Figure 2): such an ack is refused.
#[test]
fn an_ack_for_an_index_beyond_the_leaders_log_is_refused() {
    let mut n = follower();
    make_leader(&mut n);
    let e = n
        .step(msg(
            2,
            1,
            1,
            Payload::AppendResp {
                reject: false,
                index: LogIndex(99),
                reject_hint: LogIndex(0),
                hint_term: Term(0),
            },
        ))
        .unwrap_err();
    assert_eq!(
        e,
        StepError::IndexBeyondLog {
            index: LogIndex(99),
            last_index: LogIndex(1)
        }
    );
    let reject = Payload::AppendResp {
        reject: true,
        index: LogIndex(50),
        reject_hint: LogIndex(0),
        hint_term: Term(0),
    };
    assert!(matches!(
        n.step(msg(2, 1, 1, reject)),
        Err(StepError::IndexBeyondLog { .. })
    ));
    assert_eq!(n.status().commit, LogIndex(0));
}

/// The consistency check (§5.3) rejects an append far past the log and hints where the log ends.
#[test]
fn an_append_far_beyond_the_log_is_rejected_with_a_hint_not_a_panic() {
    let mut n = follower();
    n.step(msg(2, 1, 1, empty_append(1_000_000, 1, vec![], 999_999)))
        .unwrap();
    let d = drain(&mut n);
    let r = of_kind(&d.messages, MessageKind::AppendResp);
    assert_eq!(
        r[0].payload,
        Payload::AppendResp {
            reject: true,
            index: LogIndex(1_000_000),
            reject_hint: LogIndex(0),
            hint_term: Term(0)
        }
    );
    assert_eq!(n.status().commit, LogIndex(0));
}

/// A snapshot names its last included index and configuration (§7); one without is refused.
#[test]
fn a_snapshot_without_an_index_or_voters_is_refused() {
    let mut n = follower();
    let bad = Snapshot {
        index: LogIndex(0),
        term: Term(1),
        conf_state: ConfState::default(),
        data: vec![],
    };
    assert!(matches!(
        n.step(msg(
            2,
            1,
            1,
            Payload::Snapshot {
                snapshot: Box::new(bad)
            }
        )),
        Err(StepError::Malformed { .. })
    ));
    let no_voters = Snapshot {
        index: LogIndex(5),
        term: Term(1),
        conf_state: ConfState::default(),
        data: vec![],
    };
    assert!(matches!(
        n.step(msg(
            2,
            1,
            1,
            Payload::Snapshot {
                snapshot: Box::new(no_voters)
            }
        )),
        Err(StepError::Malformed { .. })
    ));
}

/// Thousands of random messages, well-formed or not, never panic and never break
/// applied ≤ committed ≤ last index.
#[test]
fn random_messages_never_panic_or_break_the_index_invariants() {
    let mut rng = TestRng(42);
    for node_seed in 0..20u64 {
        let mut n = follower();
        if node_seed % 2 == 0 {
            make_leader(&mut n);
        }
        for _ in 0..500 {
            let from = rng.below(5);
            let term = rng.below(6);
            let li = rng.below(8);
            let lt = rng.below(6);
            let payload = match rng.below(10) {
                0 => Payload::Vote {
                    last_index: LogIndex(li),
                    last_term: Term(lt),
                    transfer: rng.below(2) == 0,
                },
                1 => Payload::PreVote {
                    last_index: LogIndex(li),
                    last_term: Term(lt),
                },
                2 => Payload::VoteResp {
                    reject: rng.below(2) == 0,
                },
                3 => {
                    let k = rng.below(3);
                    let es = (0..k)
                        .map(|i| {
                            Entry::normal(
                                LogIndex(li + 1 + i),
                                Term(lt.max(term.min(lt + i))),
                                vec![],
                            )
                        })
                        .collect();
                    empty_append(li, lt.min(term), es, rng.below(10))
                }
                4 => Payload::AppendResp {
                    reject: rng.below(2) == 0,
                    index: LogIndex(li),
                    reject_hint: LogIndex(rng.below(8)),
                    hint_term: Term(rng.below(6)),
                },
                5 => Payload::Heartbeat {
                    commit: LogIndex(rng.below(10)),
                    ctx: rng.below(3),
                },
                6 => Payload::HeartbeatResp { ctx: rng.below(3) },
                7 => Payload::TimeoutNow,
                8 => Payload::ReadIndex { ctx: rng.below(5) },
                _ => Payload::PreVoteResp {
                    reject: rng.below(2) == 0,
                },
            };
            let _ = n.step(msg(from, 1, term, payload));
            if rng.below(4) == 0 {
                drain(&mut n);
            }
            let s = n.status();
            assert!(s.applied <= s.commit && s.commit <= s.last_index, "{s:?}");
        }
    }
}

/// Election timeouts must be randomized in a non-empty range above the heartbeat (§5.2, §9.3);
/// every bad field is named.
#[test]
fn a_config_that_cannot_work_is_refused_with_the_field_named() {
    type Tweak = Box<dyn Fn(&mut Config)>;
    let cases: Vec<(&str, Tweak)> = vec![
        ("id", Box::new(|c| c.id = NodeId(0))),
        ("voters", Box::new(|c| c.voters.clear())),
        ("voters", Box::new(|c| c.voters.push(NodeId(2)))),
        ("learners", Box::new(|c| c.learners.push(NodeId(2)))),
        (
            "election_timeout_ms_max",
            Box::new(|c| c.election_timeout_ms_max = c.election_timeout_ms_min),
        ),
        (
            "election_timeout_ms_min",
            Box::new(|c| c.election_timeout_ms_min = 0),
        ),
        (
            "election_timeout_ms_max",
            Box::new(|c| c.election_timeout_ms_max = u64::MAX),
        ),
        (
            "heartbeat_interval_ms",
            Box::new(|c| c.heartbeat_interval_ms = c.election_timeout_ms_min),
        ),
        (
            "heartbeat_interval_ms",
            Box::new(|c| c.heartbeat_interval_ms = 0),
        ),
        (
            "max_entries_per_append",
            Box::new(|c| c.max_entries_per_append = 0),
        ),
        (
            "max_bytes_per_append",
            Box::new(|c| c.max_bytes_per_append = 0),
        ),
        (
            "max_inflight_appends",
            Box::new(|c| c.max_inflight_appends = 0),
        ),
        (
            "read_only_option",
            Box::new(|c| {
                c.read_only_option = ReadOnlyOption::LeaseBased;
                c.check_quorum = false;
            }),
        ),
        ("id", Box::new(|c| c.id = NodeId(7))),
    ];
    for (field, tweak) in cases {
        let mut c = config(1, &ids(3));
        tweak(&mut c);
        let e = RawNode::new(c, 0).unwrap_err();
        assert_eq!(e.field, field, "{e}");
        assert!(e.to_string().contains(field));
    }
    assert!(config(1, &ids(3)).validate().is_ok());
}

/// A log is contiguous with non-decreasing terms (§5.3); a disk image that is not is refused.
#[test]
fn a_restart_from_a_log_with_a_gap_or_bad_terms_is_refused() {
    let hs = HardState {
        term: Term(3),
        vote: None,
        commit: LogIndex(0),
    };
    let gap = PersistedState {
        hard_state: hs,
        snapshot: None,
        entries: ents(&[(1, 1), (3, 1)]),
    };
    assert_eq!(
        RawNode::restart(config(1, &ids(3)), gap, 0)
            .unwrap_err()
            .field,
        "persisted"
    );
    let late = PersistedState {
        hard_state: hs,
        snapshot: None,
        entries: ents(&[(2, 1)]),
    };
    assert!(RawNode::restart(config(1, &ids(3)), late, 0).is_err());
    let future = PersistedState {
        hard_state: hs,
        snapshot: None,
        entries: ents(&[(1, 4)]),
    };
    assert!(RawNode::restart(config(1, &ids(3)), future, 0).is_err());
}

/// "If a client contacts a follower, the follower redirects it to the leader" (§8).
#[test]
fn a_proposal_to_a_follower_is_refused_with_the_leader_hint() {
    let mut c = Cluster::new(3);
    c.run_for(1000);
    let l = c.leader().unwrap();
    let f = (1..=3).find(|i| NodeId(*i) != l).unwrap();
    assert_eq!(
        c.propose(f, b"x").unwrap_err(),
        ProposeError::NotLeader {
            leader_hint: Some(l)
        }
    );
    let lone = follower();
    let mut lone = lone;
    assert_eq!(
        lone.propose(vec![]).unwrap_err(),
        ProposeError::NotLeader { leader_hint: None }
    );
}

/// Bug names are kebab case at every boundary; an unknown name lists the known ones.
#[test]
fn bug_names_round_trip_and_unknown_names_are_refused() {
    let all = Bugs::from_names(&Bugs::ALL_NAMES).unwrap();
    assert_eq!(all.names(), Bugs::ALL_NAMES.to_vec());
    assert!(all.vote_ignores_log && all.commit_old_term && all.forget_vote_on_restart);
    assert!(all.skip_prev_log_check && all.ack_before_persist && all.stale_read);
    assert!(Bugs::default().names().is_empty());
    let e = Bugs::from_names(&["vote-ignores-log", "nope"]).unwrap_err();
    assert!(e.to_string().contains("nope") && e.to_string().contains("stale-read"));
}

/// Virtual time is the caller's: even absurd clocks do not overflow a deadline.
#[test]
fn an_absurd_clock_does_not_overflow_a_deadline() {
    let mut c = Cluster::new(3);
    c.elect(1);
    for id in 1..=3 {
        c.node_mut(id).tick(u64::MAX);
    }
    c.stabilize();
    for id in 1..=3 {
        let s = c.status(id);
        assert_eq!(s.now_ms, MAX_NOW_MS);
        assert!(c.node(id).next_deadline_ms().unwrap() > MAX_NOW_MS);
    }
}
