/**
 * RKE2 and K3s node configs. Each node is one `config.yaml` with its `config.yaml.d/*.yaml`
 * drop-ins; the nodes of a cluster are the node directories side by side (`rke2/server-1/`,
 * `rke2/server-2/`...), so the cluster is the directory that holds them.
 */
import { nodeConfigSymbols } from './symbols';
import { nodeConfigComplete } from './complete';
import type { Place, Value } from '../../core/located';
import type { Range } from '../../core/text/positions';
import { cniPluginOf } from '../../knowledge/cni';
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import { parsePortRange } from '../../knowledge/net/portRange';
import { parseSubnets } from '../../knowledge/net/subnets';
import type { Role } from '../../knowledge/ports';
import type { ClusterModelBuilder, Member, NodeFacts } from '../../model/cluster';
import type { DocumentKind } from '../kind';
import { fileName } from '../../core/uris';
import { isNodeConfigFile, looksLikeNodeConfig, NodeConfigDocument, nodeDirectory, type Distribution } from './document';
import { nodeConfigHover } from './hover';

export const RKE2_KIND_ID = 'rke2';

/** One node's documents in the order the distribution reads them: config.yaml, then its drop-ins by name. */
interface NodeFiles {
  key: string;
  members: Array<Member<NodeConfigDocument>>;
}

function groupByNode(members: ReadonlyArray<Member<NodeConfigDocument>>): NodeFiles[] {
  const byNode = new Map<string, Array<Member<NodeConfigDocument>>>();
  for (const member of members) {
    // config.yaml and its drop-ins make one node; any other file is a node of its own.
    const key = isNodeConfigFile(member.uri) ? nodeDirectory(member.uri) : member.uri;
    byNode.set(key, [...(byNode.get(key) ?? []), member]);
  }
  return [...byNode.entries()].map(([key, list]) => ({
    key,
    members: list.sort(
      (a, b) =>
        (a.uri.includes('/config.yaml.d/') ? 1 : 0) - (b.uri.includes('/config.yaml.d/') ? 1 : 0) ||
        (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0),
    ),
  }));
}

/** What one node's merged config says: later files win (a `+` key appends, which only lists use). */
export interface NodeConfig {
  /** The node directory (or, for a config recognised outside one, the file). */
  key: string;
  /** How messages name the node: its directory ("server-2"), or its file name. */
  label: string;
  members: Array<Member<NodeConfigDocument>>;
  distribution?: Distribution;
  server: boolean;
  flag(name: string): { value: Value<string>; member: Member<NodeConfigDocument> } | undefined;
  list(name: string): Array<{ value: Value<string>; member: Member<NodeConfigDocument> }>;
}

export function nodeConfigs(members: ReadonlyArray<Member<NodeConfigDocument>>): NodeConfig[] {
  return groupByNode(members).map(({ key, members: files }) => {
    const distribution = files.map((m) => m.doc.distribution).find((d) => d);
    return {
      key,
      label: key.endsWith('/') ? decodeURIComponent(key.slice(key.lastIndexOf('/', key.length - 2) + 1, -1)) : fileName(key),
      members: files,
      distribution,
      server: files.some((m) => m.doc.isServer),
      flag(name) {
        for (let i = files.length - 1; i >= 0; i--) {
          const value = files[i].doc.flags.get(name);
          if (value) return { value, member: files[i] };
        }
        return undefined;
      },
      list(name) {
        for (let i = files.length - 1; i >= 0; i--) {
          const values = files[i].doc.lists.get(name);
          if (values?.length) return values.map((value) => ({ value, member: files[i] }));
        }
        return [];
      },
    };
  });
}

const truthy = (value: Value<string> | undefined) => value?.value === 'true';

/**
 * The roles of a node: agents are workers; servers run the control plane and are etcd
 * members unless they use an external datastore or disable etcd. A K3s cluster has embedded
 * etcd only when a server initialises it (cluster-init) or joins one (`server` without a
 * datastore); otherwise K3s keeps its state in SQLite.
 */
