//! Driving one node: raft-core's Ready loop (persist on the simulated disk, send, apply, serve
//! reads, `advance` once durable), and mapping raft-core's events into the trace and the
//! checkers.

use raft_core::{Event, Message, NodeId, Role};

use crate::client::Reply;
use crate::network::{ms_to_us, Fate};
use crate::node::{persist, NodeStatus, PendingWrite};
use crate::trace::{us_to_ms, TraceEvent};
use crate::world::{Ev, World, READY_ROUNDS_MAX};

impl World {
    /// Process every Ready the node has, in the order of raft-core's contract: queue the
    /// persistence on the disk, send, apply, serve reads; `advance` once the write is durable.
    /// Writes are pipelined (etcd's async storage writes): the node keeps working while its disk
    /// is busy, but what vouches for a write (acks, votes) waits inside raft-core until `advance`.
    pub fn drive(&mut self, id: NodeId) {
        let disk_us = ms_to_us(self.cfg.disk_latency_ms);
        for _ in 0..READY_ROUNDS_MAX {
            let now = self.now_us;
            let Some(n) = self.nodes.get_mut(&id) else {
                return;
            };
            if n.status != NodeStatus::Up {
                break;
            }
            let Some(r) = n.raft.as_mut() else { break };
            if !r.has_ready() {
                break;
            }
            // The world's one Ready, refilled every round (`RawNode::ready_into`): its lists
            // keep their room, so a round allocates none of them.
            let mut rd = self.ready.take().unwrap_or_default();
            r.ready_into(&mut rd);
            let must_persist = rd.must_persist();
            let token = rd.persist_token();
            let installed = rd.snapshot.take();
            let snapshot = installed.clone().or(rd.compacted.take());
            let write = PendingWrite {
                token,
                hard_state: rd.hard_state,
                snapshot,
                truncate_from: rd.truncate_from,
                entries: std::mem::take(&mut rd.entries),
                done_us: 0,
                durable: false,
            };
            self.record_events(id, &rd.events, &write);
            self.forget_summaries(id, &write);
            self.send_messages(&mut rd.messages);
            if let Some(snap) = &installed {
                self.install_snapshot(id, snap);
            }
            self.apply_committed(id, &rd.committed_entries);
            for rs in rd.read_states.drain(..) {
                self.read_state(id, rs.ctx, rs.index.0);
            }
            self.serve_ready_reads(id);
            self.maybe_compact(id);
            let n = self.nodes.get_mut(&id).expect("node exists");
            if n.pending_writes.is_empty() && (!must_persist || disk_us == 0) {
                let before = n.storage.hard_state;
                persist(&mut n.storage, &write);
                let after = n.storage.hard_state;
                if let Some(r) = n.raft.as_mut() {
                    r.advance(write.token);
                }
                // Written: the entry list goes back for the next round.
                rd.entries = write.entries;
                self.safety
                    .on_persist_hard_state(us_to_ms(now), id, before, after);
                self.assert_disk_matches_belief(id);
            } else {
                // Behind earlier writes even when there is nothing to write: tokens are
                // released in order, or an earlier write's acks would leave too soon.
                let cost = if must_persist { disk_us } else { 0 };
                let done_us = now.max(n.disk_free_us) + cost;
                n.disk_free_us = done_us;
                let incarnation = n.incarnation;
                n.pending_writes
                    .push_back(PendingWrite { done_us, ..write });
                self.queue.push(
                    done_us,
                    Ev::DiskDone {
                        node: id,
                        incarnation,
                    },
                );
            }
            self.ready = Some(rd);
        }
        self.reschedule_timer(id);
    }

    /// The disk finished the writes due by now: make them durable, then release their tokens.
    pub(crate) fn disk_done(&mut self, id: NodeId, incarnation: u64) {
        let now = self.now_us;
        let Some(n) = self.nodes.get_mut(&id) else {
            return;
        };
        if n.incarnation != incarnation {
            return;
        }
        let mut changes = Vec::new();
        for w in n.pending_writes.iter_mut() {
            if w.done_us > now {
                break;
            }
            if !w.durable {
                w.durable = true;
                let before = n.storage.hard_state;
                persist(&mut n.storage, w);
                changes.push((before, n.storage.hard_state));
            }
        }
        for (before, after) in changes {
            self.safety
                .on_persist_hard_state(us_to_ms(now), id, before, after);
        }
        let n = self.nodes.get_mut(&id).expect("exists");
        if n.status != NodeStatus::Up {
            return; // paused: advance on resume
        }
        self.advance_durable(id);
        self.drive(id);
    }

