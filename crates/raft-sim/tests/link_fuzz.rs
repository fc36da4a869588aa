//! A fuzz test of share links (issue 12): mutations of real links (bit flips, truncations,
//! huge numbers, deep nesting, heavy configs) must each end in a clear error or a run, within
//! a time and memory budget per input, never a panic.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use base64::Engine;
use raft_sim::sim::CallLimits;
use raft_sim::{Scenario, Simulation};

/// Counts live heap bytes and the peak since the last reset, for the per-input memory budget.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one input may cost (a debug build; the release module is ~10 times faster).
const INPUT_WALL_MAX: Duration = Duration::from_secs(20);
const INPUT_HEAP_MAX: usize = 256 << 20;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

/// A v2 link around any JSON bytes, with a correct checksum (so the mutation reaches the
/// parser and the simulator, not just the checksum).
fn link_of(json: &[u8]) -> String {
    let sum = fnv1a64(json).to_be_bytes();
    format!("v2.{}.{}", b64().encode(json), b64().encode(sum))
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    raft_sim::rng::fnv1a64(bytes)
}

/// Real links: the shipped scenarios.
fn real_scenarios() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") && !path.ends_with("hashes.json") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(Scenario::from_json(&text).unwrap().to_json());
        }
    }
    assert!(out.len() >= 4, "found {} scenarios", out.len());
    out
}

fn mutate(rng: &mut Rng, json: &str) -> String {
    let bytes = json.as_bytes();
    match rng.below(7) {
        // A bit flip anywhere in the data.
        0 => {
            let mut b = bytes.to_vec();
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
            link_of(&b)
        }
        // Cut short, in the data or the checksum.
        1 => {
            let l = link_of(bytes);
            let keep = rng.below(l.len());
            l[..keep].to_string()
        }
        // A huge, negative or fractional number in place of one of the numbers.
        2 => {
            let huge = [
                "1e300",
                "-1",
                "1.8e16",
                "18446744073709551615",
                "-9223372036854775808",
                "0.5",
                "1e-300",
                "86400001",
            ];
            let digits: Vec<usize> = json
                .char_indices()
                .filter(|(i, c)| {
                    c.is_ascii_digit()
                        && !json[..*i].ends_with(|p: char| p.is_ascii_digit() || p == '.')
                })
                .map(|(i, _)| i)
                .collect();
            if digits.is_empty() {
                return link_of(bytes);
            }
            let at = digits[rng.below(digits.len())];
            let end = json[at..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
                .map_or(json.len(), |e| at + e);
            let replaced = format!(
                "{}{}{}",
                &json[..at],
                huge[rng.below(huge.len())],
                &json[end..]
            );
            link_of(replaced.as_bytes())
        }
        // Deep nesting in place of the config or the actions.
        3 => {
            let depth = 1 + rng.below(100_000);
            let nested = format!("{}0{}", "[".repeat(depth), "]".repeat(depth));
            let key = if rng.below(2) == 0 {
                "config"
            } else {
                "actions"
            };
            link_of(format!(r#"{{"version":1,"{key}":{nested}}}"#).as_bytes())
        }
        // The costliest config the bounds allow, replayed far.
        4 => {
            let end = [200_000.0, 86_400_000.0, 3_600_000.0][rng.below(3)];
            let cfg = format!(
                r#"{{"nodes":9,"heartbeatMs":1,"latencyMsMin":0,"latencyMsMax":0,"clients":16,"clientWriteEveryMs":1,"seed":{}}}"#,
                rng.below(1000)
            );
            link_of(format!(r#"{{"version":1,"config":{cfg},"endMs":{end}}}"#).as_bytes())
        }
        // Thousands of actions, or a very long string.
        5 => {
            let n = 1 + rng.below(20_000);
            let actions: Vec<String> = (0..n)
                .map(|i| format!(r#"{{"atMs":{i},"action":{{"type":"heal"}}}}"#))
                .collect();
            link_of(
                format!(
                    r#"{{"version":1,"actions":[{}],"endMs":{n}}}"#,
                    actions.join(",")
                )
                .as_bytes(),
            )
        }
        // A character of the link itself changed (the checksum's job).
        _ => {
            let mut l: Vec<char> = link_of(bytes).chars().collect();
            let i = 3 + rng.below(l.len() - 3);
            l[i] = if l[i] == 'A' { 'B' } else { 'A' };
            l.into_iter().collect()
        }
    }
}

/// Open a link as the page does, within limits small enough for a debug build, but above what
/// the longer shipped scenarios need in one call (since client traffic crosses the network, 5,000
/// events stopped them near 4 s), so that a harmless mutation of one still runs.
fn open(link: &str) -> Result<Simulation, raft_sim::SimError> {
    let mut sim = Simulation::load(Scenario::from_link(link)?)?;
    sim.set_call_limits(CallLimits {
        events_per_call_max: 20_000,
        log_entries_max: 50_000,
        ..CallLimits::default()
    });
    let end = sim.recorded_end_ms();
    sim.seek(end)?;
    Ok(sim)
}

#[test]
fn mutated_links_end_in_an_error_or_a_run_within_budget() {
    let bases = real_scenarios();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut errors, mut runs) = (0, 0);
    let mut worst = (Duration::ZERO, 0usize);
    for i in 0..80 {
        let base = &bases[i % bases.len()];
        let link = mutate(&mut rng, base);
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        let before = LIVE.load(Relaxed);
        let started = Instant::now();
        let outcome = open(&link);
        let wall = started.elapsed();
        let heap = PEAK.load(Relaxed).saturating_sub(before);
        match &outcome {
            Ok(sim) => {
                runs += 1;
                let _ = sim.state();
            }
            Err(e) => {
                errors += 1;
                let text = e.to_string();
                assert!(text.len() < 600, "a long error for input {i}: {text}");
            }
        }
        drop(outcome);
        assert!(
            wall < INPUT_WALL_MAX,
            "input {i} took {wall:?}: {}",
            &link[..link.len().min(200)]
        );
        assert!(heap < INPUT_HEAP_MAX, "input {i} used {heap} bytes");
        worst = (worst.0.max(wall), worst.1.max(heap));
    }
    eprintln!(
        "80 mutated links: {errors} errors, {runs} runs; worst input {:.2} s, {} MB of heap",
        worst.0.as_secs_f64(),
        worst.1 >> 20
    );
    assert!(errors > 25 && runs > 5, "errors {errors}, runs {runs}");
}
