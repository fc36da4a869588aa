//! The client side of the world: requests travel to nodes, nodes propose or read, replies
//! travel back, clients follow redirects and retry on timeout.

use raft_core::{NodeId, ProposeError};

use crate::client::Reply;
use crate::config::ReadMode;
use crate::kv::{Command, KvOp, KvResult};
use crate::node::{ClientReq, NodeStatus};
use crate::trace::{us_to_ms, TraceEvent};
use crate::world::{client_timeout, Ev, World};

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

    /// Send (or re-send) the client's current request to its current target.
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
        });
        let arrive = self.now_us + self.net.client_latency_us();
        self.queue.push(arrive, Ev::ClientArrive { node: to, req });
        let timeout = self.now_us + client_timeout(&self.cfg);
        self.queue.push(
            timeout,
            Ev::ClientTimeout {
                client,
                op_id,
                attempt,
            },
        );
    }

    /// Move to another node and try again after `delay_us`.
    fn client_retry(&mut self, client: u64, next: NodeId, delay_us: u64) {
        let ids = self.node_ids();
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let Some(cur) = c.current.as_mut() else {
            return;
        };
        cur.attempt += 1;
        let (op_id, attempt) = (cur.op_id, cur.attempt);
        c.leader_guess = if ids.contains(&next) { next } else { ids[0] };
        self.queue.push(
            self.now_us + delay_us,
            Ev::ClientResend {
                client,
                op_id,
                attempt,
            },
        );
    }

    fn next_node_after(&self, n: NodeId) -> NodeId {
        let ids = self.node_ids();
        ids.iter().copied().find(|&i| i > n).unwrap_or(ids[0])
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
        let next = self.next_node_after(cur.sent_to);
        self.client_retry(client, next, 0);
    }

    pub fn client_reply(
        &mut self,
        node: NodeId,
        client: u64,
        op_id: u64,
        attempt: u32,
        reply: Reply,
    ) {
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
                c.leader_guess = node;
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
            Reply::Redirect(hint) => {
                if cur.attempt != attempt {
                    return;
                }
                match hint {
                    Some(h) if h != node => self.client_retry(client, h, 0),
                    _ => {
                        let next = self.next_node_after(node);
                        let backoff = self.cfg.heartbeat_ms * 1000;
                        self.client_retry(client, next, backoff)
                    }
                }
            }
        }
    }

    /// A node answers a client; the answer travels back over the client network.
    pub fn reply(&mut self, node: NodeId, req: &ClientReq, reply: Reply) {
        let at = self.now_us + self.net.client_latency_us();
        self.queue.push(
            at,
            Ev::ClientReply {
                node,
                client: req.client,
                op_id: req.op_id,
                attempt: req.attempt,
                reply,
            },
        );
    }

    pub fn client_arrive(&mut self, node: NodeId, req: ClientReq) {
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
                    let hint = r.status().leader.filter(|&l| l != node);
                    self.reply(node, &req, Reply::Redirect(hint));
                    return;
                }
            }
        } else {
            let cmd = Command {
                client: req.client,
                seq: req.seq,
                op: req.op.clone(),
            };
            match r.propose(cmd.encode()) {
                Ok(index) => {
                    n.proposals.insert(index.0, req);
                }
                Err(ProposeError::NotLeader { leader_hint }) => {
                    self.reply(
                        node,
                        &req,
                        Reply::Redirect(leader_hint.filter(|&l| l != node)),
                    );
                    return;
                }
                Err(_) => {
                    self.reply(node, &req, Reply::Redirect(None));
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
            let detail = format!(
                "no leader {} ms after the faults stopped",
                at_ms - us_to_ms(from_us)
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
