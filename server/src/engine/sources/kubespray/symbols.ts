/** The outline of Kubespray files: an inventory's groups with their hosts; a vars file's variables. */
import type { Range } from '../../core/text/positions';
import type { DocumentSymbolData, SymbolRanges } from '../kind';
import type { GroupEntry } from './ansible';
import { KubesprayInventoryDocument, type KubesprayVarsDocument } from './document';

export function kubespraySymbols(
  doc: KubesprayInventoryDocument | KubesprayVarsDocument,
  at: SymbolRanges,
): DocumentSymbolData[] {
  const place = (range: Range) => at.place({ origin: { uri: '', chunk: doc.chunk }, range });
  // A vars file may belong to another Ansible project: its outline is the YAML language's, not ours.
  if (!(doc instanceof KubesprayInventoryDocument)) return [];
  const childrenOf = new Map<string, Set<string>>();
  for (const group of doc.inventory.groups) {
    const children = childrenOf.get(group.name) ?? new Set<string>();
    for (const child of group.children) children.add(child.name);
    childrenOf.set(group.name, children);
  }
  const hostsOf = hostsThroughChildren(doc.inventory.groups, childrenOf);
  return doc.inventory.groups.map((group) => {
    const key = place(group.keyRange);
    const seen = new Set<string>();
    const hosts: DocumentSymbolData[] = [];
    for (const host of group.hosts) {
      if (seen.has(host.name)) continue;
      seen.add(host.name);
      const name = place(host.nameRange);
      const address = host.vars.find((v) => v.name === 'ip' || v.name === 'ansible_host');
      hosts.push({
        name: host.name,
        detail: address && !address.templated ? String(address.value) : undefined,
        kind: 'host',
        range: name,
        selectionRange: name,
      });
    }
    // A group is declared in several places (with its hosts under `all`, as a reference under
    // k8s_cluster) and gets hosts through its children: each declaration counts them all.
    const total = hostsOf.get(group.name)!.size;
    const count = `${total} ${total === 1 ? 'host' : 'hosts'}`;
    const children = childrenOf.get(group.name)!;
    const named = [...children].slice(0, 3).join(', ') + (children.size > 3 ? ` and ${children.size - 3} more` : '');
    return {
      name: group.name,
      detail: children.size ? `${count} through ${named}` : count,
      kind: 'group' as const,
      range: key,
      selectionRange: key,
      children: hosts,
    };
  });
}

/** Beyond this many steps (hostile chains of thousands of groups) a group counts only its own hosts. */
const MAX_EXPANSION_STEPS = 1_000_000;

/**
 * Every group's hosts, its own and its children's, merged over all its declarations. Iterative with
 * a visited set, so a deep chain cannot overflow the stack and a cycle ends. Each group is expanded
 * once per group that reaches it (inventories have tens of groups); a step budget keeps a hostile
 * one linear.
 */
function hostsThroughChildren(
  groups: readonly GroupEntry[],
  children: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, Set<string>> {
  const own = new Map<string, Set<string>>();
  for (const group of groups) {
    const hosts = own.get(group.name) ?? new Set<string>();
    for (const host of group.hosts) hosts.add(host.name);
    own.set(group.name, hosts);
  }
  const result = new Map<string, Set<string>>();
  let steps = 0;
  for (const name of own.keys()) {
    const hosts = new Set<string>(own.get(name));
    const visited = new Set<string>([name]);
    const stack = [name];
    while (stack.length && steps < MAX_EXPANSION_STEPS) {
      const current = stack.pop()!;
      for (const host of own.get(current) ?? []) hosts.add(host);
      for (const child of children.get(current) ?? []) {
        steps++;
        if (!visited.has(child)) {
          visited.add(child);
          stack.push(child);
        }
      }
      steps += own.get(current)?.size ?? 0;
    }
    result.set(name, hosts);
  }
  return result;
}
