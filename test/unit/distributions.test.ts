/**
 * Each distribution's requirements, role by role, against the rows of its own docs (the links
 * in knowledge/distributions.ts): RKE2's inbound network rules, K3s's inbound rules, k0s's
 * required ports, and Kubernetes' Ports and Protocols for kubeadm.
 */
import * as assert from 'node:assert/strict';
import { DISTRIBUTION_DOCS, DISTRIBUTIONS } from '../../server/src/engine/knowledge/distributions';
import type { CniChoice } from '../../server/src/engine/knowledge/cni';
import { formatTransport, type Distribution, type Role } from '../../server/src/engine/knowledge/ports';
import { firewallRequirements, placementContext } from '../../server/src/engine/model/placement';
import { resolveSettings, type PortSetting } from '../../server/src/engine/model/settings';

interface Case {
  distribution: Distribution;
  roles: Role[];
  /** How many etcd members the cluster has (2380 only between several). */
  members?: number;
  /** How many control-plane nodes (k0s's 9443 only between several); as many as `members` unless said. */
  controlPlanes?: number;
  cni?: CniChoice;
  ipv6?: boolean;
  embeddedRegistry?: boolean;
  settings?: PortSetting[];
  expected: string[];
}

const source = { description: 'test' };

function requirementsOf(c: Case): string[] {
  const settings = resolveSettings(
    c.settings ?? [],
    undefined,
    c.cni ? [{ choice: c.cni, tier: 'installer', source, modeWritten: !!c.cni.mode }] : [],
    c.distribution === 'kubeadm' && !c.embeddedRegistry
      ? []
      : [{ distribution: c.distribution, tier: 'installer', source, embeddedRegistry: c.embeddedRegistry }],
    c.ipv6,
  );
  const anyEtcdRole = c.roles.includes('etcd');
  const ctx = placementContext(settings, {
    anyEtcdRole,
    members: c.members ?? 1,
    controlPlanes: c.controlPlanes ?? c.members ?? 1,
  });
  return firewallRequirements(c.roles, ctx)
    .map((p) => `${formatTransport(p.range, p.port.protocol)} ${p.port.missingSeverity}`)
    .sort();
}

const SERVER: Role[] = ['control-plane', 'etcd'];
const AGENT: Role[] = ['worker'];

