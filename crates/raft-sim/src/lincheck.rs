//! Linearizability checker for the KV history (Wing & Gong's search with Lowe's memoization,
//! as in porcupine), decomposed per key: an op touches one key, and a KV store is linearizable
//! exactly when each key's sub-history is.
//!
//! It runs incrementally. A key's history is cut whenever no op on that key is pending: every
//! op before the cut returned before any later op was invoked, so real-time order puts the whole
//! segment first. The search over a segment starts from every state the previous segments could
//! have left, and yields every state this one can leave.

use crate::rng::WordHashSet;
use crate::SortedMap;
use crate::SortedSet;

use serde::{Deserialize, Serialize};

use crate::kv::{KvOp, KvResult};

/// The value of one key (absent = None).
pub type KeyState = Option<String>;

/// A search that would visit more configurations than this gives up (reported, not a failure).
pub const SEARCH_NODES_MAX: usize = 2_000_000;

/// One client operation as the checker sees it. Times are simulated microseconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryOp {
    pub id: u64,
    pub client: u64,
    pub call_us: u64,
    /// None while pending: it may or may not have taken effect.
    pub ret_us: Option<u64>,
    pub op: KvOp,
    pub result: Option<KvResult>,
}

/// A history that no order can explain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinViolation {
    pub key: String,
    pub op_ids: Vec<u64>,
    pub detail: String,
}

/// Apply `op` with observed `result` to `state`; None when the result contradicts the state.
pub fn model_step(state: &KeyState, op: &KvOp, result: Option<&KvResult>) -> Option<KeyState> {
    match (op, result) {
        (KvOp::Put { value, .. }, None | Some(KvResult::Ok)) => Some(Some(value.clone())),
        (KvOp::Append { value, .. }, None | Some(KvResult::Ok)) => {
            let mut s = state.clone().unwrap_or_default();
            s.push_str(value);
            Some(Some(s))
        }
        (KvOp::Get { .. }, None) => Some(state.clone()),
        (KvOp::Get { .. }, Some(KvResult::Value { value })) => {
            (value == state).then(|| state.clone())
        }
        (
            KvOp::Cas {
                expected, value, ..
            },
            None,
        ) => Some(if state == expected {
            Some(value.clone())
        } else {
            state.clone()
        }),
        (
            KvOp::Cas {
                expected, value, ..
            },
            Some(KvResult::Cas { ok, current }),
        ) => {
            if current != state || *ok != (state == expected) {
                None
            } else if *ok {
                Some(Some(value.clone()))
            } else {
                Some(state.clone())
            }
        }
        _ => None,
    }
}

/// Outcome of searching one segment.
#[derive(Debug, PartialEq, Eq)]
pub enum SearchOutcome {
    /// Every state a valid linearization can end in (empty = not linearizable).
    Finals(SortedSet<KeyState>),
    /// Linearizable, with more final states than the caller wanted listed.
    ManyFinals,
    /// The search was too large to finish.
    GaveUp,
}

/// A cut keeps at most this many possible states; a segment that could end in more (say, many
/// concurrent appends and no read to tell their order) is not cut yet, and grows until a read
/// pins the order down.
pub const CUT_STATES_MAX: usize = 16;

/// Find every final state of a linearization of `ops` from any of `starts`. Completed ops must
/// all be linearized; pending ops (no `ret_us`) may be placed anywhere after their call or left
/// out. Pending reads are ignored: they cannot change the state.
pub fn search(starts: &SortedSet<KeyState>, ops: &[HistoryOp]) -> SearchOutcome {
    search_limited(starts, ops, usize::MAX)
}

