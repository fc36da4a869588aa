//! §5.3: log replication, the consistency check, log repair, batching and pipelining.
mod common;
use common::*;
use raft_core::*;

fn leader_of(n: u64, tweak: impl Fn(&mut Config)) -> RawNode {
    let mut c = config(1, &ids(n));
    paper(&mut c);
    tweak(&mut c);
    let mut node = RawNode::new(c, 0).unwrap();
    make_leader(&mut node);
    node
}

fn append(prev: (u64, u64), entries: Vec<Entry>, commit: u64) -> Payload {
    Payload::Append {
        prev_index: LogIndex(prev.0),
        prev_term: Term(prev.1),
        entries,
        commit: LogIndex(commit),
    }
}

/// "The leader appends the command to its log as a new entry, then issues AppendEntries RPCs in
/// parallel to each of the other servers to replicate the entry." Reference: §5.3.
#[test]
fn the_leader_appends_a_command_and_sends_it_to_every_follower() {
    let mut n = leader_of(3, |_| {});
    for f in [2, 3] {
        n.step(msg(
            f,
            1,
            1,
            Payload::AppendResp {
                reject: false,
                index: LogIndex(1),
                reject_hint: LogIndex(0),
                hint_term: Term(0),
            },
        ))
        .unwrap();
    }
    drain(&mut n);
    let idx = n.propose(b"some data".to_vec()).unwrap();
    assert_eq!(idx, LogIndex(2));
    let d = drain(&mut n);
    let apps = of_kind(&d.messages, MessageKind::Append);
    assert_eq!(apps.iter().map(|m| m.to.0).collect::<Vec<_>>(), vec![2, 3]);
    for m in apps {
        let Payload::Append {
            prev_index,
            prev_term,
            entries,
            commit,
        } = m.payload
        else {
            unreachable!()
        };
        assert_eq!(
            (prev_index, prev_term, commit),
            (LogIndex(1), Term(1), LogIndex(1))
        );
        assert_eq!(
            entries,
            vec![Entry::normal(LogIndex(2), Term(1), b"some data".to_vec())]
        );
    }
}

/// "A log entry is committed once the leader that created the entry has replicated it on a
/// majority of the servers." Reference: §5.3.
#[test]
fn an_entry_commits_once_a_majority_has_stored_it() {
    let cases: [(u64, &[u64], bool); 6] = [
        (1, &[], true),
        (3, &[], false),
        (3, &[2], true),
        (5, &[2], false),
        (5, &[2, 3], true),
        (5, &[2, 3, 4], true),
    ];
    for (size, acks, want) in cases {
        let mut n = leader_of(size, |_| {});
        let idx = n.propose(b"x".to_vec()).unwrap();
        let mut committed = drain(&mut n).committed;
        for &a in acks {
            n.step(msg(
                a,
                1,
                1,
                Payload::AppendResp {
                    reject: false,
                    index: idx,
                    reject_hint: LogIndex(0),
                    hint_term: Term(0),
                },
            ))
            .unwrap();
        }
        committed.extend(drain(&mut n).committed);
        assert_eq!(n.status().commit >= idx, want, "size {size} acks {acks:?}");
        assert_eq!(committed.iter().any(|e| e.index == idx), want);
    }
}

/// "The leader keeps track of the highest index it knows to be committed, and it includes that
/// index in future AppendEntries RPCs ... Once a follower learns that a log entry is committed,
/// it applies the entry to its local state machine." Reference: §5.3.
#[test]
fn followers_learn_the_commit_index_from_later_appends_and_apply() {
    let mut c = Cluster::with(3, paper);
    c.elect(1);
    let idx = c.propose(1, b"x").unwrap();
    for id in 1..=3 {
        assert_eq!(c.status(id).commit, idx, "node {id}");
        assert!(c.applied[&NodeId(id)]
            .iter()
            .any(|e| e.index == idx && e.kind == EntryKind::Normal { data: b"x".into() }));
    }
}

