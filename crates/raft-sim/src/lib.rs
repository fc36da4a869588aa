//! raft-sim: a deterministic discrete-event Raft cluster over raft-core, with fault models,
//! a KV store with exactly-once clients, safety and linearizability checkers, and injectable
//! bugs. See docs/DESIGN.md for the contract and docs/SCENARIO.md for the scenario format.

mod actions;
pub mod checker;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod client;
mod clients_world;
pub mod clock;
pub mod config;
mod drive;
pub mod error;
pub mod fuzz;
pub mod kv;
pub mod lincheck;
pub mod network;
pub mod node;
pub mod queue;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod state;
mod tagged;
pub mod trace;
pub mod world;

pub use checker::{CheckReport, Violation};
pub use config::{ReadMode, SimConfig, BUG_NAMES};
pub use error::SimError;
pub use scenario::{Action, Scenario, TimedAction};
pub use sim::Simulation;
pub use state::{ClusterState, NodeState};
pub use trace::TraceEvent;

pub use raft_core::NodeId;
