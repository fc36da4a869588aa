//! §5.1: terms act as a logical clock. A server that sees a higher term adopts it and steps
//! down; a request with a stale term is rejected.
mod common;
use common::*;
use raft_core::*;

fn three() -> Vec<NodeId> {
    ids(3)
}

fn node(id: u64) -> RawNode {
    let mut c = config(id, &three());
    paper(&mut c);
    RawNode::new(c, 0).unwrap()
}

fn append_from(from: u64, term: u64) -> Message {
    msg(
        from,
        1,
        term,
        Payload::Append {
            prev_index: LogIndex(0),
            prev_term: Term(0),
            entries: vec![],
            commit: LogIndex(0),
        },
    )
}

fn assert_follower_at(n: &RawNode, term: u64, leader: Option<u64>) {
    let s = n.status();
    assert_eq!(s.role, Role::Follower);
    assert_eq!(s.term, Term(term));
    assert_eq!(s.leader, leader.map(NodeId));
}

/// "If one server's current term is smaller than the other's, then it updates its current term
/// to the larger value." Reference: §5.1.
#[test]
fn a_follower_that_sees_a_higher_term_adopts_it() {
    let mut n = node(1);
    n.step(append_from(2, 2)).unwrap();
    assert_follower_at(&n, 2, Some(2));
    // A vote request with a higher term also raises the term, with no leader known.
    n.step(msg(
        3,
        1,
        5,
        Payload::Vote {
            last_index: LogIndex(9),
            last_term: Term(4),
            transfer: false,
        },
    ))
    .unwrap();
    assert_follower_at(&n, 5, None);
}

/// "If a candidate or leader discovers that its term is out of date, it immediately reverts to
/// follower state." Reference: §5.1.
#[test]
fn a_candidate_that_sees_a_higher_term_reverts_to_follower() {
    let mut n = node(1);
    n.campaign();
    drain(&mut n);
    assert_eq!(n.status().role, Role::Candidate);
    n.step(append_from(2, 2)).unwrap();
    assert_follower_at(&n, 2, Some(2));
}

/// A leader that discovers a higher term steps down. Reference: §5.1.
#[test]
fn a_leader_that_sees_a_higher_term_steps_down() {
    let mut n = node(1);
    make_leader(&mut n);
    assert_eq!(n.status().term, Term(1));
    n.step(msg(3, 1, 2, Payload::VoteResp { reject: true }))
        .unwrap();
    assert_follower_at(&n, 2, None);
    let d = drain(&mut n);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::RoleChanged {
            from: Role::Leader,
            to: Role::Follower,
            reason: RoleReason::HigherTerm { term: Term(2), .. },
            ..
        }
    )));
}

/// "If a server receives a request with a stale term number, it rejects the request", and the
/// reply carries the current term so the sender can update itself. Reference: §5.1.
#[test]
fn a_request_with_a_stale_term_is_rejected_with_the_current_term() {
    let mut n = node(1);
    n.step(append_from(2, 3)).unwrap();
    drain(&mut n);
    n.step(msg(
        3,
        1,
        2,
        Payload::Vote {
            last_index: LogIndex(5),
            last_term: Term(2),
            transfer: false,
        },
    ))
    .unwrap();
    let d = drain(&mut n);
    assert_eq!(d.messages.len(), 1);
    assert_eq!(d.messages[0].term, Term(3));
    assert_eq!(d.messages[0].payload, Payload::VoteResp { reject: true });
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::VoteDenied {
            reason: DenyReason::StaleTerm {
                candidate_term: Term(2),
                term: Term(3)
            },
            ..
        }
    )));
    // A stale heartbeat changes nothing: the leader stays 2, the term stays 3.
    n.step(msg(
        3,
        1,
        2,
        Payload::Heartbeat {
            commit: LogIndex(0),
            ctx: 0,
        },
    ))
    .unwrap();
    assert_follower_at(&n, 3, Some(2));
    let d = drain(&mut n);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::MessageIgnored {
            reason: IgnoreReason::StaleTerm { .. },
            ..
        }
    )));
}

/// A deposed leader learns the new term from its followers' answers and steps down.
/// Reference: §5.1.
#[test]
fn a_stale_leader_learns_the_new_term_from_the_answers_and_steps_down() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.isolate(1);
    // Without CheckQuorum the cut-off leader keeps believing it leads while 2 and 3 elect.
    for id in 1..=3 {
        c.node_mut(id).set_check_quorum(false);
    }
    c.run_for(1000);
    let new = c.leader().expect("a new leader");
    assert_ne!(new, NodeId(1));
    assert_eq!(c.status(1).role, Role::Leader, "still believes it leads");
    c.heal();
    c.run_for(100); // its next heartbeat meets the new term
    assert_eq!(c.status(1).role, Role::Follower);
    assert_eq!(c.status(1).term, c.status(new.0).term);
    assert_eq!(c.status(1).leader, Some(new));
}
