//! Every method called with randomized bad arguments (seeded, 12 000 calls). Each call must
//! throw a JS `Error` (never a trap), must not change the simulation, and the instance must keep
//! working afterwards.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use raft_wasm::JsSimulation;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CALLS: usize = 12_000;
/// Calls between the checks that the failed calls changed nothing.
const BATCH: usize = 200;

/// SplitMix64: a small seeded generator, so a failure names a reproducible call number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

/// Values that are not numbers at all.
fn not_a_number(rng: &mut Rng) -> JsValue {
    match rng.below(11) {
        0 => JsValue::UNDEFINED,
        1 => JsValue::NULL,
        2 => JsValue::TRUE,
        3 => s("1"),
        4 => s(""),
        5 => obj(&[]),
        6 => arr(&[]),
        7 => nums(&[1.0]),
        8 => js_sys::BigInt::from(1u64).into(),
        9 => js_sys::Symbol::for_("raft").into(),
        _ => js_sys::Function::new_no_args("return 1").into(),
    }
}

/// Numbers that are never a node id of a 5-node cluster, nor a new one it could add.
fn bad_node_number(rng: &mut Rng) -> JsValue {
    num(rng.pick(&[
        f64::NAN,
        -1.0,
        0.0,
        1.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        10.0,
        1e9,
        9_007_199_254_740_993.0,
        -0.5,
    ]))
}

fn bad_node(rng: &mut Rng) -> JsValue {
    if rng.chance(50) {
        not_a_number(rng)
    } else {
        bad_node_number(rng)
    }
}

/// A node id that is out of range or (6..9) not in the cluster.
fn absent_node(rng: &mut Rng) -> JsValue {
    if rng.chance(30) {
        num(rng.pick(&[6.0, 7.0, 8.0, 9.0]))
    } else {
        bad_node(rng)
    }
}

fn bad_ms(rng: &mut Rng) -> JsValue {
    if rng.chance(40) {
        return not_a_number(rng);
    }
    num(rng.pick(&[
        f64::NAN,
        -1.0,
        -1e-6,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e12,
        86_400_001.0,
    ]))
}

fn not_a_bool(rng: &mut Rng) -> JsValue {
    match rng.below(7) {
        0 => num(0.0),
        1 => num(1.0),
        2 => s("true"),
        3 => JsValue::NULL,
        4 => JsValue::UNDEFINED,
        5 => obj(&[]),
        _ => arr(&[]),
    }
}

fn not_a_string(rng: &mut Rng) -> JsValue {
    match rng.below(7) {
        0 => num(1.0),
        1 => JsValue::NULL,
        2 => JsValue::UNDEFINED,
        3 => JsValue::FALSE,
        4 => obj(&[("key", s("k"))]),
        5 => arr(&[s("k")]),
        _ => js_sys::Symbol::for_("k").into(),
    }
}

fn bad_key(rng: &mut Rng) -> JsValue {
    match rng.below(3) {
        0 => s(""),
        1 => s(&"k".repeat(65 + rng.below(100))),
        _ => not_a_string(rng),
    }
}

fn bad_value(rng: &mut Rng) -> JsValue {
    if rng.chance(50) {
        s(&"v".repeat(1025 + rng.below(100)))
    } else {
        not_a_string(rng)
    }
}

fn bad_client(rng: &mut Rng) -> JsValue {
    match rng.below(4) {
        0 => num(rng.pick(&[-1.0, 1.5, f64::NAN, 99.0, 0.0])),
        1 => s("1"),
        2 => JsValue::NULL,
        _ => obj(&[]),
    }
}

