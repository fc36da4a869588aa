//! The client side of the world: requests travel to nodes, nodes propose or read, replies
//! travel back, clients follow redirects and retry on timeout.

use raft_core::{NodeId, ProposeError};

use crate::client::{KnownServers, Reply, SendReason};
use crate::config::ReadMode;
use crate::kv::{Command, KvOp, KvResult};
use crate::network::{DropReason, Endpoint, Fate};
use crate::node::{ClientReq, NodeStatus};
use crate::trace::{us_to_ms, TraceEvent};
use crate::world::{Ev, World};

impl World {
    /// Queue an op on a client and start it if the client is idle.
    pub fn client_enqueue(&mut self, client: u64, op: KvOp) {
        let c = self.clients.get_mut(&client).expect("validated client id");
        c.queue.push_back(op);
        if c.current.is_none() {
            self.client_start_next(client);
        }
    }

    fn client_start_next(&mut self, client: u64) {
        let now = self.now_us;
        let op_id = self.next_op_id;
        let c = self.clients.get_mut(&client).expect("client exists");
        let Some(op) = c.queue.pop_front() else {
            return;
        };
        self.next_op_id += 1;
        let seq = c.next_seq;
        c.next_seq += 1;
        let to = c.leader_guess;
        c.current = Some(crate::client::Outstanding {
            op_id,
            seq,
            op: op.clone(),
            invoked_us: now,
            invoked_at_ms: us_to_ms(now),
            attempt: 0,
            sent_to: to,
            reason: crate::client::SendReason::First,
        });
        self.lin.invoke(op_id, client, now, op.clone());
        let at_ms = self.now_ms();
        self.emit(TraceEvent::ClientInvoked {
            at_ms,
            client,
            op_id,
            op,
        });
        self.client_send(client, op_id, 0);
    }

    /// Send (or re-send) the client's current request to its current target, over the
    /// client -> server link.
    pub fn client_send(&mut self, client: u64, op_id: u64, attempt: u32) {
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let Some(cur) = c.current.as_mut() else {
            return;
        };
        if cur.op_id != op_id || cur.attempt != attempt {
            return;
        }
        let to = c.leader_guess;
        cur.sent_to = to;
        let reason = cur.reason;
        let req = ClientReq {
            client,
            op_id,
            seq: cur.seq,
            attempt,
            op: cur.op.clone(),
        };
        let at_ms = self.now_ms();
        self.emit(TraceEvent::ClientSent {
            at_ms,
            client,
            op_id,
            attempt,
            to,
            reason,
        });
        let fate = self
            .net
            .send_between(Endpoint::Client(client), Endpoint::Node(to), self.now_us);
        match fate {
            Fate::Dropped(reason) => self.emit(TraceEvent::ClientMsgDropped {
                at_ms,
                client,
                node: to,
                op_id,
                attempt,
                reply: false,
                reason,
            }),
            Fate::Deliver {
                at_us,
                duplicate_at_us,
            } => {
                if let Some(dup) = duplicate_at_us {
                    let req = req.clone();
                    self.queue.push(dup, Ev::ClientArrive { node: to, req });
                }
                self.queue.push(at_us, Ev::ClientArrive { node: to, req });
            }
        }
        let timeout = self.now_us + self.cfg.client_retry_timeout_us();
        self.queue.push(
            timeout,
            Ev::ClientTimeout {
                client,
                op_id,
                attempt,
            },
        );
    }

    /// `failed` did not serve the current request: choose the next server (§6.2, see
    /// `Client::next_try`) and try again, after `delay_us`, or after a minimum election timeout
    /// when a whole round of servers failed.
    fn client_retry(&mut self, client: u64, failed: NodeId, answered: bool, hint: Option<NodeId>) {
        let round_wait_us = self.cfg.election_timeout_ms_min * 1000;
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let next = c.next_try(failed, answered, hint);
        let Some(cur) = c.current.as_mut() else {
            return;
        };
        cur.attempt += 1;
        cur.reason = if answered {
            SendReason::Redirected {
                from: failed,
                hint: next.followed_hint.then_some(next.to),
            }
        } else {
            SendReason::TimedOut { from: failed }
        };
        let (op_id, attempt) = (cur.op_id, cur.attempt);
        let delay_us = if next.new_round { round_wait_us } else { 0 };
        self.queue.push(
            self.now_us + delay_us,
            Ev::ClientResend {
                client,
                op_id,
                attempt,
            },
        );
    }

