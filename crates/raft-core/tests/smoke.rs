mod common;
use common::*;

#[test]
fn smoke_three_nodes_elect_and_commit() {
    let mut c = Cluster::new(3);
    c.run_for(1000);
    let l = c.leader().expect("a leader");
    let idx = c.propose(l.0, b"x").unwrap();
    c.run_for(200);
    for id in 1..=3 {
        assert!(c.status(id).commit >= idx, "{:?}", c.status(id));
    }
}
