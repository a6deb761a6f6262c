/**
 * An Ansible inventory as its files write it, before any Kubespray meaning: groups with their
 * hosts, child groups and variables, each with the range it was written at. The YAML and INI
 * readers (yamlInventory.ts, ini.ts) both produce this; cluster.ts gives it Kubespray's meaning.
 */
import type { Range } from '../../core/text/positions';

/** A variable as an inventory, group_vars or host_vars file writes it. */
export interface AnsibleVar {
  name: string;
  /** The value as the file gives it: a string, number, boolean, null, or a structure. */
  value: unknown;
  /** The value's range, or the key's when there is no value. */
  range: Range;
  keyRange: Range;
  /** A Jinja expression (`{{ … }}`): unknown until Ansible renders it, so never a finding. */
  templated: boolean;
  /** The fields of a mapping value (loadbalancer_apiserver's address and port), one level deep. */
  fields?: ReadonlyMap<string, AnsibleVar>;
}

/** One mention of a host in a group, after range expansion (`node[01:03]` is three). */
export interface HostEntry {
  name: string;
  /** Where the name (or the range pattern it came from) is written. */
  nameRange: Range;
  /** A port written with the name (`node1:2222`), which Ansible uses as ansible_port. */
  port?: number;
  vars: AnsibleVar[];
}

/** One declaration of a group: a YAML group key, or an INI section. A group may be declared several times. */
export interface GroupEntry {
  name: string;
  keyRange: Range;
  hosts: HostEntry[];
  children: Array<{ name: string; range: Range }>;
  vars: AnsibleVar[];
}

export interface AnsibleInventory {
  groups: GroupEntry[];
  /** Where findings about the inventory as a whole go: `all.children`, or the first group. */
  anchor?: Range;
}

/** Expansions beyond this many hosts are not expanded: no real inventory has them, and they would cost the editor. */
const MAX_EXPANDED_HOSTS = 10_000;

/**
 * The host names a pattern stands for, as Ansible expands them: `node[01:03]` is node01,
 * node02, node03 (leading zeros keep the width), `db-[a:c]` is db-a..db-c, `[1:10:2]` steps
 * by 2; several ranges multiply. A pattern that is not a valid range stays one literal name.
 */
export function expandHostPattern(pattern: string): string[] {
  const match = /\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\d+))?\]/.exec(pattern);
  if (!match) return [pattern];
  const [whole, first, last, stepText] = match;
  const step = stepText === undefined ? 1 : Number(stepText);
  const head = pattern.slice(0, match.index);
  const tail = pattern.slice(match.index + whole.length);
  const values: string[] = [];
  if (/^\d+$/.test(first) && /^\d+$/.test(last)) {
    const low = Number(first);
    const high = Number(last);
    if (step < 1 || high < low || (high - low) / step >= MAX_EXPANDED_HOSTS) return [pattern];
    const width = first.length > 1 && first.startsWith('0') ? first.length : 0;
    for (let n = low; n <= high; n += step) values.push(String(n).padStart(width, '0'));
  } else if (/^[a-zA-Z]$/.test(first) && /^[a-zA-Z]$/.test(last)) {
    const low = first.charCodeAt(0);
    const high = last.charCodeAt(0);
    if (step < 1 || high < low) return [pattern];
    for (let c = low; c <= high; c += step) values.push(String.fromCharCode(c));
  } else {
    return [pattern];
  }
  const tails = expandHostPattern(tail);
  if (values.length * tails.length > MAX_EXPANDED_HOSTS) return [pattern];
  return values.flatMap((v) => tails.map((t) => head + v + t));
}

/** Whether a value holds a Jinja expression or statement. */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}
