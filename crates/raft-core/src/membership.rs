//! How a node applies configurations: on append (dissertation §4.1: "a server always uses the
//! latest configuration in its log, regardless of whether the entry is committed"), rolled back on
//! truncation, and replaced by a snapshot's.

use crate::nodes::NodeSet;

use crate::confchange::{apply_conf_change, ConfChange};
use crate::events::{Event, TransferAbortReason};
use crate::progress::Progress;
use crate::quorum::JointConfig;
use crate::raft::Raft;
use crate::types::{ConfState, Entry, EntryKind, LogIndex, Role};

impl Raft {
    // ---- configuration ------------------------------------------------------------------

    /// Install `cs` as the configuration in force (on append, truncation, snapshot or restart).
    pub fn set_conf(&mut self, cs: &ConfState) {
        let was_promotable = self.promotable();
        self.voters = JointConfig {
            incoming: cs.voters.iter().copied().collect(),
            outgoing: cs.voters_outgoing.iter().copied().collect(),
        };
        self.learners = cs.learners.iter().copied().collect();
        if !was_promotable && self.promotable() && self.role != Role::Leader {
            // A promoted learner starts its election timer now, not from a stale deadline.
            self.reset_election_timer();
        }
        if self.role == Role::Leader {
            let members = self.tracked_members();
            self.progress.retain(|id, _| members.contains(id));
            let next = self.log.last_index().next();
            let cap = self.cfg.max_inflight_appends;
            for id in members {
                self.progress.get_or_insert_with(id, || {
                    let mut pr = Progress::new(next, cap);
                    pr.recent_active = true;
                    pr
                });
            }
            if let Some((to, _)) = self.transfer {
                if !self.voters.contains(to) {
                    self.transfer = None;
                    self.event(Event::TransferAborted {
                        to,
                        reason: TransferAbortReason::TargetRemoved,
                    });
                }
            }
        }
    }

    /// Whom the leader replicates to: the configuration in force, plus the members of the last
    /// committed one while a change is pending, so that a server being removed still receives
    /// the entry that removes it and stops campaigning (dissertation §4.2.3).
    pub(crate) fn tracked_members(&self) -> NodeSet {
        let mut members: NodeSet = self.voters.ids().union(&self.learners);
        if self.conf.current_index() > self.log.committed {
            members.extend(self.conf.at(self.log.committed).members());
        }
        members
    }

    /// Once a change commits, stop replicating to the servers it removed.
    pub(crate) fn prune_progress(&mut self) {
        if self.conf.current_index() <= self.log.committed {
            let members = self.tracked_members();
            self.progress.retain(|id, _| members.contains(id));
        }
    }

    fn conf_changed_event(&mut self, index: LogIndex) {
        let cs = self.conf.current().clone();
        self.event(Event::ConfChanged {
            voters: cs.voters,
            learners: cs.learners,
            voters_outgoing: cs.voters_outgoing,
            index,
        });
    }

    /// Append entries to the local log, truncating a conflicting suffix, and let configuration
    /// entries take effect at once (dissertation §4.1), rolling back truncated ones. The entries
    /// are moved into the log, not copied.
    pub fn append_to_log(&mut self, ents: impl IntoIterator<Item = Entry>) {
        let Some(t) = self.log.append(ents) else {
            return;
        };
        let (first_index, last_index) = (t.first, self.log.last_index());
        if let Some(t) = t.truncated {
            self.event(Event::EntriesTruncated {
                from: t.from,
                to: t.to,
                conflict_term: t.conflict_term,
            });
            if self.conf.truncate_from(t.from) {
                let cs = self.conf.current().clone();
                self.set_conf(&cs);
                let idx = self.conf.current_index();
                self.conf_changed_event(idx);
            }
        }
        self.event(Event::EntriesAppended {
            from: first_index,
            to: last_index,
        });
        // Configuration entries are rare: this list is almost always empty (no allocation).
        let changes: Vec<(LogIndex, ConfChange)> = self
            .log
            .slice(first_index, last_index)
            .filter_map(|e| match &e.kind {
                EntryKind::ConfChange { change } => Some((e.index, (**change).clone())),
                _ => None,
            })
            .collect();
        for (index, change) in changes {
            // A change that does not apply (only possible with injected bugs) is skipped.
            if let Ok(cs) = apply_conf_change(self.conf.current(), &change) {
                self.conf.push(index, cs.clone());
                self.set_conf(&cs);
                self.conf_changed_event(index);
            }
        }
    }
}
