//! §5.2: leader election.
mod common;
use common::*;
use raft_core::*;

fn node_in(id: u64, n: u64) -> RawNode {
    let mut c = config(id, &ids(n));
    paper(&mut c);
    RawNode::new(c, 0).unwrap()
}

/// "If a follower receives no communication over a period of time called the election timeout,
/// then it assumes there is no viable leader and begins an election to choose a new leader."
/// The period runs from the moment the server starts (or restarts): its first timeout fires at
/// the deadline it shows, not one timeout later. Reference: §5.2.
#[test]
fn the_first_election_timeout_fires_at_its_deadline() {
    for start_ms in [0, 1_000] {
        for restarted in [false, true] {
            let mut c = config(1, &ids(3));
            paper(&mut c);
            let (min, max) = (c.election_timeout_ms_min, c.election_timeout_ms_max);
            let mut n = if restarted {
                RawNode::restart(c, PersistedState::default(), start_ms).unwrap()
            } else {
                RawNode::new(c, start_ms).unwrap()
            };
            let deadline = n.next_deadline_ms().unwrap();
            assert!(
                (start_ms + min..start_ms + max).contains(&deadline),
                "deadline {deadline} for a node started at {start_ms}"
            );
            n.tick(deadline - 1);
            assert_eq!(n.status().role, Role::Follower, "before the deadline");
            n.tick(deadline);
            let s = n.status();
            assert_eq!(
                (s.role, s.term),
                (Role::Candidate, Term(1)),
                "at {deadline}"
            );
        }
    }
}

/// "When servers start up, they begin as followers." Reference: §5.2.
#[test]
fn servers_start_up_as_followers() {
    let n = node_in(1, 3);
    let s = n.status();
    assert_eq!(
        (s.role, s.term, s.voted_for, s.leader),
        (Role::Follower, Term(0), None, None)
    );
    assert!(s.election_deadline_ms.is_some());
}

/// "Leaders send periodic heartbeats (AppendEntries RPCs that carry no log entries) to all
/// followers in order to maintain their authority." Reference: §5.2.
#[test]
fn the_leader_sends_heartbeats_to_every_follower_each_interval() {
    let mut n = node_in(1, 3);
    make_leader(&mut n);
    let hb = n.config().heartbeat_interval_ms;
    let start = n.status().now_ms;
    n.tick(start + hb - 1);
    assert!(of_kind(&drain(&mut n).messages, MessageKind::Heartbeat).is_empty());
    n.tick(start + hb);
    let beats = of_kind(&drain(&mut n).messages, MessageKind::Heartbeat);
    let to: Vec<u64> = beats.iter().map(|m| m.to.0).collect();
    assert_eq!(to, vec![2, 3]);
    assert_eq!(n.next_deadline_ms(), Some(start + 2 * hb));
}

/// "To begin an election, a follower increments its current term and transitions to candidate
/// state. It then votes for itself and issues RequestVote RPCs in parallel to each of the other
/// servers." Reference: §5.2.
#[test]
fn a_follower_that_hears_nothing_becomes_a_candidate_and_asks_everyone() {
    let mut n = node_in(1, 3);
    let deadline = n.next_deadline_ms().unwrap();
    n.tick(deadline);
    let d = drain(&mut n);
    let s = n.status();
    assert_eq!(
        (s.role, s.term, s.voted_for),
        (Role::Candidate, Term(1), Some(NodeId(1)))
    );
    let votes = of_kind(&d.messages, MessageKind::Vote);
    assert_eq!(votes.iter().map(|m| m.to.0).collect::<Vec<_>>(), vec![2, 3]);
    assert!(votes.iter().all(|m| m.term == Term(1)));
}

/// "A candidate ... times out and starts a new election by incrementing its term." Reference: §5.2.
#[test]
fn a_candidate_whose_election_times_out_starts_a_new_election_in_a_higher_term() {
    let mut n = node_in(1, 3);
    n.campaign();
    drain(&mut n);
    let first_timeout = n.status().election_timeout_ms;
    let deadline = n.next_deadline_ms().unwrap();
    n.tick(deadline);
    drain(&mut n);
    let s = n.status();
    assert_eq!((s.role, s.term), (Role::Candidate, Term(2)));
    assert!(s.election_deadline_ms.unwrap() > deadline);
    let _ = first_timeout;
}

/// "A candidate wins an election if it receives votes from a majority of the servers"; it
/// loses when a majority refuses, and otherwise stays candidate (no decision). Reference: §5.2.
#[test]
fn an_election_round_ends_in_a_win_a_loss_or_no_decision() {
    // (cluster size, grants, rejections) -> role after counting.
    let cases: [(u64, &[u64], &[u64], Role); 7] = [
        (1, &[], &[], Role::Leader),
        (3, &[2], &[], Role::Leader),
        (3, &[], &[2, 3], Role::Follower),
        (3, &[], &[2], Role::Candidate),
        (5, &[2], &[], Role::Candidate),
        (5, &[2, 3], &[], Role::Leader),
        (5, &[2], &[3, 4, 5], Role::Follower),
    ];
    for (size, grants, rejects, want) in cases {
        let mut n = node_in(1, size);
        n.campaign();
        drain(&mut n);
        for &g in grants {
            n.step(msg(g, 1, 1, Payload::VoteResp { reject: false }))
                .unwrap();
        }
        for &r in rejects {
            n.step(msg(r, 1, 1, Payload::VoteResp { reject: true }))
                .unwrap();
        }
        drain(&mut n);
        assert_eq!(
            n.status().role,
            want,
            "size {size} grants {grants:?} rejects {rejects:?}"
        );
    }
}

