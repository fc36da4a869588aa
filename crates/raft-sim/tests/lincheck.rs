//! The linearizability checker accepts histories that have a legal order and rejects the ones
//! that do not (Herlihy & Wing's definition: each op takes effect at one instant between its
//! invocation and its response).

use raft_sim::SortedSet;

use raft_sim::kv::{KvOp, KvResult};
use raft_sim::lincheck::{search, search_limited, HistoryOp, LinChecker, SearchOutcome};

fn put(k: &str, v: &str) -> KvOp {
    KvOp::Put {
        key: k.into(),
        value: v.into(),
    }
}
fn get(k: &str) -> KvOp {
    KvOp::Get { key: k.into() }
}
fn app(k: &str, v: &str) -> KvOp {
    KvOp::Append {
        key: k.into(),
        value: v.into(),
    }
}
fn cas(k: &str, e: Option<&str>, v: &str) -> KvOp {
    KvOp::Cas {
        key: k.into(),
        expected: e.map(Into::into),
        value: v.into(),
    }
}
fn val(v: Option<&str>) -> KvResult {
    KvResult::Value {
        value: v.map(Into::into),
    }
}

fn op(id: u64, call: u64, ret: Option<u64>, op: KvOp, result: Option<KvResult>) -> HistoryOp {
    HistoryOp {
        id,
        client: id,
        call_us: call,
        ret_us: ret,
        op,
        result,
    }
}

fn linearizable(ops: &[HistoryOp]) -> bool {
    match search(&SortedSet::from_iter([(None, ())]), ops) {
        SearchOutcome::Finals(f) => !f.is_empty(),
        SearchOutcome::ManyFinals => true,
        SearchOutcome::GaveUp => panic!("search gave up on a tiny history"),
    }
}

#[test]
fn a_sequential_history_is_linearizable() {
    let h = [
        op(1, 0, Some(10), put("x", "1"), Some(KvResult::Ok)),
        op(2, 20, Some(30), get("x"), Some(val(Some("1")))),
        op(3, 40, Some(50), app("x", "2"), Some(KvResult::Ok)),
        op(4, 60, Some(70), get("x"), Some(val(Some("12")))),
    ];
    assert!(linearizable(&h));
}

#[test]
fn a_read_of_a_value_overwritten_before_the_read_began_is_not_linearizable() {
    // The classic stale read: put 1, put 2 completes, then a later read returns 1.
    let h = [
        op(1, 0, Some(10), put("x", "1"), Some(KvResult::Ok)),
        op(2, 20, Some(30), put("x", "2"), Some(KvResult::Ok)),
        op(3, 40, Some(50), get("x"), Some(val(Some("1")))),
    ];
    assert!(!linearizable(&h));
}

#[test]
fn concurrent_writes_may_be_seen_in_either_order() {
    let h = [
        op(1, 0, Some(100), put("x", "a"), Some(KvResult::Ok)),
        op(2, 10, Some(90), put("x", "b"), Some(KvResult::Ok)),
        op(3, 120, Some(130), get("x"), Some(val(Some("a")))),
    ];
    assert!(linearizable(&h));
    let h2 = [
        h[0].clone(),
        h[1].clone(),
        op(3, 120, Some(130), get("x"), Some(val(Some("b")))),
    ];
    assert!(linearizable(&h2));
}

#[test]
fn two_readers_may_not_see_concurrent_writes_in_opposite_orders_after_both_finish() {
    // Reads after both writes completed must agree with one final value; flipping back is illegal.
    let h = [
        op(1, 0, Some(100), put("x", "a"), Some(KvResult::Ok)),
        op(2, 0, Some(100), put("x", "b"), Some(KvResult::Ok)),
        op(3, 110, Some(120), get("x"), Some(val(Some("a")))),
        op(4, 130, Some(140), get("x"), Some(val(Some("b")))),
    ];
    assert!(!linearizable(&h));
}

