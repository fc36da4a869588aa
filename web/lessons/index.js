// @ts-check
// The lessons as modules, so that a bundler (Vite, …) packs them like any other import and an
// unbundled page loads them the same way; the page never builds a URL to a lesson file.
// One import per lesson listed in index.json, in the same order (`raft-sim lessons --check` and
// tests/js/lessons.test.mjs fail when the two differ). docs/LESSONS.md says how to add one.

import index from './index.json' with { type: 'json' };
import electionPaper from './election-paper.json' with { type: 'json' };
import election from './election.json' with { type: 'json' };
import leaderCrash from './leader-crash.json' with { type: 'json' };
import minorityLeader from './minority-leader.json' with { type: 'json' };
import splitVote from './split-vote.json' with { type: 'json' };
import upToDateCheck from './up-to-date-check.json' with { type: 'json' };
import logReplication from './log-replication.json' with { type: 'json' };
import logMatching from './log-matching.json' with { type: 'json' };
import fastBacktrack from './fast-backtrack.json' with { type: 'json' };

/** The topic vocabulary and the lesson order. */
export const INDEX = index;

/** Every lesson, in the order of `INDEX.lessons`. */
export const LESSONS = [
  electionPaper,
  election,
  leaderCrash,
  minorityLeader,
  splitVote,
  upToDateCheck,
  logReplication,
  logMatching,
  fastBacktrack,
];
