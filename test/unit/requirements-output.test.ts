import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../server/src/cli/main';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import { clusterMapData } from '../../server/src/engine/features/clusterMap';
import { compactPorts } from '../../server/src/engine/features/requirements';
import { CNI_PORTS } from '../../server/src/engine/knowledge/cni';
import { KUBERNETES_PORTS } from '../../server/src/engine/knowledge/ports';
import type { EffectivePort } from '../../server/src/engine/model/settings';
import { controlPlane, inventory, worker } from '../helpers';

function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = runCli(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) }, { env: {} });
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** Writes files (relative path -> text) into a new directory. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-requirements-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

interface RequirementJson {
  port?: string;
  protocol: string;
  component: string;
  from: string;
  severity: string;
  status: string;
  docs: string;
}
interface ClusterJson {
  name: string;
  root: string;
  files: string[];
  nodes: Array<{ name: string; roles: string[]; addresses: string[]; requirements: RequirementJson[] }>;
}

function clustersOf(dir: string, args = ['.']): ClusterJson[] {
  return (JSON.parse(run(['--format', 'json', ...args], dir).stdout) as { clusters: ClusterJson[] }).clusters;
}

/** Each node as one line: "name [roles] addresses: port/protocol status, …". */
function rows(cluster: ClusterJson): string[] {
  return cluster.nodes.map(
    (n) =>
      `${n.name} [${n.roles.join(',')}] ${n.addresses.join(',')}: ${n.requirements.map((r) => `${r.port ?? ''}/${r.protocol} ${r.status}`).join(', ')}`,
  );
}

/**
 * An inventory with firewalls: cp-1 misses 6443 and admits IP-in-IP; cp-2's etcd rule admits
 * only 10.9.0.0/16 (cp-1 is outside it); w-1 admits part of the NodePort range. Calico in its
 * default IP-in-IP mode needs BGP and IP protocol 4 on every node.
 */
const firewalled = inventory(
  controlPlane('cp-1', 11, '        - protocol: IPIP\n').replace('        - port: 6443\n', '') +
    controlPlane('cp-2', 12).replace(
      '        - port: 2379-2380\n',
      '        - port: 2379-2380\n          source: 10.9.0.0/16\n',
    ) +
    worker('w-1', 1).replace('30000-32767', '30000-31000'),
  '  cni:\n    plugin: calico\n',
);

const kubesprayYaml = `all:
  hosts:
    cp-1:
      ansible_host: 10.0.0.11
      ip: 10.0.0.11
    worker-1:
      ansible_host: 10.0.0.21
  children:
    kube_control_plane:
      hosts:
        cp-1:
    kube_node:
      hosts:
        worker-1:
    etcd:
      hosts:
        cp-1:
`;
const kubesprayIni = `[kube_control_plane]
node1 ansible_host=10.0.0.11 ip=10.0.0.11

[etcd:children]
kube_control_plane

[kube_node]
node2 ansible_host=10.0.0.12
`;
const k0sctl = (name: string) => `apiVersion: k0sctl.k0sproject.io/v1beta1
kind: Cluster
metadata:
  name: ${name}
spec:
  hosts:
    - role: controller
      ssh:
        address: 10.0.0.11
    - role: worker
      ssh:
        address: 10.0.0.21
`;
const rke2 = {
  'rke2/server-1/config.yaml': 'token: secret\ncni: canal\nnode-ip: 10.0.0.11\n',
  'rke2/agent-1/config.yaml': 'server: https://10.0.0.11:9345\ntoken: secret\nnode-ip: 10.0.0.21\n',
};
const kubeadmOnly = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: solo\n';

/** The control-plane and worker requirements of a cluster without firewall data, with the plugin's ports. */
const undescribedControlPlane = (plugin: string) =>
  `6443/TCP not-described, 2379/TCP not-described, 10250/TCP not-described, 10259/TCP not-described, 10257/TCP not-described, ${plugin}`;
const undescribedWorker = (plugin: string) =>
  `10250/TCP not-described, 10256/TCP not-described, 30000-32767/TCP not-described, ${plugin}`;

