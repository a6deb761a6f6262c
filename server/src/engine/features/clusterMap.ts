/**
 * The cluster map's data: what the model and the findings say about one cluster, arranged as a
 * picture needs it. A port matrix (a row per node, a column per required port, each cell open,
 * missing, admitting too few peers, conflicting or not needed), the flows between roles with
 * the ports they use (blocked where a target node does not admit them), and the settings in
 * force with where each came from. The cells follow the findings the user sees, so a rule that
 * is off or a disable comment changes the map as it changes the Problems panel.
 */
import type { Workspace } from '../analysis/workspace';
import { absoluteRange } from '../core/located';
import type { Range } from '../core/text/positions';
import { CNI_PLUGINS } from '../knowledge/cni';
import { formatPortRange } from '../knowledge/net/portRange';
import { DISTRIBUTIONS } from '../knowledge/distributions';
import { formatTransport, type Placement, type Role } from '../knowledge/ports';
import { nodeLabel, placeOf, type NodeFacts } from '../model/cluster';
import { isEtcdMember } from '../model/placement';
import type { EffectivePort } from '../model/settings';
import { clusterRequirements, nodeName, type RequirementStatus } from './requirements';

export type CellStatus = 'open' | 'missing' | 'partial' | 'excluded' | 'conflict' | 'none' | 'undescribed';

export interface MapNode {
  name: string;
  roles: Role[];
  address?: string;
  /** Where the node is written, for "reveal". */
  uri: string;
  range: Range;
  /** The format describes firewall rules (our inventory): otherwise its cells are "not described". */
  hasFirewall: boolean;
}

export interface MapColumn {
  /** The component port's id: cni-… for the network plugin's. */
  id: string;
  label: string;
  purpose: string;
  component: string;
}

export interface MapCell {
  status: CellStatus;
  /** The finding behind a red or amber cell, or why the port is needed. */
  message?: string;
  uri?: string;
  range?: Range;
}

export interface MapFlow {
  from: string;
  to: string;
  label: string;
  /** Target nodes that do not admit it (a missing rule, or a source that leaves out the peers). */
  blocked: number;
  /** Target nodes whose format describes no firewall: whether they admit it is not known. */
  unknown: number;
  targets: number;
}

export interface MapSetting {
  name: string;
  value: string;
  source: string;
}

export interface ClusterMapData {
  id: string;
  /** The cluster's name (declared, metadata.name, k0sctl name, kubeadm clusterName), as --format json names it. */
  name?: string;
  /** Its directory, with a slash: what it is called without a name. */
  root: string;
  nodes: MapNode[];
  columns: MapColumn[];
  /** cells[node][column], in the order of `nodes` and `columns`. */
  cells: MapCell[][];
  flows: MapFlow[];
  settings: MapSetting[];
  errors: number;
  warnings: number;
  /** Every finding of the cluster's files, for reports that list them under the picture. */
  problems: Array<{ uri: string; line: number; character: number; severity: string; rule: string; message: string }>;
}

/** The map's cell for each status of a requirement (features/requirements.ts). */
const CELL_OF: Record<RequirementStatus, CellStatus> = {
  open: 'open',
  missing: 'missing',
  'partly-open': 'partial',
  'source-excludes-peers': 'excluded',
  'not-described': 'undescribed',
};

const PLACEMENT_LABEL: Record<Placement, string> = {
  'control-plane': 'control plane',
  worker: 'workers',
  'etcd-member': 'etcd',
  'kubernetes-node': 'every node',
  'any-node': 'every node',
};

