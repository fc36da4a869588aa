//! The action vocabulary: every user (and fuzzer) action, defined once.
//!
//! Each action is its own type (`Crash`, `SetLink`, `ChangeMembership`, ...) that implements
//! [`ActionType`]: its checks that need no cluster (`validate`), its precondition on the world
//! (`check`), what raft-core may still refuse (`propose`), its effect, and its fuzz generator sit
//! together in one `impl`. The `vocabulary!` list below names each type once with its JSON
//! `type` tag; the [`Action`] enum, the tag list [`ACTION_TYPES`], the JSON decoder and the
//! dispatch are generated from that list. Everything outside raft-sim (the wasm methods and
//! `Simulation.actionTypes()`, the TypeScript types, the feed's en/zh words) is checked against
//! `ACTION_TYPES` by a test.
//!
//! Adding an action: write its struct and `impl ActionType` in the module it belongs to, add
//! `"tag" => Type` to the list, and the compiler and those tests name what else it needs.
//!
//! JSON: `{"type": "crash", "node": 3}`. The decoder is generated here: it reads the `type` key
//! and then the other keys as that action's struct (`read_struct!` next to each struct), with
//! serde's words (`unknown variant`, `unknown field`, `missing field`, `invalid type`) and the
//! bad key named in the error's field (see `read.rs`).

mod client;
mod delivery;
mod membership;
mod network;
mod node;
mod settings;

pub use client::{AimClient, ClientAppend, ClientCas, ClientGet, ClientPut};
pub use delivery::{DeliverMessage, DropMessage, DuplicateMessage, SetDelivery};
pub use membership::{AddLearner, AddServer, ChangeMembership, RemoveServer, TransferLeader};
pub use network::{Heal, Partition, SetAllLinks, SetLink};
pub use node::{ClockSkew, Compact, Crash, Pause, Restart, Resume, Timeout};
pub use settings::{SetBug, SetReadMode, SetToggle, TOGGLE_NAMES};

use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::config::NODES_MAX;
use crate::error::SimError;
use crate::node::SimNode;
use crate::trace::TraceEvent;
use crate::world::World;
use crate::NodeId;

/// Limits on the text a client operation carries.
pub const KEY_BYTES_MAX: usize = 64;
pub const VALUE_BYTES_MAX: usize = 1024;

/// One kind of action: what it checks, what it does, and how the fuzzer makes one.
///
/// `World::apply_action` calls, in order: `validate`, `check`, `propose`; then it records the
/// action in the trace and calls `effect`, then drives the node `propose` named. An `Err` from
/// the first three means the action is refused and nothing changed.
pub trait ActionType: Tagged + Clone + Into<Action> {
    /// Checks that need no cluster: id ranges, numbers, names, text sizes. They also run when a
    /// scenario or a link is parsed, so a bad action is refused before anything replays.
    fn validate(&self) -> Result<(), SimError>;

    /// The precondition on the world as it is now (the node exists and is crashed, there is a
    /// leader, ...). Errors name the field.
    fn check(&self, world: &World) -> Result<(), SimError>;

    /// The step raft-core may still refuse (a leadership transfer, a configuration change, a
    /// compaction). It runs before the action is recorded, so that a refusal leaves no mark,
    /// and must change nothing when it fails. Returns a node whose output to process once the
    /// action is recorded.
    fn propose(&self, _world: &mut World) -> Result<Option<NodeId>, SimError> {
        Ok(None)
    }

    /// What the action does once recorded; `at_ms` is now. Cannot fail: every refusal came
    /// earlier.
    fn effect(&self, world: &mut World, at_ms: f64);

    /// A random instance for the fuzzers, drawn from this world: usually one it accepts,
    /// sometimes one it refuses (an id just past the cluster, a value past its bound).
    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self;
}

/// An action's JSON `type` tag, which is also its method's name in the JS API. Implemented by
/// the `vocabulary!` list, where each tag is written once.
pub trait Tagged {
    const TYPE: &'static str;
}

