//! Actions on the network: partition, one link, every link, heal.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::read::read_struct;
use crate::write::write_struct;

use super::{any_node, check_client_id, check_node_id, ActionType};
use crate::config::{check_ms, check_pct, LATENCY_MS_MAX};
use crate::error::{short_number, SimError};
use crate::network::{Endpoint, LinkState};
use crate::trace::TraceEvent;
use crate::world::World;
use crate::NodeId;

/// Cut every link between different groups; servers in no group are cut from every server.
/// Groups may name clients (`"c1"`): a named client reaches exactly the servers of its group,
/// both ways; a client named nowhere keeps its links as they are.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Partition {
    pub groups: Vec<Vec<Endpoint>>,
}
read_struct!(Partition { groups: "groups" });
write_struct!(Partition { groups: "groups" });

impl Partition {
    /// A partition of servers only.
    pub fn of_nodes(groups: Vec<Vec<NodeId>>) -> Partition {
        Partition {
            groups: groups
                .into_iter()
                .map(|g| g.into_iter().map(Endpoint::Node).collect())
                .collect(),
        }
    }
}

impl ActionType for Partition {
    fn validate(&self) -> Result<(), SimError> {
        let mut seen = crate::SortedSet::new();
        for (g, group) in self.groups.iter().enumerate() {
            for (i, e) in group.iter().enumerate() {
                let field = format!("groups[{g}][{i}]");
                match *e {
                    Endpoint::Node(n) => check_node_id(&field, n)?,
                    Endpoint::Client(c) => check_client_id(&field, c)?,
                }
                if seen.insert(*e, ()).is_some() {
                    return Err(SimError::new(
                        field,
                        format!("{e} appears in more than one group"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        for (g, group) in self.groups.iter().enumerate() {
            for (i, e) in group.iter().enumerate() {
                let field = format!("groups[{g}][{i}]");
                match *e {
                    Endpoint::Node(n) => {
                        world.need_node(&field, n)?;
                    }
                    Endpoint::Client(c) => world.need_client_id(&field, c)?,
                }
            }
        }
        Ok(())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        let nodes: Vec<Endpoint> = world.nodes.keys().map(|&n| Endpoint::Node(n)).collect();
        for (from, to, up) in world.net.partition_endpoints(&nodes, &self.groups) {
            world.emit(TraceEvent::LinkChanged {
                at_ms,
                from,
                to,
                up,
            });
        }
    }

    /// A random split into two groups (sometimes three, sometimes with a node left out, now
    /// and then with clients in the groups).
    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        let mut ids: Vec<Endpoint> = world.node_ids().into_iter().map(Endpoint::Node).collect();
        for i in (1..ids.len()).rev() {
            ids.swap(i, rng.random_range(0..=i));
        }
        if rng.random_range(0..10u32) == 0 {
            ids.push(Endpoint::Node(any_node(world, rng)));
        }
        if rng.random_range(0..3u32) == 0 {
            // One more client than there is, now and then: refused by `check`.
            let c = rng.random_range(1..=world.clients.len() as u64 + 1);
            ids.push(Endpoint::Client(c));
        }
        let mut groups = vec![Vec::new(), Vec::new(), Vec::new()];
        let three = rng.random_bool(0.2);
        for n in ids {
            let g = rng.random_range(0..if three { 4 } else { 2 });
            if let Some(group) = groups.get_mut(g) {
                group.push(n);
            }
        }
        groups.retain(|g| !g.is_empty());
        Partition { groups }
    }
}

/// The latency, loss and duplication fields `setLink` and `setAllLinks` share, as
/// `[latencyMs, latencyMsMin, latencyMsMax, lossPct, dupPct]`.
type LinkSettings = [Option<f64>; 5];

fn check_link_settings(settings: LinkSettings) -> Result<(), SimError> {
    let [latency_ms, latency_ms_min, latency_ms_max, loss_pct, dup_pct] = settings;
    if let Some(v) = latency_ms {
        check_ms("latencyMs", v, LATENCY_MS_MAX)?;
    }
    if let Some(v) = latency_ms_min {
        check_ms("latencyMsMin", v, LATENCY_MS_MAX)?;
    }
    if let Some(v) = latency_ms_max {
        check_ms("latencyMsMax", v, LATENCY_MS_MAX)?;
    }
    if let (Some(a), Some(b)) = (latency_ms_min, latency_ms_max) {
        if a > b {
            return Err(SimError::new(
                "latencyMsMin",
                format!(
                    "must not exceed latencyMsMax ({}), got {}",
                    short_number(b),
                    short_number(a)
                ),
            ));
        }
    }
    if let Some(v) = loss_pct {
        check_pct("lossPct", v)?;
    }
    if let Some(v) = dup_pct {
        check_pct("dupPct", v)?;
    }
    Ok(())
}

/// Apply the settings that are given to a link.
fn adjust_link(l: &mut LinkState, settings: LinkSettings) {
    let [latency_ms, latency_ms_min, latency_ms_max, loss_pct, dup_pct] = settings;
    let us = crate::network::ms_to_us;
    if let Some(v) = latency_ms {
        l.latency_us_min = us(v);
        l.latency_us_max = us(v);
    }
    if let Some(v) = latency_ms_min {
        l.latency_us_min = us(v);
    }
    if let Some(v) = latency_ms_max {
        l.latency_us_max = us(v);
    }
    if l.latency_us_min > l.latency_us_max {
        l.latency_us_max = l.latency_us_min;
    }
    if let Some(v) = loss_pct {
        l.loss_ppm = crate::rng::pct_to_ppm(v);
    }
    if let Some(v) = dup_pct {
        l.dup_ppm = crate::rng::pct_to_ppm(v);
    }
}

/// Random settings for a generator: each field present or not, now and then out of range.
fn generate_settings(rng: &mut ChaCha8Rng) -> LinkSettings {
    let mut maybe = |lo: f64, hi: f64| {
        rng.random_bool(0.5)
            .then(|| rng.random_range(lo..hi).round())
    };
    let latency_ms_min = maybe(-1.0, 20.0);
    let latency_ms_max = maybe(-1.0, 150.0);
    let loss_pct = maybe(-1.0, 40.0);
    let dup_pct = maybe(-1.0, 40.0);
    [None, latency_ms_min, latency_ms_max, loss_pct, dup_pct]
}

impl World {
    /// One direction of one link: `up` and the settings where given. A link that goes up or
    /// down is reported in the trace.
    fn change_link(
        &mut self,
        at_ms: f64,
        from: Endpoint,
        to: Endpoint,
        up: Option<bool>,
        settings: LinkSettings,
    ) {
        let mut l = self.net.link_between(from, to);
        let before = l.up;
        if let Some(u) = up {
            l.up = u;
        }
        adjust_link(&mut l, settings);
        self.net.set_link_between(from, to, l);
        if l.up != before {
            self.emit(TraceEvent::LinkChanged {
                at_ms,
                from,
                to,
                up: l.up,
            });
        }
    }

    /// The endpoint exists: the node, or the client.
    fn need_endpoint(&self, field: &str, e: Endpoint) -> Result<(), SimError> {
        match e {
            Endpoint::Node(n) => self.need_node(field, n).map(|_| ()),
            Endpoint::Client(c) => self.need_client_id(field, c),
        }
    }
}

fn check_endpoint(field: &str, e: Endpoint) -> Result<(), SimError> {
    match e {
        Endpoint::Node(n) => check_node_id(field, n),
        Endpoint::Client(c) => check_client_id(field, c),
    }
}

/// Change one direction of one link; omitted fields stay as they are. Either end may be a
/// client (`"c1"`), the other then a server.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetLink {
    pub from: Endpoint,
    pub to: Endpoint,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub up: Option<bool>,
    /// Sets both ends of the latency range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dup_pct: Option<f64>,
}
read_struct!(SetLink { from: "from", to: "to", up: "up" default, latency_ms: "latencyMs" default, latency_ms_min: "latencyMsMin" default, latency_ms_max: "latencyMsMax" default, loss_pct: "lossPct" default, dup_pct: "dupPct" default });
write_struct!(SetLink { from: "from", to: "to", up: "up" omit, latency_ms: "latencyMs" omit, latency_ms_min: "latencyMsMin" omit, latency_ms_max: "latencyMsMax" omit, loss_pct: "lossPct" omit, dup_pct: "dupPct" omit });

impl SetLink {
    fn settings(&self) -> LinkSettings {
        [
            self.latency_ms,
            self.latency_ms_min,
            self.latency_ms_max,
            self.loss_pct,
            self.dup_pct,
        ]
    }
}

impl ActionType for SetLink {
    fn validate(&self) -> Result<(), SimError> {
        check_endpoint("from", self.from)?;
        check_endpoint("to", self.to)?;
        if self.from == self.to {
            return Err(SimError::new("to", "a link joins two different nodes"));
        }
        if matches!(
            (self.from, self.to),
            (Endpoint::Client(_), Endpoint::Client(_))
        ) {
            return Err(SimError::new(
                "to",
                "clients talk only to servers; one end must be a server",
            ));
        }
        check_link_settings(self.settings())
    }

    fn check(&self, world: &World) -> Result<(), SimError> {
        world.need_endpoint("from", self.from)?;
        world.need_endpoint("to", self.to)?;
        Ok(())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        world.change_link(at_ms, self.from, self.to, self.up, self.settings());
    }

    fn generate(world: &World, rng: &mut ChaCha8Rng) -> Self {
        let [latency_ms, latency_ms_min, latency_ms_max, loss_pct, dup_pct] =
            generate_settings(rng);
        SetLink {
            from: any_node(world, rng).into(),
            to: any_node(world, rng).into(),
            up: [None, Some(false), Some(true)][rng.random_range(0..3)],
            latency_ms,
            latency_ms_min,
            latency_ms_max,
            loss_pct,
            dup_pct,
        }
    }
}

/// Change the network's latency, loss or duplication: every link now (both directions), the
/// links of servers added later, and every link after a heal. What the page's sliders do, as
/// one action instead of one per link, so a share link stays short.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAllLinks {
    /// Sets both ends of the latency range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dup_pct: Option<f64>,
}
read_struct!(SetAllLinks { latency_ms: "latencyMs" default, latency_ms_min: "latencyMsMin" default, latency_ms_max: "latencyMsMax" default, loss_pct: "lossPct" default, dup_pct: "dupPct" default });
write_struct!(SetAllLinks { latency_ms: "latencyMs" omit, latency_ms_min: "latencyMsMin" omit, latency_ms_max: "latencyMsMax" omit, loss_pct: "lossPct" omit, dup_pct: "dupPct" omit });

impl SetAllLinks {
    fn settings(&self) -> LinkSettings {
        [
            self.latency_ms,
            self.latency_ms_min,
            self.latency_ms_max,
            self.loss_pct,
            self.dup_pct,
        ]
    }
}

impl ActionType for SetAllLinks {
    fn validate(&self) -> Result<(), SimError> {
        check_link_settings(self.settings())
    }

    fn check(&self, _world: &World) -> Result<(), SimError> {
        Ok(())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        let settings = self.settings();
        // The network's own settings change too: links of servers added later, and links
        // after a heal, take them (what the page's sliders promise).
        let mut default = world.net.default_link();
        adjust_link(&mut default, settings);
        world.net.set_default_link(default);
        let ids = world.node_ids();
        for &from in &ids {
            for &to in &ids {
                if from != to {
                    world.change_link(at_ms, from.into(), to.into(), None, settings);
                }
            }
        }
    }

    fn generate(_world: &World, rng: &mut ChaCha8Rng) -> Self {
        let [latency_ms, latency_ms_min, latency_ms_max, loss_pct, dup_pct] =
            generate_settings(rng);
        SetAllLinks {
            latency_ms,
            latency_ms_min,
            latency_ms_max,
            loss_pct,
            dup_pct,
        }
    }
}

/// Every link up, with the network's latency, loss and duplication: the config's, or those of
/// the last `setAllLinks`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Heal {}
read_struct!(Heal {});
write_struct!(Heal {});

impl ActionType for Heal {
    fn validate(&self) -> Result<(), SimError> {
        Ok(())
    }

    fn check(&self, _world: &World) -> Result<(), SimError> {
        Ok(())
    }

    fn effect(&self, world: &mut World, at_ms: f64) {
        // Client links too: a heal restores everything.
        let changed = world.net.down_links();
        world.net.heal();
        for (from, to) in changed {
            world.emit(TraceEvent::LinkChanged {
                at_ms,
                from,
                to,
                up: true,
            });
        }
    }

    fn generate(_world: &World, _rng: &mut ChaCha8Rng) -> Self {
        Heal {}
    }
}
