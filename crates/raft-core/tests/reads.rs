//! Linearizable reads: ReadIndex, lease reads, follower reads (§8, dissertation §6.4).
mod common;
use common::*;
use raft_core::*;

fn reads(c: &Cluster, id: u64) -> Vec<ReadState> {
    c.reads.get(&NodeId(id)).cloned().unwrap_or_default()
}

/// ReadIndex: the leader records its commit index, confirms it still leads with a heartbeat
/// round, then serves. Reference: dissertation §6.4.
#[test]
fn read_index_confirms_leadership_with_a_heartbeat_round_before_serving() {
    let mut c = Cluster::new(3);
    c.elect(1);
    let commit = c.status(1).commit;
    c.node_mut(1).read_index(7).unwrap();
    let sent = c.take_queue();
    assert!(reads(&c, 1).is_empty(), "served before the round");
    let beats = of_kind(&sent, MessageKind::Heartbeat);
    assert_eq!(beats.len(), 2);
    assert!(beats
        .iter()
        .all(|m| matches!(m.payload, Payload::Heartbeat { ctx, .. } if ctx != 0)));
    for m in sent {
        c.send(m);
    }
    c.stabilize();
    assert_eq!(
        reads(&c, 1),
        vec![ReadState {
            ctx: 7,
            index: commit
        }]
    );
}

/// A leader cut off from the majority cannot confirm its leadership, so it serves nothing.
#[test]
fn a_leader_cut_off_from_the_majority_does_not_serve_read_index() {
    let mut c = Cluster::with(3, |cfg| cfg.check_quorum = false);
    c.elect(1);
    c.isolate(1);
    c.node_mut(1).read_index(1).unwrap();
    c.run_for(500);
    assert!(reads(&c, 1).is_empty());
    assert_eq!(c.status(1).pending_reads, 1);
}

/// A new leader does not know the commit index until an entry of its term commits, so
/// ReadIndex waits for that. Reference: §8, dissertation §6.4 (etcd TestReadOnlyForNewLeader).
#[test]
fn read_index_is_not_served_before_a_new_leader_commits_an_entry_of_its_term() {
    let mut c = Cluster::new(3);
    c.ignore.insert(MessageKind::AppendResp);
    c.elect(1);
    assert_eq!(c.status(1).commit, LogIndex(0));
    c.node_mut(1).read_index(3).unwrap();
    c.stabilize();
    assert!(reads(&c, 1).is_empty());
    assert!(c
        .events
        .iter()
        .any(|(_, e)| matches!(e, Event::ReadPending { ctx: 3 })));
    c.heal();
    c.run_for(200);
    let r = reads(&c, 1);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].ctx, 3);
    assert!(r[0].index >= LogIndex(1), "read index covers the no-op");
}

/// A follower forwards ReadIndex to the leader and gets the index back.
#[test]
fn a_follower_forwards_read_index_to_the_leader() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.propose(1, b"x").unwrap();
    let commit = c.status(1).commit;
    c.node_mut(2).read_index(11).unwrap();
    c.stabilize();
    assert_eq!(
        reads(&c, 2),
        vec![ReadState {
            ctx: 11,
            index: commit
        }]
    );
    assert_eq!(c.delivered.get(&MessageKind::ReadIndexResp), Some(&1));
}

/// With no leader known, a follower has nobody to ask.
#[test]
fn read_index_without_a_known_leader_is_refused() {
    let mut n = RawNode::new(config(1, &ids(3)), 0).unwrap();
    assert_eq!(n.read_index(1).unwrap_err(), ReadError::NoLeader);
}

/// Lease reads skip the heartbeat round while a quorum's answers to recent heartbeats
/// promise that no other leader can be elected yet. Reference: dissertation §6.4.1.
#[test]
fn lease_reads_are_served_without_a_round_while_the_lease_holds() {
    let mut c = Cluster::with(3, |cfg| cfg.read_only_option = ReadOnlyOption::LeaseBased);
    c.run_for(1000); // elected, and heartbeat rounds answered by a quorum started the lease
    let l = c.leader().unwrap().0;
    let commit = c.status(l).commit;
    c.node_mut(l).read_index(5).unwrap();
    let sent = c.take_queue();
    assert!(of_kind(&sent, MessageKind::Heartbeat).is_empty());
    assert_eq!(
        reads(&c, l),
        vec![ReadState {
            ctx: 5,
            index: commit
        }]
    );
}

