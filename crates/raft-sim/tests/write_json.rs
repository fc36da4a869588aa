//! Every JSON text the simulator writes goes through its own writer (`src/write.rs`), not
//! serde_json (which left the wasm with it). These tests hold that writer to serde_json's text
//! for the same values through the types' derived `Serialize`: every action of every type
//! drawn at random, scenarios, configs, every kind of trace event and of its reasons, log
//! commands and snapshots, the checkers' verdict, clients and messages in flight, floats and
//! strings.

use raft_core::{
    AppendRejectReason, DenyReason, LogIndex, NextIndexReason, Role, RoleReason, Term,
    TransferAbortReason,
};
use raft_sim::action::ACTION_TYPES;
use raft_sim::client::SendReason;
use raft_sim::kv::{Command, KvOp, KvResult, KvStore, Session};
use raft_sim::network::{DropReason, Endpoint};
use raft_sim::trace::{MsgSummary, RefusalReason, TraceEvent};
use raft_sim::write::{self, WriteJson};
use raft_sim::{Action, NodeId, Scenario, SimConfig, Simulation, TimedAction};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Ours and serde_json's text for `value`, which must be the same.
fn same<T: WriteJson + Serialize + std::fmt::Debug + ?Sized>(value: &T) {
    let ours = write::to_string(value);
    let serde = serde_json::to_string(value).unwrap();
    assert_eq!(ours, serde, "{value:?}");
}

/// Strings with every kind of character JSON escapes or passes through.
const TEXTS: [&str; 6] = [
    "",
    "plain",
    "q\"b\\c/",
    "\n\r\t\u{8}\u{c}\u{0}\u{1}\u{1f}\u{1b}",
    "\u{7f}é€😀\u{2028}",
    "mixed \"x\"\n\u{7}end",
];

fn random_text(rng: &mut ChaCha8Rng) -> String {
    let len = rng.random_range(0..12);
    (0..len)
        .map(|_| match rng.random_range(0..5) {
            0 => char::from(rng.random_range(0u8..0x20)),
            1 => ['"', '\\', '/', '\u{7f}'][rng.random_range(0..4)],
            2 => ['é', '€', '😀', '\u{2028}', '\u{ffff}'][rng.random_range(0..5)],
            _ => char::from(rng.random_range(0x20u8..0x7f)),
        })
        .collect()
}

/// Doubles of every shape: whole thousandths (the hand-written shortcut), around its limits,
/// negative, tiny, huge, random bits, not finite.
fn random_float(rng: &mut ChaCha8Rng) -> f64 {
    match rng.random_range(0..8) {
        0 => rng.random_range(0u64..100_000_000) as f64 / 1000.0,
        1 => rng.random_range(0u64..2_000_000_000_000_000) as f64 / 1000.0,
        2 => -(rng.random_range(0u64..1_000_000) as f64) / 1000.0,
        3 => rng.random_range(-1e3..1e3),
        4 => f64::from_bits(rng.random()),
        5 => 10f64.powi(rng.random_range(-320..309)) * rng.random_range(1.0..10.0),
        6 => [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e15,
            1e16,
        ][rng.random_range(0..7)],
        _ => rng.random_range(0u64..1 << 53) as f64 / 1024.0,
    }
}

#[test]
fn floats_strings_and_numbers_are_written_as_serde_json_writes_them() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for _ in 0..300_000 {
        same(&random_float(&mut rng));
    }
    for x in [
        0.1 + 0.2,
        1e-7,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        999_999_999_999.999,
        1_000_000_000_000.0,
        0.0075,
        2.5e20,
    ] {
        same(&x);
        same(&-x);
    }
    for text in TEXTS {
        same(text);
    }
    for _ in 0..20_000 {
        same(&random_text(&mut rng));
    }
    // Every single character below 0x80 and a few above.
    for c in (0u32..0x80).chain([0xa0, 0x2028, 0xfeff, 0x1f600]) {
        same(&char::from_u32(c).unwrap().to_string());
    }
    for n in [0, 1, 9, 10, 99, 100, u64::MAX / 10, u64::MAX] {
        same(&n);
    }
    for n in [0i64, -1, 1, i64::MIN, i64::MAX] {
        same(&n);
    }
    same(&vec![true, false]);
    same(&Vec::<u64>::new());
    same(&vec![Some(NodeId(3)), None]);
}

