//! serde decoding helpers for the types still read through serde: the lesson files (read
//! natively only, by `raft-sim lessons` and the site build) and the KV mirrors below, which
//! `kv.rs`'s test holds its hand readers to. The page's inputs (actions, configs, scenarios)
//! are read by `read.rs` instead.
//!
//! serde's derive for an internally tagged enum buffers every input into its generic `Content`
//! form and emits a second decode path per variant, so the `{"type": ..., ...}` enums here take
//! the `type` key out of a `serde_json::Value` ([`take_tag`]) and decode the rest through a
//! private externally tagged mirror (`{"put": {...}}`), with serde's own messages.

use serde::de::{DeserializeOwned, Deserializer, Error, Unexpected, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::kv::{KvOp, KvResult};

/// Split an object tagged by its `type` key into the tag and the other fields.
pub(crate) fn take_tag<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
) -> Result<(String, Map<String, Value>), D::Error> {
    let Value::Object(mut fields) = Value::deserialize(d)? else {
        return Err(D::Error::custom(format!(
            "invalid type: expected {what} (an object with a \"type\" field)"
        )));
    };
    match fields.remove("type") {
        Some(Value::String(tag)) => Ok((tag, fields)),
        Some(other) => Err(D::Error::custom(format!(
            "invalid type: \"type\" must be a string, found {}",
            crate::error::Json(&other)
        ))),
        None => Err(D::Error::missing_field("type")),
    }
}

/// Decode the fields left after [`take_tag`] as `T`.
///
/// Through the map itself rather than `serde_json::from_value(Value::Object(..))`: the same
/// decode and the same messages (`Value` hands an object to exactly this), but a `Value` might
/// also be an array, so decoding from one keeps every derived struct's positional `visit_seq`
/// in the wasm, dead for these objects (about 1 KB per action type).
pub(crate) fn fields_as<T: DeserializeOwned, E: Error>(fields: Map<String, Value>) -> Result<T, E> {
    T::deserialize(fields).map_err(E::custom)
}

/// Decode a struct `T` from a JSON value: an object exactly as `serde_json::from_value` decodes
/// it (same code path, same messages), anything else refused with serde_json's own `invalid
/// type: ..., expected struct T`. The difference is that `from_value` also reads a struct from
/// an array, positionally; no input format of ours is an array, and that second path (each
/// derived struct's `visit_seq`) is dead code the wasm would carry for every type read so.
pub(crate) fn from_object<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    match value {
        Value::Object(fields) => T::deserialize(fields),
        other => T::deserialize(NotAnObject(&other)),
    }
}

/// A JSON value that is not an object, as a deserializer that refuses every request with the
/// message serde_json's `Value` gives for a value of the wrong type.
struct NotAnObject<'a>(&'a Value);

impl<'de> Deserializer<'de> for NotAnObject<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // The same `Unexpected` as serde_json's (private) `Value::unexpected`.
        let unexpected = match self.0 {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Unexpected::Unsigned(u),
                (None, Some(i)) => Unexpected::Signed(i),
                _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        };
        Err(serde_json::Error::invalid_type(unexpected, &visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Decode an object tagged by its `type` key through the externally tagged mirror `M`.
fn from_tagged<'de, D, M>(d: D, what: &str) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    let (tag, fields) = take_tag(d, what)?;
    let mut outer = Map::new();
    outer.insert(tag, Value::Object(fields));
    fields_as(outer)
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
            // Client 10 as well: its key sorts before "2" as text, after it as a number.
            store.sessions.insert(client as u64 * 5, session);
        }
        store.data.insert("a".into(), "w".into());
        assert_eq!(KvStore::from_snapshot(&store.to_snapshot()), store);
    }
}
