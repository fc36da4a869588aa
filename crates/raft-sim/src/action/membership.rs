//! Leadership and membership: transfer leadership, add or remove a server, joint consensus.
//! Each asks the leader's raft-core, which may refuse (one configuration change at a time).

use raft_core::{ConfChange, RawNode};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::read::read_struct;
use crate::write::write_struct;

use super::{any_node, check_node_id, ActionType};
use crate::error::SimError;
use crate::node::SimNode;
use crate::world::World;
use crate::NodeId;

impl World {
    /// Propose a configuration change at the leader; raft-core's refusal is reported on `field`.
    fn propose_conf_change_at(
        &mut self,
        leader: NodeId,
        change: ConfChange,
        field: &str,
    ) -> Result<(), SimError> {
        self.nodes
            .get_mut(&leader)
            .and_then(|n| n.raft.as_mut())
            .expect("leader is up")
            .propose_conf_change(change)
            .map(|_| ())
            .map_err(|e| SimError::new(field, e.to_string()))
    }

    fn leader_voters(&self, leader: NodeId) -> Vec<NodeId> {
        let r = self.nodes[&leader].raft.as_ref().expect("leader is up");
        r.conf_state().voters.clone()
    }

    /// A node that is being added starts empty and learns everything from the leader. It boots
    /// from the given voters: a joint change passes C_old, so the new node's outgoing half is the
    /// old configuration, not the one being entered.
    fn spawn_joining_node(&mut self, id: NodeId, mut voters: Vec<NodeId>) -> Result<(), SimError> {
        voters.retain(|v| *v != id);
        let cfg = self.raft_config(id, voters.clone(), vec![id]);
        // A fresh node's clock reads the simulator's time.
        let now_ms = self.now_us / 1000;
        let raft = RawNode::new(cfg, now_ms).map_err(|e| SimError::new("node", e.to_string()))?;
        self.nodes
            .insert(id, SimNode::new(id, raft, voters, vec![id]));
        self.reschedule_timer(id);
        Ok(())
    }

    /// A single-server change (add a voter or a learner, remove a member) at the leader.
    fn single_server_change(
        &mut self,
        node: NodeId,
        change: ConfChange,
    ) -> Result<NodeId, SimError> {
        let leader = self.need_leader()?;
        self.propose_conf_change_at(leader, change, "node")?;
        if !self.nodes.contains_key(&node) {
            let voters = self.leader_voters(leader);
            self.spawn_joining_node(node, voters)?;
        }
        Ok(leader)
    }
}

/// A node id for a membership generator: the cluster's, or the next fresh one.
fn member_or_fresh(world: &World, rng: &mut ChaCha8Rng) -> NodeId {
    if rng.random_bool(0.5) {
        NodeId(world.node_ids().iter().map(|n| n.0).max().unwrap_or(0) + 1)
    } else {
        any_node(world, rng)
    }
}

/// Ask the leader to hand leadership to `to` (dissertation §3.10).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferLeader {
    pub to: NodeId,
}
read_struct!(TransferLeader { to: "to" });
write_struct!(TransferLeader { to: "to" });

impl ActionType for TransferLeader {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("to", self.to)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_node("to", self.to)?;
        world.need_leader().map(|_| ())
    }

    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        let leader = world.need_leader()?;
        world.touch(leader);
        let r = world
            .nodes
            .get_mut(&leader)
            .and_then(|n| n.raft.as_mut())
            .expect("leader is up");
        r.transfer_leader(self.to)
            .map_err(|e| SimError::new("to", e.to_string()))?;
        Ok(Some(leader))
    }

    fn effect(&self, _world: &mut World, _at_ms: f64) {}

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        TransferLeader {
            to: any_node(world, rng),
        }
    }
}

/// Add a voting member: a new node id (it starts empty), or a learner to promote.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddServer {
    pub node: NodeId,
}
read_struct!(AddServer { node: "node" });
write_struct!(AddServer { node: "node" });

