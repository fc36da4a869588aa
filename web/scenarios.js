// @ts-check
// Guided scenarios, one per idea in the seed write-ups. Each is a Scenario (docs/DESIGN.md):
// a config with a fixed seed and timed actions. The page opens one at time 0 and plays it, so
// the recorded actions happen in front of the viewer; the slider spans the whole scenario.
// Node ids in the actions were chosen for these seeds (checked by tests/e2e/scenarios.spec.mjs).

/**
 * @typedef {Object} Guided
 * @property {string} id
 * @property {{ en: string, zh: string }} title
 * @property {{ en: string, zh: string }} what what to watch for
 * @property {import('./driver.js').ScenarioInput} scenario
 */

/** @type {Guided[]} */
export const SCENARIOS = [
  {
    id: 'prevote',
    title: { en: 'PreVote: a node rejoins quietly', zh: '预投票：节点悄悄地重新加入' },
    what: {
      en: 'S2 is cut off for two seconds. With PreVote it asks “could I win?” first; nobody agrees while a leader is alive, so its term does not grow and it rejoins without disturbing the leader. Turn PreVote off in Settings and play it again to see the disruption.',
      zh: 'S2 被隔离两秒钟。开启预投票时，它先问“我能赢吗？”；领导者还活着，没有节点同意，所以它的任期号不会增长，重新连上后不会打扰领导者。在“设置”里关闭预投票再播放一次，可以看到它造成的干扰。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1, preVote: true },
      actions: [
        { atMs: 700, action: { type: 'partition', groups: [[2], [1, 3, 4, 5]] } },
        { atMs: 2700, action: { type: 'heal' } },
      ],
      endMs: 3600,
    },
  },
  {
    id: 'no-prevote',
    title: { en: 'Without PreVote: the rejoining node disrupts', zh: '没有预投票：重新加入的节点造成干扰' },
    what: {
      en: 'The same cut, with PreVote off. Alone, S2 times out again and again and raises its term each time. When it comes back its higher term forces the healthy leader to step down and a new election follows.',
      zh: '同样的隔离，但关闭了预投票。S2 独自一次又一次地超时，每次都增加任期号。它重新连上后，更大的任期号迫使健康的领导者退位，集群只能重新选举。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1, preVote: false, checkQuorum: false },
      actions: [
        { atMs: 700, action: { type: 'partition', groups: [[2], [1, 3, 4, 5]] } },
        { atMs: 2700, action: { type: 'heal' } },
      ],
      endMs: 3600,
    },
  },
  {
    id: 'repair',
    title: { en: 'Log repair by hint', zh: '按提示修复日志' },
    what: {
      en: 'S5 is down while the leader S1 appends many entries. At 1900 ms S1 hands leadership to S2, which knows nothing of S5’s log and so starts right after its own last entry. When S5 comes back its log is short: the append fails the consistency check, S5 replies with a hint (its log ends at index 4), and the leader jumps nextIndex straight back to 5 instead of stepping back one entry at a time (switch to “step back” in Settings to compare).',
      zh: 'S5 宕机期间，领导者 S1 追加了很多日志项。1900 毫秒时 S1 把领导权交给 S2；S2 不了解 S5 的日志，只能从自己最后一个日志项之后开始。S5 回来时日志很短：日志复制没有通过一致性检查，S5 回复一个提示（它的日志只到索引 4），领导者直接把 nextIndex 跳回 5，而不是每次后退一个（在“设置”里切换成“每次后退一个索引”可以对比）。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1, clientWriteEveryMs: 40 },
      // A new leader: the old one kept S5 in its pipelining state, and a rejection there goes
      // back to S5's matchIndex without using the hint (nextIndexMoved says backToMatch).
      actions: [
        { atMs: 600, action: { type: 'crash', node: 5 } },
        { atMs: 1900, action: { type: 'transferLeader', to: 2 } },
        { atMs: 2000, action: { type: 'restart', node: 5 } },
      ],
      endMs: 2800,
    },
  },
  {
    id: 'snapshot',
    title: { en: 'Snapshots and InstallSnapshot', zh: '快照与安装快照' },
    what: {
      en: 'Every node compacts its log into a snapshot every 8 entries (the hatched block). S5 is down meanwhile; when it returns, the entries it needs are gone, so the leader sends an InstallSnapshot (purple square) instead.',
      zh: '每个节点每 8 个日志项把日志压缩成一次快照（斜线块）。S5 在此期间宕机；它回来时需要的日志项已被丢弃，所以领导者改为发送安装快照 RPC（紫色方块）。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1, clientWriteEveryMs: 40, snapshotThreshold: 8 },
      actions: [
        { atMs: 600, action: { type: 'crash', node: 5 } },
        { atMs: 2000, action: { type: 'restart', node: 5 } },
      ],
      endMs: 2800,
    },
  },
  {
    id: 'transfer',
    title: { en: 'Leadership transfer', zh: '领导权转移' },
    what: {
      en: 'The leader S3 is asked to hand over to S5. It brings S5’s log up to date, then sends TimeoutNow (yellow triangle); S5 campaigns at once and wins the next term.',
      zh: '领导者 S3 被要求把领导权交给 S5。它先让 S5 的日志跟上，然后发送 TimeoutNow（黄色三角形）；S5 立即发起选举并赢得下一个任期。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1 },
      actions: [
        { atMs: 800, action: { type: 'clientPut', key: 'x', value: '1' } },
        { atMs: 1000, action: { type: 'transferLeader', to: 5 } },
      ],
      endMs: 1800,
    },
  },
  {
    id: 'joint',
    title: { en: 'Joint consensus: 3 → 5 servers', zh: '联合共识：从 3 台到 5 台' },
    what: {
      en: 'At 1000 ms the leader S3 is asked to move from {S1, S2, S3} to {S1 … S5}. Switching every server at once could let two majorities decide at the same time, so it first appends C_old,new (the feed says “joint consensus”): while it is in force, an entry commits, and a leader is elected, only with a majority of the old voters and a majority of the new ones. S4 and S5 start empty and catch up. Once C_old,new commits, the leader appends C_new alone and the cluster runs with five voters.',
      zh: '1000 毫秒时，领导者 S3 被要求把成员从 {S1, S2, S3} 换成 {S1 … S5}。如果所有服务器同时切换，可能出现两个大多数同时做决定，所以它先追加联合配置 C_old,new（事件列表中标有“联合共识”）：在它生效期间，日志项的提交和领导者的选举都必须同时得到旧成员的大多数和新成员的大多数。S4 和 S5 从空日志开始追赶。C_old,new 提交后，领导者再追加只含 C_new 的配置，集群从此有五个投票成员。',
    },
    scenario: {
      version: 1,
      config: { nodes: 3, seed: 1 },
      actions: [
        { atMs: 800, action: { type: 'clientPut', key: 'x', value: '1' } },
        { atMs: 1000, action: { type: 'changeMembership', voters: [1, 2, 3, 4, 5] } },
        { atMs: 1800, action: { type: 'clientPut', key: 'x', value: '2' } },
      ],
      endMs: 2600,
    },
  },
  {
    id: 'read-index',
    title: { en: 'Linearizable reads with ReadIndex', zh: '用 ReadIndex 实现线性一致的读' },
    what: {
      en: 'Client 2 last talked to S3. S3 and S1 are cut off; client 1 writes k = new through the majority’s new leader. When client 2 then reads from S3, S3 first needs a heartbeat round with a majority to confirm it still leads. It cannot get one, so the read times out and goes to the real leader, which answers “new”.',
      zh: '客户端 2 上一次访问的是 S3。S3 和 S1 被隔离后，客户端 1 通过多数派的新领导者写入 k = new。随后客户端 2 向 S3 读取：S3 必须先和大多数节点完成一轮心跳，确认自己仍是领导者。它做不到，于是读请求超时，转到真正的领导者，读到 “new”。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1, clients: 2, checkQuorum: false, readMode: 'readIndex' },
      actions: [
        { atMs: 700, action: { type: 'clientPut', key: 'k', value: 'old', client: 1 } },
        { atMs: 800, action: { type: 'clientGet', key: 'k', client: 2 } },
        { atMs: 1000, action: { type: 'partition', groups: [[3, 1], [2, 4, 5]] } },
        { atMs: 1700, action: { type: 'clientPut', key: 'k', value: 'new', client: 1 } },
        { atMs: 2600, action: { type: 'clientGet', key: 'k', client: 2 } },
      ],
      endMs: 3500,
    },
  },
  {
    id: 'bug-stale-read',
    title: { en: 'Break Raft: stale reads', zh: '破坏 Raft：读到旧值' },
    what: {
      en: 'The same story with the stale-read bug: S3 answers client 2 from its own state without confirming it still leads, and returns “old” after “new” was committed. The linearizability checker catches it.',
      zh: '同样的过程，但注入了“读到旧值”的错误：S3 不确认自己是否仍是领导者，直接用本地状态回答客户端 2，在 “new” 已经提交之后还返回 “old”。线性一致性检查器发现了这个问题。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 1, clients: 2, checkQuorum: false, readMode: 'readIndex', bugs: ['stale-read'] },
      actions: [
        { atMs: 700, action: { type: 'clientPut', key: 'k', value: 'old', client: 1 } },
        { atMs: 800, action: { type: 'clientGet', key: 'k', client: 2 } },
        { atMs: 1000, action: { type: 'partition', groups: [[3, 1], [2, 4, 5]] } },
        { atMs: 1700, action: { type: 'clientPut', key: 'k', value: 'new', client: 1 } },
        { atMs: 2600, action: { type: 'clientGet', key: 'k', client: 2 } },
      ],
      endMs: 3500,
    },
  },
  {
    id: 'lease-clock-skew',
    title: { en: 'Lease reads and a slow clock', zh: '租约读与变慢的时钟' },
    what: {
      en: 'Lease reads skip the heartbeat round: the leader trusts that nobody else can be elected before its lease runs out, timed on its own clock. From 400 ms S1’s clock runs at half speed, so its 150 ms lease lasts 300 ms of real time, longer than the election timeouts of S2 and S3. S1 is cut off at 1000 ms; S2 wins term 2 and client 2 writes x = new through it. At 1180 ms client 1, which last talked to S1, reads x: S1 still trusts its lease and answers “old” without asking anyone. The linearizability checker catches it. With ReadIndex the read would wait for a majority and never return “old”.',
      zh: '租约读省去了一轮心跳确认：领导者相信在租约到期之前不会有别的节点当选，而租约是用它自己的时钟计时的。从 400 毫秒起 S1 的时钟只走正常速度的一半，所以它 150 毫秒的租约实际持续了 300 毫秒，比 S2、S3 的选举超时还长。S1 在 1000 毫秒时被隔离；S2 赢得任期 2，客户端 2 通过它写入 x = new。1180 毫秒时，上一次访问 S1 的客户端 1 读取 x：S1 仍然相信自己的租约，不询问任何节点就回答 “old”。线性一致性检查器发现了这个问题。如果用 ReadIndex，这次读会等待大多数节点确认，不会返回 “old”。',
    },
    // The same run as crates/raft-sim/scenarios/lease-read-clock-skew.json (tests/lease_read.rs).
    scenario: {
      version: 1,
      config: {
        nodes: 3,
        seed: 5,
        clients: 2,
        readMode: 'lease',
        checkQuorum: true,
        electionTimeoutMsMin: 150,
        electionTimeoutMsMax: 200,
        latencyMsMin: 1,
        latencyMsMax: 3,
      },
      actions: [
        { atMs: 400, action: { type: 'clockSkew', node: 1, ratePpm: -500000 } },
        { atMs: 600, action: { type: 'clientPut', key: 'x', value: 'old', client: 1 } },
        { atMs: 800, action: { type: 'clientGet', key: 'x', client: 1 } },
        { atMs: 1000, action: { type: 'partition', groups: [[1], [2, 3]] } },
        { atMs: 1120, action: { type: 'clientPut', key: 'x', value: 'new', client: 2 } },
        { atMs: 1180, action: { type: 'clientGet', key: 'x', client: 1 } },
        { atMs: 1600, action: { type: 'heal' } },
        { atMs: 1800, action: { type: 'clientGet', key: 'x', client: 1 } },
      ],
      endMs: 2200,
    },
  },
  {
    id: 'bug-vote',
    title: { en: 'Break Raft: votes ignore the log', zh: '破坏 Raft：投票不检查日志' },
    what: {
      en: 'With the vote-ignores-log bug, S1 misses committed entries while cut off, then campaigns with a higher term. The others vote for it without comparing logs, so a leader without committed entries is elected: the checker reports a Leader Completeness violation.',
      zh: '注入“投票不检查日志”的错误后，S1 在被隔离期间错过了已提交的日志项，然后以更大的任期发起选举。其他节点不比较日志就投票给它，于是选出了一个缺少已提交日志项的领导者：检查器报告领导者完整性被破坏。',
    },
    scenario: {
      version: 1,
      config: { nodes: 5, seed: 42, preVote: false, checkQuorum: false, leaderStickiness: false, bugs: ['vote-ignores-log'] },
      actions: [
        { atMs: 800, action: { type: 'partition', groups: [[1], [2, 3, 4, 5]] } },
        { atMs: 850, action: { type: 'clientPut', key: 'a', value: '1' } },
        { atMs: 950, action: { type: 'clientPut', key: 'b', value: '2' } },
        { atMs: 1050, action: { type: 'clientPut', key: 'c', value: '3' } },
        { atMs: 1400, action: { type: 'heal' } },
        { atMs: 1401, action: { type: 'timeout', node: 1 } },
      ],
      endMs: 2400,
    },
  },
];

/**
 * Guided scenarios that became lessons (web/lessons): an old `?scenario=` link opens the lesson.
 * @type {Record<string, string>}
 */
export const FOLDED_INTO_LESSONS = { election: 'election', 'leader-crash': 'leader-crash', minority: 'minority-leader' };

/** @param {string} id */
export function findScenario(id) {
  return SCENARIOS.find((s) => s.id === id) ?? null;
}