fn bad_groups(rng: &mut Rng) -> JsValue {
    match rng.below(7) {
        // Not `[]`: no groups at all is a valid partition (everyone cut off).
        0 => rng.pick(&[
            JsValue::UNDEFINED,
            JsValue::NULL,
            s("1,2"),
            obj(&[]),
            num(5.0),
        ]),
        1 => nums(&[1.0, 2.0]),
        2 => arr(&[nums(&[1.0, 2.0]), nums(&[2.0, 3.0])]),
        3 => arr(&[nums(&[1.0]), arr(&[bad_node(rng)])]),
        4 => arr(&[nums(&[1.0]), s("2,3")]),
        5 => arr(&(0..70).map(|_| nums(&[1.0])).collect::<Vec<_>>()),
        _ => arr(&[arr(&[num(6.0), bad_node_number(rng)])]),
    }
}

fn bad_link_options(rng: &mut Rng) -> JsValue {
    match rng.below(10) {
        // Not `{}`: no options is a valid no-op.
        0 => rng.pick(&[
            JsValue::UNDEFINED,
            JsValue::NULL,
            JsValue::TRUE,
            s("up"),
            nums(&[1.0]),
        ]),
        1 => obj(&[("speed", num(1.0))]),
        2 => obj(&[("loss", num(1.0)), ("lossPct", num(1.0))]),
        // Not `undefined`: an undefined option means "leave it as it is".
        3 => obj(&[(
            "up",
            rng.pick(&[num(0.0), s("false"), JsValue::NULL, obj(&[])]),
        )]),
        4 => obj(&[(
            "latency",
            num(rng.pick(&[f64::NAN, -5.0, 1e9, f64::INFINITY])),
        )]),
        5 => obj(&[("loss", num(rng.pick(&[-1.0, 101.0, f64::NAN])))]),
        6 => obj(&[("dupPct", num(rng.pick(&[-0.1, 100.5, 1e300])))]),
        7 => obj(&[("latencyMin", num(50.0)), ("latencyMax", num(10.0))]),
        8 => obj(&[("latency", s("10"))]),
        _ => obj(&[("loss", JsValue::NULL)]),
    }
}

fn bad_config(rng: &mut Rng) -> JsValue {
    let bad: (&str, JsValue) = match rng.below(14) {
        0 => (
            "nodes",
            num(rng.pick(&[0.0, 10.0, 10_000.0, -1.0, 2.5, f64::NAN])),
        ),
        1 => ("nodes", not_a_number(rng)),
        2 => ("heartbeatMs", num(rng.pick(&[0.0, -1.0, f64::NAN, 1e9]))),
        3 => ("electionTimeoutMsMin", num(10.0)),
        4 => ("electionTimeoutMsMax", num(100.0)),
        5 => ("lossPct", num(rng.pick(&[-1.0, 101.0, f64::INFINITY]))),
        6 => ("latencyMsMin", num(rng.pick(&[-3.0, 1e9, f64::NAN]))),
        7 => ("readMode", s("fast")),
        8 => ("bugs", arr(&[s("no-such-bug")])),
        9 => ("bugs", s("stale-read")),
        10 => ("preVote", not_a_bool(rng)),
        11 => ("seed", num(rng.pick(&[-1.0, 1.5, f64::NAN, 1e300]))),
        12 => ("clients", num(rng.pick(&[0.0, 17.0, 1e6]))),
        _ => ("nodez", num(3.0)),
    };
    if bad.1.is_undefined() {
        // `undefined` means "default"; give a value that is wrong for sure.
        return obj(&[(bad.0, s("x"))]);
    }
    if rng.chance(10) {
        return rng.pick(&[num(5.0), s("{}"), JsValue::TRUE, nums(&[5.0])]);
    }
    obj(&[bad])
}

fn random_text(rng: &mut Rng, alphabet: &[u8], len_max: usize) -> String {
    let len = 1 + rng.below(len_max);
    (0..len)
        .map(|_| alphabet[rng.below(alphabet.len())] as char)
        .collect()
}

