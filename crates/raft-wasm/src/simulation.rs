//! The `Simulation` class JS sees. Each method reads its arguments (args.rs), calls raft-sim
//! once, and converts the answer (convert.rs). No simulation logic lives here.
//!
//! Why no call can leave a poisoned instance: a panic in wasm is a trap that leaves the object
//! borrowed forever, and a JS exception unwinding through wasm does the same. So arguments are
//! checked before the simulator sees them, the simulator answers every bad input with
//! `Err(SimError)` and leaves its state untouched, and no JS call made from here can throw
//! past a `Result`.

use raft_sim::action::*;
use raft_sim::config::{bug_description, BUG_NAMES, CLIENTS_MAX, NODES_MAX};
use raft_sim::scenario::{KEY_BYTES_MAX, VALUE_BYTES_MAX};
use raft_sim::sim::SIM_MS_MAX;
use raft_sim::{NodeId, ReadMode, Scenario, SimError};
use wasm_bindgen::prelude::*;

use crate::args;
use crate::config;
use crate::convert::{hex64, object, seed_to_js, strings, to_js, trace_to_js};
use crate::error::{ApiError, ApiResult, ErrorKind};

/// A deterministic simulated Raft cluster. Create one with `new Simulation(config)`, drive it
/// with `advance(ms)` or `step()`, act on it, and read `state()`.
#[wasm_bindgen(js_name = Simulation)]
pub struct JsSimulation {
    inner: raft_sim::Simulation,
}

/// Open a scenario: replayed to its end, or (with `{ replay: false }`) at time 0 with its
/// actions recorded, for a caller that replays a long link in slices. raft-sim refuses a replay
/// past `simMsMax` before it starts, and stops one that reaches a work or memory limit.
fn replay(
    method: &str,
    arg: &str,
    scenario: Scenario,
    options: &JsValue,
) -> ApiResult<JsSimulation> {
    let replay = args::replay_option(method, options)?;
    raft_sim::Simulation::check_replay_length(&scenario)
        .map_err(|e| ApiError::rejected(method, &e.within(arg)))?;
    let inner = if replay {
        raft_sim::Simulation::from_scenario(scenario)
    } else {
        raft_sim::Simulation::load(scenario)
    }
    .map_err(|e| {
        // A limit reached is a RangeError; a scenario that does not replay is a plain Error.
        if e.limit.is_some() {
            ApiError::rejected(method, &e.within(arg))
        } else {
            ApiError::malformed(method, &e.within(arg))
        }
    })?;
    Ok(JsSimulation { inner })
}

impl JsSimulation {
    /// Apply one action; a refusal names the method and the simulator's field.
    fn act(&mut self, method: &str, action: Action) -> Result<(), JsValue> {
        self.inner
            .apply(action)
            .map_err(|e| ApiError::rejected(method, &e).into())
    }

    /// An action on one node (its argument named `arg`), for the methods named after the
    /// action's type. Not generic and never inlined: the ten methods that take one node
    /// share this body instead of each export carrying its own copy of the checks (650 bytes
    /// of wasm each).
    #[inline(never)]
    fn node_action(
        &mut self,
        method: &str,
        arg: &str,
        node: &JsValue,
        make: fn(NodeId) -> Action,
    ) -> Result<(), JsValue> {
        let node = args::node(method, arg, node)?;
        self.act(method, make(node))
    }

    /// An action on one message in flight, by the id `pending()` lists; shared as
    /// [`Self::node_action`] is.
    #[inline(never)]
    fn message_action(
        &mut self,
        method: &str,
        id: &JsValue,
        make: fn(u64) -> Action,
    ) -> Result<(), JsValue> {
        let id = args::whole(method, "id", id, args::SAFE_INTEGER_MAX)?;
        self.act(method, make(id))
    }

    #[inline(never)]
    fn toggle(&mut self, method: &str, name: &str, on: &JsValue) -> Result<(), JsValue> {
        let on = args::boolean(method, "on", on)?;
        self.act(
            method,
            Action::SetToggle(SetToggle {
                name: name.into(),
                on,
            }),
        )
    }