/// "This also commits all preceding entries in the leader's log, including entries created by
/// previous leaders." Reference: §5.3.
#[test]
fn committing_an_entry_commits_every_entry_before_it() {
    let mut n = node_with_log(1, &ids(3), 1, &[(1, 1), (2, 1)], paper);
    make_leader(&mut n);
    assert_eq!(n.status().term, Term(2));
    n.step(msg(
        2,
        1,
        2,
        Payload::AppendResp {
            reject: false,
            index: LogIndex(3),
            reject_hint: LogIndex(0),
            hint_term: Term(0),
        },
    ))
    .unwrap();
    let d = drain(&mut n);
    assert_eq!(n.status().commit, LogIndex(3));
    let applied: Vec<(u64, u64)> = d.committed.iter().map(|e| (e.index.0, e.term.0)).collect();
    assert_eq!(applied, vec![(1, 1), (2, 1), (3, 2)]);
}

/// Figure 2, AppendEntries step 5: "If leaderCommit > commitIndex, set commitIndex =
/// min(leaderCommit, index of last new entry)." Reference: §5.3.
#[test]
fn a_follower_commits_up_to_the_leaders_commit_but_not_past_its_new_entries() {
    let cases = [
        (ents(&[(1, 1)]), 1, 1),
        (ents(&[(1, 1), (2, 1)]), 1, 1),
        (ents(&[(1, 1)]), 5, 1),
        (ents(&[(1, 1), (2, 1)]), 2, 2),
    ];
    for (entries, leader_commit, want) in cases {
        let mut c = config(1, &ids(3));
        paper(&mut c);
        let mut n = RawNode::new(c, 0).unwrap();
        n.step(msg(2, 1, 1, append((0, 0), entries, leader_commit)))
            .unwrap();
        let d = drain(&mut n);
        assert_eq!(n.status().commit, LogIndex(want));
        assert_eq!(d.committed.len() as u64, want);
    }
}

/// "If the follower does not find an entry in its log with the same index and term, then it
/// refuses the new entries." The refusal carries a hint. Reference: §5.3.
#[test]
fn the_consistency_check_refuses_an_append_whose_previous_entry_does_not_match() {
    // log 1@1 2@2, commit 1. (prev index, prev term) -> (reject, index, hint index, hint term)
    let cases = [
        ((0, 0), (false, 1, 0, 0)),
        ((1, 1), (false, 1, 0, 0)),
        ((2, 2), (false, 2, 0, 0)),
        ((2, 1), (true, 2, 1, 1)),
        ((3, 3), (true, 3, 2, 2)),
    ];
    for (prev, (reject, index, hint, hint_term)) in cases {
        let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 2)], paper);
        n.step(msg(
            2,
            1,
            3,
            Payload::Heartbeat {
                commit: LogIndex(1),
                ctx: 0,
            },
        ))
        .unwrap();
        drain(&mut n);
        n.step(msg(2, 1, 3, append(prev, vec![], 1))).unwrap();
        let d = drain(&mut n);
        let r = of_kind(&d.messages, MessageKind::AppendResp);
        assert_eq!(
            r[0].payload,
            Payload::AppendResp {
                reject,
                index: LogIndex(index),
                reject_hint: LogIndex(hint),
                hint_term: Term(hint_term)
            },
            "prev {prev:?}"
        );
        if reject {
            assert!(d
                .events
                .iter()
                .any(|e| matches!(e, Event::AppendRejected { .. })));
        }
    }
}

/// "If an existing entry conflicts with a new one (same index but different terms), delete the
/// existing entry and all that follow it; append any new entries not already in the log."
/// Reference: §5.3.
#[test]
fn a_follower_deletes_a_conflicting_suffix_and_appends_the_new_entries() {
    let cases: [((u64, u64), Log, Log); 4] = [
        ((2, 2), &[(3, 3)], &[(1, 1), (2, 2), (3, 3)]),
        ((1, 1), &[(2, 3), (3, 4)], &[(1, 1), (2, 3), (3, 4)]),
        ((0, 0), &[(1, 1)], &[(1, 1), (2, 2)]),
        ((0, 0), &[(1, 3)], &[(1, 3)]),
    ];
    for (prev, new, want) in cases {
        let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 2)], paper);
        n.step(msg(2, 1, 4, append(prev, ents(new), 0))).unwrap();
        let d = drain(&mut n);
        let s = n.status();
        let got: Vec<(u64, u64)> = n
            .entries(s.first_index, s.last_index)
            .iter()
            .map(|e| (e.index.0, e.term.0))
            .collect();
        assert_eq!(got, want, "prev {prev:?} new {new:?}");
        let truncated = d
            .events
            .iter()
            .any(|e| matches!(e, Event::EntriesTruncated { .. }));
        assert_eq!(
            truncated,
            want != [(1, 1), (2, 2), (3, 3)] && want != [(1, 1), (2, 2)]
        );
    }
}

