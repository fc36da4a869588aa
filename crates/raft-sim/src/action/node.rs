//! Actions on one node: crash, restart, pause, resume, time out, skew its clock, compact.

use raft_core::{PersistedState, RawNode};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::read::read_struct;
use crate::write::write_struct;

use super::{any_node, check_node_id, ActionType};
use crate::config::CLOCK_SKEW_PPM_MAX;
use crate::error::SimError;
use crate::node::NodeStatus;
use crate::trace::TraceEvent;
use crate::world::World;
use crate::NodeId;

/// Refuse unless the node exists and is in `want`; `not` says what it is not.
fn need_status(world: &World, node: NodeId, want: NodeStatus, not: &str) -> Result<(), SimError> {
    if world.need_node("node", node)?.status == want {
        Ok(())
    } else {
        Err(SimError::new("node", format!("node {} is {not}", node.0)))
    }
}

/// Crash a node: it loses everything not yet on its disk.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Crash {
    pub node: NodeId,
}
read_struct!(Crash { node: "node" });
write_struct!(Crash { node: "node" });

impl ActionType for Crash {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        if world.need_node("node", self.node)?.status == NodeStatus::Crashed {
            return Err(SimError::new(
                "node",
                format!("node {} is already crashed", self.node.0),
            ));
        }
        Ok(())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        world.nodes.get_mut(&self.node).expect("checked").crash();
        world.emit(TraceEvent::NodeCrashed {
            at_ms,
            node: self.node,
        });
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        Crash {
            node: any_node(world, rng),
        }
    }
}

/// Restart a crashed node from what it persisted.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restart {
    pub node: NodeId,
}
read_struct!(Restart { node: "node" });
write_struct!(Restart { node: "node" });

impl ActionType for Restart {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        need_status(world, self.node, NodeStatus::Crashed, "not crashed")
    }

    /// raft-core rebuilds the node from its disk, and may refuse what it finds there.
    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        let n = &world.nodes[&self.node];
        let cfg = world.raft_config(self.node, n.boot_voters.clone(), n.boot_learners.clone());
        // It starts now on its own clock: its first election timeout runs from here.
        let local_ms = n.clock.local_us(world.now_us) / 1000;
        let raft = RawNode::restart(cfg, n.storage.to_persisted(), local_ms)
            .map_err(|e| SimError::new("node", e.to_string()))?;
        // Still crashed (nothing runs it) until `effect` brings it up.
        world.nodes.get_mut(&self.node).expect("checked").raft = Some(raft);
        Ok(None)
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        let id = self.node;
        let n = world.nodes.get_mut(&id).expect("checked");
        let storage: PersistedState = n.storage.to_persisted();
        n.status = NodeStatus::Up;
        // The state machine is rebuilt from the snapshot; committed entries are re-applied.
        let (kv, applied) = match &storage.snapshot {
            Some(s) => (crate::kv::KvStore::from_snapshot(&s.data), s.index),
            None => (crate::kv::KvStore::default(), raft_core::LogIndex(0)),
        };
        n.kv = kv;
        n.applied = applied;
        n.compacted = applied;
        let mut shadow = crate::checker::ShadowLog::default();
        if let Some(s) = &storage.snapshot {
            shadow.snap_index = s.index.0;
            shadow.snap_term = s.term.0;
        }
        for e in &storage.entries {
            shadow
                .entries
                .push((e.term.0, crate::checker::entry_hash(e)));
        }
        world.safety.on_restart(
            id,
            shadow,
            storage.hard_state.term,
            storage.hard_state.commit,
            applied,
        );
        world.emit(TraceEvent::NodeRestarted { at_ms, node: id });
        world.drive(id);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        Restart {
            node: any_node(world, rng),
        }
    }
}

/// Freeze a node: its timers and inbound messages wait.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pause {
    pub node: NodeId,
}
read_struct!(Pause { node: "node" });
write_struct!(Pause { node: "node" });

