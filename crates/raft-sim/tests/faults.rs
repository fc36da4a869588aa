//! Each fault model does what it says: crashes lose unpersisted writes, partitions (one-way too)
//! cut links, loss and duplication happen, messages reorder, pauses stall a node, skewed clocks
//! fire timers early, disk latency delays acknowledgements.

use raft_sim::action::*;
use raft_sim::node::NodeStatus;
use raft_sim::{Action, NodeId, SimConfig, Simulation, TraceEvent};

fn sim(cfg: SimConfig) -> Simulation {
    Simulation::new(cfg).unwrap()
}

fn leader_after(sim: &mut Simulation, ms: u64) -> NodeId {
    sim.advance_ms(ms);
    sim.current_leader().expect("a leader")
}

fn set_link_up(from: u64, to: u64, up: bool) -> Action {
    Action::SetLink(SetLink {
        from: NodeId(from).into(),
        to: NodeId(to).into(),
        up: Some(up),
        latency_ms: None,
        latency_ms_min: None,
        latency_ms_max: None,
        loss_pct: None,
        dup_pct: None,
    })
}

#[test]
fn when_the_leader_crashes_a_new_leader_is_elected_in_a_higher_term() {
    let mut s = sim(SimConfig {
        seed: 1,
        ..SimConfig::default()
    });
    let old = leader_after(&mut s, 2_000);
    let old_term = s.state().nodes.iter().find(|n| n.id == old).unwrap().term;
    s.apply(Action::Crash(Crash { node: old })).unwrap();
    let new = leader_after(&mut s, 2_000);
    assert_ne!(new, old);
    let new_term = s.state().nodes.iter().find(|n| n.id == new).unwrap().term;
    assert!(new_term > old_term);
    assert!(s.check().ok, "{:?}", s.check());
}

#[test]
fn a_crash_loses_writes_that_had_not_reached_the_disk() {
    // A long disk latency makes a window where a follower has appended entries in memory that
    // are not yet on disk. Crash it inside that window.
    let cfg = SimConfig {
        seed: 2,
        disk_latency_ms: 40.0,
        client_write_every_ms: 5,
        ..SimConfig::default()
    };
    let mut s = sim(cfg);
    let leader = leader_after(&mut s, 2_000);
    let follower = s.state().nodes.iter().find(|n| n.id != leader).unwrap().id;
    let mut found = false;
    for _ in 0..2_000 {
        s.advance_ms(1);
        let w = s.world();
        let n = &w.nodes[&follower];
        let on_disk = n.storage.entries.last().map_or(0, |e| e.index.0);
        let pending_entries = n
            .pending_writes
            .iter()
            .any(|p| !p.entries.is_empty() && !p.durable);
        if pending_entries {
            let in_memory = s
                .state()
                .nodes
                .iter()
                .find(|x| x.id == follower)
                .unwrap()
                .last_index
                .0;
            assert!(in_memory > on_disk);
            s.apply(Action::Crash(Crash { node: follower })).unwrap();
            s.apply(Action::Restart(Restart { node: follower }))
                .unwrap();
            let after = s
                .state()
                .nodes
                .iter()
                .find(|x| x.id == follower)
                .unwrap()
                .last_index
                .0;
            assert_eq!(after, on_disk, "only the persisted log survives the crash");
            found = true;
            break;
        }
    }
    assert!(found, "never caught a write in flight to disk");
    s.advance_ms(2_000);
    assert!(s.check().ok, "{:?}", s.check());
}

#[test]
fn a_leader_in_a_minority_cannot_commit_and_its_entries_are_overwritten_after_heal() {
    let mut s = sim(SimConfig {
        seed: 3,
        check_quorum: false,
        ..SimConfig::default()
    });
    let old = leader_after(&mut s, 2_000);
    let others: Vec<NodeId> = (1..=5).map(NodeId).filter(|&n| n != old).collect();
    s.apply(Action::Partition(Partition::of_nodes(vec![
        vec![old, others[0]],
        others[1..].to_vec(),
    ])))
    .unwrap();
    let commit_before = s
        .state()
        .nodes
        .iter()
        .find(|n| n.id == old)
        .unwrap()
        .commit_index;
    // The old leader is told to write; it appends but cannot commit.
    s.apply(Action::ClientPut(ClientPut {
        key: "k".into(),
        value: "lost".into(),
        client: None,
    }))
    .unwrap();
    s.advance_ms(3_000);
    let st = s.state();
    let o = st.nodes.iter().find(|n| n.id == old).unwrap();
    assert_eq!(
        o.commit_index, commit_before,
        "a minority leader cannot commit"
    );
    s.apply(Action::Heal(Heal {})).unwrap();
    let trace = s.advance_ms(3_000);
    let truncated = trace
        .iter()
        .any(|e| matches!(e, TraceEvent::EntriesTruncated { node, .. } if *node == old));
    assert!(
        truncated,
        "the old leader's uncommitted entries are overwritten"
    );
    assert!(s.check().ok, "{:?}", s.check());
}

