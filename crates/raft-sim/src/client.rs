//! Simulated clients. Each has at most one operation outstanding (a closed loop), finds the
//! leader as the dissertation's §6.2 describes, and retries on timeout with the same (client id,
//! seq), so the state machine's session table applies a retried write once (§6.3).
//!
//! Leader discovery: a client follows a "not the leader, try S3" hint while it helps (no earlier
//! hint to S3 failed in this round, and S3 has not timed out twice); otherwise it tries a
//! randomly chosen server of the latest configuration it knows that has neither redirected nor
//! timed out in this round. Once none is left, it waits a minimum election timeout and starts
//! a new round. So it never loops between two servers that point at each other, as a removed
//! server and its stale follower do after a membership change.

use crate::write::write_struct;
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
    /// Why this attempt goes to `sent_to` (the page draws a redirect or a retry from it).
    pub reason: SendReason,
}
write_struct!(Outstanding {
    op_id: "opId",
    seq: "seq",
    op: "op",
    invoked_at_ms: "invokedAtMs",
    attempt: "attempt",
    sent_to: "sentTo",
    reason: "reason"
});

/// Why a client sends its request where it does (§6.2 of the dissertation): its first try goes
/// to the server it last heard was leader; a retry follows a redirect or a timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SendReason {
    /// The first try of this request.
    First,
    /// `from` answered "not the leader". `hint` is the server it named, when the client went
    /// there because of it (`None`: no hint, or one not worth following; a random pick).
    Redirected { from: NodeId, hint: Option<NodeId> },
    /// `from` did not answer in time.
    TimedOut { from: NodeId },
}

/// What a node answers a client.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Done(KvResult),
    /// "Not the leader"; maybe who is, and the configuration this server knows.
    Redirect {
        hint: Option<NodeId>,
        servers: KnownServers,
    },
}

/// A configuration as a server tells a client: its voters (both halves while joint) and the log
/// index of the configuration entry, so the client keeps the latest it has heard of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownServers {
    pub conf_index: u64,
    pub voters: Vec<NodeId>,
}

/// Where a client goes next, and after how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextTry {
    pub to: NodeId,
    /// Chosen because `failed` named it as the leader.
    pub followed_hint: bool,
    /// Every known server was tried: wait before the next round.
    pub new_round: bool,
}

/// One simulated client.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: u64,
    pub rng: ChaCha8Rng,
    /// Draws the next server to try (its own stream, so the load does not shift with retries).
    pub discovery_rng: ChaCha8Rng,
    pub leader_guess: NodeId,
    /// The latest configuration this client has heard of (at first, the initial voters).
    pub known: KnownServers,
    /// Servers that answered "not the leader" to the current request in this round.
    pub redirected: Vec<NodeId>,
    /// Servers that did not answer in time in this round (once per timeout: a lost message is
    /// no evidence against a leader, so one timeout does not rule a server out).
    pub timed_out: Vec<NodeId>,
    /// Servers a hint sent this client to that then failed it in this round: hints to them
    /// are not followed again (this is what breaks a loop of servers pointing at each other).
    pub hint_failed: Vec<NodeId>,
    /// The server the current attempt went to because of a hint.
    pub via_hint: Option<NodeId>,
    pub queue: VecDeque<KvOp>,
    pub current: Option<Outstanding>,
    pub next_seq: u64,
    pub completed: u64,
    pub last_result: Option<(u64, KvResult, NodeId)>,
    /// Last value this client saw per key, to make compare-and-set plausible.
    last_seen: SortedMap<String, Option<String>>,
}

impl Client {
    pub fn new(
        id: u64,
        rng: ChaCha8Rng,
        discovery_rng: ChaCha8Rng,
        first_guess: NodeId,
        servers: Vec<NodeId>,
    ) -> Client {
        Client {
            id,
            rng,
            discovery_rng,
            leader_guess: first_guess,
            known: KnownServers {
                conf_index: 0,
                voters: servers,
            },
            redirected: Vec::new(),
            timed_out: Vec::new(),
            hint_failed: Vec::new(),
            via_hint: None,
            queue: VecDeque::new(),
            current: None,
            next_seq: 1,
            completed: 0,
            last_result: None,
            last_seen: SortedMap::new(),
        }
    }

