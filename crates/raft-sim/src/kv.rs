//! The replicated state machine: a string KV store (put, get, append, cas) with a session table
//! that makes retried writes apply exactly once (dissertation §6.3). The session table is part
//! of the snapshot, or a restored node would apply a retry twice.

use crate::write::write_struct;
use crate::SortedMap;

use crate::json::{Map, Value};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};

/// What a client asks for. Decoded by hand in `tagged.rs`; keep the two in step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum KvOp {
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

impl KvOp {
    pub fn key(&self) -> &str {
        match self {
            KvOp::Put { key, .. }
            | KvOp::Get { key }
            | KvOp::Append { key, .. }
            | KvOp::Cas { key, .. } => key,
        }
    }

    pub fn is_read(&self) -> bool {
        matches!(self, KvOp::Get { .. })
    }

    /// Short text for logs and the event feed; user text is passed through unchanged (the page
    /// escapes it when it renders).
    pub fn summary(&self) -> String {
        match self {
            KvOp::Put { key, value } => format!("put {key}={value}"),
            KvOp::Get { key } => format!("get {key}"),
            KvOp::Append { key, value } => format!("append {key}+={value}"),
            KvOp::Cas {
                key,
                expected,
                value,
            } => {
                format!(
                    "cas {key}: {} -> {value}",
                    expected.as_deref().unwrap_or("(absent)")
                )
            }
        }
    }
}

/// What the state machine answers. Decoded by hand in `tagged.rs`; keep the two in step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum KvResult {
    /// A put or append took effect.
    Ok,
    /// A read: the value, or null when the key is absent.
    Value { value: Option<String> },
    /// A compare-and-set: whether it swapped, and the value it found.
    Cas { ok: bool, current: Option<String> },
}

/// A command in a log entry: the op plus the (client, seq) that makes it idempotent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    pub client: u64,
    pub seq: u64,
    pub op: KvOp,
}
write_struct!(Command {
    client: "client",
    seq: "seq",
    op: "op"
});

impl Command {
    pub fn encode(&self) -> Vec<u8> {
        // Room for a typical command (an automatic put with its client, seq, key and value is
        // about 66 bytes) without growing the vector, as serde_json's 128 had.
        let mut out = Vec::with_capacity(128);
        crate::write::WriteJson::write_json(self, &mut out);
        out
    }

    /// Entries that are not commands (the leader's no-op, conf changes) decode to `None`.
    pub fn decode(bytes: &[u8]) -> Option<Command> {
        if bytes.is_empty() {
            return None;
        }
        // Parsed to a `json::Value` first, like every other input of the crate, and read by
        // hand from there (below). The cache above makes this once per entry.
        read_command(&object(bytes)?)
    }

    pub fn summary(&self) -> String {
        format!("{} (c{}#{})", self.op.summary(), self.client, self.seq)
    }
}

/// Slots of [`CommandCache`]: more than the entries committed but not yet applied everywhere.
const COMMAND_CACHE_SLOTS: usize = 256;

/// The commands of recent entries, decoded once for every node: each node applies each entry,
/// and decoding its JSON once per node was a tenth of a busy run. A slot is keyed by the whole
/// entry (index, term and bytes), so a different entry at the same index (after an injected
/// bug) is decoded afresh. It is only a cache: a clone (a checkpoint) starts empty.
#[derive(Default)]
pub struct CommandCache {
    slots: Vec<Option<(raft_core::Entry, Option<Command>)>>,
}

impl Clone for CommandCache {
    fn clone(&self) -> Self {
        CommandCache::default()
    }
}

impl CommandCache {
    /// The entry's command; `None` for entries that carry none (no-ops, conf changes).
    pub fn decode(&mut self, e: &raft_core::Entry) -> Option<&Command> {
        let raft_core::EntryKind::Normal { data } = &e.kind else {
            return None;
        };
        if self.slots.is_empty() {
            self.slots.resize(COMMAND_CACHE_SLOTS, None);
        }
        let slot = &mut self.slots[(e.index.0 % COMMAND_CACHE_SLOTS as u64) as usize];
        if !matches!(slot, Some((k, _)) if k == e) {
            *slot = Some((e.clone(), Command::decode(data)));
        }
        slot.as_ref().and_then(|(_, c)| c.as_ref())
    }

