//! Deliberately injectable bugs, so the simulator's checkers can be shown to fail.
//! Each flag is read on exactly one cold path; all are off by default.

use core::fmt;

/// Injectable bugs. Names at every boundary are kebab case (`vote-ignores-log`).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Bugs {
    /// Grant votes without the up-to-date check of §5.4.1.
    pub vote_ignores_log: bool,
    /// Commit entries of earlier terms by counting replicas (breaks §5.4.2, Figure 8).
    pub commit_old_term: bool,
    /// `RawNode::restart` forgets votedFor, so a node can vote twice in one term (§5.2).
    pub forget_vote_on_restart: bool,
    /// Accept AppendEntries without checking prevLogTerm (breaks Log Matching, §5.3).
    pub skip_prev_log_check: bool,
    /// Release vote grants and append acks before the state they vouch for is persisted.
    pub ack_before_persist: bool,
    /// Serve reads from local state with no ReadIndex round (breaks linearizability, §8).
    pub stale_read: bool,
}

/// An unknown bug name.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnknownBug(pub String);

impl fmt::Display for UnknownBug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown bug name {:?}; known: {}",
            self.0,
            Bugs::ALL_NAMES.join(", ")
        )
    }
}

impl Bugs {
    /// Every bug name, kebab case.
    pub const ALL_NAMES: [&'static str; 6] = [
        "vote-ignores-log",
        "commit-old-term",
        "forget-vote-on-restart",
        "skip-prev-log-check",
        "ack-before-persist",
        "stale-read",
    ];

    fn flag_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "vote-ignores-log" => &mut self.vote_ignores_log,
            "commit-old-term" => &mut self.commit_old_term,
            "forget-vote-on-restart" => &mut self.forget_vote_on_restart,
            "skip-prev-log-check" => &mut self.skip_prev_log_check,
            "ack-before-persist" => &mut self.ack_before_persist,
            "stale-read" => &mut self.stale_read,
            _ => return None,
        })
    }

    /// Turn one bug on or off by its kebab name.
    pub fn set(&mut self, name: &str, on: bool) -> Result<(), UnknownBug> {
        match self.flag_mut(name) {
            Some(flag) => {
                *flag = on;
                Ok(())
            }
            None => Err(UnknownBug(name.to_string())),
        }
    }

    /// Bugs from a list of kebab names; the first unknown name is an error.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Bugs, UnknownBug> {
        let mut bugs = Bugs::default();
        for name in names {
            bugs.set(name.as_ref(), true)?;
        }
        Ok(bugs)
    }

    /// The kebab names of the bugs that are on, in a fixed order.
    pub fn names(&self) -> Vec<&'static str> {
        let flags = [
            self.vote_ignores_log,
            self.commit_old_term,
            self.forget_vote_on_restart,
            self.skip_prev_log_check,
            self.ack_before_persist,
            self.stale_read,
        ];
        Self::ALL_NAMES
            .iter()
            .zip(flags)
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect()
    }

    /// Whether any bug is on.
    pub fn any(&self) -> bool {
        !self.names().is_empty()
    }
}
