//! Membership changes: learners, single-server changes (dissertation §4.1–4.2), joint consensus
//! (§6), and a property test of Election Safety across them.
mod common;
use common::*;
use raft_core::*;

fn joiner(id: u64, voters: &[NodeId], learners: &[NodeId]) -> Config {
    let mut c = config(id, voters);
    c.learners = learners.to_vec();
    c
}

fn voters_of(c: &Cluster, id: u64) -> Vec<u64> {
    c.status(id).voters.iter().map(|n| n.0).collect()
}

/// Learners receive the log but do not vote and do not count toward a majority.
/// Reference: dissertation §4.2.1.
#[test]
fn a_learner_receives_the_log_but_neither_campaigns_nor_counts_toward_a_majority() {
    let voters = ids(3);
    let mut c = Cluster::empty();
    for id in 1..=4 {
        c.add_node(joiner(id, &voters, &[NodeId(4)]));
    }
    c.elect(1);
    c.propose(1, b"x").unwrap();
    assert_eq!(c.log_terms(4), c.log_terms(1));
    assert_eq!(
        c.node(4).next_deadline_ms(),
        None,
        "a learner has no election timer"
    );
    c.node_mut(4).campaign();
    assert_eq!(c.status(4).role, Role::Follower);
    // With 2 and 3 cut off, the leader and the learner are not a majority.
    c.isolate(2);
    c.isolate(3);
    c.cut.remove(&(NodeId(1), NodeId(4)));
    c.cut.remove(&(NodeId(4), NodeId(1)));
    let idx = c.propose(1, b"y").unwrap();
    assert_eq!(c.status(4).last_index, idx, "the learner has it");
    assert!(c.status(1).commit < idx, "but it does not count");
}

/// A new server first joins as a learner, catches up, and is then promoted to voter.
/// Reference: dissertation §4.2.1.
#[test]
fn a_new_server_joins_as_a_learner_and_is_promoted_once_caught_up() {
    let mut c = Cluster::new(3);
    c.elect(1);
    for i in 0..10u8 {
        c.propose(1, &[i]).unwrap();
    }
    c.add_node(joiner(4, &ids(3), &[NodeId(4)]));
    c.node_mut(1)
        .propose_conf_change(ConfChange::AddVoter { node: NodeId(4) })
        .unwrap();
    c.run_for(300);
    for id in 1..=4 {
        assert_eq!(voters_of(&c, id), vec![1, 2, 3, 4], "node {id}");
    }
    let learner_first = c.events.iter().position(
        |(_, e)| matches!(e, Event::ConfChanged { learners, .. } if learners == &vec![NodeId(4)]),
    );
    let voter_later = c
        .events
        .iter()
        .position(|(_, e)| matches!(e, Event::ConfChanged { voters, .. } if voters.len() == 4));
    assert!(learner_first.unwrap() < voter_later.unwrap());
    assert_eq!(c.log_terms(4), c.log_terms(1));
}

/// "The leader does not begin a new configuration change until the previous one has
/// committed." Reference: dissertation §4.1.
#[test]
fn only_one_configuration_change_may_be_uncommitted() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.isolate(2);
    c.isolate(3);
    let idx = c
        .node_mut(1)
        .propose_conf_change(ConfChange::AddLearner { node: NodeId(4) })
        .unwrap();
    let e = c
        .node_mut(1)
        .propose_conf_change(ConfChange::Remove { node: NodeId(3) })
        .unwrap_err();
    assert_eq!(
        e,
        ProposeError::ConfChange(ConfChangeError::ChangePending { index: idx })
    );
    assert!(e.to_string().contains("not committed"));
    c.heal();
    c.run_for(100);
    assert!(c
        .node_mut(1)
        .propose_conf_change(ConfChange::Remove { node: NodeId(3) })
        .is_ok());
}