const CASES: Array<[string, Case]> = [
  // Kubernetes' own table: unchanged by this feature.
  [
    'kubeadm control-plane, stacked etcd',
    {
      distribution: 'kubeadm',
      roles: ['control-plane'],
      expected: ['10250/TCP error', '10257/TCP warning', '10259/TCP warning', '2379/TCP error', '6443/TCP error'],
    },
  ],
  [
    'kubeadm worker with Cilium (VXLAN, ICMP echo for health checks)',
    {
      distribution: 'kubeadm',
      roles: ['worker'],
      cni: { plugin: 'cilium' },
      expected: [
        '10250/TCP error',
        '10256/TCP warning',
        '30000-32767/TCP warning',
        '4240/TCP warning',
        '8472/UDP error',
        'IP protocol 1 (ICMP) warning',
      ],
    },
  ],
  // RKE2: https://docs.rke2.io/install/requirements#inbound-network-rules
  [
    'RKE2 server of three, Canal (the default)',
    {
      distribution: 'rke2',
      roles: SERVER,
      members: 3,
      cni: { plugin: 'canal' },
      expected: [
        '10250/TCP warning',
        '2379/TCP error',
        '2380/TCP error',
        '2381/TCP warning',
        '30000-32767/TCP warning',
        '6443/TCP error',
        '8472/UDP error',
        '9099/TCP warning',
        '9345/TCP error',
      ],
    },
  ],
  [
    'RKE2 single server, no plugin named: no etcd peer port, and Canal (the default)',
    {
      distribution: 'rke2',
      roles: SERVER,
      expected: [
        '10250/TCP warning',
        '2379/TCP error',
        '2381/TCP warning',
        '30000-32767/TCP warning',
        '6443/TCP error',
        '8472/UDP error',
        '9099/TCP warning',
        '9345/TCP error',
      ],
    },
  ],
  [
    'RKE2 agent, Canal',
    {
      distribution: 'rke2',
      roles: AGENT,
      cni: { plugin: 'canal' },
      expected: ['10250/TCP warning', '30000-32767/TCP warning', '8472/UDP error', '9099/TCP warning'],
    },
  ],
  [
    'RKE2 agent, Canal with WireGuard over IPv4 and IPv6: WireGuard replaces VXLAN',
    {
      distribution: 'rke2',
      roles: AGENT,
      cni: { plugin: 'canal', wireguard: true },
      ipv6: true,
      expected: ['10250/TCP warning', '30000-32767/TCP warning', '51820/UDP error', '51821/UDP error', '9099/TCP warning'],
    },
  ],
  [
    'RKE2 agent, cni: flannel uses VXLAN on 4789',
    {
      distribution: 'rke2',
      roles: AGENT,
      cni: { plugin: 'flannel' },
      expected: ['10250/TCP warning', '30000-32767/TCP warning', '4789/UDP error'],
    },
  ],
  [
    'RKE2 agent, Cilium',
    {
      distribution: 'rke2',
      roles: AGENT,
      cni: { plugin: 'cilium' },
      expected: [
        '10250/TCP warning',
        '30000-32767/TCP warning',
        '4240/TCP warning',
        '8472/UDP error',
        'IP protocol 1 (ICMP) warning',
      ],
    },
  ],
  [
    'RKE2 agent, Calico (VXLAN, Typha and health ports)',
    {
      distribution: 'rke2',
      roles: AGENT,
      cni: { plugin: 'calico', mode: 'vxlan' },
      expected: [
        '10250/TCP warning',
        '30000-32767/TCP warning',
        '4789/UDP error',
        '5473/TCP warning',
        '9098/TCP warning',
        '9099/TCP warning',
      ],
    },
  ],
  // K3s: https://docs.k3s.io/installation/requirements#inbound-rules-for-k3s-nodes
  [
    'K3s server on SQLite (no embedded etcd), flannel VXLAN',
    {
      distribution: 'k3s',
      roles: ['control-plane'],
      cni: { plugin: 'flannel' },
      expected: ['10250/TCP warning', '6443/TCP error', '8472/UDP error'],
    },
  ],
  [
    'K3s server of three with embedded etcd',
    {
      distribution: 'k3s',
      roles: SERVER,
      members: 3,
      cni: { plugin: 'flannel' },
      expected: ['10250/TCP warning', '2379/TCP error', '2380/TCP error', '6443/TCP error', '8472/UDP error'],
    },
  ],
  [
    'K3s agent, no plugin named: flannel VXLAN (the default)',
    { distribution: 'k3s', roles: AGENT, expected: ['10250/TCP warning', '8472/UDP error'] },
  ],
  [
    'k0s worker, no plugin named: kube-router (the default)',
    { distribution: 'k0s', roles: AGENT, expected: ['10250/TCP error', '179/TCP error'] },
  ],
  [
    'kubeadm worker, no plugin named: none required',
    { distribution: 'kubeadm', roles: AGENT, expected: ['10250/TCP error', '10256/TCP warning', '30000-32767/TCP warning'] },
  ],
  [
    'K3s agent',
    { distribution: 'k3s', roles: AGENT, cni: { plugin: 'flannel' }, expected: ['10250/TCP warning', '8472/UDP error'] },
  ],
  [
    'K3s agent, flannel wireguard-native over IPv4 and IPv6',
    {
      distribution: 'k3s',
      roles: AGENT,
      cni: { plugin: 'flannel', mode: 'wireguard' },
      ipv6: true,
      expected: ['10250/TCP warning', '51820/UDP error', '51821/UDP error'],
    },
  ],
  [
    'K3s agent, flannel wireguard-native over IPv4 only',
    {
      distribution: 'k3s',
      roles: AGENT,
      cni: { plugin: 'flannel', mode: 'wireguard' },
      expected: ['10250/TCP warning', '51820/UDP error'],
    },
  ],
  [
    'K3s agent with the embedded registry',
    {
      distribution: 'k3s',
      roles: AGENT,
      cni: { plugin: 'flannel' },
      embeddedRegistry: true,
      expected: ['10250/TCP warning', '5001/TCP warning', '6443/TCP warning', '8472/UDP error'],
    },
  ],
  [
    'K3s server with the embedded registry',
    {
      distribution: 'k3s',
      roles: ['control-plane'],
      cni: { plugin: 'flannel' },
      embeddedRegistry: true,
      expected: ['10250/TCP warning', '5001/TCP warning', '6443/TCP error', '8472/UDP error'],
    },
  ],
  // k0s: https://docs.k0sproject.io/stable/networking/#required-ports-and-protocols
  [
    'k0s controller of three (no kubelet, no pod network)',
    {
      distribution: 'k0s',
      roles: SERVER,
      members: 3,
      cni: { plugin: 'kube-router' },
      expected: ['2380/TCP error', '6443/TCP error', '8132/TCP error', '9443/TCP error'],
    },
  ],
  [
    'k0s controller of two, its etcd members the nodes with role etcd: 9443 between the controllers',
    {
      distribution: 'k0s',
      roles: ['control-plane'],
      members: 1,
      controlPlanes: 2,
      cni: { plugin: 'kube-router' },
      expected: ['6443/TCP error', '8132/TCP error', '9443/TCP error'],
    },
  ],
  [
    'k0s single controller: no other controller uses its 9443',
    {
      distribution: 'k0s',
      roles: SERVER,
      cni: { plugin: 'kube-router' },
      expected: ['6443/TCP error', '8132/TCP error'],
    },
  ],
  [
    'k0s single controller+worker, kube-router (k0s lists only BGP for it)',
    {
      distribution: 'k0s',
      roles: ['control-plane', 'worker', 'etcd'],
      cni: { plugin: 'kube-router' },
      expected: ['10250/TCP error', '179/TCP error', '6443/TCP error', '8132/TCP error'],
    },
  ],
  [
    'k0s worker, kube-router (BGP between workers)',
    {
      distribution: 'k0s',
      roles: AGENT,
      cni: { plugin: 'kube-router' },
      expected: ['10250/TCP error', '179/TCP error'],
    },
  ],
  [
    'kubeadm worker, kube-router: BGP and the IP-in-IP overlay between subnets',
    {
      distribution: 'kubeadm',
      roles: AGENT,
      cni: { plugin: 'kube-router' },
      expected: [
        '10250/TCP error',
        '10256/TCP warning',
        '179/TCP error',
        '30000-32767/TCP warning',
        'IP protocol 4 (IPIP) warning',
      ],
    },
  ],
  [
    'k0s worker, Calico (k0s defaults to VXLAN)',
    {
      distribution: 'k0s',
      roles: AGENT,
      cni: { plugin: 'calico', mode: 'vxlan' },
      expected: ['10250/TCP error', '4789/UDP error'],
    },
  ],
  [
    'k0s controller of two with k0sApiPort and konnectivity moved',
    {
      distribution: 'k0s',
      roles: ['control-plane'],
      members: 2,
      settings: [
        { id: 'k0s-api', range: { low: 9444, high: 9444 }, tier: 'installer', source },
        { id: 'konnectivity-agent', range: { low: 8142, high: 8142 }, tier: 'installer', source },
      ],
      expected: ['2380/TCP error', '6443/TCP error', '8142/TCP error', '9444/TCP error'],
    },
  ],
];

describe("each distribution's own port table", () => {
  for (const [label, c] of CASES) {
    it(`${label}: the requirements are the docs' rows`, () => {
      assert.deepEqual(requirementsOf(c), [...c.expected].sort());
    });
  }

  it("links every row to its distribution's table, and the kubeadm table is Kubernetes' own", () => {
    for (const id of ['rke2', 'k3s', 'k0s'] as const)
      for (const row of DISTRIBUTIONS[id].ports) assert.equal(row.docs, DISTRIBUTION_DOCS[id], `${id} ${row.id}`);
    assert.equal(DISTRIBUTIONS.kubeadm.ports.length, 12);
  });

  it('names who must reach every port a firewall must admit', () => {
    for (const id of ['rke2', 'k3s', 'k0s'] as const)
      for (const row of DISTRIBUTIONS[id].ports)
        if (row.openOn?.length && row.missingSeverity === 'error') assert.ok(row.from?.length, `${id} ${row.id}`);
  });
});
