//! Trace events to JS as columns: the common events as numbers, rebuilt into plain objects by
//! `columns.js`; the rest as JSON.
//!
//! `advance(60000)` on a busy cluster returns ~70,000 events. As one JSON text (9 MB) they cost
//! more than simulating the run: `JSON.parse` alone took ~75 ms on a quiet machine, as long as
//! the seek. Nine in ten are message, append, commit and apply events made of numbers and a
//! few names, so those cross as one `Float64Array` (read in place from wasm memory, no copy),
//! their summaries as one string, and `columns.js` builds each object with its keys in serde's
//! order; the other kinds, with nested and optional fields, stay JSON. The result is exactly
//! `JSON.parse(trace_json(events))` (tests/columns.rs compares the two texts).

use raft_sim::TraceEvent;
use wasm_bindgen::prelude::*;

use crate::error::{ApiError, ApiResult, ErrorKind};

#[wasm_bindgen(module = "/src/columns.js")]
extern "C" {
    #[wasm_bindgen(js_name = eventsFromColumns, catch)]
    fn events_from_columns(
        nums: &[f64],
        summaries: &str,
        rare: &str,
        types: &str,
    ) -> Result<JsValue, JsValue>;
}

/// Which columns follow in `nums`; the same numbers as `columns.js`.
#[derive(Clone, Copy)]
enum Tag {
    /// The next event of the JSON array `rare`.
    Json = 0,
    /// at, id, type, from, to, term, summary length (UTF-16 units), deliver at.
    MsgSent = 1,
    /// at, id, type, from, to, term.
    MsgDelivered = 2,
    /// at, node, from, to.
    EntriesAppended = 3,
    /// at, node, from, to.
    CommitAdvanced = 4,
    /// at, node, index.
    Applied = 5,
}

/// The columns of one batch of events.
#[derive(Default)]
pub struct Columns {
    /// Per event: its `Tag`, then that tag's numbers.
    pub nums: Vec<f64>,
    /// The `msgSent` summaries, one after another.
    pub summaries: String,
    /// The other events, as one JSON array.
    pub rare: Vec<u8>,
    /// The message type names the `type` numbers index, as a JSON array.
    pub types: String,
}

impl Columns {
    pub fn new(events: &[TraceEvent]) -> Columns {
        let mut c = Columns {
            nums: Vec::with_capacity(events.len() * 8),
            summaries: String::new(),
            rare: vec![b'['],
            types: String::new(),
        };
        let mut types: Vec<&str> = Vec::new();
        for ev in events {
            if !c.push_numbers(ev, &mut types) {
                if c.rare.len() > 1 {
                    c.rare.push(b',');
                }
                ev.write_json(&mut c.rare);
                c.nums.push(Tag::Json as u8 as f64);
            }
        }
        c.rare.push(b']');
        c.types = raft_sim::write::to_string(&types);
        c
    }

    /// The event as numbers, if it is a kind that crosses so and its fields are plain: a
    /// time that is not finite would be `null` in JSON, so it goes that way.
    fn push_numbers<'e>(&mut self, ev: &'e TraceEvent, types: &mut Vec<&'e str>) -> bool {
        if !ev.at_ms().is_finite() {
            return false;
        }
        let n = &mut self.nums;
        match ev {
            TraceEvent::MsgSent {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
                summary,
                deliver_at_ms,
            } if deliver_at_ms.is_finite() => {
                // Written straight into the batch's text: no string per message.
                let start = self.summaries.len();
                summary.write_to(&mut self.summaries);
                // `get`, not slicing, which would bring core's char-boundary panic message
                // and its `char` escaping (see `raft_sim::error::shorten_token`).
                let written = self.summaries.get(start..).unwrap_or_default();
                let len = if written.is_ascii() {
                    written.len()
                } else {
                    written.encode_utf16().count()
                };
                let t = type_number(types, msg_type);
                let msg = message(*at_ms, *id, t, from.0, to.0, term.0);
                push(n, Tag::MsgSent, &msg);
                n.extend_from_slice(&[len as f64, *deliver_at_ms]);
            }
            TraceEvent::MsgDelivered {
                at_ms,
                id,
                msg_type,
                from,
                to,
                term,
            } => {
                let t = type_number(types, msg_type);
                let msg = message(*at_ms, *id, t, from.0, to.0, term.0);
                push(n, Tag::MsgDelivered, &msg);
            }
            TraceEvent::EntriesAppended {
                at_ms,
                node,
                from,
                to,
            } => push(
                n,
                Tag::EntriesAppended,
                &[*at_ms, node.0 as f64, from.0 as f64, to.0 as f64],
            ),
            TraceEvent::CommitAdvanced {
                at_ms,
                node,
                from,
                to,
            } => push(
                n,
                Tag::CommitAdvanced,
                &[*at_ms, node.0 as f64, from.0 as f64, to.0 as f64],
            ),
            TraceEvent::Applied { at_ms, node, index } => {
                push(n, Tag::Applied, &[*at_ms, node.0 as f64, index.0 as f64])
            }
            _ => return false,
        }
        true
    }

    /// The events as JS objects, through `columns.js`.
    pub fn to_js(&self, method: &str) -> ApiResult<JsValue> {
        // A `match`, not `expect`, as in `raft_sim::write::text`.
        let rare = match std::str::from_utf8(&self.rare) {
            Ok(text) => text,
            Err(_) => unreachable!("JSON is UTF-8"),
        };
        events_from_columns(&self.nums, &self.summaries, rare, &self.types).map_err(|_| {
            ApiError::new(
                ErrorKind::Other,
                method,
                "the events could not be converted to JS",
            )
        })
    }
}

/// The tag, then its numbers.
fn push(nums: &mut Vec<f64>, tag: Tag, fields: &[f64]) {
    nums.push(tag as u8 as f64);
    nums.extend_from_slice(fields);
}

/// The six numbers msgSent and msgDelivered both start with, in the order columns.js reads.
fn message(at_ms: f64, id: u64, msg_type: f64, from: u64, to: u64, term: u64) -> [f64; 6] {
    [
        at_ms,
        id as f64,
        msg_type,
        from as f64,
        to as f64,
        term as f64,
    ]
}

/// `name`'s number in `types`, added if new (a batch holds a dozen names at most).
fn type_number<'e>(types: &mut Vec<&'e str>, name: &'e str) -> f64 {
    let at = match types.iter().position(|t| *t == name) {
        Some(at) => at,
        None => {
            types.push(name);
            types.len() - 1
        }
    };
    at as f64
}