#[test]
fn a_read_concurrent_with_a_write_may_return_old_or_new() {
    let base = op(1, 0, Some(10), put("x", "old"), Some(KvResult::Ok));
    let w = op(2, 20, Some(60), put("x", "new"), Some(KvResult::Ok));
    for v in ["old", "new"] {
        let h = [
            base.clone(),
            w.clone(),
            op(3, 30, Some(40), get("x"), Some(val(Some(v)))),
        ];
        assert!(linearizable(&h), "{v}");
    }
    let h = [
        base,
        w,
        op(3, 30, Some(40), get("x"), Some(val(Some("other")))),
    ];
    assert!(!linearizable(&h));
}

#[test]
fn an_append_applied_twice_is_caught() {
    // A retried append that took effect twice shows up as a doubled suffix.
    let h = [
        op(1, 0, Some(50), app("x", "a"), Some(KvResult::Ok)),
        op(2, 60, Some(70), get("x"), Some(val(Some("aa")))),
    ];
    assert!(!linearizable(&h));
}

#[test]
fn cas_results_must_match_the_state_they_saw() {
    let h = [
        op(1, 0, Some(10), put("x", "1"), Some(KvResult::Ok)),
        op(
            2,
            20,
            Some(30),
            cas("x", Some("1"), "2"),
            Some(KvResult::Cas {
                ok: true,
                current: Some("1".into()),
            }),
        ),
        op(
            3,
            40,
            Some(50),
            cas("x", Some("1"), "3"),
            Some(KvResult::Cas {
                ok: false,
                current: Some("2".into()),
            }),
        ),
    ];
    assert!(linearizable(&h));
    let bad = [
        h[0].clone(),
        h[1].clone(),
        op(
            3,
            40,
            Some(50),
            cas("x", Some("1"), "3"),
            Some(KvResult::Cas {
                ok: true,
                current: Some("1".into()),
            }),
        ),
    ];
    assert!(!linearizable(&bad));
}

#[test]
fn a_pending_write_may_or_may_not_have_happened() {
    let pending = op(1, 0, None, put("x", "p"), None);
    let seen = [
        pending.clone(),
        op(2, 10, Some(20), get("x"), Some(val(Some("p")))),
    ];
    assert!(linearizable(&seen));
    let unseen = [
        pending.clone(),
        op(2, 10, Some(20), get("x"), Some(val(None))),
    ];
    assert!(linearizable(&unseen));
    // But once seen, it cannot be un-happened.
    let flip = [
        pending,
        op(2, 10, Some(20), get("x"), Some(val(Some("p")))),
        op(3, 30, Some(40), get("x"), Some(val(None))),
    ];
    assert!(!linearizable(&flip));
}

#[test]
fn the_incremental_checker_carries_possible_states_across_cuts() {
    let mut c = LinChecker::new();
    // Segment 1: two concurrent puts; either may be last.
    c.invoke(1, 1, 0, put("x", "a"));
    c.invoke(2, 2, 0, put("x", "b"));
    assert!(c.complete(1, 50, KvResult::Ok).is_none());
    assert!(c.complete(2, 60, KvResult::Ok).is_none());
    // Segment 2: a read of "a" is fine (a after b) ...
    c.invoke(3, 1, 100, get("x"));
    assert!(c.complete(3, 110, val(Some("a"))).is_none());
    // ... and fixes the state: a later read of "b" is a violation.
    c.invoke(4, 2, 200, get("x"));
    let v = c
        .complete(4, 210, val(Some("b")))
        .expect("flip back to b is not linearizable");
    assert_eq!(v.key, "x");
    assert_eq!(c.violations().len(), 1);
    // Other keys are independent.
    c.invoke(5, 1, 300, put("y", "1"));
    assert!(c.complete(5, 310, KvResult::Ok).is_none());
    assert!(c.segments_checked() >= 4);
}

#[test]
fn the_open_segment_is_checked_with_pending_ops_optional() {
    let mut c = LinChecker::new();
    c.invoke(1, 1, 0, put("x", "1"));
    c.complete(1, 10, KvResult::Ok);
    c.invoke(2, 2, 20, put("x", "2"));
    c.invoke(3, 3, 30, get("x"));
    c.complete(3, 40, val(Some("9")));
    // The segment is not cut (op 2 pends), but check_open sees the impossible read.
    assert!(c.violations().is_empty());
    assert_eq!(c.check_open().len(), 1);
}