    /// Remember the command a node just proposed as entry `e` (its bytes are `cmd.encode()`),
    /// so applying it decodes nothing: decoding the JSON of every committed command was most
    /// of what applying cost. Only a cache, keyed by the whole entry like `decode`'s slots.
    pub fn remember(&mut self, e: raft_core::Entry, cmd: Command) {
        debug_assert!(
            matches!(&e.kind, raft_core::EntryKind::Normal { data }
                if Command::decode(data).as_ref() == Some(&cmd)),
            "a remembered command is what its entry decodes to"
        );
        if self.slots.is_empty() {
            self.slots.resize(COMMAND_CACHE_SLOTS, None);
        }
        let slot = (e.index.0 % COMMAND_CACHE_SLOTS as u64) as usize;
        self.slots[slot] = Some((e, Some(cmd)));
    }
}

/// The last write a client got applied, and its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub last_seq: u64,
    pub last_result: KvResult,
}
write_struct!(Session {
    last_seq: "lastSeq",
    last_result: "lastResult"
});

/// The KV store of one node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KvStore {
    #[serde(deserialize_with = "sorted_map_from_object")]
    pub data: SortedMap<String, String>,
    #[serde(deserialize_with = "sorted_map_from_object")]
    pub sessions: SortedMap<u64, Session>,
}
write_struct!(KvStore {
    data: "data",
    sessions: "sessions"
});

impl KvStore {
    /// Apply a committed command; a (client, seq) already applied returns the recorded result
    /// without applying again.
    pub fn apply(&mut self, cmd: &Command) -> KvResult {
        self.apply_checked(cmd).0
    }

    /// Like `apply`, and says whether the command was new (false: a duplicate, not re-applied).
    pub fn apply_checked(&mut self, cmd: &Command) -> (KvResult, bool) {
        if let Some(s) = self.sessions.get(&cmd.client) {
            if cmd.seq <= s.last_seq {
                return (s.last_result.clone(), false);
            }
        }
        let result = self.execute(&cmd.op);
        let session = Session {
            last_seq: cmd.seq,
            last_result: result.clone(),
        };
        self.sessions.insert(cmd.client, session);
        (result, true)
    }

    /// Run an op with no session bookkeeping (reads use this).
    pub fn execute(&mut self, op: &KvOp) -> KvResult {
        match op {
            KvOp::Put { key, value } => {
                self.data.insert(key.clone(), value.clone());
                KvResult::Ok
            }
            KvOp::Get { key } => KvResult::Value {
                value: self.data.get(key).cloned(),
            },
            KvOp::Append { key, value } => {
                self.data.entry(key.clone()).or_default().push_str(value);
                KvResult::Ok
            }
            KvOp::Cas {
                key,
                expected,
                value,
            } => {
                let current = self.data.get(key).cloned();
                if &current == expected {
                    self.data.insert(key.clone(), value.clone());
                    KvResult::Cas { ok: true, current }
                } else {
                    KvResult::Cas { ok: false, current }
                }
            }
        }
    }

    pub fn read(&self, key: &str) -> KvResult {
        KvResult::Value {
            value: self.data.get(key).cloned(),
        }
    }

    /// The snapshot bytes handed to raft-core's `compact`.
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        crate::write::WriteJson::write_json(self, &mut out);
        out
    }

    /// Restore from snapshot bytes; empty bytes mean an empty store.
    pub fn from_snapshot(bytes: &[u8]) -> KvStore {
        if bytes.is_empty() {
            return KvStore::default();
        }
        object(bytes)
            .and_then(|fields| read_store(&fields))
            .unwrap_or_default()
    }
}

// Entries and snapshots hold only what `Command::encode` and `KvStore::to_snapshot` wrote, so
// they are read back from the parsed object by hand: the derived decoders of `Command`,
// `Session` and `KvStore`, with `KvOp`'s and `KvResult`'s tagged mirrors, were 16 KB of wasm
// for bytes the simulator made itself. Whatever the bytes, these accept exactly what those
// decoders accept from an object and read it alike, unknown fields ignored as they were, except
// a session written as a pair (`hand_readers_agree_with_the_derived_decoders`).

type Fields = Map;

fn text(o: &Fields, key: &str) -> Option<String> {
    Some(o.get(key)?.as_str()?.to_owned())
}

/// An `Option<String>` field: absent and `null` are `None`.
fn optional_text(o: &Fields, key: &str) -> Option<Option<String>> {
    match o.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    }
}

fn read_command(o: &Fields) -> Option<Command> {
    Some(Command {
        client: o.get("client")?.as_u64()?,
        seq: o.get("seq")?.as_u64()?,
        op: read_op(o.get("op")?.as_object()?)?,
    })
}

