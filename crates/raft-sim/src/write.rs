//! Writing JSON by hand: every JSON text the simulator makes (trace events, `state()`, log
//! entries and snapshots, scenarios and links, configs, the checkers' verdict, the messages'
//! quoted values), byte for byte what `serde_json::to_vec` writes for the same value with the
//! types' derived `Serialize`.
//!
//! Why: the derived `Serialize` impls and serde_json's writer were about 30 KB of the wasm
//! (10.6 KB gzipped), kept there by a handful of callers each; writing only the common trace
//! events by hand saved little, since the writer stayed for the rest. Here a struct is its list
//! of JSON field names ([`write_struct!`]), each field written by one non-inlined call per field
//! type ([`field`]), and an enum writes its tag and then its fields. The derived `Serialize`
//! impls stay for the native tests, which hold every writer here to serde_json's text
//! (`tests/write_json.rs`, and the trace hashes, which cover the rarer events' JSON).

use raft_core::{LogIndex, NodeId, Term};

use crate::SortedMap;

/// A value that writes itself as compact JSON, as serde_json writes its derived `Serialize`.
pub trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>);
}

/// A field serde leaves out when it has this value (`skip_serializing_if`).
pub trait Omit {
    fn omit(&self) -> bool;
}

/// `value`'s JSON as a `String`.
pub fn to_string<T: WriteJson + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(64);
    value.write_json(&mut out);
    text(out)
}

/// Written text as a `String`. Everything here writes `&str`s and ASCII only; a `match`, not
/// `expect`, so the UTF-8 error's `Debug` stays out of the wasm.
pub fn text(out: Vec<u8>) -> String {
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(_) => unreachable!("JSON is UTF-8"),
    }
}

/// The comma before a field or a list item, unless it is the first of its object or list (a
/// value never ends in `{` or `[`, so the last byte tells).
pub fn sep(out: &mut Vec<u8>) {
    if !matches!(out.last(), None | Some(b'{' | b'[')) {
        out.push(b',');
    }
}

