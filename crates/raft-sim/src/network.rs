//! The network fault model: a matrix of one-way links, each with its own latency range, loss
//! and duplication. Partitions cut links (one direction or both); heal restores the config.
//! Reordering comes from drawing each message's latency independently from the range.
//!
//! Clients are endpoints of the same network: a request travels the client -> server link and
//! its answer the server -> client link, with that link's latency, loss and duplication, so a
//! partition can cut a client off together with an old leader.

use core::fmt;

use crate::SortedMap;
use raft_core::NodeId;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::rng::{chance_ppm, pct_to_ppm};

/// One end of a link: a server, or a client (written `"c1"` at every boundary, where a server
/// is a plain number, so node-only JSON reads as before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    Node(NodeId),
    Client(u64),
}

impl Endpoint {
    pub fn node(id: u64) -> Endpoint {
        Endpoint::Node(NodeId(id))
    }
}

impl From<NodeId> for Endpoint {
    fn from(n: NodeId) -> Endpoint {
        Endpoint::Node(n)
    }
}

/// A server id compares equal to that server's endpoint.
impl PartialEq<u64> for Endpoint {
    fn eq(&self, id: &u64) -> bool {
        *self == Endpoint::node(*id)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Node(n) => write!(f, "{}", n.0),
            Endpoint::Client(c) => write!(f, "c{c}"),
        }
    }
}

impl Serialize for Endpoint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Endpoint::Node(n) => s.serialize_u64(n.0),
            Endpoint::Client(c) => s.serialize_str(&format!("c{c}")),
        }
    }
}

/// What an endpoint may be written as.
pub const ENDPOINT_EXPECTED: &str = "a server id such as 3, or a client such as \"c1\"";

/// Numbers and `"c1"` names; what else the JSON holds is named in the message.
impl crate::read::Read for Endpoint {
    fn read(value: &crate::json::Value) -> Result<Endpoint, crate::error::SimError> {
        use crate::json::Value;
        let client = |text: &str| {
            text.strip_prefix('c')
                .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|d| d.parse().ok())
                .map(Endpoint::Client)
        };
        let read = match value {
            Value::Number(n) => n.as_u64().map(Endpoint::node).or_else(|| {
                // A whole float (3.0) is that server; JS numbers have no integer type.
                let f = n.as_f64();
                (f >= 0.0 && f.fract() == 0.0 && f < 9.0e15).then(|| Endpoint::node(f as u64))
            }),
            Value::String(text) => client(text),
            _ => return Err(crate::read::invalid_type(value, ENDPOINT_EXPECTED)),
        };
        read.ok_or_else(|| {
            crate::error::SimError::new(
                "",
                format!(
                    "expected {ENDPOINT_EXPECTED}, got {}",
                    crate::read::text(value)
                ),
            )
        })
    }
}

/// serde's decoder, for the types still read by serde that hold an endpoint (the state and
/// trace views): the same reader as above.
impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Endpoint, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        crate::read::Read::read(&(&value).into()).map_err(|e| serde::de::Error::custom(e.message))
    }
}

/// One direction of one link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkState {
    pub up: bool,
    pub latency_us_min: u64,
    pub latency_us_max: u64,
    pub loss_ppm: u32,
    pub dup_ppm: u32,
}

impl LinkState {
    pub fn from_ms(
        up: bool,
        latency_ms_min: f64,
        latency_ms_max: f64,
        loss_pct: f64,
        dup_pct: f64,
    ) -> Self {
        LinkState {
            up,
            latency_us_min: ms_to_us(latency_ms_min),
            latency_us_max: ms_to_us(latency_ms_max),
            loss_ppm: pct_to_ppm(loss_pct),
            dup_ppm: pct_to_ppm(dup_pct),
        }
    }
}

/// Validated milliseconds to whole microseconds: `(ms * 1000.0).round().max(0.0) as u64`
/// (half away from zero, negatives and NaN to 0, saturating), without `f64::round`, which is a
/// libm call on x86-64 and in wasm and cost 1% of a busy run (every `drive` converts the disk
/// latency). The whole part is exact (`as` truncates), and so is the fraction: the two are
/// within a factor of 2 of each other, or the whole part is 0.
pub fn ms_to_us(ms: f64) -> u64 {
    let us = ms * 1000.0;
    let whole = us as u64;
    if us - whole as f64 >= 0.5 {
        whole.saturating_add(1)
    } else {
        whole
    }
}