/// A simulation under random actions of every type (each drawn by the fuzzers' generator, so
/// many are refused), with its actions, events, clients, verdict and messages in flight held to
/// serde's text as it goes; returns the event kinds seen.
fn busy_run(seed: u64, config: SimConfig) -> std::collections::BTreeSet<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sim = Simulation::new(config).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    let check = |events: &[TraceEvent], kinds: &mut std::collections::BTreeSet<String>| {
        for ev in events {
            let mut ours = Vec::new();
            ev.write_json(&mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(ev).unwrap(),
                "{ev:?}"
            );
            let value = serde_json::to_value(ev).unwrap();
            kinds.insert(value["kind"].as_str().unwrap().to_string());
        }
        same(events);
    };
    for step in 0..120 {
        let tag = ACTION_TYPES[rng.random_range(0..ACTION_TYPES.len())];
        let action = Action::generate(tag, sim.world(), &mut rng).unwrap();
        same(&action);
        let _ = sim.apply(action);
        let events = sim.advance(rng.random_range(1.0..400.0)).unwrap();
        check(&events, &mut kinds);
        if step % 10 == 0 {
            same(&sim.pending());
            same(&sim.check());
            for c in sim.world().clients.values() {
                same(&c.view());
            }
            same(&sim.scenario());
            same(sim.recorded_scenario());
        }
    }
    kinds
}

#[test]
fn random_actions_and_their_events_are_written_as_serde_json_writes_them() {
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..12 {
        let mut config = raft_sim::fuzz::fuzz_config(seed, &raft_sim::fuzz::FuzzOptions::default());
        config.clients = 1 + seed % 3;
        config.client_write_every_ms = 30;
        config.snapshot_threshold = if seed % 2 == 0 { 20 } else { 0 };
        if seed % 3 == 0 {
            config.bugs = vec!["commit-old-term".into(), "stale-read".into()];
        }
        same(&config);
        kinds.extend(busy_run(seed, config));
    }
    for kind in [
        "msgSent",
        "msgDelivered",
        "msgDropped",
        "msgDuplicated",
        "roleChanged",
        "voteGranted",
        "voteDenied",
        "appendRejected",
        "entriesAppended",
        "entriesTruncated",
        "nextIndexMoved",
        "commitAdvanced",
        "applied",
        "snapshotTaken",
        "snapshotSent",
        "snapshotInstalled",
        "confChanged",
        "clientInvoked",
        "clientSent",
        "clientCompleted",
        "clientMsgDropped",
        "nodeCrashed",
        "nodeRestarted",
        "nodePaused",
        "nodeResumed",
        "linkChanged",
        "action",
    ] {
        assert!(kinds.contains(kind), "no {kind} event: {kinds:?}");
    }
}