    pub fn client_timeout(&mut self, client: u64, op_id: u64, attempt: u32) {
        let Some(c) = self.clients.get(&client) else {
            return;
        };
        let Some(cur) = c.current.as_ref() else {
            return;
        };
        if cur.op_id != op_id || cur.attempt != attempt {
            return;
        }
        let failed = cur.sent_to;
        self.client_retry(client, failed, false, None);
    }

    /// An answer arrives at the client, if the server -> client link is still up.
    pub fn client_reply(
        &mut self,
        node: NodeId,
        client: u64,
        op_id: u64,
        attempt: u32,
        reply: Reply,
    ) {
        if !self
            .net
            .is_up_between(Endpoint::Node(node), Endpoint::Client(client))
        {
            let at_ms = self.now_ms();
            self.emit(TraceEvent::ClientMsgDropped {
                at_ms,
                client,
                node,
                op_id,
                attempt,
                reply: true,
                reason: DropReason::LinkDown,
            });
            return;
        }
        let Some(c) = self.clients.get(&client) else {
            return;
        };
        let Some(cur) = c.current.as_ref() else {
            return;
        };
        if cur.op_id != op_id {
            return; // a late answer to an op already completed
        }
        match reply {
            Reply::Done(result) => {
                let now = self.now_us;
                let c = self.clients.get_mut(&client).expect("client exists");
                let cur = c.current.take().expect("checked");
                c.observe(&cur.op, &result);
                c.completed += 1;
                c.aim_at(node);
                c.last_result = Some((op_id, result.clone(), node));
                if let Some(v) = self.lin.complete(op_id, now, result.clone()) {
                    self.lin_violation(v);
                }
                let at_ms = self.now_ms();
                self.emit(TraceEvent::ClientCompleted {
                    at_ms,
                    client,
                    op_id,
                    result,
                    served_by: node,
                });
                self.client_start_next(client);
            }
            Reply::Redirect { hint, servers } => {
                if cur.attempt != attempt {
                    return;
                }
                let c = self.clients.get_mut(&client).expect("client exists");
                c.learn(servers);
                self.client_retry(client, node, true, hint.filter(|&h| h != node));
            }
        }
    }

    /// A node answers a client; the answer travels back over the server -> client link.
    pub fn reply(&mut self, node: NodeId, req: &ClientReq, reply: Reply) {
        let fate = self.net.send_between(
            Endpoint::Node(node),
            Endpoint::Client(req.client),
            self.now_us,
        );
        let (at_us, duplicate_at_us) = match fate {
            Fate::Dropped(reason) => {
                let at_ms = self.now_ms();
                self.emit(TraceEvent::ClientMsgDropped {
                    at_ms,
                    client: req.client,
                    node,
                    op_id: req.op_id,
                    attempt: req.attempt,
                    reply: true,
                    reason,
                });
                return;
            }
            Fate::Deliver {
                at_us,
                duplicate_at_us,
            } => (at_us, duplicate_at_us),
        };
        let ev = Ev::ClientReply {
            node,
            client: req.client,
            op_id: req.op_id,
            attempt: req.attempt,
            reply,
        };
        if let Some(dup) = duplicate_at_us {
            self.queue.push(dup, ev.clone());
        }
        self.queue.push(at_us, ev);
    }

    /// "Not the leader": the hint (never the node itself) and the configuration it knows.
    fn redirect(&self, node: NodeId, hint: Option<NodeId>) -> Reply {
        let servers = self
            .nodes
            .get(&node)
            .and_then(|n| n.raft.as_ref())
            .map(|r| {
                let cs = r.conf_state();
                // Both halves are sorted: merge by insertion rather than sort (a sort of
                // `NodeId`s would be its own 2 KB of wasm for at most nine ids).
                let mut voters = cs.voters.clone();
                for &id in &cs.voters_outgoing {
                    if let Err(at) = voters.binary_search(&id) {
                        voters.insert(at, id);
                    }
                }
                KnownServers {
                    conf_index: r.conf_index().0,
                    voters,
                }
            })
            .unwrap_or(KnownServers {
                conf_index: 0,
                voters: Vec::new(),
            });
        Reply::Redirect {
            hint: hint.filter(|&h| h != node),
            servers,
        }
    }

