/**
 * Hostile input for the engine: mutated documents through the same analysis the CLI runs,
 * hovers and code actions at random positions, and a quick-fix round trip over every way a
 * node's firewall can be written. Counts exceptions (thrown, or caught by the runner as
 * internal-error), calls slower than a second, and fixes that break the file, drop a comment
 * or leave their diagnostic. `npm test` runs a bounded pass (test/unit/fuzz.test.ts);
 *
 *   npm run fuzz -- --docs 100000 --seed 7
 *
 * runs as long as asked and prints the figures.
 */
import { loadTerraformParser } from '../../server/src/node/terraformGrammar';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateInventory, random } from '../../bench/generate';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import type { Finding } from '../../server/src/engine/core/findings';
import { LineIndex } from '../../server/src/engine/core/text/lineIndex';
import { codeActions, fixAll } from '../../server/src/engine/features/codeActions';
import { RULES } from '../../server/src/engine/rules/catalogue';
import { hover } from '../../server/src/engine/features/hover';
import { clusterMapData } from '../../server/src/engine/features/clusterMap';
import { clusterMapHtml } from '../../server/src/engine/features/clusterMapHtml';
import { completions } from '../../server/src/engine/features/completion';
import { references, rename } from '../../server/src/engine/features/references';
import { documentSymbols } from '../../server/src/engine/features/symbols';
import { applyEdits } from '../edits';

const REPO = resolve(__dirname, '../../..');
const ROOT = 'file:///fuzz/';
/** A call slower than this is a hang (on an input under 1 MB). */
const HANG_MS = 1000;
/** On an input of 1 MB or more, a call slower than this is a hang. */
const LARGE_HANG_MS = 5000;
const LARGE_INPUT_CHARS = 1024 * 1024;

export interface FuzzOptions {
  seed: number;
  /** Mutated documents to check. */
  docs: number;
  /** Inventories of random firewall styles whose quick-fixes are applied. */
  fixRounds: number;
  /** Rounds of the hostile shapes (HOSTILE_SHAPES), each shape once per round, mutated after the first. */
  hostileRounds?: number;
  /** The size of the hostile shapes: 1 (the default) for the sizes the issues reported. */
  hostileScale?: number;
  /**
   * Multiplies the per-call budgets (default 1). The suite runs on machines shared with other work, where
   * CPU time inflates too; the hangs it guards against took 13 s to minutes, far above any scale used.
   */
  budgetScale?: number;
}

export interface FuzzFigures {
  documents: number;
  hovers: number;
  /** Completion, outline, references, rename and cluster-map requests. */
  otherRequests: number;
  codeActionRequests: number;
  /** Fix-all requests on the firewall rounds' inventories (each checked, and asked again on its result). */
  fixAllRequests: number;
  /** Calls on the hostile shapes (findings, hover, outline, code actions, fix-all). */
  hostileCalls: number;
  fixesApplied: number;
  exceptions: string[];
  hangs: string[];
  brokenFixes: string[];
  slowestMs: number;
}

/**
 * The seeds mutations start from: the bundled examples (YAML, INI and Terraform, with their paths below
 * examples/, so that kinds recognised by path see them as they are: RKE2 node directories,
 * Kubespray group_vars), the schema examples and a generated inventory.
 */
