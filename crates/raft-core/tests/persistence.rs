//! Figure 2, "Persistent state on all servers ... updated on stable storage before responding
//! to RPCs": the persistence boundary of Ready/advance, and restarts.
mod common;
use common::*;
use raft_core::*;

fn vote_req(from: u64, term: u64) -> Message {
    msg(
        from,
        1,
        term,
        Payload::Vote {
            last_index: LogIndex(0),
            last_term: Term(0),
            transfer: false,
        },
    )
}

/// A restarted server keeps currentTerm, votedFor and its log. Reference: Figure 2, §5.1.
#[test]
fn a_restarted_node_keeps_its_term_vote_and_log() {
    let mut c = Cluster::with(3, paper);
    c.elect(1);
    for i in 0..3u8 {
        c.propose(1, &[i]).unwrap();
    }
    let before = c.status(2);
    let log_before = c.log_terms(2);
    c.crash(2);
    c.restart(2);
    let after = c.status(2);
    assert_eq!(
        (after.term, after.voted_for),
        (before.term, Some(NodeId(1)))
    );
    assert_eq!(c.log_terms(2), log_before);
    assert_eq!(
        after.commit, before.commit,
        "the commit index is persisted too"
    );
    assert_eq!(after.role, Role::Follower);
    // It re-applies what it had committed.
    c.run_for(10);
    assert_eq!(c.applied[&NodeId(2)].len() as u64, after.commit.0);
}

/// A vote grant promises a persisted votedFor, so it leaves only after `advance`. Reference:
/// Figure 2 ("before responding to RPCs"), §5.2.
#[test]
fn a_vote_grant_is_held_until_the_vote_is_persisted() {
    let mut n = RawNode::new(config(1, &ids(3)), 0).unwrap();
    n.step(vote_req(2, 1)).unwrap();
    let mut rd = n.ready();
    assert_eq!(rd.hard_state.map(|h| h.vote), Some(Some(NodeId(2))));
    assert!(
        of_kind(&rd.messages, MessageKind::VoteResp).is_empty(),
        "grant sent before persisting"
    );
    assert!(rd.must_persist());
    let t = rd.persist_token();
    assert!(!n.has_ready() || of_kind(&n.ready().messages, MessageKind::VoteResp).is_empty());
    n.advance(t);
    let rd = n.ready();
    assert_eq!(
        of_kind(&rd.messages, MessageKind::VoteResp)[0].payload,
        Payload::VoteResp { reject: false }
    );
}

/// An append ack promises persisted entries, so it leaves only after `advance`. Reference:
/// Figure 2, §5.3.
#[test]
fn an_append_ack_is_held_until_the_entries_are_persisted() {
    let mut n = RawNode::new(config(1, &ids(3)), 0).unwrap();
    let app = Payload::Append {
        prev_index: LogIndex(0),
        prev_term: Term(0),
        entries: ents(&[(1, 1), (2, 1)]),
        commit: LogIndex(0),
    };
    n.step(msg(2, 1, 1, app)).unwrap();
    let mut rd = n.ready();
    assert_eq!(rd.entries.len(), 2);
    assert!(rd.messages.is_empty());
    let t = rd.persist_token();
    n.advance(t);
    let rd = n.ready();
    let acks = of_kind(&rd.messages, MessageKind::AppendResp);
    assert!(matches!(
        acks[0].payload,
        Payload::AppendResp {
            reject: false,
            index: LogIndex(2),
            ..
        }
    ));
}

/// The leader's own log counts toward a majority only once it is on the leader's disk.
/// Reference: §5.3 (the leader is one of the majority), Figure 2.
#[test]
fn the_leader_counts_its_own_entries_only_after_persisting_them() {
    let mut n = RawNode::new(config(1, &ids(1)), 0).unwrap();
    make_leader(&mut n);
    let idx = n.propose(b"x".to_vec()).unwrap();
    let mut rd = n.ready();
    assert_eq!(rd.entries.last().map(|e| e.index), Some(idx));
    assert!(
        n.status().commit < idx,
        "committed before the leader's disk has it"
    );
    let t = rd.persist_token();
    n.advance(t);
    assert_eq!(n.status().commit, idx);
    let rd = n.ready();
    assert_eq!(rd.committed_entries.last().map(|e| e.index), Some(idx));
}