/// The link as the page sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    pub from: Endpoint,
    pub to: Endpoint,
    pub up: bool,
    pub latency_ms_min: f64,
    pub latency_ms_max: f64,
    pub loss_pct: f64,
    pub dup_pct: f64,
}

/// What happens to one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Dropped(DropReason),
    /// Deliver at this time; maybe a duplicate at another time.
    Deliver {
        at_us: u64,
        duplicate_at_us: Option<u64>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DropReason {
    /// The link was down when the message was sent or when it arrived.
    LinkDown,
    /// Random loss on the link.
    Lost,
    /// The receiver was crashed when the message arrived.
    NodeDown,
    /// Dropped by hand (the `drop` action).
    ByHand,
}

/// The link matrix and the network's own PRNG.
#[derive(Clone, Debug)]
pub struct Network {
    default: LinkState,
    links: SortedMap<(Endpoint, Endpoint), LinkState>,
    rng: ChaCha8Rng,
}

impl Network {
    pub fn new(default: LinkState, rng: ChaCha8Rng) -> Self {
        Network {
            default,
            links: SortedMap::new(),
            rng,
        }
    }

    /// The link between two servers.
    pub fn link(&self, from: u64, to: u64) -> LinkState {
        self.link_between(Endpoint::node(from), Endpoint::node(to))
    }

    pub fn link_between(&self, from: Endpoint, to: Endpoint) -> LinkState {
        self.links.get(&(from, to)).copied().unwrap_or(self.default)
    }

    pub fn set_link(&mut self, from: u64, to: u64, link: LinkState) {
        self.set_link_between(Endpoint::node(from), Endpoint::node(to), link)
    }

    pub fn set_link_between(&mut self, from: Endpoint, to: Endpoint, link: LinkState) {
        if link == self.default {
            self.links.remove(&(from, to));
        } else {
            self.links.insert((from, to), link);
        }
    }

    pub fn is_up(&self, from: u64, to: u64) -> bool {
        self.link(from, to).up
    }

    pub fn is_up_between(&self, from: Endpoint, to: Endpoint) -> bool {
        self.link_between(from, to).up
    }

    /// The settings of every link not set on its own (new nodes' links too).
    pub fn default_link(&self) -> LinkState {
        self.default
    }

    /// Change the settings every link falls back to. Links equal to the new default stop being
    /// stored, so the map only ever holds the exceptions.
    pub fn set_default_link(&mut self, link: LinkState) {
        self.default = link;
        self.links.retain(|_, l| *l != link);
    }

    /// Every link back to the network's settings: the config's, or the last `setAllLinks`.
    pub fn heal(&mut self) {
        self.links.clear();
    }

    /// Links inside a group up, links across groups down (both directions). Nodes in no group
    /// are cut from everyone. Returns the one-way links whose `up` changed.
    pub fn partition(&mut self, nodes: &[u64], groups: &[Vec<u64>]) -> Vec<(u64, u64, bool)> {
        let nodes: Vec<Endpoint> = nodes.iter().map(|&n| Endpoint::node(n)).collect();
        let groups: Vec<Vec<Endpoint>> = groups
            .iter()
            .map(|g| g.iter().map(|&n| Endpoint::node(n)).collect())
            .collect();
        let id = |e: Endpoint| match e {
            Endpoint::Node(n) => n.0,
            Endpoint::Client(_) => unreachable!("only servers were given"),
        };
        self.partition_endpoints(&nodes, &groups)
            .into_iter()
            .map(|(a, b, up)| (id(a), id(b), up))
            .collect()
    }

    /// A partition over servers and clients. Between servers as in `partition` (a server in no
    /// group is cut from every server). A client named in a group reaches exactly the servers
    /// of its group, both ways; a client named nowhere keeps its links as they are, so a
    /// partition of servers alone leaves clients reaching everyone. Returns the one-way links
    /// whose `up` changed, servers' links first.
    pub fn partition_endpoints(
        &mut self,
        nodes: &[Endpoint],
        groups: &[Vec<Endpoint>],
    ) -> Vec<(Endpoint, Endpoint, bool)> {
        let group_of = |e: Endpoint| groups.iter().position(|g| g.contains(&e));
        let mut pairs: Vec<(Endpoint, Endpoint)> = Vec::new();
        for &a in nodes {
            for &b in nodes {
                if a != b {
                    pairs.push((a, b));
                }
            }
        }
        let clients = groups
            .iter()
            .flatten()
            .filter(|e| matches!(e, Endpoint::Client(_)));
        for &c in clients {
            for &n in nodes {
                pairs.push((c, n));
                pairs.push((n, c));
            }
        }
        let mut changed = Vec::new();
        for (a, b) in pairs {
            let up = matches!((group_of(a), group_of(b)), (Some(x), Some(y)) if x == y);
            let mut l = self.link_between(a, b);
            if l.up != up {
                l.up = up;
                self.set_link_between(a, b, l);
                changed.push((a, b, up));
            }
        }
        changed
    }

    /// The links that are down, in key order (what a heal brings back up).
    pub fn down_links(&self) -> Vec<(Endpoint, Endpoint)> {
        // The default link is always up (no action sets `up` on it), so only exceptions are down.
        self.links
            .iter()
            .filter(|(_, l)| !l.up)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Decide the fate of a message sent now between two servers.
    pub fn send(&mut self, from: u64, to: u64, now_us: u64) -> Fate {
        self.send_between(Endpoint::node(from), Endpoint::node(to), now_us)
    }

    /// Decide the fate of a message sent now.
    pub fn send_between(&mut self, from: Endpoint, to: Endpoint, now_us: u64) -> Fate {
        let l = self.link_between(from, to);
        if !l.up {
            return Fate::Dropped(DropReason::LinkDown);
        }
        if chance_ppm(&mut self.rng, l.loss_ppm) {
            return Fate::Dropped(DropReason::Lost);
        }
        let at_us = now_us + self.latency(&l);
        let duplicate_at_us =
            chance_ppm(&mut self.rng, l.dup_ppm).then(|| now_us + self.latency(&l));
        Fate::Deliver {
            at_us,
            duplicate_at_us,
        }
    }

    fn latency(&mut self, l: &LinkState) -> u64 {
        if l.latency_us_max <= l.latency_us_min {
            l.latency_us_min
        } else {
            self.rng.random_range(l.latency_us_min..=l.latency_us_max)
        }
    }

    pub fn view(&self, from: Endpoint, to: Endpoint) -> LinkView {
        let l = self.link_between(from, to);
        LinkView {
            from,
            to,
            up: l.up,
            latency_ms_min: l.latency_us_min as f64 / 1000.0,
            latency_ms_max: l.latency_us_max as f64 / 1000.0,
            loss_pct: f64::from(l.loss_ppm) / 10_000.0,
            dup_pct: f64::from(l.dup_ppm) / 10_000.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::subsystem_rng;

    #[test]
    fn ms_to_us_rounds_as_f64_round_does() {
        let by_round = |ms: f64| (ms * 1000.0).round().max(0.0) as u64;
        let mut cases = vec![
            0.0,
            -0.0,
            0.0005,
            0.0004999,
            0.0015,
            0.0025,
            1.0,
            -0.0004,
            -0.0006,
            -3.5,
            4.999_999_9,
            0.1,
            0.7,
            1e12,
            4_503_599_627_370.496,
            4_503_599_627_370.497,
            9_007_199_254_740.993,
            1e16,
            1.8e16,
            1.9e16,
            1e300,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            0.49999999999999994 / 1000.0,
        ];
        // Every whole and half microsecond near small times, and a spread of odd values.
        cases.extend((0..20_000).map(|i| f64::from(i) * 0.0005));
        let mut rng = subsystem_rng(1, "ms-to-us", 0);
        cases.extend((0..20_000).map(|_| {
            let exp = rand::Rng::random_range(&mut rng, -4..=18);
            rand::Rng::random_range(&mut rng, 0.0..1.0) * 10f64.powi(exp)
        }));
        for ms in cases {
            assert_eq!(ms_to_us(ms), by_round(ms), "{ms:e} ms");
        }
    }

    fn net(loss: f64, dup: f64) -> Network {
        Network::new(
            LinkState::from_ms(true, 5.0, 15.0, loss, dup),
            subsystem_rng(1, "net", 0),
        )
    }

    #[test]
    fn latency_stays_in_range_and_reorders() {
        let mut n = net(0.0, 0.0);
        let mut times = Vec::new();
        for i in 0..200 {
            match n.send(1, 2, i * 10) {
                Fate::Deliver {
                    at_us,
                    duplicate_at_us: None,
                } => {
                    assert!((i * 10 + 5_000..=i * 10 + 15_000).contains(&at_us));
                    times.push(at_us);
                }
                f => panic!("unexpected {f:?}"),
            }
        }
        assert!(
            times.windows(2).any(|w| w[1] < w[0]),
            "independent latencies reorder messages"
        );
    }

    #[test]
    fn a_one_way_cut_drops_only_that_direction() {
        let mut n = net(0.0, 0.0);
        let mut l = n.link(1, 2);
        l.up = false;
        n.set_link(1, 2, l);
        assert_eq!(n.send(1, 2, 0), Fate::Dropped(DropReason::LinkDown));
        assert!(matches!(n.send(2, 1, 0), Fate::Deliver { .. }));
        n.heal();
        assert!(matches!(n.send(1, 2, 0), Fate::Deliver { .. }));
    }

    #[test]
    fn partition_cuts_across_groups_and_isolates_unlisted_nodes() {
        let mut n = net(0.0, 0.0);
        n.partition(&[1, 2, 3, 4, 5], &[vec![1, 2], vec![3, 4]]);
        assert!(n.is_up(1, 2) && n.is_up(2, 1) && n.is_up(3, 4));
        assert!(!n.is_up(1, 3) && !n.is_up(4, 2));
        assert!(!n.is_up(5, 1) && !n.is_up(1, 5));
    }

    #[test]
    fn a_partition_naming_a_client_cuts_it_from_the_other_group_only() {
        let mut n = net(0.0, 0.0);
        let (c1, c2) = (Endpoint::Client(1), Endpoint::Client(2));
        let s = Endpoint::node;
        let nodes = [s(1), s(2), s(3)];
        n.partition_endpoints(&nodes, &[vec![s(1), c1], vec![s(2), s(3)]]);
        assert!(n.is_up_between(c1, s(1)) && n.is_up_between(s(1), c1));
        assert!(!n.is_up_between(c1, s(2)) && !n.is_up_between(s(3), c1));
        assert!(
            n.is_up_between(c2, s(2)) && n.is_up_between(c2, s(1)),
            "c2 named nowhere"
        );
        assert!(!n.is_up(1, 2) && n.is_up(2, 3));
        assert!(matches!(
            n.send_between(c1, s(2), 0),
            Fate::Dropped(DropReason::LinkDown)
        ));
        n.heal();
        assert!(n.is_up_between(c1, s(2)));
    }

    #[test]
    fn endpoints_read_and_write_as_numbers_and_c_names() {
        use crate::read::Read;
        let read = |text: &str| Vec::<Endpoint>::read(&crate::json::parse(text).unwrap());
        let e = read(r#"[3, "c12", 4.0]"#).unwrap();
        assert_eq!(
            e,
            vec![Endpoint::node(3), Endpoint::Client(12), Endpoint::node(4)]
        );
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"[3,"c12",4]"#);
        for (bad, got) in [
            (r#""x1""#, r#"got "x1""#),
            (r#""c""#, r#"got "c""#),
            (r#""c-1""#, r#"got "c-1""#),
            ("-2", "got -2"),
            ("1.5", "got 1.5"),
            ("true", "invalid type: boolean `true`"),
        ] {
            let err = read(&format!("[1, {bad}]")).unwrap_err();
            assert_eq!(err.field, "[1]");
            assert!(err.message.contains("client such as"), "{bad}: {err}");
            assert!(err.message.contains(got), "{bad}: {err}");
        }
    }

    #[test]
    fn loss_and_duplication_happen_at_about_their_rates() {
        let mut n = net(30.0, 20.0);
        let (mut lost, mut dup) = (0, 0);
        for _ in 0..10_000 {
            match n.send(1, 2, 0) {
                Fate::Dropped(DropReason::Lost) => lost += 1,
                Fate::Deliver {
                    duplicate_at_us: Some(_),
                    ..
                } => dup += 1,
                _ => {}
            }
        }
        assert!((2_700..3_300).contains(&lost), "lost {lost}");
        assert!((1_200..1_600).contains(&dup), "dup {dup}");
    }
}