function seeds(): Array<{ name: string; text: string }> {
  const files: Array<{ name: string; text: string }> = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else if (/\.(ya?ml|ini|tf|tfvars)$/.test(name)) files.push({ name: `${prefix}${name}`, text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(REPO, 'examples'), '');
  walk(join(REPO, 'schemas', 'examples'), '');
  files.push({ name: 'generated.yaml', text: generateInventory(40) });
  return files;
}

const TOKENS = [
  '[',
  ']',
  '{',
  '}',
  ': ',
  '- ',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '---\n',
  '...\n',
  '&a ',
  '*a',
  '*a ',
  '<<: *a\n',
  '!!binary ',
  '!!str ',
  '!custom ',
  '? ',
  '~',
  'null',
  '"',
  "'",
  '#',
  '|\n',
  '>-\n',
  '\uFEFF',
  '\u0000',
  '💥',
  'é',
  '${NODE_IP}',
  '{{ x }}',
  '{% if x %}',
  '0',
  '65536',
  '-1',
  '1e9',
  '0x1F',
  '30000-32767',
  '32767-30000',
  'fd00::1/64',
  '300.1.1.1',
  '52:54:00:00:00:01',
  'control-plane',
  'etcd',
  'worker',
  'kubeadm.k8s.io/v1beta3',
  'cluster-preflight/v1alpha1',
  'Inventory',
  'nodePort: 0',
  'firewall: ~',
  '['.repeat(50),
  '{a: '.repeat(30),
];

/** One random mutation of `text`. */
function mutate(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  const at = pick(text.length + 1);
  switch (pick(7)) {
    case 0:
      return text.slice(0, at) + TOKENS[pick(TOKENS.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + pick(40)));
    case 2: {
      const lines = text.split('\n');
      const i = pick(lines.length);
      lines.splice(pick(lines.length), 0, lines[i]);
      return lines.join('\n');
    }
    case 3: {
      const lines = text.split('\n');
      const i = pick(lines.length);
      const j = pick(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    case 5: {
      const code = text.charCodeAt(at) || 32;
      return text.slice(0, at) + String.fromCharCode(code ^ (1 << pick(7))) + text.slice(at + 1);
    }
    default: {
      const lines = text.split('\n');
      const i = pick(lines.length);
      lines[i] = ' '.repeat(pick(6)) + lines[i].trimStart();
      return lines.join('\n');
    }
  }
}

/** Firewall styles of a node: every way the list (or its absence) can be written. */
const FIREWALL_STYLES: Array<(entries: string[], indent: string) => string> = [
  () => '',
  (_e, i) => `${i}firewall:\n`,
  (_e, i) => `${i}firewall: null\n`,
  (_e, i) => `${i}firewall: ~\n`,
  (_e, i) => `${i}firewall: none  # to do\n`,
  (_e, i) => `${i}firewall: []  # nothing yet\n`,
  (e, i) => `${i}firewall: [${e.map((p) => `{port: ${p}}`).join(', ')}]\n`,
  (e, i) => `${i}firewall:\n${e.map((p) => `${i}  - port: ${p}  # comment\n`).join('')}`,
  (e, i) => `${i}firewall:\n${e.map((p) => `${i}  - {port: ${p}, protocol: TCP}\n`).join('')}`,
  (e, i) => `${i}firewall:\n${e.map((p) => `${i}- port: "${p}"\n${i}  protocol: TCP\n`).join('')}`,
  (e, i) => `${i}firewall:\n${e.map((p) => `${i}    - port: ${p}\n${i}      comment: open\n`).join('')}`,
];

/** Firewalls written from stale lists: on the wrong protocol (firewall-wrong-protocol's fixes). */
const STALE_STYLES: Array<(entries: string[], indent: string) => string> = [
  (e, i) => `${i}firewall:\n${e.map((p) => `${i}  - port: ${p}  # comment\n${i}    protocol: UDP\n`).join('')}`,
  (e, i) => `${i}firewall: [${e.map((p) => `{port: "${p}", protocol: 'UDP'}`).join(', ')}]\n`,
];

/**
 * An inventory whose nodes use random firewall styles, indentation, comments and line ends;
 * `stale` ones also open obsolete ports (obsolete-port-rule's fixes) and write some firewalls on the wrong protocol.
 */
function fixInventory(next: () => number, stale: boolean): string {
  const pick = (n: number) => Math.floor(next() * n);
  const indent = pick(2) ? '  ' : '    ';
  const nodes: string[] = [];
  for (let n = 0; n < 3 + pick(3); n++) {
    const roles = [['control-plane'], ['worker'], ['control-plane', 'worker'], ['etcd']][pick(4)];
    // Stale firewalls also open flannel's 8472, on whatever protocol their style writes (TCP or UDP).
    const ports = ['10250', '6443', '2379-2380', '10256', '30000-32000', ...(stale ? ['10251', '10255', '8472'] : [])];
    const open = ports.filter(() => next() < 0.4);
    const i = `${indent}  `;
    let node = `${indent}- hostname: node-${n}  # node ${n}\n${i}roles: [${roles.join(', ')}]\n${i}interfaces:\n${i}  - name: eth0\n${i}    address: 10.0.0.${n + 1}/24\n`;
    const styles = stale ? [...FIREWALL_STYLES, ...STALE_STYLES] : FIREWALL_STYLES;
    node += styles[pick(styles.length)](open, i);
    if (pick(2)) node += `${i}# last line of node ${n}\n`;
    nodes.push(node);
  }
  const cni = stale && pick(2) ? `${indent}cni:\n${indent}  plugin: flannel  # VXLAN on 8472/UDP\n` : '';
  const text =
    `# fuzz inventory\napiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n${cni}${indent}nodes:\n${nodes.join('')}`.replace(
      /^( *)nodes:\n/m,
      (_m, s: string) => `${s}nodes:  # the machines\n`,
    );
  const withBom = pick(4) === 0 ? `\uFEFF${text}` : text;
  return pick(3) === 0 ? withBom.replace(/\n/g, '\r\n') : withBom;
}

/**
 * Shapes a hostile user (or a template gone wrong) produces, each of which once took a call from seconds
 * to minutes (issues 17 and 18): every call on them must stay within the per-call budget.
 */
export const HOSTILE_SHAPES: Array<{ name: string; text: (scale: number) => string }> = [
  {
    // 2,000 copies of one Inventory document (~330 KB): duplicate groups of 2,000.
    name: 'duplicates/inventory.yaml',
    text: (scale) =>
      Array.from(
        { length: Math.round(2000 * scale) },
        () =>
          'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n  nodes:\n    - hostname: node-1\n      roles: [worker]\n      interfaces: [{name: eth0, address: 10.0.0.1/24}]\n',
      ).join('---\n'),
  },
  {
    name: 'comments/inventory.yaml',
    text: (scale) => `${generateInventory(3)}${'# a comment line\n'.repeat(Math.round(200_000 * scale))}`,
  },
  {
    name: 'scalar/inventory.yaml',
    text: (scale) =>
      `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: ${'a'.repeat(Math.round(1024 * 1024 * scale))}\nspec:\n  nodes: []\n`,
  },
  {
    name: 'flow-list/inventory.yaml',
    text: (scale) =>
      `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n  nodes:\n    - hostname: n\n      roles: [${Array.from({ length: Math.round(2000 * scale) }, (_, i) => `role-${i}`).join(', ')}]\n      firewall: [${Array.from({ length: Math.round(2000 * scale) }, (_, i) => `{port: ${30000 + i}}`).join(', ')}]\n`,
  },
  {
    name: 'inventory/mycluster/group_vars/all/all.yml',
    text: (scale) => Array.from({ length: Math.round(40_000 * scale) }, (_, i) => `var_${i}: value-${i}`).join('\n') + '\n',
  },
  {
    name: 'labels/inventory.yaml',
    text: (scale) =>
      `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: x\n  labels:\n${Array.from({ length: Math.round(40_000 * scale) }, (_, i) => `    l-${i}: v`).join('\n')}\nspec:\n  nodes: []\n`,
  },
  {
    // The same labels, the one in the middle re-indented: each line after it nests one level deeper in the parser.
    name: 'labels-reindented/inventory.yaml',
    text: (scale) => {
      const count = Math.round(40_000 * scale);
      const labels = Array.from({ length: count }, (_, i) => `    l-${i}: v`);
      labels[count >> 1] = `  l-${count >> 1}: v`;
      return `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: x\n  labels:\n${labels.join('\n')}\nspec:\n  nodes: []\n`;
    },
  },
  {
    name: 'anchors/inventory.yaml',
    text: () => `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec: ${'&a [ '.repeat(5000)}${']'.repeat(5000)}\n`,
  },
  {
    name: 'tags/inventory.yaml',
    text: () => `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec: ${'!!seq [ '.repeat(5000)}${']'.repeat(5000)}\n`,
  },
  { name: 'cr/inventory.yaml', text: () => generateInventory(40).replace(/\r?\n/g, '\r') },
  {
    // 100,000 rule keys (2 MB) in a project config: read once, each unknown key a warning.
    name: 'config/.cluster-preflight.yaml',
    text: (scale) =>
      `rules:\n  missing-*: "off"\n${Array.from({ length: Math.round(100_000 * scale) }, (_, i) => `  rule-${i}: warning\n`).join('')}`,
  },
  {
    // A v1beta3 ClusterConfiguration with 20,000 extraArgs: the migration quick-fix parses it (and its result) guarded,
    // and fix-all checks the migrated file as a draft (at 40,000, 54 s before the guarded parser).
    name: 'kubeadm/kubeadm.yaml',
    text: (scale) =>
      `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n${Array.from({ length: Math.round(20_000 * scale) }, (_, i) => `    flag-${i}: "${i}"\n`).join('')}`,
  },
  {
    // Nested 10,000 deep after a v1beta3 document: the migration's check of the whole file must not overflow.
    name: 'kubeadm-nested/kubeadm.yaml',
    text: () =>
      `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    a: "1"\n---\nx: ${'&a [ '.repeat(10_000)}${']'.repeat(10_000)}\n`,
  },
  {
    // A flannel cluster of 500 nodes, each with 8472 open on TCP and ports missing: fix-all's rounds on a large file.
    name: 'fix-all/inventory.yaml',
    text: (scale) =>
      `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n  cni:\n    plugin: flannel\n  nodes:\n${Array.from(
        { length: Math.round(500 * scale) },
        (_, i) =>
          `    - hostname: n-${i}\n      roles: [${i < 3 ? 'control-plane' : 'worker'}]\n      interfaces: [{name: eth0, address: 10.0.${i >> 8}.${i & 255}/16}]\n      firewall:\n        - port: 8472\n          protocol: TCP  # overlay\n`,
      ).join('')}`,
  },
];

/**
 * Runs one call and counts it as a hang when it takes longer than its budget. The budget is on the
 * process's CPU time, not the wall clock: a machine shared with other work must not turn a quick call
 * into a "hang", and a call that really loops spends CPU all the same.
 */
/** Set from FuzzOptions.budgetScale for the run in progress (runs are synchronous, one at a time). */
let budgetScale = 1;

function timed<T>(figures: FuzzFigures, what: () => string, call: () => T, inputChars = 0): T | undefined {
  const started = process.cpuUsage();
  try {
    return call();
  } catch (error) {
    figures.exceptions.push(`${what()}: ${(error as Error).stack ?? error}`);
    return undefined;
  } finally {
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    figures.slowestMs = Math.max(figures.slowestMs, ms);
    const budget = (inputChars >= LARGE_INPUT_CHARS ? LARGE_HANG_MS : HANG_MS) * budgetScale;
    if (ms > budget) figures.hangs.push(`${what()}: ${Math.round(ms)} ms (budget ${budget} ms)`);
  }
}

/** The rules whose fixes the firewall rounds apply. */
const FIREWALL_FIX_RULES = ['missing-port-rule', 'firewall-wrong-protocol', 'obsolete-port-rule'];

/** What identifies a finding across a fix: a missing port by node and component, the others by their message (which names node and entry). */
function findingKey(finding: Pick<Finding, 'message' | 'data'> & { ruleId?: string; code?: string | number }): string {
  const rule = finding.ruleId ?? finding.code;
  return rule === 'missing-port-rule' ? portKey(finding) : `${rule}|${finding.message}`;
}

/** Which node and component port a missing-port-rule finding is about. */
function portKey(finding: Pick<Finding, 'message' | 'data'>): string {
  return `${/Node "([^"]+)"/.exec(finding.message)?.[1]}|${(finding.data as { componentPort?: string } | undefined)?.componentPort}`;
}

/** The comments of a text, as written (a fix must keep each of them). */
function comments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => /(?:^|\s)(#.*)$/.exec(line)?.[1])
    .filter((comment): comment is string => comment !== undefined);
}

export function fuzz(options: FuzzOptions): FuzzFigures {
  budgetScale = options.budgetScale ?? 1;
  const next = random(options.seed);
  const pick = (n: number) => Math.floor(next() * n);
  const figures: FuzzFigures = {
    documents: 0,
    hovers: 0,
    otherRequests: 0,
    codeActionRequests: 0,
    fixAllRequests: 0,
    hostileCalls: 0,
    fixesApplied: 0,
    exceptions: [],
    hangs: [],
    brokenFixes: [],
    slowestMs: 0,
  };
  const pool = seeds();
  const log = (message: string) => figures.exceptions.push(message);

  for (let d = 0; d < options.docs; d++) {
    const seed = pool[pick(pool.length)];
    let text = seed.text;
    for (let m = 1 + pick(4); m > 0; m--) text = mutate(text, next);
    const uri = `${ROOT}${d % 7}/${seed.name}`;
    const what = () => `document ${d} (from ${seed.name}): ${JSON.stringify(text.slice(0, 300))}`;
    const workspace = new Workspace({ log });
    workspace.setRoots([ROOT]);
    workspace.setText(uri, text);
    const findings = timed(figures, what, () => workspace.findings(uri)) ?? [];
    figures.documents++;
    for (const f of findings) if (f.ruleId === 'internal-error') figures.exceptions.push(`${what()}: ${f.message}`);
    const lines = new LineIndex(text);
    for (let h = 0; h < 3; h++) {
      const position = lines.positionAt(pick(text.length + 1));
      timed(
        figures,
        () => `hover at ${JSON.stringify(position)} in ${what()}`,
        () => hover(workspace, uri, position),
      );
      figures.hovers++;
    }
    const diagnostics = findings
      .filter(() => next() < 0.5)
      .map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight', data: f.data }));
    timed(
      figures,
      () => `code actions in ${what()}`,
      () => codeActions(workspace, uri, diagnostics, log),
    );
    figures.codeActionRequests++;
    // The other editor features, at a random place each.
    const at = lines.positionAt(pick(text.length + 1));
    timed(
      figures,
      () => `completion at ${JSON.stringify(at)} in ${what()}`,
      () => completions(workspace, uri, at),
    );
    timed(
      figures,
      () => `symbols in ${what()}`,
      () => documentSymbols(workspace, uri),
    );
    timed(
      figures,
      () => `references at ${JSON.stringify(at)} in ${what()}`,
      () => references(workspace, uri, at),
    );
    timed(
      figures,
      () => `rename at ${JSON.stringify(at)} in ${what()}`,
      () => rename(workspace, uri, at, 'renamed-node'),
    );
    if (d % 10 === 0)
      timed(
        figures,
        () => `cluster map of ${what()}`,
        () => clusterMapHtml([clusterMapData(workspace, uri)]),
      );
    figures.otherRequests += d % 10 === 0 ? 5 : 4;
  }

  for (let round = 0; round < (options.hostileRounds ?? 0); round++) {
    for (const shape of HOSTILE_SHAPES) {
      let text = shape.text(options.hostileScale ?? 1);
      if (round > 0) text = mutate(text, next);
      const uri = `${ROOT}hostile/${shape.name}`;
      const what = () => `hostile shape ${shape.name} (round ${round}, ${text.length} characters)`;
      const workspace = new Workspace({ log });
      workspace.setRoots([ROOT]);
      workspace.setText(uri, text);
      const findings =
        timed(
          figures,
          () => `findings of ${what()}`,
          () => workspace.findings(uri),
          text.length,
        ) ?? [];
      for (const f of findings) if (f.ruleId === 'internal-error') figures.exceptions.push(`${what()}: ${f.message}`);
      const position = new LineIndex(text).positionAt(pick(text.length + 1));
      timed(
        figures,
        () => `hover in ${what()}`,
        () => hover(workspace, uri, position),
        text.length,
      );
      timed(
        figures,
        () => `symbols in ${what()}`,
        () => documentSymbols(workspace, uri),
        text.length,
      );
      const diagnostics = findings.map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight', data: f.data }));
      timed(
        figures,
        () => `code actions in ${what()}`,
        () => codeActions(workspace, uri, diagnostics, log),
        text.length,
      );
      const edits = timed(
        figures,
        () => `fix-all in ${what()}`,
        () => fixAll(workspace, uri, log),
        text.length,
      );
      if (edits?.length) checkFixAll(figures, workspace, uri, text, applyEdits(text, edits), findings, log, what);
      figures.hostileCalls += 5;
    }
  }

  for (let r = 0; r < options.fixRounds; r++) {
    // One round in four writes a stale firewall: the other rules' fixes, at a quarter of the cost.
    const text = fixInventory(next, r % 4 === 3);
    const uri = `${ROOT}fix/inventory.yaml`;
    const workspace = new Workspace({ log });
    workspace.setRoots([ROOT]);
    workspace.setText(uri, text);
    const what = () => `firewall round ${r}: ${JSON.stringify(text)}`;
    const findings = workspace.findings(uri);
    const missing = findings.filter((f) => FIREWALL_FIX_RULES.includes(f.ruleId));
    const diagnostics = missing.map((f) => ({
      range: f.range,
      code: f.ruleId,
      source: 'cluster-preflight',
      data: f.data,
      message: f.message,
    }));
    const fixes = timed(figures, what, () => codeActions(workspace, uri, diagnostics, log)) ?? [];
    for (const fix of fixes) {
      figures.fixesApplied++;
      const fixed = applyEdits(text, fix.edits);
      const check = new Workspace({ log });
      check.setRoots([ROOT]);
      check.setText(uri, fixed);
      const after = check.findings(uri);
      const problem = (why: string) => figures.brokenFixes.push(`${fix.title}: ${why} in ${what()}\n--- fixed:\n${fixed}`);
      if (after.some((f) => f.ruleId === 'yaml-syntax')) problem('the result does not parse');
      const schemaBefore = new Set(findings.filter((f) => f.ruleId === 'schema').map((f) => f.message));
      if (after.some((f) => f.ruleId === 'schema' && !schemaBefore.has(f.message))) problem('the result breaks the schema');
      const kept = comments(fixed);
      if (comments(text).some((line) => !kept.includes(line))) problem('a comment was lost');
      if (text.startsWith('\uFEFF') !== fixed.startsWith('\uFEFF')) problem('the byte-order mark changed');
      if (text.includes('\r\n') && /[^\r]\n/.test(fixed)) problem('a line end changed');
      // The node and component port of each diagnostic the fix claims to resolve must be gone.
      const remaining = new Set(after.filter((f) => FIREWALL_FIX_RULES.includes(f.ruleId)).map(findingKey));
      const unresolved = fix.diagnostics.map((d) => findingKey(d as Finding)).filter((key) => remaining.has(key));
      if (unresolved.length) problem(`its diagnostics are still there (${unresolved.join(', ')})`);
    }
    const edits =
      timed(
        figures,
        () => `fix-all in ${what()}`,
        () => fixAll(workspace, uri, log),
      ) ?? [];
    figures.fixAllRequests++;
    if (edits.length) checkFixAll(figures, workspace, uri, text, applyEdits(text, edits), findings, log, what);
  }
  return figures;
}

/** Rules that have quick-fixes: fix-all leaves none of their findings that it could fix. */
const FIXABLE_RULES = new Set(RULES.filter((r) => r.fixes).map((r) => r.meta.id));

/**
 * What fix-all must give: a file that parses, no new schema finding, every comment, the BOM and the
 * line ends kept, the same findings in the workspace it was asked in (it
 * works on a draft), and nothing more to do when asked again.
 */
function checkFixAll(
  figures: FuzzFigures,
  workspace: Workspace,
  uri: string,
  text: string,
  fixed: string,
  findings: readonly Finding[],
  log: (message: string) => void,
  what: () => string,
): void {
  const problem = (why: string) => figures.brokenFixes.push(`fix-all: ${why} in ${what()}\n--- fixed:\n${fixed.slice(0, 4000)}`);
  const check = new Workspace({ log });
  check.setRoots([ROOT]);
  check.setText(uri, fixed);
  const after = check.findings(uri);
  const count = (list: readonly Finding[], rule: string) => list.filter((f) => f.ruleId === rule).length;
  if (count(after, 'yaml-syntax') > count(findings, 'yaml-syntax')) problem('the result has new syntax errors');
  const schemaBefore = new Set(findings.filter((f) => f.ruleId === 'schema').map((f) => f.message));
  if (after.some((f) => f.ruleId === 'schema' && !schemaBefore.has(f.message))) problem('the result breaks the schema');
  const kept = comments(fixed);
  if (comments(text).some((line) => !kept.includes(line))) problem('a comment was lost');
  if (text.startsWith('\uFEFF') !== fixed.startsWith('\uFEFF')) problem('the byte-order mark changed');
  if (text.includes('\r\n') && /[^\r]\n/.test(fixed)) problem('a line end changed');
  if (JSON.stringify(workspace.findings(uri)) !== JSON.stringify(findings)) problem('the workspace it was asked in changed');
  if (workspace.file(uri)?.text !== text) problem("the workspace's text changed");
  const again = fixAll(check, uri, log);
  if (again.length)
    problem(
      `a second fix-all still edits (${again.length} edits; fixable findings left: ${after
        .filter((f) => FIXABLE_RULES.has(f.ruleId))
        .map((f) => f.ruleId)
        .slice(0, 5)
        .join(', ')})`,
    );
}

if (require.main === module) void main();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      docs: { type: 'string', default: '20000' },
      fixes: { type: 'string', default: '2000' },
      /** Rounds of the hostile shapes; by default one per 2,000 documents. */
      hostile: { type: 'string' },
    },
  });
  // Terraform files need the HCL parser, which loads asynchronously (the tests load it in a root hook).
  await loadTerraformParser((message) => process.stderr.write(`${message}\n`));
  const started = performance.now();
  const hostileRounds =
    values.hostile === undefined ? Math.max(1, Math.round(Number(values.docs) / 2000)) : Number(values.hostile);
  const figures = fuzz({ seed: Number(values.seed), docs: Number(values.docs), fixRounds: Number(values.fixes), hostileRounds });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      `seed ${values.seed}: ${figures.documents} documents, ${figures.hovers} hovers, ${figures.codeActionRequests} code-action requests, ${figures.fixAllRequests} fix-all requests, ${figures.otherRequests} completion/outline/reference/rename/map requests, ${figures.hostileCalls} calls on ${hostileRounds} rounds of ${HOSTILE_SHAPES.length} hostile shapes, ${figures.fixesApplied} fixes applied in ${seconds} s`,
      `exceptions: ${figures.exceptions.length}`,
      `hangs (calls over ${HANG_MS} ms on inputs under 1 MB, over ${LARGE_HANG_MS} ms on any): ${figures.hangs.length} (slowest call ${Math.round(figures.slowestMs)} ms)`,
      `broken fixes: ${figures.brokenFixes.length}`,
      ...[...figures.exceptions, ...figures.hangs, ...figures.brokenFixes].slice(0, 5).map((s) => `  ${s.slice(0, 2000)}`),
      '',
    ].join('\n'),
  );
  process.exitCode = figures.exceptions.length + figures.hangs.length + figures.brokenFixes.length ? 1 : 0;
}
