//! Membership actions go through raft-core's configuration changes: a new server starts empty,
//! catches up from the leader and becomes a voter; a removed server leaves the configuration.

use raft_sim::{Action, NodeId, SimConfig, Simulation};

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
    s.apply(Action::AddServer { node: NodeId(4) }).unwrap();
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
    s.apply(Action::RemoveServer { node: victim }).unwrap();
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
