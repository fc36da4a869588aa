//! Throughput of a 5-node in-memory cluster: proposals committed per second and nanoseconds per
//! message step. Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench -p raft-core --bench throughput`

use std::collections::VecDeque;
use std::time::Instant;

use raft_core::{Config, Message, NodeId, RawNode, Role};

struct Net {
    nodes: Vec<RawNode>,
    queue: VecDeque<Message>,
    messages: u64,
    step_ns: u128,
    committed: u64,
}

impl Net {
    fn new(n: u64) -> Net {
        let voters: Vec<NodeId> = (1..=n).map(NodeId).collect();
        let nodes = voters
            .iter()
            .map(|&id| {
                let mut c = Config::new(id, voters.clone());
                c.max_inflight_appends = 64;
                c.max_entries_per_append = 256;
                RawNode::new(c, 0).expect("valid config")
            })
            .collect();
        Net {
            nodes,
            queue: VecDeque::new(),
            messages: 0,
            step_ns: 0,
            committed: 0,
        }
    }

    /// Persist (instantly) and collect every node's Ready.
    fn flush(&mut self) {
        for i in 0..self.nodes.len() {
            while self.nodes[i].has_ready() {
                let mut rd = self.nodes[i].ready();
                let t = rd.persist_token();
                self.queue.extend(rd.messages);
                if i == 0 {
                    self.committed += rd.committed_entries.len() as u64;
                }
                self.nodes[i].advance(t);
            }
        }
    }

    /// Deliver until quiet, timing only the `step` calls.
    fn settle(&mut self) {
        loop {
            self.flush();
            if self.queue.is_empty() {
                break;
            }
            let batch: Vec<Message> = self.queue.drain(..).collect();
            self.messages += batch.len() as u64;
            let start = Instant::now();
            for m in batch {
                let to = (m.to.0 - 1) as usize;
                let _ = self.nodes[to].step(m);
            }
            self.step_ns += start.elapsed().as_nanos();
        }
    }
}

fn main() {
    let mut net = Net::new(5);
    net.nodes[0].campaign();
    net.settle();
    assert_eq!(net.nodes[0].status().role, Role::Leader);
    net.committed = 0;
    net.messages = 0;
    net.step_ns = 0;
    let payload = vec![0u8; 64];
    let proposals = 200_000u64;
    let batch = 100u64;
    let start = Instant::now();
    for _ in 0..proposals / batch {
        for _ in 0..batch {
            net.nodes[0].propose(payload.clone()).expect("still leader");
        }
        net.settle();
    }
    let secs = start.elapsed().as_secs_f64();
    assert!(net.committed >= proposals, "committed {}", net.committed);
    println!("5-node in-memory cluster, {proposals} proposals of 64 bytes, {batch} per round");
    println!(
        "proposals committed per second: {:.0}",
        net.committed as f64 / secs
    );
    println!(
        "messages stepped: {}; ns per message step: {:.0}",
        net.messages,
        net.step_ns as f64 / net.messages as f64
    );
    println!("wall time: {secs:.3} s");
}