fn bad_link(rng: &mut Rng, good: &str) -> JsValue {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    match rng.below(6) {
        0 => not_a_string(rng),
        1 => s(&random_text(rng, b"abc.v1#=%@ ", 30)),
        2 => s(&format!("v1.{}", random_text(rng, B64, 200))),
        3 => s(&good[..3 + rng.below(good.len() - 4)]),
        4 => s(&format!("v{}.{}", 3 + rng.below(5), &good[3..])),
        _ => s(&format!("{good}{}", random_text(rng, b"!*{}", 4))),
    }
}

fn bad_scenario(rng: &mut Rng) -> JsValue {
    let texts = [
        "{not json",
        "[]",
        "42",
        r#"{"version":2}"#,
        r#"{"config":{"nodes":12}}"#,
        r#"{"endMs":1e15}"#,
        r#"{"endMs":-1}"#,
        r#"{"actions":[{"atMs":5,"action":{"type":"crash","node":99}}]}"#,
        r#"{"actions":[{"atMs":5,"action":{"type":"fly"}}]}"#,
        r#"{"actions":[{"atMs":9,"action":{"type":"heal"}},{"atMs":1,"action":{"type":"heal"}}]}"#,
        r#"{"actions":{"atMs":1}}"#,
        r#"{"unknown":true}"#,
    ];
    match rng.below(4) {
        0 => rng.pick(&[num(1.0), JsValue::NULL, JsValue::TRUE, JsValue::UNDEFINED]),
        1 => js_sys::JSON::parse(texts[1 + rng.below(texts.len() - 1)]).unwrap(),
        _ => s(texts[rng.below(texts.len())]),
    }
}

fn bad_action(rng: &mut Rng) -> JsValue {
    match rng.below(11) {
        0 => not_a_number(rng),
        1 => obj(&[("type", s("explode"))]),
        2 => obj(&[("type", s("crash"))]),
        3 => obj(&[("type", s("crash")), ("node", s("1"))]),
        4 => obj(&[("type", s("crash")), ("node", num(42.0))]),
        5 => obj(&[
            ("type", s("setBug")),
            ("name", s("x")),
            ("on", JsValue::TRUE),
        ]),
        6 => obj(&[("type", s("partition")), ("groups", num(5.0))]),
        7 => obj(&[("type", s("deliver")), ("id", s("1"))]),
        8 => obj(&[("type", s("duplicate")), ("id", num(1.0))]),
        9 => obj(&[("type", s("setDelivery")), ("mode", s("later"))]),
        _ => obj(&[("type", num(3.0))]),
    }
}