impl ActionType for AddServer {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_leader().map(|_| ())
    }

    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        let change = ConfChange::AddVoter { node: self.node };
        world.single_server_change(self.node, change).map(Some)
    }

    fn effect(&self, _world: &mut World, _at_ms: f64) {}

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        AddServer {
            node: member_or_fresh(world, rng),
        }
    }
}

/// Add a non-voting member that receives the log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddLearner {
    pub node: NodeId,
}
read_struct!(AddLearner { node: "node" });
write_struct!(AddLearner { node: "node" });

impl ActionType for AddLearner {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_leader().map(|_| ())
    }

    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        let change = ConfChange::AddLearner { node: self.node };
        world.single_server_change(self.node, change).map(Some)
    }

    fn effect(&self, _world: &mut World, _at_ms: f64) {}

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        AddLearner {
            node: member_or_fresh(world, rng),
        }
    }
}

/// Remove a member from the configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveServer {
    pub node: NodeId,
}
read_struct!(RemoveServer { node: "node" });
write_struct!(RemoveServer { node: "node" });

impl ActionType for RemoveServer {
    fn validate(&self) -> Result<(), SimError> {
        check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_leader()?;
        world.need_node("node", self.node).map(|_| ())
    }

    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        let change = ConfChange::Remove { node: self.node };
        world.single_server_change(self.node, change).map(Some)
    }

    fn effect(&self, _world: &mut World, _at_ms: f64) {}

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        RemoveServer {
            node: any_node(world, rng),
        }
    }
}

/// Joint consensus (§6): enter C_old,new whose incoming half is `voters` (and `learners`),
/// then leave it for C_new automatically once it commits. Voters not running yet start empty.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeMembership {
    pub voters: Vec<NodeId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub learners: Vec<NodeId>,
}
read_struct!(ChangeMembership { voters: "voters", learners: "learners" default });
write_struct!(ChangeMembership { voters: "voters", learners: "learners" omit });

impl ActionType for ChangeMembership {
    fn validate(&self) -> Result<(), SimError> {
        if self.voters.is_empty() {
            return Err(SimError::new("voters", "must name at least one voter"));
        }
        let mut seen = crate::SortedSet::new();
        let voters = self
            .voters
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("voters[{i}]"), *n));
        let learners = self
            .learners
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("learners[{i}]"), *n));
        for (field, n) in voters.chain(learners) {
            check_node_id(&field, n)?;
            if seen.insert(n, ()).is_some() {
                return Err(SimError::new(
                    field,
                    format!("node {} is listed twice", n.0),
                ));
            }
        }
        Ok(())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_leader().map(|_| ())
    }

    fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
        let leader = world.need_leader()?;
        let old_voters = world.leader_voters(leader);
        let change = ConfChange::EnterJoint {
            voters: self.voters.clone(),
            learners: self.learners.clone(),
            auto_leave: true,
        };
        world.propose_conf_change_at(leader, change, "voters")?;
        // New members start empty and learn everything from the leader, as addServer's do.
        for node in self.voters.iter().chain(&self.learners) {
            if !world.nodes.contains_key(node) {
                world.spawn_joining_node(*node, old_voters.clone())?;
            }
        }
        Ok(Some(leader))
    }

    fn effect(&self, _world: &mut World, _at_ms: f64) {}

    /// The cluster's nodes, each a voter, a learner or left out, plus now and then a fresh one.
    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        let mut ids = world.node_ids();
        if rng.random_bool(0.5) {
            ids.push(member_or_fresh(world, rng));
        }
        let (mut voters, mut learners) = (Vec::new(), Vec::new());
        for n in ids {
            match rng.random_range(0..6u32) {
                0 => learners.push(n),
                1 => {}
                _ => voters.push(n),
            }
        }
        ChangeMembership { voters, learners }
    }
}
