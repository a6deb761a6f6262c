/**
 * The cluster map's data: what the model and the findings say about one cluster, arranged as a
 * picture needs it. A port matrix (a row per node, a column per required port, each cell open,
 * missing, admitting too few peers, conflicting or not needed), the flows between roles with
 * the ports they use (blocked where a target node does not admit them), and the settings in
 * force with where each came from. The cells follow the findings the user sees, so a rule that
 * is off or a disable comment changes the map as it changes the Problems panel.
 */
import type { Workspace } from '../analysis/workspace';
import type { Finding } from '../core/findings';
import { absoluteRange } from '../core/located';
import type { Range } from '../core/text/positions';
import { CNI_PLUGINS } from '../knowledge/cni';
import { formatPortRange } from '../knowledge/net/portRange';
import { DISTRIBUTIONS } from '../knowledge/distributions';
import { formatTransport, type Placement, type Role } from '../knowledge/ports';
import { nodeLabel, placeOf, type ClusterModel, type NodeFacts } from '../model/cluster';
import { firewallRequirements, placementContext, etcdMembership, isEtcdMember } from '../model/placement';
import type { EffectivePort } from '../model/settings';

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

/** What missing-port-rule attaches to its findings. */
interface MissingPortData {
  componentPort?: string;
  /** Part of the range is admitted. */
  partial?: boolean;
}

const contains = (outer: Range, inner: Range) =>
  (outer.start.line < inner.start.line ||
    (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.character <= outer.end.character));

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
  const model: ClusterModel = workspace.model(uri);
  const findings = new Map<string, Finding[]>();
  let errors = 0;
  let warnings = 0;
  const problems: ClusterMapData['problems'] = [];
  for (const file of workspace.clusterFiles(uri)) {
    const list = workspace.findings(file.uri);
    findings.set(file.uri, list);
    for (const f of list) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      problems.push({
        uri: file.uri,
        line: f.range.start.line,
        character: f.range.start.character,
        severity: f.severity,
        rule: f.ruleId,
        message: f.message,
      });
    }
  }
  const ctx = placementContext(model.settings, etcdMembership(model.nodes));
  // Columns: every port some node must admit, in the port table's order, then the plugin's.
  const columnsById = new Map<string, EffectivePort>();
  for (const node of model.nodes)
    for (const p of firewallRequirements(node.roles, ctx)) if (!columnsById.has(p.port.id)) columnsById.set(p.port.id, p);
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
  const sorted = [...model.nodes].sort((a, b) => rank(a) - rank(b) || nodeLabel(a).localeCompare(nodeLabel(b)));
  const nodes: MapNode[] = [];
  const cells: MapCell[][] = [];
  for (const node of sorted) {
    const item = placeOf(node, node.itemRange);
    const itemRange = absoluteRange(item);
    const anchor = node.hostname ? placeOf(node, node.hostname) : item;
    const ownFindings = (findings.get(item.origin.uri) ?? []).filter((f) => contains(itemRange, f.range));
    const hasFirewall = node.kind === 'inventory';
    nodes.push({
      name: node.hostname?.value || nodeLabel(node),
      roles: node.roles,
      address: node.interfaces?.find((i) => i.address)?.address?.value,
      uri: anchor.origin.uri,
      range: absoluteRange(anchor),
      hasFirewall,
    });
    const needed = new Set(firewallRequirements(node.roles, ctx).map((p) => p.port.id));
    cells.push(
      requirements.map((p): MapCell => {
        if (!needed.has(p.port.id)) return { status: 'none' };
        if (!hasFirewall)
          return {
            status: 'undescribed',
            message: `${nodeLabel(node)}'s format describes no firewall: ${p.port.purpose} cannot be checked`,
          };
        const label = formatTransport(p.range, p.port.protocol);
        const missing = ownFindings.find(
          (f) => f.ruleId === 'missing-port-rule' && (f.data as MissingPortData | undefined)?.componentPort === p.port.id,
        );
        if (missing)
          return {
            status: (missing.data as MissingPortData).partial ? 'partial' : 'missing',
            message: missing.message,
            uri: item.origin.uri,
            range: missing.range,
          };
        const excluded = ownFindings.find(
          (f) => f.ruleId === 'firewall-source-excludes-peers' && f.message.includes(`rule for ${label} `),
        );
        if (excluded) return { status: 'excluded', message: excluded.message, uri: item.origin.uri, range: excluded.range };
        const conflict = ownFindings.find((f) => f.ruleId === 'port-conflict' && f.message.includes(`${p.port.purpose}`));
        if (conflict) return { status: 'conflict', message: conflict.message, uri: item.origin.uri, range: conflict.range };
        return {
          status: 'open',
          message: `${label} (${p.port.purpose}) is admitted`,
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
      : { name: 'Network plugin', value: 'not named', source: 'no file names one: no plugin port is required' },
  );
  const etcdMembers = model.nodes.filter((n) => isEtcdMember(n.roles, ctx.anyEtcdRole)).length;
  settings.push({
    name: 'etcd members',
    value: String(etcdMembers),
    source: ctx.anyEtcdRole ? 'nodes with role etcd' : 'control-plane nodes (stacked etcd)',
  });
  return { id: model.id, nodes, columns, cells, flows, settings, errors, warnings, problems };
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
