/**
 * An Ansible inventory as its files write it, before any Kubespray meaning: groups with their
 * hosts, child groups and variables, each with the range it was written at. The YAML and INI
 * readers (yamlInventory.ts, ini.ts) both produce this; cluster.ts gives it Kubespray's meaning.
 */
import { FILE_TOO_LARGE, type Finding } from '../../core/findings';
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
  /** What the reader found: lines Ansible rejects, host patterns beyond the expansion budget. */
  findings: Finding[];
}

/**
 * How many hosts one inventory file may expand its range patterns to, in total. Kubernetes is
 * tested up to 5,000 nodes, and an inventory may list hosts that are not nodes; beyond this an
 * inventory is an amplification (100 lines of `n[0:9999]` are a million hosts), not a cluster.
 */
export const MAX_EXPANDED_HOSTS = 10_000;
/** And how many characters those names may hold together (10,000 names of 253, DNS's longest). */
const MAX_EXPANDED_CHARACTERS = MAX_EXPANDED_HOSTS * 253;

/** What is left of one file's expansion budget; patterns take from it as they expand. */
export interface ExpansionBudget {
  hosts: number;
  characters: number;
}

export function expansionBudget(): ExpansionBudget {
  return { hosts: MAX_EXPANDED_HOSTS, characters: MAX_EXPANDED_CHARACTERS };
}

const RANGE = /\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\d+))?\]/g;

/** A range's values, or undefined when it is not a valid range (then it and the rest of the pattern are literal). */
function rangeValues(
  first: string,
  last: string,
  stepText: string | undefined,
  limit: number,
): string[] | 'too-many' | undefined {
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1) return undefined;
  let low: number;
  let high: number;
  let text: (n: number) => string;
  if (/^\d+$/.test(first) && /^\d+$/.test(last)) {
    low = Number(first);
    high = Number(last);
    const width = first.length > 1 && first.startsWith('0') ? first.length : 0;
    text = (n) => String(n).padStart(width, '0');
  } else if (/^[a-zA-Z]$/.test(first) && /^[a-zA-Z]$/.test(last)) {
    low = first.charCodeAt(0);
    high = last.charCodeAt(0);
    text = (c) => String.fromCharCode(c);
  } else {
    return undefined;
  }
  if (high < low) return undefined;
  if (Math.floor((high - low) / step) + 1 > limit) return 'too-many';
  const values: string[] = [];
  for (let n = low; n <= high; n += step) values.push(text(n));
  return values;
}

/**
 * The host names a pattern stands for, as Ansible expands them: `node[01:03]` is node01,
 * node02, node03 (leading zeros keep the width), `db-[a:c]` is db-a..db-c, `[1:10:2]` steps
 * by 2; several ranges multiply. A pattern that is not a valid range stays one literal name.
 * `over-budget` when the names would take more than the budget has left (then nothing is
 * taken); the work is linear in the pattern and the names it yields, never recursive.
 */
export function expandHostPatternWithin(pattern: string, budget: ExpansionBudget): string[] | 'over-budget' {
  // The pattern as literal text and range values in turn: [head, values, literal, values, ..., tail].
  const literals: string[] = [];
  const ranges: string[][] = [];
  let count = 1;
  let from = 0;
  RANGE.lastIndex = 0;
  for (let match = RANGE.exec(pattern); match; match = RANGE.exec(pattern)) {
    const values = rangeValues(match[1], match[2], match[3], budget.hosts);
    if (values === undefined) break;
    if (values === 'too-many' || (count *= values.length) > budget.hosts) return 'over-budget';
    literals.push(pattern.slice(from, match.index));
    ranges.push(values);
    from = match.index + match[0].length;
  }
  if (ranges.length === 0) return [pattern];
  if (count * pattern.length > budget.characters) return 'over-budget';
  budget.hosts -= count;
  budget.characters -= count * pattern.length;
  let names = [literals[0]];
  for (let i = 0; i < ranges.length; i++) {
    const after = i + 1 < ranges.length ? literals[i + 1] : pattern.slice(from);
    const next: string[] = [];
    for (const name of names) for (const value of ranges[i]) next.push(name + value + after);
    names = next;
  }
  return names;
}

/** A pattern's host names with a budget of its own: a pattern beyond it stays one literal name. */
export function expandHostPattern(pattern: string): string[] {
  const names = expandHostPatternWithin(pattern, expansionBudget());
  return names === 'over-budget' ? [pattern] : names;
}

/** Whether a value holds a Jinja expression or statement. */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

/** The finding for the pattern that crosses a file's expansion budget: it and later patterns are not expanded. */
export function overBudgetFinding(pattern: string, range: Range): Finding {
  return {
    ruleId: FILE_TOO_LARGE,
    severity: 'information',
    message: `Host pattern "${pattern}" was not expanded: this file's host patterns would stand for more than ${MAX_EXPANDED_HOSTS.toLocaleString('en-US')} hosts, more than a Kubernetes cluster holds. It and later patterns in the file are not checked.`,
    range,
  };
}
