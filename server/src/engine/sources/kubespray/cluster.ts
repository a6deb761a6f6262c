/**
 * A Kubespray cluster as Ansible and Kubespray would see it: the inventories of one directory
 * merged (Ansible reads every inventory file of a directory given with `-i`), hosts with the
 * groups they are in (through `children`), and variables resolved with Ansible's precedence:
 * host_vars > inline host vars > group_vars of deeper groups > group_vars/all > inline group
 * vars > inline `all` vars. Unset settings take Kubespray's defaults.
 */
import type { Origin, Place } from '../../core/located';
import type { Range } from '../../core/text/positions';
import type { Role } from '../../knowledge/ports';
import type { Member } from '../../model/cluster';
import type { AnsibleVar } from './ansible';
import { KubesprayInventoryDocument, KubesprayVarsDocument } from './document';
import { canonicalGroup, GROUPS, NODE_GROUPS } from './variables';

/** A variable's value with where it was written and how messages name that place. */
export interface ResolvedVar {
  variable: AnsibleVar;
  place: Place;
  /** "host_vars/node1.yml", "the host line in inventory.ini", "group_vars/k8s_cluster/k8s-cluster.yml". */
  source: string;
}

export interface KubesprayHost {
  name: string;
  /** The host's first mention in an inventory. */
  first: Place;
  /** Every mention of the host in the inventories, the first included, and whether each is the name itself (not a range pattern). */
  mentions: ReadonlyArray<{ place: Place; exact: boolean }>;
  /** Every group the host is in, through children, with canonical names, `all` included. */
  groups: ReadonlySet<string>;
  roles: Role[];
  /** A port written with the host's name (`node1:2222`). */
  port?: number;
  variable(name: string): ResolvedVar | undefined;
}

export interface KubesprayCluster {
  inventories: ReadonlyArray<Member<KubesprayInventoryDocument>>;
  /** Every host the inventories declare, cluster node or not. */
  hostCount: number;
  /** The hosts in the node groups (kube_control_plane, kube_node, etcd, calico_rr), in inventory order. */
  nodes: readonly KubesprayHost[];
  /** Where a group (canonical name) is first declared. */
  groupKey(name: string): Place | undefined;
  /** Where findings about the inventory as a whole go. */
  anchor?: Place;
  /** A cluster-wide setting: what hosts of k8s_cluster get unless host variables override it. */
  setting(name: string): ResolvedVar | undefined;
}

interface Layer {
  vars: readonly AnsibleVar[];
  origin: Origin;
  owner: object;
  source: string;
}

interface GroupInfo {
  declarations: Place[];
  hosts: string[];
  children: Set<string>;
  parents: Set<string>;
  inline: Layer[];
  files: Layer[];
}

const memo = new WeakMap<object, { docs: readonly object[]; cluster: KubesprayCluster }>();

/** The cluster of a set of Kubespray documents, built once per set. */
export function kubesprayCluster(members: ReadonlyArray<Member<unknown>>): KubesprayCluster {
  const docs = members.map((m) => m.doc as object);
  const key = docs[0] ?? memo;
  const cached = memo.get(key);
  if (cached && cached.docs.length === docs.length && cached.docs.every((d, i) => d === docs[i])) return cached.cluster;
  const cluster = build(members as ReadonlyArray<Member<KubesprayInventoryDocument | KubesprayVarsDocument>>);
  memo.set(key, { docs, cluster });
  return cluster;
}

function fileLabel(uri: string, tail = 2): string {
  return decodeURIComponent(uri.split('/').slice(-tail).join('/'));
}