/// Once the quorum's answers are older than the minimum election timeout, the lease has lapsed
/// and the read needs a round; a cut-off leader then serves nothing. Reference: §6.4.1.
#[test]
fn a_lapsed_lease_falls_back_to_a_round() {
    let mut c = Cluster::with(3, |cfg| cfg.read_only_option = ReadOnlyOption::LeaseBased);
    c.run_for(1000);
    let l = c.leader().unwrap().0;
    // Just after a heartbeat round: cut the leader off.
    let next_beat = c.node(l).next_deadline_ms().unwrap();
    c.run_until(next_beat);
    c.isolate(l);
    c.run_for(140); // answers to a round sent 140 ms ago still hold the lease
    c.node_mut(l).read_index(1).unwrap();
    c.stabilize();
    assert_eq!(reads(&c, l).len(), 1);
    c.run_for(15); // past the lease, but CheckQuorum has not fired yet
    assert_eq!(c.status(l).role, Role::Leader);
    c.node_mut(l).read_index(2).unwrap();
    let sent = c.take_queue();
    assert!(
        !of_kind(&sent, MessageKind::Heartbeat).is_empty(),
        "a round instead"
    );
    c.stabilize();
    assert_eq!(reads(&c, l).len(), 1, "nobody answered the round");
}

/// With lease reads, a node that just started waits one minimum election timeout before
/// voting: before its crash it may have promised a lease it no longer remembers.
#[test]
fn with_lease_reads_a_freshly_started_node_waits_before_voting() {
    let mut cfg = config(1, &ids(3));
    cfg.read_only_option = ReadOnlyOption::LeaseBased;
    cfg.pre_vote = false;
    let mut n = RawNode::new(cfg, 1000).unwrap();
    let vote = || {
        msg(
            2,
            1,
            1,
            Payload::Vote {
                last_index: LogIndex(0),
                last_term: Term(0),
                transfer: false,
            },
        )
    };
    n.step(vote()).unwrap();
    let d = drain(&mut n);
    assert!(d.events.iter().any(|e| matches!(
        e,
        Event::VoteDenied {
            reason: DenyReason::RecentlyStarted { wait_ms: 150 },
            ..
        }
    )));
    n.tick(1150);
    n.step(vote()).unwrap();
    let d = drain(&mut n);
    assert_eq!(
        of_kind(&d.messages, MessageKind::VoteResp)[0].payload,
        Payload::VoteResp { reject: false }
    );
}

/// Injected bug `stale-read`: a cut-off follower answers from its own stale state at once.
#[test]
fn with_the_stale_read_bug_a_cut_off_follower_answers_from_stale_state() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.isolate(3);
    c.propose(1, b"new").unwrap();
    let stale = c.status(3).commit;
    assert!(stale < c.status(1).commit);
    c.node_mut(3).set_bugs(Bugs {
        stale_read: true,
        ..Bugs::default()
    });
    c.node_mut(3).read_index(9).unwrap();
    c.stabilize();
    assert_eq!(
        reads(&c, 3),
        vec![ReadState {
            ctx: 9,
            index: stale
        }]
    );
}

/// Reads waiting at a leader that steps down are aborted, locally and for the follower that
/// forwarded them, so callers can retry elsewhere.
#[test]
fn reads_waiting_at_a_leader_that_steps_down_are_aborted() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.cut_link(1, 3);
    c.ignore.insert(MessageKind::HeartbeatResp);
    c.node_mut(1).read_index(1).unwrap();
    c.node_mut(2).read_index(2).unwrap();
    c.stabilize();
    assert_eq!(c.status(1).pending_reads, 2);
    c.run_for(400); // CheckQuorum: no heartbeat answers, so the leader steps down
    assert!(c
        .events
        .iter()
        .any(|(n, e)| *n == NodeId(1) && matches!(e, Event::ReadAborted { ctx: 1 })));
    assert!(c
        .events
        .iter()
        .any(|(n, e)| *n == NodeId(2) && matches!(e, Event::ReadAborted { ctx: 2 })));
    assert!(reads(&c, 1).is_empty() && reads(&c, 2).is_empty());
}
