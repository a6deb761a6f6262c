import { isMap, isScalar, isSeq, stringify, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { NO_CLUSTER_SETTINGS } from '../cluster/settings';
import type { PortRange } from '../kubernetes/ports';
import { missingPorts, type MissingPort } from '../inventory/requirements';
import { formatPortRange } from '../net/portRange';
import type { Range } from '../text/positions';
import type { Workspace } from '../workspace/workspace';
import { findPair } from '../yaml/ast';
import { absoluteRange, locate, type LocatedYaml } from './locate';
import { MIGRATE_TITLE, migrationEdits } from './migrateKubeadm';

/** The parts of an LSP diagnostic a code action request carries back. */
export interface DiagnosticRef {
  range: Range;
  code?: string | number;
  source?: string;
  data?: unknown;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix<D extends DiagnosticRef = DiagnosticRef> {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
  /** The request's own diagnostics this fix resolves. */
  diagnostics: D[];
}

/** A firewall rule to add: port (or range), protocol and why. */
export interface NewRule {
  ports: PortRange;
  protocol: string;
  comment: string;
}

/**
 * Quick-fixes. For kubeadm-api-deprecated: migrate the file to v1beta4. For missing-port-rule: one per missing port ("Add firewall rule 6443/TCP
 * (Kubernetes API server) to cp-1") and one for all of a node's missing ports. They are
 * computed from the current text, so a stale diagnostic never produces a wrong edit.
 */
export function codeActions<D extends DiagnosticRef>(
  workspace: Workspace,
  uri: string,
  diagnostics: readonly D[],
): QuickFix<D>[] {
  const file = workspace.file(uri);
  if (!file) return [];
  const fixes: QuickFix<D>[] = [];
  const nodesDone = new Set<string>();
  const deprecated = diagnostics.filter(
    (d) => d.code === 'kubeadm-api-deprecated' && (!d.source || d.source === 'cluster-preflight'),
  );
  if (deprecated.length) {
    const edits = migrationEdits(file);
    if (edits) fixes.push({ title: MIGRATE_TITLE, edits, isPreferred: true, diagnostics: deprecated });
  }
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== 'missing-port-rule' || (diagnostic.source && diagnostic.source !== 'cluster-preflight')) continue;
    const located = locate(file, file.buffer.offsetAt(diagnostic.range.start));
    if (located?.region !== 'item' || !located.node || !isMap(located.itemNode)) continue;
    if (!located.inventory) continue;
    const missing = missingPorts(located.node, located.inventory.context(workspace.lastSettings(uri) ?? NO_CLUSTER_SETTINGS));
    if (missing.length === 0) continue;
    const name = located.node.hostname?.value ?? 'this node';
    const wanted = (diagnostic.data as { componentPort?: string } | undefined)?.componentPort;
    const targets = wanted ? missing.filter((m) => m.requirement.port.id === wanted) : missing;
    for (const target of targets) {
      const edits = firewallEdits(located, rulesFor([target]));
      if (!edits) continue;
      fixes.push({
        title: `Add firewall rule ${target.missing.map(formatPortRange).join(', ')}/${target.requirement.port.protocol} (${target.requirement.port.purpose}) to ${name}`,
        edits,
        isPreferred: targets.length === 1,
        diagnostics: [diagnostic],
      });
    }
    const nodeKey = `${located.base}`;
    if (missing.length > 1 && !nodesDone.has(nodeKey)) {
      nodesDone.add(nodeKey);
      const count = rulesFor(missing).length;
      const edits = firewallEdits(located, rulesFor(missing));
      if (edits) {
        const related = diagnostics.filter(
          (d) => d.code === 'missing-port-rule' && d.range.start.line === diagnostic.range.start.line,
        );
        fixes.push({ title: `Add all ${count} missing port rules to ${name}`, edits, diagnostics: related });
      }
    }
  }
  return fixes;
}

export function rulesFor(missing: readonly MissingPort[]): NewRule[] {
  return missing.flatMap((m) =>
    m.missing.map((ports) => ({ ports, protocol: m.requirement.port.protocol, comment: m.requirement.port.purpose })),
  );
}

/**
 * Text edits that add rules to a node's `firewall` list in the style already there
 * (indentation, key order, which keys, quoting, flow or block), creating the list when
 * the node has none. Everything else in the file, comments included, stays as it is.
 */
