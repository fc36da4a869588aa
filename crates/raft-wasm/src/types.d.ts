// Types of the plain objects the Simulation class takes and returns. They mirror raft-sim's
// serde types (camelCase JSON; see docs/DESIGN.md); tests/types_match.rs checks that every key
// raft-sim produces is declared here.

/** A node id: a whole number from 1 (at most `Simulation.limits().nodesMax`). */
export type NodeId = number;
/** One end of a link: a server (its id) or a client (`"c1"`). */
export type Endpoint = NodeId | `c${number}`;
export type Term = number;
export type LogIndex = number;

export type BugName =
  | "vote-ignores-log"
  | "commit-old-term"
  | "forget-vote-on-restart"
  | "skip-prev-log-check"
  | "ack-before-persist"
  | "stale-read";

export type ReadMode = "readIndex" | "lease" | "staleFollower";
/** How messages arrive: `"auto"` when their latency has passed, `"manual"` when the user says
 * (`deliver`, `drop`, `duplicate`). */
export type Delivery = "auto" | "manual";
export type Role = "follower" | "preCandidate" | "candidate" | "leader";
export type NodeStatus = "up" | "paused" | "crashed";
export type MessageType =
  | "preVote" | "preVoteResp" | "vote" | "voteResp" | "append" | "appendResp"
  | "heartbeat" | "heartbeatResp" | "snapshot" | "snapshotResp" | "timeoutNow"
  | "readIndex" | "readIndexResp";

/** The config in effect (`sim.config()`). */
export interface SimConfig {
  /** Cluster size, 1 to 9. Default 5. */
  nodes: number;
  /** Master seed. A BigInt when above 2^53 - 1. */
  seed: number | bigint;
  heartbeatMs: number;
  electionTimeoutMsMin: number;
  electionTimeoutMsMax: number;
  latencyMsMin: number;
  latencyMsMax: number;
  lossPct: number;
  dupPct: number;
  diskLatencyMs: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Servers that heard a leader within the minimum election timeout ignore vote requests (§4.2.3). */
  leaderStickiness: boolean;
  fastBacktrack: boolean;
  readMode: ReadMode;
  clients: number;
  /** Automatic client load: one write every this many ms (0 = none). */
  clientWriteEveryMs: number;
  /** How long a client waits for an answer before trying another server (0 = derived from the timing). */
  clientRetryTimeoutMs: number;
  /** Compact a node's log past this many applied entries (0 = never). */
  snapshotThreshold: number;
  maxEntriesPerAppend: number;
  maxInflightAppends: number;
  bugs: BugName[];
  /** `"manual"`: arrived messages wait for `deliver`/`drop`/`duplicate`. Absent means `"auto"`. */
  delivery?: Delivery;
}

/** What `new Simulation(config)` takes: every field optional (a missing seed is random). */
export type SimConfigInput = Partial<SimConfig>;

/** Options of `setLink(from, to, options)`; omitted fields stay as they are. */
export interface LinkOptions {
  up?: boolean;
  /** Fixed latency in ms (sets both ends of the range). Also spelled `latencyMs`. */
  latency?: number;
  latencyMs?: number;
  latencyMin?: number;
  latencyMsMin?: number;
  latencyMax?: number;
  latencyMsMax?: number;
  /** Loss in percent, 0 to 100. Also spelled `lossPct`. */
  loss?: number;
  lossPct?: number;
  /** Duplication in percent, 0 to 100. Also spelled `dupPct`. */
  dup?: number;
  dupPct?: number;
}

/** Options of `setAllLinks(options)`: those of `setLink` except `up`. */
export type AllLinksOptions = Omit<LinkOptions, "up">;

