//! The trace explains what the page shows: every rejection, refusal and snapshot carries the
//! reason a learner needs, at the moment it happens. The runs are the page's guided scenarios
//! (web/scenarios.js), where each of these was once unexplained.

use raft_core::{AppendRejectReason, LogIndex, NextIndexReason, NodeId};
use raft_sim::trace::RefusalReason;
use raft_sim::{Scenario, Simulation, TraceEvent};

/// Play a scenario and keep its whole trace.
fn trace_of(json: &str) -> Vec<TraceEvent> {
    let scenario = Scenario::from_json(json).unwrap();
    let mut sim = Simulation::new(scenario.config.clone()).unwrap();
    let mut trace = Vec::new();
    for ta in &scenario.actions {
        trace.extend(sim.advance(ta.at_ms - sim.now_ms()).unwrap());
        sim.apply(ta.action.clone()).unwrap();
    }
    let end = scenario.end_ms.unwrap();
    trace.extend(sim.advance(end - sim.now_ms()).unwrap());
    trace
}

const S5_DOWN: &str = r#"{ "version": 1, "config": { "nodes": 5, "seed": 1, "clientWriteEveryMs": 40 SNAP },
  "actions": [ { "atMs": 600, "action": { "type": "crash", "node": 5 } },
               { "atMs": 2000, "action": { "type": "restart", "node": 5 } } ],
  "endMs": 2800 }"#;

#[test]
fn an_append_overtaken_on_the_network_is_rejected_because_the_log_is_too_short() {
    let trace = trace_of(&S5_DOWN.replace(" SNAP", ""));
    let rejections: Vec<_> = trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::AppendRejected {
                at_ms,
                node,
                prev_index,
                reason,
                ..
            } => Some((*at_ms, *node, *prev_index, *reason)),
            _ => None,
        })
        .collect();
    // S4 is healthy: at 505 ms the append after entry 4 overtook the one carrying entry 4, so
    // S4's log ended one entry short of it.
    assert!(
        rejections.iter().any(|r| r.1 == NodeId(4)
            && r.2 == LogIndex(4)
            && r.3
                == AppendRejectReason::LogTooShort {
                    last_index: LogIndex(3)
                }),
        "{rejections:?}"
    );
    // Every rejection in this run is of a log that is too short: no two logs ever diverge.
    assert!(rejections.iter().all(
        |r| matches!(r.3, AppendRejectReason::LogTooShort { last_index } if last_index < r.2)
    ));
}

#[test]
fn next_index_falls_back_to_the_match_after_a_pipelined_rejection_and_says_so() {
    let trace = trace_of(&S5_DOWN.replace(" SNAP", ""));
    let back: Vec<_> = trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::NextIndexMoved {
                peer: NodeId(5),
                from,
                to,
                reason: NextIndexReason::BackToMatch { rejected, matched },
                ..
            } => Some((from.0, to.0, rejected.0, matched.0)),
            _ => None,
        })
        .collect();
    // The leader had pipelined S5 up to 22; S5 (back from its crash) rejected the append after
    // 8, and the leader restarted right after S5's matchIndex 4.
    assert_eq!(back, vec![(23, 5, 8, 4)]);
}

#[test]
fn a_snapshot_is_explained_when_sent_and_its_unchanged_configuration_is_not_news() {
    let trace = trace_of(&S5_DOWN.replace(" SNAP", r#", "snapshotThreshold": 8"#));
    let sent = trace
        .iter()
        .position(|e| {
            matches!(e, TraceEvent::SnapshotSent { to: NodeId(5), needed, first_index, .. }
            if needed < first_index)
        })
        .expect("the leader says it sends S5 a snapshot because the entries it needs are gone");
    let installed = trace
        .iter()
        .position(|e| {
            matches!(
                e,
                TraceEvent::SnapshotInstalled {
                    node: NodeId(5),
                    ..
                }
            )
        })
        .expect("S5 installs it");
    let answered = trace
        .iter()
        .position(|e| {
            matches!(
                e,
                TraceEvent::NextIndexMoved {
                    peer: NodeId(5),
                    reason: NextIndexReason::SnapshotAnswered { .. },
                    ..
                }
            )
        })
        .expect("nextIndex moves past the snapshot");
    assert!(sent < installed && installed < answered);
    assert!(
        !trace[sent..].iter().any(|e| matches!(
            e,
            TraceEvent::ConfChanged {
                node: NodeId(5),
                ..
            }
        )),
        "S5's configuration did not change"
    );
}

/// After "votes ignore the log" elects S1 without committed entries 2..=4, the followers answer
/// S1's append with their commit index 4 (they never overwrite a committed entry), which is
/// beyond S1's log; S1 refuses those answers as impossible, so it never learns a match, re-sends
/// the same append after every heartbeat and cannot commit. The trace says so once per follower.
#[test]
fn the_wedge_after_votes_ignore_the_log_is_traced_as_refused_answers() {
    let trace = trace_of(
        r#"{ "version": 1,
        "config": { "nodes": 5, "seed": 42, "preVote": false, "checkQuorum": false, "leaderStickiness": false, "bugs": ["vote-ignores-log"] },
        "actions": [
          { "atMs": 800, "action": { "type": "partition", "groups": [[1], [2, 3, 4, 5]] } },
          { "atMs": 850, "action": { "type": "clientPut", "key": "a", "value": "1" } },
          { "atMs": 950, "action": { "type": "clientPut", "key": "b", "value": "2" } },
          { "atMs": 1050, "action": { "type": "clientPut", "key": "c", "value": "3" } },
          { "atMs": 1400, "action": { "type": "heal" } },
          { "atMs": 1401, "action": { "type": "timeout", "node": 1 } } ],
        "endMs": 2400 }"#,
    );
    let violation = trace
        .iter()
        .position(|e| matches!(e, TraceEvent::Violation { .. }))
        .expect("the checker flags Leader Completeness");
    let refused: Vec<_> = trace
        .iter()
        .filter_map(|e| match e {
            TraceEvent::MsgRefused {
                node: NodeId(1),
                from,
                msg_type,
                reason,
                ..
            } => Some((from.0, msg_type.as_ref(), reason.clone())),
            _ => None,
        })
        .collect();
    let beyond = RefusalReason::IndexBeyondLog {
        index: LogIndex(4),
        last_index: LogIndex(2),
    };
    let mut from: Vec<_> = refused.iter().map(|r| r.0).collect();
    from.sort();
    assert_eq!(from, vec![2, 3, 4, 5], "{refused:?}");
    assert!(refused.iter().all(|r| r.1 == "appendResp" && r.2 == beyond));
    let first_refusal = trace
        .iter()
        .position(|e| matches!(e, TraceEvent::MsgRefused { .. }))
        .unwrap();
    assert!(violation < first_refusal);
    // The append is re-sent after every heartbeat, yet each refusal is told once.
    let resends = trace
        .iter()
        .filter(|e| matches!(e, TraceEvent::MsgSent { from: NodeId(1), summary, .. } if summary.text().starts_with("append 2..2 after 1@1")))
        .count();
    assert!(resends > 40, "{resends} re-sends");
}
