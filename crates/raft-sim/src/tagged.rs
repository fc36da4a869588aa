//! Hand-written decoding for the `{"type": ..., ...}` enums (`Action`, `KvOp`, `KvResult`).
//!
//! serde's derive for an internally tagged enum buffers every input into its generic `Content`
//! form and emits a second decode path per variant; in the wasm build that cost about 80 KB.
//! Here the input is read as a `serde_json::Value` (whose decoder the crate has anyway), the
//! `type` key is taken out, and the rest is decoded into a private externally tagged mirror
//! (`{"crash": {"node": 3}}`), which is then mapped back. The JSON format is unchanged and so
//! are serde's messages (`unknown variant`, `unknown field`, `missing field`, `invalid type`).

use serde::de::{DeserializeOwned, Deserializer, Error};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::config::ReadMode;
use crate::kv::{KvOp, KvResult};
use crate::scenario::Action;
use crate::NodeId;

/// Decode an object tagged by its `type` key through the externally tagged mirror `M`.
fn from_tagged<'de, D, M>(d: D, what: &str) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    let Value::Object(mut fields) = Value::deserialize(d)? else {
        return Err(D::Error::custom(format!(
            "invalid type: expected {what} (an object with a \"type\" field)"
        )));
    };
    let tag = match fields.remove("type") {
        Some(Value::String(tag)) => tag,
        Some(other) => {
            return Err(D::Error::custom(format!(
                "invalid type: \"type\" must be a string, found {other}"
            )))
        }
        None => return Err(D::Error::missing_field("type")),
    };
    let mut outer = Map::new();
    outer.insert(tag, Value::Object(fields));
    serde_json::from_value(Value::Object(outer)).map_err(D::Error::custom)
}

/// `Action` as serde sees it externally tagged; same variants, fields and defaults.
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
enum ActionDe {
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    Pause {
        node: NodeId,
    },
    Resume {
        node: NodeId,
    },
    Timeout {
        node: NodeId,
    },
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    SetLink {
        from: NodeId,
        to: NodeId,
        #[serde(default)]
        up: Option<bool>,
        #[serde(default)]
        latency_ms: Option<f64>,
        #[serde(default)]
        latency_ms_min: Option<f64>,
        #[serde(default)]
        latency_ms_max: Option<f64>,
        #[serde(default)]
        loss_pct: Option<f64>,
        #[serde(default)]
        dup_pct: Option<f64>,
    },
    SetAllLinks {
        #[serde(default)]
        latency_ms: Option<f64>,
        #[serde(default)]
        latency_ms_min: Option<f64>,
        #[serde(default)]
        latency_ms_max: Option<f64>,
        #[serde(default)]
        loss_pct: Option<f64>,
        #[serde(default)]
        dup_pct: Option<f64>,
    },
    Heal {},
    ClockSkew {
        node: NodeId,
        rate_ppm: i64,
    },
    ClientPut {
        key: String,
        value: String,
        #[serde(default)]
        client: Option<u64>,
    },
    ClientGet {
        key: String,
        #[serde(default)]
        client: Option<u64>,
    },
    ClientAppend {
        key: String,
        value: String,
        #[serde(default)]
        client: Option<u64>,
    },
    ClientCas {
        key: String,
        #[serde(default)]
        expected: Option<String>,
        value: String,
        #[serde(default)]
        client: Option<u64>,
    },
    TransferLeader {
        to: NodeId,
    },
    AddServer {
        node: NodeId,
    },
    AddLearner {
        node: NodeId,
    },
    RemoveServer {
        node: NodeId,
    },
    ChangeMembership {
        voters: Vec<NodeId>,
        #[serde(default)]
        learners: Vec<NodeId>,
    },
    Compact {
        node: NodeId,
    },
    SetBug {
        name: String,
        on: bool,
    },
    SetToggle {
        name: String,
        on: bool,
    },
    SetReadMode {
        mode: ReadMode,
    },
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match from_tagged::<D, ActionDe>(d, "an action")? {
            ActionDe::Crash { node } => Action::Crash { node },
            ActionDe::Restart { node } => Action::Restart { node },
            ActionDe::Pause { node } => Action::Pause { node },
            ActionDe::Resume { node } => Action::Resume { node },
            ActionDe::Timeout { node } => Action::Timeout { node },
            ActionDe::Partition { groups } => Action::Partition { groups },
            ActionDe::SetLink {
                from,
                to,
                up,
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            } => Action::SetLink {
                from,
                to,
                up,
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            },
            ActionDe::SetAllLinks {
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            } => Action::SetAllLinks {
                latency_ms,
                latency_ms_min,
                latency_ms_max,
                loss_pct,
                dup_pct,
            },
            ActionDe::Heal {} => Action::Heal,
            ActionDe::ClockSkew { node, rate_ppm } => Action::ClockSkew { node, rate_ppm },
            ActionDe::ClientPut { key, value, client } => Action::ClientPut { key, value, client },
            ActionDe::ClientGet { key, client } => Action::ClientGet { key, client },
            ActionDe::ClientAppend { key, value, client } => {
                Action::ClientAppend { key, value, client }
            }
            ActionDe::ClientCas {
                key,
                expected,
                value,
                client,
            } => Action::ClientCas {
                key,
                expected,
                value,
                client,
            },
            ActionDe::TransferLeader { to } => Action::TransferLeader { to },
            ActionDe::AddServer { node } => Action::AddServer { node },
            ActionDe::AddLearner { node } => Action::AddLearner { node },
            ActionDe::RemoveServer { node } => Action::RemoveServer { node },
            ActionDe::ChangeMembership { voters, learners } => {
                Action::ChangeMembership { voters, learners }
            }
            ActionDe::Compact { node } => Action::Compact { node },
            ActionDe::SetBug { name, on } => Action::SetBug { name, on },
            ActionDe::SetToggle { name, on } => Action::SetToggle { name, on },
            ActionDe::SetReadMode { mode } => Action::SetReadMode { mode },
        })
    }
}

