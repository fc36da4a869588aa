//! Each method of the JS API, through the bindings, in Node and in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use raft_wasm::JsSimulation;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn a_simulation_with_no_config_has_five_nodes_and_a_random_seed() {
    let a = JsSimulation::new(JsValue::UNDEFINED).unwrap();
    let b = JsSimulation::new(JsValue::NULL).unwrap();
    let config = a.config().unwrap();
    assert_eq!(get_f64(&config, "nodes"), 5.0);
    assert_eq!(get_f64(&config, "heartbeatMs"), 50.0);
    assert_eq!(get(&config, "preVote").as_bool(), Some(true));
    assert_eq!(get_str(&config, "readMode"), "readIndex");
    let seed_a = get_f64(&config, "seed");
    let seed_b = get_f64(&b.config().unwrap(), "seed");
    assert!(seed_a <= 9_007_199_254_740_991.0);
    assert_ne!(seed_a, seed_b, "two default seeds were equal");
    assert_eq!(a.now(), 0.0);
    assert_eq!(items(&get(&a.state().unwrap(), "nodes")).len(), 5);
}

#[wasm_bindgen_test]
fn config_fields_are_taken_and_a_big_seed_comes_back_as_a_bigint() {
    let config = obj(&[
        ("nodes", num(3.0)),
        ("heartbeatMs", num(40.0)),
        ("preVote", JsValue::FALSE),
        ("readMode", s("lease")),
        ("bugs", arr(&[s("stale-read")])),
        ("seed", js_sys::BigInt::from(1u64 << 60).into()),
    ]);
    let sim = JsSimulation::new(config).unwrap();
    let back = sim.config().unwrap();
    assert_eq!(get_f64(&back, "nodes"), 3.0);
    assert_eq!(get_f64(&back, "heartbeatMs"), 40.0);
    assert_eq!(get(&back, "preVote").as_bool(), Some(false));
    assert_eq!(get_str(&back, "readMode"), "lease");
    assert_eq!(items(&get(&back, "bugs")).len(), 1);
    let seed = get(&back, "seed");
    assert!(seed.is_bigint());
    assert_eq!(
        u64::try_from(js_sys::BigInt::from(seed)).unwrap(),
        1u64 << 60
    );
}

#[wasm_bindgen_test]
fn bad_configs_throw_errors_that_name_the_field() {
    use Class::*;
    let m = "new Simulation";
    expect_err(
        JsSimulation::new(obj(&[("nodes", num(10.0))])),
        Range,
        m,
        "config.nodes",
    );
    expect_err(
        JsSimulation::new(obj(&[("nodes", num(10_000.0))])),
        Range,
        m,
        "config.nodes",
    );
    expect_err(
        JsSimulation::new(obj(&[("nodes", num(0.0))])),
        Range,
        m,
        "config.nodes",
    );
    expect_err(
        JsSimulation::new(obj(&[("nodes", s("5"))])),
        Type,
        m,
        "config.nodes",
    );
    expect_err(
        JsSimulation::new(obj(&[("nodes", num(2.5))])),
        Range,
        m,
        "config.nodes",
    );
    expect_err(
        JsSimulation::new(obj(&[("nodes", num(-1.0))])),
        Range,
        m,
        "config.nodes",
    );
    expect_err(
        JsSimulation::new(obj(&[("heartbeatMs", num(f64::NAN))])),
        Range,
        m,
        "config.heartbeatMs",
    );
    expect_err(
        JsSimulation::new(obj(&[("latencyMsMin", num(-3.0))])),
        Range,
        m,
        "config.latencyMsMin",
    );
    expect_err(
        JsSimulation::new(obj(&[("lossPct", num(f64::INFINITY))])),
        Range,
        m,
        "config.lossPct",
    );
    expect_err(
        JsSimulation::new(obj(&[("lossPct", num(150.0))])),
        Range,
        m,
        "config.lossPct",
    );
    expect_err(
        JsSimulation::new(obj(&[("preVote", num(1.0))])),
        Type,
        m,
        "config.preVote",
    );
    expect_err(
        JsSimulation::new(obj(&[("readMode", s("fast"))])),
        Range,
        m,
        "config.readMode",
    );
    expect_err(
        JsSimulation::new(obj(&[("bugs", arr(&[s("nope")]))])),
        Range,
        m,
        "config.bugs[0]",
    );
    expect_err(
        JsSimulation::new(obj(&[("bugs", s("stale-read"))])),
        Type,
        m,
        "config.bugs",
    );
    expect_err(
        JsSimulation::new(obj(&[("node", num(5.0))])),
        Type,
        m,
        "\"node\"",
    );
    expect_err(
        JsSimulation::new(obj(&[("seed", num(-1.0))])),
        Range,
        m,
        "config.seed",
    );
    expect_err(
        JsSimulation::new(obj(&[("seed", num(1e300))])),
        Range,
        m,
        "config.seed",
    );
    expect_err(JsSimulation::new(num(5.0)), Type, m, "config");
    expect_err(JsSimulation::new(nums(&[5.0])), Type, m, "config");
    expect_err(JsSimulation::new(s("{}")), Type, m, "config");
}

