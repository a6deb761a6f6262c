/**
 * Renders cluster maps as one self-contained HTML document: inline CSS and SVG, no fonts, images
 * or scripts from anywhere else. The same page is the CLI's `--format html` report and, with
 * `interactive`, the VS Code webview (a nonce'd inline script posts "reveal" on a click and
 * takes updated maps by message). Colours come from the editor's theme variables when there are
 * any (light, dark, high contrast), else from the system's light or dark scheme.
 */
import type { CellStatus, ClusterMapData, MapCell } from './clusterMap';

export interface RenderOptions {
  title?: string;
  /** Adds the script that reports clicks (webview): needs the CSP nonce. */
  interactive?: boolean;
  nonce?: string;
  /** Above this many nodes per role, the diagram shows a count instead of names. */
  listLimit?: number;
  /** Lists every finding under the picture (the CLI's report). */
  withProblems?: boolean;
  /** How a finding's file is named (relative to the working directory). */
  displayPath?: (uri: string) => string;
  /** Interactive pages: the firewall formats the "Copy rules" buttons offer (the page posts "copyRules"). */
  firewallFormats?: ReadonlyArray<{ id: string; label: string }>;
}

/**
 * HTML-escapes text from files. Bidirectional controls (embeddings, overrides, isolates, LRM/RLM)
 * are shown as their code point instead: as characters they would reorder what is around them
 * (a name could make a red cell's tooltip or a path read as something else).
 */
export const escape = (text: string) =>
  text.replace(/[&<>"'\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, (c) =>
    c.length === 1 && c.charCodeAt(0) > 0x7f
      ? `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`
      : ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as Record<string, string>)[c],
  );

/** A name from a file, isolated from the text around it. */
const nameHtml = (text: string) => `<bdi>${escape(text)}</bdi>`;

/** Names in the diagram are cut to this many characters (the whole name is in the matrix's tooltip). */
const DIAGRAM_NAME_LIMIT = 32;
const shorten = (text: string, limit = DIAGRAM_NAME_LIMIT) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

const STATUS_TEXT: Record<CellStatus, string> = {
  open: 'open',
  missing: 'missing',
  partial: 'partly open',
  excluded: 'source leaves out peers',
  conflict: 'conflict',
  none: 'not needed',
  undescribed: 'not described',
};

const SYMBOL: Record<CellStatus, string> = {
  open: '✓',
  missing: '✕',
  partial: '◐',
  excluded: '⊘',
  conflict: '!',
  none: '',
  undescribed: '?',
};