#[test]
fn a_long_sequential_history_is_checked_quickly() {
    let mut c = LinChecker::new();
    let mut expect = String::new();
    for i in 0..5_000u64 {
        let v = format!("{}", i % 10);
        c.invoke(2 * i, 1, i * 100, app("k", &v));
        c.invoke(2 * i + 1, 2, i * 100 + 1, get("k"));
        expect.push_str(&v);
        // The read is concurrent with the append, so it may see it or not.
        assert!(c
            .complete(2 * i + 1, i * 100 + 50, val(Some(&expect)))
            .is_none());
        assert!(c.complete(2 * i, i * 100 + 60, KvResult::Ok).is_none());
    }
    assert!(c.check_open().is_empty());
}

#[test]
fn concurrent_appends_between_reads_are_checked_without_tracking_every_order() {
    // Three clients append concurrently; a read every few rounds pins the order down. Between
    // reads the possible orders multiply (6 per round), so the checker keeps the segment open
    // rather than carrying thousands of states, and cuts again once a read decides.
    let mut c = LinChecker::new();
    let mut id = 0;
    let mut expect = String::new();
    for round in 0..40u64 {
        let t = round * 100;
        for client in 0..3u64 {
            c.invoke(id + client, client, t, app("k", &format!("{client}")));
        }
        for client in 0..3u64 {
            assert!(c
                .complete(id + client, t + 50 + client, KvResult::Ok)
                .is_none());
            expect.push_str(&format!("{client}"));
        }
        id += 3;
        if round % 4 == 3 {
            c.invoke(id, 9, t + 60, get("k"));
            assert!(
                c.complete(id, t + 70, val(Some(&expect))).is_none(),
                "round {round}"
            );
            id += 1;
        }
    }
    // A read showing a value no order can produce is caught.
    c.invoke(id, 9, 10_000, get("k"));
    let v = c.complete(id, 10_010, val(Some(&format!("{expect}0"))));
    assert!(v.is_some());
}

/// A segment of one completed op has its own short path; a pending read beside it (which the
/// search drops) sends the same op through the general search. Both must agree, for every kind
/// of op and result, from several start states, with and without a limit on the finals.
#[test]
fn a_lone_completed_op_is_judged_as_the_general_search_judges_it() {
    let starts: [&[Option<&str>]; 4] = [&[None], &[Some("a")], &[None, Some("a"), Some("ab")], &[]];
    let ops = [
        (put("x", "b"), Some(KvResult::Ok)),
        (put("x", "b"), None),
        (app("x", "b"), Some(KvResult::Ok)),
        (get("x"), Some(val(None))),
        (get("x"), Some(val(Some("a")))),
        (get("x"), Some(KvResult::Ok)),
        (
            cas("x", Some("a"), "c"),
            Some(KvResult::Cas {
                ok: true,
                current: Some("a".into()),
            }),
        ),
        (
            cas("x", Some("a"), "c"),
            Some(KvResult::Cas {
                ok: false,
                current: None,
            }),
        ),
        (
            cas("x", None, "c"),
            Some(KvResult::Cas {
                ok: false,
                current: None,
            }),
        ),
        (put("x", "b"), Some(val(None))),
    ];
    let mut compared = 0;
    for start in starts {
        let start: SortedSet<Option<String>> =
            start.iter().map(|s| (s.map(String::from), ())).collect();
        for (kv, result) in &ops {
            // Called after it returned, too: no order can place it.
            for (call, ret) in [(5, 10), (10, 10), (11, 10)] {
                let lone = op(1, call, Some(ret), kv.clone(), result.clone());
                let read = op(2, 0, None, get("x"), None);
                for finals_max in [0, 1, 16, usize::MAX] {
                    let fast = search_limited(&start, std::slice::from_ref(&lone), finals_max);
                    let general = search_limited(&start, &[lone.clone(), read.clone()], finals_max);
                    assert_eq!(
                        fast, general,
                        "{lone:?} from {start:?}, at most {finals_max}"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 4 * 10 * 3 * 4);
}