/// "Each server will vote for at most one candidate in a given term, on a first-come-first-served
/// basis." Reference: §5.2.
#[test]
fn each_server_votes_for_at_most_one_candidate_per_term() {
    // (already voted for, candidate) -> rejected?
    let cases = [
        (None, 2, false),
        (None, 3, false),
        (Some(2), 2, false),
        (Some(2), 3, true),
        (Some(3), 2, true),
    ];
    for (voted, cand, want_reject) in cases {
        let mut c = config(1, &ids(3));
        paper(&mut c);
        let hs = HardState {
            term: Term(1),
            vote: voted.map(NodeId),
            commit: LogIndex(0),
        };
        let mut n = RawNode::restart(
            c,
            PersistedState {
                hard_state: hs,
                ..Default::default()
            },
            0,
        )
        .unwrap();
        n.step(msg(
            cand,
            1,
            1,
            Payload::Vote {
                last_index: LogIndex(0),
                last_term: Term(0),
                transfer: false,
            },
        ))
        .unwrap();
        let d = drain(&mut n);
        let resp = of_kind(&d.messages, MessageKind::VoteResp);
        assert_eq!(resp.len(), 1);
        assert_eq!(
            resp[0].payload,
            Payload::VoteResp {
                reject: want_reject
            },
            "voted {voted:?} cand {cand}"
        );
        if want_reject {
            let v = NodeId(voted.unwrap());
            assert!(d.events.iter().any(|e| matches!(
                e,
                Event::VoteDenied { reason: DenyReason::AlreadyVoted { voted_for, term: Term(1) }, .. } if *voted_for == v
            )));
        }
    }
}

/// "If the leader's term is at least as large as the candidate's current term, then the
/// candidate recognizes the leader as legitimate and returns to follower state." Reference: §5.2.
#[test]
fn a_candidate_that_hears_from_a_leader_of_its_term_returns_to_follower() {
    let mut n = node_in(1, 3);
    n.campaign();
    drain(&mut n);
    n.step(msg(
        2,
        1,
        1,
        Payload::Heartbeat {
            commit: LogIndex(0),
            ctx: 0,
        },
    ))
    .unwrap();
    let s = n.status();
    assert_eq!(
        (s.role, s.term, s.leader),
        (Role::Follower, Term(1), Some(NodeId(2)))
    );
    let d = drain(&mut n);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::RoleChanged {
            reason: RoleReason::LeaderDiscovered { .. },
            ..
        }
    )));
}

/// "Raft uses randomized election timeouts ... chosen randomly from a fixed interval."
/// Reference: §5.2.
#[test]
fn election_timeouts_are_drawn_from_min_to_max_and_differ_between_nodes() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..300 {
        let mut c = config(1, &ids(3));
        c.rng_seed = seed;
        let mut n = RawNode::new(c, 0).unwrap();
        n.tick(0);
        for round in 0..3u64 {
            let t = n.status().election_timeout_ms;
            assert!((150..300).contains(&t), "timeout {t}");
            seen.insert(t);
            let d = n.next_deadline_ms().unwrap();
            n.tick(d + round);
            drain(&mut n);
        }
    }
    assert!(seen.len() > 100, "only {} distinct timeouts", seen.len());
}

/// Randomized timeouts spread the servers out "so that in most cases only a single server will
/// time out". Reference: §5.2.
#[test]
fn in_most_runs_a_single_follower_times_out_first() {
    let mut conflicts = 0;
    for seed in 0..500u64 {
        let timeouts: Vec<u64> = (1..=5)
            .map(|id| {
                let mut c = config(id, &ids(5));
                c.rng_seed = seed * 31 + id;
                RawNode::new(c, 0).unwrap().next_deadline_ms().unwrap()
            })
            .collect();
        let min = *timeouts.iter().min().unwrap();
        // Two timeouts within 5 ms of each other would race.
        if timeouts.iter().filter(|t| **t < min + 5).count() > 1 {
            conflicts += 1;
        }
    }
    assert!(
        conflicts < 500 * 3 / 10,
        "{conflicts} of 500 runs had racing timeouts"
    );
}

/// Election Safety: "at most one leader can be elected in a given term", over 1000 seeded
/// elections with shuffled, lossy delivery and forced timeouts; once losses stop, a leader
/// emerges in every run. Reference: §5.2, Figure 3.
#[test]
fn five_nodes_elect_exactly_one_leader_per_term_over_1000_seeded_elections() {
    let mut elections = 0;
    let seeds = seed_count(1000);
    for seed in 0..seeds {
        let mut rng = TestRng(seed.wrapping_mul(0x9E37_79B9) + 1);
        let mut c = Cluster::with(5, |cfg| {
            cfg.rng_seed = seed * 7 + cfg.id.0;
            cfg.pre_vote = seed % 2 == 0;
            cfg.check_quorum = seed % 3 == 0;
            // A narrow window makes split votes common.
            cfg.election_timeout_ms_max = cfg.election_timeout_ms_min + 5;
        });
        // Two nodes time out at once, then timers run.
        let a = 1 + rng.below(5);
        let b = 1 + rng.below(5);
        c.node_mut(a).campaign();
        c.node_mut(b).campaign();
        c.run_shuffled(600, &mut rng, 10);
        c.assert_one_leader_per_term();
        // Liveness phase: with no more losses a leader emerges.
        c.run_shuffled(2000, &mut rng, 0);
        c.assert_one_leader_per_term();
        assert!(
            c.leader().is_some(),
            "seed {seed}: no leader after the lossy phase"
        );
        let terms: std::collections::BTreeSet<Term> =
            c.leaders_by_term().iter().map(|(t, _)| *t).collect();
        elections += terms.len();
    }
    assert!(
        elections as u64 >= seeds,
        "only {elections} elections were won"
    );
}
