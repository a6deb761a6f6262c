/**
 * Ansible's INI inventory format (`inventory.ini`, `hosts.ini`). It is not INI as generic
 * parsers know it: a host line is a name followed by shell-quoted `key=value` words, with no
 * `=` after the name, and `[group:children]` sections list groups. So it is read here, the
 * way Ansible's own `ini` inventory plugin reads it, keeping every name's and value's range.
 */
import { LineIndex } from '../../core/text/lineIndex';
import type { Range } from '../../core/text/positions';
import { expandHostPattern, isTemplated, type AnsibleInventory, type AnsibleVar, type GroupEntry } from './ansible';

/** Group names whose sections make an INI file a Kubespray inventory (an `etcd` group alone is not enough: other projects have one). */
export const KUBESPRAY_GROUP_HEADER =
  /^[ \t]*\[(?:kube_control_plane|kube-master|kube_node|kube-node|k8s_cluster|k8s-cluster)(?::(?:children|vars))?\][ \t]*(?:[#;].*)?$/m;

const SECTION = /^\[([^\]:\s]+)(?::([A-Za-z_]+))?\]\s*(?:[#;].*)?$/;

interface Word {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits a line into words the way Python's shlex does for Ansible: whitespace separates,
 * quotes group (and are removed), a word that starts with `#` begins a comment.
 */
function words(line: string, base: number): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const quote = line[i];
      if (quote === '"' || quote === "'") {
        const close = line.indexOf(quote, i + 1);
        if (close < 0) {
          text += line.slice(i + 1);
          i = line.length;
          break;
        }
        text += line.slice(i + 1, close);
        i = close + 1;
      } else {
        text += line[i++];
      }
    }
    out.push({ text, start: base + start, end: base + i });
  }
  return out;
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
    if (trimmed.startsWith('[')) {
      const header = SECTION.exec(trimmed);
      if (!header) {
        section = 'ignored';
        continue;
      }
      const name = header[1];
      const type = header[2] ?? 'hosts';
      section = type === 'hosts' || type === 'vars' || type === 'children' ? type : 'ignored';
      current = { name, keyRange: range(start + 1, start + 1 + name.length), hosts: [], children: [], vars: [] };
      groups.push(current);
      continue;
    }
    if (section === 'ignored') continue;
    if (section === 'children') {
      const word = words(trimmed, start)[0];
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
    const [host, ...assignments] = words(trimmed, start);
    if (!host) continue;
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
    for (const expanded of expandHostPattern(name)) {
      current.hosts.push({ name: expanded, nameRange: range(host.start, host.start + name.length), port, vars });
    }
  }
  const declared = groups.filter((g) => g.name !== 'ungrouped' || g.hosts.length);
  return { groups: declared, anchor: declared.find((g) => g.name !== 'ungrouped')?.keyRange };
}

function variable(name: string, value: unknown, keyRange: Range, valueRange: Range): AnsibleVar {
  return { name, value, range: valueRange, keyRange, templated: isTemplated(value) };
}
