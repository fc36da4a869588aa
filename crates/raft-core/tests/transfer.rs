//! Leadership transfer (dissertation §3.10).
mod common;
use common::*;
use raft_core::*;

fn has(c: &Cluster, f: impl Fn(&Event) -> bool) -> bool {
    c.events.iter().any(|(_, e)| f(e))
}

/// Transfer to an up-to-date follower: TimeoutNow at once, and the target wins the next term.
#[test]
fn leadership_moves_to_an_up_to_date_follower() {
    let mut c = Cluster::new(3);
    c.elect(1);
    let term = c.status(1).term;
    c.node_mut(1).transfer_leader(NodeId(2)).unwrap();
    c.stabilize();
    assert_eq!(c.status(2).role, Role::Leader);
    assert_eq!(c.status(2).term, term.next());
    assert_eq!(c.status(1).role, Role::Follower);
    assert!(has(&c, |e| matches!(
        e,
        Event::TimeoutNowSent { to: NodeId(2) }
    )));
    assert!(!has(&c, |e| matches!(e, Event::TransferAborted { .. })));
}

/// "The prior leader sends its log entries to the target server" before TimeoutNow.
#[test]
fn a_lagging_target_is_caught_up_before_it_is_told_to_campaign() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.isolate(3);
    for i in 0..5u8 {
        c.propose(1, &[i]).unwrap();
    }
    c.heal();
    let last = c.status(1).last_index;
    assert!(c.status(3).last_index < last);
    c.node_mut(1).transfer_leader(NodeId(3)).unwrap();
    let first = c.take_queue();
    assert!(
        of_kind(&first, MessageKind::TimeoutNow).is_empty(),
        "not yet up to date"
    );
    for m in first {
        c.send(m);
    }
    c.run_for(100);
    // TimeoutNow left only after node 3 had appended the leader's last entry.
    let appended = c.events.iter().position(|(n, e)| {
        *n == NodeId(3) && matches!(e, Event::EntriesAppended { to, .. } if *to == last)
    });
    let timeout_now = c
        .events
        .iter()
        .position(|(_, e)| matches!(e, Event::TimeoutNowSent { to: NodeId(3) }));
    assert!(appended.unwrap() < timeout_now.unwrap());
    assert_eq!(c.status(3).role, Role::Leader);
    assert!(
        c.status(3).last_index > last,
        "it has everything plus its no-op"
    );
}

/// "If the transfer does not complete within an election timeout, the prior leader aborts the
/// transfer and resumes accepting client requests."
#[test]
fn a_transfer_that_does_not_finish_within_an_election_timeout_is_aborted() {
    let mut c = Cluster::new(3);
    c.elect(1);
    c.isolate(3);
    c.node_mut(1).transfer_leader(NodeId(3)).unwrap();
    c.stabilize();
    assert_eq!(
        c.propose(1, b"x").unwrap_err(),
        ProposeError::TransferInProgress { to: NodeId(3) }
    );
    assert_eq!(c.status(1).transfer_target, Some(NodeId(3)));
    c.run_for(200);
    assert!(has(&c, |e| matches!(
        e,
        Event::TransferAborted {
            to: NodeId(3),
            reason: TransferAbortReason::Timeout
        }
    )));
    assert_eq!(c.status(1).role, Role::Leader);
    assert_eq!(c.status(1).transfer_target, None);
    assert!(c.propose(1, b"x").is_ok());
}

/// Only the leader transfers, and only to another voter (dissertation §3.10).
#[test]
fn a_transfer_to_itself_a_non_member_or_from_a_follower_is_refused() {
    let mut c = Cluster::new(3);
    c.elect(1);
    assert_eq!(
        c.node_mut(1).transfer_leader(NodeId(1)).unwrap_err(),
        TransferError::ToSelf
    );
    assert_eq!(
        c.node_mut(1).transfer_leader(NodeId(9)).unwrap_err(),
        TransferError::NotAVoter { node: NodeId(9) }
    );
    assert!(matches!(
        c.node_mut(2).transfer_leader(NodeId(3)).unwrap_err(),
        TransferError::NotLeader { .. }
    ));
}