/** A user action, as recorded in scenarios and accepted by `sim.apply(action)`. */
export type Action =
  | { type: "crash"; node: NodeId }
  | { type: "restart"; node: NodeId }
  | { type: "pause"; node: NodeId }
  | { type: "resume"; node: NodeId }
  | { type: "timeout"; node: NodeId }
  | { type: "partition"; groups: Endpoint[][] }
  | {
      type: "setLink"; from: Endpoint; to: Endpoint; up?: boolean; latencyMs?: number;
      latencyMsMin?: number; latencyMsMax?: number; lossPct?: number; dupPct?: number;
    }
  | {
      type: "setAllLinks"; latencyMs?: number; latencyMsMin?: number; latencyMsMax?: number;
      lossPct?: number; dupPct?: number;
    }
  | { type: "heal" }
  | { type: "setDelivery"; mode: Delivery }
  | { type: "deliver"; id: number }
  | { type: "drop"; id: number }
  | { type: "duplicate"; id: number }
  | { type: "clockSkew"; node: NodeId; ratePpm: number }
  | { type: "clientPut"; key: string; value: string; client?: number }
  | { type: "clientGet"; key: string; client?: number }
  | { type: "clientAppend"; key: string; value: string; client?: number }
  | { type: "clientCas"; key: string; expected: string | null; value: string; client?: number }
  | { type: "aimClient"; client: number; node: NodeId }
  | { type: "transferLeader"; to: NodeId }
  | { type: "addServer"; node: NodeId }
  | { type: "addLearner"; node: NodeId }
  | { type: "removeServer"; node: NodeId }
  | { type: "changeMembership"; voters: NodeId[]; learners?: NodeId[] }
  | { type: "compact"; node: NodeId }
  | { type: "setBug"; name: BugName; on: boolean }
  | { type: "setToggle"; name: "preVote" | "checkQuorum" | "fastBacktrack"; on: boolean }
  | { type: "setReadMode"; mode: ReadMode };

/** An action's `type` tag (`Simulation.actionTypes()` lists them all). */
export type ActionType = Action["type"];

export interface TimedAction {
  atMs: number;
  action: Action;
}

/** A reproducible run (`sim.scenario()`, `exportTrace()` as JSON, `fromScenario`). */
export interface Scenario {
  version: 1;
  title?: string;
  config: Partial<SimConfig>;
  actions: TimedAction[];
  endMs?: number;
  liveness?: { fromMs: number; boundMs: number };
}

export type KvOp =
  | { type: "put"; key: string; value: string }
  | { type: "get"; key: string }
  | { type: "append"; key: string; value: string }
  | { type: "cas"; key: string; expected: string | null; value: string };

export type KvResult =
  | { type: "ok" }
  | { type: "value"; value: string | null }
  | { type: "cas"; ok: boolean; current: string | null };

export type RoleReason =
  | { type: "electionTimeout"; timeoutMs: number }
  | { type: "forcedCampaign" }
  | { type: "timeoutNow"; from: NodeId }
  | { type: "preVoteWon" }
  | { type: "wonElection"; votes: NodeId[] }
  | { type: "lostElection"; rejections: NodeId[] }
  | { type: "higherTerm"; from: NodeId; term: Term }
  | { type: "leaderDiscovered"; leader: NodeId }
  | { type: "lostQuorum"; active: number }
  | { type: "removedFromConfig" }
  | { type: "notPromotable" };

export type DenyReason =
  | { type: "alreadyVoted"; votedFor: NodeId; term: Term }
  | { type: "hasLeader"; leader: NodeId }
  | {
      type: "logBehind"; candidateLastTerm: Term; candidateLastIndex: LogIndex;
      lastTerm: Term; lastIndex: LogIndex;
    }
  | { type: "staleTerm"; candidateTerm: Term; term: Term }
  | { type: "isLeader"; term: Term }
  | { type: "leaderSticky"; leader: NodeId; heardMsAgo: number }
  | { type: "recentlyStarted"; waitMs: number };

/** Why a follower's consistency check failed (Figure 2, AppendEntries receiver step 2). */
export type AppendRejectReason =
  | { type: "logTooShort"; lastIndex: LogIndex }
  | { type: "termMismatch"; term: Term };

/** Why a node refused a message outright and dropped it unanswered. */
export type RefusalReason =
  | { type: "indexBeyondLog"; index: LogIndex; lastIndex: LogIndex }
  | { type: "unknownSender" }
  | { type: "malformed"; detail: string };

export type NextIndexReason =
  | { type: "acked" }
  | { type: "sent" }
  | { type: "hint"; rejectHint: LogIndex; hintTerm: Term }
  | { type: "oneStep" }
  | { type: "backToMatch"; rejected: LogIndex; matched: LogIndex }
  | { type: "snapshotAnswered"; index: LogIndex }
  | { type: "probe" };

export type TransferAbortReason = "timeout" | "steppedDown" | "replaced" | "targetRemoved";
export type DropReason = "linkDown" | "lost" | "nodeDown" | "byHand";