/// One call with at least one bad argument; returns the method name and the result.
fn bad_call(
    sim: &mut JsSimulation,
    rng: &mut Rng,
    link: &str,
) -> (&'static str, Result<(), JsValue>) {
    let ok = |r: Result<JsSimulation, JsValue>| r.map(|_| ());
    let drop_value = |r: Result<JsValue, JsValue>| r.map(|_| ());
    let key = || s("k");
    let value = || s("v");
    let undef = JsValue::UNDEFINED;
    match rng.below(34) {
        0 => ("new Simulation", ok(JsSimulation::new(bad_config(rng)))),
        1 => (
            "fromLink",
            ok(JsSimulation::from_link(
                bad_link(rng, link),
                JsValue::UNDEFINED,
            )),
        ),
        2 => (
            "fromScenario",
            ok(JsSimulation::from_scenario(
                bad_scenario(rng),
                JsValue::UNDEFINED,
            )),
        ),
        3 => ("advance", drop_value(sim.advance(bad_ms(rng)))),
        4 => ("seek", sim.seek(bad_ms(rng))),
        5 => ("crash", sim.crash(absent_node(rng))),
        6 => ("restart", sim.restart(absent_node(rng))),
        7 => ("pause", sim.pause(absent_node(rng))),
        8 => ("resume", sim.resume(absent_node(rng))),
        9 => ("timeout", sim.timeout(absent_node(rng))),
        10 => ("partition", sim.partition(bad_groups(rng))),
        11 => {
            let (from, to, options) = match rng.below(3) {
                0 => (absent_node(rng), num(2.0), obj(&[])),
                1 => (num(1.0), absent_node(rng), obj(&[("up", JsValue::FALSE)])),
                _ => (num(1.0), num(2.0), bad_link_options(rng)),
            };
            let shown = format!(
                "{} {} {:?}",
                raft_wasm::args::describe(&from),
                raft_wasm::args::describe(&to),
                js_sys::JSON::stringify(&options)
                    .ok()
                    .and_then(|t| t.as_string())
            );
            let result = sim.set_link(from, to, options);
            if result.is_ok() {
                panic!("setLink accepted {shown}");
            }
            ("setLink", result)
        }
        12 => {
            let (k, v, c) = match rng.below(3) {
                0 => (bad_key(rng), value(), undef),
                1 => (key(), bad_value(rng), undef),
                _ => (key(), value(), bad_client(rng)),
            };
            ("clientPut", sim.client_put(k, v, c))
        }
        13 => {
            let (k, c) = if rng.chance(50) {
                (bad_key(rng), undef)
            } else {
                (key(), bad_client(rng))
            };
            ("clientGet", sim.client_get(k, c))
        }
        14 => {
            let (k, v) = if rng.chance(50) {
                (bad_key(rng), value())
            } else {
                (key(), bad_value(rng))
            };
            ("clientAppend", sim.client_append(k, v, undef))
        }
        15 => {
            let (k, e, v) = match rng.below(3) {
                0 => (bad_key(rng), JsValue::NULL, value()),
                1 => (
                    key(),
                    rng.pick(&[num(1.0), JsValue::UNDEFINED, JsValue::TRUE]),
                    value(),
                ),
                _ => (key(), s("old"), bad_value(rng)),
            };
            ("clientCas", sim.client_cas(k, e, v, undef))
        }
        16 => ("transferLeader", sim.transfer_leader(absent_node(rng))),
        17 => ("addServer", sim.add_server(bad_node(rng))),
        18 => ("addLearner", sim.add_learner(bad_node(rng))),
        19 => ("removeServer", sim.remove_server(absent_node(rng))),
        20 => ("compact", sim.compact(absent_node(rng))),
        21 => {
            let (name, on) = if rng.chance(50) {
                (
                    rng.pick(&[s("nope"), s(""), num(1.0), JsValue::NULL, s("STALE-READ")]),
                    JsValue::TRUE,
                )
            } else {
                (s("stale-read"), not_a_bool(rng))
            };
            ("setBug", sim.set_bug(name, on))
        }
        22 => ("setPreVote", sim.set_pre_vote(not_a_bool(rng))),
        23 => ("setCheckQuorum", sim.set_check_quorum(not_a_bool(rng))),
        24 => {
            if rng.chance(50) {
                ("setFastBacktrack", sim.set_fast_backtrack(not_a_bool(rng)))
            } else {
                let (name, on) = if rng.chance(50) {
                    (
                        rng.pick(&[s("prevote"), s(""), num(0.0), JsValue::NULL]),
                        JsValue::TRUE,
                    )
                } else {
                    (s("checkQuorum"), not_a_bool(rng))
                };
                ("setToggle", sim.set_toggle(name, on))
            }
        }
        25 => (
            "setReadMode",
            sim.set_read_mode(rng.pick(&[
                s("fast"),
                s(""),
                s("ReadIndex"),
                num(0.0),
                JsValue::NULL,
            ])),
        ),
        26 => {
            let (node, rate) = if rng.chance(50) {
                (absent_node(rng), num(100.0))
            } else {
                (
                    num(1.0),
                    num(rng.pick(&[f64::NAN, 0.5, 1e9, -1e9, f64::INFINITY])),
                )
            };
            ("clockSkew", sim.clock_skew(node, rate))
        }
        27 => {
            let (voters, learners) = match rng.below(6) {
                0 => (
                    rng.pick(&[JsValue::UNDEFINED, JsValue::NULL, s("3,4,5"), num(3.0)]),
                    undef,
                ),
                1 => (arr(&[]), undef),
                2 => (arr(&[num(3.0), bad_node(rng)]), undef),
                3 => (nums(&[3.0, 4.0, 3.0]), undef),
                4 => {
                    let bad = arr(&[bad_node(rng)]);
                    let learners = rng.pick(&[JsValue::NULL, s("6"), num(6.0), bad]);
                    (nums(&[3.0, 4.0, 5.0]), learners)
                }
                _ => (nums(&[3.0, 4.0, 5.0]), nums(&[5.0])),
            };
            ("changeMembership", sim.change_membership(voters, learners))
        }
        28 => {
            // Every bad `setLink` option is bad here too, and so is any `up`.
            let options = if rng.chance(20) {
                obj(&[("up", JsValue::TRUE)])
            } else {
                bad_link_options(rng)
            };
            ("setAllLinks", sim.set_all_links(options))
        }
        29 => ("deliver", sim.deliver(bad_message_id(rng))),
        30 => ("drop", sim.drop_message(bad_message_id(rng))),
        31 => ("duplicate", sim.duplicate(bad_message_id(rng))),
        32 => (
            "setDelivery",
            sim.set_delivery(rng.pick(&[
                s("Manual"),
                s(""),
                s("byHand"),
                num(1.0),
                JsValue::NULL,
                JsValue::TRUE,
            ])),
        ),
        _ => ("apply", sim.apply(bad_action(rng))),
    }
}