/// Every event kind and every variant of the enums they hold, built by hand with odd values.
fn every_kind_of_event(at_ms: f64, text: &str) -> Vec<TraceEvent> {
    let n = NodeId(u64::MAX);
    let (i, t) = (LogIndex(7), Term(u64::MAX));
    let role_reasons = vec![
        RoleReason::ElectionTimeout { timeout_ms: 150 },
        RoleReason::ForcedCampaign,
        RoleReason::TimeoutNow { from: n },
        RoleReason::PreVoteWon,
        RoleReason::WonElection {
            votes: vec![NodeId(1), NodeId(2)],
        },
        RoleReason::LostElection { rejections: vec![] },
        RoleReason::HigherTerm { from: n, term: t },
        RoleReason::LeaderDiscovered { leader: n },
        RoleReason::LostQuorum { active: 2 },
        RoleReason::RemovedFromConfig,
    ];
    let deny_reasons = vec![
        DenyReason::AlreadyVoted {
            voted_for: n,
            term: t,
        },
        DenyReason::HasLeader { leader: n },
        DenyReason::LogBehind {
            candidate_last_term: t,
            candidate_last_index: i,
            last_term: Term(0),
            last_index: LogIndex(0),
        },
        DenyReason::StaleTerm {
            candidate_term: t,
            term: t,
        },
        DenyReason::IsLeader { term: t },
        DenyReason::LeaderSticky {
            leader: n,
            heard_ms_ago: 3,
        },
        DenyReason::RecentlyStarted { wait_ms: 0 },
    ];
    let next_reasons = [
        NextIndexReason::Acked,
        NextIndexReason::Hint {
            reject_hint: i,
            hint_term: t,
        },
        NextIndexReason::OneStep,
        NextIndexReason::BackToMatch {
            rejected: i,
            matched: i,
        },
        NextIndexReason::SnapshotAnswered { index: i },
        NextIndexReason::Probe,
    ];
    let mut events = Vec::new();
    for (k, reason) in role_reasons.into_iter().enumerate() {
        events.push(TraceEvent::RoleChanged {
            at_ms,
            node: n,
            from: [Role::Follower, Role::PreCandidate][k % 2],
            to: [Role::Candidate, Role::Leader][k % 2],
            term: t,
            reason,
        });
    }
    for (k, reason) in deny_reasons.into_iter().enumerate() {
        events.push(TraceEvent::VoteDenied {
            at_ms,
            node: n,
            to: NodeId(1),
            term: t,
            pre_vote: k % 2 == 0,
            reason,
        });
    }
    for reason in next_reasons {
        events.push(TraceEvent::NextIndexMoved {
            at_ms,
            node: n,
            peer: NodeId(2),
            from: i,
            to: LogIndex(1),
            reason,
        });
    }
    for reason in [
        AppendRejectReason::LogTooShort { last_index: i },
        AppendRejectReason::TermMismatch { term: t },
    ] {
        events.push(TraceEvent::AppendRejected {
            at_ms,
            node: n,
            leader: NodeId(1),
            prev_index: i,
            prev_term: t,
            reason,
            hint: i,
            hint_term: t,
        });
    }
    for reason in [
        TransferAbortReason::Timeout,
        TransferAbortReason::SteppedDown,
        TransferAbortReason::Replaced,
        TransferAbortReason::TargetRemoved,
    ] {
        events.push(TraceEvent::TransferAborted {
            at_ms,
            node: n,
            to: NodeId(0),
            reason,
        });
    }
    for reason in [
        DropReason::LinkDown,
        DropReason::Lost,
        DropReason::NodeDown,
        DropReason::ByHand,
    ] {
        events.push(TraceEvent::MsgDropped {
            at_ms,
            id: 1,
            msg_type: text.to_string().into(),
            from: n,
            to: NodeId(1),
            reason,
        });
        events.push(TraceEvent::ClientMsgDropped {
            at_ms,
            client: 3,
            node: n,
            op_id: u64::MAX,
            attempt: u32::MAX,
            reply: true,
            reason,
        });
    }
    for reason in [
        SendReason::First,
        SendReason::Redirected {
            from: n,
            hint: None,
        },
        SendReason::Redirected {
            from: n,
            hint: Some(NodeId(2)),
        },
        SendReason::TimedOut { from: n },
    ] {
        events.push(TraceEvent::ClientSent {
            at_ms,
            client: 1,
            op_id: 2,
            attempt: 3,
            to: n,
            reason,
        });
    }
    for op in kv_ops(text) {
        events.push(TraceEvent::ClientInvoked {
            at_ms,
            client: 1,
            op_id: 0,
            op,
        });
    }
    for result in kv_results(text) {
        events.push(TraceEvent::ClientCompleted {
            at_ms,
            client: 1,
            op_id: 9,
            result,
            served_by: n,
        });
    }
    for reason in [
        RefusalReason::IndexBeyondLog {
            index: i,
            last_index: LogIndex(0),
        },
        RefusalReason::UnknownSender,
        RefusalReason::Malformed {
            detail: text.into(),
        },
    ] {
        events.push(TraceEvent::MsgRefused {
            at_ms,
            node: n,
            from: NodeId(1),
            msg_type: text.to_string().into(),
            reason,
        });
    }
    events.extend([
        TraceEvent::MsgSent {
            at_ms,
            id: u64::MAX,
            msg_type: text.to_string().into(),
            from: n,
            to: NodeId(0),
            term: t,
            summary: MsgSummary::Text(text.into()),
            deliver_at_ms: -at_ms,
        },
        TraceEvent::MsgDelivered {
            at_ms,
            id: 0,
            msg_type: text.to_string().into(),
            from: NodeId(0),
            to: n,
            term: Term(0),
        },
        TraceEvent::VoteGranted {
            at_ms,
            node: n,
            to: NodeId(1),
            term: t,
            pre_vote: true,
        },
        TraceEvent::VoteGranted {
            at_ms,
            node: NodeId(1),
            to: n,
            term: Term(0),
            pre_vote: false,
        },
        TraceEvent::EntriesAppended {
            at_ms,
            node: n,
            from: LogIndex(0),
            to: LogIndex(u64::MAX),
        },
        TraceEvent::CommitAdvanced {
            at_ms,
            node: n,
            from: i,
            to: LogIndex(u64::MAX),
        },
        TraceEvent::MsgDuplicated {
            at_ms,
            id: 1,
            copy_id: 2,
            deliver_at_ms: at_ms * 3.0,
        },
        TraceEvent::EntriesTruncated {
            at_ms,
            node: n,
            from: i,
            to: i,
            conflict_term: t,
        },
        TraceEvent::SnapshotTaken {
            at_ms,
            node: n,
            index: i,
            term: t,
        },
        TraceEvent::SnapshotSent {
            at_ms,
            node: n,
            to: NodeId(1),
            index: i,
            needed: LogIndex(1),
            first_index: LogIndex(2),
        },
        TraceEvent::SnapshotInstalled {
            at_ms,
            node: n,
            index: i,
            term: t,
        },
        TraceEvent::ConfChanged {
            at_ms,
            node: n,
            voters: vec![NodeId(1), NodeId(2)],
            learners: vec![],
            voters_outgoing: vec![n],
            joint: true,
        },
        TraceEvent::TransferStarted {
            at_ms,
            node: n,
            to: NodeId(4),
        },
        TraceEvent::NodeCrashed { at_ms, node: n },
        TraceEvent::NodeRestarted { at_ms, node: n },
        TraceEvent::NodePaused { at_ms, node: n },
        TraceEvent::NodeResumed { at_ms, node: n },
        TraceEvent::LinkChanged {
            at_ms,
            from: Endpoint::Client(u64::MAX),
            to: Endpoint::Node(n),
            up: false,
        },
        TraceEvent::Violation {
            at_ms,
            property: text.into(),
            nodes: vec![NodeId(1)],
            index: None,
            detail: text.into(),
        },
        TraceEvent::Violation {
            at_ms,
            property: "electionSafety".into(),
            nodes: vec![],
            index: Some(i),
            detail: String::new(),
        },
        TraceEvent::Action {
            at_ms,
            action: Action::Heal(raft_sim::action::Heal {}),
        },
        TraceEvent::Applied {
            at_ms,
            node: n,
            index: i,
        },
    ]);
    events
}