#[wasm_bindgen_test]
fn advance_returns_plain_events_and_a_leader_emerges() {
    let mut sim = sim(11.0);
    let events = sim.advance(num(3000.0)).unwrap();
    assert_eq!(sim.now(), 3000.0);
    let all = items(&events);
    assert!(all.len() > 10, "only {} events", all.len());
    let mut last_at = 0.0;
    for event in &all {
        assert!(!get_str(event, "kind").is_empty());
        let at = get_f64(event, "atMs");
        assert!(at >= last_at && at <= 3000.0, "{event:?}");
        last_at = at;
    }
    let won: Vec<_> = of_kind(&events, "roleChanged")
        .into_iter()
        .filter(|e| get_str(e, "to") == "leader")
        .collect();
    assert!(!won.is_empty(), "no roleChanged to leader");
    let leader = sim.leader().as_f64().expect("a leader");
    assert!((1.0..=5.0).contains(&leader));
    // The next call returns only what is new.
    let again = items(&sim.advance(num(0.5)).unwrap());
    assert!(again.iter().all(|e| get_f64(e, "atMs") > 3000.0));
    assert_eq!(sim.now(), 3000.5);
}

#[wasm_bindgen_test]
fn advance_and_seek_refuse_bad_times_and_keep_the_clock() {
    use Class::*;
    let mut sim = sim(1.0);
    sim.advance(num(100.0)).unwrap();
    expect_err(sim.advance(num(f64::NAN)), Range, "advance", "ms");
    expect_err(sim.advance(num(-1.0)), Range, "advance", "ms");
    expect_err(sim.advance(num(f64::INFINITY)), Range, "advance", "ms");
    expect_err(sim.advance(num(1e12)), Range, "advance", "ms");
    expect_err(sim.advance(s("10")), Type, "advance", "ms");
    expect_err(sim.advance(JsValue::UNDEFINED), Type, "advance", "ms");
    expect_err(sim.seek(num(-5.0)), Range, "seek", "timeMs");
    expect_err(sim.seek(JsValue::NULL), Type, "seek", "timeMs");
    assert_eq!(sim.now(), 100.0);
}

#[wasm_bindgen_test]
fn step_processes_one_event_at_a_time() {
    let mut sim = sim(2.0);
    let mut last = sim.now();
    let mut seen = 0;
    for _ in 0..50 {
        let events = items(&sim.step().unwrap());
        assert!(sim.now() >= last);
        last = sim.now();
        seen += events.len();
    }
    assert!(seen > 0, "50 steps produced no events");
    assert!(last > 0.0);
}

#[wasm_bindgen_test]
fn seek_back_reaches_the_state_a_fresh_run_has_at_that_time() {
    let mut sim = sim(3.0);
    sim.advance(num(4000.0)).unwrap();
    let at_4000 = sim.state_hash();
    sim.seek(num(1500.0)).unwrap();
    assert_eq!(sim.now(), 1500.0);
    let mut fresh = common::sim(3.0);
    fresh.advance(num(1500.0)).unwrap();
    assert_eq!(sim.state_hash(), fresh.state_hash());
    sim.seek(num(4000.0)).unwrap();
    assert_eq!(sim.state_hash(), at_4000);
}

