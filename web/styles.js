// @ts-check
// The component's stylesheet, injected into its shadow root (so one <script type="module"> is all
// an embedding page needs, and the page's own CSS cannot break the playground).

export const CSS = /* css */ `
:host {
  display: block;
  container-type: inline-size;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  color: var(--ink);
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.app {
  --bg: #ffffff; --panel: #f5f6f8; --ink: #1b1f24; --ink-soft: #58616d; --line: #d3d7dd;
  --focus: #0b61d6; --accent: #0072B2; --accent-ink: #ffffff;
  --role-leader: #0072B2; --role-candidate: #E69F00; --role-precandidate: #F0E442; --role-follower: #e6e9ed;
  --node-stroke: #1b1f24; --crashed: #a3a8ae; --edge: #c2c7ce; --edge-cut: #D55E00; --edge-oneway: #E69F00;
  --msg-stroke: #1b1f24; --commit: #009E73; --next: #0072B2; --match: #D55E00; --conflict: #D55E00;
  --snap-bg: #efe3ec; --snap-line: #d8b7cd; --timer: #0072B2; --ok: #009E73; --bad: #D55E00; --bad-ink: #a64300;
  /* Drawn groups (views/groups.js): C_old green, C_new purple, dark enough to be read as text. */
  --group-old: #00785a; --group-new: #a63f84;
  background: var(--bg); color: var(--ink);
  display: flex; flex-direction: column; min-height: 100%; height: 100%;
}
.app:focus { outline: none; }
.app[data-theme="dark"] {
  --bg: #14171c; --panel: #1d2128; --ink: #e9ebee; --ink-soft: #a7afba; --line: #363c46;
  --focus: #7cb8ff; --accent: #56B4E9; --accent-ink: #0b1320;
  --role-leader: #2b8fd6; --role-follower: #3b424d; --node-stroke: #e9ebee; --crashed: #59606b;
  --bad-ink: #ff9a5c; --edge: #49505b; --msg-stroke: #0b0d10; --snap-bg: #3b2d37; --snap-line: #5d4456; --timer: #56B4E9;
  --group-old: #3fcf9f; --group-new: #e393c4;
}
button, input, select, textarea { font: inherit; color: inherit; }
button {
  background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px;
  cursor: pointer; min-height: 36px; touch-action: manipulation;
}
button:hover:not([disabled]) { border-color: var(--ink-soft); }
button[disabled] { opacity: .45; cursor: not-allowed; }
button.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); font-weight: 600; }
button.chip { padding: 2px 10px; min-height: 28px; border-radius: 999px; font-size: 12px; }
button.chip[aria-pressed="true"] { background: var(--accent); color: var(--accent-ink); }
button.icon-btn { min-width: 32px; padding: 2px 6px; min-height: 28px; }
input[type="text"], input[type="number"], input:not([type]), select, textarea {
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 5px 7px; min-height: 34px;
}
input[type="range"] { accent-color: var(--accent); min-width: 80px; }
/* A focused link is drawn thick in the focus colour; an outline would be its bounding box, a
   rectangle around other nodes when the link is diagonal. */
:focus-visible, .node:focus-visible .node-body {
  outline: 3px solid var(--focus); outline-offset: 2px;
}
.node:focus { outline: none; }
.node:focus-visible .node-body { stroke: var(--focus); stroke-width: 5; }
.edge:focus { outline: none; }
.edge:focus-visible .edge-line { stroke: var(--focus); stroke-width: 5; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* Header */
.top { display: flex; align-items: center; gap: 10px; padding: 8px 14px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.top h1 { font-size: 18px; margin: 0; font-weight: 700; letter-spacing: .01em; }
.top .tagline { color: var(--ink-soft); font-size: 13px; }
.top .scenario-title { font-weight: 600; padding: 2px 8px; border-radius: 6px; background: var(--panel); max-width: 40ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.top .scenario-title:empty { display: none; }
.spacer { flex: 1; }
.notice { margin: 8px 14px 0; padding: 8px 12px; border-radius: 8px; border: 2px solid var(--bad); background: var(--panel); display: flex; flex-wrap: wrap; gap: 10px; align-items: center;
  position: sticky; top: 6px; z-index: 30; box-shadow: 0 2px 10px rgb(0 0 0 / 0.15); }
.notice[data-tone="info"] { border-color: var(--focus); }
.notice[hidden] { display: none; }
.notice p { margin: 0; flex: 1 1 16em; }
.replay-progress { margin: 8px 14px 0; padding: 8px 12px; border-radius: 8px; border: 2px solid var(--accent); background: var(--panel); display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.replay-progress[hidden] { display: none; }
.replay-progress .replay-label { flex: 1 1 16em; }
.replay-progress progress { flex: 1 1 8em; min-width: 6em; height: 10px; }

.scenario-picker { max-width: 15em; }
.guide { background: var(--panel); border: 2px solid var(--accent); border-radius: 10px; padding: 8px 12px; }
.guide[hidden] { display: none; }
.guide-head { display: flex; align-items: center; gap: 8px; }
.guide-title { font-size: 15px; margin: 0; flex: 1; }
.guide-what { margin: 4px 0 0; font-size: 14px; }

/* Toolbar */
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; padding: 8px 14px; border-bottom: 1px solid var(--line); background: var(--panel); }
.ctl-group { display: flex; align-items: center; gap: 6px; }
.ctl-group.time { flex: 1 1 240px; }
.ctl-group.time .time-box { flex: 1; min-width: 84px; }
/* The slider fills its box (as a flex item it filled the rest of the row, less its margins). */
.ctl-group.time input { display: block; width: calc(100% - 4px); }
.ctl-label { font-size: 12px; color: var(--ink-soft); }
.ctl-value { font-variant-numeric: tabular-nums; font-size: 13px; min-width: 5ch; }
.time-out { min-width: 9ch; }
/* A part that changes as the page plays, in a box of its own size (dom.js fittedBox): a
   relayout boundary, so a new text lays out this box alone. Not contain: style (nor strict):
   with it, each new position of the slider made Chromium sort the page into layers again (25
   times in 120 frames instead of 8), and paint containment would clip. */
.fit-box { display: block; contain: size layout; }
.fit-inner { display: flow-root; }
.fit-box[data-fit="both"] > .fit-inner { width: max-content; }
.seed { font-size: 12px; color: var(--ink-soft); font-variant-numeric: tabular-nums; }
.checker { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px; }
.checker .dot { width: 12px; height: 12px; border-radius: 50%; background: var(--ok); box-shadow: 0 0 0 2px var(--bg); }
.checker[data-ok="0"] { border: 2px solid var(--bad); font-weight: 600; }
.checker[data-ok="0"] .dot { background: var(--bad); border-radius: 2px; transform: rotate(45deg); }
.checker[data-ok="1"] { cursor: default; }

/* Body */
.body { display: grid; grid-template-columns: minmax(300px, 540px) minmax(0, 1fr); gap: 12px; padding: 12px 14px; flex: 1; min-height: 0; }
.cluster-panel { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.side { display: flex; flex-direction: column; gap: 10px; min-width: 0; min-height: 0; }
.cluster-box { position: relative; width: 100%; aspect-ratio: 856 / 624; }
.cluster-wrap { width: 100%; height: 100%; }
.cluster-svg, .cluster-top { width: 100%; height: 100%; display: block; user-select: none; -webkit-user-select: none; touch-action: manipulation; }
/* The servers' drawing over the messages' (cluster-view.js): a click goes through it except on a server. */
.cluster-top { position: absolute; inset: 0; pointer-events: none; }
.cluster-top .node { pointer-events: auto; }
/* The moving parts' canvas (cluster-canvas.js), between the two drawings; it takes no clicks. */
.cluster-moving { position: absolute; left: 0; top: 0; pointer-events: none; }
/* A server's timer ring is part of it for the pointer, as it was drawn inside it (its arc is on the canvas). */
.timer-ring { cursor: pointer; }
.caption { margin: 0; min-height: 2.8em; padding: 6px 10px; border-left: 4px solid var(--accent); background: var(--panel); border-radius: 0 8px 8px 0; font-size: 14px; }
.panel-title { font-size: 15px; margin: 0 0 6px; }
.sub-title { font-size: 13px; margin: 10px 0 4px; color: var(--ink-soft); font-weight: 600; }
.hint { color: var(--ink-soft); font-size: 12px; margin: 4px 0; }

/* Cluster SVG */
.edge-line { stroke: var(--edge); stroke-width: 2; }
.edge-hit { stroke: transparent; stroke-width: 16; cursor: pointer; pointer-events: stroke; }
.edge[data-state="down"] .edge-line { stroke: var(--edge-cut); stroke-dasharray: 6 6; stroke-width: 2.5; }
.edge[data-state="down"][data-marks="false"] .edge-line { opacity: .45; stroke-width: 1.5; }
.edge[data-state="oneway"] .edge-line { stroke: var(--edge-oneway); stroke-dasharray: 2 5; stroke-width: 2.5; }
.edge-mark { font-size: 18px; fill: var(--edge-cut); pointer-events: none; paint-order: stroke; stroke: var(--bg); stroke-width: 4px; }
.edge:hover .edge-line { stroke-width: 4; }
.node { cursor: pointer; }
.node-body { stroke: var(--node-stroke); stroke-width: 2.5; transition: fill .25s; }
.node[data-leader="1"] .node-body { stroke-width: 5; }
.node[data-member="0"], .timer-ring[data-member="0"] { opacity: .55; }
.node[data-status="paused"] .node-body { opacity: .6; }
.node-name { font-size: 23px; font-weight: 700; pointer-events: none; }
.node-term { font-size: 15px; font-weight: 600; pointer-events: none; }
.node-glyph { stroke-width: 1.5; pointer-events: none; }
.node-status { font-size: 40px; fill: var(--bad); pointer-events: none; font-weight: 700; fill-opacity: .85; }
.node[data-status="paused"] .node-status { fill: var(--ink); font-size: 16px; fill-opacity: 1; }
.node[data-status="paused"] .node-glyph { display: none; }
.crown { font-size: 28px; fill: #E69F00; stroke: var(--node-stroke); stroke-width: .8px; pointer-events: none; }
.node-role { font-size: 17px; font-weight: 600; fill: var(--ink); pointer-events: none; paint-order: stroke; stroke: var(--bg); stroke-width: 4px; }
/* Tabular figures: every digit as wide as a 0, so a new commit index needs no new measurement (cluster-view.js fitLabels). */
.node-vote { font-size: 14px; fill: var(--ink-soft); pointer-events: none; paint-order: stroke; stroke: var(--bg); stroke-width: 4px; font-variant-numeric: tabular-nums; }
.timer-track { fill: none; stroke: var(--line); stroke-width: 4; }
.timer { fill: none; stroke: var(--timer); stroke-width: 4; stroke-linecap: round; }
.center-note { font-size: 16px; fill: var(--ink-soft); }
/* A message's element (a still picture) paints nothing: the canvas draws the message. Only its
   shape takes the pointer (lesson-styles.js), never the group's box. */
.msgs { pointer-events: none; }
.msgs .msg-body { fill: transparent; stroke: none; }
.msg-mark { font-size: 12px; font-weight: 700; }
.msg-hint { font-size: 14px; font-weight: 700; fill: var(--bad); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
.msg-dup { fill: none; stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 2 2; }

/* Space-time view (views/spacetime-view.js) */
.st-head { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.st-head .panel-title { margin: 0; }
.st-span { min-width: 4.5em; text-align: center; font-variant-numeric: tabular-nums; font-size: 13px; }
.st-wrap { margin-top: 6px; overflow: hidden; }
.st-svg { display: block; max-width: 100%; font-size: 11px; user-select: none; }
.st-bg { fill: var(--bg); }
.st-lane-rule { stroke: var(--line); stroke-width: 1; }
.st-lane-name { font-weight: 700; font-size: 12px; fill: var(--ink); }
.st-lane-glyph { font-size: 12px; fill: var(--ink-soft); }
.st-lane-glyph[data-role="leader"] { fill: var(--role-leader); }
.st-lane-glyph[data-role="candidate"], .st-lane-glyph[data-role="preCandidate"] { fill: #b07800; }
.st-tick line { stroke: var(--line); stroke-width: 1; stroke-dasharray: 2 3; }
.st-tick text { fill: var(--ink-soft); font-size: 10px; font-variant-numeric: tabular-nums; }
.st-tick[data-near-now="1"] text { display: none; }
.st-future { fill: var(--bg); }
.st-now { stroke: var(--ink); stroke-width: 1.5; }
.st-now-label { fill: var(--ink); font-size: 10px; font-weight: 700; font-variant-numeric: tabular-nums; }
.st-band { opacity: .7; }
.st-role { stroke: var(--ink-soft); stroke-width: 1.2; }
.st-role[data-role="leader"] { stroke: var(--role-leader); stroke-width: 4; }
.st-role[data-role="candidate"] { stroke: var(--role-candidate); stroke-width: 3; stroke-dasharray: 5 3; }
.st-role[data-role="preCandidate"] { stroke: #b07800; stroke-width: 2.5; stroke-dasharray: 2 3; }
.st-role[data-role="crashed"] { stroke: var(--crashed); stroke-width: 2; stroke-dasharray: 1 4; }
.st-role[data-status="paused"] { stroke-dasharray: 6 2 1 2; }
.st-cutline { stroke: var(--edge-cut); stroke-width: 1.5; stroke-dasharray: 3 2; }
.st-cutline[data-on="0"] { display: none; }
.st-mark text { font-size: 11px; fill: var(--ink); }
.st-commit path { stroke: var(--commit); stroke-width: 1.5; }
.st-commit text { fill: var(--commit); font-size: 9px; font-weight: 700; }
.st-rolemark text { font-size: 12px; paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
.st-rolemark[data-role="leader"] text { fill: var(--role-leader); }
.st-rolemark[data-role="candidate"] text, .st-rolemark[data-role="preCandidate"] text { fill: #b07800; }
.st-termmark text { font-size: 9px; font-weight: 700; fill: var(--ink-soft); }
.st-crash text, .st-cut text { fill: var(--bad); font-weight: 700; }
.st-client path { fill: none; stroke: var(--ink-soft); stroke-width: 1.5; }
.st-request path { stroke-dasharray: 4 2 1 2; }
.st-clientLost text { fill: var(--bad); font-weight: 700; }
.st-msg { cursor: pointer; }
.st-msg:focus { outline: none; }
.st-line { fill: none; stroke-linecap: round; }
.st-hit { fill: none; stroke: transparent; stroke-width: 10; pointer-events: stroke; }
.st-msg[data-end="dropped"] .st-line { stroke-dasharray: 2 2; }
.st-x { stroke: var(--bad); stroke-width: 2; fill: none; }
.st-wait { fill: none; stroke-width: 2.5; stroke-dasharray: 1 4; stroke-linecap: round; }
.st-caption { font-size: 12px; min-height: 1.5em; margin: 4px 0 0; overflow-wrap: anywhere; }
.st-dup { font-size: 9px; font-weight: 700; stroke: none; fill: var(--ink); }
.st-svg[data-hovering="1"] .st-msg:not([data-hover="1"]) { opacity: .3; }
.st-msg[data-hover="1"] .st-line, .st-msg:focus-visible .st-line { stroke-width: 3.5; }
.st-msg[data-selected="1"] .st-hit { stroke: var(--focus); stroke-opacity: .3; }
.st-msg:focus-visible .st-hit { stroke: var(--focus); stroke-opacity: .35; }
/* Manual delivery: a message waiting for the learner is a control (click it to pick it), with a
   dashed ring; the picked one gets a solid ring in the focus colour. */
.msg[data-waiting="1"] { pointer-events: auto; cursor: pointer; }
.msg-waiting { fill: var(--bg); fill-opacity: .6; stroke: var(--focus); stroke-width: 2; stroke-dasharray: 4 3; }
.pending-panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 8px 12px; margin: 8px 0; font-size: 13px; }
.pending-title { font-size: 15px; margin: 0 0 4px; }
.pending-keys { margin: 0 0 6px; }
.pending-list { list-style: none; margin: 0; padding: 0; max-height: 13.5em; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
.pending-list li { display: flex; flex-wrap: wrap; gap: 2px 10px; justify-content: space-between; padding: 3px 8px; cursor: pointer; border-bottom: 1px solid var(--line); }
.pending-list li:last-child { border-bottom: none; }
.pending-list li[data-waiting="1"] { font-weight: 600; }
.pending-list li[data-waiting="0"] { color: var(--ink-soft); }
.pending-list li[aria-selected="true"] { background: var(--accent); color: var(--accent-ink); }
.pending-list li:focus-visible { outline-offset: -3px; }
.pending-state { font-size: 12px; }
.pending-buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.insp-actions { display: flex; flex-wrap: wrap; gap: 6px; }
.drop-x { stroke: var(--bad); stroke-width: 3.5; stroke-linecap: round; fill: none; }

/* Node menu */
.node-menu { position: absolute; z-index: 5; min-width: 190px; max-width: 64%; background: var(--bg); border: 1px solid var(--line);
  border-radius: 10px; box-shadow: 0 8px 28px rgba(0,0,0,.22); padding: 6px; display: flex; flex-direction: column; gap: 3px; }
.node-menu[hidden] { display: none; }
.node-menu .menu-title { margin: 2px 6px 4px; font-weight: 700; }
.node-menu button { text-align: left; background: transparent; border-color: transparent; min-height: 38px; }
.node-menu button:hover:not([disabled]), .node-menu button:focus-visible { background: var(--panel); }
.node-menu .menu-close { color: var(--ink-soft); }

/* Legend */
.legend { font-size: 12px; background: var(--panel); border-radius: 8px; padding: 4px 10px; }
.legend summary { cursor: pointer; font-weight: 600; min-height: 28px; line-height: 28px; }
.legend-list { display: flex; flex-wrap: wrap; gap: 2px 12px; list-style: none; margin: 0; padding: 0; }
.legend-list li { display: inline-flex; align-items: center; gap: 4px; }
.legend-glyph { font-size: 11px; }
/* The icons draw in pixels, without a viewBox (legend.js icon): nothing of theirs is clipped. */
.legend-icon { overflow: visible; }
.legend-mark { font-weight: 700; min-width: 22px; text-align: center; }
.legend-mark.cut { color: var(--edge-cut); }

/* Log view */
.log-panel { background: var(--panel); border-radius: 10px; padding: 8px 10px; min-width: 0; }
.log-bar { display: flex; align-items: center; gap: 6px; }
.log-bar .panel-title { margin: 0; }
.log-scroll { overflow-x: auto; }
.log-svg { display: block; }
.log-index { font-size: 9px; fill: var(--ink-soft); font-variant-numeric: tabular-nums; }
.log-label { font-size: 13px; font-weight: 700; fill: var(--ink); }
.log-sub { font-size: 9px; fill: var(--ink-soft); }
.log-row.crashed .log-label { fill: var(--ink-soft); text-decoration: line-through; }
.cell { stroke: var(--line); stroke-width: 1; }
.cell.empty { stroke-dasharray: 2 3; fill: none; }
.cell.hidden { stroke: none; }
.cell.committed { stroke: var(--ink-soft); }
.cell.noop { fill-opacity: .45; }
.cell.conflict { stroke: var(--conflict); stroke-width: 2.5; stroke-dasharray: 4 2; }
.cell.overwritten { stroke: var(--conflict); stroke-width: 3; }
.cell.ghost { stroke: var(--conflict); stroke-width: 2; stroke-dasharray: 3 2; fill: none; }
.cell-term { font-size: 12px; font-weight: 600; fill: var(--ink); pointer-events: none; font-variant-numeric: tabular-nums; }
.ghost-term { fill: var(--conflict); text-decoration: line-through; }
.log-snap { stroke: var(--snap-line); }
.log-snap-text { font-size: 11px; font-weight: 600; fill: var(--ink); }
.commit-bar { fill: var(--commit); }
.applied-dot { fill: var(--ink); }
.next-marker { fill: var(--next); transition: transform .2s ease-out; }
.match-marker { fill: var(--match); transition: transform .2s ease-out; }
.log-row.noted .log-label { fill: var(--bad-ink); }
.log-notes { list-style: none; margin: 2px 0 0; padding: 0; font-size: 12px; font-weight: 700; color: var(--bad-ink); min-height: 1.5em; }
.log-legend { font-size: 11px; color: var(--ink-soft); margin: 4px 0 0; }

/* Tabs */
.tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.tabs button { border-radius: 8px 8px 0 0; border-bottom: none; background: transparent; }
.tabs button[aria-selected="true"] { background: var(--panel); font-weight: 700; border-color: var(--line); box-shadow: inset 0 -3px 0 var(--accent); }
.tabpanel { contain: content; background: var(--panel); border-radius: 0 0 10px 10px; padding: 10px; overflow: auto; min-height: 180px; flex: 1; }
.tabpanel[hidden] { display: none; }
/* Each block is its own paint layer (a positioned stacking context), so a frame that moves the
   timers and messages repaints the cluster alone: the log, the toolbar and the panels are reused
   as they were painted. Before, one timer's change re-recorded the whole playground (0.9 ms of
   paint per frame for one attribute; 0.3 ms with these layers). */
.top, .toolbar, .cluster-wrap, .caption, .legend, .log-panel, .tabs, .tabpanel { position: relative; z-index: 0; }

/* Feed */
.feed-filters { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; align-items: center; }
.chk { display: inline-flex; gap: 4px; align-items: center; min-height: 28px; }
.feed { contain: content; list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-direction: column; gap: 2px; max-height: 340px; overflow: auto; }
/* The list's box (dom.js fittedBox) holds the list's margin, so that it still collapses with the
   hint's above it (inside the box it would not). */
.feed-box { margin-top: 6px; }
.feed-box .feed { margin-top: 0; }
/* Only the lines scrolled into view are laid out (120 of them on a language switch cost tens of ms). */
.feed > li { content-visibility: auto; contain-intrinsic-size: auto 32px; }
.feed-item { width: 100%; text-align: left; display: grid; grid-template-columns: 1.6em 7.5em 1fr; gap: 6px; align-items: baseline;
  background: var(--bg); border: 1px solid transparent; padding: 4px 8px; min-height: 30px; border-radius: 6px; }
.feed-item:hover { border-color: var(--line); }
.feed-item.violation { border: 2px solid var(--bad); font-weight: 600; }
.feed-item.highlight { box-shadow: 0 0 0 3px var(--focus); }
.feed-time { color: var(--ink-soft); font-size: 12px; font-variant-numeric: tabular-nums; }
.feed-empty { color: var(--ink-soft); padding: 6px; }

/* Client & KV */
.client-form { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; }
.client-form label, .stack { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--ink-soft); }
.client-form input, .client-form select { color: var(--ink); }
.client-ops { list-style: none; padding: 0; margin: 0 0 12px; font-size: 13px; display: flex; flex-direction: column; gap: 2px; }
.client-ops .op { background: var(--bg); padding: 3px 8px; border-radius: 6px; overflow-wrap: anywhere; }
.client-ops .pending .op-result { color: var(--ink-soft); font-style: italic; }
.op-served { color: var(--ink-soft); }
.kv-grid { contain: content; display: flex; flex-direction: column; gap: 3px; font-size: 13px; }
.kv-row { display: grid; grid-template-columns: 3em 8.5em 1fr; gap: 6px; background: var(--bg); padding: 3px 8px; border-radius: 6px; align-items: baseline; }
.kv-row.crashed { opacity: .6; }
.kv-node { font-weight: 700; }
.kv-applied { color: var(--ink-soft); font-size: 12px; }
.kv-pairs { display: flex; flex-wrap: wrap; gap: 2px 10px; overflow-wrap: anywhere; min-width: 0; }

/* Faults, settings, share */
.btn-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 4px 0; }
.slider-row { display: grid; grid-template-columns: 8em 1fr 7em; gap: 8px; align-items: center; margin: 4px 0; }
/* Joint consensus: one toggle per server id (pressed = a voter of C_new; dashed = a new server). */
.joint-set { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0 4px; padding: 4px 10px 8px; min-width: 0; background: var(--bg); }
.joint-set legend { padding: 0 4px; margin: 0; color: var(--ink); }
.member-toggles { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
button.member-toggle { min-width: 48px; min-height: 40px; padding: 4px 10px; font-weight: 600; font-variant-numeric: tabular-nums;
  background: var(--panel); border: 2px solid var(--line); }
button.member-toggle[aria-pressed="true"] { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
button.member-toggle[aria-pressed="true"]::before { content: "✓ "; }
button.member-toggle[data-new="1"] { border-style: dashed; border-color: var(--ink-soft); }
button.member-toggle[data-new="1"][aria-pressed="true"] { border-color: var(--accent-ink); }
.joint-now { margin: 4px 0; font-size: 13px; overflow-wrap: anywhere; }
.joint-now[data-joint="1"] { font-weight: 600; border-left: 4px solid var(--role-candidate); padding-left: 6px; }
/* Its own class, not .form-error: the settings form's error stays the only one of those. */
.joint-error { color: var(--bad-ink); font-weight: 600; margin: 4px 0; overflow-wrap: anywhere; }
.joint-error:empty { display: none; }
.settings-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; }
.settings-grid label { display: flex; flex-direction: column; font-size: 12px; color: var(--ink-soft); gap: 2px; }
.settings-grid input, .settings-grid select { color: var(--ink); }
.form-error { color: var(--bad); font-weight: 600; margin: 4px 0; }
.form-error:empty { display: none; }
.settings-form .primary { margin-top: 8px; }
.toggle { display: flex; gap: 8px; align-items: flex-start; margin: 6px 0; }
.toggle input { margin-top: 3px; width: 18px; height: 18px; flex: none; }
.toggle-name { font-weight: 600; margin-right: 6px; }
.help { color: var(--ink-soft); font-size: 12px; display: block; }
.radio-set { border: 1px solid var(--line); border-radius: 8px; margin: 6px 0; }
.radio-set label { display: flex; gap: 6px; align-items: center; min-height: 28px; }
.read-mode { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
.bug code { color: var(--bad-ink); }
.link-box { width: 100%; font-family: ui-monospace, monospace; font-size: 12px; resize: vertical; color: var(--ink); }
.snippet { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow-x: auto; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
.snippet-label { font-size: 12px; color: var(--ink-soft); }
a { color: var(--accent); }

/* Minimal and bare chrome (embeds) */
.app[data-controls="minimal"] .top .tagline, .app[data-controls="minimal"] .seed-group { display: none; }
.app[data-controls="none"] .picker, .app[data-controls="none"] .toolbar, .app[data-controls="none"] .tabs, .app[data-controls="none"] .tabpanel, .app[data-controls="none"] .top { display: none; }

/* Narrow containers (phones, small iframes) */
@container (max-width: 820px) {
  .body { grid-template-columns: 1fr; padding: 8px; }
  .cluster-box { max-width: 520px; margin: 0 auto; }
  .top .tagline { display: none; }
  .ctl-group.time { flex-basis: 100%; order: 5; }
  .feed { max-height: 300px; }
  .slider-row { grid-template-columns: 6em 1fr 6em; }
}
@container (max-width: 420px) {
  .toolbar { padding: 6px 8px; gap: 6px 8px; }
  .top { padding: 6px 8px; }
  .top h1 { font-size: 15px; }
  .node-role { font-size: 25px; }
  .node-vote { font-size: 21px; }
  .node-name { font-size: 30px; }
  .node-term { font-size: 20px; }
  .cluster-top[data-dense] .node-name { font-size: 23px; }
  .cluster-top[data-dense] .node-term { font-size: 15px; }
  .seed { display: none; }
  .scenario-picker { max-width: none; width: 100%; min-width: 0; }
  .top { flex-wrap: nowrap; }
  .top h1 { white-space: nowrap; }
  .top button { white-space: nowrap; flex: none; padding: 6px 8px; }
  .top .picker { flex: 1 1 auto; min-width: 0; display: flex; }
  .top .spacer { display: none; }
  .top { gap: 6px; }
  .checker .checker-text { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .app[data-guide="1"] .top .scenario-title { display: none; }
  /* In a lesson its box under the cluster carries the title; the bar has room for one word of it. */
  .app[data-lesson] .top .scenario-title { display: none; }
  .ctl-group.speed input { min-width: 70px; width: 90px; }
  .msg-hint { font-size: 20px; }
  .kv-row { grid-template-columns: 2.6em 1fr; }
  .kv-row .kv-pairs { grid-column: 1 / -1; }
  .feed-item { grid-template-columns: 1.4em 1fr; }
  .feed-item .feed-text { grid-column: 1 / -1; }
  .tabs button { padding: 6px 8px; font-size: 13px; }
}

/* Motion */
.app[data-reduced-motion="1"] *, .app[data-reduced-motion="1"] *::before { transition: none !important; animation: none !important; }
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; }
}
`;