function build(members: ReadonlyArray<Member<KubesprayInventoryDocument | KubesprayVarsDocument>>): KubesprayCluster {
  const byUri = (a: Member<unknown>, b: Member<unknown>) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);
  const inventories = members
    .filter((m): m is Member<KubesprayInventoryDocument> => m.doc instanceof KubesprayInventoryDocument)
    .sort(byUri);
  const varsFiles = members.filter((m): m is Member<KubesprayVarsDocument> => m.doc instanceof KubesprayVarsDocument).sort(byUri);
  // An inventory with hosts speaks for the cluster before one that is still the commented-out sample.
  const ordered = [
    ...inventories.filter((m) => m.doc.inventory.groups.some((g) => g.hosts.length)),
    ...inventories.filter((m) => !m.doc.inventory.groups.some((g) => g.hosts.length)),
  ];

  const groups = new Map<string, GroupInfo>();
  const group = (name: string): GroupInfo => {
    let info = groups.get(name);
    if (!info)
      groups.set(name, (info = { declarations: [], hosts: [], children: new Set(), parents: new Set(), inline: [], files: [] }));
    return info;
  };
  const mentions = new Map<string, Array<{ place: Place; port?: number; layer: Layer; exact: boolean }>>();
  const directGroups = new Map<string, Set<string>>();
  for (const { uri, doc } of ordered) {
    const origin: Origin = { uri, chunk: doc.chunk };
    const at = (range: Range): Place => ({ origin, range, owner: doc });
    for (const entry of doc.inventory.groups) {
      const name = canonicalGroup(entry.name);
      const info = group(name);
      info.declarations.push(at(entry.keyRange));
      if (entry.vars.length)
        info.inline.push({ vars: entry.vars, origin, owner: doc, source: `the ${name} group's vars in ${fileLabel(uri, 1)}` });
      for (const child of entry.children) {
        const childName = canonicalGroup(child.name);
        info.children.add(childName);
        group(childName).parents.add(name);
      }
      for (const host of entry.hosts) {
        info.hosts.push(host.name);
        const direct = directGroups.get(host.name);
        if (direct) direct.add(name);
        else directGroups.set(host.name, new Set([name]));
        const list = mentions.get(host.name) ?? [];
        const range = host.nameRange;
        // A range pattern (node[1:3]) or a name:port is not the name itself.
        const exact = range.start.line === range.end.line && range.end.character - range.start.character === host.name.length;
        list.push({
          place: at(range),
          exact,
          port: host.port,
          layer: { vars: host.vars, origin, owner: doc, source: `the host's line in ${fileLabel(uri, 1)}` },
        });
        mentions.set(host.name, list);
      }
    }
  }
  // k8s_cluster is every node group together, whether or not the inventory says so.
  for (const name of ['kube_control_plane', 'kube_node', 'calico_rr']) {
    if (groups.has(name)) {
      group('k8s_cluster').children.add(name);
      group(name).parents.add('k8s_cluster');
    }
  }
  const hostFiles = new Map<string, Layer[]>();
  for (const { uri, doc } of varsFiles) {
    const layer: Layer = {
      vars: doc.vars,
      origin: { uri, chunk: doc.chunk },
      owner: doc,
      source: fileLabel(uri, doc.target.type === 'group' && uri.match(/_vars\/[^/]+\/[^/]+$/) ? 3 : 2),
    };
    if (doc.target.type === 'group') group(canonicalGroup(doc.target.name)).files.push(layer);
    else hostFiles.set(doc.target.name, [...(hostFiles.get(doc.target.name) ?? []), layer]);
  }

  // A group's depth below `all` (its longest path of parents), as Ansible sorts group_vars by it.
  // Walked with an explicit stack and memoised: a 10,000-deep children chain or 150,000 parents
  // cost linear time and no call stack. A loop (which Ansible rejects) is cut where it closes.
  const depths = new Map<string, number>([['all', 0]]);
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const open = new Set<string>([name]);
    const stack: Array<{ name: string; parents: string[]; next: number; depth: number }> = [
      { name, parents: [...(groups.get(name)?.parents ?? [])], next: 0, depth: 1 },
    ];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.parents.length) {
        const parent = top.parents[top.next++];
        const depth = depths.get(parent);
        if (depth !== undefined) top.depth = Math.max(top.depth, depth + 1);
        else if (!open.has(parent)) {
          open.add(parent);
          stack.push({ name: parent, parents: [...(groups.get(parent)?.parents ?? [])], next: 0, depth: 1 });
        }
        continue;
      }
      stack.pop();
      open.delete(top.name);
      depths.set(top.name, top.depth);
      if (stack.length) stack[stack.length - 1].depth = Math.max(stack[stack.length - 1].depth, top.depth + 1);
    }
    return depths.get(name)!;
  };
  const ancestorsMemo = new Map<string, Set<string>>();
  /** Every group the given groups are in, through children, `all` included; shared by hosts with the same groups. */
  const ancestors = (names: Iterable<string>): Set<string> => {
    const start = [...names];
    const key = start.join('\n');
    const cached = ancestorsMemo.get(key);
    if (cached) return cached;
    const out = new Set<string>(['all']);
    const stack = start;
    while (stack.length) {
      const name = stack.pop()!;
      if (out.has(name)) continue;
      out.add(name);
      for (const parent of groups.get(name)?.parents ?? []) stack.push(parent);
    }
    ancestorsMemo.set(key, out);
    return out;
  };

  /** The layers a host (or, without one, the cluster) reads variables from, highest precedence first. */
  const groupLayers = new Map<ReadonlySet<string>, Layer[]>();
  /** The layers a host (or, without one, the cluster) reads variables from, highest precedence first. */
  const layersFor = (memberOf: ReadonlySet<string>, host?: string): Layer[] => {
    let fromGroups = groupLayers.get(memberOf);
    if (!fromGroups) {
      const deeper = [...memberOf]
        .filter((g) => g !== 'all')
        .map((g) => ({ g, depth: depthOf(g) }))
        .sort((a, b) => b.depth - a.depth || (a.g < b.g ? 1 : a.g > b.g ? -1 : 0))
        .map(({ g }) => g);
      fromGroups = [];
      for (const g of deeper) fromGroups.push(...[...(groups.get(g)?.files ?? [])].reverse());
      fromGroups.push(...[...(groups.get('all')?.files ?? [])].reverse());
      for (const g of deeper) fromGroups.push(...[...(groups.get(g)?.inline ?? [])].reverse());
      fromGroups.push(...[...(groups.get('all')?.inline ?? [])].reverse());
      groupLayers.set(memberOf, fromGroups);
    }
    if (!host) return fromGroups;
    return [
      ...[...(hostFiles.get(host) ?? [])].reverse(),
      ...[...(mentions.get(host) ?? [])].reverse().map((m) => m.layer),
      ...fromGroups,
    ];
  };
  const lookup = (layers: readonly Layer[], name: string): ResolvedVar | undefined => {
    for (const layer of layers) {
      for (let i = layer.vars.length - 1; i >= 0; i--) {
        const variable = layer.vars[i];
        if (variable.name === name) {
          return { variable, place: { origin: layer.origin, range: variable.range, owner: layer.owner }, source: layer.source };
        }
      }
    }
    return undefined;
  };

  const nodes: KubesprayHost[] = [];
  for (const [name, list] of mentions) {
    const memberOf = ancestors(directGroups.get(name) ?? []);
    if (!NODE_GROUPS.some((g) => memberOf.has(g))) continue;
    let layers: Layer[] | undefined;
    nodes.push({
      name,
      first: list[0].place,
      mentions: list.map((m) => ({ place: m.place, exact: m.exact })),
      groups: memberOf,
      roles: NODE_GROUPS.flatMap((g) => (memberOf.has(g) && GROUPS[g]?.role ? [GROUPS[g].role!] : [])),
      port: list.find((m) => m.port !== undefined)?.port,
      variable: (variable) => lookup((layers ??= layersFor(memberOf, name)), variable),
    });
  }
  const clusterLayers = layersFor(ancestors(['k8s_cluster']));
  const first = ordered[0];
  return {
    inventories: ordered,
    hostCount: mentions.size,
    nodes,
    groupKey: (name) => groups.get(name)?.declarations[0],
    anchor: first?.doc.inventory.anchor && {
      origin: { uri: first.uri, chunk: first.doc.chunk },
      range: first.doc.inventory.anchor,
      owner: first.doc,
    },
    setting: (name) => lookup(clusterLayers, name),
  };
}