describe('what each node needs, in --format json', () => {
  it('lists an inventory node by node with each requirement open, missing, partly open or excluding peers', () => {
    const [cluster] = clustersOf(folder({ 'inventory.yaml': firewalled }));
    assert.deepEqual(
      { name: cluster.name, root: cluster.root, files: cluster.files },
      { name: 'test', root: '.', files: ['inventory.yaml'] },
    );
    assert.deepEqual(rows(cluster), [
      'cp-1 [control-plane] 192.168.1.11/24: 6443/TCP missing, 2379/TCP open, 2380/TCP open, 10250/TCP open, 10259/TCP open, 10257/TCP open, 179/TCP missing, /IPIP open',
      'cp-2 [control-plane] 192.168.1.12/24: 6443/TCP open, 2379/TCP source-excludes-peers, 2380/TCP source-excludes-peers, 10250/TCP open, 10259/TCP open, 10257/TCP open, 179/TCP missing, /IPIP missing',
      'w-1 [worker] 192.168.1.101/24: 10250/TCP open, 10256/TCP open, 30000-32767/TCP partly-open, 179/TCP missing, /IPIP missing',
    ]);
    const cp1 = cluster.nodes[0].requirements;
    assert.deepEqual(cp1[0], {
      port: '6443',
      protocol: 'TCP',
      component: 'kube-apiserver',
      from: 'All (nodes, kubectl, load balancers)',
      severity: 'error',
      status: 'missing',
      docs: 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/#control-plane',
    });
    // An IP protocol has no port at all, not an empty or zero one.
    const ipip = cp1[cp1.length - 1];
    assert.equal(ipip.protocol, 'IPIP');
    assert.ok(!('port' in ipip));
    assert.equal(ipip.component, 'Calico');
    // The NodePort range is a range, and its missing rule a warning.
    assert.deepEqual(
      cluster.nodes[2].requirements.map((r) => `${r.port} ${r.severity}`),
      ['10250 error', '10256 warning', '30000-32767 warning', '179 error', 'undefined error'],
    );
  });

  it('says "not-described" for a node entry with syntax errors, whose firewall cannot be read, and adds no text line for it', () => {
    const text = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1).replace('      roles: [worker]', '      roles: [worker\n      bad: ['),
    );
    const dir = folder({ 'inventory.yaml': text });
    assert.deepEqual(rows(clustersOf(dir)[0]), [
      'cp-1 [control-plane] 192.168.1.11/24: 6443/TCP open, 2379/TCP open, 10250/TCP open, 10259/TCP open, 10257/TCP open',
      // Its interfaces could not be read either.
      'w-1 [worker] : 10250/TCP not-described, 10256/TCP not-described, 30000-32767/TCP not-described',
    ]);
    assert.doesNotMatch(run(['.'], dir).stdout, /no firewall is described/);
  });

  it('follows the findings the user sees: a rule turned off leaves its ports open, as in the cluster map', () => {
    const dir = folder({ 'inventory.yaml': firewalled });
    const [cluster] = clustersOf(dir, ['--disable', 'firewall-source-excludes-peers', '.']);
    assert.deepEqual(
      cluster.nodes[1].requirements.slice(1, 3).map((r) => r.status),
      ['open', 'open'],
    );
  });

  it('agrees with the cluster map on every cell, for every format', () => {
    const files: Record<string, string> = {
      'inventory.yaml': firewalled,
      'kubespray/hosts.yaml': kubesprayYaml,
      'ini/inventory.ini': kubesprayIni,
      'k0s/k0sctl.yaml': k0sctl('lab'),
      ...rke2,
    };
    const dir = folder(files);
    const workspace = new Workspace();
    workspace.setRoots([pathToFileURL(dir).href + '/']);
    for (const [name, text] of Object.entries(files)) workspace.setText(pathToFileURL(join(dir, name)).href, text);
    const cell = {
      open: 'open',
      missing: 'missing',
      partial: 'partly-open',
      excluded: 'source-excludes-peers',
      undescribed: 'not-described',
    };
    const label = (r: RequirementJson) => (r.port ? `${r.port}/${r.protocol}` : `IP protocol 4 (${r.protocol})`);
    let compared = 0;
    for (const cluster of clustersOf(dir)) {
      const map = clusterMapData(workspace, pathToFileURL(join(dir, cluster.files[0])).href);
      assert.deepEqual(map.nodes.map((n) => n.name).sort(), cluster.nodes.map((n) => n.name).sort());
      for (const node of cluster.nodes) {
        const row = map.nodes.findIndex((n) => n.name === node.name);
        const fromMap = map.columns
          .map((column, index) => ({ label: column.label, status: map.cells[row][index].status }))
          .filter((c) => c.status !== 'none')
          .map((c) => `${c.label} ${cell[c.status as keyof typeof cell]}`);
        assert.deepEqual(
          node.requirements.map((r) => `${label(r)} ${r.status}`),
          fromMap,
          node.name,
        );
        compared += node.requirements.length;
      }
    }
    // The inventory's 21 requirements, two nodes of 6 and 4 in each of Kubespray YAML and INI (kubeadm's table),
    // RKE2's server 8 and agent 4, and k0s's single controller 2 (no 9443 without a second) and worker 2 (BGP, no IP-in-IP).
    assert.equal(compared, 21 + 2 * (6 + 4) + 8 + 4 + 2 + 2);
  });

  it('the HTML report draws the nodes without firewall data as "not described"', () => {
    const html = run(['--format', 'html', '.'], folder({ 'hosts.yaml': kubesprayYaml })).stdout;
    // cp-1 needs 6 ports and worker-1 4, none of which can be checked.
    assert.deepEqual(html.match(/<td class="total">[^<]*<\/td>/g)?.slice(0, 2), [
      '<td class="total">6 not described</td>',
      '<td class="total">4 not described</td>',
    ]);
  });

  it('lists every format: Kubespray YAML and INI, k0sctl, RKE2, and a kubeadm-only cluster without nodes', () => {
    const clusters = clustersOf(
      folder({
        'kubespray/hosts.yaml': kubesprayYaml,
        'ini/inventory.ini': kubesprayIni,
        'k0s/k0sctl.yaml': k0sctl('lab'),
        ...rke2,
        'kubeadm/cluster.yaml': kubeadmOnly,
      }),
    );
    assert.deepEqual(
      clusters.map((c) => ({ name: c.name, root: c.root, rows: rows(c) })),
      [
        {
          name: 'ini',
          root: 'ini',
          rows: [
            `node1 [control-plane,etcd] 10.0.0.11: ${undescribedControlPlane('4789/UDP not-described')}`,
            `node2 [worker] 10.0.0.12: ${undescribedWorker('4789/UDP not-described')}`,
          ],
        },
        {
          name: 'lab',
          root: 'k0s',
          rows: [
            // k0s: a pure controller runs no kubelet and no network plugin; a single one takes the API and konnectivity (9443 is between controllers).
            'host 10.0.0.11 [control-plane,etcd] 10.0.0.11: 6443/TCP not-described, 8132/TCP not-described',
            'host 10.0.0.21 [worker] 10.0.0.21: 10250/TCP not-described, 179/TCP not-described',
          ],
        },
        // kubeadm's files describe no nodes: the cluster is listed, with none.
        { name: 'solo', root: 'kubeadm', rows: [] },
        {
          name: 'kubespray',
          root: 'kubespray',
          rows: [
            `cp-1 [control-plane,etcd] 10.0.0.11: ${undescribedControlPlane('4789/UDP not-described')}`,
            `worker-1 [worker] 10.0.0.21: ${undescribedWorker('4789/UDP not-described')}`,
          ],
        },
        {
          name: 'rke2',
          root: 'rke2',
          rows: [
            // RKE2's own table: NodePorts on every node, Canal's 9099 health checks, no 10256 rule.
            'node agent-1 [worker] 10.0.0.21: 10250/TCP not-described, 30000-32767/TCP not-described, 8472/UDP not-described, 9099/TCP not-described',
            'node server-1 [control-plane,etcd] 10.0.0.11: 6443/TCP not-described, 9345/TCP not-described, 2379/TCP not-described, 2381/TCP not-described, 10250/TCP not-described, 30000-32767/TCP not-described, 8472/UDP not-described, 9099/TCP not-described',
          ],
        },
      ],
    );
  });
});

