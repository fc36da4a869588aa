//! Membership actions go through raft-core's configuration changes: a new server starts empty,
//! catches up from the leader and becomes a voter; a removed server leaves the configuration.

use raft_sim::action::*;
use raft_sim::{Action, NodeId, SimConfig, Simulation, TraceEvent};

#[test]
fn an_added_server_catches_up_and_votes_and_a_removed_one_leaves() {
    let mut s = Simulation::new(SimConfig {
        nodes: 3,
        seed: 31,
        client_write_every_ms: 30,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_ms(2_000);
    s.apply(Action::AddServer(AddServer { node: NodeId(4) }))
        .unwrap();
    s.advance_ms(3_000);
    let st = s.state();
    let leader = st
        .nodes
        .iter()
        .find(|n| n.role == raft_core::Role::Leader)
        .expect("a leader");
    assert!(
        leader.voters.contains(&NodeId(4)),
        "voters {:?}",
        leader.voters
    );
    let n4 = st
        .nodes
        .iter()
        .find(|n| n.id == NodeId(4))
        .expect("node 4 exists");
    assert!(
        n4.commit_index.0 + 5 >= leader.commit_index.0,
        "node 4 caught up: {} vs {}",
        n4.commit_index,
        leader.commit_index
    );
    assert!(!n4.kv.is_empty(), "node 4 applied the replicated writes");
    let victim = st
        .nodes
        .iter()
        .map(|n| n.id)
        .find(|&id| id != leader.id)
        .unwrap();
    s.apply(Action::RemoveServer(RemoveServer { node: victim }))
        .unwrap();
    s.advance_ms(3_000);
    let st = s.state();
    let leader = st
        .nodes
        .iter()
        .find(|n| n.role == raft_core::Role::Leader)
        .expect("a leader");
    assert!(
        !leader.voters.contains(&victim),
        "voters {:?}",
        leader.voters
    );
    assert!(s.check().ok, "{:?}", s.check());
    // The scenario replays the same membership history.
    let replay = Simulation::from_scenario(s.scenario()).unwrap();
    assert_eq!(replay.state_hash(), s.state_hash());
}

fn ids(v: &[u64]) -> Vec<NodeId> {
    v.iter().map(|&n| NodeId(n)).collect()
}

#[test]
fn a_joint_change_passes_through_c_old_new_before_c_new_alone() {
    // §6: the cluster moves from {1,2,3} to {3,4,5} through the joint configuration C_old,new,
    // in which decisions need majorities of both halves, then to C_new alone.
    let mut s = Simulation::new(SimConfig {
        nodes: 3,
        seed: 37,
        client_write_every_ms: 30,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_ms(2_000);
    s.apply(Action::ChangeMembership(ChangeMembership {
        voters: ids(&[3, 4, 5]),
        learners: vec![],
    }))
    .unwrap();
    // One change at a time: a second while the first is pending is refused, naming the field.
    let again = s
        .apply(Action::ChangeMembership(ChangeMembership {
            voters: ids(&[1, 2, 3]),
            learners: vec![],
        }))
        .unwrap_err();
    assert_eq!(again.field, "voters", "{again}");
    let trace = s.advance_ms(4_000);
    let joint = trace
        .iter()
        .position(|e| {
            matches!(e, TraceEvent::ConfChanged { voters, voters_outgoing, joint: true, .. }
                if *voters == ids(&[3, 4, 5]) && *voters_outgoing == ids(&[1, 2, 3]))
        })
        .expect("a confChanged into C_old,new");
    let left = trace[joint..].iter().any(|e| {
        matches!(e, TraceEvent::ConfChanged { voters, voters_outgoing, joint: false, .. }
                if *voters == ids(&[3, 4, 5]) && voters_outgoing.is_empty())
    });
    assert!(left, "C_new alone follows C_old,new");
    s.advance_ms(3_000);
    let st = s.state();
    let leader = st
        .nodes
        .iter()
        .find(|n| n.role == raft_core::Role::Leader)
        .expect("a leader in C_new");
    assert!([3, 4, 5].contains(&leader.id.0), "leader {}", leader.id);
    assert_eq!(leader.voters, ids(&[3, 4, 5]));
    assert!(s.check().ok, "{:?}", s.check());
    let replay = Simulation::from_scenario(s.scenario()).unwrap();
    assert_eq!(replay.state_hash(), s.state_hash());
}

#[test]
fn a_bad_membership_change_is_refused_naming_the_field() {
    let mut s = Simulation::new(SimConfig {
        nodes: 3,
        seed: 37,
        ..SimConfig::default()
    })
    .unwrap();
    s.advance_ms(2_000);
    let before = s.state_hash();
    let empty = s
        .apply(Action::ChangeMembership(ChangeMembership {
            voters: vec![],
            learners: vec![],
        }))
        .unwrap_err();
    assert_eq!(empty.field, "voters", "{empty}");
    let out_of_range = s
        .apply(Action::ChangeMembership(ChangeMembership {
            voters: ids(&[1, 2]),
            learners: ids(&[0]),
        }))
        .unwrap_err();
    assert_eq!(out_of_range.field, "learners[0]", "{out_of_range}");
    let twice = s
        .apply(Action::ChangeMembership(ChangeMembership {
            voters: ids(&[1, 2]),
            learners: ids(&[2]),
        }))
        .unwrap_err();
    assert_eq!(twice.field, "learners[0]", "{twice}");
    assert_eq!(s.state_hash(), before, "a refused change leaves no mark");
}