function rolesOf(node: NodeConfig, embeddedEtcd: boolean): Role[] {
  if (!node.server) return ['worker'];
  const external = !!node.flag('datastore-endpoint')?.value.value;
  const etcd =
    !external &&
    !truthy(node.flag('disable-etcd')?.value) &&
    (node.distribution !== 'k3s' ||
      embeddedEtcd ||
      truthy(node.flag('cluster-init')?.value) ||
      !!node.flag('server')?.value.value);
  const controlPlane = !truthy(node.flag('disable-apiserver')?.value);
  return [...(controlPlane ? (['control-plane'] as Role[]) : []), ...(etcd ? (['etcd'] as Role[]) : [])];
}

function contribute(members: ReadonlyArray<Member<NodeConfigDocument>>, into: ClusterModelBuilder): void {
  const nodes = nodeConfigs(members);
  const embeddedEtcd = nodes.some((n) => truthy(n.flag('cluster-init')?.value));
  const facts: NodeFacts[] = [];
  let anchor: Place | undefined;
  for (const node of nodes) {
    const first = node.members[0];
    const at = (member: Member<NodeConfigDocument>, range: Range): Place => ({
      origin: { uri: member.uri, chunk: member.doc.chunk },
      range,
      owner: member.doc,
    });
    const name = node.flag('node-name');
    const addresses = node.list('node-ip');
    const roles = rolesOf(node, embeddedEtcd);
    facts.push({
      kind: RKE2_KIND_ID,
      origin: { uri: first.uri, chunk: first.doc.chunk },
      itemRange: first.doc.firstKey,
      hostname: name && { ...name.value, origin: { uri: name.member.uri, chunk: name.member.doc.chunk } },
      label: `node ${node.label}`,
      roles,
      interfaces: addresses.map(({ value, member }) => {
        const parsed = parseInterfaceAddress(value.value);
        return {
          address: { ...value, origin: { uri: member.uri, chunk: member.doc.chunk } },
          addressKey: parsed && parsed.prefix === undefined ? parsed.canonical : undefined,
          hasAddress: true,
          itemRange: value.range,
        };
      }),
      firewall: [],
      listeners: [],
      broken: false,
    });
    if (!anchor && roles.includes('etcd'))
      anchor = at(first, (node.flag('cluster-init') ?? node.flag('server'))?.value.range ?? first.doc.firstKey);
    // Each node states its own networks; config-mismatch makes sure the servers agree.
    for (const [role, flag] of [
      ['pod', 'cluster-cidr'],
      ['service', 'service-cidr'],
    ] as const) {
      const value = node.flag(flag);
      if (!value) continue;
      const parsed = parseSubnets(value.value.value);
      into.subnets.push({
        role,
        name: flag,
        value: value.value.value,
        at: at(value.member, value.value.range),
        cidrs: parsed.ok ? parsed.cidrs : [],
        plan: node,
      });
    }
    // `docker: true` (RKE2 and K3s agents and servers) runs the node's containers in Docker, with its bridge.
    const docker = node.flag('docker');
    if (docker && truthy(docker.value))
      into.dockerHosts.push({ description: `docker: true (node ${node.label})`, at: at(docker.member, docker.value.range) });
    // kube-controller-manager-arg: ["node-cidr-mask-size=25"] (servers run the controller manager).
    for (const arg of node.server ? node.list('kube-controller-manager-arg') : []) {
      const match = /^(node-cidr-mask-size(?:-ipv4|-ipv6)?)=(\d+)$/.exec(arg.value.value.trim());
      if (!match) continue;
      const family = match[1].endsWith('ipv4') ? 'ipv4' : match[1].endsWith('ipv6') ? 'ipv6' : undefined;
      into.nodeCidrMasks.push({
        family,
        size: Number(match[2]),
        name: `kube-controller-manager-arg ${match[1]}`,
        at: at(arg.member, arg.value.range),
      });
    }
    const range = node.flag('service-node-port-range');
    if (range) {
      const place = at(range.member, range.value.range);
      into.nodePortRanges.push({
        name: 'service-node-port-range',
        value: range.value.value,
        at: place,
        against: 'cluster',
        lowestPort: 0,
      });
      const parsed = parsePortRange(range.value.value, 0);
      if (parsed.ok && node.server)
        into.portSettings.push({
          id: 'nodeport-services',
          range: parsed.range,
          tier: 'installer',
          source: { place, description: 'service-node-port-range' },
        });
    }
    // RKE2 drops k3s's supervisor-port flag (knowledge/joinPorts.ts): its servers keep 9345 whatever a file writes.
    const apiPort = node.distribution === 'k3s' ? node.flag('https-listen-port') : undefined;
    const port = apiPort && Number(apiPort.value.value);
    if (apiPort && Number.isInteger(port)) {
      into.portSettings.push({
        id: 'kube-apiserver',
        range: { low: port!, high: port! },
        tier: 'installer',
        source: { place: at(apiPort.member, apiPort.value.range), description: 'https-listen-port' },
      });
    }
  }
  if (facts.length)
    into.rosters.push({ kind: RKE2_KIND_ID, uri: nodes[0].members[0].uri, nodes: facts, anchors: { etcd: anchor } });
  contributeDistribution(nodes, into);
  contributeCni(nodes, into);
}

