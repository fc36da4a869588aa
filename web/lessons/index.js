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
import figure8 from './figure-8.json' with { type: 'json' };
import figure8ByHand from './figure-8-by-hand.json' with { type: 'json' };
import figure8Bug from './figure-8-bug.json' with { type: 'json' };
import noOp from './no-op.json' with { type: 'json' };
import persistence from './persistence.json' with { type: 'json' };
import forgetVote from './forget-vote.json' with { type: 'json' };
import ackBeforePersist from './ack-before-persist.json' with { type: 'json' };
import exactlyOnce from './exactly-once.json' with { type: 'json' };
import readIndex from './read-index.json' with { type: 'json' };
import staleRead from './stale-read.json' with { type: 'json' };
import leaseRead from './lease-read.json' with { type: 'json' };
import snapshot from './snapshot.json' with { type: 'json' };
import membership from './membership.json' with { type: 'json' };
import jointConsensus from './joint-consensus.json' with { type: 'json' };
import prevote from './prevote.json' with { type: 'json' };
import checkQuorum from './check-quorum.json' with { type: 'json' };
import leaderTransfer from './leader-transfer.json' with { type: 'json' };

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
  figure8,
  figure8ByHand,
  figure8Bug,
  noOp,
  persistence,
  forgetVote,
  ackBeforePersist,
  exactlyOnce,
  readIndex,
  staleRead,
  leaseRead,
  snapshot,
  membership,
  jointConsensus,
  prevote,
  checkQuorum,
  leaderTransfer,
];