/// Defines `Action`, `ACTION_TYPES`, the decoder and the dispatch from one list of
/// `"jsonTag" => Type`. Each variant of `Action` is named after its type.
macro_rules! vocabulary {
    ($($tag:literal => $ty:ident,)*) => {
        /// A user (or fuzzer) action, as recorded in scenarios. JSON: `{"type": "crash",
        /// "node": 3}`; the variant's type documents its fields.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(tag = "type")]
        pub enum Action {
            $(
                #[serde(rename = $tag)]
                $ty($ty),
            )*
        }

        /// Every action's `type` tag, in the vocabulary's order.
        pub const ACTION_TYPES: &[&str] = &[$($tag),*];

        $(
            impl Tagged for $ty {
                const TYPE: &'static str = $tag;
            }

            impl From<$ty> for Action {
                fn from(a: $ty) -> Action {
                    Action::$ty(a)
                }
            }
        )*

        impl Action {
            /// The `type` tag, for messages.
            pub fn type_name(&self) -> &'static str {
                match self {
                    $(Action::$ty(_) => $tag,)*
                }
            }

            /// Checks that need no cluster state: id ranges, numbers, names, text sizes.
            pub fn validate(&self) -> Result<(), SimError> {
                match self {
                    $(Action::$ty(a) => a.validate(),)*
                }
            }

            /// The variant's [`ActionType::check`].
            fn check(&self, world: &World) -> Result<(), SimError> {
                match self {
                    $(Action::$ty(a) => a.check(world),)*
                }
            }

            /// The variant's [`ActionType::propose`].
            fn propose(&self, world: &mut World) -> Result<Option<NodeId>, SimError> {
                match self {
                    $(Action::$ty(a) => a.propose(world),)*
                }
            }

            /// The variant's [`ActionType::effect`].
            fn effect(&self, world: &mut World, at_ms: f64) {
                match self {
                    $(Action::$ty(a) => a.effect(world, at_ms),)*
                }
            }

            /// A random action of the given type (`None` for an unknown tag); see
            /// [`ActionType::generate`].
            pub fn generate(tag: &str, world: &World, rng: &mut ChaCha8Rng) -> Option<Action> {
                match tag {
                    $($tag => Some($ty::generate(world, rng).into()),)*
                    _ => None,
                }
            }
        }

        /// `{"type":"crash","node":3}`: the tag, then the type's fields (`write_struct!`).
        impl crate::write::WriteJson for Action {
            fn write_json(&self, out: &mut Vec<u8>) {
                crate::write::tagged(out, "type", self.type_name());
                match self {
                    $(Action::$ty(a) => a.write_fields(out),)*
                }
                out.push(b'}');
            }
        }

        impl crate::read::Read for Action {
            fn read(value: &crate::json::Value) -> Result<Self, SimError> {
                /// Each type's reader, in `ACTION_TYPES`' order.
                const READERS: &[fn(&crate::json::Value) -> Result<Action, SimError>] =
                    &[$(|v| $ty::read_fields(v, true).map(Action::$ty)),*];
                let tag = crate::read::tag(value, "an action")?;
                let tag = legacy_name(tag);
                match ACTION_TYPES.iter().position(|t| *t == tag) {
                    Some(i) => READERS[i](value),
                    None => Err(crate::read::unknown_variant(tag, ACTION_TYPES).within("type")),
                }
            }
        }
    };
}

vocabulary! {
    "crash" => Crash,
    "restart" => Restart,
    "pause" => Pause,
    "resume" => Resume,
    "timeout" => Timeout,
    "partition" => Partition,
    "setLink" => SetLink,
    "setAllLinks" => SetAllLinks,
    "heal" => Heal,
    "setDelivery" => SetDelivery,
    "deliver" => DeliverMessage,
    "drop" => DropMessage,
    "duplicate" => DuplicateMessage,
    "clockSkew" => ClockSkew,
    "clientPut" => ClientPut,
    "clientGet" => ClientGet,
    "clientAppend" => ClientAppend,
    "clientCas" => ClientCas,
    "aimClient" => AimClient,
    "transferLeader" => TransferLeader,
    "addServer" => AddServer,
    "addLearner" => AddLearner,
    "removeServer" => RemoveServer,
    "changeMembership" => ChangeMembership,
    "compact" => Compact,
    "setBug" => SetBug,
    "setToggle" => SetToggle,
    "setReadMode" => SetReadMode,
}