#[wasm_bindgen_test]
fn state_has_nodes_links_messages_clients_and_the_checker() {
    let (sim, leader) = sim_with_leader(4.0);
    let state = sim.state().unwrap();
    assert_eq!(get_f64(&state, "nowMs"), sim.now());
    let nodes = items(&get(&state, "nodes"));
    assert_eq!(nodes.len(), 5);
    for node in &nodes {
        for key in [
            "id",
            "term",
            "commitIndex",
            "lastApplied",
            "snapshotIndex",
            "electionTimeoutMs",
        ] {
            get_f64(node, key);
        }
        assert_eq!(get_str(node, "status"), "up");
        assert!(js_sys::Array::is_array(&get(node, "log")));
        assert!(get(node, "kv").is_object());
        assert!(get(node, "votedFor").is_null() || get(node, "votedFor").as_f64().is_some());
        let is_leader = get_f64(node, "id") == leader;
        assert_eq!(get_str(node, "role") == "leader", is_leader);
        let progress = items(&get(node, "progress"));
        if is_leader {
            let peers: Vec<f64> = progress.iter().map(|p| get_f64(p, "peer")).collect();
            for id in [1.0, 2.0, 3.0, 4.0, 5.0] {
                assert!(
                    id == leader || peers.contains(&id),
                    "no progress for {id}: {peers:?}"
                );
            }
            for p in &progress {
                get_f64(p, "nextIndex");
                get_f64(p, "matchIndex");
            }
        }
    }
    assert!(!items(&get(&state, "links")).is_empty());
    assert!(js_sys::Array::is_array(&get(&state, "inFlight")));
    assert_eq!(items(&get(&state, "clients")).len(), 1);
    assert_eq!(get(&get(&state, "checker"), "ok").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn check_reports_ok_with_no_violations_on_a_correct_run() {
    let (mut sim, _) = sim_with_leader(5.0);
    sim.advance(num(2000.0)).unwrap();
    let report = sim.check().unwrap();
    assert_eq!(get(&report, "ok").as_bool(), Some(true));
    assert!(items(&get(&report, "violations")).is_empty());
}

#[wasm_bindgen_test]
fn crashing_the_leader_elects_another_in_a_higher_term() {
    let (mut sim, leader) = sim_with_leader(6.0);
    let term_of = |state: &JsValue, id: f64| {
        items(&get(state, "nodes"))
            .into_iter()
            .find(|n| get_f64(n, "id") == id)
            .map(|n| (get_f64(&n, "term"), get_str(&n, "status")))
            .unwrap()
    };
    let (old_term, _) = term_of(&sim.state().unwrap(), leader);
    sim.crash(num(leader)).unwrap();
    assert_eq!(term_of(&sim.state().unwrap(), leader).1, "crashed");
    sim.advance(num(3000.0)).unwrap();
    let new_leader = sim.leader().as_f64().expect("a new leader");
    assert_ne!(new_leader, leader);
    assert!(term_of(&sim.state().unwrap(), new_leader).0 > old_term);
    expect_err(sim.crash(num(leader)), Class::Range, "crash", "node");
    sim.restart(num(leader)).unwrap();
    assert_eq!(term_of(&sim.state().unwrap(), leader).1, "up");
}

#[wasm_bindgen_test]
fn pause_resume_and_timeout_act_on_one_node() {
    let (mut sim, leader) = sim_with_leader(7.0);
    let follower = if leader == 1.0 { 2.0 } else { 1.0 };
    let status = |sim: &JsSimulation, id: f64| {
        items(&get(&sim.state().unwrap(), "nodes"))
            .into_iter()
            .find(|n| get_f64(n, "id") == id)
            .map(|n| get_str(&n, "status"))
            .unwrap()
    };
    sim.pause(num(follower)).unwrap();
    assert_eq!(status(&sim, follower), "paused");
    sim.resume(num(follower)).unwrap();
    assert_eq!(status(&sim, follower), "up");
    sim.timeout(num(follower)).unwrap();
    let events = sim.advance(num(50.0)).unwrap();
    let campaigned = of_kind(&events, "roleChanged")
        .iter()
        .chain(of_kind(&events, "action").iter())
        .count();
    assert!(campaigned > 0, "timeout left no trace");
}

#[wasm_bindgen_test]
fn partition_cuts_links_between_groups_and_heal_restores_them() {
    let mut sim = sim(8.0);
    sim.partition(arr(&[nums(&[1.0, 2.0]), nums(&[3.0, 4.0, 5.0])]))
        .unwrap();
    let down = |sim: &JsSimulation| {
        items(&get(&sim.state().unwrap(), "links"))
            .into_iter()
            .filter(|l| get(l, "up").as_bool() == Some(false))
            .map(|l| (get_f64(&l, "from"), get_f64(&l, "to")))
            .collect::<Vec<_>>()
    };
    let cut = down(&sim);
    assert!(
        cut.contains(&(1.0, 3.0)) && cut.contains(&(5.0, 2.0)),
        "{cut:?}"
    );
    assert!(
        !cut.contains(&(1.0, 2.0)) && !cut.contains(&(3.0, 4.0)),
        "{cut:?}"
    );
    sim.heal().unwrap();
    assert!(down(&sim).is_empty());
    expect_err(
        sim.partition(arr(&[nums(&[1.0, 2.0]), nums(&[2.0])])),
        Class::Range,
        "partition",
        "groups[1][0]",
    );
    expect_err(
        sim.partition(nums(&[1.0, 2.0])),
        Class::Type,
        "partition",
        "groups[0]",
    );
}

#[wasm_bindgen_test]
fn set_link_changes_one_direction_with_either_spelling() {
    let mut sim = sim(9.0);
    sim.set_link(num(1.0), num(2.0), obj(&[("up", JsValue::FALSE)]))
        .unwrap();
    sim.set_link(
        num(2.0),
        num(3.0),
        obj(&[
            ("latency", num(40.0)),
            ("loss", num(10.0)),
            ("dup", num(5.0)),
        ]),
    )
    .unwrap();
    sim.set_link(num(3.0), num(4.0), obj(&[("lossPct", num(20.0))]))
        .unwrap();
    let link_of = |sim: &JsSimulation, from: f64, to: f64| {
        items(&get(&sim.state().unwrap(), "links"))
            .into_iter()
            .find(|l| get_f64(l, "from") == from && get_f64(l, "to") == to)
            .unwrap()
    };
    assert_eq!(get(&link_of(&sim, 1.0, 2.0), "up").as_bool(), Some(false));
    assert_eq!(get(&link_of(&sim, 2.0, 1.0), "up").as_bool(), Some(true));
    let l23 = link_of(&sim, 2.0, 3.0);
    assert_eq!(get_f64(&l23, "latencyMsMin"), 40.0);
    assert_eq!(get_f64(&l23, "latencyMsMax"), 40.0);
    assert_eq!(get_f64(&l23, "lossPct"), 10.0);
    assert_eq!(get_f64(&l23, "dupPct"), 5.0);
    assert_eq!(get_f64(&link_of(&sim, 3.0, 4.0), "lossPct"), 20.0);
    // One end of the latency range moved past the other is refused or kept consistent; either
    // way the run goes on.
    let _ = sim.set_link(num(4.0), num(5.0), obj(&[("latencyMin", num(100.0))]));
    let _ = sim.set_link(num(5.0), num(4.0), obj(&[("latencyMax", num(1.0))]));
    sim.advance(num(1000.0)).unwrap();
    let l45 = link_of(&sim, 4.0, 5.0);
    assert!(get_f64(&l45, "latencyMsMin") <= get_f64(&l45, "latencyMsMax"));
    let l54 = link_of(&sim, 5.0, 4.0);
    assert!(get_f64(&l54, "latencyMsMin") <= get_f64(&l54, "latencyMsMax"));
    use Class::*;
    expect_err(
        sim.set_link(num(1.0), num(2.0), obj(&[("speed", num(1.0))])),
        Type,
        "setLink",
        "\"speed\"",
    );
    expect_err(
        sim.set_link(
            num(1.0),
            num(2.0),
            obj(&[("loss", num(1.0)), ("lossPct", num(2.0))]),
        ),
        Type,
        "setLink",
        "both",
    );
    expect_err(
        sim.set_link(num(1.0), num(2.0), obj(&[("loss", num(101.0))])),
        Range,
        "setLink",
        "lossPct",
    );
    expect_err(
        sim.set_link(num(1.0), num(2.0), obj(&[("latency", num(f64::NAN))])),
        Range,
        "setLink",
        "options.latency",
    );
    expect_err(
        sim.set_link(num(1.0), num(2.0), obj(&[("up", s("no"))])),
        Type,
        "setLink",
        "options.up",
    );
    expect_err(
        sim.set_link(num(1.0), num(1.0), obj(&[])),
        Range,
        "setLink",
        "to",
    );
    expect_err(
        sim.set_link(num(1.0), num(2.0), JsValue::UNDEFINED),
        Type,
        "setLink",
        "options",
    );
}

#[wasm_bindgen_test]
fn set_all_links_changes_every_link_in_one_recorded_action() {
    let mut sim = sim(9.0);
    let before = sim.to_link().len();
    sim.set_all_links(obj(&[
        ("latencyMin", num(10.0)),
        ("latencyMax", num(60.0)),
        ("loss", num(10.0)),
    ]))
    .unwrap();
    let links = items(&get(&sim.state().unwrap(), "links"));
    assert_eq!(links.len(), 20, "5 nodes have 20 directed links");
    for l in &links {
        assert_eq!(get_f64(l, "latencyMsMin"), 10.0);
        assert_eq!(get_f64(l, "latencyMsMax"), 60.0);
        assert_eq!(get_f64(l, "lossPct"), 10.0);
        assert_eq!(get(l, "up").as_bool(), Some(true));
    }
    // One action, so the share link grows by one action's length, not twenty.
    let grown = sim.to_link().len() - before;
    assert!(grown < 200, "the link grew by {grown} characters");
    use Class::*;
    expect_err(
        sim.set_all_links(obj(&[("up", JsValue::FALSE)])),
        Type,
        "setAllLinks",
        "options.up",
    );
    expect_err(
        sim.set_all_links(obj(&[("dup", num(-1.0))])),
        Range,
        "setAllLinks",
        "dupPct",
    );
    expect_err(
        sim.set_all_links(JsValue::NULL),
        Type,
        "setAllLinks",
        "options",
    );
    let l = &items(&get(&sim.state().unwrap(), "links"))[0];
    assert_eq!(
        get_f64(l, "lossPct"),
        10.0,
        "a refused call changed nothing"
    );
}

#[wasm_bindgen_test]
fn client_operations_complete_and_report_who_served_them() {
    let (mut sim, _) = sim_with_leader(10.0);
    sim.client_put(s("x"), s("1"), JsValue::UNDEFINED).unwrap();
    sim.client_append(s("x"), s("2"), JsValue::UNDEFINED)
        .unwrap();
    sim.client_cas(s("x"), s("12"), s("3"), num(1.0)).unwrap();
    sim.client_cas(s("y"), JsValue::NULL, s("new"), JsValue::UNDEFINED)
        .unwrap();
    sim.client_get(s("x"), JsValue::UNDEFINED).unwrap();
    let events = sim.advance(num(3000.0)).unwrap();
    let done = of_kind(&events, "clientCompleted");
    assert!(done.len() >= 5, "{} of 5 operations completed", done.len());
    for event in &done {
        get_f64(event, "servedBy");
    }
    let values: Vec<String> = done
        .iter()
        .map(|e| get(e, "result"))
        .filter(|r| get_str(r, "type") == "value")
        .map(|r| get_str(&r, "value"))
        .collect();
    assert!(values.contains(&"3".to_string()), "read saw {values:?}");
    let leader = sim.leader().as_f64().unwrap();
    let state = sim.state().unwrap();
    let node = items(&get(&state, "nodes"))
        .into_iter()
        .find(|n| get_f64(n, "id") == leader)
        .unwrap();
    assert_eq!(get_str(&get(&node, "kv"), "x"), "3");
    assert_eq!(get_str(&get(&node, "kv"), "y"), "new");
    use Class::*;
    expect_err(
        sim.client_put(s(""), s("v"), JsValue::UNDEFINED),
        Range,
        "clientPut",
        "key",
    );
    expect_err(
        sim.client_put(num(1.0), s("v"), JsValue::UNDEFINED),
        Type,
        "clientPut",
        "key",
    );
    expect_err(
        sim.client_put(s("k"), s("v"), num(9.0)),
        Range,
        "clientPut",
        "client",
    );
    expect_err(
        sim.client_cas(s("k"), JsValue::UNDEFINED, s("v"), JsValue::UNDEFINED),
        Type,
        "clientCas",
        "expected",
    );
    expect_err(
        sim.client_get(s(&"k".repeat(100)), JsValue::UNDEFINED),
        Range,
        "clientGet",
        "key",
    );
}

#[wasm_bindgen_test]
fn leadership_moves_to_the_transfer_target() {
    let (mut sim, leader) = sim_with_leader(12.0);
    let target = if leader == 5.0 { 4.0 } else { 5.0 };
    sim.transfer_leader(num(target)).unwrap();
    sim.advance(num(1500.0)).unwrap();
    assert_eq!(sim.leader().as_f64(), Some(target));
    expect_err(
        sim.transfer_leader(num(42.0)),
        Class::Range,
        "transferLeader",
        "to",
    );
}

#[wasm_bindgen_test]
fn membership_changes_show_in_every_voter_list() {
    let (mut sim, leader) = sim_with_leader(13.0);
    sim.add_server(num(6.0)).unwrap();
    sim.advance(num(2000.0)).unwrap();
    let voters_of_leader = |sim: &JsSimulation| {
        let id = sim.leader().as_f64().unwrap();
        items(&get(&sim.state().unwrap(), "nodes"))
            .into_iter()
            .find(|n| get_f64(n, "id") == id)
            .map(|n| {
                items(&get(&n, "voters"))
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect::<Vec<_>>()
            })
            .unwrap()
    };
    assert!(
        voters_of_leader(&sim).contains(&6.0),
        "{:?}",
        voters_of_leader(&sim)
    );
    sim.add_learner(num(7.0)).unwrap();
    sim.advance(num(2000.0)).unwrap();
    let follower = if leader == 1.0 { 2.0 } else { 1.0 };
    sim.remove_server(num(follower)).unwrap();
    sim.advance(num(2000.0)).unwrap();
    assert!(!voters_of_leader(&sim).contains(&follower));
    let events_ok = sim.check().unwrap();
    assert_eq!(get(&events_ok, "ok").as_bool(), Some(true));
    expect_err(sim.add_server(num(10.0)), Class::Range, "addServer", "node");
}

#[wasm_bindgen_test]
fn change_membership_goes_through_a_joint_configuration() {
    let (mut sim, _) = sim_with_leader(16.0);
    expect_err(
        sim.change_membership(nums(&[]), JsValue::UNDEFINED),
        Class::Range,
        "changeMembership",
        "voters",
    );
    expect_err(
        sim.change_membership(s("1,2"), JsValue::UNDEFINED),
        Class::Type,
        "changeMembership",
        "voters",
    );
    expect_err(
        sim.change_membership(nums(&[1.0, 2.0, 3.0]), JsValue::NULL),
        Class::Type,
        "changeMembership",
        "learners",
    );
    sim.change_membership(nums(&[1.0, 2.0, 3.0, 6.0]), nums(&[7.0]))
        .unwrap();
    let events = sim.advance(num(3000.0)).unwrap();
    let changes = of_kind(&events, "confChanged");
    let joint = |e: &JsValue| !items(&get(e, "votersOutgoing")).is_empty();
    let first_joint = changes.iter().position(joint).expect("a joint confChanged");
    assert!(
        changes[first_joint..].iter().any(|e| !joint(e)),
        "the joint configuration was left"
    );
    assert_eq!(get(&sim.check().unwrap(), "ok").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn compact_moves_the_snapshot_index() {
    let (mut sim, leader) = sim_with_leader(14.0);
    for i in 0..5 {
        sim.client_put(s("k"), s(&i.to_string()), JsValue::UNDEFINED)
            .unwrap();
    }
    sim.advance(num(2000.0)).unwrap();
    sim.compact(num(leader)).unwrap();
    let events = sim.advance(num(100.0)).unwrap();
    let node = items(&get(&sim.state().unwrap(), "nodes"))
        .into_iter()
        .find(|n| get_f64(n, "id") == leader)
        .unwrap();
    assert!(
        get_f64(&node, "snapshotIndex") > 0.0 || !of_kind(&events, "snapshotTaken").is_empty(),
        "no snapshot after compact"
    );
}

#[wasm_bindgen_test]
fn bugs_toggles_and_read_mode_are_recorded_as_actions() {
    let mut sim = sim(15.0);
    sim.set_bug(s("vote-ignores-log"), JsValue::TRUE).unwrap();
    sim.set_pre_vote(JsValue::FALSE).unwrap();
    sim.set_check_quorum(JsValue::FALSE).unwrap();
    sim.set_fast_backtrack(JsValue::FALSE).unwrap();
    sim.set_read_mode(s("lease")).unwrap();
    sim.clock_skew(num(2.0), num(-2000.0)).unwrap();
    sim.set_toggle(s("preVote"), JsValue::TRUE).unwrap();
    sim.apply(obj(&[("type", s("heal"))])).unwrap();
    let actions = items(&get(&sim.scenario().unwrap(), "actions"));
    let types: Vec<String> = actions
        .iter()
        .map(|a| get_str(&get(a, "action"), "type"))
        .collect();
    assert_eq!(
        types,
        [
            "setBug",
            "setToggle",
            "setToggle",
            "setToggle",
            "setReadMode",
            "clockSkew",
            "setToggle",
            "heal"
        ]
    );
    use Class::*;
    expect_err(
        sim.set_bug(s("nope"), JsValue::TRUE),
        Range,
        "setBug",
        "name",
    );
    expect_err(sim.set_bug(s("stale-read"), num(1.0)), Type, "setBug", "on");
    expect_err(sim.set_pre_vote(s("true")), Type, "setPreVote", "on");
    expect_err(sim.set_read_mode(s("fast")), Range, "setReadMode", "mode");
    expect_err(
        sim.set_toggle(s("speed"), JsValue::TRUE),
        Range,
        "setToggle",
        "name",
    );
    expect_err(
        sim.set_toggle(num(1.0), JsValue::TRUE),
        Type,
        "setToggle",
        "name",
    );
    expect_err(
        sim.clock_skew(num(1.0), num(0.5)),
        Range,
        "clockSkew",
        "ratePpm",
    );
    expect_err(
        sim.apply(obj(&[("type", s("explode"))])),
        Range,
        "apply",
        "explode",
    );
    expect_err(sim.apply(num(3.0)), Type, "apply", "action");
}

#[wasm_bindgen_test]
fn a_link_replays_to_the_same_state_at_the_same_time() {
    let (mut sim, leader) = sim_with_leader(16.0);
    sim.client_put(
        s("x"),
        s("<img src=x onerror=alert(1)>"),
        JsValue::UNDEFINED,
    )
    .unwrap();
    sim.advance(num(700.0)).unwrap();
    sim.crash(num(leader)).unwrap();
    sim.advance(num(1234.5)).unwrap();
    let link = sim.to_link();
    assert!(link.starts_with("v2."));
    assert!(
        link.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
        "{link}"
    );
    let mut copy = JsSimulation::from_link(s(&link), JsValue::UNDEFINED).unwrap();
    assert_eq!(copy.now(), sim.now());
    assert_eq!(copy.state_hash(), sim.state_hash());
    // And they stay together.
    sim.advance(num(2000.0)).unwrap();
    copy.advance(num(2000.0)).unwrap();
    assert_eq!(copy.state_hash(), sim.state_hash());
    // A whole URL with the link in its fragment works too.
    let from_url = JsSimulation::from_link(
        s(&format!("https://example.org/#{link}")),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(from_url.now(), copy.now() - 2000.0);
}

#[wasm_bindgen_test]
fn export_trace_and_from_scenario_round_trip_as_text_and_as_object() {
    let (mut sim, _) = sim_with_leader(17.0);
    sim.client_put(s("k"), s("v"), JsValue::UNDEFINED).unwrap();
    sim.advance(num(500.0)).unwrap();
    let json = sim.export_trace();
    let from_text = JsSimulation::from_scenario(s(&json), JsValue::UNDEFINED).unwrap();
    assert_eq!(from_text.state_hash(), sim.state_hash());
    let object = js_sys::JSON::parse(&json).unwrap();
    let from_object = JsSimulation::from_scenario(object, JsValue::UNDEFINED).unwrap();
    assert_eq!(from_object.state_hash(), sim.state_hash());
    assert_eq!(from_object.now(), sim.now());
}

#[wasm_bindgen_test]
fn malformed_links_and_scenarios_throw_errors_that_say_what_is_wrong() {
    use Class::*;
    let good = sim(18.0).to_link();
    expect_err(
        JsSimulation::from_link(s(""), JsValue::UNDEFINED),
        Plain,
        "fromLink",
        "empty",
    );
    expect_err(
        JsSimulation::from_link(s("v3.abc"), JsValue::UNDEFINED),
        Plain,
        "fromLink",
        "version",
    );
    expect_err(
        JsSimulation::from_link(s("v2.abc"), JsValue::UNDEFINED),
        Plain,
        "fromLink",
        "checksum",
    );
    expect_err(
        JsSimulation::from_link(s("v1.@@@"), JsValue::UNDEFINED),
        Plain,
        "fromLink",
        "base64",
    );
    expect_err(
        JsSimulation::from_link(s(&good[..good.len() / 2]), JsValue::UNDEFINED),
        Plain,
        "fromLink",
        "link",
    );
    expect_err(
        JsSimulation::from_link(num(1.0), JsValue::UNDEFINED),
        Type,
        "fromLink",
        "link",
    );
    expect_err(
        JsSimulation::from_scenario(s("{not json"), JsValue::UNDEFINED),
        Plain,
        "fromScenario",
        "JSON",
    );
    expect_err(
        JsSimulation::from_scenario(
            s(r#"{"actions":[{"atMs":1,"action":{"type":"crash","node":12}}]}"#),
            JsValue::UNDEFINED,
        ),
        Plain,
        "fromScenario",
        "actions[0].action.node",
    );
    expect_err(
        JsSimulation::from_scenario(s(r#"{"endMs":1e9}"#), JsValue::UNDEFINED),
        Range,
        "fromScenario",
        "simMsMax",
    );
    // Past the latest time a run may reach at all: the scenario itself is refused.
    expect_err(
        JsSimulation::from_scenario(s(r#"{"endMs":1e15}"#), JsValue::UNDEFINED),
        Plain,
        "fromScenario",
        "scenario.endMs: must be at most",
    );
    expect_err(
        JsSimulation::from_scenario(num(3.0), JsValue::UNDEFINED),
        Type,
        "fromScenario",
        "scenario",
    );
}

#[wasm_bindgen_test]
fn static_lists_name_every_bug_and_the_limits() {
    let names: Vec<String> = items(&JsSimulation::bug_names().unwrap())
        .iter()
        .map(|n| n.as_string().unwrap())
        .collect();
    assert!(names.contains(&"vote-ignores-log".to_string()));
    let bugs = items(&JsSimulation::bugs().unwrap());
    assert_eq!(bugs.len(), names.len());
    for bug in &bugs {
        assert!(get_str(bug, "description").len() > 10);
    }
    let limits = JsSimulation::limits().unwrap();
    assert_eq!(get_f64(&limits, "nodesMax"), 9.0);
    assert!(get_f64(&limits, "simMsMax") >= 60_000.0);
}

#[wasm_bindgen_test]
fn hashes_are_hex_and_follow_the_run() {
    let mut sim = sim(19.0);
    let before = sim.trace_hash();
    assert_eq!(before.len(), 16);
    assert!(before.chars().all(|c| c.is_ascii_hexdigit()));
    sim.advance(num(500.0)).unwrap();
    assert_ne!(sim.trace_hash(), before);
    let mut twin = common::sim(19.0);
    twin.advance(num(500.0)).unwrap();
    assert_eq!(twin.trace_hash(), sim.trace_hash());
    assert_eq!(twin.state_hash(), sim.state_hash());
    assert!(sim.events_total() > 0.0);
}

/// Every type `Simulation.actionTypes()` lists has a method of that name on the JS object, and
/// calling it records an action of that type. The list of calls below must name every type: a
/// new action without a method (or without a call here) fails.
#[wasm_bindgen_test]
fn every_action_type_has_a_method_of_its_name_that_records_it() {
    use js_sys::{Function, Reflect};
    type Args = fn(f64, f64) -> Vec<JsValue>;
    // In an order a 5-node cluster accepts, with 400 ms between calls; (leader, a follower).
    let calls: &[(&str, Args)] = &[
        ("clientPut", |_, _| vec![s("k"), s("v")]),
        ("clientGet", |_, _| vec![s("k")]),
        ("clientAppend", |_, _| vec![s("k"), s("w")]),
        ("clientCas", |_, _| vec![s("k"), JsValue::NULL, s("x")]),
        ("aimClient", |l, _| vec![num(1.0), num(l)]),
        ("setLink", |_, o| {
            vec![num(o), num(1.0 + o % 5.0), obj(&[("loss", num(0.0))])]
        }),
        ("setAllLinks", |_, _| vec![obj(&[("latency", num(5.0))])]),
        ("partition", |_, _| {
            vec![arr(&[nums(&[1.0, 2.0, 3.0, 4.0, 5.0])])]
        }),
        ("heal", |_, _| vec![]),
        // Their ids are read from pending() at the call (below): a message in flight then.
        ("duplicate", |_, _| vec![]),
        ("deliver", |_, _| vec![]),
        ("drop", |_, _| vec![]),
        ("setDelivery", |_, _| vec![s("auto")]),
        ("clockSkew", |_, o| vec![num(o), num(1000.0)]),
        ("setBug", |_, _| vec![s("stale-read"), JsValue::FALSE]),
        ("setToggle", |_, _| vec![s("fastBacktrack"), JsValue::TRUE]),
        ("setReadMode", |_, _| vec![s("readIndex")]),
        ("compact", |l, _| vec![num(l)]),
        ("addLearner", |_, _| vec![num(6.0)]),
        ("addServer", |_, _| vec![num(6.0)]),
        ("removeServer", |_, _| vec![num(6.0)]),
        ("changeMembership", |_, _| {
            vec![nums(&[1.0, 2.0, 3.0, 4.0, 5.0]), nums(&[7.0])]
        }),
        ("transferLeader", |_, o| vec![num(o)]),
        ("timeout", |_, o| vec![num(o)]),
        ("pause", |_, o| vec![num(o)]),
        ("resume", |_, o| vec![num(o)]),
        ("crash", |_, o| vec![num(o)]),
        ("restart", |_, o| vec![num(o)]),
    ];
    let types: Vec<String> = items(&JsSimulation::action_types().unwrap())
        .iter()
        .map(|t| t.as_string().unwrap())
        .collect();
    let mut listed: Vec<&str> = calls.iter().map(|(t, _)| *t).collect();
    let mut wanted: Vec<&str> = types.iter().map(String::as_str).collect();
    listed.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(listed, wanted, "the calls here vs Simulation.actionTypes()");

    let (sim, _) = sim_with_leader(7.0);
    let object = JsValue::from(sim);
    let method = |name: &str| -> Function {
        let m = Reflect::get(&object, &JsValue::from_str(name)).unwrap();
        assert!(m.is_function(), "Simulation has no method {name}");
        m.into()
    };
    let call = |name: &str, args: Vec<JsValue>| {
        let list: js_sys::Array = args.into_iter().collect();
        method(name)
            .apply(&object, &list)
            .unwrap_or_else(|e| panic!("{name}: {:?}", error_of(&e)))
    };
    for (tag, args) in calls {
        call("advance", vec![num(400.0)]);
        let leader = call("leader", vec![])
            .as_f64()
            .expect("a leader between calls");
        let other = if leader == 1.0 { 2.0 } else { 1.0 };
        let args = if matches!(*tag, "deliver" | "drop" | "duplicate") {
            let mut flying = items(&call("pending", vec![]));
            while flying.is_empty() {
                call("advance", vec![num(1.0)]);
                flying = items(&call("pending", vec![]));
            }
            vec![get(&flying[0], "id")]
        } else {
            args(leader, other)
        };
        call(tag, args);
        let actions = items(&get(&call("scenario", vec![]), "actions"));
        let last = get(actions.last().expect("recorded"), "action");
        assert_eq!(get_str(&last, "type"), *tag);
    }
}

/// Manual delivery (issue 15): `pending()` lists the waiting messages; `deliver`, `drop` and
/// `duplicate` act on one by id; bad ids and bad types throw, naming the argument, and change
/// nothing (the same stateHash, nothing recorded).
#[wasm_bindgen_test]
fn manual_delivery_methods_act_on_one_message_and_refuse_bad_ids() {
    let config = obj(&[
        ("nodes", num(3.0)),
        ("seed", num(11.0)),
        ("preVote", JsValue::FALSE),
        ("delivery", s("manual")),
    ]);
    let mut sim = JsSimulation::new(config).unwrap();
    assert_eq!(get_str(&sim.config().unwrap(), "delivery"), "manual");
    sim.advance(num(1.0)).unwrap();
    sim.timeout(num(1.0)).unwrap();
    sim.advance(num(40.0)).unwrap();
    let pending = items(&sim.pending().unwrap());
    let votes: Vec<&JsValue> = pending
        .iter()
        .filter(|m| get_str(m, "type") == "vote")
        .collect();
    assert_eq!(votes.len(), 2);
    assert!(votes.iter().all(|m| get(m, "waiting") == JsValue::TRUE));
    let (first, second) = (get_f64(votes[0], "id"), get_f64(votes[1], "id"));

    let before = (sim.state_hash(), sim.export_trace());
    expect_err(sim.deliver(s("1")), Class::Type, "deliver", "id");
    expect_err(
        sim.deliver(JsValue::UNDEFINED),
        Class::Type,
        "deliver",
        "id",
    );
    expect_err(sim.drop_message(num(-1.0)), Class::Range, "drop", "id");
    expect_err(sim.duplicate(num(1.5)), Class::Range, "duplicate", "id");
    expect_err(
        sim.deliver(num(4242.0)),
        Class::Range,
        "deliver",
        "no message 4242",
    );
    expect_err(
        sim.set_delivery(s("fast")),
        Class::Range,
        "setDelivery",
        "\"auto\"",
    );
    expect_err(
        sim.set_delivery(num(1.0)),
        Class::Type,
        "setDelivery",
        "mode",
    );
    assert_eq!((sim.state_hash(), sim.export_trace()), before);

    sim.deliver(num(first)).unwrap();
    let events = sim.advance(num(0.0)).unwrap();
    let got: Vec<f64> = of_kind(&events, "msgDelivered")
        .iter()
        .map(|e| get_f64(e, "id"))
        .collect();
    assert_eq!(got, vec![first]);
    assert_eq!(of_kind(&events, "voteGranted").len(), 1);
    // Delivered: a second deliver (or drop) of it throws and changes nothing.
    let before = (sim.state_hash(), sim.export_trace());
    expect_err(
        sim.deliver(num(first)),
        Class::Range,
        "deliver",
        "in flight",
    );
    expect_err(
        sim.drop_message(num(first)),
        Class::Range,
        "drop",
        "in flight",
    );
    assert_eq!((sim.state_hash(), sim.export_trace()), before);

    sim.duplicate(num(second)).unwrap();
    sim.drop_message(num(second)).unwrap();
    let events = sim.advance(num(0.0)).unwrap();
    assert_eq!(of_kind(&events, "msgDuplicated").len(), 1);
    let dropped = of_kind(&events, "msgDropped");
    assert_eq!(get_f64(&dropped[0], "id"), second);
    assert_eq!(get_str(&dropped[0], "reason"), "byHand");
    let actions: Vec<String> = items(&get(&sim.scenario().unwrap(), "actions"))
        .iter()
        .map(|a| get_str(&get(a, "action"), "type"))
        .collect();
    assert_eq!(actions, ["timeout", "deliver", "duplicate", "drop"]);
    let copy = JsSimulation::from_link(s(&sim.to_link()), JsValue::UNDEFINED).unwrap();
    assert_eq!(copy.state_hash(), sim.state_hash());
}