/// `search`, stopping with `ManyFinals` once more than `finals_max` final states are found
/// (`finals_max = 0` asks only whether any linearization exists).
pub fn search_limited(
    starts: &SortedSet<KeyState>,
    ops: &[HistoryOp],
    finals_max: usize,
) -> SearchOutcome {
    if let [only] = ops {
        if let Some(ret_us) = only.ret_us {
            return one_completed(starts, only, ret_us, finals_max);
        }
    }
    let mut ops: Vec<&HistoryOp> = ops
        .iter()
        .filter(|o| !(o.op.is_read() && o.ret_us.is_none()))
        .collect();
    // In call order. A segment arrives in that order already and is short (the search is
    // exponential in its length), so an insertion sort does about n compares, and the standard
    // stable sort's code (about 5 KB of wasm) stays out.
    let key = |o: &HistoryOp| (o.call_us, o.id);
    for i in 1..ops.len() {
        let mut j = i;
        while j > 0 && key(ops[j - 1]) > key(ops[j]) {
            ops.swap(j - 1, j);
            j -= 1;
        }
    }
    let n = ops.len();
    let words = n.div_ceil(64).max(1);
    let completed: Vec<bool> = ops.iter().map(|o| o.ret_us.is_some()).collect();
    let completed_count = completed.iter().filter(|c| **c).count();
    let mut finals = SortedSet::new();
    let mut seen: WordHashSet<(Vec<u64>, KeyState)> = WordHashSet::default();
    let mut stack: Vec<(Vec<u64>, usize, KeyState)> = starts
        .keys()
        .map(|s| (vec![0u64; words], 0usize, s.clone()))
        .collect();
    let mut visited = 0usize;
    while let Some((done, done_completed, state)) = stack.pop() {
        if !seen.insert((done.clone(), state.clone())) {
            continue;
        }
        visited += 1;
        if visited > SEARCH_NODES_MAX {
            return SearchOutcome::GaveUp;
        }
        if done_completed == completed_count {
            finals.insert(state.clone(), ());
            if finals.len() > finals_max {
                return SearchOutcome::ManyFinals;
            }
            // Pending writes may still be linearized after this point; keep exploring them.
        }
        let is_done = |i: usize| done[i / 64] >> (i % 64) & 1 == 1;
        // The earliest return among undone completed ops bounds which ops may go next.
        let min_ret = (0..n)
            .filter(|&i| !is_done(i))
            .filter_map(|i| ops[i].ret_us)
            .min()
            .unwrap_or(u64::MAX);
        for i in 0..n {
            if is_done(i) {
                continue;
            }
            if ops[i].call_us > min_ret {
                break; // sorted by call: every later op is also ordered after that return
            }
            if let Some(next) = model_step(&state, &ops[i].op, ops[i].result.as_ref()) {
                let mut d = done.clone();
                d[i / 64] |= 1 << (i % 64);
                stack.push((d, done_completed + usize::from(completed[i]), next));
            }
        }
    }
    SearchOutcome::Finals(finals)
}

/// `search_limited` of a segment of one completed op, the usual segment of a client that waits
/// for each answer: the op's results from each start, the same outcome the search reaches,
/// without its bookkeeping (a hash set of visited configurations and a stack of copies), which
/// cost about 4 000 instructions per op, 3% of a busy run.
fn one_completed(
    starts: &SortedSet<KeyState>,
    op: &HistoryOp,
    ret_us: u64,
    finals_max: usize,
) -> SearchOutcome {
    let mut finals = SortedSet::new();
    // An op called after it returned cannot take effect (the search's `min_ret` rule).
    if op.call_us <= ret_us {
        for state in starts.keys() {
            if let Some(next) = model_step(state, &op.op, op.result.as_ref()) {
                finals.insert(next, ());
                if finals.len() > finals_max {
                    return SearchOutcome::ManyFinals;
                }
            }
        }
    }
    SearchOutcome::Finals(finals)
}

#[derive(Clone, Debug, Default)]
struct KeyHistory {
    states: SortedSet<KeyState>,
    segment: Vec<HistoryOp>,
    pending: usize,
    failed: bool,
    gave_up: bool,
}

/// The incremental, per-key checker.
#[derive(Clone, Debug, Default)]
pub struct LinChecker {
    keys: SortedMap<String, KeyHistory>,
    op_keys: SortedMap<u64, String>,
    violations: Vec<LinViolation>,
    segments_checked: u64,
}

impl LinChecker {
    pub fn new() -> Self {
        Self::default()
    }

    /// A client invoked `op` at `call_us`.
    pub fn invoke(&mut self, id: u64, client: u64, call_us: u64, op: KvOp) {
        let key = op.key().to_string();
        let kh = self.keys.entry(key.clone()).or_insert_with(|| KeyHistory {
            states: {
                let mut start = SortedSet::new();
                start.insert(None, ());
                start
            },
            ..KeyHistory::default()
        });
        kh.segment.push(HistoryOp {
            id,
            client,
            call_us,
            ret_us: None,
            op,
            result: None,
        });
        kh.pending += 1;
        self.op_keys.insert(id, key);
    }