describe('what nodes without firewall data need, in the text output', () => {
  it('ends with one line per role for a cluster with no firewall data', () => {
    const { code, stdout } = run(['.'], folder({ 'hosts.yaml': kubesprayYaml }));
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        'No problems found (1 file checked in 1 cluster).',
        'Control-plane nodes (etcd members) need 6443, 2379, 10250, 10259, 10257/TCP, 4789/UDP (no firewall is described here; see --format html or json)',
        'Workers need 10250, 10256, 30000-32767/TCP, 4789/UDP (no firewall is described here; see --format html or json)',
        '',
      ].join('\n'),
    );
  });

  it('names the nodes as the distribution does: k0s controllers (one: no 9443 between controllers) and workers (kube-router: BGP only)', () => {
    const lines = run(['.'], folder({ 'k0sctl.yaml': k0sctl('lab') })).stdout.split('\n');
    assert.deepEqual(lines.slice(-3), [
      'k0s controllers need 6443, 8132/TCP (no firewall is described here; see --format html or json)',
      'k0s workers need 10250, 179/TCP (no firewall is described here; see --format html or json)',
      '',
    ]);
  });

  it('names the clusters in the summary and before their lines when several are checked', () => {
    const dir = folder({ 'kubespray/hosts.yaml': kubesprayYaml, ...rke2, 'inventory/prod.yaml': firewalled });
    const lines = run(['.'], dir).stdout.split('\n');
    assert.deepEqual(lines.slice(-6), [
      '10 problems (8 errors, 2 warnings) in 1 file (4 files checked in 3 clusters: test, kubespray, rke2).',
      'kubespray: control-plane nodes (etcd members) need 6443, 2379, 10250, 10259, 10257/TCP, 4789/UDP (no firewall is described here; see --format html or json)',
      'kubespray: workers need 10250, 10256, 30000-32767/TCP, 4789/UDP (no firewall is described here; see --format html or json)',
      'rke2: RKE2 servers need 6443, 9345, 2379, 2381, 10250, 30000-32767, 9099/TCP, 8472/UDP (no firewall is described here; see --format html or json)',
      'rke2: RKE2 agents need 10250, 30000-32767, 9099/TCP, 8472/UDP (no firewall is described here; see --format html or json)',
      '',
    ]);
  });

  it('says nothing of ports with --quiet, or where every firewall is described', () => {
    assert.equal(
      run(['--quiet', '.'], folder({ 'hosts.yaml': kubesprayYaml })).stdout,
      'No problems found (1 file checked in 1 cluster).\n',
    );
    const described = run(['.'], folder({ 'inventory.yaml': inventory(controlPlane('cp-1', 11) + worker('w-1', 1)) }));
    assert.equal(described.stdout, 'No problems found (1 file checked in 1 cluster).\n');
  });

  it('escapes cluster names from the files, in the summary and at the start of a line', () => {
    const forged = String.raw`"::warning::x\e[2J"`;
    const { stdout } = run(['.'], folder({ 'a/k0sctl.yaml': k0sctl(forged), 'b/k0sctl.yaml': k0sctl('b') }));
    assert.ok(!stdout.includes('\x1b'));
    const lines = stdout.split('\n');
    assert.equal(lines[0], String.raw`No problems found (2 files checked in 2 clusters: ::warning::x\x1b[2J, b).`);
    assert.match(lines[1], /^\\x3a:warning::x\\x1b\[2J: k0s controllers need /);
    assert.match(lines[3], /^b: k0s controllers need /);
  });

  it('stays bounded with many clusters: five names in the summary, twenty clusters of lines', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 25; i++) files[`c${String(i).padStart(2, '0')}/k0sctl.yaml`] = k0sctl(`k${String(i).padStart(2, '0')}`);
    const lines = run(['.'], folder(files)).stdout.split('\n');
    // Two hosts share no address across clusters: 25 clusters, nothing compared between them.
    assert.equal(lines[0], 'No problems found (25 files checked in 25 clusters: k00, k01, k02, k03, k04 and 20 more).');
    assert.equal(lines.length, 1 + 20 * 2 + 1 + 1);
    assert.match(lines[1], /^k00: k0s controllers need /);
    assert.match(lines[40], /^k19: k0s workers need /);
    assert.equal(lines[41], '…and 5 more clusters whose firewall is not described (see --format html or json).');
  });

  it('groups ports per protocol, joins adjacent ones and cuts the list after twelve', () => {
    const effective = (ports: typeof KUBERNETES_PORTS | typeof CNI_PORTS): EffectivePort[] =>
      ports.map((port) => ({ port, range: port.defaultPorts, disabled: false }));
    const kubernetes = effective(KUBERNETES_PORTS);
    assert.equal(
      compactPorts(kubernetes.filter((p) => ['kube-apiserver', 'etcd-client', 'etcd-peer', 'kubelet'].includes(p.port.id))),
      '6443, 2379-2380, 10250/TCP',
    );
    assert.equal(compactPorts(kubernetes), '6443, 2379-2381, 10250, 10248, 10255, 10259, 10257, 10256, 10249, 30000-32767/TCP');
    const calico = effective(CNI_PORTS.filter((p) => p.plugin === 'calico'));
    assert.equal(
      compactPorts([...kubernetes, ...calico]),
      '6443, 2379-2381, 10250, 10248, 10255, 10259, 10257, 10256, 10249, 30000-32767, 179, 5473/TCP…',
    );
  });
});
