//! Trace events built from columns (`raft_wasm::columns`, `columns.js`) are the objects
//! `JSON.parse` makes of the trace's JSON: same kinds, keys, key order and values. Compared as
//! the texts `JSON.stringify` writes of both, over busy runs and hand-made edge cases.
#![cfg(target_arch = "wasm32")]

use raft_core::{LogIndex, NodeId, Term};
use raft_sim::{SimConfig, Simulation, TraceEvent};
use raft_wasm::columns::Columns;
use wasm_bindgen_test::wasm_bindgen_test;

fn assert_same_objects(events: &[TraceEvent]) {
    let built = Columns::new(events).to_js("test").unwrap();
    let parsed = js_sys::JSON::parse(&raft_sim::trace::trace_json(events)).unwrap();
    let text = |v| String::from(js_sys::JSON::stringify(&v).unwrap());
    let (built, parsed) = (text(built), text(parsed));
    assert!(built == parsed, "built {built:.400}\nparsed {parsed:.400}");
}

#[wasm_bindgen_test]
fn busy_faulty_runs_cross_as_json_would() {
    let configs = [
        SimConfig {
            clients: 2,
            client_write_every_ms: 20,
            loss_pct: 5.0,
            dup_pct: 5.0,
            ..SimConfig::default()
        },
        SimConfig {
            nodes: 5,
            client_write_every_ms: 20,
            snapshot_threshold: 50,
            ..SimConfig::default()
        },
    ];
    for config in configs {
        let mut sim = Simulation::new(config).unwrap();
        let events = sim.advance(5_000.0).unwrap();
        assert!(events.len() > 1_000, "{} events", events.len());
        assert_same_objects(&events);
        // A later call, and one with no events, start afresh.
        assert_same_objects(&sim.advance(500.0).unwrap());
        assert_same_objects(&[]);
    }
}

#[wasm_bindgen_test]
fn odd_names_summaries_and_times_cross_as_json_would() {
    let big = u64::MAX;
    let mut events = Vec::new();
    for at_ms in [0.0, 0.001, 1e12, 123_456_789.123, f64::NAN, f64::INFINITY] {
        for text in ["", "plain", "q\"b\\c\n\u{0}é", "日本 𝄞 summary"] {
            events.push(TraceEvent::MsgSent {
                at_ms,
                id: big,
                msg_type: text.to_string().into(),
                from: NodeId(1),
                to: NodeId(big),
                term: Term(0),
                summary: text.into(),
                deliver_at_ms: at_ms * 2.0,
            });
            events.push(TraceEvent::MsgDelivered {
                at_ms,
                id: 0,
                msg_type: text.to_string().into(),
                from: NodeId(0),
                to: NodeId(9),
                term: Term(big),
            });
            events.push(TraceEvent::Applied {
                at_ms,
                node: NodeId(2),
                index: LogIndex(big),
            });
            events.push(TraceEvent::NodeCrashed {
                at_ms,
                node: NodeId(3),
            });
        }
    }
    assert_same_objects(&events);
}