/// `"name":` after the comma it needs.
#[inline(never)]
pub fn key(out: &mut Vec<u8>, name: &str) {
    sep(out);
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// One field of an object. Not inlined: one copy per field type serves every struct.
#[inline(never)]
pub fn field<T: WriteJson + ?Sized>(out: &mut Vec<u8>, name: &str, value: &T) {
    key(out, name);
    value.write_json(out);
}

/// A field left out at its [`Omit`] value.
#[inline(never)]
pub fn field_omit<T: WriteJson + Omit>(out: &mut Vec<u8>, name: &str, value: &T) {
    if !value.omit() {
        field(out, name, value);
    }
}

/// `{"tag":"name"`: an internally tagged enum's start (serde writes the tag first).
#[inline(never)]
pub fn tagged(out: &mut Vec<u8>, tag: &str, name: &str) {
    out.extend_from_slice(b"{\"");
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(b"\":\"");
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// `{"type":"name"}`: a unit variant of an enum tagged by `type`.
pub fn unit(out: &mut Vec<u8>, name: &str) {
    tagged(out, "type", name);
    out.push(b'}');
}

/// A plain string that needs no escaping (an enum's name), quoted.
pub fn name(out: &mut Vec<u8>, name: &str) {
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// `v`'s decimal digits, as serde_json writes an integer.
pub fn uint(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
}

pub fn int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    uint(out, v.unsigned_abs());
}

/// A float as serde_json writes it: `null` when not finite, else the shortest digits that read
/// back as `x` (zmij's, which serde_json uses), `.0` on a whole number. Nearly every float
/// written is a time or a rate in whole thousandths, whose shortest form is that
/// decimal: those are written here without the float formatter. (Below 10^15 thousandths the
/// decimal has at most 15 significant digits, so no shorter one reads back as `x`.)
pub fn float(out: &mut Vec<u8>, x: f64) {
    let thousandths = (x * 1000.0).round();
    // (-0.0 is written "-0.0": it takes zmij's way.)
    if x.is_sign_positive() && thousandths < 1e15 && thousandths / 1000.0 == x {
        let n = thousandths as u64;
        uint(out, n / 1000);
        let frac = n % 1000;
        if frac == 0 {
            out.extend_from_slice(b".0");
        } else {
            let digits = [
                b'.',
                b'0' + (frac / 100) as u8,
                b'0' + (frac / 10 % 10) as u8,
                b'0' + (frac % 10) as u8,
            ];
            // Trailing zeros dropped: 1.5, not 1.500.
            let len = 4 - digits[1..].iter().rev().take_while(|&&d| d == b'0').count();
            out.extend_from_slice(&digits[..len]);
        }
    } else if x.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// A string, quoted and escaped as serde_json escapes it: `"` and `\`, and the control
/// characters (`\b \t \n \f \r`, the others as `\u00XX`); everything else as it is.
pub fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            _ => 0,
        };
        if short != 0 {
            out.extend_from_slice(&[b'\\', short]);
        } else {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

impl WriteJson for u64 {
    fn write_json(&self, out: &mut Vec<u8>) {
        uint(out, *self);
    }
}

impl WriteJson for u32 {
    fn write_json(&self, out: &mut Vec<u8>) {
        uint(out, u64::from(*self));
    }
}

impl WriteJson for usize {
    fn write_json(&self, out: &mut Vec<u8>) {
        uint(out, *self as u64);
    }
}

impl WriteJson for i64 {
    fn write_json(&self, out: &mut Vec<u8>) {
        int(out, *self);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl WriteJson for f64 {
    fn write_json(&self, out: &mut Vec<u8>) {
        float(out, *self);
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl WriteJson for std::borrow::Cow<'_, str> {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl WriteJson for NodeId {
    fn write_json(&self, out: &mut Vec<u8>) {
        uint(out, self.0);
    }
}

impl WriteJson for Term {
    fn write_json(&self, out: &mut Vec<u8>) {
        uint(out, self.0);
    }
}

impl WriteJson for LogIndex {
    fn write_json(&self, out: &mut Vec<u8>) {
        uint(out, self.0);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => v.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for item in self {
            sep(out);
            item.write_json(out);
        }
        out.push(b']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_slice().write_json(out);
    }
}

impl<T> Omit for Option<T> {
    fn omit(&self) -> bool {
        self.is_none()
    }
}

impl<T> Omit for Vec<T> {
    fn omit(&self) -> bool {
        self.is_empty()
    }
}

/// A map key: JSON keys are strings, and serde_json writes a number key as its digits quoted.
pub trait WriteKey {
    fn write_key(&self, out: &mut Vec<u8>);
}

impl WriteKey for String {
    fn write_key(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl WriteKey for u64 {
    fn write_key(&self, out: &mut Vec<u8>) {
        out.push(b'"');
        uint(out, *self);
        out.push(b'"');
    }
}

/// A sorted map as litemap's `Serialize` gives it: an object, but `[]` when empty (litemap
/// writes a list of pairs unless its first key is a string or a number).
impl<K: WriteKey, V: WriteJson> WriteJson for SortedMap<K, V> {
    fn write_json(&self, out: &mut Vec<u8>) {
        if self.is_empty() {
            out.extend_from_slice(b"[]");
            return;
        }
        out.push(b'{');
        for (k, v) in self.iter() {
            sep(out);
            k.write_key(out);
            out.push(b':');
            v.write_json(out);
        }
        out.push(b'}');
    }
}

/// `impl WriteJson` for a struct from its JSON field names, in declaration order (serde's):
///
/// ```ignore
/// write_struct!(Crash { node: "node" });
/// write_struct!(ClientGet { key: "key", client: "client" omit });  // skip_serializing_if
/// ```
///
/// It also gives the struct `write_fields(out)`, the fields without braces, which tagged
/// enums write after their tag.
macro_rules! write_struct {
    ($ty:ident { $($field:ident: $name:literal $($omit:ident)?),* $(,)? }) => {
        impl $ty {
            #[allow(unused_variables, clippy::ptr_arg)] // (a struct without fields)
            pub(crate) fn write_fields(&self, out: &mut Vec<u8>) {
                $($crate::write::write_struct!(@field out, self.$field, $name $($omit)?);)*
            }
        }

        impl $crate::write::WriteJson for $ty {
            fn write_json(&self, out: &mut Vec<u8>) {
                out.push(b'{');
                self.write_fields(out);
                out.push(b'}');
            }
        }
    };
    (@field $out:ident, $value:expr, $name:literal) => {
        $crate::write::field($out, $name, &$value)
    };
    (@field $out:ident, $value:expr, $name:literal omit) => {
        $crate::write::field_omit($out, $name, &$value)
    };
}
pub(crate) use write_struct;

// The enums, as their derived `Serialize` writes them: a unit enum as its camelCase name, an
// enum tagged by `type` as `{"type":"name",...fields}`.

impl WriteJson for raft_core::Role {
    fn write_json(&self, out: &mut Vec<u8>) {
        name(out, self.name());
    }
}

impl WriteJson for crate::config::ReadMode {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::config::ReadMode;
        name(
            out,
            match self {
                ReadMode::ReadIndex => "readIndex",
                ReadMode::Lease => "lease",
                ReadMode::StaleFollower => "staleFollower",
            },
        );
    }
}

impl WriteJson for crate::config::Delivery {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::config::Delivery;
        name(
            out,
            match self {
                Delivery::Auto => "auto",
                Delivery::Manual => "manual",
            },
        );
    }
}

impl Omit for crate::config::Delivery {
    fn omit(&self) -> bool {
        self.is_auto()
    }
}

impl WriteJson for crate::network::DropReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::network::DropReason;
        name(
            out,
            match self {
                DropReason::LinkDown => "linkDown",
                DropReason::Lost => "lost",
                DropReason::NodeDown => "nodeDown",
                DropReason::ByHand => "byHand",
            },
        );
    }
}

impl WriteJson for raft_core::TransferAbortReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use raft_core::TransferAbortReason as R;
        name(
            out,
            match self {
                R::Timeout => "timeout",
                R::SteppedDown => "steppedDown",
                R::Replaced => "replaced",
                R::TargetRemoved => "targetRemoved",
            },
        );
    }
}

/// A server as its id, a client as `"c1"`.
impl WriteJson for crate::network::Endpoint {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::network::Endpoint;
        match self {
            Endpoint::Node(n) => uint(out, n.0),
            Endpoint::Client(c) => {
                out.extend_from_slice(b"\"c");
                uint(out, *c);
                out.push(b'"');
            }
        }
    }
}

impl WriteJson for raft_core::RoleReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use raft_core::RoleReason as R;
        match self {
            R::ElectionTimeout { timeout_ms } => {
                tagged(out, "type", "electionTimeout");
                field(out, "timeoutMs", timeout_ms);
            }
            R::ForcedCampaign => tagged(out, "type", "forcedCampaign"),
            R::TimeoutNow { from } => {
                tagged(out, "type", "timeoutNow");
                field(out, "from", from);
            }
            R::PreVoteWon => tagged(out, "type", "preVoteWon"),
            R::WonElection { votes } => {
                tagged(out, "type", "wonElection");
                field(out, "votes", votes);
            }
            R::LostElection { rejections } => {
                tagged(out, "type", "lostElection");
                field(out, "rejections", rejections);
            }
            R::HigherTerm { from, term } => {
                tagged(out, "type", "higherTerm");
                field(out, "from", from);
                field(out, "term", term);
            }
            R::LeaderDiscovered { leader } => {
                tagged(out, "type", "leaderDiscovered");
                field(out, "leader", leader);
            }
            R::LostQuorum { active } => {
                tagged(out, "type", "lostQuorum");
                field(out, "active", active);
            }
            R::RemovedFromConfig => tagged(out, "type", "removedFromConfig"),
        }
        out.push(b'}');
    }
}

