//! raft-core: a sans-IO Raft state machine (Ongaro & Ousterhout, "In Search of an
//! Understandable Consensus Algorithm", and Ongaro's dissertation), in the style of
//! etcd-io/raft: no clock, no IO, no global randomness. See docs/DESIGN.md.
//!
//! Drive a node with [`RawNode::tick`], [`RawNode::step`] and [`RawNode::propose`]; collect its
//! work with [`RawNode::ready`]; report persistence with [`RawNode::advance`].
#![deny(missing_docs)]

mod bugs;
mod confchange;
mod config;
mod errors;
mod events;
mod log;
mod membership;
mod message;
mod progress;
mod quorum;
mod raft;
mod rawnode;
mod read_only;
mod ready;
mod rng;
mod role_follower;
mod role_leader;
mod status;
mod types;

pub use bugs::{Bugs, UnknownBug};
pub use confchange::{apply_conf_change, ConfChange, ConfChangeError};
pub use config::{Config, ConfigError, ReadOnlyOption};
pub use errors::{CompactError, ProposeError, ReadError, StepError, TransferError};
pub use events::{
    DenyReason, Event, IgnoreReason, NextIndexReason, RoleReason, TransferAbortReason,
};
pub use message::{Message, MessageKind, Payload, ReadState};
pub use progress::ProgressState;
pub use rawnode::RawNode;
pub use ready::{PersistToken, Ready};
pub use status::{PeerProgress, Status};
pub use types::{
    ConfState, Entry, EntryKind, HardState, LogIndex, NodeId, PersistedState, Role, Snapshot, Term,
};