    /// The wrapped simulator, for Rust tests that compare with a native run.
    pub fn inner(&self) -> &raft_sim::Simulation {
        &self.inner
    }
}

#[wasm_bindgen(js_class = Simulation)]
impl JsSimulation {
    /// A new cluster at time 0. Every config field is optional; a missing `seed` is drawn at
    /// random (read it back with `config().seed`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "SimConfigInput")] config: JsValue,
    ) -> Result<JsSimulation, JsValue> {
        let config = config::from_js(&config)?;
        let inner = raft_sim::Simulation::new(config)
            .map_err(|e| ApiError::rejected("new Simulation", &e.within("config")))?;
        Ok(JsSimulation { inner })
    }

    /// Rebuild a run from a share link (`"v1.…"`, or a whole URL whose fragment holds one).
    /// With `{ replay: false }` the run opens at time 0 with the link's actions recorded.
    #[wasm_bindgen(js_name = fromLink)]
    pub fn from_link(
        #[wasm_bindgen(unchecked_param_type = "string")] link: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OpenOptions")] options: JsValue,
    ) -> Result<JsSimulation, JsValue> {
        let link = args::string("fromLink", "link", &link)?;
        let scenario = raft_sim::Scenario::from_link(&link)
            .map_err(|e| ApiError::malformed("fromLink", &e))?;
        Ok(replay("fromLink", "link", scenario, &options)?)
    }

    /// Load a scenario (JSON text or the object) and replay it to its `endMs`.
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(
        #[wasm_bindgen(unchecked_param_type = "string | Scenario")] scenario: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OpenOptions")] options: JsValue,
    ) -> Result<JsSimulation, JsValue> {
        const METHOD: &str = "fromScenario";
        let wanted = "scenario JSON text or a scenario object";
        let text = if let Some(text) = scenario.as_string() {
            text
        } else if scenario.is_object() && !scenario.is_function() {
            args::stringify(METHOD, "scenario", &scenario, wanted)?
        } else {
            return Err(ApiError::wrong_type(
                METHOD,
                "scenario",
                wanted,
                &args::describe(&scenario),
            )
            .into());
        };
        let scenario = raft_sim::Scenario::from_json(&text)
            .map_err(|e| ApiError::malformed(METHOD, &e.within("scenario")))?;
        Ok(replay(METHOD, "scenario", scenario, &options)?)
    }

    /// The names accepted by `setBug` and `config.bugs`.
    #[wasm_bindgen(js_name = bugNames, unchecked_return_type = "BugName[]")]
    pub fn bug_names() -> Result<JsValue, JsValue> {
        Ok(strings(&BUG_NAMES))
    }

    /// Every action type `apply` takes (its `type` tag), in the simulator's order. Each also has
    /// a method of the same name (`crash`, `setLink`, ...).
    #[wasm_bindgen(js_name = actionTypes, unchecked_return_type = "ActionType[]")]
    pub fn action_types() -> Result<JsValue, JsValue> {
        Ok(strings(ACTION_TYPES))
    }

    /// Each injectable bug with a one-line explanation, for "break Raft" toggles.
    #[wasm_bindgen(unchecked_return_type = "{ name: BugName; description: string }[]")]
    pub fn bugs() -> Result<JsValue, JsValue> {
        let list = js_sys::Array::new();
        for name in BUG_NAMES {
            list.push(&object(&[
                ("name", name.into()),
                ("description", bug_description(name).into()),
            ]));
        }
        Ok(list.into())
    }

    /// The limits inputs are checked against.
    #[wasm_bindgen(unchecked_return_type = "Limits")]
    pub fn limits() -> Result<JsValue, JsValue> {
        use raft_sim::sim::*;
        let number = |n: u64| JsValue::from_f64(n as f64);
        Ok(object(&[
            ("nodesMax", number(NODES_MAX)),
            ("clientsMax", number(CLIENTS_MAX)),
            ("keyBytesMax", number(KEY_BYTES_MAX as u64)),
            ("valueBytesMax", number(VALUE_BYTES_MAX as u64)),
            ("simMsMax", JsValue::from_f64(SIM_MS_MAX)),
            ("eventsPerCallMax", number(EVENTS_PER_CALL_MAX)),
            ("logEntriesMax", number(LOG_ENTRIES_MAX)),
            ("queueEventsMax", number(QUEUE_EVENTS_MAX as u64)),
            ("traceReturnMax", number(TRACE_RETURN_MAX as u64)),
            (
                "linkCharsMax",
                number(raft_sim::scenario::LINK_CHARS_MAX as u64),
            ),
        ]))
    }

    /// Simulated time in milliseconds (fractional: the simulator keeps microseconds).
    pub fn now(&self) -> f64 {
        self.inner.now_ms()
    }

    /// Where the run it was opened from ends: its `endMs` (or last action). A run opened with
    /// `{ replay: false }` replays to here as time passes.
    #[wasm_bindgen(js_name = recordedEndMs)]
    pub fn recorded_end_ms(&self) -> f64 {
        self.inner.recorded_end_ms()
    }

    /// Run `ms` of simulated time and return every trace event since the last call.
    #[wasm_bindgen(unchecked_return_type = "TraceEvent[]")]
    pub fn advance(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ms = args::millis("advance", "ms", &ms, SIM_MS_MAX)?;
        let events = self
            .inner
            .advance(ms)
            .map_err(|e| ApiError::rejected("advance", &e))?;
        Ok(trace_to_js("advance", &events)?)
    }

    /// Process exactly the next event (single-step mode) and return its trace.
    #[wasm_bindgen(unchecked_return_type = "TraceEvent[]")]
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let events = self.inner.step();
        Ok(trace_to_js("step", &events)?)
    }

    /// Move to `timeMs`, backward or forward. The events of the replayed stretch are not
    /// returned; read `state()`.
    pub fn seek(
        &mut self,
        #[wasm_bindgen(js_name = timeMs, unchecked_param_type = "number")] time_ms: JsValue,
    ) -> Result<(), JsValue> {
        let time_ms = args::millis("seek", "timeMs", &time_ms, SIM_MS_MAX)?;
        self.inner
            .seek(time_ms)
            .map_err(|e| ApiError::rejected("seek", &e).into())
    }

    /// Everything the page draws: nodes, links, messages in flight, clients, checker.
    #[wasm_bindgen(unchecked_return_type = "ClusterState")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        // The page reads this 30 times a second per playground: its text is written straight
        // from the world (`state_json`), the very text serde writes for the `ClusterState`.
        Ok(crate::convert::parse("state", &self.inner.state_json())?)
    }

    /// The config in effect, seed included (a BigInt when above 2^53 - 1).
    #[wasm_bindgen(unchecked_return_type = "SimConfig")]
    pub fn config(&self) -> Result<JsValue, JsValue> {
        let mut config = self.inner.config().clone();
        let seed = config.seed;
        config.seed = 0;
        let object = to_js("config", &config)?;
        js_sys::Reflect::set(&object, &JsValue::from_str("seed"), &seed_to_js(seed))?;
        Ok(object)
    }

    /// The safety checkers' verdict: `{ ok, violations }`.
    #[wasm_bindgen(unchecked_return_type = "CheckReport")]
    pub fn check(&self) -> Result<JsValue, JsValue> {
        Ok(to_js("check", &self.inner.check())?)
    }

    /// The leader with the highest term among running nodes, or null.
    #[wasm_bindgen(unchecked_return_type = "number | null")]
    pub fn leader(&self) -> JsValue {
        self.inner
            .current_leader()
            .map_or(JsValue::NULL, |n| JsValue::from_f64(n.0 as f64))
    }

    /// A compact URL-safe string with the config, the seed and the actions up to now.
    #[wasm_bindgen(js_name = toLink)]
    pub fn to_link(&self) -> String {
        self.inner.to_link()
    }

    /// The run so far as scenario JSON (config, seed, timed actions, `endMs` = now), the input
    /// `Simulation.fromScenario` takes.
    #[wasm_bindgen(js_name = exportTrace)]
    pub fn export_trace(&self) -> String {
        self.inner.scenario().to_json()
    }

    /// The same scenario as an object (its seed a BigInt when above 2^53 - 1).
    #[wasm_bindgen(unchecked_return_type = "Scenario")]
    pub fn scenario(&self) -> Result<JsValue, JsValue> {
        let mut scenario = self.inner.scenario();
        let seed = scenario.config.seed;
        scenario.config.seed = 0;
        let object = to_js("scenario", &scenario)?;
        let config = js_sys::Reflect::get(&object, &JsValue::from_str("config"))?;
        js_sys::Reflect::set(&config, &JsValue::from_str("seed"), &seed_to_js(seed))?;
        Ok(object)
    }

    /// FNV-1a over every trace event so far, as 16 hex digits. Equal natively and in wasm.
    #[wasm_bindgen(js_name = traceHash)]
    pub fn trace_hash(&self) -> String {
        hex64(self.inner.trace_hash())
    }

    /// A hash of `state()` now, as 16 hex digits.
    #[wasm_bindgen(js_name = stateHash)]
    pub fn state_hash(&self) -> String {
        hex64(self.inner.state_hash())
    }

    /// Trace events processed since time 0.
    #[wasm_bindgen(js_name = eventsTotal)]
    pub fn events_total(&self) -> f64 {
        self.inner.events_total() as f64
    }

    /// Any action as an object, e.g. `{ type: "crash", node: 3 }` (the scenario format).
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Action")] action: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = "apply";
        let wanted = "an action object such as { type: \"crash\", node: 3 }";
        if args::object_keys(METHOD, "action", &action, wanted)?.is_none() {
            return Err(
                ApiError::wrong_type(METHOD, "action", wanted, &args::describe(&action)).into(),
            );
        }
        let text = args::stringify(METHOD, "action", &action, wanted)?;
        let action = Action::from_json(&text)
            .map_err(|e: SimError| ApiError::rejected(METHOD, &e.within("action")))?;
        self.act(METHOD, action)
    }

    /// Crash a node: it loses everything not yet on its disk.
    pub fn crash(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(Crash::TYPE, "node", &node, |node| Crash { node }.into())
    }

    /// Restart a crashed node from what it persisted.
    pub fn restart(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(Restart::TYPE, "node", &node, |node| Restart { node }.into())
    }

    /// Freeze a node (timers and inbound messages wait).
    pub fn pause(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(Pause::TYPE, "node", &node, |node| Pause { node }.into())
    }

    /// Unfreeze a paused node.
    pub fn resume(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(Resume::TYPE, "node", &node, |node| Resume { node }.into())
    }

    /// Fire a node's election timeout now (it campaigns).
    pub fn timeout(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(Timeout::TYPE, "node", &node, |node| Timeout { node }.into())
    }

    /// Cut every link between different groups, e.g. `[[1, 2], [3, 4, 5]]`. A group may name
    /// clients (`"c1"`): a named client reaches exactly the servers of its group.
    pub fn partition(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(number | `c${number}`)[][]")] groups: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = Partition::TYPE;
        let outer = args::list(
            METHOD,
            "groups",
            &groups,
            "an array of arrays of node ids or clients (\"c1\")",
        )?;
        let mut parsed = Vec::with_capacity(outer.len());
        for (g, group) in outer.iter().enumerate() {
            let arg = format!("groups[{g}]");
            let items = args::list(METHOD, &arg, group, "an array of node ids or clients")?;
            let mut ids = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                ids.push(args::endpoint(METHOD, &format!("{arg}[{i}]"), item)?);
            }
            parsed.push(ids);
        }
        self.act(METHOD, Action::Partition(Partition { groups: parsed }))
    }

    /// Change the link from `from` to `to` (one direction; either end may be a client,
    /// `"c1"`). Options: `up`, `latency` (ms, both
    /// ends of the range) or `latencyMin`/`latencyMax`, `loss` and `dup` (percent). The
    /// scenario spellings `latencyMs`, `latencyMsMin`, `latencyMsMax`, `lossPct`, `dupPct` work
    /// too.
    #[wasm_bindgen(js_name = setLink)]
    pub fn set_link(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Endpoint")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Endpoint")] to: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LinkOptions")] options: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = SetLink::TYPE;
        let from = args::endpoint(METHOD, "from", &from)?;
        let to = args::endpoint(METHOD, "to", &to)?;
        let link = crate::link::options(METHOD, &options)?;
        self.act(
            METHOD,
            Action::SetLink(SetLink {
                from,
                to,
                up: link.up,
                latency_ms: link.latency_ms,
                latency_ms_min: link.latency_ms_min,
                latency_ms_max: link.latency_ms_max,
                loss_pct: link.loss_pct,
                dup_pct: link.dup_pct,
            }),
        )
    }

    /// Latency, loss and duplication for the whole network, in one action (a share link stays
    /// short): every link now, the links of servers added later, and every link after `heal`. Options as for `setLink`, without `up`: cutting and
    /// restoring links is `partition`, `heal` and `setLink`.
    #[wasm_bindgen(js_name = setAllLinks)]
    pub fn set_all_links(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AllLinksOptions")] options: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = SetAllLinks::TYPE;
        let link = crate::link::options(METHOD, &options)?;
        if link.up.is_some() {
            return Err(ApiError::new(
                ErrorKind::Type,
                METHOD,
                "options.up is not accepted here; cut or restore links with setLink, partition or heal",
            )
            .into());
        }
        self.act(
            METHOD,
            Action::SetAllLinks(SetAllLinks {
                latency_ms: link.latency_ms,
                latency_ms_min: link.latency_ms_min,
                latency_ms_max: link.latency_ms_max,
                loss_pct: link.loss_pct,
                dup_pct: link.dup_pct,
            }),
        )
    }

    /// Every link up again, with the network's latency, loss and duplication (the config's, or
    /// those of the last `setAllLinks`).
    pub fn heal(&mut self) -> Result<(), JsValue> {
        self.act(Heal::TYPE, Heal {}.into())
    }

    /// Automatic (`"auto"`) or manual (`"manual"`) delivery: in manual delivery a message whose
    /// latency has passed waits until `deliver`, `drop` or `duplicate` decides.
    #[wasm_bindgen(js_name = setDelivery)]
    pub fn set_delivery(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Delivery")] mode: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = SetDelivery::TYPE;
        let name = args::string(METHOD, "mode", &mode)?;
        let mode: raft_sim::Delivery = raft_sim::read::from_string(name.clone()).map_err(|_| {
            ApiError::out_of_range(
                METHOD,
                "mode",
                "one of \"auto\", \"manual\"",
                &args::quote(&name),
            )
        })?;
        self.act(METHOD, SetDelivery { mode }.into())
    }

    /// The messages in flight, by id, as `state().inFlight` lists them: `waiting` is true for
    /// those that arrived in manual delivery and wait for `deliver`, `drop` or `duplicate`.
    #[wasm_bindgen(unchecked_return_type = "InFlightView[]")]
    pub fn pending(&self) -> Result<JsValue, JsValue> {
        Ok(to_js("pending", &self.inner.pending())?)
    }

    /// Deliver one message in flight now, by its id (waiting, or still travelling: it arrives
    /// early).
    pub fn deliver(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<(), JsValue> {
        self.message_action(DeliverMessage::TYPE, &id, |id| DeliverMessage { id }.into())
    }

    /// Lose one message in flight, by its id.
    #[wasm_bindgen(js_name = drop)]
    pub fn drop_message(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<(), JsValue> {
        self.message_action(DropMessage::TYPE, &id, |id| DropMessage { id }.into())
    }

    /// Copy one message in flight, by its id; the copy gets the next id and arrives (or waits)
    /// when the original does.
    pub fn duplicate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<(), JsValue> {
        self.message_action(DuplicateMessage::TYPE, &id, |id| {
            DuplicateMessage { id }.into()
        })
    }

    /// Make a node's clock run fast or slow by `ratePpm` parts per million.
    #[wasm_bindgen(js_name = clockSkew)]
    pub fn clock_skew(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
        #[wasm_bindgen(js_name = ratePpm, unchecked_param_type = "number")] rate_ppm: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = ClockSkew::TYPE;
        let node = args::node(METHOD, "node", &node)?;
        let rate_ppm = args::signed_whole(METHOD, "ratePpm", &rate_ppm)?;
        self.act(METHOD, Action::ClockSkew(ClockSkew { node, rate_ppm }))
    }

    /// A client writes `key = value`. `client` picks one of `config.clients` (default: the
    /// simulator's choice).
    #[wasm_bindgen(js_name = clientPut)]
    pub fn client_put(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] client: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = ClientPut::TYPE;
        let key = args::string(METHOD, "key", &key)?;
        let value = args::string(METHOD, "value", &value)?;
        let client = read_client(METHOD, &client)?;
        self.act(METHOD, Action::ClientPut(ClientPut { key, value, client }))
    }

    /// Aim client `client` at server `node`: its next request goes there (then it finds the
    /// leader through redirects, §6.2).
    #[wasm_bindgen(js_name = aimClient)]
    pub fn aim_client(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] client: JsValue,
        #[wasm_bindgen(unchecked_param_type = "NodeId")] node: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = AimClient::TYPE;
        let client = args::whole(METHOD, "client", &client, args::SAFE_INTEGER_MAX)?;
        let node = args::node(METHOD, "node", &node)?;
        self.act(METHOD, Action::AimClient(AimClient { client, node }))
    }

    /// A client reads `key` (linearizably, unless the read mode says otherwise).
    #[wasm_bindgen(js_name = clientGet)]
    pub fn client_get(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] client: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = ClientGet::TYPE;
        let key = args::string(METHOD, "key", &key)?;
        let client = read_client(METHOD, &client)?;
        self.act(METHOD, Action::ClientGet(ClientGet { key, client }))
    }

    /// A client appends `value` to `key`.
    #[wasm_bindgen(js_name = clientAppend)]
    pub fn client_append(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] client: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = ClientAppend::TYPE;
        let key = args::string(METHOD, "key", &key)?;
        let value = args::string(METHOD, "value", &value)?;
        let client = read_client(METHOD, &client)?;
        self.act(
            METHOD,
            Action::ClientAppend(ClientAppend { key, value, client }),
        )
    }

    /// A client sets `key` to `value` if it currently holds `expected` (`null`: is absent).
    #[wasm_bindgen(js_name = clientCas)]
    pub fn client_cas(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null")] expected: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] client: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = ClientCas::TYPE;
        let key = args::string(METHOD, "key", &key)?;
        let expected = args::string_or_null(METHOD, "expected", &expected)?;
        let value = args::string(METHOD, "value", &value)?;
        let client = read_client(METHOD, &client)?;
        self.act(
            METHOD,
            Action::ClientCas(ClientCas {
                key,
                expected,
                value,
                client,
            }),
        )
    }

    /// Ask the leader to hand leadership to `to` (§3.10 of the dissertation).
    #[wasm_bindgen(js_name = transferLeader)]
    pub fn transfer_leader(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] to: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(TransferLeader::TYPE, "to", &to, |to| {
            TransferLeader { to }.into()
        })
    }

    /// Add a voting member (a new node id, or a learner to promote).
    #[wasm_bindgen(js_name = addServer)]
    pub fn add_server(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(AddServer::TYPE, "node", &node, |node| {
            AddServer { node }.into()
        })
    }

    /// Add a non-voting member that receives the log.
    #[wasm_bindgen(js_name = addLearner)]
    pub fn add_learner(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(AddLearner::TYPE, "node", &node, |node| {
            AddLearner { node }.into()
        })
    }

    /// Remove a member from the configuration.
    #[wasm_bindgen(js_name = removeServer)]
    pub fn remove_server(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(RemoveServer::TYPE, "node", &node, |node| {
            RemoveServer { node }.into()
        })
    }

    /// Joint consensus (§6): move to the voters (and learners) given, through C_old,new, leaving
    /// the joint configuration automatically once it commits. New ids start as empty nodes.
    #[wasm_bindgen(js_name = changeMembership)]
    pub fn change_membership(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number[]")] voters: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number[]")] learners: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = ChangeMembership::TYPE;
        let ids = |arg: &str, value: &JsValue| -> Result<Vec<NodeId>, JsValue> {
            let items = args::list(METHOD, arg, value, "an array of node ids")?;
            let mut ids = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                ids.push(args::node(METHOD, &format!("{arg}[{i}]"), item)?);
            }
            Ok(ids)
        };
        let voters = ids("voters", &voters)?;
        let learners = if learners.is_undefined() {
            Vec::new()
        } else {
            ids("learners", &learners)?
        };
        self.act(
            METHOD,
            Action::ChangeMembership(ChangeMembership { voters, learners }),
        )
    }

    /// Make a node snapshot its applied state and drop the log before it.
    pub fn compact(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] node: JsValue,
    ) -> Result<(), JsValue> {
        self.node_action(Compact::TYPE, "node", &node, |node| Compact { node }.into())
    }

    /// Switch an injectable bug on or off (see `Simulation.bugs()`).
    #[wasm_bindgen(js_name = setBug)]
    pub fn set_bug(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "BugName")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsValue> {
        let name = args::string(SetBug::TYPE, "name", &name)?;
        let on = args::boolean(SetBug::TYPE, "on", &on)?;
        self.act(SetBug::TYPE, SetBug { name, on }.into())
    }

    /// PreVote on or off (§9.6 of the dissertation).
    #[wasm_bindgen(js_name = setPreVote)]
    pub fn set_pre_vote(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsValue> {
        self.toggle("setPreVote", "preVote", &on)
    }

    /// CheckQuorum on or off (a leader that hears from no majority steps down).
    #[wasm_bindgen(js_name = setCheckQuorum)]
    pub fn set_check_quorum(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsValue> {
        self.toggle("setCheckQuorum", "checkQuorum", &on)
    }

    /// Log repair by conflict hint (on) or one entry at a time (off).
    #[wasm_bindgen(js_name = setFastBacktrack)]
    pub fn set_fast_backtrack(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsValue> {
        self.toggle("setFastBacktrack", "fastBacktrack", &on)
    }

    /// Any toggle by its config name: `"preVote"`, `"checkQuorum"` or `"fastBacktrack"`.
    #[wasm_bindgen(js_name = setToggle)]
    pub fn set_toggle(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "\"preVote\" | \"checkQuorum\" | \"fastBacktrack\"")]
        name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsValue> {
        let name = args::string(SetToggle::TYPE, "name", &name)?;
        self.toggle(SetToggle::TYPE, &name, &on)
    }

    /// How reads are served: `"readIndex"`, `"lease"` or `"staleFollower"`.
    #[wasm_bindgen(js_name = setReadMode)]
    pub fn set_read_mode(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ReadMode")] mode: JsValue,
    ) -> Result<(), JsValue> {
        const METHOD: &str = SetReadMode::TYPE;
        let name = args::string(METHOD, "mode", &mode)?;
        let mode: ReadMode = raft_sim::read::from_string(name.clone()).map_err(|_| {
            ApiError::out_of_range(
                METHOD,
                "mode",
                "one of \"readIndex\", \"lease\", \"staleFollower\"",
                &args::quote(&name),
            )
        })?;
        self.act(METHOD, Action::SetReadMode(SetReadMode { mode }))
    }
}

/// The optional `client` argument of the client methods.
fn read_client(method: &str, client: &JsValue) -> ApiResult<Option<u64>> {
    args::optional_whole(method, "client", client, args::SAFE_INTEGER_MAX)
}
