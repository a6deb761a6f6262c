/**
 * Ansible's YAML inventory (`hosts.yaml`): every top-level key is a group (usually just
 * `all`), and a group has `hosts` (names to their variables), `children` (groups, nested the
 * same way) and `vars`. Also the variables of group_vars and host_vars files.
 */
import { isMap, isScalar, type Node } from 'yaml';
import type { YamlReader } from '../../core/yaml/reader';
import type { Finding } from '../../core/findings';
import {
  expandHostPatternWithin,
  expansionBudget,
  isTemplated,
  overBudgetFinding,
  type AnsibleInventory,
  type AnsibleVar,
  type GroupEntry,
} from './ansible';

/** Group names that make a YAML inventory a Kubespray one (an `etcd` group alone is not enough: other projects have one). */
export const KUBESPRAY_GROUP_KEY =
  /^[ \t]*(?:kube_control_plane|kube-master|kube_node|kube-node|k8s_cluster|k8s-cluster)[ \t]*:/m;

/** Ansible's YAML inventory: a top-level `all:` (or another group) with `hosts:` or `children:` below. */
export function looksLikeYamlInventory(text: string): boolean {
  return (
    KUBESPRAY_GROUP_KEY.test(text) &&
    /^[A-Za-z_][\w-]*[ \t]*:[ \t]*(?:#.*)?\r?$/m.test(text) &&
    /^[ \t]+(?:hosts|children)[ \t]*:/m.test(text)
  );
}

/** The variables of a mapping: an inventory group's or host's, or a whole group_vars file. */
export function readVars(r: YamlReader, map: unknown): AnsibleVar[] {
  return r.entries(map).map(({ key, value }) => readVar(r, key.value, key.range, value));
}

function readVar(r: YamlReader, name: string, keyRange: AnsibleVar['keyRange'], value: unknown): AnsibleVar {
  const range = r.rangeOf(value) ?? keyRange;
  if (isScalar(value)) return { name, value: value.value, range, keyRange, templated: isTemplated(value.value) };
  if (isMap(value)) {
    const fields = new Map(r.entries(value).map(({ key, value: v }) => [key.value, readVar(r, key.value, key.range, v)]));
    return {
      name,
      value: Object.fromEntries([...fields].map(([k, v]) => [k, v.value])),
      range,
      keyRange,
      templated: false,
      fields,
    };
  }
  let js: unknown;
  try {
    js = (value as Node | null)?.toJSON?.() ?? null;
  } catch {
    js = null;
  }
  return { name, value: js, range, keyRange, templated: false };
}

export function readYamlInventory(r: YamlReader, root: unknown): AnsibleInventory {
  const groups: GroupEntry[] = [];
  const findings: Finding[] = [];
  const budget = expansionBudget();
  let overBudget = false;
  /** A pattern's names within the file's budget; the pattern that crosses it gets the one finding. */
  const expand = (pattern: string, range: GroupEntry['keyRange']): string[] => {
    const names = overBudget ? 'over-budget' : expandHostPatternWithin(pattern, budget);
    if (names !== 'over-budget') return names;
    if (!overBudget) findings.push(overBudgetFinding(pattern, range));
    overBudget = true;
    return pattern.includes('[') ? [] : [pattern];
  };
  const visiting = new Set<unknown>();
  const readGroup = (name: string, keyRange: GroupEntry['keyRange'], node: unknown) => {
    const entry: GroupEntry = { name, keyRange, hosts: [], children: [], vars: [] };
    groups.push(entry);
    if (!isMap(node) || visiting.has(node)) return;
    visiting.add(node);
    const hosts = r.at(node, 'hosts');
    if (isMap(hosts)) {
      for (const { key, value } of r.entries(hosts)) {
        const vars = isMap(value) ? readVars(r, value) : [];
        const port = /^(.*):(\d+)$/.exec(key.value);
        const pattern = port && !port[1].includes(':') ? port[1] : key.value;
        for (const name of expand(pattern, key.range)) {
          entry.hosts.push({
            name,
            nameRange: key.range,
            port: port && pattern !== key.value ? Number(port[2]) : undefined,
            vars,
          });
        }
      }
    } else {
      // A single host written as a bare scalar under `hosts:`.
      const single = r.text(node, 'hosts');
      if (single)
        for (const name of expand(single.value, single.range)) entry.hosts.push({ name, nameRange: single.range, vars: [] });
    }
    for (const { key, value } of r.entries(node, 'children')) {
      entry.children.push({ name: key.value, range: key.range });
      readGroup(key.value, key.range, value);
    }
    entry.vars = readVars(r, r.at(node, 'vars'));
    visiting.delete(node);
  };
  for (const { key, value } of r.entries(root)) readGroup(key.value, key.range, value);
  const all = r.entries(root).find((e) => e.key.value === 'all');
  const anchor = (all && r.keyRange(root, 'all', 'children')) ?? groups[0]?.keyRange;
  return { groups, anchor, findings };
}