/** One thing that happened. Every event has `kind` and `atMs` (simulated ms). */
export type TraceEvent =
  | {
      kind: "msgSent"; atMs: number; id: number; type: MessageType; from: NodeId; to: NodeId;
      term: Term; summary: string; deliverAtMs: number;
    }
  | {
      /** The summary is on the message's `msgSent`. */
      kind: "msgDelivered"; atMs: number; id: number; type: MessageType; from: NodeId;
      to: NodeId; term: Term;
    }
  | {
      kind: "msgDropped"; atMs: number; id: number; type: MessageType; from: NodeId;
      to: NodeId; reason: DropReason;
    }
  | { kind: "msgDuplicated"; atMs: number; id: number; copyId: number; deliverAtMs: number }
  | {
      kind: "roleChanged"; atMs: number; node: NodeId; from: Role; to: Role; term: Term;
      reason: RoleReason;
    }
  | { kind: "voteGranted"; atMs: number; node: NodeId; to: NodeId; term: Term; preVote: boolean }
  | {
      kind: "voteDenied"; atMs: number; node: NodeId; to: NodeId; term: Term; preVote: boolean;
      reason: DenyReason;
    }
  | {
      kind: "appendRejected"; atMs: number; node: NodeId; leader: NodeId; prevIndex: LogIndex;
      prevTerm: Term; reason: AppendRejectReason; hint: LogIndex; hintTerm: Term;
    }
  | { kind: "entriesAppended"; atMs: number; node: NodeId; from: LogIndex; to: LogIndex }
  | {
      kind: "entriesTruncated"; atMs: number; node: NodeId; from: LogIndex; to: LogIndex;
      conflictTerm: Term;
    }
  | {
      kind: "nextIndexMoved"; atMs: number; node: NodeId; peer: NodeId; from: LogIndex;
      to: LogIndex; reason: NextIndexReason;
    }
  | { kind: "commitAdvanced"; atMs: number; node: NodeId; from: LogIndex; to: LogIndex }
  | { kind: "applied"; atMs: number; node: NodeId; index: LogIndex }
  | { kind: "snapshotTaken"; atMs: number; node: NodeId; index: LogIndex; term: Term }
  | {
      kind: "snapshotSent"; atMs: number; node: NodeId; to: NodeId; index: LogIndex;
      needed: LogIndex; firstIndex: LogIndex;
    }
  | { kind: "snapshotInstalled"; atMs: number; node: NodeId; index: LogIndex; term: Term }
  | {
      kind: "confChanged"; atMs: number; node: NodeId; voters: NodeId[]; learners: NodeId[];
      votersOutgoing: NodeId[]; joint: boolean;
    }
  | { kind: "transferStarted"; atMs: number; node: NodeId; to: NodeId }
  | {
      kind: "transferAborted"; atMs: number; node: NodeId; to: NodeId;
      reason: TransferAbortReason;
    }
  | { kind: "clientInvoked"; atMs: number; client: number; opId: number; op: KvOp }
  | {
      kind: "clientSent"; atMs: number; client: number; opId: number; attempt: number;
      to: NodeId; reason: SendReason;
    }
  | {
      kind: "clientCompleted"; atMs: number; client: number; opId: number; result: KvResult;
      servedBy: NodeId;
    }
  | {
      kind: "clientMsgDropped"; atMs: number; client: number; node: NodeId; opId: number;
      attempt: number; reply: boolean; reason: DropReason;
    }
  | { kind: "nodeCrashed"; atMs: number; node: NodeId }
  | { kind: "nodeRestarted"; atMs: number; node: NodeId }
  | { kind: "nodePaused"; atMs: number; node: NodeId }
  | { kind: "nodeResumed"; atMs: number; node: NodeId }
  | { kind: "linkChanged"; atMs: number; from: Endpoint; to: Endpoint; up: boolean }
  | { kind: "action"; atMs: number; action: Action }
  | {
      kind: "msgRefused"; atMs: number; node: NodeId; from: NodeId; type: MessageType;
      reason: RefusalReason;
    }
  | {
      kind: "violation"; atMs: number; property: string; nodes: NodeId[];
      index: LogIndex | null; detail: string;
    };

export interface LogEntryView {
  index: LogIndex;
  term: Term;
  /** The command in words (`put x=1`, `no-op`, `conf change`). */
  summary: string;
}

export interface ProgressView {
  peer: NodeId;
  nextIndex: LogIndex;
  matchIndex: LogIndex;
  state: "probe" | "replicate" | "snapshot";
}

/** One row of a node's session table. */
export interface Session {
  lastSeq: number;
  lastResult: KvResult;
}