/// A change that would leave no voter, or that does not fit the configuration, is refused with a
/// reason (dissertation §4.1, §6).
#[test]
fn invalid_changes_are_refused_with_a_reason() {
    let mut c = Cluster::new(1);
    c.elect(1);
    let n = c.node_mut(1);
    let err = |r: Result<LogIndex, ProposeError>| match r {
        Err(ProposeError::ConfChange(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        err(n.propose_conf_change(ConfChange::Remove { node: NodeId(1) })),
        ConfChangeError::RemovingLastVoter
    );
    assert_eq!(
        err(n.propose_conf_change(ConfChange::Remove { node: NodeId(5) })),
        ConfChangeError::NotAMember { node: NodeId(5) }
    );
    assert_eq!(
        err(n.propose_conf_change(ConfChange::AddVoter { node: NodeId(1) })),
        ConfChangeError::AlreadyVoter { node: NodeId(1) }
    );
    assert_eq!(
        err(n.propose_conf_change(ConfChange::LeaveJoint)),
        ConfChangeError::NotInJointConfig
    );
    assert_eq!(
        err(n.propose_conf_change(ConfChange::EnterJoint {
            voters: vec![],
            learners: vec![],
            auto_leave: true
        })),
        ConfChangeError::RemovingLastVoter
    );
}

/// With the configuration taking effect on append, removing an unresponsive voter shrinks the
/// quorum, and entries that waited for it commit. Reference: dissertation §4.1 (etcd
/// TestCommitAfterRemoveNode).
#[test]
fn pending_entries_commit_after_a_removal_shrinks_the_quorum() {
    let mut c = Cluster::new(2);
    c.elect(1);
    c.isolate(2);
    let idx = c.propose(1, b"waiting").unwrap();
    assert!(c.status(1).commit < idx, "needs both of two");
    c.node_mut(1)
        .propose_conf_change(ConfChange::Remove { node: NodeId(2) })
        .unwrap();
    c.stabilize();
    assert_eq!(voters_of(&c, 1), vec![1]);
    assert!(c.status(1).commit > idx);
    assert!(c.applied[&NodeId(1)].iter().any(|e| e.index == idx));
}

/// A leader that is removed keeps leading until its removal commits, then steps down.
/// Reference: dissertation §4.2.2.
#[test]
fn a_removed_leader_steps_down_after_committing_its_removal() {
    let mut c = Cluster::new(3);
    c.elect(1);
    let idx = c
        .node_mut(1)
        .propose_conf_change(ConfChange::Remove { node: NodeId(1) })
        .unwrap();
    c.stabilize();
    assert!(c.status(2).commit >= idx);
    assert_eq!(c.status(1).role, Role::Follower);
    assert!(c.events.iter().any(|(n, e)| *n == NodeId(1)
        && matches!(
            e,
            Event::RoleChanged {
                reason: RoleReason::RemovedFromConfig,
                ..
            }
        )));
    assert_eq!(
        c.node(1).next_deadline_ms(),
        None,
        "a removed node never campaigns"
    );
    c.run_for(1000);
    let l = c.leader().unwrap();
    assert!(l == NodeId(2) || l == NodeId(3));
}

/// Joint consensus: while in C_old,new every decision needs a majority of both; leaving is
/// explicit or automatic. Reference: §6.
#[test]
fn joint_consensus_needs_majorities_of_both_configurations() {
    for auto_leave in [false, true] {
        let mut c = Cluster::new(3);
        for id in [4, 5] {
            c.add_node(joiner(id, &ids(3), &[NodeId(id)]));
        }
        c.elect(1);
        let change = ConfChange::EnterJoint {
            voters: vec![NodeId(1), NodeId(4), NodeId(5)],
            learners: vec![],
            auto_leave,
        };
        c.node_mut(1).propose_conf_change(change).unwrap();
        c.stabilize();
        if !auto_leave {
            let s = c.status(1);
            assert!(s.joint);
            assert_eq!(s.voters_outgoing, ids(3));
            // C_old's majority alone (1, 2, 3) cannot commit.
            c.isolate(4);
            c.isolate(5);
            c.cut.retain(|(a, b)| !(a.0 <= 3 && b.0 <= 3));
            let idx = c.propose(1, b"x").unwrap();
            assert!(c.status(1).commit < idx, "C_new has no majority");
            c.heal();
            c.run_for(100);
            assert!(c.status(1).commit >= idx);
            c.node_mut(1)
                .propose_conf_change(ConfChange::LeaveJoint)
                .unwrap();
            c.stabilize();
        }
        let s = c.status(1);
        assert!(!s.joint, "auto_leave {auto_leave}");
        assert_eq!(voters_of(&c, 1), vec![1, 4, 5]);
        assert_eq!(voters_of(&c, 4), vec![1, 4, 5]);
        assert_eq!(s.role, Role::Leader);
    }
}

/// Configuration entries take effect as soon as they are appended, and a truncated one is
/// rolled back. Reference: dissertation §4.1.
#[test]
fn a_configuration_entry_takes_effect_when_appended_and_is_undone_when_truncated() {
    let mut c = config(1, &ids(3));
    paper(&mut c);
    let mut n = RawNode::new(c, 0).unwrap();
    let cc = Entry {
        index: LogIndex(1),
        term: Term(1),
        kind: EntryKind::ConfChange {
            change: Box::new(ConfChange::AddLearner { node: NodeId(4) }),
        },
    };
    n.step(msg(
        2,
        1,
        1,
        Payload::Append {
            prev_index: LogIndex(0),
            prev_term: Term(0),
            entries: vec![cc],
            commit: LogIndex(0),
        },
    ))
    .unwrap();
    assert_eq!(
        n.status().learners,
        vec![NodeId(4)],
        "in force before it commits"
    );
    n.step(msg(
        3,
        1,
        2,
        Payload::Append {
            prev_index: LogIndex(0),
            prev_term: Term(0),
            entries: ents(&[(1, 2)]),
            commit: LogIndex(0),
        },
    ))
    .unwrap();
    assert!(
        n.status().learners.is_empty(),
        "rolled back with the truncated entry"
    );
    let d = drain(&mut n);
    assert_eq!(
        d.events
            .iter()
            .filter(|e| matches!(e, Event::ConfChanged { .. }))
            .count(),
        2
    );
}

fn random_change(rng: &mut TestRng, n: u64) -> ConfChange {
    let node = NodeId(1 + rng.below(n));
    match rng.below(6) {
        0 | 1 => ConfChange::AddVoter { node },
        2 => ConfChange::AddLearner { node },
        3 => ConfChange::Remove { node },
        4 => {
            let mut voters: Vec<NodeId> =
                (1..=n).map(NodeId).filter(|_| rng.below(2) == 0).collect();
            if voters.is_empty() {
                voters.push(node);
            }
            ConfChange::EnterJoint {
                voters,
                learners: vec![],
                auto_leave: rng.below(2) == 0,
            }
        }
        _ => ConfChange::LeaveJoint,
    }
}

#[derive(Default)]
struct Stats {
    changes: usize,
    joint: usize,
    leaders: usize,
    installs: usize,
    transfers: usize,
    reads: usize,
}

/// One seeded schedule: shuffled, lossy delivery, crashes and restarts, forced elections,
/// random single-server and joint changes, compactions and transfers. Returns the first safety
/// violation found: two leaders in a term (§5.2), Log Matching (§5.3), or one index applied
/// with two different entries (State Machine Safety, §5.4.3).
fn chaos(seed: u64, bugs: Bugs, stats: &mut Stats) -> Result<(), String> {
    let n = 6u64;
    let mut rng = TestRng(seed * 7919 + 13);
    let mut c = Cluster::empty();
    let initial = ids(4);
    for id in 1..=n {
        let learners = if id > 4 { vec![NodeId(id)] } else { vec![] };
        let mut cfg = joiner(id, &initial, &learners);
        cfg.rng_seed = seed * 100 + id;
        cfg.pre_vote = seed.is_multiple_of(2);
        cfg.check_quorum = seed % 4 < 2 || seed.is_multiple_of(3);
        if seed.is_multiple_of(3) {
            cfg.read_only_option = ReadOnlyOption::LeaseBased;
        }
        cfg.bugs = bugs;
        c.add_node(cfg);
    }
    let mut crashed: Option<u64> = None;
    // Read id -> the highest index committed anywhere when the read was asked: a linearizable
    // read must not return an index below it (§8).
    let mut read_floor = std::collections::BTreeMap::new();
    for step in 0..25u64 {
        let reader = NodeId(1 + rng.below(n));
        let floor = c
            .nodes
            .values()
            .map(|x| x.status().commit)
            .max()
            .unwrap_or_default();
        if let Some(node) = c.nodes.get_mut(&reader) {
            if node.read_index(step).is_ok() {
                read_floor.insert((reader, step), floor);
            }
        }
        let t = c.now_ms + 40 + rng.below(80);
        c.run_shuffled(t, &mut rng, 5);
        if let Some(l) = c.leader() {
            let cc = random_change(&mut rng, n);
            if c.node_mut(l.0).propose_conf_change(cc).is_ok() {
                stats.changes += 1;
            }
            let _ = c.node_mut(l.0).propose(vec![step as u8]);
        }
        match rng.below(11) {
            0 => {
                let id = 1 + rng.below(n);
                if c.nodes.contains_key(&NodeId(id)) {
                    c.node_mut(id).campaign();
                }
            }
            1 if crashed.is_none() => {
                let id = 1 + rng.below(n);
                c.crash(id);
                crashed = Some(id);
            }
            2 => {
                if let Some(id) = crashed.take() {
                    c.restart(id);
                }
            }
            3 | 4 => {
                // Compact a random node at what it has applied: later installs carry configs.
                let id = 1 + rng.below(n);
                if let Some(node) = c.nodes.get_mut(&NodeId(id)) {
                    let applied = node.status().applied;
                    let _ = node.compact(applied, vec![seed as u8]);
                }
            }
            5 => {
                if let Some(l) = c.leader() {
                    let _ = c.node_mut(l.0).transfer_leader(NodeId(1 + rng.below(n)));
                }
            }
            _ => {}
        }
    }
    stats.joint += c.count_events(
        |e| matches!(e, Event::ConfChanged { voters_outgoing, .. } if !voters_outgoing.is_empty()),
    );
    stats.leaders += c.leaders_by_term().len();
    stats.installs += c.count_events(|e| matches!(e, Event::SnapshotInstalled { .. }));
    stats.transfers += c.count_events(|e| matches!(e, Event::TimeoutNowSent { .. }));
    let mut leader_of = std::collections::BTreeMap::new();
    for (term, id) in c.leaders_by_term() {
        if let Some(prev) = leader_of.insert(term, id) {
            if prev != id {
                return Err(format!("seed {seed}: {prev} and {id} both led term {term}"));
            }
        }
    }
    log_matching(&c).map_err(|e| format!("seed {seed}: {e}"))?;
    for (id, reads) in &c.reads {
        for r in reads {
            if let Some(&floor) = read_floor.get(&(*id, r.ctx)) {
                if r.index < floor {
                    return Err(format!(
                        "seed {seed}: read {} on {id} got index {}, but {floor} was committed before it was asked",
                        r.ctx, r.index
                    ));
                }
                stats.reads += 1;
            }
        }
    }
    let mut at = std::collections::BTreeMap::new();
    for (id, applied) in &c.applied {
        for e in applied {
            if let Some((other, t)) = at.insert(e.index, (*id, e.term)) {
                if t != e.term {
                    return Err(format!(
                        "seed {seed}: index {} applied as term {t} on {other} and {} on {id}",
                        e.index, e.term
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Log Matching (§5.3): if two logs hold an entry with the same index and term, they are
/// identical up to it (as far as both still hold entries).
fn log_matching(c: &Cluster) -> Result<(), String> {
    let logs: Vec<(NodeId, Vec<(u64, u64)>)> =
        c.nodes.keys().map(|id| (*id, c.log_terms(id.0))).collect();
    for (a, la) in &logs {
        for (b, lb) in &logs {
            let Some(&(i, _)) = la.iter().rfind(|e| lb.contains(e)) else {
                continue;
            };
            let start = la
                .first()
                .map_or(0, |e| e.0)
                .max(lb.first().map_or(0, |e| e.0));
            let pa: Vec<_> = la.iter().filter(|e| e.0 >= start && e.0 <= i).collect();
            let pb: Vec<_> = lb.iter().filter(|e| e.0 >= start && e.0 <= i).collect();
            if pa != pb {
                return Err(format!(
                    "logs of {a} and {b} share entry {i} but differ before it"
                ));
            }
        }
    }
    Ok(())
}

/// Property: across joint and single-server transitions (with crashes, compaction and
/// transfers), two leaders never win the same term, and logs and state machines never diverge.
/// Reference: §5.2 Election Safety, §6, dissertation §4.
#[test]
fn two_leaders_never_win_the_same_term_across_joint_and_single_server_changes() {
    let seeds = seed_count(150);
    let mut stats = Stats::default();
    for seed in 0..seeds {
        if let Err(e) = chaos(seed, Bugs::default(), &mut stats) {
            panic!("{e}");
        }
    }
    let s = &stats;
    eprintln!(
        "{} changes accepted, {} joint configs, {} leaders, {} snapshot installs, {} transfers, {} reads",
        s.changes, s.joint, s.leaders, s.installs, s.transfers, s.reads
    );
    let seeds = seeds as usize;
    assert!(s.changes > seeds * 2 / 3 && s.joint > seeds / 3 && s.leaders > seeds);
    assert!(s.installs > seeds / 10 && s.transfers > seeds / 10 && s.reads > seeds * 5);
}

/// The same checks catch injected bugs, so the property above can fail.
#[test]
fn the_same_checks_catch_injected_bugs() {
    // commit-old-term, forget-vote-on-restart and skip-prev-log-check need rare interleavings,
    // and ack-before-persist needs disk latency (this harness persists at once); their own
    // tests build those cases.
    for name in ["vote-ignores-log", "stale-read"] {
        let bugs = Bugs::from_names(&[name]).unwrap();
        let mut stats = Stats::default();
        let caught = (0..seed_count(1000)).find_map(|seed| chaos(seed, bugs, &mut stats).err());
        eprintln!("{name}: {caught:?}");
        assert!(caught.is_some(), "{name} went unnoticed");
    }
}

/// The leader keeps replicating to a server being removed until the removal commits, so the
/// server learns it is out and stops campaigning (dissertation §4.2.3); then it forgets it.
#[test]
fn a_removed_follower_learns_of_its_removal_and_stops_campaigning() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.node_mut(1)
        .propose_conf_change(ConfChange::Remove { node: NodeId(3) })
        .unwrap();
    c.stabilize();
    assert_eq!(voters_of(&c, 3), vec![1, 2], "node 3 holds its own removal");
    assert_eq!(c.node(3).next_deadline_ms(), None);
    let tracked: Vec<u64> = c.status(1).progress.iter().map(|p| p.peer.0).collect();
    assert_eq!(tracked, vec![1, 2]);
    c.run_for(2000);
    assert_eq!(c.status(1).role, Role::Leader);
    assert_eq!(c.status(3).role, Role::Follower);
}

/// Injected bugs break safety, never the node: every bug runs the chaos schedule without a
/// panic, so the simulator's checkers get to report what went wrong.
#[test]
fn no_injected_bug_makes_a_node_panic() {
    let mut stats = Stats::default();
    for name in Bugs::ALL_NAMES {
        let bugs = Bugs::from_names(&[name]).unwrap();
        for seed in 0..seed_count(150) / 3 {
            let _ = chaos(seed, bugs, &mut stats);
        }
    }
    let all = Bugs::from_names(&Bugs::ALL_NAMES).unwrap();
    for seed in 0..seed_count(150) / 3 {
        let _ = chaos(seed, all, &mut stats);
    }
    assert!(stats.leaders > 0);
}