/** The distribution the node configs are for (the servers' word first), and whether the servers turn on the embedded registry. */
function contributeDistribution(nodes: readonly NodeConfig[], into: ClusterModelBuilder): void {
  const server = nodes.find((n) => n.server && n.distribution) ?? nodes.find((n) => n.distribution);
  if (!server?.distribution) return;
  const label = server.distribution === 'rke2' ? 'RKE2' : 'K3s';
  into.distributions.push({
    distribution: server.distribution,
    tier: 'installer',
    source: { description: `${label} node configs` },
    embeddedRegistry: nodes.some((n) => n.server && truthy(n.flag('embedded-registry')?.value)),
  });
}

/**
 * The plugin the servers deploy: RKE2's `cni` (canal by default; `multus` first only adds
 * Multus), K3s's flannel with `flannel-backend` (vxlan by default; `none` means the user
 * deploys another plugin). RKE2's Calico chart encapsulates with VXLAN.
 */
function contributeCni(nodes: readonly NodeConfig[], into: ClusterModelBuilder): void {
  const server = nodes.find((n) => n.server && n.distribution) ?? nodes.find((n) => n.distribution);
  if (!server) return;
  const at = (written: { value: Value<string>; member: Member<NodeConfigDocument> }): Place => ({
    origin: { uri: written.member.uri, chunk: written.member.doc.chunk },
    range: written.value.range,
    owner: written.member.doc,
  });
  if (server.distribution === 'rke2') {
    const written = server.flag('cni');
    const names = (written?.value.value ?? 'canal')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n && n !== 'multus');
    const plugin = cniPluginOf(names[0] ?? 'none');
    into.cniSettings.push({
      choice: { plugin, mode: plugin === 'calico' ? 'vxlan' : undefined },
      tier: 'installer',
      source: written
        ? { place: at(written), description: `cni in ${server.label}` }
        : { description: "RKE2's default cni (canal)" },
      modeWritten: false,
    });
    return;
  }
  const written = server.flag('flannel-backend');
  const backend = written?.value.value ?? 'vxlan';
  const mode = backend === 'wireguard-native' || backend === 'wireguard' ? 'wireguard' : backend;
  into.cniSettings.push({
    choice: { plugin: backend === 'none' ? 'other' : 'flannel', mode },
    tier: 'installer',
    source: written
      ? { place: at(written), description: `flannel-backend in ${server.label}` }
      : { description: "K3s's default flannel-backend (vxlan)" },
    modeWritten: !!written,
  });
}

export const rke2Kind: DocumentKind<NodeConfigDocument> = {
  id: RKE2_KIND_ID,
  label: 'RKE2 or K3s node config',
  definesCluster: false,
  recognize: ({ uri, text, apiVersion }) => looksLikeNodeConfig(uri, text, apiVersion),
  // A node's config.yaml rendered by Ansible (`node-ip: "{{ ansible_host }}"`) is still that node:
  // it stays in its cluster with those values unknown, and gets the template-placeholder note.
  claimsTemplates: true,
  // eslint-disable-next-line require-yield
  *analyze({ uri, text, start, end, lineOf }) {
    return NodeConfigDocument.parse(rke2Kind, uri, text, start, end, lineOf(start));
  },
  contribute,
  hover: nodeConfigHover,
  complete: nodeConfigComplete,
  symbols: nodeConfigSymbols,
};