    /// The op returned `result` at `ret_us`. Returns a violation when this completion makes the
    /// key's history impossible.
    pub fn complete(&mut self, id: u64, ret_us: u64, result: KvResult) -> Option<LinViolation> {
        let key = self.op_keys.remove(&id)?;
        let kh = self.keys.get_mut(&key)?;
        let op = kh.segment.iter_mut().find(|o| o.id == id)?;
        op.ret_us = Some(ret_us);
        op.result = Some(result);
        kh.pending -= 1;
        if kh.pending > 0 || kh.failed {
            return None;
        }
        self.segments_checked += 1;
        match search_limited(&kh.states, &kh.segment, CUT_STATES_MAX) {
            SearchOutcome::Finals(f) if f.is_empty() => {
                kh.failed = true;
                let v = LinViolation {
                    key: key.clone(),
                    op_ids: kh.segment.iter().map(|o| o.id).collect(),
                    detail: describe(&key, &kh.states, &kh.segment),
                };
                self.violations.push(v.clone());
                Some(v)
            }
            SearchOutcome::Finals(f) => {
                kh.states = f;
                kh.segment.clear();
                None
            }
            // Linearizable so far; keep the segment open until its end state is pinned down.
            SearchOutcome::ManyFinals => None,
            SearchOutcome::GaveUp => {
                kh.gave_up = true;
                // Keep going from the unconstrained side: we cannot know the state, so stop
                // checking this key rather than report something we did not prove.
                kh.failed = true;
                None
            }
        }
    }

    /// Check the open (not yet cut) segments too, counting pending ops as optional.
    pub fn check_open(&self) -> Vec<LinViolation> {
        let mut out = self.violations.clone();
        for (key, kh) in &self.keys {
            if kh.failed || kh.segment.iter().all(|o| o.ret_us.is_none()) {
                continue;
            }
            if let SearchOutcome::Finals(f) = search_limited(&kh.states, &kh.segment, 0) {
                if f.is_empty() {
                    out.push(LinViolation {
                        key: key.clone(),
                        op_ids: kh.segment.iter().map(|o| o.id).collect(),
                        detail: describe(key, &kh.states, &kh.segment),
                    });
                }
            }
        }
        out
    }

    pub fn violations(&self) -> &[LinViolation] {
        &self.violations
    }

    pub fn segments_checked(&self) -> u64 {
        self.segments_checked
    }

    /// Keys whose search was too large to finish.
    pub fn keys_given_up(&self) -> Vec<String> {
        self.keys
            .iter()
            .filter(|(_, k)| k.gave_up)
            .map(|(k, _)| k.clone())
            .collect()
    }
}

fn show_value(v: &Option<String>) -> String {
    match v {
        Some(v) => format!("\"{v}\""),
        None => "(absent)".to_string(),
    }
}

fn show_result(r: &KvResult) -> String {
    match r {
        KvResult::Ok => "ok".to_string(),
        KvResult::Value { value } => show_value(value),
        KvResult::Cas { ok: true, current } => format!("swapped {}", show_value(current)),
        KvResult::Cas { ok: false, current } => format!("refused, saw {}", show_value(current)),
    }
}

/// Microseconds as milliseconds with three decimals, from the integer: exactly what `{:.3}`
/// prints for `us as f64 / 1000.0` below 2^50 us (35 years; that quotient is then within 2^-13
/// of `us / 1000`, so it rounds to those digits), without exact float formatting, which was
/// about 9 KB of the wasm.
fn us_as_ms(us: u64) -> String {
    format!("{}.{:03}", us / 1000, us % 1000)
}

/// A sentence for the page: which ops, when, what they returned, from which possible values.
fn describe(key: &str, starts: &SortedSet<KeyState>, ops: &[HistoryOp]) -> String {
    let starts: Vec<String> = starts.keys().map(show_value).collect();
    let mut s = format!(
        "no order of these {} op(s) on key \"{key}\" is consistent with their timing, starting from {}:",
        ops.len(),
        starts.join(" or ")
    );
    for o in ops.iter().take(12) {
        let ret = o
            .ret_us
            .map(|r| format!("{} ms", us_as_ms(r)))
            .unwrap_or_else(|| "pending".into());
        let res = o
            .result
            .as_ref()
            .map(show_result)
            .unwrap_or_else(|| "no answer".into());
        s.push_str(&format!(
            " [op {} by client {}: {} from {} to {} returned {}]",
            o.id,
            o.client,
            o.op.summary(),
            us_as_ms(o.call_us),
            ret,
            res
        ));
    }
    if ops.len() > 12 {
        s.push_str(" ...");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::us_as_ms;

    #[test]
    fn microseconds_print_as_three_decimal_milliseconds() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let us = if i < 5_000 { i } else { (x >> 14) >> (x % 40) };
            assert_eq!(us_as_ms(us), format!("{:.3}", us as f64 / 1000.0), "{us}");
        }
    }
}
