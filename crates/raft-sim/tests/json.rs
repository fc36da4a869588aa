//! `raft_sim::json` against serde_json, which parsed every input before it: share links and
//! scenarios written then must read back as the same numbers, bit for bit, and a broken text
//! must get the same message at the same place. Each check runs on generated inputs (numbers
//! of every shape, whole documents, documents with one byte broken) and on the repository's
//! own scenarios and lessons.

use raft_sim::json::{self, Number, Value};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The same tree: same kinds, numbers with the same bits, keys in the same order.
fn same(mine: &Value, theirs: &serde_json::Value) -> bool {
    use serde_json::Value as S;
    match (mine, theirs) {
        (Value::Null, S::Null) => true,
        (Value::Bool(a), S::Bool(b)) => a == b,
        (Value::Number(n), S::Number(m)) => match n {
            Number::U64(a) => m.is_u64() && m.as_u64() == Some(*a),
            Number::I64(a) => m.is_i64() && !m.is_u64() && m.as_i64() == Some(*a),
            Number::F64(a) => m.is_f64() && m.as_f64().map(f64::to_bits) == Some(a.to_bits()),
        },
        (Value::String(a), S::String(b)) => a == b,
        (Value::Array(a), S::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), S::Object(b)) => {
            a.len() == b.len()
                && a.into_iter()
                    .zip(b)
                    .all(|((k, x), (l, y))| k == l && same(x, y))
        }
        _ => false,
    }
}

/// Parse `text` both ways and require the same value, or the same message.
fn check(text: &str) {
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (json::parse(text), theirs) {
        (Ok(mine), Ok(theirs)) => assert!(
            same(&mine, &theirs),
            "{text:?}: {mine:?} but serde_json read {theirs:?}"
        ),
        (Err(mine), Err(theirs)) => assert_eq!(mine.to_string(), theirs.to_string(), "{text:?}"),
        (mine, theirs) => panic!("{text:?}: {mine:?} but serde_json gave {theirs:?}"),
    }
}

