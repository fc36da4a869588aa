// @ts-check
// Styles of the lesson box, the inspector and the teaching marks on the cluster (focus and dim,
// term rings, vote dots), appended to the component's stylesheet (styles.js).

export const LESSON_CSS = /* css */ `
.lesson { background: var(--panel); border: 2px solid var(--accent); border-radius: 10px; padding: 8px 12px; display: flex; flex-direction: column; gap: 6px; }
.lesson[hidden] { display: none; }
.lesson-head { display: flex; align-items: baseline; gap: 8px; }
.lesson-title { font-size: 15px; margin: 0; flex: 1; }
.lesson-where { color: var(--ink-soft); font-size: 13px; font-variant-numeric: tabular-nums; white-space: nowrap; }
.lesson-caption { margin: 0; font-size: 15px; line-height: 1.5; min-height: 3em; }
.lesson[data-state="playing"] .lesson-caption { color: var(--ink-soft); font-style: italic; }
.lesson-topics { margin: 0; font-size: 12px; color: var(--ink-soft); }
.lesson-topics[hidden] { display: none; }
.lesson-nav { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; justify-content: space-between; }
/* The dots get a row of their own above Back and Continue, so eleven of them fit a phone. */
.lesson-dots { display: flex; flex-wrap: wrap; gap: 2px; list-style: none; margin: 0; padding: 0; flex: 1 0 100%; order: -1; justify-content: center; }
.lesson-dot { min-height: 28px; min-width: 22px; padding: 0; border: none; background: transparent; display: inline-flex; align-items: center; justify-content: center; }
.lesson-dot::before { content: ""; width: 10px; height: 10px; border-radius: 50%; border: 2px solid var(--accent); background: var(--bg); }
.lesson-dot[data-done="1"]::before { background: var(--accent); opacity: .55; }
.lesson-dot[aria-current="step"]::before { background: var(--accent); opacity: 1; width: 14px; height: 14px; }
.lesson-link { font-size: 12px; color: var(--accent); align-self: flex-end; }
/* In a lesson the step's caption says what happened; the one-line narration would repeat it. */
.app[data-lesson] .caption { display: none; }

/* While a step highlights something, everything else dims. */
.app[data-focus="1"] .node:not([data-focus="1"]), .app[data-focus="1"] .timer-ring:not([data-focus="1"]) { opacity: .28; }
.app[data-focus="1"] .edge:not([data-focus="1"]) { opacity: .35; }
.app[data-focus="1"] .edge[data-focus="1"] .edge-line { stroke-width: 4.5; }
.app[data-focus="1"] .node[data-focus="1"] .node-body { filter: drop-shadow(0 0 6px var(--accent)); }
.app[data-focus="1"] .slot[data-focus="1"] rect { stroke: var(--ink); stroke-width: 3.5; }
.log-svg[data-focus-rows="1"] .log-row:not([data-focus="1"]) { opacity: .4; }
/* Clients a step names stand out like nodes; the others dim with their lines. */
.app[data-focus="1"] .client:not([data-focus="1"]), .app[data-focus="1"] .client-link:not([data-focus="1"]) { opacity: .3; }
.app[data-focus="1"] .client[data-focus="1"] rect { stroke: var(--ink); stroke-width: 3; filter: drop-shadow(0 0 5px var(--accent)); }
/* A retried request: the tag on the line to the new server, and the one on the line to the server that failed it. */
.client-tag { font-size: 16px; font-weight: 700; fill: var(--ink); paint-order: stroke; stroke: var(--bg); stroke-width: 4px; pointer-events: none; }
.client-link-failed .client-tag { fill: var(--bad-ink); font-weight: 600; }

/* Groups of servers: a majority (or a configuration) as a band along the ring. C_old is blue
   with a solid outline, C_new purple with a dashed one (told apart without colour too); a group
   that falls short of a majority is drawn dotted and nearly empty. */
.group { stroke-width: 2.5; pointer-events: none; }
.group-old { fill: var(--group-old); fill-opacity: .13; stroke: var(--group-old); }
.group-new { fill: var(--group-new); fill-opacity: .11; stroke: var(--group-new); stroke-dasharray: 9 5; }
.group.group-short { fill-opacity: .03; stroke-dasharray: 2 5; stroke-linecap: round; }
.group-tag { font-size: 17px; font-weight: 700; paint-order: stroke; stroke: var(--bg); stroke-width: 4px; pointer-events: none; }
.group-tag-old { fill: var(--group-old); }
.group-tag-new { fill: var(--group-new); }
.cluster-groups { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-direction: column; gap: 2px; font-size: 14px; }
.cluster-groups[hidden] { display: none; }
.group-note { display: flex; align-items: center; gap: 8px; }
.group-swatch { flex: none; width: 26px; height: 12px; border-radius: 6px; border: 2.5px solid; }
.group-swatch-old { border-color: var(--group-old); background: color-mix(in srgb, var(--group-old) 18%, transparent); }
.group-swatch-new { border-color: var(--group-new); border-style: dashed; background: color-mix(in srgb, var(--group-new) 16%, transparent); }
.group-swatch.group-short { border-style: dotted; background: none; }
@container (max-width: 420px) {
  .group-tag { font-size: 27px; }
  .client-tag { font-size: 22px; }
}

/* Nodes coloured by term: the outer ring takes the term's tint (the number is printed too). */
.term-ring { fill: none; stroke-width: 7; pointer-events: none; }
.vote-dot { stroke: var(--node-stroke); stroke-width: 1.2; pointer-events: none; }
.vote-dot[data-granted="1"] { fill: var(--ok); }
.vote-dot[data-granted="0"] { fill: var(--bad); }
.vote-dot[data-granted=""] { fill: var(--bg); }

/* Messages can be clicked (the inspector); their shapes, not their labels. */
.msgs .msg { cursor: pointer; }
.msgs .msg .msg-body { pointer-events: auto; }
.msg:focus { outline: none; }

/* Inspector */
.inspector { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 8px 12px; font-size: 13px; }
.inspector[hidden] { display: none; }
.insp-head { display: flex; align-items: center; gap: 8px; }
.insp-title { font-size: 15px; margin: 0; flex: 1; }
.insp-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 2px 12px; margin: 0; }
.insp-row { display: flex; gap: 6px; align-items: baseline; }
.insp-row dt { color: var(--ink-soft); font-family: ui-monospace, monospace; font-size: 12px; }
.insp-row dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.insp-note { margin: 4px 0; color: var(--ink-soft); font-size: 12px; }
.insp-log { display: flex; flex-wrap: wrap; gap: 2px; list-style: none; margin: 0; padding: 0; }
.insp-cell { display: inline-flex; flex-direction: column; align-items: center; min-width: 28px; padding: 1px 3px; border: 1px solid var(--line); border-radius: 4px; color: #1b1f24; font-size: 11px; line-height: 1.2; }
.insp-cell[data-disk="0"] { border-style: dashed; border-color: var(--bad); }
.insp-cell-t { font-weight: 700; }
.insp-progress { border-collapse: collapse; font-size: 12px; }
.insp-progress th, .insp-progress td { padding: 2px 8px; border-bottom: 1px solid var(--line); text-align: left; font-variant-numeric: tabular-nums; }
`;