const STYLE = `
:root { color-scheme: light dark; --bg: var(--vscode-editor-background, Canvas); --fg: var(--vscode-editor-foreground, CanvasText);
  --muted: var(--vscode-descriptionForeground, #6b6b6b); --line: var(--vscode-panel-border, #8884);
  --ok: var(--vscode-testing-iconPassed, #2e9e4f); --bad: var(--vscode-errorForeground, #d13438); --warn: var(--vscode-editorWarning-foreground, #c08000);
  --head: var(--vscode-editorWidget-background, #8881); --unknown: var(--vscode-descriptionForeground, #767676); --font: var(--vscode-font-family, system-ui, sans-serif); }
body { background: var(--bg); color: var(--fg); font: 13px/1.4 var(--font); margin: 0; padding: 12px 16px; }
h1 { font-size: 18px; margin: 0 0 4px; overflow-wrap: anywhere; } h2 { font-size: 15px; margin: 20px 0 8px; }
td, th, .summary, p { overflow-wrap: anywhere; }
.report-summary { border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; margin-bottom: 16px; }
.report-summary h1 { margin-bottom: 6px; } .report-summary table td, .report-summary table th { padding: 1px 14px 1px 0; text-align: left; }
.report-summary a { color: inherit; } .report-summary .bad { color: var(--bad); font-weight: 600; }
.summary { color: var(--muted); margin-bottom: 8px; }
table { border-collapse: separate; border-spacing: 0; }
.settings td, .settings th { padding: 2px 12px 2px 0; text-align: left; vertical-align: top; }
.settings .source { color: var(--muted); }
.matrix-wrap { overflow: auto; max-height: 70vh; border: 1px solid var(--line); }
.matrix th, .matrix td { border-bottom: 1px solid var(--line); padding: 3px 6px; white-space: nowrap; }
.matrix thead th { position: sticky; top: 0; background: var(--bg); z-index: 2; vertical-align: bottom; font-weight: 600; }
.matrix thead th .component { display: block; font-weight: normal; color: var(--muted); font-size: 11px; }
.matrix tbody th { position: sticky; left: 0; background: var(--bg); z-index: 1; text-align: left; font-weight: normal; max-width: 320px; }
.matrix tbody th .node { display: inline-block; max-width: 200px; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
.matrix tbody th .address, .matrix tbody th .roles { color: var(--muted); font-size: 11px; margin-left: 6px; }
.matrix td { text-align: center; min-width: 56px; }
.matrix tr.group th { background: var(--head); font-weight: 600; }
.cell { cursor: default; border-radius: 3px; display: inline-block; min-width: 22px; }
.interactive .cell[data-uri], .interactive .node[data-uri] { cursor: pointer; }
#firewall { margin: 0 0 1em; }
.copy-rules { margin-left: 0.5em; font-size: 0.8em; }
.open { color: var(--ok); } .missing, .excluded { color: #fff; background: var(--bad); } .partial { color: #fff; background: var(--warn); }
.conflict { color: #fff; background: var(--warn); } .none { color: var(--muted); }
.undescribed { color: var(--unknown); outline: 1px dashed var(--unknown); outline-offset: -1px; }
.total { color: var(--muted); font-size: 11px; }
.problems td { padding: 2px 10px 2px 0; } .problems .severity { border-radius: 3px; padding: 0 6px; }
.legend span { margin-right: 14px; } .legend .cell { margin-right: 4px; }
svg text { fill: var(--fg); font: 12px var(--font); } svg .box { fill: var(--head); stroke: var(--line); }
svg .arrow { stroke: var(--ok); fill: none; stroke-width: 1.5; } svg .arrow.blocked { stroke: var(--bad); stroke-width: 2.5; }
svg .arrow.unknown { stroke: var(--unknown); stroke-dasharray: 5 4; }
svg .label.blocked { fill: var(--bad); font-weight: 600; } svg .label.unknown { fill: var(--unknown); font-style: italic; } svg .muted { fill: var(--muted); }
.flow-legend { color: var(--muted); } .flow-legend span { margin-right: 14px; } .flow-legend .blocked { color: var(--bad); } .flow-legend .ok { color: var(--ok); }
`;

/** Flows are told apart by symbol and wording as well as by colour. */
const FLOW_SYMBOL = { open: '✓', blocked: '✕', unknown: '?' } as const;

function cellHtml(cell: MapCell): string {
  const title = cell.message
    ? ` title="${escape(`${STATUS_TEXT[cell.status]}: ${cell.message}`)}"`
    : ` title="${STATUS_TEXT[cell.status]}"`;
  const target =
    cell.uri && cell.range
      ? ` data-uri="${escape(cell.uri)}" data-line="${cell.range.start.line}" data-character="${cell.range.start.character}"`
      : '';
  return `<td><span class="cell ${cell.status}" data-status="${cell.status}"${target}${title}>${SYMBOL[cell.status]}</span></td>`;
}

const isProblem = (cell: MapCell) => cell.status !== 'open' && cell.status !== 'none' && cell.status !== 'undescribed';

/**
 * The port matrix. Columns with a problem come first and each row's count of blocked ports
 * right after the node's name, so what needs fixing is on screen without scrolling sideways
 * however many ports the cluster needs.
 */