#[test]
fn a_one_way_cut_drops_one_direction_only() {
    let mut s = sim(SimConfig {
        seed: 4,
        ..SimConfig::default()
    });
    let leader = leader_after(&mut s, 2_000);
    let f = if leader == NodeId(1) { 2 } else { 1 };
    s.apply(set_link_up(leader.0, f, false)).unwrap();
    let trace = s.advance_ms(1_000);
    let dropped_forward = trace.iter().any(
        |e| matches!(e, TraceEvent::MsgDropped { from, to, .. } if *from == leader && to.0 == f),
    );
    let delivered_back = trace.iter().any(
        |e| matches!(e, TraceEvent::MsgDelivered { from, to, .. } if from.0 == f && *to == leader),
    );
    assert!(dropped_forward);
    assert!(delivered_back);
    let link = s
        .state()
        .links
        .iter()
        .find(|l| l.from == leader.0 && l.to == f)
        .cloned()
        .unwrap();
    assert!(!link.up);
}

#[test]
fn loss_duplication_and_reordering_happen_and_raft_survives_them() {
    let cfg = SimConfig {
        seed: 5,
        loss_pct: 20.0,
        dup_pct: 20.0,
        latency_ms_min: 1.0,
        latency_ms_max: 40.0,
        client_write_every_ms: 30,
        // Client requests and answers cross the same lossy links: about a third of round trips
        // fail, so the client retries sooner than the default (which leaves room for elections).
        client_retry_timeout_ms: 200,
        ..SimConfig::default()
    };
    let mut s = sim(cfg);
    let trace = s.advance_ms(10_000);
    let lost = trace
        .iter()
        .filter(|e| {
            matches!(
                e,
                TraceEvent::MsgDropped {
                    reason: raft_sim::network::DropReason::Lost,
                    ..
                }
            )
        })
        .count();
    let dups = trace
        .iter()
        .filter(|e| matches!(e, TraceEvent::MsgDuplicated { .. }))
        .count();
    assert!(lost > 50 && dups > 50, "lost {lost}, duplicated {dups}");
    // Reordering: on some link, a later-sent message is delivered before an earlier one.
    let mut last_id: std::collections::BTreeMap<(u64, u64), u64> = Default::default();
    let mut reordered = false;
    for e in &trace {
        if let TraceEvent::MsgDelivered { id, from, to, .. } = e {
            let k = (from.0, to.0);
            if last_id.get(&k).is_some_and(|&prev| prev > *id) {
                reordered = true;
            }
            last_id.insert(k, *id);
        }
    }
    assert!(reordered);
    let completed: u64 = s.state().clients.iter().map(|c| c.completed).sum();
    assert!(completed > 20, "clients still make progress: {completed}");
    assert!(s.check().ok, "{:?}", s.check());
}

#[test]
fn a_paused_node_stalls_and_catches_up_on_resume() {
    let mut s = sim(SimConfig {
        seed: 6,
        client_write_every_ms: 50,
        ..SimConfig::default()
    });
    let leader = leader_after(&mut s, 2_000);
    let f = (1..=5).map(NodeId).find(|&n| n != leader).unwrap();
    s.apply(Action::Pause(Pause { node: f })).unwrap();
    let trace = s.advance_ms(1_000);
    assert!(!trace
        .iter()
        .any(|e| matches!(e, TraceEvent::MsgDelivered { to, .. } if *to == f)));
    assert!(!trace
        .iter()
        .any(|e| matches!(e, TraceEvent::MsgSent { from, .. } if *from == f)));
    let paused_state = s.state();
    let pf = paused_state.nodes.iter().find(|n| n.id == f).unwrap();
    assert_eq!(pf.status, NodeStatus::Paused);
    let lead_commit = paused_state
        .nodes
        .iter()
        .find(|n| n.id == leader)
        .unwrap()
        .commit_index;
    assert!(pf.commit_index < lead_commit, "the paused node fell behind");
    s.apply(Action::Resume(Resume { node: f })).unwrap();
    let trace = s.advance_ms(1);
    assert!(
        trace
            .iter()
            .any(|e| matches!(e, TraceEvent::MsgDelivered { to, .. } if *to == f)),
        "queued messages arrive"
    );
    s.advance_ms(1_000);
    let st = s.state();
    let pf = st.nodes.iter().find(|n| n.id == f).unwrap();
    assert!(pf.commit_index >= lead_commit);
}