    /// Learn a configuration from a server's answer, if it is newer than the one known.
    pub fn learn(&mut self, servers: KnownServers) {
        if servers.conf_index > self.known.conf_index && !servers.voters.is_empty() {
            self.known = servers;
        }
    }

    /// `failed` did not serve the request: it redirected (`answered`), or never answered. Follow
    /// `hint` while it helps: unless a hint already led to that server in this round and it
    /// failed, or it timed out twice. Otherwise try a server of the known configuration that has
    /// neither redirected nor timed out in this round, chosen at random (§6.2); when none is
    /// left, start a new round.
    pub fn next_try(&mut self, failed: NodeId, answered: bool, hint: Option<NodeId>) -> NextTry {
        if answered {
            if !self.redirected.contains(&failed) {
                self.redirected.push(failed);
            }
        } else {
            self.timed_out.push(failed);
        }
        if self.via_hint.take() == Some(failed) && !self.hint_failed.contains(&failed) {
            self.hint_failed.push(failed);
        }
        let timeouts = |c: &Client, n: NodeId| c.timed_out.iter().filter(|&&t| t == n).count();
        if let Some(h) = hint.filter(|&h| !self.hint_failed.contains(&h) && timeouts(self, h) < 2) {
            self.via_hint = Some(h);
            let mut next = self.aim(h, false);
            next.followed_hint = true;
            return next;
        }
        let untried: Vec<NodeId> = self
            .known
            .voters
            .iter()
            .copied()
            .filter(|&n| !self.redirected.contains(&n) && timeouts(self, n) == 0)
            .collect();
        if !untried.is_empty() {
            let to = untried[self.discovery_rng.random_range(0..untried.len())];
            return self.aim(to, false);
        }
        // A round without success: start over, from anyone but the server that just failed.
        self.forget_round();
        let others: Vec<NodeId> = self
            .known
            .voters
            .iter()
            .copied()
            .filter(|&n| n != failed)
            .collect();
        let to = if others.is_empty() {
            failed
        } else {
            others[self.discovery_rng.random_range(0..others.len())]
        };
        self.aim(to, true)
    }

    fn forget_round(&mut self) {
        self.redirected.clear();
        self.timed_out.clear();
        self.hint_failed.clear();
        self.via_hint = None;
    }

    fn aim(&mut self, to: NodeId, new_round: bool) -> NextTry {
        self.leader_guess = to;
        NextTry {
            to,
            followed_hint: false,
            new_round,
        }
    }

    /// Send the next request to `node` (a lesson's choice, or the server that just answered).
    pub fn aim_at(&mut self, node: NodeId) {
        self.leader_guess = node;
        self.forget_round();
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
    /// The servers of the latest configuration this client knows.
    pub known_servers: Vec<NodeId>,
    pub pending: Option<Outstanding>,
    pub queued: usize,
    pub completed: u64,
    pub last_op_id: Option<u64>,
    pub last_result: Option<KvResult>,
    pub last_served_by: Option<NodeId>,
}
write_struct!(ClientView {
    id: "id",
    leader_guess: "leaderGuess",
    known_servers: "knownServers",
    pending: "pending",
    queued: "queued",
    completed: "completed",
    last_op_id: "lastOpId",
    last_result: "lastResult",
    last_served_by: "lastServedBy"
});

impl Client {
    pub fn view(&self) -> ClientView {
        ClientView {
            id: self.id,
            leader_guess: self.leader_guess,
            known_servers: self.known.voters.clone(),
            pending: self.current.clone(),
            queued: self.queue.len(),
            completed: self.completed,
            last_op_id: self.last_result.as_ref().map(|r| r.0),
            last_result: self.last_result.as_ref().map(|r| r.1.clone()),
            last_served_by: self.last_result.as_ref().map(|r| r.2),
        }
    }
}