fn read_op(o: &Fields) -> Option<KvOp> {
    let tag = o.get("type")?.as_str()?;
    let key = text(o, "key")?;
    Some(match tag {
        "put" => KvOp::Put {
            key,
            value: text(o, "value")?,
        },
        "get" => KvOp::Get { key },
        "append" => KvOp::Append {
            key,
            value: text(o, "value")?,
        },
        "cas" => KvOp::Cas {
            key,
            expected: optional_text(o, "expected")?,
            value: text(o, "value")?,
        },
        _ => return None,
    })
}

fn read_result(o: &Fields) -> Option<KvResult> {
    Some(match o.get("type")?.as_str()? {
        "ok" => KvResult::Ok,
        "value" => KvResult::Value {
            value: optional_text(o, "value")?,
        },
        "cas" => KvResult::Cas {
            ok: o.get("ok")?.as_bool()?,
            current: optional_text(o, "current")?,
        },
        _ => return None,
    })
}

fn read_store(o: &Fields) -> Option<KvStore> {
    let mut store = KvStore::default();
    // One `insert` at a time rather than `collect`, which would add a sort per map type.
    for (key, value) in o.get("data")?.as_object()? {
        store.data.insert(key.clone(), value.as_str()?.to_owned());
    }
    for (key, value) in o.get("sessions")?.as_object()? {
        let value = value.as_object()?;
        let session = Session {
            last_seq: value.get("lastSeq")?.as_u64()?,
            last_result: read_result(value.get("lastResult")?.as_object()?)?,
        };
        store.sessions.insert(key.parse().ok()?, session);
    }
    Some(store)
}

/// JSON bytes holding an object, as its map (see `Command::decode` for why through `Value`).
fn object(bytes: &[u8]) -> Option<Map> {
    match crate::json::parse(std::str::from_utf8(bytes).ok()?).ok()? {
        Value::Object(fields) => Some(fields),
        _ => None,
    }
}