/** The flows a cluster's ports imply: who connects to whom, by the requirement's component. */
function flowOf(port: EffectivePort): { from: string; to: string } | undefined {
  if (port.port.id.startsWith('cni-')) return { from: 'every node', to: 'every node' };
  switch (port.port.id) {
    case 'kube-apiserver':
      return { from: 'nodes, kubectl', to: 'control plane' };
    case 'kubelet':
      // k0s runs kubelets on workers only.
      return { from: 'control plane', to: port.port.openOn?.every((o) => o === 'worker') ? 'workers' : 'every node' };
    case 'etcd-client':
      return { from: 'control plane', to: 'etcd' };
    case 'etcd-peer':
      return { from: 'etcd', to: 'etcd' };
    case 'kube-proxy-healthz':
      return { from: 'load balancers', to: 'workers' };
    case 'nodeport-services':
      return { from: 'clients', to: 'workers' };
    default:
      // A distribution's own row (RKE2's supervisor, k0s's join API and konnectivity) says who dials it.
      return port.port.from?.length && port.port.openOn?.length
        ? { from: PLACEMENT_LABEL[port.port.from[0]], to: PLACEMENT_LABEL[port.port.openOn[0]] }
        : undefined;
  }
}

/** The map of the cluster a file belongs to (analysing what needs it first). */
export function clusterMapData(workspace: Workspace, uri: string): ClusterMapData {
  // The requirements and their status are the ones --format json lists: one computation for both.
  const cluster = clusterRequirements(workspace, uri);
  const { model, placement: ctx } = cluster;
  let errors = 0;
  let warnings = 0;
  const problems: ClusterMapData['problems'] = [];
  for (const [file, list] of cluster.findings) {
    for (const f of list) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      problems.push({
        uri: file,
        line: f.range.start.line,
        character: f.range.start.character,
        severity: f.severity,
        rule: f.ruleId,
        message: f.message,
      });
    }
  }
  // Columns: every port some node must admit, in the port table's order, then the plugin's.
  const columnsById = new Map<string, EffectivePort>();
  for (const entry of cluster.nodes)
    for (const { requirement } of entry.requirements)
      if (!columnsById.has(requirement.port.id)) columnsById.set(requirement.port.id, requirement);
  const order = [...model.settings.ports.values(), ...ctx.cniPorts].map((p) => p.port.id);
  const requirements = [...columnsById.values()].sort((a, b) => order.indexOf(a.port.id) - order.indexOf(b.port.id));
  const columns: MapColumn[] = requirements.map((p) => ({
    id: p.port.id,
    label: formatTransport(p.range, p.port.protocol),
    purpose: p.port.purpose,
    component: p.port.component,
  }));

  // Rows: control-plane nodes first, then etcd, then workers; by name within a role.
  const rank = (n: NodeFacts) => (n.roles.includes('control-plane') ? 0 : n.roles.includes('etcd') ? 1 : 2);
  const sorted = [...cluster.nodes].sort(
    (a, b) => rank(a.node) - rank(b.node) || nodeLabel(a.node).localeCompare(nodeLabel(b.node)),
  );
  const nodes: MapNode[] = [];
  const cells: MapCell[][] = [];
  for (const entry of sorted) {
    const { node } = entry;
    const anchor = node.hostname ? placeOf(node, node.hostname) : placeOf(node, node.itemRange);
    nodes.push({
      name: nodeName(node),
      roles: node.roles,
      address: node.interfaces?.find((i) => i.address)?.address?.value,
      uri: anchor.origin.uri,
      range: absoluteRange(anchor),
      hasFirewall: entry.described,
    });
    const states = new Map(entry.requirements.map((s) => [s.requirement.port.id, s]));
    cells.push(
      requirements.map((p): MapCell => {
        const state = states.get(p.port.id);
        if (!state) return { status: 'none' };
        if (state.status === 'not-described')
          return {
            status: 'undescribed',
            message: node.broken
              ? `${nodeLabel(node)}'s entry has syntax errors: ${p.port.purpose} cannot be checked`
              : `${nodeLabel(node)}'s format describes no firewall: ${p.port.purpose} cannot be checked`,
          };
        if (state.finding)
          return {
            status: CELL_OF[state.status],
            message: state.finding.message,
            uri: state.findingUri ?? entry.uri,
            range: state.finding.range,
          };
        // Open in the firewall, but another process listens on the port: a conflict, not an open cell.
        const conflict = entry.findings.find((f) => f.ruleId === 'port-conflict' && f.message.includes(`${p.port.purpose}`));
        if (conflict) return { status: 'conflict', message: conflict.message, uri: entry.uri, range: conflict.range };
        return {
          status: 'open',
          message: `${formatTransport(p.range, p.port.protocol)} (${p.port.purpose}) is admitted`,
          uri: anchor.origin.uri,
          range: absoluteRange(anchor),
        };
      }),
    );
  }

  // Flows between roles, red where target nodes do not admit them, unknown where their firewall is not described.
  const flows: MapFlow[] = [];
  requirements.forEach((p, column) => {
    const flow = flowOf(p);
    if (!flow) return;
    const targets = nodes.map((_, row) => cells[row][column]).filter((c) => c.status !== 'none');
    const blocked = targets.filter((c) => c.status === 'missing' || c.status === 'partial' || c.status === 'excluded').length;
    const unknown = targets.filter((c) => c.status === 'undescribed').length;
    flows.push({
      ...flow,
      label: `${formatTransport(p.range, p.port.protocol)} ${p.port.purpose}`,
      blocked,
      unknown,
      targets: targets.length,
    });
  });

  const settings: MapSetting[] = [];
  const api = model.settings.ports.get('kube-apiserver')!;
  settings.push({
    name: 'API server port',
    value: String(api.range.low),
    source: api.source?.description ?? 'Kubernetes default',
  });
  const range = model.settings.nodePortRange;
  settings.push({
    name: 'NodePort range',
    value: formatPortRange(range.range),
    source: range.source?.description ?? 'Kubernetes default',
  });
  for (const subnet of model.subnets) {
    settings.push({
      name: subnet.role === 'pod' ? 'Pod network' : 'Service network',
      value: subnet.value,
      source: `${subnet.name} in ${decodeURIComponent(subnet.at.origin.uri.slice(subnet.at.origin.uri.lastIndexOf('/') + 1))}`,
    });
  }
  const distribution = model.settings.distribution;
  if (distribution.id !== 'kubeadm')
    settings.push({
      name: 'Distribution',
      value: `${DISTRIBUTIONS[distribution.id].label}${distribution.embeddedRegistry ? ', embedded registry' : ''}`,
      source: `${distribution.source?.description ?? 'default'}; ports from ${DISTRIBUTIONS[distribution.id].tableTitle}`,
    });
  const cni = model.settings.cni;
  settings.push(
    cni
      ? {
          name: 'Network plugin',
          value: `${CNI_PLUGINS[cni.choice.plugin].label}${(cni.choice.mode ?? CNI_PLUGINS[cni.choice.plugin].defaultMode) ? `, ${cni.choice.mode ?? CNI_PLUGINS[cni.choice.plugin].defaultMode}` : ''}${cni.choice.wireguard ? ', WireGuard' : ''}`,
          source: cni.source.description,
        }
      : {
          name: 'Network plugin',
          value: 'not named',
          source: 'no file names one and kubeadm deploys none: no plugin port is required',
        },
  );
  const etcdMembers = model.nodes.filter((n) => isEtcdMember(n.roles, ctx.anyEtcdRole)).length;
  settings.push({
    name: 'etcd members',
    value: String(etcdMembers),
    source: ctx.anyEtcdRole ? 'nodes with role etcd' : 'control-plane nodes (stacked etcd)',
  });
  const { name, root } = workspace.describeCluster(model.id);
  return { id: model.id, name, root, nodes, columns, cells, flows, settings, errors, warnings, problems };
}

/** Every place the map links to (its nodes and cells): what a client may open on a click, and nothing else. */
export function clusterMapTargets(map: ClusterMapData): Array<{ uri: string; line: number; character: number }> {
  const targets = new Map<string, { uri: string; line: number; character: number }>();
  const add = (uri: string | undefined, range: Range | undefined) => {
    if (uri && range) targets.set(`${range.start.line}:${range.start.character}:${uri}`, { uri, ...range.start });
  };
  for (const node of map.nodes) add(node.uri, node.range);
  for (const row of map.cells) for (const cell of row) add(cell.uri, cell.range);
  return [...targets.values()];
}