fn kv_ops(text: &str) -> Vec<KvOp> {
    vec![
        KvOp::Put {
            key: text.into(),
            value: "v".into(),
        },
        KvOp::Get { key: text.into() },
        KvOp::Append {
            key: "k".into(),
            value: text.into(),
        },
        KvOp::Cas {
            key: text.into(),
            expected: None,
            value: text.into(),
        },
        KvOp::Cas {
            key: "k".into(),
            expected: Some(text.into()),
            value: String::new(),
        },
    ]
}

fn kv_results(text: &str) -> Vec<KvResult> {
    vec![
        KvResult::Ok,
        KvResult::Value { value: None },
        KvResult::Value {
            value: Some(text.into()),
        },
        KvResult::Cas {
            ok: true,
            current: None,
        },
        KvResult::Cas {
            ok: false,
            current: Some(text.into()),
        },
    ]
}

#[test]
fn every_kind_of_event_and_reason_is_written_as_serde_json_writes_it() {
    for at_ms in [
        0.0,
        0.001,
        1.5,
        1e12,
        123_456_789.123,
        f64::NAN,
        1e300,
        -0.0,
    ] {
        for text in TEXTS {
            let events = every_kind_of_event(at_ms, text);
            for ev in &events {
                same(ev);
            }
            assert_eq!(
                raft_sim::trace::trace_json(&events),
                serde_json::to_string(&events).unwrap()
            );
        }
    }
}