const FIG7_LEADER: &[(u64, u64)] = &[
    (1, 1),
    (2, 1),
    (3, 1),
    (4, 4),
    (5, 4),
    (6, 5),
    (7, 5),
    (8, 6),
    (9, 6),
    (10, 6),
];

fn fig7_followers() -> Vec<(&'static str, Vec<(u64, u64)>)> {
    let terms = |ts: &[u64]| {
        ts.iter()
            .enumerate()
            .map(|(i, t)| (i as u64 + 1, *t))
            .collect::<Vec<_>>()
    };
    vec![
        ("a", terms(&[1, 1, 1, 4, 4, 5, 5, 6, 6])),
        ("b", terms(&[1, 1, 1, 4])),
        ("c", terms(&[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6])),
        ("d", terms(&[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7])),
        ("e", terms(&[1, 1, 1, 4, 4, 4, 4])),
        ("f", terms(&[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3])),
    ]
}

/// Figure 7: whatever the follower's log (missing entries, extra entries, or both), "the leader
/// handles inconsistencies by forcing the followers' logs to duplicate its own". Reference: §5.3.
#[test]
fn figure_7_the_six_follower_logs_converge_to_the_leaders_log() {
    for fast in [true, false] {
        for (name, follower) in fig7_followers() {
            let tweak = |c: &mut Config| {
                paper(c);
                c.fast_backtrack = fast;
            };
            let mut c = Cluster::empty();
            let voters = ids(3);
            for (id, log) in [
                (1, FIG7_LEADER.to_vec()),
                (2, follower.clone()),
                (3, FIG7_LEADER.to_vec()),
            ] {
                let node = node_with_log(id, &voters, 7, &log, tweak);
                let mut cfg = config(id, &voters);
                tweak(&mut cfg);
                c.insert(cfg, node, PersistedState::default());
            }
            c.elect(1);
            c.run_for(100);
            assert_eq!(c.status(1).term, Term(8));
            assert_eq!(
                c.log_terms(2),
                c.log_terms(1),
                "follower {name}, fast {fast}"
            );
            assert_eq!(c.status(2).commit, LogIndex(11), "follower {name}");
        }
    }
}

/// Leader log: 1@1 then `n` entries split into `k` segments of terms 2,4,..; the follower has
/// the same indices in terms 3,5,.. Returns the number of rejected appends (round trips) the
/// repair took.
fn repair_round_trips(n: u64, k: u64, fast: bool) -> usize {
    let seg = n / k;
    let mut leader = vec![(1, 1)];
    let mut follower = vec![(1, 1)];
    for i in 0..n {
        let j = i / seg + 1;
        leader.push((i + 2, 2 * j));
        follower.push((i + 2, 2 * j + 1));
    }
    let term = 2 * k + 2;
    let tweak = |c: &mut Config| {
        paper(c);
        c.fast_backtrack = fast;
    };
    let mut c = Cluster::empty();
    for (id, log) in [(1, &leader), (2, &follower), (3, &leader)] {
        let node = node_with_log(id, &ids(3), term, log, tweak);
        let mut cfg = config(id, &ids(3));
        tweak(&mut cfg);
        c.insert(cfg, node, PersistedState::default());
    }
    c.elect(1);
    c.run_for(100);
    assert_eq!(c.log_terms(2), c.log_terms(1), "n {n} k {k} fast {fast}");
    c.count_events(|e| matches!(e, Event::AppendRejected { .. }))
}