export interface NodeState {
  id: NodeId;
  status: NodeStatus;
  role: Role;
  term: Term;
  votedFor: NodeId | null;
  leader: NodeId | null;
  /** The newest entries (a window of at most 200, ending at `lastIndex`). */
  log: LogEntryView[];
  lastIndex: LogIndex;
  commitIndex: LogIndex;
  lastApplied: LogIndex;
  snapshotIndex: LogIndex;
  snapshotTerm: Term;
  /** When the election timer fires (null when not armed). */
  electionDeadlineMs: number | null;
  electionTimeoutMs: number;
  /** A leader's view of each follower; empty on other nodes. */
  progress: ProgressView[];
  voters: NodeId[];
  learners: NodeId[];
  /** The outgoing voters while a joint configuration is in effect. */
  jointVoters?: NodeId[];
  kv: Record<string, string>;
  /** The session table, keyed by client id: the last write applied for it and its result. */
  sessions: Record<string, Session>;
  clockSkewPpm: number;
  /** A write is on its way to disk. */
  diskBusy: boolean;
  /** What the disk holds now (the rest is memory, which may be ahead of it). */
  disk: DiskView;
  /** Candidates and pre-candidates: the answers received in this campaign. */
  votes: VoteRecord[];
}

export interface DiskView {
  term: Term;
  votedFor: NodeId | null;
  commitIndex: LogIndex;
  lastIndex: LogIndex;
}

export interface VoteRecord {
  node: NodeId;
  granted: boolean;
}

/** A message's fields by Figure 2's names; only those its type has are present. */
export interface MsgFields {
  candidateId?: NodeId;
  lastLogIndex?: LogIndex;
  lastLogTerm?: Term;
  voteGranted?: boolean;
  leaderId?: NodeId;
  prevLogIndex?: LogIndex;
  prevLogTerm?: Term;
  entries?: { index: LogIndex; term: Term }[];
  leaderCommit?: LogIndex;
  success?: boolean;
  matchIndex?: LogIndex;
  conflictIndex?: LogIndex;
  conflictTerm?: Term;
  lastIncludedIndex?: LogIndex;
  lastIncludedTerm?: Term;
}

export interface LinkView {
  from: Endpoint;
  to: Endpoint;
  up: boolean;
  latencyMsMin: number;
  latencyMsMax: number;
  lossPct: number;
  dupPct: number;
}

export interface InFlightView {
  id: number;
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: Term;
  sentAtMs: number;
  deliverAtMs: number;
  summary: string;
  fields: MsgFields;
  /** Manual delivery: its latency has passed (at `deliverAtMs`) and it waits for the user. */
  waiting: boolean;
}

export interface ClientOutstanding {
  opId: number;
  seq: number;
  op: KvOp;
  invokedAtMs: number;
  attempt: number;
  sentTo: NodeId;
  /** Why this attempt went to `sentTo`. */
  reason: SendReason;
}

/** Why a client sent its request where it did (§6.2): its first try, a redirect, a timeout. */
export type SendReason =
  | { type: "first" }
  /** `from` said it is not the leader; `hint`: the server it named, if the client went there. */
  | { type: "redirected"; from: NodeId; hint: NodeId | null }
  /** `from` did not answer in time. */
  | { type: "timedOut"; from: NodeId };

export interface ClientView {
  id: number;
  /** Where its next request goes. */
  leaderGuess: NodeId;
  /** The servers of the latest configuration it has heard of (§6.2). */
  knownServers: NodeId[];
  pending: ClientOutstanding | null;
  queued: number;
  completed: number;
  lastOpId: number | null;
  lastResult: KvResult | null;
  lastServedBy: NodeId | null;
}

export interface Violation {
  atMs: number;
  property: string;
  nodes: NodeId[];
  index: LogIndex | null;
  detail: string;
}

export interface CheckReport {
  ok: boolean;
  violations: Violation[];
}

/** Everything the page draws (`sim.state()`). */
export interface ClusterState {
  nowMs: number;
  nodes: NodeState[];
  links: LinkView[];
  /** Client <-> server links, both directions. */
  clientLinks: LinkView[];
  inFlight: InFlightView[];
  clients: ClientView[];
  checker: CheckReport;
}

/** The limits inputs are checked against (`Simulation.limits()`). */
export interface Limits {
  nodesMax: number;
  clientsMax: number;
  keyBytesMax: number;
  valueBytesMax: number;
  /** The most simulated ms one `advance`/`seek` may ask for, and a replay may run. */
  simMsMax: number;
  /** Queue items one call may process; a call that reaches it stops there with a RangeError. */
  eventsPerCallMax: number;
  /** Log entries all nodes' disks may hold together before time stops. */
  logEntriesMax: number;
  /** Events that may wait in the queue at once before time stops. */
  queueEventsMax: number;
  /** Trace events one `advance` returns at most (the oldest are dropped). */
  traceReturnMax: number;
  /** Characters a share link may have. */
  linkCharsMax: number;
}

/** Options of `Simulation.fromLink` and `Simulation.fromScenario`. */
export interface OpenOptions {
  /** false: open at time 0 with the actions recorded, to replay as time passes (default true). */
  replay?: boolean;
}
