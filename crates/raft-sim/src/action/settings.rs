//! Switches: an injectable bug, a protocol toggle, the read mode. They apply to running nodes at
//! once, and to restarted and added nodes through `World::raft_config`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::read::read_struct;
use crate::write::write_struct;

use super::ActionType;
use crate::config::{check_bug_name, ReadMode, BUG_NAMES};
use crate::error::SimError;
use crate::world::World;

/// Toggles that `setToggle` accepts.
pub const TOGGLE_NAMES: [&str; 3] = ["preVote", "checkQuorum", "fastBacktrack"];

impl World {
    /// Bugs, toggles and the read mode apply to running nodes at once (restarted nodes get
    /// them from `raft_config`).
    fn push_config_to_nodes(&mut self) {
        let ids = self.node_ids();
        for id in ids {
            let cfg = self.raft_config(id, Vec::new(), Vec::new());
            if let Some(r) = self.nodes.get_mut(&id).and_then(|n| n.raft.as_mut()) {
                r.set_bugs(cfg.bugs);
                r.set_pre_vote(cfg.pre_vote);
                r.set_fast_backtrack(cfg.fast_backtrack);
                if r.config().check_quorum != cfg.check_quorum {
                    r.set_check_quorum(cfg.check_quorum);
                }
                r.set_leader_stickiness(cfg.leader_stickiness);
                // Validated by the preconditions of the action (lease needs CheckQuorum).
                let _ = r.set_read_only_option(cfg.read_only_option);
            }
        }
    }
}

/// Switch an injectable bug on or off (`Simulation.bugs()` lists them).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetBug {
    pub name: String,
    pub on: bool,
}
read_struct!(SetBug {
    name: "name",
    on: "on"
});
write_struct!(SetBug {
    name: "name",
    on: "on"
});

impl ActionType for SetBug {
    fn validate(&self) -> Result<(), SimError> {
        check_bug_name("name", &self.name)
    }

    fn check(&self, _world: &World) -> Result<(), SimError> {
        Ok(())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        world.cfg.bugs.retain(|b| *b != self.name);
        if self.on {
            world.cfg.bugs.push(self.name.clone());
        }
        world.push_config_to_nodes();
    }

    fn generate(_world: &World, rng: &mut ChaCha8Rng) -> Self {
        let i = rng.random_range(0..=BUG_NAMES.len());
        SetBug {
            name: BUG_NAMES.get(i).copied().unwrap_or("no-such-bug").into(),
            on: rng.random_bool(0.5),
        }
    }
}

/// PreVote, CheckQuorum or fast backtracking on or off, by its config name.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetToggle {
    pub name: String,
    pub on: bool,
}
read_struct!(SetToggle {
    name: "name",
    on: "on"
});
write_struct!(SetToggle {
    name: "name",
    on: "on"
});

impl ActionType for SetToggle {
    fn validate(&self) -> Result<(), SimError> {
        if TOGGLE_NAMES.contains(&self.name.as_str()) {
            Ok(())
        } else {
            Err(SimError::new(
                "name",
                format!(
                    "unknown toggle \"{}\"; known toggles: {}",
                    self.name,
                    TOGGLE_NAMES.join(", ")
                ),
            ))
        }
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        if self.name == "checkQuorum" && !self.on && world.cfg.read_mode == ReadMode::Lease {
            return Err(SimError::new(
                "name",
                "lease reads need checkQuorum; switch the read mode first",
            ));
        }
        Ok(())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        match self.name.as_str() {
            "preVote" => world.cfg.pre_vote = self.on,
            "checkQuorum" => world.cfg.check_quorum = self.on,
            _ => world.cfg.fast_backtrack = self.on,
        }
        world.push_config_to_nodes();
    }

    fn generate(_world: &World, rng: &mut ChaCha8Rng) -> Self {
        let i = rng.random_range(0..=TOGGLE_NAMES.len());
        SetToggle {
            name: TOGGLE_NAMES.get(i).copied().unwrap_or("turbo").into(),
            on: rng.random_bool(0.5),
        }
    }
}

/// How reads are served: `readIndex`, `lease` or `staleFollower`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetReadMode {
    pub mode: ReadMode,
}
read_struct!(SetReadMode { mode: "mode" });
write_struct!(SetReadMode { mode: "mode" });

impl ActionType for SetReadMode {
    fn validate(&self) -> Result<(), SimError> {
        Ok(())
    }

    fn check(&self, _world: &World) -> Result<(), SimError> {
        Ok(())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        world.cfg.read_mode = self.mode;
        // Lease reads are only safe with CheckQuorum (a deposed leader must stop serving
        // within its lease) and leader stickiness (followers must not elect another leader
        // while the lease holds), so choosing them turns both on, visibly, in the config.
        if self.mode == ReadMode::Lease {
            world.cfg.check_quorum = true;
            world.cfg.leader_stickiness = true;
        }
        world.push_config_to_nodes();
    }

    fn generate(_world: &World, rng: &mut ChaCha8Rng) -> Self {
        let modes = [
            ReadMode::ReadIndex,
            ReadMode::Lease,
            ReadMode::StaleFollower,
        ];
        SetReadMode {
            mode: modes[rng.random_range(0..modes.len())],
        }
    }
}