#[test]
fn log_commands_and_snapshots_are_serde_s_bytes() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..2_000 {
        let text = random_text(&mut rng);
        for op in kv_ops(&text) {
            let cmd = Command {
                client: rng.random(),
                seq: rng.random_range(0..1000),
                op,
            };
            assert_eq!(cmd.encode(), serde_json::to_vec(&cmd).unwrap());
        }
        let mut store = KvStore::default();
        assert_eq!(store.to_snapshot(), serde_json::to_vec(&store).unwrap());
        for _ in 0..rng.random_range(0..5) {
            store
                .data
                .insert(random_text(&mut rng), random_text(&mut rng));
        }
        assert_eq!(store.to_snapshot(), serde_json::to_vec(&store).unwrap());
        for result in kv_results(&text) {
            store.sessions.insert(
                rng.random(),
                Session {
                    last_seq: rng.random(),
                    last_result: result,
                },
            );
        }
        assert_eq!(store.to_snapshot(), serde_json::to_vec(&store).unwrap());
    }
}

#[test]
fn scenarios_and_configs_are_written_as_serde_json_writes_them() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let sim = Simulation::new(SimConfig::default()).unwrap();
    for seed in 0..300 {
        let mut config = raft_sim::fuzz::fuzz_config(seed, &raft_sim::fuzz::FuzzOptions::default());
        config.latency_ms_min = random_float(&mut rng);
        config.loss_pct = random_float(&mut rng);
        config.bugs = (0..rng.random_range(0..3))
            .map(|_| random_text(&mut rng))
            .collect();
        if seed % 2 == 0 {
            config.delivery = raft_sim::Delivery::Manual;
        }
        same(&config);
        let mut scenario = Scenario::new(config);
        scenario.title = (seed % 3 == 0).then(|| random_text(&mut rng));
        scenario.end_ms = (seed % 4 == 0).then(|| random_float(&mut rng));
        scenario.liveness = (seed % 5 == 0).then(|| raft_sim::scenario::LivenessCheck {
            from_ms: random_float(&mut rng),
            bound_ms: 5.0,
        });
        for _ in 0..rng.random_range(0..20) {
            let tag = ACTION_TYPES[rng.random_range(0..ACTION_TYPES.len())];
            scenario.actions.push(TimedAction {
                at_ms: random_float(&mut rng),
                action: Action::generate(tag, sim.world(), &mut rng).unwrap(),
            });
        }
        same(&scenario);
        assert_eq!(
            scenario.to_json(),
            serde_json::to_string(&scenario).unwrap()
        );
    }
}
