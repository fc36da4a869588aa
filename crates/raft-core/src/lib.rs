//! raft-core: a sans-IO Raft state machine (Ongaro & Ousterhout, "In Search of an
//! Understandable Consensus Algorithm", and Ongaro's dissertation), in the style of
//! etcd-io/raft: no clock, no IO, no global randomness. See docs/DESIGN.md.
//!
//! Drive a node with [`RawNode::tick`], [`RawNode::step`] and [`RawNode::propose`]; collect its
//! work with [`RawNode::ready`]; report persistence with [`RawNode::advance`].
//!
//! ```
//! use raft_core::{Config, NodeId, RawNode, Role};
//!
//! let mut node = RawNode::new(Config::new(NodeId(1), vec![NodeId(1)]), 0).unwrap(); // at 0 ms
//! let deadline = node.next_deadline_ms().unwrap();
//! node.tick(deadline); // the election timer fires
//! let mut applied = Vec::new();
//! let mut proposed = false;
//! while node.has_ready() {
//!     let mut rd = node.ready();
//!     let token = rd.persist_token();
//!     // Persist rd.hard_state / rd.entries here, send rd.messages, then:
//!     applied.extend(rd.committed_entries);
//!     node.advance(token); // releases the self-vote, then the leader's own ack
//!     if node.status().role == Role::Leader && !proposed {
//!         node.propose(b"x=1".to_vec()).unwrap();
//!         proposed = true;
//!     }
//! }
//! assert_eq!(applied.len(), 2); // the leader's no-op, then the command
//! ```
#![deny(missing_docs)]

mod bugs;
mod confchange;
mod config;
mod errors;
mod events;
mod log;
mod membership;
mod message;
mod nodes;
mod progress;
mod quorum;
mod raft;
mod rawnode;
mod read_only;
mod ready;
mod rng;
mod role_follower;
mod role_leader;
mod shared_bytes;
mod shared_vec;
mod status;
mod types;

pub use bugs::{Bugs, UnknownBug};
pub use confchange::{apply_conf_change, ConfChange, ConfChangeError};
pub use config::{Config, ConfigError, ReadOnlyOption, MAX_NOW_MS, MAX_TIMEOUT_MS};
pub use errors::{CompactError, ProposeError, ReadError, StepError, TransferError};
pub use events::{
    AppendRejectReason, DenyReason, Event, IgnoreReason, NextIndexReason, RoleReason,
    TransferAbortReason,
};
pub use message::{Message, MessageKind, Payload, ReadState, SummaryParts};
pub use progress::ProgressState;
pub use rawnode::RawNode;
pub use ready::{PersistToken, Ready};
pub use shared_bytes::SharedBytes;
pub use shared_vec::{Iter as SharedVecIter, SharedVec, SHARED_CHUNK_LEN};
pub use status::{PeerProgress, Status, VoteRecord};
pub use types::{
    BelievedDurable, ConfState, Entry, EntryKind, HardState, LogIndex, NodeId, PersistedState,
    Role, Snapshot, Term,
};