/// §5.3: "the follower can include the term of the conflicting entry and the first index it
/// stores for that term ... one AppendEntries RPC will be required for each term with
/// conflicting entries, rather than one RPC per entry."
#[test]
fn a_50_entry_divergence_is_repaired_in_round_trips_per_term_with_the_hint_and_per_entry_without() {
    let with_hint: Vec<usize> = [1, 5, 10, 25]
        .iter()
        .map(|&k| repair_round_trips(50, k, true))
        .collect();
    assert!(
        with_hint.windows(2).all(|w| w[0] < w[1]),
        "hinted round trips {with_hint:?}"
    );
    for (k, rt) in [1usize, 5, 10, 25].iter().zip(&with_hint) {
        assert!(*rt <= k + 2, "{rt} round trips for {k} conflicting terms");
    }
    let without_25 = repair_round_trips(25, 5, false);
    let without_50 = repair_round_trips(50, 5, false);
    eprintln!("round trips with hint for 1/5/10/25 terms: {with_hint:?}; without: 25 entries {without_25}, 50 entries {without_50}");
    assert!(
        without_50 >= 50,
        "one-step decrement took {without_50} round trips for 50 entries"
    );
    assert!(
        without_25 >= 25 && without_25 < without_50,
        "{without_25} vs {without_50}"
    );
    // The same 50 entries over 5 terms: the hint saves most round trips.
    assert!(with_hint[1] * 5 < without_50);
}

/// Many entries travel in one AppendEntries, bounded by a count and by bytes. Reference: §5.3
/// ("may send more than one for efficiency").
#[test]
fn one_append_carries_many_entries_bounded_by_count_and_bytes() {
    for (max_entries, max_bytes, want_max) in [(8usize, 1u64 << 20, 8usize), (64, 150, 2)] {
        let mut n = leader_of(3, |c| {
            c.max_entries_per_append = max_entries;
            c.max_bytes_per_append = max_bytes;
            c.max_inflight_appends = 1;
        });
        // The follower acks the no-op, so its progress is in replicate state.
        n.step(msg(
            2,
            1,
            1,
            Payload::AppendResp {
                reject: false,
                index: LogIndex(1),
                reject_hint: LogIndex(0),
                hint_term: Term(0),
            },
        ))
        .unwrap();
        drain(&mut n);
        for _ in 0..40 {
            n.propose(vec![7u8; 50]).unwrap();
        }
        drain(&mut n);
        // The window of one is full; the ack releases the rest in batches.
        n.step(msg(
            2,
            1,
            1,
            Payload::AppendResp {
                reject: false,
                index: LogIndex(2),
                reject_hint: LogIndex(0),
                hint_term: Term(0),
            },
        ))
        .unwrap();
        let d = drain(&mut n);
        let sizes: Vec<usize> = of_kind(&d.messages, MessageKind::Append)
            .iter()
            .filter(|m| m.to == NodeId(2))
            .map(|m| match &m.payload {
                Payload::Append { entries, .. } => entries.len(),
                _ => 0,
            })
            .collect();
        assert_eq!(sizes, vec![want_max], "one batch while the window is one");
    }
}

/// Pipelining: in the replicate state several appends are in flight, at most
/// `max_inflight_appends`; an ack frees the window. Reference: §5.3 (etcd flow control).
#[test]
fn the_leader_pipelines_at_most_max_inflight_appends_per_follower() {
    let mut n = leader_of(3, |c| c.max_inflight_appends = 3);
    n.step(msg(
        2,
        1,
        1,
        Payload::AppendResp {
            reject: false,
            index: LogIndex(1),
            reject_hint: LogIndex(0),
            hint_term: Term(0),
        },
    ))
    .unwrap();
    drain(&mut n);
    let mut sent = 0;
    for i in 0..10u8 {
        n.propose(vec![i]).unwrap();
        let d = drain(&mut n);
        sent += d
            .messages
            .iter()
            .filter(|m| m.to == NodeId(2) && m.kind() == MessageKind::Append)
            .count();
    }
    assert_eq!(sent, 3, "only the window is sent");
    let p2 = n
        .status()
        .progress
        .into_iter()
        .find(|p| p.peer == NodeId(2))
        .unwrap();
    assert_eq!((p2.state, p2.inflight), (ProgressState::Replicate, 3));
    // Node 3 never answered the no-op: it stays in probe with one append outstanding.
    let p3 = n
        .status()
        .progress
        .into_iter()
        .find(|p| p.peer == NodeId(3))
        .unwrap();
    assert_eq!(p3.state, ProgressState::Probe);
    n.step(msg(
        2,
        1,
        1,
        Payload::AppendResp {
            reject: false,
            index: LogIndex(4),
            reject_hint: LogIndex(0),
            hint_term: Term(0),
        },
    ))
    .unwrap();
    let d = drain(&mut n);
    let apps = d
        .messages
        .iter()
        .filter(|m| m.to == NodeId(2) && m.kind() == MessageKind::Append)
        .count();
    assert!(apps >= 1, "the ack reopened the window");
}