    /// Hand every durable write's token to raft-core, oldest first.
    pub fn advance_durable(&mut self, id: NodeId) {
        let Some(n) = self.nodes.get_mut(&id) else {
            return;
        };
        while n.pending_writes.front().is_some_and(|w| w.durable) {
            let w = n.pending_writes.pop_front().expect("front exists");
            if let Some(r) = n.raft.as_mut() {
                r.advance(w.token);
            }
        }
        self.assert_disk_matches_belief(id);
    }

    /// The persistence boundary, checked from both sides (a paired assertion): once every write
    /// is on the disk and advanced, the disk holds exactly what raft-core believes it persisted:
    /// the hard state it handed out, and the log up to its stable index and not beyond.
    fn assert_disk_matches_belief(&mut self, id: NodeId) {
        let Some(n) = self.nodes.get(&id) else { return };
        let Some(r) = n.raft.as_ref() else { return };
        if !n.pending_writes.is_empty() {
            return;
        }
        let b = r.believed_durable();
        if !b.fully_advanced {
            return;
        }
        let disk = &n.storage;
        let disk_last_term = disk
            .entries
            .last()
            .map(|e| e.term)
            .or(disk.snapshot.as_ref().map(|s| s.term))
            .unwrap_or_default();
        let detail = if disk.hard_state != b.hard_state {
            format!(
                "node {id}'s disk holds term {}, vote {}, commit {} where the node believes it persisted term {}, vote {}, commit {}",
                disk.hard_state.term,
                vote_text(disk.hard_state.vote),
                disk.hard_state.commit,
                b.hard_state.term,
                vote_text(b.hard_state.vote),
                b.hard_state.commit
            )
        } else if disk.last_index() != b.stable_index {
            format!(
                "node {id}'s disk ends at index {} where the node believes its log is stable up to {}",
                disk.last_index(),
                b.stable_index
            )
        } else if b.stable_term.is_some_and(|t| t != disk_last_term) {
            format!(
                "node {id}'s disk has an entry of term {disk_last_term} at index {} where the node's log has term {}",
                b.stable_index,
                b.stable_term.unwrap_or_default()
            )
        } else {
            return;
        };
        let at_ms = self.now_ms();
        self.safety
            .report(at_ms, "diskMatchesNode", vec![id], None, detail);
    }

