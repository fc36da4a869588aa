//! PreVote (dissertation §9.6), CheckQuorum (§6.2) and leader stickiness (§4.2.3). Unlike etcd,
//! stickiness is its own setting rather than part of CheckQuorum.
mod common;
use common::*;
use raft_core::*;

fn stepped_down_for_higher_term(c: &Cluster, id: u64) -> bool {
    c.events.iter().any(|(n, e)| {
        *n == NodeId(id)
            && matches!(
                e,
                Event::RoleChanged {
                    from: Role::Leader,
                    reason: RoleReason::HigherTerm { .. },
                    ..
                }
            )
    })
}

/// Without PreVote, a node that was cut off keeps raising its term; when it rejoins, its higher
/// term deposes a healthy leader. With PreVote it never raises its term, so it does not.
/// Reference: dissertation §9.6 (etcd TestDisruptiveFollower / TestPreVote).
#[test]
fn a_rejoining_isolated_node_deposes_the_leader_without_prevote_but_not_with_it() {
    for pre_vote in [false, true] {
        let mut c = Cluster::with(3, |cfg| {
            cfg.pre_vote = pre_vote;
            cfg.check_quorum = true;
        });
        c.elect(1);
        let term = c.status(1).term;
        c.isolate(3);
        c.run_for(2000);
        let t3 = c.status(3).term;
        assert_eq!(
            t3 > term,
            !pre_vote,
            "pre_vote {pre_vote}: isolated term {t3}"
        );
        if pre_vote {
            assert_eq!(c.status(3).role, Role::PreCandidate);
        }
        c.heal();
        c.run_for(500);
        assert_eq!(
            stepped_down_for_higher_term(&c, 1),
            !pre_vote,
            "pre_vote {pre_vote}"
        );
        if pre_vote {
            assert_eq!(c.status(1).role, Role::Leader);
            assert_eq!(c.status(1).term, term, "nobody's term moved");
            assert_eq!(c.status(3).leader, Some(NodeId(1)));
        }
        c.assert_one_leader_per_term();
    }
}

/// A pre-candidate asks with term + 1 but does not raise its own term or vote; a majority of
/// pre-votes starts the real election. Reference: dissertation §9.6.
#[test]
fn a_pre_candidate_keeps_its_term_and_starts_a_real_election_after_a_majority_of_pre_votes() {
    let mut n = RawNode::new(config(1, &ids(3)), 0).unwrap();
    n.campaign();
    let d = drain(&mut n);
    let s = n.status();
    assert_eq!(
        (s.role, s.term, s.voted_for),
        (Role::PreCandidate, Term(0), None)
    );
    let pv = of_kind(&d.messages, MessageKind::PreVote);
    assert_eq!(pv.len(), 2);
    assert!(pv.iter().all(|m| m.term == Term(1)));
    n.step(msg(2, 1, 1, Payload::PreVoteResp { reject: false }))
        .unwrap();
    let d = drain(&mut n);
    assert_eq!(
        (n.status().role, n.status().term),
        (Role::Candidate, Term(1))
    );
    assert_eq!(of_kind(&d.messages, MessageKind::Vote).len(), 2);
}

/// Granting a pre-vote changes nothing on the voter: no term, no vote.
#[test]
fn granting_a_pre_vote_changes_neither_term_nor_vote() {
    let mut n = RawNode::new(config(1, &ids(3)), 0).unwrap();
    n.step(msg(
        2,
        1,
        1,
        Payload::PreVote {
            last_index: LogIndex(0),
            last_term: Term(0),
        },
    ))
    .unwrap();
    let d = drain(&mut n);
    assert_eq!(
        of_kind(&d.messages, MessageKind::PreVoteResp)[0].payload,
        Payload::PreVoteResp { reject: false }
    );
    assert_eq!((n.status().term, n.status().voted_for), (Term(0), None));
    assert!(d.hard_state_unchanged());
}

trait Unchanged {
    fn hard_state_unchanged(&self) -> bool;
}
impl Unchanged for Drained {
    fn hard_state_unchanged(&self) -> bool {
        self.entries.is_empty()
    }
}