#[test]
fn a_fast_clock_fires_election_timers_sooner() {
    // Two followers cut off from everyone; one clock runs 40% fast. It campaigns more often.
    let mut s = sim(SimConfig {
        seed: 7,
        pre_vote: true,
        ..SimConfig::default()
    });
    let leader = leader_after(&mut s, 2_000);
    let mut lonely: Vec<NodeId> = (1..=5).map(NodeId).filter(|&n| n != leader).collect();
    lonely.truncate(2);
    let rest: Vec<NodeId> = (1..=5)
        .map(NodeId)
        .filter(|n| !lonely.contains(n))
        .collect();
    s.apply(Action::Partition(Partition::of_nodes(vec![
        vec![lonely[0]],
        vec![lonely[1]],
        rest,
    ])))
    .unwrap();
    s.apply(Action::ClockSkew(ClockSkew {
        node: lonely[0],
        rate_ppm: 400_000,
    }))
    .unwrap();
    let trace = s.advance_ms(20_000);
    let campaigns = |n: NodeId| {
        trace.iter().filter(|e| matches!(e, TraceEvent::RoleChanged { node, to, .. } if *node == n && *to != raft_core::Role::Follower)).count()
    };
    let (fast, normal) = (campaigns(lonely[0]), campaigns(lonely[1]));
    assert!(fast > normal + normal / 5, "fast {fast}, normal {normal}");
    assert_eq!(
        s.state()
            .nodes
            .iter()
            .find(|n| n.id == lonely[0])
            .unwrap()
            .clock_skew_ppm,
        400_000
    );
}