    /// Trace raft-core's events and feed the checkers, in the order they happened.
    fn record_events(&mut self, id: NodeId, events: &[Event], write: &PendingWrite) {
        let at_ms = self.now_ms();
        let mut became_leader = false;
        let mut commits = Vec::new();
        for ev in events {
            let te = match ev.clone() {
                Event::RoleChanged {
                    from,
                    to,
                    term,
                    reason,
                } => {
                    self.safety.on_role(at_ms, id, to, term);
                    became_leader = to == Role::Leader;
                    Some(TraceEvent::RoleChanged {
                        at_ms,
                        node: id,
                        from,
                        to,
                        term,
                        reason,
                    })
                }
                Event::VoteGranted { to, term, pre_vote } => Some(TraceEvent::VoteGranted {
                    at_ms,
                    node: id,
                    to,
                    term,
                    pre_vote,
                }),
                Event::VoteDenied {
                    to,
                    term,
                    pre_vote,
                    reason,
                } => Some(TraceEvent::VoteDenied {
                    at_ms,
                    node: id,
                    to,
                    term,
                    pre_vote,
                    reason,
                }),
                Event::AppendRejected {
                    from,
                    prev_index,
                    prev_term,
                    reason,
                    reject_hint,
                    hint_term,
                } => Some(TraceEvent::AppendRejected {
                    at_ms,
                    node: id,
                    leader: from,
                    prev_index,
                    prev_term,
                    reason,
                    hint: reject_hint,
                    hint_term,
                }),
                Event::EntriesAppended { from, to } => Some(TraceEvent::EntriesAppended {
                    at_ms,
                    node: id,
                    from,
                    to,
                }),
                Event::EntriesTruncated {
                    from,
                    to,
                    conflict_term,
                } => {
                    self.safety.on_truncate_event(at_ms, id, from, to);
                    Some(TraceEvent::EntriesTruncated {
                        at_ms,
                        node: id,
                        from,
                        to,
                        conflict_term,
                    })
                }
                Event::NextIndexMoved {
                    peer,
                    from,
                    to,
                    reason,
                } => Some(TraceEvent::NextIndexMoved {
                    at_ms,
                    node: id,
                    peer,
                    from,
                    to,
                    reason,
                }),
                Event::CommitAdvanced { from, to } => {
                    commits.push((from, to));
                    Some(TraceEvent::CommitAdvanced {
                        at_ms,
                        node: id,
                        from,
                        to,
                    })
                }
                Event::SnapshotTaken { index, term } => Some(TraceEvent::SnapshotTaken {
                    at_ms,
                    node: id,
                    index,
                    term,
                }),
                Event::SnapshotSent {
                    to,
                    index,
                    needed,
                    first_index,
                } => Some(TraceEvent::SnapshotSent {
                    at_ms,
                    node: id,
                    to,
                    index,
                    needed,
                    first_index,
                }),
                Event::SnapshotInstalled { index, term, .. } => {
                    Some(TraceEvent::SnapshotInstalled {
                        at_ms,
                        node: id,
                        index,
                        term,
                    })
                }
                Event::ConfChanged {
                    voters,
                    learners,
                    voters_outgoing,
                    ..
                } => Some(TraceEvent::ConfChanged {
                    at_ms,
                    node: id,
                    joint: !voters_outgoing.is_empty(),
                    voters,
                    learners,
                    voters_outgoing,
                }),
                Event::TransferStarted { to } => Some(TraceEvent::TransferStarted {
                    at_ms,
                    node: id,
                    to,
                }),
                Event::TransferAborted { to, reason } => Some(TraceEvent::TransferAborted {
                    at_ms,
                    node: id,
                    to,
                    reason,
                }),
                _ => None,
            };
            if let Some(te) = te {
                self.emit(te);
            }
        }
        if let Some(s) = &write.snapshot {
            self.safety.on_snapshot(id, s.index, s.term);
        }
        self.safety
            .on_log_write(at_ms, id, write.truncate_from, &write.entries);
        for (from, to) in commits {
            self.safety.on_commit(at_ms, id, from, to);
        }
        if became_leader && self.safety.role(id) == Some(Role::Leader) {
            let term = self.nodes[&id]
                .raft
                .as_ref()
                .map(|r| r.status().term)
                .unwrap_or_default();
            self.safety.check_leader_completeness(at_ms, id, term);
        }
    }

    /// Send (or drop) each message, in order; `messages` is left empty with its room.
    pub fn send_messages(&mut self, messages: &mut Vec<Message>) {
        for msg in messages.drain(..) {
            let id = self.next_msg_id;
            self.next_msg_id += 1;
            let at_ms = self.now_ms();
            let fate = self.net.send(msg.from.0, msg.to.0, self.now_us);
            let deliver_at_us = match fate {
                Fate::Deliver { at_us, .. } => at_us,
                Fate::Dropped(_) => self.now_us,
            };
            self.emit_msg(id, &msg, Some(deliver_at_us));
            match fate {
                Fate::Dropped(reason) => {
                    let (from, to) = (msg.from, msg.to);
                    let msg_type = msg.kind_name().into();
                    self.emit(TraceEvent::MsgDropped {
                        at_ms,
                        id,
                        msg_type,
                        from,
                        to,
                        reason,
                    });
                }
                Fate::Deliver {
                    at_us,
                    duplicate_at_us,
                } => {
                    if let Some(dup_at) = duplicate_at_us {
                        let copy_id = self.next_msg_id;
                        self.next_msg_id += 1;
                        self.emit(TraceEvent::MsgDuplicated {
                            at_ms,
                            id,
                            copy_id,
                            deliver_at_ms: us_to_ms(dup_at),
                        });
                        self.queue.push(
                            dup_at,
                            Ev::Deliver {
                                id: copy_id,
                                msg: msg.clone(),
                                sent_us: self.now_us,
                            },
                        );
                    }
                    self.queue.push(
                        at_us,
                        Ev::Deliver {
                            id,
                            msg,
                            sent_us: self.now_us,
                        },
                    );
                }
            }
        }
    }