impl WriteJson for raft_core::DenyReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use raft_core::DenyReason as R;
        match self {
            R::AlreadyVoted { voted_for, term } => {
                tagged(out, "type", "alreadyVoted");
                field(out, "votedFor", voted_for);
                field(out, "term", term);
            }
            R::HasLeader { leader } => {
                tagged(out, "type", "hasLeader");
                field(out, "leader", leader);
            }
            R::LogBehind {
                candidate_last_term,
                candidate_last_index,
                last_term,
                last_index,
            } => {
                tagged(out, "type", "logBehind");
                field(out, "candidateLastTerm", candidate_last_term);
                field(out, "candidateLastIndex", candidate_last_index);
                field(out, "lastTerm", last_term);
                field(out, "lastIndex", last_index);
            }
            R::StaleTerm {
                candidate_term,
                term,
            } => {
                tagged(out, "type", "staleTerm");
                field(out, "candidateTerm", candidate_term);
                field(out, "term", term);
            }
            R::IsLeader { term } => {
                tagged(out, "type", "isLeader");
                field(out, "term", term);
            }
            R::LeaderSticky {
                leader,
                heard_ms_ago,
            } => {
                tagged(out, "type", "leaderSticky");
                field(out, "leader", leader);
                field(out, "heardMsAgo", heard_ms_ago);
            }
            R::RecentlyStarted { wait_ms } => {
                tagged(out, "type", "recentlyStarted");
                field(out, "waitMs", wait_ms);
            }
        }
        out.push(b'}');
    }
}