#[test]
fn with_disk_latency_an_ack_leaves_only_after_the_write_is_durable() {
    let cfg = SimConfig {
        seed: 8,
        disk_latency_ms: 30.0,
        client_write_every_ms: 100,
        ..SimConfig::default()
    };
    let mut s = sim(cfg);
    let trace = s.advance_ms(5_000);
    // For each follower: an append carrying entries arrives; its successful answer leaves >= 30 ms later.
    let mut checked = 0;
    let mut highest: std::collections::BTreeMap<u64, u64> = Default::default();
    // A delivered message's summary is on its msgSent.
    let mut summaries: std::collections::BTreeMap<u64, String> = Default::default();
    for (i, e) in trace.iter().enumerate() {
        if let TraceEvent::MsgSent { id, summary, .. } = e {
            summaries.insert(*id, summary.to_string());
        }
        if let TraceEvent::MsgDelivered {
            at_ms,
            id,
            msg_type,
            to,
            ..
        } = e
        {
            // "append 7..9 after 6@2, commit 5": the ack for it says "ok, match 9".
            let Some(range) = summaries[id]
                .strip_prefix("append ")
                .and_then(|r| r.split(' ').next())
            else {
                continue;
            };
            let Some((_, last)) = range.split_once("..") else {
                continue;
            };
            if msg_type != "append" {
                continue;
            }
            // Only appends that bring entries this follower never received (a resent append
            // of entries already on its disk is rightly acknowledged at once).
            let last_n: u64 = last.parse().unwrap();
            let seen = highest.entry(to.0).or_insert(0);
            if last_n <= *seen {
                continue;
            }
            *seen = last_n;
            let want = format!("ok, match {last}");
            let answer = trace[i + 1..].iter().find_map(|x| match x {
                TraceEvent::MsgSent {
                    at_ms: t,
                    from,
                    msg_type,
                    summary,
                    ..
                } if from == to && msg_type == "appendResp" && summary.text() == want => Some(*t),
                _ => None,
            });
            if let Some(t) = answer {
                assert!(t - at_ms >= 30.0 - 1e-9, "ack after {} ms", t - at_ms);
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "checked {checked}");
    assert!(s.check().ok);
}

#[test]
fn refused_actions_change_nothing_and_are_not_recorded() {
    let mut s = sim(SimConfig {
        nodes: 3,
        seed: 9,
        ..SimConfig::default()
    });
    s.advance_ms(500);
    let before = s.state_hash();
    let e = s
        .apply(Action::Crash(Crash { node: NodeId(7) }))
        .unwrap_err();
    assert!(e.to_string().contains("unknown node 7"), "{e}");
    let e = s
        .apply(Action::Restart(Restart { node: NodeId(1) }))
        .unwrap_err();
    assert!(e.to_string().contains("not crashed"), "{e}");
    let e = s
        .apply(Action::SetBug(SetBug {
            name: "nope".into(),
            on: true,
        }))
        .unwrap_err();
    assert_eq!(e.field, "name");
    assert_eq!(s.state_hash(), before);
    assert!(s.scenario().actions.is_empty());
    // And the simulation keeps working.
    s.advance_ms(2_000);
    assert!(s.current_leader().is_some());
}

#[test]
fn choosing_lease_reads_turns_check_quorum_on_and_it_cannot_be_turned_off_under_a_lease() {
    let mut s = sim(SimConfig {
        seed: 10,
        check_quorum: false,
        ..SimConfig::default()
    });
    s.apply(Action::SetReadMode(SetReadMode {
        mode: raft_sim::ReadMode::Lease,
    }))
    .unwrap();
    assert!(s.config().check_quorum);
    let e = s
        .apply(Action::SetToggle(SetToggle {
            name: "checkQuorum".into(),
            on: false,
        }))
        .unwrap_err();
    assert!(e.to_string().contains("lease"), "{e}");
    s.apply(Action::ClientPut(ClientPut {
        key: "k".into(),
        value: "v".into(),
        client: None,
    }))
    .unwrap();
    s.apply(Action::ClientGet(ClientGet {
        key: "k".into(),
        client: None,
    }))
    .unwrap();
    s.advance_ms(3_000);
    assert!(s.check().ok, "{:?}", s.check());
}

#[test]
fn set_all_links_changes_every_link_but_leaves_cut_ones_cut_and_is_one_recorded_action() {
    let mut s = sim(SimConfig {
        nodes: 4,
        seed: 5,
        ..SimConfig::default()
    });
    s.advance_ms(500);
    s.apply(set_link_up(1, 2, false)).unwrap();
    s.advance_ms(1); // takes the trace so far, with that link's cut
    let recorded = s.recorded_scenario().actions.len();
    let all = |lo: f64, hi: f64, loss: f64| {
        Action::SetAllLinks(SetAllLinks {
            latency_ms: None,
            latency_ms_min: Some(lo),
            latency_ms_max: Some(hi),
            loss_pct: Some(loss),
            dup_pct: None,
        })
    };
    s.apply(all(10.0, 60.0, 5.0)).unwrap();
    let trace = s.advance_ms(1);
    assert!(
        !trace
            .iter()
            .any(|e| matches!(e, TraceEvent::LinkChanged { .. })),
        "no link went up or down"
    );
    let links = s.state().links;
    assert_eq!(links.len(), 12, "4 nodes have 12 directed links");
    for l in &links {
        assert_eq!((l.latency_ms_min, l.latency_ms_max), (10.0, 60.0));
        assert_eq!(l.loss_pct, 5.0);
        assert_eq!(l.dup_pct, 0.0, "an option not given stays as it was");
        assert_eq!(
            l.up,
            !(l.from == 1 && l.to == 2),
            "link {}->{}",
            l.from,
            l.to
        );
    }
    assert_eq!(s.recorded_scenario().actions.len(), recorded + 1);
    // A bad range is refused whole: no link changes and nothing is recorded.
    assert!(s.apply(all(80.0, 20.0, 50.0)).is_err());
    assert!(s.state().links.iter().all(|l| l.loss_pct == 5.0));
    assert_eq!(s.recorded_scenario().actions.len(), recorded + 1);
    // They are the network's settings now: a heal brings the cut link back with them, and a
    // server added later is reached through links that have them too.
    s.apply(Action::Heal(Heal {})).unwrap();
    s.advance_ms(1_000);
    s.apply(Action::AddServer(AddServer { node: NodeId(5) }))
        .unwrap();
    s.advance_ms(1_000);
    let links = s.state().links;
    assert_eq!(links.len(), 20, "5 nodes have 20 directed links");
    for l in &links {
        assert!(l.up, "link {}->{}", l.from, l.to);
        assert_eq!(
            (l.latency_ms_min, l.latency_ms_max, l.loss_pct),
            (10.0, 60.0, 5.0)
        );
    }
}