/// A new leader appends a no-op entry of its term at once (§5.4.2, §8).
#[test]
fn a_new_leader_appends_a_no_op_of_its_own_term() {
    let mut n = node_with_log(1, &ids(3), 3, &[(1, 1), (2, 3)], paper);
    make_leader(&mut n);
    let s = n.status();
    assert_eq!(s.last_index, LogIndex(3));
    let e = &n.entries(LogIndex(3), LogIndex(3))[0];
    assert_eq!((e.term, &e.kind), (Term(4), &EntryKind::NoOp));
}

/// The rejection says which half of the consistency check failed: a log that ends before
/// prevLogIndex (an earlier append has not arrived, was lost, or the follower was down) or an
/// entry of another term there (the logs diverged). Reference: §5.3, Figure 2 receiver step 2.
#[test]
fn a_rejection_says_whether_the_log_is_too_short_or_has_another_term_there() {
    // log 1@1 2@2, commit 1. (prev index, prev term) -> reason
    let cases = [
        ((2, 1), AppendRejectReason::TermMismatch { term: Term(2) }),
        (
            (3, 3),
            AppendRejectReason::LogTooShort {
                last_index: LogIndex(2),
            },
        ),
        (
            (7, 2),
            AppendRejectReason::LogTooShort {
                last_index: LogIndex(2),
            },
        ),
    ];
    for (prev, want) in cases {
        let mut n = node_with_log(1, &ids(3), 2, &[(1, 1), (2, 2)], paper);
        n.step(msg(2, 1, 3, append(prev, vec![], 1))).unwrap();
        let d = drain(&mut n);
        let reasons: Vec<_> = d
            .events
            .iter()
            .filter_map(|e| match e {
                Event::AppendRejected { reason, .. } => Some(*reason),
                _ => None,
            })
            .collect();
        assert_eq!(reasons, vec![want], "prev {prev:?}");
    }
}

/// While appends are pipelined, a rejection voids every append sent after it: the leader goes
/// back to right after the follower's matchIndex and says so, not "by hint" (etcd's
/// `MaybeDecrTo` in StateReplicate). Reference: §5.3 with etcd flow control.
#[test]
fn a_rejection_while_pipelining_moves_next_index_back_to_the_match_and_says_so() {
    let mut n = leader_of(3, |c| c.max_inflight_appends = 8);
    let ack = |index: u64| {
        msg(
            2,
            1,
            1,
            Payload::AppendResp {
                reject: false,
                index: LogIndex(index),
                reject_hint: LogIndex(0),
                hint_term: Term(0),
            },
        )
    };
    n.step(ack(1)).unwrap();
    drain(&mut n);
    for i in 0..5u8 {
        n.propose(vec![i]).unwrap();
        drain(&mut n);
    }
    // Node 2 holds 1..=1 and nextIndex ran ahead to 7. It rejects the append after 4 (say the
    // appends for 2..=4 were lost); its hint would point at 1.
    n.step(msg(
        2,
        1,
        1,
        Payload::AppendResp {
            reject: true,
            index: LogIndex(4),
            reject_hint: LogIndex(1),
            hint_term: Term(1),
        },
    ))
    .unwrap();
    let d = drain(&mut n);
    let moved: Vec<_> = d
        .events
        .iter()
        .filter_map(|e| match e {
            Event::NextIndexMoved {
                peer: NodeId(2),
                from,
                to,
                reason,
            } => Some((*from, *to, *reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        moved,
        vec![(
            LogIndex(7),
            LogIndex(2),
            NextIndexReason::BackToMatch {
                rejected: LogIndex(4),
                matched: LogIndex(1)
            }
        )]
    );
}