/// Not a message id, or one that is not in flight: long delivered (1, 2), or never sent.
fn bad_message_id(rng: &mut Rng) -> JsValue {
    match rng.below(3) {
        0 => not_a_number(rng),
        1 => num(rng.pick(&[-1.0, 1.5, f64::NAN, f64::INFINITY, 1e300, -0.5])),
        _ => num(rng.pick(&[1.0, 2.0, 9_007_199_254_740_991.0, 123_456_789.0])),
    }
}

#[wasm_bindgen_test]
fn twelve_thousand_bad_calls_all_throw_and_the_simulation_keeps_working() {
    let mut rng = Rng(0x5eed_0fba_d0a5);
    let (mut sim, _) = sim_with_leader(21.0);
    sim.client_put(s("x"), s("1"), JsValue::UNDEFINED).unwrap();
    sim.advance(num(300.0)).unwrap();
    let link = sim.to_link();
    let mut per_method = std::collections::BTreeMap::<&str, usize>::new();
    for batch in 0..CALLS / BATCH {
        let now = sim.now();
        let hash = sim.state_hash();
        let actions = sim.export_trace();
        for i in 0..BATCH {
            let call = batch * BATCH + i;
            let (method, result) = bad_call(&mut sim, &mut rng, &link);
            let err = match result {
                Ok(()) => panic!("call {call}: {method} accepted a bad argument"),
                Err(err) => err,
            };
            let (_, message) = error_of(&err);
            assert!(
                message.starts_with(&format!("{method}: ")),
                "call {call}: message does not name {method}: {message}"
            );
            *per_method.entry(method).or_default() += 1;
        }
        assert_eq!(
            sim.now(),
            now,
            "batch {batch}: a failed call moved the clock"
        );
        assert_eq!(
            sim.state_hash(),
            hash,
            "batch {batch}: a failed call changed the state"
        );
        assert_eq!(
            sim.export_trace(),
            actions,
            "batch {batch}: a failed call was recorded"
        );
        // Still alive: time moves and actions apply.
        sim.advance(num(20.0)).unwrap();
    }
    assert_eq!(
        per_method.len(),
        35,
        "some methods were never called: {per_method:?}"
    );
    sim.client_put(s("after"), s("fuzz"), JsValue::UNDEFINED)
        .unwrap();
    let events = sim.advance(num(2000.0)).unwrap();
    assert!(!of_kind(&events, "clientCompleted").is_empty());
    assert_eq!(get(&sim.check().unwrap(), "ok").as_bool(), Some(true));
    let copy = JsSimulation::from_link(s(&sim.to_link()), JsValue::UNDEFINED).unwrap();
    assert_eq!(copy.state_hash(), sim.state_hash());
}

