//! Every call is bounded in work and memory: a call that reaches a limit stops there with an
//! error naming the limit, and the simulation stays usable at the time it reached (issue 12).

use raft_sim::sim::{CallLimits, CHECKPOINT_EVERY_MS};
use raft_sim::{SimConfig, Simulation};

/// The costliest cluster the config allows: 9 nodes, 1 ms heartbeats, no latency, 16 clients
/// writing every millisecond (the hostile share link of issue 12).
fn hostile() -> SimConfig {
    SimConfig {
        nodes: 9,
        heartbeat_ms: 1,
        election_timeout_ms_min: 2,
        election_timeout_ms_max: 4,
        latency_ms_min: 0.0,
        latency_ms_max: 0.0,
        clients: 16,
        client_write_every_ms: 1,
        ..SimConfig::default()
    }
}

fn small_limits(events: u64, entries: u64) -> CallLimits {
    CallLimits {
        events_per_call_max: events,
        log_entries_max: entries,
        ..CallLimits::default()
    }
}

#[test]
fn a_growing_log_stops_time_at_the_log_entry_limit_and_the_run_stays_usable() {
    let mut sim = Simulation::new(hostile()).unwrap();
    sim.set_call_limits(small_limits(u64::MAX, 5_000));
    let err = sim.advance(200_000.0).unwrap_err();
    assert!(err.message.contains("logEntriesMax"), "{err}");
    let reached = sim.now_ms();
    assert!(reached > 0.0 && reached < 200_000.0, "stopped at {reached}");
    assert!(err.message.contains("stopped at"), "{err}");
    // Still usable: read, seek back, act, and refuse more time up front.
    assert_eq!(sim.state().now_ms, reached);
    sim.seek(reached / 2.0).unwrap();
    sim.seek(reached).unwrap();
    sim.apply_json(r#"{"type": "crash", "node": 1}"#).unwrap();
    let again = sim.advance(1.0).unwrap_err();
    assert!(again.message.contains("logEntriesMax"), "{again}");
    assert_eq!(sim.now_ms(), reached, "a refused call does not move time");
}

#[test]
fn a_call_stops_at_the_work_limit_and_calling_again_continues_the_same_run() {
    let config = SimConfig {
        clients: 2,
        client_write_every_ms: 20,
        ..SimConfig::default()
    };
    let mut whole = Simulation::new(config.clone()).unwrap();
    whole.advance(10_000.0).unwrap();

    let mut sliced = Simulation::new(config).unwrap();
    sliced.set_call_limits(small_limits(3_000, u64::MAX));
    let mut stops = 0;
    while sliced.now_ms() < 10_000.0 {
        let left = 10_000.0 - sliced.now_ms();
        match sliced.advance(left) {
            Ok(_) => {}
            Err(e) => {
                assert!(e.message.contains("eventsPerCallMax"), "{e}");
                stops += 1;
            }
        }
        assert!(stops < 1_000, "no progress");
    }
    assert!(stops >= 3, "the limit was reached {stops} times");
    assert_eq!(sliced.trace_hash(), whole.trace_hash());
    assert_eq!(sliced.state_hash(), whole.state_hash());
}

#[test]
fn a_replay_longer_than_a_simulated_day_is_refused_before_it_starts() {
    let mut scenario = Simulation::new(SimConfig::default()).unwrap().scenario();
    scenario.end_ms = Some(1e300);
    let started = std::time::Instant::now();
    let err = Simulation::from_scenario(scenario).err().expect("refused");
    assert!(started.elapsed().as_secs() < 2, "refused up front");
    assert_eq!(err.field, "endMs", "{err}");
    assert!(err.message.len() < 200, "a short message: {err}");
    assert!(err.message.contains("1e300"), "{err}");
}

#[test]
fn checkpoints_stay_dense_and_within_their_budget_in_a_busy_run() {
    let config = SimConfig {
        nodes: 9,
        loss_pct: 10.0,
        clients: 4,
        client_write_every_ms: 20,
        ..SimConfig::default()
    };
    let mut sim = Simulation::new(config).unwrap();
    for _ in 0..30 {
        sim.advance(1_000.0).unwrap();
    }
    assert_eq!(sim.checkpoint_interval_ms(), CHECKPOINT_EVERY_MS as f64);
    assert!(sim.checkpoint_count() >= 55, "{}", sim.checkpoint_count());
    let per_checkpoint = sim.checkpoint_bytes() / sim.checkpoint_count() as u64;
    assert!(
        per_checkpoint < 512 * 1024,
        "each checkpoint holds ~{per_checkpoint} bytes of its own"
    );
}
