/**
 * Ansible's INI inventory format (`inventory.ini`, `hosts.ini`). It is not INI as generic
 * parsers know it: a host line is a name followed by shell-quoted `key=value` words, with no
 * `=` after the name, and `[group:children]` sections list groups. So it is read here, the
 * way Ansible's own `ini` inventory plugin reads it, keeping every name's and value's range.
 */
import { SCHEMA, type Finding } from '../../core/findings';
import { LineIndex } from '../../core/text/lineIndex';
import type { Range } from '../../core/text/positions';
import {
  expandHostPatternWithin,
  expansionBudget,
  isTemplated,
  overBudgetFinding,
  type AnsibleInventory,
  type AnsibleVar,
  type GroupEntry,
} from './ansible';

/** Group names whose sections make an INI file a Kubespray inventory (an `etcd` group alone is not enough: other projects have one). */
export const KUBESPRAY_GROUP_HEADER =
  /^[ \t]*\[(?:kube_control_plane|kube-master|kube_node|kube-node|k8s_cluster|k8s-cluster)(?::(?:children|vars))?\][ \t]*(?:[#;].*)?$/m;

const SECTION = /^\[([^\]:\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;

interface Word {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits a line into words the way Python's shlex does for Ansible (posix, with comments):
 * whitespace separates, quotes group (and are removed), a backslash escapes the next character
 * outside single quotes, and `#` outside quotes begins a comment. `unterminated` is where a
 * quote opens that never closes: shlex raises "No closing quotation" there.
 */
function words(line: string, base: number): { words: Word[]; unterminated?: number } {
  const out: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    let comment = false;
    while (i < line.length && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === '#') {
        comment = true;
        break;
      }
      if (c === '\\') {
        text += line[i + 1] ?? '';
        i += 2;
      } else if (c === '"' || c === "'") {
        const open = i++;
        for (;;) {
          if (i >= line.length) return { words: out, unterminated: base + open };
          if (line[i] === c) break;
          if (c === '"' && line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) i++;
          text += line[i++];
        }
        i++;
      } else {
        text += line[i++];
      }
    }
    out.push({ text, start: base + start, end: base + Math.min(i, line.length) });
    if (comment) break;
  }
  return { words: out };
}

/** A host line's value as Ansible reads it: numbers and booleans as such, everything else a string. */
function hostLineValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  return text;
}

/** A `name:port` host word as its name and port; IPv6 addresses need brackets for a port (`[fd00::1]:22`). */
function splitHostPort(word: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(word);
  if (bracketed) return { name: bracketed[1], port: Number(bracketed[2]) };
  const plain = /^([^:[\]]+|[^:]*\[[^\]]*\][^:]*):(\d+)$/.exec(word);
  if (plain) return { name: plain[1], port: Number(plain[2]) };
  return { name: word };
}

export function parseIniInventory(text: string): AnsibleInventory {
  const lines = new LineIndex(text);
  const range = (start: number, end: number): Range => lines.rangeOf(start, end);
  const groups: GroupEntry[] = [];
  const findings: Finding[] = [];
  // Ansible stops at the first of these; every one is reported here, each where Ansible would stop.
  const rejected = (at: Range, message: string) =>
    findings.push({ ruleId: SCHEMA, severity: 'error', message: `${message} Ansible rejects the inventory.`, range: at });
  const budget = expansionBudget();
  let overBudget = false;
  // Hosts before any section belong to `ungrouped`.
  let current: GroupEntry = { name: 'ungrouped', keyRange: range(0, 0), hosts: [], children: [], vars: [] };
  let section: 'hosts' | 'vars' | 'children' | 'ignored' = 'hosts';
  groups.push(current);
  for (let line = 0; line < lines.lineCount; line++) {
    const lineStart = lines.lineStarts[line];
    const lineEnd = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : text.length;
    const raw = text.slice(lineStart, lineEnd).replace(/\r?\n$/, '');
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const start = lineStart + lead;
    const header = SECTION.exec(trimmed);
    if (header) {
      const name = header[1];
      const type = header[2] ?? 'hosts';
      section = type === 'hosts' || type === 'vars' || type === 'children' ? type : 'ignored';
      if (section === 'ignored')
        rejected(
          range(start, start + trimmed.length),
          `Section [${name}:${type}] has an unknown type: only hosts, children and vars are sections.`,
        );
      current = { name, keyRange: range(start + 1, start + 1 + name.length), hosts: [], children: [], vars: [] };
      groups.push(current);
      continue;
    }
    // `[kube_node` without `]` is not a section for Ansible either: it is read as a line of the section above.
    if (trimmed.startsWith('[') && /\]$/.test(trimmed)) {
      rejected(
        range(start, start + trimmed.length),
        `"${trimmed}" is not a valid section header: a group name has no spaces, ":" or "]".`,
      );
      section = 'ignored';
      continue;
    }
    if (section === 'ignored') continue;
    if (section === 'children') {
      const word = words(trimmed, start).words[0];
      if (word) current.children.push({ name: word.text, range: range(word.start, word.end) });
      continue;
    }
    if (section === 'vars') {
      // `key=value`: the value is the rest of the line, a string (Ansible reads :vars values as strings).
      const eq = trimmed.indexOf('=');
      if (eq <= 0) continue;
      const name = trimmed.slice(0, eq).trim();
      const rest = trimmed.slice(eq + 1);
      const valueLead = rest.length - rest.trimStart().length;
      let value = rest.trim();
      let valueStart = start + eq + 1 + valueLead;
      let valueEnd = valueStart + value.length;
      const quoted = /^(["'])(.*)\1$/.exec(value);
      if (quoted) {
        value = quoted[2];
        valueStart += 1;
        valueEnd -= 1;
      }
      current.vars.push(variable(name, value, range(start, start + name.length), range(valueStart, valueEnd)));
      continue;
    }
    const split = words(trimmed, start);
    if (split.unterminated !== undefined) {
      rejected(
        range(split.unterminated, start + trimmed.length),
        'A quote on this host line is never closed (Python\'s shlex: "No closing quotation").',
      );
      continue;
    }
    const [host, ...assignments] = split.words;
    if (!host) continue;
    // `{{ host }}` is three words to Ansible: a host "{{" and two that are not key=value. The line names no host.
    const stray = assignments.find((word) => !word.text.includes('='));
    if (stray) {
      rejected(range(stray.start, stray.end), `"${stray.text}" after the host name "${host.text}" is not a key=value variable.`);
      continue;
    }
    const vars: AnsibleVar[] = [];
    for (const word of assignments) {
      const eq = word.text.indexOf('=');
      if (eq <= 0) continue;
      const name = word.text.slice(0, eq);
      const value = word.text.slice(eq + 1);
      // The value's range: after `key=` in the source, inside quotes when it is quoted.
      const source = text.slice(word.start, word.end);
      const valueAt = source.indexOf('=') + 1;
      const quote = source[valueAt] === '"' || source[valueAt] === "'" ? 1 : 0;
      vars.push(
        variable(
          name,
          hostLineValue(value),
          range(word.start, word.start + eq),
          range(word.start + valueAt + quote, word.start + valueAt + quote + value.length),
        ),
      );
    }
    const { name, port } = splitHostPort(host.text);
    const nameRange = range(host.start, host.start + name.length);
    const expanded = overBudget ? 'over-budget' : expandHostPatternWithin(name, budget);
    if (expanded === 'over-budget') {
      // One finding, at the pattern that crossed the budget; later patterns are skipped, plain names still count.
      if (!overBudget) findings.push(overBudgetFinding(name, nameRange));
      overBudget = true;
      if (name.includes('[')) continue;
    }
    for (const hostName of expanded === 'over-budget' ? [name] : expanded)
      current.hosts.push({ name: hostName, nameRange, port, vars });
  }
  const declared = groups.filter((g) => g.name !== 'ungrouped' || g.hosts.length);
  for (const cycle of childCycles(declared)) {
    rejected(
      cycle.range,
      cycle.parent === cycle.child
        ? `Group "${cycle.child}" is listed as its own child.`
        : `Group "${cycle.child}" as a child of "${cycle.parent}" makes a loop: "${cycle.parent}" is already below "${cycle.child}".`,
    );
  }
  return { groups: declared, anchor: declared.find((g) => g.name !== 'ungrouped')?.keyRange, findings };
}

/**
 * The children entries that close a loop of groups (Ansible: "creates a recursive dependency
 * loop"), found by one depth-first walk with an explicit stack: linear in groups and entries.
 */
export function childCycles(entries: readonly GroupEntry[]): Array<{ parent: string; child: string; range: Range }> {
  const children = new Map<string, Array<{ name: string; range: Range }>>();
  for (const entry of entries) {
    const list = children.get(entry.name);
    if (list) list.push(...entry.children);
    else children.set(entry.name, [...entry.children]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const cycles: Array<{ parent: string; child: string; range: Range }> = [];
  for (const root of children.keys()) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    const stack: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const list = children.get(top.name) ?? [];
      if (top.next >= list.length) {
        state.set(top.name, 'done');
        stack.pop();
        continue;
      }
      const child = list[top.next++];
      const seen = state.get(child.name);
      if (seen === 'open') cycles.push({ parent: top.name, child: child.name, range: child.range });
      else if (seen === undefined) {
        state.set(child.name, 'open');
        stack.push({ name: child.name, next: 0 });
      }
    }
  }
  return cycles;
}

function variable(name: string, value: unknown, keyRange: Range, valueRange: Range): AnsibleVar {
  return { name, value, range: valueRange, keyRange, templated: isTemplated(value) };
}