function matrixHtml(map: ClusterMapData, index: number): string {
  if (map.nodes.length === 0) return '<p class="summary">No nodes.</p>';
  const problemsIn = (column: number) => map.nodes.filter((_, row) => isProblem(map.cells[row][column])).length;
  const counts = map.columns.map((_, column) => problemsIn(column));
  const order = map.columns.map((_, column) => column).sort((a, b) => Number(counts[b] > 0) - Number(counts[a] > 0) || a - b);
  const head = order
    .map((column) => {
      const c = map.columns[column];
      return `<th data-column="${escape(c.id)}" title="${escape(c.purpose)}">${escape(c.label)}<span class="component">${escape(c.purpose)}</span></th>`;
    })
    .join('');
  const rows: string[] = [];
  let group = '';
  map.nodes.forEach((node, row) => {
    const role = node.roles.includes('control-plane') ? 'control plane' : node.roles.includes('etcd') ? 'etcd' : 'workers';
    if (role !== group) {
      group = role;
      rows.push(`<tr class="group"><th colspan="${map.columns.length + 2}">${escape(role)}</th></tr>`);
    }
    const cells = map.cells[row];
    const bad = cells.filter(isProblem).length;
    const unknown = cells.filter((c) => c.status === 'undescribed').length;
    const total = [bad ? `${bad} blocked` : '', unknown ? `${unknown} not described` : ''].filter(Boolean).join(', ');
    rows.push(
      `<tr data-node="${row}"><th><span class="node" data-uri="${escape(node.uri)}" data-line="${node.range.start.line}" data-character="${node.range.start.character}" title="${escape(node.name)}">${nameHtml(node.name)}</span>` +
        `<span class="roles">${escape(node.roles.join(', '))}</span>${node.address ? `<span class="address">${nameHtml(node.address)}</span>` : ''}</th>` +
        `<td class="total">${total}</td>` +
        order.map((column) => cellHtml(cells[column])).join('') +
        `</tr>`,
    );
  });
  const totals = order.map((column) => {
    const unknown = map.nodes.filter((_, row) => map.cells[row][column].status === 'undescribed').length;
    return `<td class="total">${[counts[column] ? `${counts[column]}` : '', unknown ? `${unknown} ?` : ''].filter(Boolean).join(' · ')}</td>`;
  });
  rows.push(`<tr><th class="total">nodes blocked · not described (?)</th><td></td>${totals.join('')}</tr>`);
  return `<div class="matrix-wrap"><table class="matrix" id="matrix-${index}"><thead><tr><th>node</th><th>blocked</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * The flows as a sequence diagram: a box and a lifeline per role group (and the outside world),
 * one row per flow with an arrow between the lifelines, red when some target node blocks it.
 * Rows never cross, so it stays readable however many nodes there are (names collapse into a
 * count above `listLimit`).
 */
function diagramSvg(map: ClusterMapData, listLimit: number): string {
  const byRole = (predicate: (roles: string[]) => boolean) => map.nodes.filter((n) => predicate(n.roles));
  const controlPlane = byRole((r) => r.includes('control-plane'));
  const etcd = byRole((r) => r.includes('etcd') && !r.includes('control-plane'));
  const workers = byRole((r) => r.includes('worker') && !r.includes('control-plane'));
  const names = (nodes: typeof map.nodes) =>
    nodes.length > listLimit ? [`${nodes.length} nodes`] : nodes.map((n) => shorten(n.name));
  const columns: Array<{ key: string; title: string; lines: string[] }> = [
    { key: 'outside', title: 'outside', lines: ['kubectl, load balancers,', 'NodePort clients'] },
    { key: 'control plane', title: `control plane (${controlPlane.length})`, lines: names(controlPlane) },
    ...(etcd.length ? [{ key: 'etcd', title: `etcd (${etcd.length})`, lines: names(etcd) }] : []),
    { key: 'workers', title: `workers (${workers.length})`, lines: names(workers) },
  ];
  const width = 230;
  const x = (key: string) => 20 + columns.findIndex((c) => c.key === key) * width + (width - 30) / 2;
  const boxHeight = 30 + Math.min(Math.max(...columns.map((c) => c.lines.length)), 8) * 15;
  const rowHeight = 40;
  const top = 10 + boxHeight + 30;
  const height = top + map.flows.length * rowHeight + 10;
  const parts: string[] = [];
  columns.forEach((c, i) => {
    const left = 20 + i * width;
    parts.push(`<rect class="box" x="${left}" y="10" width="${width - 30}" height="${boxHeight}" rx="6"/>`);
    parts.push(`<text x="${left + 10}" y="28" font-weight="600">${escape(c.title)}</text>`);
    c.lines
      .slice(0, 8)
      .forEach((line, j) =>
        parts.push(
          `<text class="muted" x="${left + 10}" y="${44 + j * 15}">${escape(j === 7 && c.lines.length > 8 ? `… ${c.lines.length - 7} more` : line)}</text>`,
        ),
      );
    parts.push(
      `<line class="lifeline" x1="${x(c.key)}" y1="${10 + boxHeight}" x2="${x(c.key)}" y2="${height}" stroke="var(--line)" stroke-dasharray="4 4"/>`,
    );
  });
  const participant = (name: string) =>
    name === 'nodes, kubectl' || name === 'clients' || name === 'load balancers'
      ? 'outside'
      : name === 'etcd'
        ? etcd.length
          ? 'etcd'
          : 'control plane'
        : name === 'every node'
          ? 'workers'
          : name;
  map.flows.forEach((flow, row) => {
    const y = top + row * rowHeight + 22;
    // Blocked wins over unknown: one node that certainly blocks it is what to fix first.
    const look = flow.blocked > 0 ? 'blocked' : flow.unknown > 0 ? 'unknown' : 'open';
    const cls = `arrow${look === 'open' ? '' : ` ${look}`}`;
    const marker = `url(#${look === 'blocked' ? 'red' : look === 'unknown' ? 'grey' : 'green'})`;
    const from = participant(flow.from);
    const to = participant(flow.to);
    const everyNode = flow.to === 'every node';
    let labelX: number;
    if (flow.from === 'every node' && everyNode) {
      // Between every two nodes: both ways, across all node columns.
      const a = x('control plane');
      const b = x('workers');
      parts.push(
        `<line class="${cls}" x1="${a + 4}" y1="${y}" x2="${b - 4}" y2="${y}" marker-start="${marker}" marker-end="${marker}"/>`,
      );
      labelX = a + 8;
    } else if (from === to) {
      const a = x(from);
      parts.push(`<path class="${cls}" d="M${a} ${y - 8} h 36 v 14 h -32" marker-end="${marker}"/>`);
      labelX = a + 44;
    } else {
      const a = x(from);
      const b = x(to);
      parts.push(`<line class="${cls}" x1="${a}" y1="${y}" x2="${b + (b > a ? -4 : 4)}" y2="${y}" marker-end="${marker}"/>`);
      labelX = Math.min(a, b) + 8;
    }
    const status =
      look === 'blocked'
        ? ` — blocked on ${flow.blocked} of ${flow.targets}${flow.unknown ? `, not described on ${flow.unknown}` : ''}`
        : look === 'unknown'
          ? ` — not described on ${flow.unknown} of ${flow.targets}`
          : '';
    const text = `${FLOW_SYMBOL[look]} ${flow.label}${everyNode && flow.from !== 'every node' ? ' (every node)' : ''}${status}`;
    parts.push(`<text class="label${look === 'open' ? '' : ` ${look}`}" x="${labelX}" y="${y - 6}">${escape(text)}</text>`);
  });
  const markers = `<defs>${(['green', 'red', 'grey'] as const)
    .map(
      (id) =>
        `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="var(--${{ red: 'bad', green: 'ok', grey: 'unknown' }[id]})"/></marker>`,
    )
    .join('')}</defs>`;
  // Room on the right for the labels of loops on the last column.
  const svgWidth = 20 + columns.length * width + 260;
  return `<svg class="flows" width="${svgWidth}" height="${height}" viewBox="0 0 ${svgWidth} ${height}" role="img" aria-label="Flows between the cluster's roles">${markers}${parts.join('')}</svg>`;
}

