//! The network fault model: a matrix of one-way links, each with its own latency range, loss
//! and duplication. Partitions cut links (one direction or both); heal restores the config.
//! Reordering comes from drawing each message's latency independently from the range.

use crate::SortedMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::rng::{chance_ppm, pct_to_ppm};

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

/// Validated milliseconds to whole microseconds.
pub fn ms_to_us(ms: f64) -> u64 {
    (ms * 1000.0).round().max(0.0) as u64
}

/// The link as the page sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    pub from: u64,
    pub to: u64,
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
    /// Dropped by hand (the `dropMessage` action).
    ByHand,
}

/// The link matrix and the network's own PRNG.
#[derive(Clone, Debug)]
pub struct Network {
    default: LinkState,
    links: SortedMap<(u64, u64), LinkState>,
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

    pub fn link(&self, from: u64, to: u64) -> LinkState {
        self.links.get(&(from, to)).copied().unwrap_or(self.default)
    }

    pub fn set_link(&mut self, from: u64, to: u64, link: LinkState) {
        if link == self.default {
            self.links.remove(&(from, to));
        } else {
            self.links.insert((from, to), link);
        }
    }

    pub fn is_up(&self, from: u64, to: u64) -> bool {
        self.link(from, to).up
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
        let group_of = |n: u64| groups.iter().position(|g| g.contains(&n));
        let mut changed = Vec::new();
        for &a in nodes {
            for &b in nodes {
                if a == b {
                    continue;
                }
                let up = matches!((group_of(a), group_of(b)), (Some(x), Some(y)) if x == y);
                let mut l = self.link(a, b);
                if l.up != up {
                    l.up = up;
                    self.set_link(a, b, l);
                    changed.push((a, b, up));
                }
            }
        }
        changed
    }

    /// Decide the fate of a message sent now.
    pub fn send(&mut self, from: u64, to: u64, now_us: u64) -> Fate {
        let l = self.link(from, to);
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

    /// A latency draw for a message that does not travel between nodes (client traffic).
    pub fn client_latency_us(&mut self) -> u64 {
        let l = self.default;
        self.latency(&l)
    }

    fn latency(&mut self, l: &LinkState) -> u64 {
        if l.latency_us_max <= l.latency_us_min {
            l.latency_us_min
        } else {
            self.rng.random_range(l.latency_us_min..=l.latency_us_max)
        }
    }

    pub fn view(&self, from: u64, to: u64) -> LinkView {
        let l = self.link(from, to);
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