/// A random action with arguments of the right types and plausible values: the cluster may
/// refuse it (a crashed node, no leader, a node already in the config), but never by trapping.
fn plausible_call(sim: &mut JsSimulation, rng: &mut Rng) -> Result<(), JsValue> {
    let node = num(1.0 + rng.below(9) as f64);
    let key = s(rng.pick(&["a", "b", "c"]));
    match rng.below(25) {
        0..=2 => sim.advance(num(rng.below(400) as f64 + 0.25)).map(|_| ()),
        3 => sim.step().map(|_| ()),
        4 => sim.seek(num(sim.now() * (rng.below(100) as f64) / 100.0)),
        5 => sim.crash(node),
        6 => sim.restart(node),
        7 => sim.pause(node),
        8 => sim.resume(node),
        9 => sim.timeout(node),
        10 => sim.partition(arr(&[
            nums(&[1.0, 2.0]),
            nums(&[3.0 + rng.below(3) as f64]),
        ])),
        11 => sim.set_link(
            num(1.0 + rng.below(5) as f64),
            node,
            obj(&[
                ("up", JsValue::from_bool(rng.chance(50))),
                ("latency", num(rng.below(300) as f64)),
                ("loss", num(rng.below(60) as f64)),
                ("dup", num(rng.below(30) as f64)),
            ]),
        ),
        12 => sim.heal(),
        13 => sim.client_put(key, s("v"), JsValue::UNDEFINED),
        14 => sim.client_get(key, JsValue::UNDEFINED),
        15 => sim.client_append(key, s("+"), JsValue::UNDEFINED),
        16 => sim.client_cas(key, JsValue::NULL, s("w"), JsValue::UNDEFINED),
        17 => sim.transfer_leader(node),
        18 => sim.add_server(node),
        19 => sim.add_learner(node),
        20 => sim.remove_server(node),
        21 => sim.compact(node),
        22 => sim.clock_skew(node, num(rng.below(2000) as f64 - 1000.0)),
        23 => sim.set_all_links(obj(&[
            ("latencyMin", num(rng.below(20) as f64)),
            ("latencyMax", num(20.0 + rng.below(200) as f64)),
            ("loss", num(rng.below(40) as f64)),
        ])),
        _ => sim.set_read_mode(s(rng.pick(&["readIndex", "lease", "staleFollower"]))),
    }
}

#[wasm_bindgen_test]
fn random_plausible_actions_are_applied_or_refused_but_never_trap() {
    for seed in [1u64, 2, 3] {
        let mut rng = Rng(seed);
        let mut sim = JsSimulation::new(obj(&[
            ("seed", num(seed as f64)),
            ("nodes", num(3.0 + (seed % 3) as f64 * 2.0)),
            ("clientWriteEveryMs", num(50.0)),
            ("snapshotThreshold", num(30.0)),
        ]))
        .unwrap();
        let mut refused = 0;
        for call in 0..400 {
            if let Err(err) = plausible_call(&mut sim, &mut rng) {
                let (_, message) = error_of(&err);
                assert!(!message.is_empty(), "seed {seed} call {call}");
                refused += 1;
            }
        }
        assert!(refused < 400, "seed {seed}: every call was refused");
        // Whatever happened, the run is still replayable from its link.
        let copy = JsSimulation::from_link(s(&sim.to_link()), JsValue::UNDEFINED).unwrap();
        assert_eq!(copy.state_hash(), sim.state_hash(), "seed {seed}");
        sim.check().unwrap();
    }
}