/// Advancing a later token also advances the earlier ones (the disk writes in order); a spent
/// token does nothing.
#[test]
fn advancing_a_later_token_releases_every_earlier_ready() {
    let mut n = RawNode::new(config(1, &ids(3)), 0).unwrap();
    n.step(vote_req(2, 1)).unwrap();
    let mut rd1 = n.ready();
    let t1 = rd1.persist_token();
    let spent = rd1.persist_token();
    assert_eq!(spent.seq(), 0);
    let app = Payload::Append {
        prev_index: LogIndex(0),
        prev_term: Term(0),
        entries: ents(&[(1, 1)]),
        commit: LogIndex(0),
    };
    n.step(msg(2, 1, 1, app)).unwrap();
    let mut rd2 = n.ready();
    let t2 = rd2.persist_token();
    n.advance(spent);
    assert!(!n.has_ready());
    n.advance(t2);
    let rd = n.ready();
    assert_eq!(
        rd.messages.len(),
        2,
        "vote grant and append ack: {:?}",
        rd.messages
    );
    n.advance(t1); // stale: ignored
    assert!(!n.has_ready());
}

/// A follower that crashes before its disk write loses the entries, but it never acknowledged
/// them, so nothing committed is lost. Reference: Figure 2, §5.3.
#[test]
fn a_crash_before_persisting_loses_only_entries_that_were_never_acknowledged() {
    let mut c = Cluster::with(3, paper);
    c.elect(1);
    c.hold_persist.insert(NodeId(2));
    let idx = c.propose(1, b"x").unwrap();
    assert_eq!(c.status(2).last_index, idx, "in memory");
    assert_eq!(c.status(1).commit, idx, "committed by 1 and 3");
    c.crash(2);
    c.restart(2);
    assert!(
        c.status(2).last_index < idx,
        "the unpersisted entry is gone"
    );
    c.run_for(100);
    assert_eq!(c.log_terms(2), c.log_terms(1));
}

/// Injected bug `ack-before-persist`: the grant leaves in the same Ready as the vote to persist.
#[test]
fn with_ack_before_persist_the_vote_grant_leaves_before_the_vote_is_on_disk() {
    let mut cfg = config(1, &ids(3));
    cfg.bugs = Bugs::from_names(&["ack-before-persist"]).unwrap();
    let mut n = RawNode::new(cfg, 0).unwrap();
    n.step(vote_req(2, 1)).unwrap();
    let rd = n.ready();
    assert!(rd.hard_state.is_some());
    assert_eq!(of_kind(&rd.messages, MessageKind::VoteResp).len(), 1);
}

/// "Each server will vote for at most one candidate in a given term" holds across restarts
/// because votedFor is persisted; the `forget-vote-on-restart` bug breaks it. Reference: §5.2.
#[test]
fn a_restarted_node_does_not_vote_twice_in_a_term_unless_it_forgets_its_vote() {
    for bug in [false, true] {
        let mut cfg = config(1, &ids(3));
        paper(&mut cfg);
        cfg.bugs.forget_vote_on_restart = bug;
        let mut n = RawNode::new(cfg.clone(), 0).unwrap();
        let mut disk = PersistedState::default();
        n.step(vote_req(2, 1)).unwrap();
        while n.has_ready() {
            let mut rd = n.ready();
            DiskWrite::of(&rd).apply(&mut disk);
            let t = rd.persist_token();
            n.advance(t);
        }
        let mut n = RawNode::restart(cfg, disk, 0).unwrap();
        n.step(vote_req(3, 1)).unwrap();
        let d = drain(&mut n);
        let resp = of_kind(&d.messages, MessageKind::VoteResp);
        assert_eq!(
            resp[0].payload,
            Payload::VoteResp { reject: !bug },
            "bug {bug}"
        );
    }
}

/// A node restarted at time T waits a whole election timeout from T before campaigning.
#[test]
fn a_restarted_node_waits_a_full_election_timeout_from_its_restart() {
    let mut c = Cluster::new(3);
    c.run_for(5000);
    let l = c.leader().unwrap();
    let f = (1..=3).find(|i| NodeId(*i) != l).unwrap();
    c.crash(f);
    c.restart(f);
    let s = c.status(f);
    assert_eq!(s.now_ms, 5000);
    assert!(
        s.election_deadline_ms.unwrap() >= 5000 + 150,
        "{:?}",
        s.election_deadline_ms
    );
    assert_eq!(s.role, Role::Follower);
}
