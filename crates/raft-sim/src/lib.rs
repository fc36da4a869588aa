//! raft-sim: a deterministic discrete-event Raft cluster over raft-core, with fault models,
//! a KV store with exactly-once clients, safety and linearizability checkers, and injectable
//! bugs. See docs/DESIGN.md for the contract and docs/SCENARIO.md for the scenario format.

pub mod action;
mod base64url;
pub mod checker;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod cli_lessons;
pub mod client;
mod clients_world;
pub mod clock;
pub mod config;
mod drive;
pub mod error;
pub mod fuzz;
pub mod json;
pub mod kv;
pub mod lesson;
pub mod lesson_check;
pub mod lincheck;
pub mod network;
pub mod node;
pub mod queue;
pub mod read;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod state;
mod tagged;
pub mod trace;
pub mod world;
pub mod write;

pub use checker::{CheckReport, Violation};
pub use config::{Delivery, ReadMode, SimConfig, BUG_NAMES};
pub use error::SimError;
pub use scenario::{Action, Scenario, TimedAction};
pub use sim::Simulation;
pub use state::{ClusterState, NodeState};
pub use trace::TraceEvent;

pub use raft_core::NodeId;

/// The simulator's ordered map: a sorted vector (ICU4X's `litemap`). Every map here is either
/// tiny (one entry per node, client or link) or filled in key order (log indexes, op ids), which
/// is where a sorted vector is at its best, and in the wasm build each `BTreeMap<K, V>`
/// instantiation costs kilobytes of code where this costs a few hundred bytes. Iteration is in
/// key order like `BTreeMap`, so traces, hashes and JSON are unchanged.
pub type SortedMap<K, V> = litemap::LiteMap<K, V>;

/// The ordered set that goes with [`SortedMap`]: `insert(k, ())` answers `Some(())` when `k`
/// was already there.
pub type SortedSet<K> = litemap::LiteMap<K, ()>;
