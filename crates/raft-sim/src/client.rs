//! Simulated clients. Each has at most one operation outstanding (a closed loop), finds the
//! leader through redirect hints, and retries on timeout with the same (client id, seq), so the
//! state machine's session table applies a retried write once (dissertation §6.3).

use crate::SortedMap;
use std::collections::VecDeque;

use raft_core::NodeId;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::kv::{KvOp, KvResult};

/// Operations a client may queue before `apply` refuses more.
pub const CLIENT_QUEUE_MAX: usize = 1_000;
/// Keys the automatic load uses (few keys, so operations collide and the checker has work).
pub const LOAD_KEYS: [&str; 4] = ["a", "b", "c", "d"];

/// The request in flight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outstanding {
    pub op_id: u64,
    pub seq: u64,
    pub op: KvOp,
    #[serde(skip)]
    pub invoked_us: u64,
    pub invoked_at_ms: f64,
    pub attempt: u32,
    pub sent_to: NodeId,
}

/// What a node answers a client.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Done(KvResult),
    /// "Not the leader"; maybe who is.
    Redirect(Option<NodeId>),
}

/// One simulated client.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: u64,
    pub rng: ChaCha8Rng,
    pub leader_guess: NodeId,
    pub queue: VecDeque<KvOp>,
    pub current: Option<Outstanding>,
    pub next_seq: u64,
    pub completed: u64,
    pub last_result: Option<(u64, KvResult, NodeId)>,
    /// Last value this client saw per key, to make compare-and-set plausible.
    last_seen: SortedMap<String, Option<String>>,
}

impl Client {
    pub fn new(id: u64, rng: ChaCha8Rng, first_guess: NodeId) -> Client {
        Client {
            id,
            rng,
            leader_guess: first_guess,
            queue: VecDeque::new(),
            current: None,
            next_seq: 1,
            completed: 0,
            last_result: None,
            last_seen: SortedMap::new(),
        }
    }

    pub fn is_idle(&self) -> bool {
        self.current.is_none() && self.queue.is_empty()
    }

    /// A random operation for the automatic load. Values are unique per (client, seq), so a
    /// duplicated or lost write shows up in the history.
    pub fn random_op(&mut self) -> KvOp {
        let key = LOAD_KEYS[self.rng.random_range(0..LOAD_KEYS.len())].to_string();
        let tag = format!("{}.{}", self.id, self.next_seq);
        match self.rng.random_range(0..100u32) {
            0..35 => KvOp::Put { key, value: tag },
            35..50 => KvOp::Append {
                key,
                value: format!("{tag};"),
            },
            50..62 => {
                let expected = self.last_seen.get(&key).cloned().flatten();
                KvOp::Cas {
                    key,
                    expected,
                    value: tag,
                }
            }
            _ => KvOp::Get { key },
        }
    }

    /// Note what a completed op revealed about its key.
    pub fn observe(&mut self, op: &KvOp, result: &KvResult) {
        match (op, result) {
            (KvOp::Get { key }, KvResult::Value { value }) => {
                self.last_seen.insert(key.clone(), value.clone());
            }
            (KvOp::Put { key, value }, KvResult::Ok) => {
                self.last_seen.insert(key.clone(), Some(value.clone()));
            }
            (KvOp::Cas { key, value, .. }, KvResult::Cas { ok, current }) => {
                let v = if *ok {
                    Some(value.clone())
                } else {
                    current.clone()
                };
                self.last_seen.insert(key.clone(), v);
            }
            _ => {}
        }
    }
}

/// A client as the page sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientView {
    pub id: u64,
    pub leader_guess: NodeId,
    pub pending: Option<Outstanding>,
    pub queued: usize,
    pub completed: u64,
    pub last_op_id: Option<u64>,
    pub last_result: Option<KvResult>,
    pub last_served_by: Option<NodeId>,
}

impl Client {
    pub fn view(&self) -> ClientView {
        ClientView {
            id: self.id,
            leader_guess: self.leader_guess,
            pending: self.current.clone(),
            queued: self.queue.len(),
            completed: self.completed,
            last_op_id: self.last_result.as_ref().map(|r| r.0),
            last_result: self.last_result.as_ref().map(|r| r.1.clone()),
            last_served_by: self.last_result.as_ref().map(|r| r.2),
        }
    }
}
