//! raft-sim: a deterministic discrete-event Raft cluster over raft-core, with fault models,
//! a KV store with exactly-once clients, safety and linearizability checkers, and injectable
//! bugs. See docs/DESIGN.md for the contract and docs/SCENARIO.md for the scenario format.

pub mod clock;
pub mod config;
pub mod error;
pub mod kv;
pub mod lincheck;
pub mod network;
pub mod queue;
pub mod rng;
pub mod scenario;

pub use config::{ReadMode, SimConfig, BUG_NAMES};
pub use error::SimError;
pub use scenario::{Action, Scenario, TimedAction};

/// Placeholder until raft-core lands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct NodeId(pub u64);