/// Between `counts.start` and `counts.end - 1` random digits.
fn digits(rng: &mut ChaCha8Rng, counts: std::ops::Range<usize>) -> String {
    (0..rng.random_range(counts))
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// One number in one of the shapes inputs have, or could have.
fn number(rng: &mut ChaCha8Rng) -> String {
    let sign = if rng.random_bool(0.3) { "-" } else { "" };
    match rng.random_range(0..9) {
        // Times and rates as the page writes them.
        0 => format!(
            "{sign}{}.{}",
            rng.random_range(0..100_000u32),
            digits(rng, 1..7)
        ),
        // Whole numbers around the u64 and i64 limits and below.
        1 => format!("{sign}{}", rng.random::<u64>() >> rng.random_range(0..64)),
        2 => format!("{sign}{}", u64::MAX - rng.random_range(0..3u64)),
        // Long mantissas, with the point anywhere: digits beyond a u64 are dropped or scale.
        3 => {
            let d = digits(rng, 15..40);
            let point = rng.random_range(0..d.len());
            let int = d[..point].trim_start_matches('0');
            let int = if int.is_empty() { "0" } else { int };
            format!("{sign}{int}.{}", &d[point..])
        }
        4 => format!("{sign}{}{}", rng.random_range(1..10u8), digits(rng, 18..30)),
        // Exponents of every size, both ways, up to past the double range.
        5 => format!(
            "{sign}{}{}{}e{}{}",
            rng.random_range(1..10u8),
            if rng.random_bool(0.5) { "." } else { "" },
            digits(rng, 1..20),
            ["", "+", "-"][rng.random_range(0..3)],
            rng.random_range(0..400u32)
        ),
        // The shortest text of a random double (what serde_json writes), and its `{:e}` form.
        6 => {
            let f = f64::from_bits(rng.random::<u64>());
            if f.is_finite() {
                serde_json::to_string(&f).unwrap()
            } else {
                "0".into()
            }
        }
        7 => {
            let f = f64::from_bits(rng.random::<u64>());
            if f.is_finite() {
                format!("{f:e}")
            } else {
                "1e0".into()
            }
        }
        // Anything made of number characters, most of it malformed.
        _ => (0..rng.random_range(1..12))
            .map(|_| char::from(b"0123456789.-+eE"[rng.random_range(0..15)]))
            .collect(),
    }
}

#[test]
fn numbers_read_as_serde_json_read_them() {
    let edges = [
        "0",
        "-0",
        "-0.0",
        "0.0",
        "00",
        "01",
        "1.",
        "1.e5",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "1E-0",
        "18446744073709551615",
        "18446744073709551616",
        "18446744073709551615.5",
        "184467440737095516150.5",
        "-9223372036854775808",
        "-9223372036854775809",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "1e309",
        "0e999999",
        "0e99999999999",
        "1e-99999999999",
        "-1e99999999999",
        "1e2147483647",
        "1e2147483648",
        "1e-2147483648",
        "5e-324",
        "2e-324",
        "4.9406564584124654e-324",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "1e-400",
        "123456789012345678901234567890e-400",
        "0.1",
        "0.3",
        "9007199254740993",
        "9007199254740993.0",
        "1.5",
        "3.0",
    ];
    for text in edges {
        check(text);
        check(&format!("[{text}]"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    for _ in 0..400_000 {
        let text = number(&mut rng);
        check(&text);
    }
}

/// A random document: nested lists and objects of numbers, strings with escapes and
/// non-ASCII text, and the three words.
fn document(rng: &mut ChaCha8Rng, depth: u32) -> serde_json::Value {
    use serde_json::Value as S;
    let leaf = depth == 0 || rng.random_bool(0.4);
    match rng.random_range(0..if leaf { 5 } else { 7 }) {
        0 => S::Null,
        1 => S::Bool(rng.random()),
        2 => serde_json::from_str(&number(rng)).unwrap_or(S::Null),
        3 | 4 => S::String(text(rng)),
        5 => S::Array(
            (0..rng.random_range(0..5))
                .map(|_| document(rng, depth - 1))
                .collect(),
        ),
        _ => S::Object(
            (0..rng.random_range(0..5))
                .map(|_| (text(rng), document(rng, depth - 1)))
                .collect(),
        ),
    }
}

fn text(rng: &mut ChaCha8Rng) -> String {
    const PIECES: [&str; 12] = [
        "a", "type", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "Ω", "😀", "c12",
    ];
    (0..rng.random_range(0..6))
        .map(|_| PIECES[rng.random_range(0..PIECES.len())])
        .collect()
}

/// `text` with one change that may break it: a byte removed, a JSON character put in, or the
/// end cut off (on character boundaries, so it stays a `&str`).
fn broken(rng: &mut ChaCha8Rng, text: &str) -> String {
    let bounds: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let at = bounds[rng.random_range(0..bounds.len())];
    let mut out = text.to_string();
    match rng.random_range(0..3) {
        0 if at < text.len() => {
            out.remove(at);
        }
        1 => {
            const PUT: &[u8] = b"{}[]\",:\\ \n0123456789.-+eEtrufalsn\x01uD8DCx";
            out.insert(at, char::from(PUT[rng.random_range(0..PUT.len())]));
        }
        _ => out.truncate(at),
    }
    out
}

#[test]
fn documents_and_broken_documents_read_as_serde_json_read_them() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    for i in 0..30_000 {
        let doc = document(&mut rng, 5);
        let text = if i % 2 == 0 {
            serde_json::to_string(&doc).unwrap()
        } else {
            serde_json::to_string_pretty(&doc).unwrap()
        };
        check(&text);
        for _ in 0..4 {
            check(&broken(&mut rng, &text));
        }
    }
    // Escapes, surrogate pairs and their broken forms; repeated keys (the last one is kept).
    for text in [
        r#""\u00e9\ud83d\ude00\/\b\f\n\r\t""#,
        r#""\ud83d""#,
        r#""\ud83d\u0041""#,
        r#""\ude00""#,
        r#""\ud83dx""#,
        r#""\ud83d\x""#,
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\q""#,
        "\"a\u{1}\"",
        r#"{"b": 1, "a": 2, "b": [3]}"#,
        "  [1, 2 ,3 ]  ",
        "[1,]",
        "{\"a\":1,}",
        "{,}",
        "{1:2}",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}",
        "nul",
        "nulx",
        "[tru]",
        "\"abc",
        "[",
        "{",
        "{\"a\"",
        "1 2",
        "\u{feff}1",
    ] {
        check(text);
    }
}

#[test]
fn nesting_stops_where_serde_json_stops() {
    for depth in [126, 127, 128, 129, 1000] {
        check(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        check(&format!(
            "{}1{}",
            "[{\"a\":".repeat(depth / 2),
            "}]".repeat(depth / 2)
        ));
    }
}

#[test]
fn a_repeated_key_keeps_its_last_value_as_serde_json_kept_it() {
    check(r#"{"b":1,"a":2,"b":3}"#);
    check(r#"{"c":1,"b":2,"a":3,"b":4,"c":5,"a":6,"a":7}"#);
    check(r#"{"a":{"x":1,"x":2},"a":{"y":[1,2],"x":0}}"#);
    let Value::Object(map) = json::parse(r#"{"z":1,"y":2,"z":3}"#).unwrap() else {
        panic!("an object")
    };
    assert_eq!(
        map.keys().map(String::as_str).collect::<Vec<_>>(),
        ["y", "z"]
    );
    assert_eq!(map.get("z").and_then(Value::as_u64), Some(3));
}

/// A link has room for about 100,000 short keys in one object, and `fromScenario` and `apply`
/// take any size. Built by inserting each key in its sorted place, keys in descending order
/// took time quadratic in their number: 19 s natively for 100,000 (5·10⁹ moves of a pair),
/// longer in the wasm, a frozen tab; 400,000 here would take five minutes. Built by one sort
/// it takes about a second in a debug build, so the half minute allowed only turns a hang
/// into a failure.
#[test]
fn an_object_with_400_000_keys_in_descending_order_parses_without_a_hang() {
    let n = 400_000;
    let body: Vec<String> = (0..n).rev().map(|i| format!("\"k{i:06}\":{i}")).collect();
    let text = format!("{{{}}}", body.join(","));
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(json::parse(&text)).unwrap());
    let parsed = wait
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("parsing 400,000 keys in descending order took over 30 s: quadratic?")
        .unwrap();
    let Value::Object(map) = parsed else {
        panic!("an object")
    };
    assert_eq!(map.len(), n);
    assert_eq!(map.keys().next().map(String::as_str), Some("k000000"));
    assert_eq!(map.get("k399999").and_then(Value::as_u64), Some(399_999));
}

#[test]
fn the_repositorys_own_inputs_read_as_serde_json_read_them() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for dir in ["scenarios", "../../web/lessons"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                check(&std::fs::read_to_string(&path).unwrap());
                seen += 1;
            }
        }
    }
    assert!(seen >= 7, "only {seen} JSON files found");
    // And a share link's text, with its times and rates.
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    for _ in 0..2000 {
        let at = f64::from(rng.next_u32() % 600_000) / 1000.0 * 1.1;
        check(&format!(
            r#"{{"atMs":{at},"action":{{"type":"setLink","from":1,"to":2,"lossPct":{}}}}}"#,
            rng.random::<f64>() * 100.0
        ));
    }
}