impl ActionType for Pause {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        need_status(world, self.node, NodeStatus::Up, "not running")
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        world.nodes.get_mut(&self.node).expect("checked").status = NodeStatus::Paused;
        world.emit(TraceEvent::NodePaused {
            at_ms,
            node: self.node,
        });
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        Pause {
            node: any_node(world, rng),
        }
    }
}

/// Unfreeze a paused node.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resume {
    pub node: NodeId,
}
read_struct!(Resume { node: "node" });
write_struct!(Resume { node: "node" });

impl ActionType for Resume {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        need_status(world, self.node, NodeStatus::Paused, "not paused")
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        let id = self.node;
        let n = world.nodes.get_mut(&id).expect("checked");
        n.status = NodeStatus::Up;
        let inbox = std::mem::take(&mut n.inbox);
        world.emit(TraceEvent::NodeResumed { at_ms, node: id });
        // Writes that reached the disk while paused are acknowledged now.
        world.advance_durable(id);
        // The timer fired while paused; tick at once, then take the queued input in order.
        let local_ms = world.nodes[&id].clock.local_us(world.now_us) / 1000;
        if let Some(r) = world.nodes.get_mut(&id).and_then(|n| n.raft.as_mut()) {
            r.tick(local_ms);
        }
        world.drive(id);
        for ev in inbox {
            match ev {
                crate::world::Ev::Deliver { id: mid, msg, .. } => world.deliver(mid, msg),
                crate::world::Ev::ClientArrive { node, req } => world.client_arrive(node, req),
                _ => {}
            }
        }
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        Resume {
            node: any_node(world, rng),
        }
    }
}

/// Fire a node's election timeout now (the "timeout now" button): it campaigns.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeout {
    pub node: NodeId,
}
read_struct!(Timeout { node: "node" });
write_struct!(Timeout { node: "node" });

impl ActionType for Timeout {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        need_status(world, self.node, NodeStatus::Up, "not running")
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        world.touch(self.node);
        if let Some(r) = world
            .nodes
            .get_mut(&self.node)
            .and_then(|n| n.raft.as_mut())
        {
            r.campaign();
        }
        world.drive(self.node);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        Timeout {
            node: any_node(world, rng),
        }
    }
}

/// Make a node's clock run fast or slow by `ratePpm` parts per million.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClockSkew {
    pub node: NodeId,
    pub rate_ppm: i64,
}
read_struct!(ClockSkew {
    node: "node",
    rate_ppm: "ratePpm"
});
write_struct!(ClockSkew {
    node: "node",
    rate_ppm: "ratePpm"
});

impl ActionType for ClockSkew {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)?;
        // unsigned_abs: i64::MIN has no i64 absolute value (abs() would overflow to itself).
        if self.rate_ppm.unsigned_abs() > CLOCK_SKEW_PPM_MAX.unsigned_abs() {
            return Err(SimError::new(
                "ratePpm",
                format!(
                    "must be between -{CLOCK_SKEW_PPM_MAX} and {CLOCK_SKEW_PPM_MAX}, got {}",
                    self.rate_ppm
                ),
            ));
        }
        Ok(())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_node("node", self.node).map(|_| ())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        let now = world.now_us;
        world
            .nodes
            .get_mut(&self.node)
            .expect("checked")
            .clock
            .set_rate(now, self.rate_ppm);
        world.reschedule_timer(self.node);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        let bound = CLOCK_SKEW_PPM_MAX + 1;
        ClockSkew {
            node: any_node(world, rng),
            rate_ppm: rng.random_range(-bound..=bound),
        }
    }
}

/// Make a node snapshot its applied state and drop the log before it (§7).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Compact {
    pub node: NodeId,
}
read_struct!(Compact { node: "node" });
write_struct!(Compact { node: "node" });

impl ActionType for Compact {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        need_status(world, self.node, NodeStatus::Up, "not running")
    }

    /// raft-core refuses a snapshot that is not newer than the one it has.
    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        world
            .compact_now(self.node)
            .map_err(|e| SimError::new("node", e))?;
        Ok(None)
    }

    fn effect(&self, _world: &mut World, _at_ms: f64) {}

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        Compact {
            node: any_node(world, rng),
        }
    }
}