    /// A request arrives at a node, if the client -> server link is still up.
    pub fn client_arrive(&mut self, node: NodeId, req: ClientReq) {
        if !self
            .net
            .is_up_between(Endpoint::Client(req.client), Endpoint::Node(node))
        {
            let at_ms = self.now_ms();
            self.emit(TraceEvent::ClientMsgDropped {
                at_ms,
                client: req.client,
                node,
                op_id: req.op_id,
                attempt: req.attempt,
                reply: false,
                reason: DropReason::LinkDown,
            });
            return;
        }
        let Some(n) = self.nodes.get_mut(&node) else {
            return;
        };
        match n.status {
            NodeStatus::Crashed => return, // no answer: the client times out
            NodeStatus::Paused => {
                n.inbox.push(Ev::ClientArrive { node, req });
                return;
            }
            NodeStatus::Up => {}
        }
        if n.raft.is_none() {
            return;
        }
        self.touch(node);
        let n = self.nodes.get_mut(&node).expect("exists");
        let r = n.raft.as_mut().expect("up");
        if let KvOp::Get { key } = &req.op {
            if self.cfg.read_mode == ReadMode::StaleFollower {
                let result = n.kv.read(key);
                self.reply(node, &req, Reply::Done(result));
                return;
            }
            let ctx = self.next_read_ctx;
            self.next_read_ctx += 1;
            let n = self.nodes.get_mut(&node).expect("exists");
            let r = n.raft.as_mut().expect("up");
            match r.read_index(ctx) {
                Ok(()) => {
                    n.reads.insert(ctx, req);
                }
                Err(_) => {
                    let hint = r.status().leader;
                    let answer = self.redirect(node, hint);
                    self.reply(node, &req, answer);
                    return;
                }
            }
        } else {
            let cmd = Command {
                client: req.client,
                seq: req.seq,
                op: req.op.clone(),
            };
            let data = raft_core::SharedBytes::from(cmd.encode());
            match r.propose(data.clone()) {
                Ok(index) => {
                    if let Some(term) = r.term_at(index) {
                        let kind = raft_core::EntryKind::Normal { data };
                        let entry = raft_core::Entry { index, term, kind };
                        self.commands.remember(entry, cmd);
                    }
                    n.proposals.insert(index.0, req);
                }
                Err(ProposeError::NotLeader { leader_hint }) => {
                    let answer = self.redirect(node, leader_hint);
                    self.reply(node, &req, answer);
                    return;
                }
                Err(_) => {
                    let answer = self.redirect(node, None);
                    self.reply(node, &req, answer);
                    return;
                }
            }
        }
        self.drive(node);
    }

    /// raft-core confirmed a read index for `ctx`.
    pub fn read_state(&mut self, node: NodeId, ctx: u64, index: u64) {
        let n = self.nodes.get_mut(&node).expect("exists");
        if let Some(req) = n.reads.remove(&ctx) {
            n.reads_ready.push((index, req));
        }
    }

    /// Serve the reads whose index the state machine has reached.
    pub fn serve_ready_reads(&mut self, node: NodeId) {
        let n = self.nodes.get_mut(&node).expect("exists");
        if n.reads_ready.is_empty() {
            return;
        }
        let applied = n.applied.0;
        let (ready, waiting): (Vec<_>, Vec<_>) =
            n.reads_ready.drain(..).partition(|(i, _)| *i <= applied);
        n.reads_ready = waiting;
        let answers: Vec<(ClientReq, KvResult)> = ready
            .into_iter()
            .map(|(_, req)| {
                let key = req.op.key().to_string();
                let result = n.kv.read(&key);
                (req, result)
            })
            .collect();
        for (req, result) in answers {
            self.reply(node, &req, Reply::Done(result));
        }
    }

    pub fn load_tick(&mut self, client: u64) {
        let every = self.cfg.client_write_every_ms * 1000;
        if every == 0 {
            return;
        }
        self.queue
            .push(self.now_us + every, Ev::LoadTick { client });
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        if c.is_idle() {
            let op = c.random_op();
            self.client_enqueue(client, op);
        }
    }

    /// After the fault phase: a leader exists and every op invoked before `from_us` completed.
    pub fn liveness_check(&mut self, from_us: u64) {
        let at_ms = self.now_ms();
        if self.leader().is_none() {
            // In whole microseconds, as every simulated time is (the difference of two times
            // in milliseconds could show float noise such as `10345.678000000001`).
            let detail = format!(
                "no leader {} ms after the faults stopped",
                crate::error::short_number(us_to_ms(self.now_us.saturating_sub(from_us)))
            );
            self.safety
                .report(at_ms, "liveness", Vec::new(), None, detail);
        }
        let stuck: Vec<(u64, u64)> = self
            .clients
            .values()
            .filter_map(|c| {
                c.current
                    .as_ref()
                    .filter(|o| o.invoked_us < from_us)
                    .map(|o| (c.id, o.op_id))
            })
            .collect();
        if let Some((client, op_id)) = stuck.first() {
            let detail = format!(
                "{} client op(s) invoked before the faults stopped never completed (client {client} op {op_id})",
                stuck.len()
            );
            self.safety
                .report(at_ms, "liveness", Vec::new(), None, detail);
        }
    }
}