const LEGEND: CellStatus[] = ['open', 'missing', 'partial', 'excluded', 'conflict', 'undescribed'];

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/**
 * The cluster's heading: its name where it has one, with where it is; else where it is: the file
 * that is the cluster, or its directory (relative to the working directory or the workspace folder).
 */
function headingOf(map: ClusterMapData, options: RenderOptions): string {
  // A declared cluster's id is its project config's URI with the name after '#': no path to show.
  const where = map.id.includes('#') || map.id.endsWith('/') ? map.root : map.id;
  const path = options.displayPath ? options.displayPath(where) : decodeURIComponent(where.replace(/^file:\/\//, ''));
  return map.name && map.name !== path ? `${map.name} (${path})` : path;
}

const flowCounts = (map: ClusterMapData) => ({
  blocked: map.flows.filter((f) => f.blocked > 0).length,
  unknown: map.flows.filter((f) => f.blocked === 0 && f.unknown > 0).length,
});

function sectionHtml(map: ClusterMapData, index: number, options: RenderOptions): string {
  const heading = `<h1>${nameHtml(headingOf(map, options))}</h1>`;
  if (map.nodes.length === 0)
    // A file with no nodes has no map to draw: only what was found in it.
    return `<section class="cluster no-nodes" id="cluster-${index}" data-cluster="${escape(map.id)}">${heading}
<div class="summary">no nodes · ${plural(map.errors, 'error')} · ${plural(map.warnings, 'warning')}</div>
${options.withProblems ? problemsHtml(map, options) : ''}
</section>`;
  const settings = map.settings
    .map((s) => `<tr><th>${escape(s.name)}</th><td>${nameHtml(s.value)}</td><td class="source">${nameHtml(s.source)}</td></tr>`)
    .join('');
  const flows = flowCounts(map);
  return `<section class="cluster" id="cluster-${index}" data-cluster="${escape(map.id)}">
${heading}
<div class="summary">${plural(map.nodes.length, 'node')} · ${plural(map.errors, 'error')} · ${plural(map.warnings, 'warning')} · ${plural(flows.blocked, 'blocked flow')}${flows.unknown ? ` · ${plural(flows.unknown, 'flow')} not checked (no firewall described)` : ''}</div>
<h2>Ports per node</h2>
<div class="legend">${LEGEND.map((s) => `<span><span class="cell ${s}">${SYMBOL[s]}</span>${STATUS_TEXT[s]}</span>`).join('')}</div>
${matrixHtml(map, index)}
<h2>Flows</h2>
<div class="flow-legend"><span class="ok">✓ → open on every target node</span><span class="blocked">✕ → blocked on some</span><span>? ⇢ not described: cannot be checked</span></div>
${diagramSvg(map, options.listLimit ?? 12)}
<h2>Settings in force</h2><table class="settings">${settings}</table>
${options.withProblems ? problemsHtml(map, options) : ''}
</section>`;
}

/** The report's first screen: every cluster with its errors and blocked flows, most to fix first, linked to its section. */
function summaryHtml(maps: readonly ClusterMapData[], options: RenderOptions): string {
  const errors = maps.reduce((n, m) => n + m.errors, 0);
  const warnings = maps.reduce((n, m) => n + m.warnings, 0);
  const blocked = maps.reduce((n, m) => n + flowCounts(m).blocked, 0);
  const unknown = maps.reduce((n, m) => n + flowCounts(m).unknown, 0);
  const empty = maps.filter((m) => m.nodes.length === 0).length;
  const rows = maps
    .map((m, i) => {
      const flows = flowCounts(m);
      const bad = (n: number, text: string) => (n ? `<span class="bad">${text}</span>` : text);
      return `<tr><td><a href="#cluster-${i}">${nameHtml(headingOf(m, options))}</a></td><td>${m.nodes.length ? plural(m.nodes.length, 'node') : 'no nodes'}</td><td>${bad(m.errors, plural(m.errors, 'error'))}</td><td>${plural(m.warnings, 'warning')}</td><td>${bad(flows.blocked, plural(flows.blocked, 'blocked flow'))}</td><td>${flows.unknown ? `${plural(flows.unknown, 'flow')} not checked` : ''}</td></tr>`;
    })
    .join('');
  return `<nav class="report-summary" aria-label="Summary"><h1>${escape(options.title ?? 'Cluster map')}</h1>
<div class="summary">${plural(maps.length - empty, 'cluster')}${empty ? ` (and ${plural(empty, 'file')} with no nodes)` : ''} · ${plural(errors, 'error')} · ${plural(warnings, 'warning')} · ${plural(blocked, 'blocked flow')}${unknown ? ` · ${plural(unknown, 'flow')} not checked (no firewall described)` : ''}</div>
<table>${rows}</table></nav>`;
}

function problemsHtml(map: ClusterMapData, options: RenderOptions): string {
  if (map.problems.length === 0) return '<h2>Findings</h2><p class="summary">None.</p>';
  const name = options.displayPath ?? ((uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)));
  const rows = map.problems
    .map(
      (p) =>
        `<tr><td>${nameHtml(name(p.uri))}:${p.line + 1}:${p.character + 1}</td><td class="${p.severity === 'error' ? 'missing' : p.severity === 'warning' ? 'partial' : 'none'} severity">${escape(p.severity)}</td><td>${escape(p.rule)}</td><td>${nameHtml(p.message)}</td></tr>`,
    )
    .join('');
  return `<h2>Findings</h2><table class="settings problems">${rows}</table>`;
}

/**
 * The body of the page: one section per cluster. Several clusters (the report) get a summary
 * first and come in the order of what there is to fix: blocked flows, then errors, then warnings;
 * files with no nodes come last.
 */
export function clusterMapBody(maps: readonly ClusterMapData[], options: RenderOptions = {}): string {
  if (maps.length === 0) return '<p class="summary">No cluster to show.</p>';
  if (maps.length === 1) return sectionHtml(maps[0], 0, options);
  const weight = (m: ClusterMapData) => [Number(m.nodes.length > 0), flowCounts(m).blocked, m.errors, m.warnings];
  const ordered = maps
    // A file with no nodes and nothing found in it has nothing to show.
    .filter((m) => m.nodes.length > 0 || m.problems.length > 0)
    .map((map, index) => ({ map, index, weight: weight(map) }))
    .sort((a, b) => {
      for (let i = 0; i < a.weight.length; i++) if (a.weight[i] !== b.weight[i]) return b.weight[i] - a.weight[i];
      return a.index - b.index;
    })
    .map((o) => o.map);
  return `${summaryHtml(ordered, options)}\n${ordered.map((m, i) => sectionHtml(m, i, options)).join('\n')}`;
}

/** The script of the interactive page: clicks reveal their place; updates replace the body; the state is reported for tests. */
const SCRIPT = `
const vscode = acquireVsCodeApi();
const root = document.getElementById('map');
function state() {
  const head = [...root.querySelectorAll('thead th[data-column]')];
  return {
    columns: head.map((th) => th.firstChild.textContent),
    rows: [...root.querySelectorAll('tr[data-node]')].map((row) => ({
      node: row.querySelector('.node').textContent,
      cells: [...row.querySelectorAll('.cell')].map((c) => c.dataset.status),
    })),
  };
}
root.addEventListener('click', (event) => {
  const target = event.target.closest('[data-uri]');
  if (!target) return;
  vscode.postMessage({ type: 'reveal', uri: target.dataset.uri, line: Number(target.dataset.line), character: Number(target.dataset.character) });
});
window.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'update') { root.innerHTML = message.body; addCopyButtons(); vscode.postMessage({ type: 'state', state: state() }); }
  if (message.type === 'click') {
    const row = [...root.querySelectorAll('tr[data-node]')].find((r) => r.querySelector('.node').textContent === message.node);
    const cell = row && row.querySelectorAll('.cell')[message.column];
    if (cell) cell.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  }
  if (message.type === 'clickCopy') {
    const row = [...root.querySelectorAll('tr[data-node]')].find((r) => r.querySelector('.node').textContent === message.node);
    const button = row && row.querySelector('.copy-rules');
    if (button) button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  }
});
// "Copy rules" per node (a button in each row, made here with textContent: a node's name is never parsed as HTML) and per role.
const format = document.getElementById('firewall-format');
function copy(what) { if (format) vscode.postMessage({ type: 'copyRules', format: format.value, ...what }); }
function addCopyButtons() {
  if (!format) return;
  for (const row of root.querySelectorAll('tr[data-node]')) {
    const node = row.querySelector('.node');
    const button = document.createElement('button');
    button.className = 'copy-rules';
    button.textContent = 'Copy rules';
    button.title = 'Copy the firewall rules of this node, in the format chosen above';
    // The full name is the title: a long one is cut with an ellipsis in the text.
    button.addEventListener('click', (event) => { event.stopPropagation(); copy({ node: node.getAttribute('title') || node.textContent }); });
    row.querySelector('th').append(button);
  }
}
for (const button of document.querySelectorAll('#firewall button[data-role]'))
  button.addEventListener('click', () => copy({ role: button.dataset.role }));
addCopyButtons();
vscode.postMessage({ type: 'state', state: state() });
`;

/** The interactive page's firewall toolbar: a format picker and a "Copy rules" button per role. */
function firewallToolbar(formats: ReadonlyArray<{ id: string; label: string }>): string {
  const options = formats.map((f) => `<option value="${escape(f.id)}">${escape(f.label)}</option>`).join('');
  const roles = ['control-plane', 'worker', 'etcd']
    .map((role) => `<button type="button" data-role="${role}">Copy rules: ${role}</button>`)
    .join(' ');
  return `<div id="firewall"><label>Firewall rules as <select id="firewall-format">${options}</select></label> ${roles}</div>`;
}

/** The whole page. */
export function clusterMapHtml(maps: readonly ClusterMapData[], options: RenderOptions = {}): string {
  const nonce = options.nonce ? ` nonce="${escape(options.nonce)}"` : '';
  const csp = options.interactive
    ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${escape(options.nonce ?? '')}'; script-src 'nonce-${escape(options.nonce ?? '')}'; img-src data:;">`
    : `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;">`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">${csp}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.title ?? 'Cluster Preflight: cluster map')}</title>
<style${nonce}>${STYLE}</style></head>
<body class="${options.interactive ? 'interactive' : ''}">${options.interactive && options.firewallFormats?.length ? firewallToolbar(options.firewallFormats) : ''}<main id="map">${clusterMapBody(maps, options)}</main>
${options.interactive ? `<script${nonce}>${SCRIPT}</script>` : ''}
</body></html>
`;
}