impl WriteJson for raft_core::NextIndexReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use raft_core::NextIndexReason as R;
        match self {
            R::Acked => tagged(out, "type", "acked"),
            R::Hint {
                reject_hint,
                hint_term,
            } => {
                tagged(out, "type", "hint");
                field(out, "rejectHint", reject_hint);
                field(out, "hintTerm", hint_term);
            }
            R::OneStep => tagged(out, "type", "oneStep"),
            R::BackToMatch { rejected, matched } => {
                tagged(out, "type", "backToMatch");
                field(out, "rejected", rejected);
                field(out, "matched", matched);
            }
            R::SnapshotAnswered { index } => {
                tagged(out, "type", "snapshotAnswered");
                field(out, "index", index);
            }
            R::Probe => tagged(out, "type", "probe"),
        }
        out.push(b'}');
    }
}

impl WriteJson for raft_core::AppendRejectReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use raft_core::AppendRejectReason as R;
        match self {
            R::LogTooShort { last_index } => {
                tagged(out, "type", "logTooShort");
                field(out, "lastIndex", last_index);
            }
            R::TermMismatch { term } => {
                tagged(out, "type", "termMismatch");
                field(out, "term", term);
            }
        }
        out.push(b'}');
    }
}

impl WriteJson for crate::client::SendReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::client::SendReason as R;
        match self {
            R::First => tagged(out, "type", "first"),
            R::Redirected { from, hint } => {
                tagged(out, "type", "redirected");
                field(out, "from", from);
                field(out, "hint", hint);
            }
            R::TimedOut { from } => {
                tagged(out, "type", "timedOut");
                field(out, "from", from);
            }
        }
        out.push(b'}');
    }
}

impl WriteJson for crate::kv::KvOp {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::kv::KvOp;
        match self {
            KvOp::Put { key, value } => {
                tagged(out, "type", "put");
                field(out, "key", key);
                field(out, "value", value);
            }
            KvOp::Get { key } => {
                tagged(out, "type", "get");
                field(out, "key", key);
            }
            KvOp::Append { key, value } => {
                tagged(out, "type", "append");
                field(out, "key", key);
                field(out, "value", value);
            }
            KvOp::Cas {
                key,
                expected,
                value,
            } => {
                tagged(out, "type", "cas");
                field(out, "key", key);
                field(out, "expected", expected);
                field(out, "value", value);
            }
        }
        out.push(b'}');
    }
}

impl WriteJson for crate::kv::KvResult {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::kv::KvResult;
        match self {
            KvResult::Ok => tagged(out, "type", "ok"),
            KvResult::Value { value } => {
                tagged(out, "type", "value");
                field(out, "value", value);
            }
            KvResult::Cas { ok, current } => {
                tagged(out, "type", "cas");
                field(out, "ok", ok);
                field(out, "current", current);
            }
        }
        out.push(b'}');
    }
}

impl WriteJson for crate::trace::RefusalReason {
    fn write_json(&self, out: &mut Vec<u8>) {
        use crate::trace::RefusalReason as R;
        match self {
            R::IndexBeyondLog { index, last_index } => {
                tagged(out, "type", "indexBeyondLog");
                field(out, "index", index);
                field(out, "lastIndex", last_index);
            }
            R::UnknownSender => tagged(out, "type", "unknownSender"),
            R::Malformed { detail } => {
                tagged(out, "type", "malformed");
                field(out, "detail", detail);
            }
        }
        out.push(b'}');
    }
}