    fn install_snapshot(&mut self, id: NodeId, snap: &raft_core::Snapshot) {
        let n = self.nodes.get_mut(&id).expect("node exists");
        if snap.index > n.applied {
            n.kv = crate::kv::KvStore::from_snapshot(&snap.data);
            n.applied = snap.index;
            n.compacted = snap.index;
            n.proposals.retain(|&i, _| i > snap.index.0);
            self.safety.on_apply_snapshot(id, snap.index);
        }
    }

    fn apply_committed(&mut self, id: NodeId, committed: &[raft_core::Entry]) {
        if committed.is_empty() {
            return;
        }
        let at_ms = self.now_ms();
        let n = self.nodes.get_mut(&id).expect("node exists");
        // Committed entries come in index order: the ones not applied yet are a suffix.
        let fresh = &committed[committed.partition_point(|e| e.index <= n.applied)..];
        if fresh.is_empty() {
            return;
        }
        let mut replies = Vec::new();
        let mut duplicates = 0;
        for e in fresh {
            n.applied = e.index;
            if let Some(cmd) = self.commands.decode(e) {
                let (result, fresh) = n.kv.apply_checked(cmd);
                if !fresh {
                    duplicates += 1;
                }
                if let Some(req) = n.proposals.remove(&e.index.0) {
                    if req.client == cmd.client && req.seq == cmd.seq {
                        replies.push((req, result));
                    }
                }
            }
            n.proposals.retain(|&i, _| i > e.index.0);
        }
        let last = n.applied;
        self.duplicates_suppressed += duplicates;
        self.safety.on_apply(at_ms, id, fresh);
        self.emit(TraceEvent::Applied {
            at_ms,
            node: id,
            index: last,
        });
        for (req, result) in replies {
            self.reply(id, &req, Reply::Done(result));
        }
    }

    /// Compact once `snapshotThreshold` entries were applied since the last snapshot.
    fn maybe_compact(&mut self, id: NodeId) {
        let threshold = self.cfg.snapshot_threshold;
        if threshold == 0 {
            return;
        }
        let n = self.nodes.get_mut(&id).expect("node exists");
        if n.applied.0 < n.compacted.0 + threshold {
            return;
        }
        let Some(r) = n.raft.as_mut() else { return };
        if r.compact(n.applied, n.kv.to_snapshot()).is_ok() {
            n.compacted = n.applied;
        }
    }

    /// Compact now (the `compact` action); Err when there is nothing new to compact.
    pub fn compact_now(&mut self, id: NodeId) -> Result<(), String> {
        let n = self.nodes.get_mut(&id).ok_or("no such node")?;
        let r = n.raft.as_mut().ok_or("node is crashed")?;
        r.compact(n.applied, n.kv.to_snapshot())
            .map_err(|e| e.to_string())?;
        n.compacted = n.applied;
        self.drive(id);
        Ok(())
    }

    /// A write that cuts the log drops the display text `state()` cached for what it cut (an
    /// entry written again at an index may have the same term after an injected bug).
    fn forget_summaries(&mut self, id: NodeId, write: &PendingWrite) {
        let Some(n) = self.nodes.get_mut(&id) else {
            return;
        };
        let summaries = n.summaries.get_mut();
        let cut = write
            .truncate_from
            .or(write.entries.first().map(|e| e.index));
        // Appends past the end (the common case) cut nothing; skip the O(n) pass for them.
        if let Some(from) = cut.filter(|f| summaries.last().is_some_and(|(&k, _)| k >= f.0)) {
            summaries.retain(|&index, _| index < from.0);
        }
    }
}

/// A vote as the durability check's message has always written it (`Some(3)`, `None`), by
/// hand: `{:?}` on an `Option` was the only `Debug` of an option in the wasm.
fn vote_text(vote: Option<NodeId>) -> String {
    match vote {
        Some(n) => format!("Some({})", n.0),
        None => "None".to_string(),
    }
}