/// CheckQuorum: "a leader steps down if an election timeout elapses without a successful round
/// of heartbeats to a majority of its cluster." Reference: dissertation §6.2 (etcd
/// TestLeaderStepdownWhenQuorumLost); without it the cut-off leader stays.
#[test]
fn a_leader_that_loses_its_quorum_steps_down_only_with_check_quorum() {
    for check_quorum in [true, false] {
        let mut c = Cluster::with(3, |cfg| {
            cfg.check_quorum = check_quorum;
        });
        c.elect(1);
        c.isolate(1);
        c.run_for(400);
        let s = c.status(1);
        if check_quorum {
            assert_eq!(s.role, Role::Follower);
            assert!(c.events.iter().any(|(n, e)| *n == NodeId(1)
                && matches!(
                    e,
                    Event::RoleChanged {
                        reason: RoleReason::LostQuorum { active: 1 },
                        ..
                    }
                )));
        } else {
            assert_eq!(s.role, Role::Leader);
        }
    }
}

/// Leader stickiness: a follower that heard from a leader within the minimum election timeout
/// ignores vote requests. It is its own setting, not part of CheckQuorum as in etcd: only the
/// stickiness setting decides. Reference: dissertation §4.2.3 (etcd TestLeaderStickiness...).
#[test]
fn a_follower_with_a_live_leader_ignores_vote_requests_exactly_when_stickiness_is_on() {
    for (stickiness, check_quorum) in [(true, true), (true, false), (false, true), (false, false)] {
        let mut c = Cluster::with(3, |cfg| {
            cfg.pre_vote = false;
            cfg.check_quorum = check_quorum;
            cfg.leader_stickiness = stickiness;
        });
        c.elect(1);
        let term = c.status(1).term;
        c.cut_link(1, 3); // 3 stops hearing heartbeats but can still reach 2
        c.campaign(3);
        let case = format!("stickiness {stickiness}, check_quorum {check_quorum}");
        if stickiness {
            assert_eq!(c.status(3).role, Role::Candidate, "{case}");
            assert_eq!(c.status(2).term, term, "{case}: 2 ignored the vote request");
            assert_eq!(c.status(1).role, Role::Leader, "{case}");
            assert!(
                c.events.iter().any(|(n, e)| *n == NodeId(2)
                    && matches!(
                        e,
                        Event::VoteDenied {
                            reason: DenyReason::LeaderSticky {
                                leader: NodeId(1),
                                ..
                            },
                            ..
                        }
                    )),
                "{case}"
            );
        } else {
            // The same request wins 2's vote: 3 leads although 1 was alive.
            assert_eq!(c.status(3).role, Role::Leader, "{case}");
        }
    }
}

/// §4.2.3's example: a server removed from the configuration (or one that believes it is a voter
/// but that no leader contacts) times out again and again with ever higher terms. With leader
/// stickiness the voters that hear their leader ignore it, even without CheckQuorum and PreVote.
/// Reference: dissertation §4.2.3.
#[test]
fn a_server_no_leader_contacts_cannot_depose_the_leader_with_stickiness() {
    for stickiness in [true, false] {
        let mut c = Cluster::with(3, |cfg| {
            cfg.pre_vote = false;
            cfg.check_quorum = false;
            cfg.leader_stickiness = stickiness;
        });
        c.elect(1);
        let term = c.status(1).term;
        c.cut_link(1, 3);
        c.run_for(3000);
        assert!(c.status(3).term > term, "3 keeps campaigning");
        let s2 = c.status(2);
        if stickiness {
            assert_eq!((s2.term, s2.leader), (term, Some(NodeId(1))));
        } else {
            assert!(s2.term > term, "3's campaigns moved 2 off leader 1");
            assert_ne!(s2.leader, Some(NodeId(1)));
        }
    }
}

/// With CheckQuorum a live leader refuses to vote for a candidate of a later term, and the
/// reason names the leader's own role, not "heard from the leader 0 ms ago". Reference:
/// dissertation §4.2.3 (leader stickiness).
#[test]
fn a_live_leader_denies_a_vote_because_it_leads_not_because_it_heard_itself() {
    let mut c = Cluster::with(3, |cfg| {
        cfg.pre_vote = false;
        cfg.check_quorum = true;
    });
    c.elect(1);
    let term = c.status(1).term;
    c.campaign(3);
    let leader_denials: Vec<_> = c
        .events
        .iter()
        .filter_map(|(n, e)| match e {
            Event::VoteDenied { reason, .. } if *n == NodeId(1) => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(leader_denials, vec![DenyReason::IsLeader { term }]);
    assert!(!c.events.iter().any(|(n, e)| matches!(
        e,
        Event::VoteDenied { reason: DenyReason::LeaderSticky { leader, .. }, .. } if leader == n
    )));
}