export function firewallEdits(located: LocatedYaml, rules: readonly NewRule[]): TextEdit[] | undefined {
  const node = located.itemNode as YAMLMap<unknown, unknown>;
  if (!isMap(node) || node.flow || rules.length === 0) return undefined;
  const text = located.parsed.lines.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const column = (offset: number) => located.parsed.lines.positionAt(offset).character;
  const toRange = (start: number, end: number) => absoluteRange(located, start, end);
  const lineEnd = (offset: number) => {
    const newline = text.indexOf('\n', offset);
    const end = newline < 0 ? text.length : newline;
    return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
  };
  const insertAt = (offset: number, newText: string): TextEdit => ({ range: toRange(offset, offset), newText });

  const pair = findPair(node, 'firewall') as Pair<Node, Node | null> | undefined;
  const seq = pair?.value && isSeq(pair.value) ? (pair.value as YAMLSeq<unknown>) : undefined;
  const existing = (seq?.items ?? []).filter(isMap) as YAMLMap<unknown, unknown>[];
  const style = ruleStyle(existing, text);
  const sequenceIndent = sequenceIndentOf(node, column);

  if (seq && seq.flow) {
    const flowItems = rules.map((r) => flowRule(r, style)).join(', ');
    if (seq.items.length === 0 && pair?.key?.range && seq.range) {
      // `firewall: []` becomes a block list under the key; a comment after it stays on its line.
      const colon = text.indexOf(':', pair.key.range[1]);
      const itemColumn = column(pair.key.range[0]) + sequenceIndent;
      return [
        { range: toRange(colon + 1, seq.range[1]), newText: '' },
        insertAt(lineEnd(seq.range[1]), rules.map((r) => eol + blockRule(r, itemColumn, style, eol)).join('')),
      ];
    }
    if (!seq.range) return undefined;
    const close = text.lastIndexOf(']', seq.range[1]);
    return [insertAt(close, `${seq.items.length ? ', ' : ''}${flowItems}`)];
  }
  if (seq && seq.items.length > 0 && seq.range) {
    const first = seq.items[0] as Node;
    const itemColumn = column(seq.range[0]);
    if (isMap(first) && (first as YAMLMap).flow) {
      const last = seq.items[seq.items.length - 1] as Node;
      const insertion = rules.map((r) => `${eol}${' '.repeat(itemColumn)}- ${flowRule(r, style)}`).join('');
      return [insertAt(lineEnd(Math.max(last.range![0], last.range![1] - 1)), insertion)];
    }
    const last = seq.items[seq.items.length - 1] as Node;
    const insertion = rules.map((r) => eol + blockRule(r, itemColumn, style, eol)).join('');
    return [insertAt(lineEnd(Math.max(last.range![0], last.range![1] - 1)), insertion)];
  }
  if (pair?.key?.range) {
    // `firewall:` with nothing (or a scalar) after it.
    const itemColumn = column(pair.key.range[0]) + sequenceIndent;
    const after = pair.value?.range ? pair.value.range[1] : pair.key.range[1];
    return [insertAt(lineEnd(after), rules.map((r) => eol + blockRule(r, itemColumn, style, eol)).join(''))];
  }
  // No firewall key: add one after the node's last key.
  const firstKey = node.items[0]?.key as Node | undefined;
  if (!firstKey?.range || !node.range) return undefined;
  const keyColumn = column(firstKey.range[0]);
  const itemColumn = keyColumn + sequenceIndent;
  const block = `${eol}${' '.repeat(keyColumn)}firewall:${rules.map((r) => eol + blockRule(r, itemColumn, style, eol)).join('')}`;
  return [insertAt(lineEnd(Math.max(node.range[0], node.range[1] - 1)), block)];
}

interface RuleStyle {
  /** Keys in the order the existing rules write them. */
  keys: Array<'port' | 'protocol' | 'comment'>;
  quote: '' | '"' | "'";
  /** "{ port: 1 }" rather than "{port: 1}". */
  flowPadding: boolean;
}

const DEFAULT_STYLE: RuleStyle = { keys: ['port', 'protocol', 'comment'], quote: '', flowPadding: true };

/** How the existing rules are written: which of port/protocol/comment they use, in what order, how ranges are quoted. */
function ruleStyle(existing: readonly YAMLMap<unknown, unknown>[], text: string): RuleStyle {
  if (existing.length === 0) return DEFAULT_STYLE;
  const seen: Array<'port' | 'protocol' | 'comment'> = [];
  for (const rule of existing) {
    for (const p of rule.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if ((key === 'port' || key === 'protocol' || key === 'comment') && !seen.includes(key)) seen.push(key);
    }
  }
  if (!seen.includes('port')) seen.unshift('port');
  const quoted = existing.map((r) => findPair(r, 'port')?.value).find((v) => isScalar(v) && typeof v.value === 'string');
  const quote = isScalar(quoted) ? (quoted.type === 'QUOTE_DOUBLE' ? '"' : quoted.type === 'QUOTE_SINGLE' ? "'" : '') : '';
  const flow = existing.find((r) => r.flow && r.range);
  return { keys: seen, quote, flowPadding: flow ? text[flow.range![0] + 1] === ' ' : true };
}

function portText(rule: NewRule, style: RuleStyle): string {
  const text = formatPortRange(rule.ports);
  return rule.ports.low === rule.ports.high ? text : `${style.quote}${text}${style.quote}`;
}

function scalar(value: string): string {
  return stringify(value).trimEnd();
}

function fields(rule: NewRule, style: RuleStyle): string[] {
  return style.keys.map((key) => {
    if (key === 'port') return `port: ${portText(rule, style)}`;
    if (key === 'protocol') return `protocol: ${rule.protocol}`;
    return `comment: ${scalar(rule.comment)}`;
  });
}

function blockRule(rule: NewRule, column: number, style: RuleStyle, eol: string): string {
  const [first, ...rest] = fields(rule, style);
  return [`${' '.repeat(column)}- ${first}`, ...rest.map((f) => `${' '.repeat(column + 2)}${f}`)].join(eol);
}

function flowRule(rule: NewRule, style: RuleStyle): string {
  const pad = style.flowPadding ? ' ' : '';
  return `{${pad}${fields(rule, style).join(', ')}${pad}}`;
}

/** How far this file indents a block list under its key (2, or 0 for "compact" lists). */
function sequenceIndentOf(node: YAMLMap<unknown, unknown>, column: (offset: number) => number): number {
  for (const p of node.items) {
    const value = p.value as Node | null;
    const key = p.key as Node | null;
    if (isSeq(value) && !(value as YAMLSeq).flow && value.range && key?.range && (value as YAMLSeq).items.length) {
      return Math.max(0, column(value.range[0]) - column(key.range[0]));
    }
  }
  return 2;
}