/// A [`SortedMap`] from a JSON object, its keys parsed from their text. litemap's own
/// `Deserialize` also reads a list of pairs, a second path per map type that costs about 12 KB
/// of wasm for the two maps here, and snapshots only ever hold objects.
fn sorted_map_from_object<'de, D, K, V>(d: D) -> Result<SortedMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Ord + std::str::FromStr,
    V: DeserializeOwned,
{
    let serde_json::Value::Object(fields) = serde_json::Value::deserialize(d)? else {
        return Err(D::Error::custom("expected an object"));
    };
    // One `insert` at a time rather than `collect`, which would add a sort per map type.
    let mut map = SortedMap::new();
    for (key, value) in fields {
        let key = key
            .parse()
            .map_err(|_| D::Error::custom(format!("bad map key {key}")))?;
        map.insert(key, V::deserialize(value).map_err(D::Error::custom)?);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(client: u64, seq: u64, k: &str, v: &str) -> Command {
        Command {
            client,
            seq,
            op: KvOp::Put {
                key: k.into(),
                value: v.into(),
            },
        }
    }

    #[test]
    fn a_retried_append_applies_exactly_once() {
        let mut kv = KvStore::default();
        let a = Command {
            client: 1,
            seq: 1,
            op: KvOp::Append {
                key: "x".into(),
                value: "a".into(),
            },
        };
        assert_eq!(kv.apply(&a), KvResult::Ok);
        assert_eq!(kv.apply(&a), KvResult::Ok);
        assert_eq!(kv.data.get("x").unwrap(), "a");
        let b = Command {
            client: 1,
            seq: 2,
            op: KvOp::Append {
                key: "x".into(),
                value: "b".into(),
            },
        };
        kv.apply(&b);
        kv.apply(&a);
        assert_eq!(kv.data.get("x").unwrap(), "ab");
    }

    #[test]
    fn cas_swaps_only_on_match_and_replays_its_first_answer() {
        let mut kv = KvStore::default();
        kv.apply(&put(1, 1, "k", "1"));
        let cas = Command {
            client: 2,
            seq: 1,
            op: KvOp::Cas {
                key: "k".into(),
                expected: Some("1".into()),
                value: "2".into(),
            },
        };
        assert_eq!(
            kv.apply(&cas),
            KvResult::Cas {
                ok: true,
                current: Some("1".into())
            }
        );
        // The retry sees the first answer, not a failed comparison against "2".
        assert_eq!(
            kv.apply(&cas),
            KvResult::Cas {
                ok: true,
                current: Some("1".into())
            }
        );
        let absent = KvOp::Cas {
            key: "z".into(),
            expected: None,
            value: "n".into(),
        };
        assert_eq!(
            kv.execute(&absent),
            KvResult::Cas {
                ok: true,
                current: None
            }
        );
    }

    #[test]
    fn the_snapshot_keeps_the_session_table() {
        let mut kv = KvStore::default();
        let a = Command {
            client: 1,
            seq: 1,
            op: KvOp::Append {
                key: "x".into(),
                value: "a".into(),
            },
        };
        kv.apply(&a);
        let mut restored = KvStore::from_snapshot(&kv.to_snapshot());
        assert_eq!(restored, kv);
        restored.apply(&a);
        assert_eq!(restored.data.get("x").unwrap(), "a");
    }

    /// The hand readers against the derived decoders they replace, on what the simulator
    /// writes and on every way a field can be missing or of the wrong type.
    #[test]
    fn hand_readers_agree_with_the_derived_decoders() {
        let commands = [
            r#"{"client":1,"seq":2,"op":{"type":"put","key":"k","value":"v"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"get","key":"k"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"append","key":"k","value":"v","x":1}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"cas","key":"k","expected":null,"value":"v"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"cas","key":"k","expected":"e","value":"v"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"cas","key":"k","value":"v"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"cas","key":"k","expected":3,"value":"v"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"put","key":"k"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"put","value":"v"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":"nope","key":"k"}}"#,
            r#"{"client":1,"seq":2,"op":{"type":3,"key":"k"}}"#,
            r#"{"client":1,"seq":2,"op":{"key":"k"}}"#,
            r#"{"client":1,"seq":2,"op":["put","k","v"]}"#,
            r#"{"client":1,"seq":2,"op":null}"#,
            r#"{"client":1,"seq":2}"#,
            r#"{"client":-1,"seq":2,"op":{"type":"get","key":"k"}}"#,
            r#"{"client":1.0,"seq":2,"op":{"type":"get","key":"k"}}"#,
            r#"{"client":"1","seq":2,"op":{"type":"get","key":"k"}}"#,
            r#"{"client":1,"seq":18446744073709551615,"op":{"type":"get","key":"k"},"z":[]}"#,
            r#"{"seq":2,"op":{"type":"get","key":"k"}}"#,
        ];
        for t in commands {
            let fields = object(t.as_bytes()).unwrap();
            assert_eq!(
                read_command(&fields),
                serde_json::from_str::<Command>(t).ok(),
                "{t}"
            );
        }
        let s = |r: &str| format!(r#"{{"data":{{"a":"1"}},"sessions":{{"7":{r}}}}}"#);
        let stores = [
            s(r#"{"lastSeq":3,"lastResult":{"type":"ok"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"ok","value":1}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"value","value":"x"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"value","value":null}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"value"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"value","value":false}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"cas","ok":true,"current":"c"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"cas","ok":1,"current":"c"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"cas","current":"c"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{"type":"other"}}"#),
            s(r#"{"lastSeq":3,"lastResult":{}}"#),
            s(r#"{"lastSeq":3,"lastResult":"ok"}"#),
            s(r#"{"lastResult":{"type":"ok"}}"#),
            s(r#"{"lastSeq":-3,"lastResult":{"type":"ok"}}"#),
            r#"{"data":{"a":"1","b":""},"sessions":{}}"#.to_string(),
            r#"{"data":{"a":1},"sessions":{}}"#.to_string(),
            r#"{"data":[],"sessions":{}}"#.to_string(),
            r#"{"data":{}}"#.to_string(),
            r#"{"sessions":{}}"#.to_string(),
            r#"{"data":{},"sessions":{"x":{"lastSeq":1,"lastResult":{"type":"ok"}}}}"#.to_string(),
            r#"{"data":{},"sessions":{"+4":{"lastSeq":1,"lastResult":{"type":"ok"}}}}"#.to_string(),
            r#"{"data":{},"sessions":{"10":{"lastSeq":1,"lastResult":{"type":"ok"}},"9":{"lastSeq":2,"lastResult":{"type":"ok"}}},"extra":0}"#.to_string(),
        ];
        for t in &stores {
            let fields = object(t.as_bytes()).unwrap();
            assert_eq!(
                read_store(&fields),
                serde_json::from_str::<KvStore>(t).ok(),
                "{t}"
            );
        }
        // The one difference: the derived decoder also read a session as a [lastSeq,
        // lastResult] pair, which `to_snapshot` never writes.
        let pair = s(r#"[3,{"type":"ok"}]"#);
        assert!(serde_json::from_str::<KvStore>(&pair).is_ok());
        assert_eq!(read_store(&object(pair.as_bytes()).unwrap()), None);
    }

    #[test]
    fn commands_round_trip_and_noops_do_not_decode() {
        let c = put(3, 9, "k", "v");
        assert_eq!(Command::decode(&c.encode()), Some(c));
        assert_eq!(Command::decode(&[]), None);
    }
}