/// `KvOp` externally tagged (unknown fields were never refused, so they are not here either).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum KvOpDe {
    Put {
        key: String,
        value: String,
    },
    Get {
        key: String,
    },
    Append {
        key: String,
        value: String,
    },
    Cas {
        key: String,
        expected: Option<String>,
        value: String,
    },
}

impl<'de> Deserialize<'de> for KvOp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match from_tagged::<D, KvOpDe>(d, "a KV op")? {
            KvOpDe::Put { key, value } => KvOp::Put { key, value },
            KvOpDe::Get { key } => KvOp::Get { key },
            KvOpDe::Append { key, value } => KvOp::Append { key, value },
            KvOpDe::Cas {
                key,
                expected,
                value,
            } => KvOp::Cas {
                key,
                expected,
                value,
            },
        })
    }
}

/// `KvResult` externally tagged.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum KvResultDe {
    Ok {},
    Value { value: Option<String> },
    Cas { ok: bool, current: Option<String> },
}

impl<'de> Deserialize<'de> for KvResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match from_tagged::<D, KvResultDe>(d, "a KV result")? {
            KvResultDe::Ok {} => KvResult::Ok,
            KvResultDe::Value { value } => KvResult::Value { value },
            KvResultDe::Cas { ok, current } => KvResult::Cas { ok, current },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kv::{Command, KvStore, Session};

    #[test]
    fn every_action_decodes_back_from_the_json_it_encodes_to() {
        let actions = vec![
            Action::Crash { node: NodeId(1) },
            Action::Heal,
            Action::Partition {
                groups: vec![vec![NodeId(1)], vec![NodeId(2), NodeId(3)]],
            },
            Action::SetLink {
                from: NodeId(1),
                to: NodeId(2),
                up: Some(false),
                latency_ms: None,
                latency_ms_min: Some(3.0),
                latency_ms_max: None,
                loss_pct: Some(10.0),
                dup_pct: None,
            },
            Action::SetAllLinks {
                latency_ms: None,
                latency_ms_min: Some(10.0),
                latency_ms_max: Some(40.0),
                loss_pct: None,
                dup_pct: Some(5.0),
            },
            Action::ClockSkew {
                node: NodeId(2),
                rate_ppm: -500,
            },
            Action::ClientCas {
                key: "k".into(),
                expected: None,
                value: "v".into(),
                client: Some(7),
            },
            Action::SetReadMode {
                mode: ReadMode::Lease,
            },
            Action::ChangeMembership {
                voters: vec![NodeId(3), NodeId(4), NodeId(5)],
                learners: vec![NodeId(6)],
            },
            Action::ChangeMembership {
                voters: vec![NodeId(1)],
                learners: vec![],
            },
        ];
        for a in actions {
            let text = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Action>(&text).unwrap(), a, "{text}");
        }
    }

    #[test]
    fn a_bad_action_is_refused_with_serdes_own_words() {
        let err = |t: &str| serde_json::from_str::<Action>(t).unwrap_err().to_string();
        let unknown = err(r#"{"type":"explode","node":1}"#);
        assert!(unknown.contains("unknown variant `explode`"), "{unknown}");
        assert!(unknown.contains("`crash`") && unknown.contains("`setReadMode`"));
        assert!(err(r#"{"type":"crash","nod":1}"#).contains("unknown field `nod`"));
        assert!(err(r#"{"type":"heal","node":1}"#).contains("unknown field `node`"));
        assert!(err(r#"{"type":"crash"}"#).contains("missing field `node`"));
        assert!(err(r#"{"node":1}"#).contains("missing field `type`"));
        assert!(err(r#"{"type":3}"#).contains("invalid type"));
        assert!(err("[1]").contains("invalid type"));
    }

    #[test]
    fn commands_and_snapshots_decode_from_the_bytes_they_encode_to() {
        let cmd = Command {
            client: 1,
            seq: 2,
            op: KvOp::Cas {
                key: "k".into(),
                expected: Some("a".into()),
                value: "b".into(),
            },
        };
        assert_eq!(Command::decode(&cmd.encode()), Some(cmd));
        let mut store = KvStore::default();
        store.data.insert("k".into(), "v".into());
        for (client, last_result) in [
            KvResult::Ok,
            KvResult::Value { value: None },
            KvResult::Cas {
                ok: false,
                current: Some("x".into()),
            },
        ]
        .into_iter()
        .enumerate()
        {
            let session = Session {
                last_seq: 4,
                last_result,
            };
            store.sessions.insert(client as u64, session);
        }
        assert_eq!(KvStore::from_snapshot(&store.to_snapshot()), store);
    }
}
