//! The user as the network: manual delivery, and delivering, dropping or duplicating one message
//! in flight by its id. Raft must be safe under any delivery order, loss and duplication (§5.1:
//! RPCs may be lost, repeated and reordered), so these choices can build every interleaving the
//! paper worries about, Figure 8 (§5.4.2) included.
//!
//! Message ids come from one counter in the world (`next_msg_id`), in the order messages are
//! sent; a replay sends the same messages in the same order, so a recorded `deliver` names the
//! same message in every replay.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::read::read_struct;
use crate::write::write_struct;

use super::ActionType;
use crate::config::Delivery;
use crate::error::SimError;
use crate::network::DropReason;
use crate::trace::{us_to_ms, TraceEvent};
use crate::world::{Ev, HeldMsg, World};

/// Where one message in flight is: still travelling (its delivery is queued) or, in manual
/// delivery, waiting for the user.
struct Found {
    msg: raft_core::Message,
    sent_us: u64,
    due_us: u64,
    waiting: bool,
}

impl World {
    fn find_in_flight(&self, id: u64) -> Option<Found> {
        if let Some(h) = self.held.get(&id) {
            return Some(Found {
                msg: h.msg.clone(),
                sent_us: h.sent_us,
                due_us: h.due_us,
                waiting: true,
            });
        }
        self.queue.iter().find_map(|(at, ev)| match ev {
            Ev::Deliver {
                id: i,
                msg,
                sent_us,
            } if *i == id => Some(Found {
                msg: msg.clone(),
                sent_us: *sent_us,
                due_us: at,
                waiting: false,
            }),
            _ => None,
        })
    }

    /// The message, off the wire (it will not arrive by itself any more).
    fn take_in_flight(&mut self, id: u64) -> Option<raft_core::Message> {
        if let Some(h) = self.held.remove(&id) {
            return Some(h.msg);
        }
        let found = self.find_in_flight(id)?;
        self.queue
            .retain(|ev| !matches!(ev, Ev::Deliver { id: i, .. } if *i == id));
        Some(found.msg)
    }

    /// The refusal every message action gives for an id that is not in flight.
    fn need_in_flight(&self, id: u64) -> Result<Found, SimError> {
        self.find_in_flight(id).ok_or_else(|| {
            SimError::new(
                "id",
                format!(
                    "no message {id} is in flight (it has arrived, was dropped, or never existed; \
                     pending() lists the messages in flight)"
                ),
            )
        })
    }

    /// Ids of the messages in flight, for the generators.
    fn in_flight_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .queue
            .iter()
            .filter_map(|(_, ev)| match ev {
                Ev::Deliver { id, .. } => Some(*id),
                _ => None,
            })
            .chain(self.held.keys().copied())
            .collect();
        ids.sort_unstable();
        ids
    }
}

/// A message id for a generator: one in flight, now and then one that is not (refused).
fn any_message(world: &World, rng: &mut ChaCha8Rng) -> u64 {
    let ids = world.in_flight_ids();
    if ids.is_empty() || rng.random_range(0..10u32) == 0 {
        // Already delivered (or never sent), and far past every id.
        return [1, world.next_msg_id, u64::MAX][rng.random_range(0..3)];
    }
    ids[rng.random_range(0..ids.len())]
}

/// Switch between automatic and manual delivery (see [`Delivery`]). Back to automatic, every
/// waiting message is delivered at once, in id order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetDelivery {
    pub mode: Delivery,
}
read_struct!(SetDelivery { mode: "mode" });
write_struct!(SetDelivery { mode: "mode" });

impl ActionType for SetDelivery {
    fn validate(&self) -> Result<(), SimError> {
        Ok(())
    }

    fn check(&self, _world: &World) -> Result<(), SimError> {
        Ok(())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        world.cfg.delivery = self.mode;
        if self.mode == Delivery::Auto {
            let now = world.now_us;
            for (id, h) in std::mem::take(&mut world.held) {
                world.queue.push(
                    now,
                    Ev::Deliver {
                        id,
                        msg: h.msg,
                        sent_us: h.sent_us,
                    },
                );
            }
        }
    }

    fn generate(_world: &World, rng: &mut ChaCha8Rng) -> Self {
        SetDelivery {
            mode: if rng.random_bool(0.5) {
                Delivery::Manual
            } else {
                Delivery::Auto
            },
        }
    }
}

/// Deliver one message in flight now, by its id: one waiting in manual delivery, or one still
/// travelling (it arrives early; Raft assumes nothing about latency).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliverMessage {
    /// The message's id, as `pending()` and `state().inFlight` list it.
    pub id: u64,
}
read_struct!(DeliverMessage { id: "id" });
write_struct!(DeliverMessage { id: "id" });

impl ActionType for DeliverMessage {
    fn validate(&self) -> Result<(), SimError> {
        Ok(())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_in_flight(self.id).map(|_| ())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        if let Some(msg) = world.take_in_flight(self.id) {
            // As the network would: a cut link or a crashed receiver still loses it.
            world.deliver(self.id, msg);
        }
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        DeliverMessage {
            id: any_message(world, rng),
        }
    }
}

/// Lose one message in flight, by its id (also the message inspector's Drop button): the
/// network loses it exactly as a lossy link would, and the trace says it was dropped by hand.
/// Raft must tolerate the loss of any message (§5.1: RPCs are retried), so nothing else changes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DropMessage {
    /// The message's id, as `pending()` and `state().inFlight` list it.
    pub id: u64,
}
read_struct!(DropMessage { id: "id" });
write_struct!(DropMessage { id: "id" });

impl ActionType for DropMessage {
    fn validate(&self) -> Result<(), SimError> {
        Ok(())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_in_flight(self.id).map(|_| ())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        let Some(msg) = world.take_in_flight(self.id) else {
            return;
        };
        world.emit(TraceEvent::MsgDropped {
            at_ms,
            id: self.id,
            msg_type: msg.kind_name().into(),
            from: msg.from,
            to: msg.to,
            reason: DropReason::ByHand,
        });
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        DropMessage {
            id: any_message(world, rng),
        }
    }
}

/// Copy one message in flight, by its id: the copy gets the next message id and arrives (or,
/// in manual delivery, waits) when the original does, as a duplicating link would make it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateMessage {
    /// The message's id, as `pending()` and `state().inFlight` list it.
    pub id: u64,
}
read_struct!(DuplicateMessage { id: "id" });
write_struct!(DuplicateMessage { id: "id" });

impl ActionType for DuplicateMessage {
    fn validate(&self) -> Result<(), SimError> {
        Ok(())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_in_flight(self.id).map(|_| ())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        let Ok(found) = world.need_in_flight(self.id) else {
            return;
        };
        let copy_id = world.next_msg_id;
        world.next_msg_id += 1;
        world.emit(TraceEvent::MsgDuplicated {
            at_ms,
            id: self.id,
            copy_id,
            deliver_at_ms: us_to_ms(found.due_us),
        });
        if found.waiting {
            world.held.insert(
                copy_id,
                HeldMsg {
                    msg: found.msg,
                    sent_us: found.sent_us,
                    due_us: found.due_us,
                },
            );
        } else {
            world.queue.push(
                found.due_us,
                Ev::Deliver {
                    id: copy_id,
                    msg: found.msg,
                    sent_us: found.sent_us,
                },
            );
        }
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        DuplicateMessage {
            id: any_message(world, rng),
        }
    }
}
