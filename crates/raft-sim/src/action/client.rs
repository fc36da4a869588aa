//! Client requests: put, get, append, compare-and-set. Each is queued on one of the
//! simulator's clients, which sends it to the cluster and retries until it is answered.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::read::read_struct;
use crate::write::write_struct;

use super::{ActionType, KEY_BYTES_MAX, VALUE_BYTES_MAX};
use crate::client::CLIENT_QUEUE_MAX;
use crate::error::SimError;
use crate::kv::KvOp;
use crate::world::World;

fn check_key(k: &str) -> Result<(), SimError> {
    if k.is_empty() || k.len() > KEY_BYTES_MAX {
        Err(SimError::new(
            "key",
            format!("must be 1 to {KEY_BYTES_MAX} bytes, got {}", k.len()),
        ))
    } else {
        Ok(())
    }
}

fn check_value(field: &str, v: &str) -> Result<(), SimError> {
    if v.len() > VALUE_BYTES_MAX {
        Err(SimError::new(
            field,
            format!("must be at most {VALUE_BYTES_MAX} bytes, got {}", v.len()),
        ))
    } else {
        Ok(())
    }
}

/// The client an operation goes to (client 1 when none is named), if it can take one more.
fn check_client(world: &World, client: Option<u64>) -> Result<(), SimError> {
    let c = client.unwrap_or(1);
    match world.clients.get(&c) {
        None => Err(SimError::new(
            "client",
            format!(
                "unknown client {c}; clients are 1..={}",
                world.clients.len()
            ),
        )),
        Some(cl) if cl.queue.len() >= CLIENT_QUEUE_MAX => Err(SimError::new(
            "client",
            format!(
                "client {c} already has {} queued operations",
                cl.queue.len()
            ),
        )),
        Some(_) => Ok(()),
    }
}

fn enqueue(world: &mut World, client: Option<u64>, op: KvOp) {
    world.client_enqueue(client.unwrap_or(1), op);
}

/// Generator pieces: a key (now and then empty, which is refused), a value, a client (now and
/// then one that does not exist).
fn any_key(rng: &mut ChaCha8Rng) -> String {
    ["a", "b", "c", ""][rng.random_range(0..4)].to_string()
}

fn any_value(rng: &mut ChaCha8Rng) -> String {
    format!("v{}", rng.random_range(0..100u32))
}

fn any_client(world: &World, rng: &mut ChaCha8Rng) -> Option<u64> {
    match rng.random_range(0..4u32) {
        0 => None,
        _ => Some(rng.random_range(0..=world.clients.len() as u64 + 1)),
    }
}

/// A client writes `key = value`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientPut {
    pub key: String,
    pub value: String,
    /// Which of `config.clients` (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<u64>,
}
read_struct!(ClientPut { key: "key", value: "value", client: "client" default });
write_struct!(ClientPut { key: "key", value: "value", client: "client" omit });

impl ActionType for ClientPut {
    fn validate(&self) -> Result<(), SimError> {
        check_key(&self.key)?;
        check_value("value", &self.value)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        check_client(world, self.client)
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        let op = KvOp::Put {
            key: self.key.clone(),
            value: self.value.clone(),
        };
        enqueue(world, self.client, op);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        ClientPut {
            key: any_key(rng),
            value: any_value(rng),
            client: any_client(world, rng),
        }
    }
}

/// A client reads `key` (linearizably, unless the read mode says otherwise).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientGet {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<u64>,
}
read_struct!(ClientGet { key: "key", client: "client" default });
write_struct!(ClientGet { key: "key", client: "client" omit });

impl ActionType for ClientGet {
    fn validate(&self) -> Result<(), SimError> {
        check_key(&self.key)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        check_client(world, self.client)
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        let op = KvOp::Get {
            key: self.key.clone(),
        };
        enqueue(world, self.client, op);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        ClientGet {
            key: any_key(rng),
            client: any_client(world, rng),
        }
    }
}

/// A client appends `value` to `key`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientAppend {
    pub key: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<u64>,
}
read_struct!(ClientAppend { key: "key", value: "value", client: "client" default });
write_struct!(ClientAppend { key: "key", value: "value", client: "client" omit });

impl ActionType for ClientAppend {
    fn validate(&self) -> Result<(), SimError> {
        check_key(&self.key)?;
        check_value("value", &self.value)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        check_client(world, self.client)
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        let op = KvOp::Append {
            key: self.key.clone(),
            value: self.value.clone(),
        };
        enqueue(world, self.client, op);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        ClientAppend {
            key: any_key(rng),
            value: any_value(rng),
            client: any_client(world, rng),
        }
    }
}

/// Compare-and-set: `key` becomes `value` if it holds `expected` (`null`: the key is absent).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientCas {
    pub key: String,
    pub expected: Option<String>,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<u64>,
}
read_struct!(ClientCas { key: "key", expected: "expected" default, value: "value", client: "client" default });
write_struct!(ClientCas { key: "key", expected: "expected", value: "value", client: "client" omit });

impl ActionType for ClientCas {
    fn validate(&self) -> Result<(), SimError> {
        check_key(&self.key)?;
        if let Some(e) = &self.expected {
            check_value("expected", e)?;
        }
        check_value("value", &self.value)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        check_client(world, self.client)
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        let op = KvOp::Cas {
            key: self.key.clone(),
            expected: self.expected.clone(),
            value: self.value.clone(),
        };
        enqueue(world, self.client, op);
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        ClientCas {
            key: any_key(rng),
            expected: rng.random_bool(0.5).then(|| any_value(rng)),
            value: any_value(rng),
            client: any_client(world, rng),
        }
    }
}

/// Aim a client at a server: its next request goes there (a lesson's choice, such as a client
/// that keeps talking to an old leader). From there it finds the leader as always (§6.2).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AimClient {
    pub client: u64,
    pub node: crate::NodeId,
}
read_struct!(AimClient {
    client: "client",
    node: "node"
});
write_struct!(AimClient {
    client: "client",
    node: "node"
});

impl ActionType for AimClient {
    fn validate(&self) -> Result<(), SimError> {
        super::check_client_id("client", self.client)?;
        super::check_node_id("node", self.node)
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_client_id("client", self.client)?;
        world.need_node("node", self.node)?;
        Ok(())
    }

    fn effect(&self, world: &mut World, _at_ms: f64) {
        if let Some(c) = world.clients.get_mut(&self.client) {
            c.aim_at(self.node);
        }
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        AimClient {
            client: rng.random_range(0..=world.clients.len() as u64 + 1),
            node: super::any_node(world, rng),
        }
    }
}