/// Links and scenarios written before an action was renamed still open: the old name reads as
/// the new one (the action itself is the same, with the same fields).
fn legacy_name(tag: &str) -> &str {
    match tag {
        // Renamed when manual delivery came (issue 15): one `drop` for both delivery modes.
        "dropMessage" => "drop",
        other => other,
    }
}

impl Action {
    /// The one path every action takes (see [`ActionType`]): validate, check against the world,
    /// propose, record, apply. Err means nothing changed. One body, each step dispatched on the
    /// variant, instead of a copy of this sequence for each of the 28 types (2.9 KB of wasm).
    fn apply_to(&self, world: &mut World) -> Result<(), SimError> {
        self.validate()?;
        self.check(world)?;
        let at_ms = world.now_ms();
        let drive = self.propose(world)?;
        world.emit(TraceEvent::Action {
            at_ms,
            action: self.clone(),
        });
        self.effect(world, at_ms);
        if let Some(node) = drive {
            world.drive(node);
        }
        Ok(())
    }
}

impl Action {
    /// Parse one action from JSON text, naming the bad field.
    pub fn from_json(text: &str) -> Result<Action, SimError> {
        let value = crate::json::parse(text)
            .map_err(|e| SimError::new("", format!("malformed JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// Read and validate one action; errors name the field (`node`, `groups[1][0]`).
    pub fn from_value(value: &crate::json::Value) -> Result<Action, SimError> {
        let action: Action = crate::read::from_value(value)?;
        action.validate()?;
        Ok(action)
    }
}

// ---- checks shared by several actions -----------------------------------------------------

/// A node id within the simulator's range.
pub(crate) fn check_node_id(field: &str, n: NodeId) -> Result<(), SimError> {
    if n.0 == 0 || n.0 > NODES_MAX {
        Err(SimError::new(
            field,
            format!("node id must be between 1 and {NODES_MAX}, got {}", n.0),
        ))
    } else {
        Ok(())
    }
}

/// A client id within the simulator's range.
pub(crate) fn check_client_id(field: &str, c: u64) -> Result<(), SimError> {
    let max = crate::config::CLIENTS_MAX;
    if c == 0 || c > max {
        Err(SimError::new(
            field,
            format!("client id must be between 1 and {max}, got {c}"),
        ))
    } else {
        Ok(())
    }
}

impl World {
    /// The client exists, or an error naming the clients there are.
    pub(crate) fn need_client_id(&self, field: &str, c: u64) -> Result<(), SimError> {
        if self.clients.contains_key(&c) {
            Ok(())
        } else {
            Err(SimError::new(
                field,
                format!("unknown client {c}; clients are 1..={}", self.clients.len()),
            ))
        }
    }

    /// The node, or an error naming the nodes there are.
    pub(crate) fn need_node(&self, field: &str, id: NodeId) -> Result<&SimNode, SimError> {
        self.nodes.get(&id).ok_or_else(|| {
            let known: Vec<String> = self.nodes.keys().map(|k| k.0.to_string()).collect();
            SimError::new(
                field,
                format!("unknown node {}; nodes are {}", id.0, known.join(", ")),
            )
        })
    }

    pub(crate) fn need_leader(&self) -> Result<NodeId, SimError> {
        self.leader()
            .ok_or_else(|| SimError::new("", "no leader right now; try again once one is elected"))
    }

    /// Apply one action now. Err means nothing changed.
    pub fn apply_action(&mut self, action: &Action) -> Result<(), SimError> {
        action.apply_to(self)
    }
}

// ---- helpers for the generators ------------------------------------------------------------

/// A node id for a generator: one of the cluster's, now and then one just past it or 0.
pub(crate) fn any_node(world: &World, rng: &mut ChaCha8Rng) -> NodeId {
    use rand::Rng;
    let ids = world.node_ids();
    match rng.random_range(0..20u32) {
        0 => NodeId(0),
        1 => NodeId(ids.iter().map(|n| n.0).max().unwrap_or(0) + 1),
        _ => ids[rng.random_range(0..ids.len())],
    }
}

#[cfg(test)]
mod tests;
