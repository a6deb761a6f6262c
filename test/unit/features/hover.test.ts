import * as assert from 'node:assert/strict';
import { completions } from '../../../server/src/engine/features/completion';
import { hover } from '../../../server/src/engine/features/hover';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { cluster, controlPlane, inventory, ROOT, service, spanAfter, spanOf, worker } from '../../helpers';

function hoverAt(files: Record<string, string>, name: string, needle: string, nth = 0, before = '') {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [n, t] of Object.entries(files)) workspace.setText(ROOT + n, t);
  workspace.analyzeAll();
  workspace.findings(ROOT + name);
  const range = before ? spanAfter(files[name], before, needle, nth) : spanOf(files[name], needle, nth);
  return { result: hover(workspace, ROOT + name, { line: range.start.line, character: range.start.character + 1 }), range };
}

describe('hover', () => {
  const text = inventory(
    controlPlane('cp-1', 11, '        - port: 179\n      listeners:\n        - name: exporter\n          port: 9100\n') +
      worker('w-1', 1),
    '  apiServerPort: 6443\n',
  );

  it('explains a firewall port and links the Ports and Protocols page', () => {
    const { result, range } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '6443', 0, '- port: ');
    assert.ok(result);
    assert.deepEqual(result.range, range);
    assert.match(result.markdown, /\*\*6443\/TCP\*\*/);
    assert.match(result.markdown, /Kubernetes API server\*\* \(kube-apiserver\): inbound on control-plane nodes/);
    assert.match(result.markdown, /This node \(control-plane\) needs it for Kubernetes API server\./);
    assert.match(
      result.markdown,
      /\[Kubernetes Ports and Protocols\]\(https:\/\/kubernetes\.io\/docs\/reference\/networking\/ports-and-protocols\/\)/,
    );
  });

  it('lists every component in a range', () => {
    const { result } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '2379-2380');
    assert.match(result!.markdown, /2379\/TCP — etcd server client API/);
    assert.match(result!.markdown, /2380\/TCP — etcd peer communication/);
  });

  it('names well-known add-on ports and says when no component uses a port', () => {
    assert.match(
      hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '179').result!.markdown,
      /BGP \(Calico, kube-router, Antrea BGPPolicy\)\*\*: not a Kubernetes component port/,
    );
    const exporter = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '9100').result!.markdown;
    assert.match(exporter, /Prometheus node exporter/);
  });

  it('explains apiServerPort and nodePortRange values', () => {
    assert.match(hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '6443', 0).result!.markdown, /Kubernetes API server/);
  });

  it('lists the ports a role needs', () => {
    const { result } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', 'worker', 0, 'roles: [');
    assert.match(result!.markdown, /\*\*worker\*\*/);
    assert.match(
      result!.markdown,
      /- 10250\/TCP — Kubelet API\n- 10256\/TCP — kube-proxy health check\n- 30000-32767\/TCP — NodePort Services/,
    );
  });

  it('shows the schema description of a key', () => {
    const { result } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', 'mac');
    assert.match(result!.markdown, /\*\*mac\*\* `string`\n\nHardware \(MAC\) address, unique across nodes/);
  });

  it('explains a Service nodePort with the static band', () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n    - port: 81\n      nodePort: 31000\n';
    const low = hoverAt({ 'svc.yaml': svc }, 'svc.yaml', '30080').result!.markdown;
    assert.match(low, /Inside the cluster's NodePort range 30000-32767/);
    assert.match(low, /static band 30000-30085/);
    assert.match(hoverAt({ 'svc.yaml': svc }, 'svc.yaml', '31000').result!.markdown, /dynamic band 30086-32767/);
    assert.match(
      low,
      /\[NodePort Services\]\(https:\/\/kubernetes\.io\/docs\/concepts\/services-networking\/service\/#type-nodeport\)/,
    );
  });

  it('gives nothing on files that are not ours', () => {
    const workspace = new Workspace();
    workspace.setText(`${ROOT}ci.yaml`, 'port: 6443\n');
    workspace.analyzeAll();
    assert.equal(hover(workspace, `${ROOT}ci.yaml`, { line: 0, character: 7 }), undefined);
  });
});

describe('hover on a document head: its cluster and why', () => {
  const services = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`apps/svc-${String(i).padStart(2, '0')}.yaml`, service(`s${i}`, [30100 + i])]),
    );
  /** The part a hover adds about the cluster: after the kind's own hover and a rule, or all of it. */
  const clusterPart = (markdown: string | undefined) => markdown?.split('\n\n---\n\n').pop();

  it('in a Kubespray directory: the files compared, and joined by its folder', () => {
    const files = {
      'inv/inventory.ini':
        '# lab machines\n[kube_control_plane]\nnode1 ansible_host=10.0.0.1\n[etcd]\nnode1\n[kube_node]\nnode1\n',
      'inv/hosts.yaml': 'all:\n  children:\n    kube_node:\n      hosts:\n        node2:\n          ansible_host: 10.0.0.2\n',
      'inv/group_vars/all/all.yml': '---\n# network\nkube_network_plugin: calico\n',
    };
    const vars = hoverAt(files, 'inv/group_vars/all/all.yml', 'kube_network_plugin').result!;
    assert.equal(
      clusterPart(vars.markdown),
      '**Cluster of `inv/`**\n\nCompared with 2 files: `hosts.yaml` (Kubespray inventory), `inventory.ini` (Kubespray inventory).\n\n' +
        'Joined because it is in the directory of `hosts.yaml`, `inventory.ini` or below it.',
    );
    assert.match(vars.markdown, /^\*\*kube_network_plugin\*\*/);
    const ini = hoverAt(files, 'inv/inventory.ini', 'kube_control_plane').result!;
    assert.equal(
      clusterPart(ini.markdown),
      '**Cluster of `inv/`**\n\nCompared with 2 files: `group_vars/all/all.yml` (Kubespray variables), `hosts.yaml` (Kubespray inventory).\n\n' +
        'It defines the cluster of this directory with the other files there that define one: they are merged, and the files in the directory and below it join them.',
    );
    // Only the head says it: the next line is about its host alone.
    assert.doesNotMatch(hoverAt(files, 'inv/inventory.ini', 'node1').result?.markdown ?? '', /Cluster of/);
  });

  it('a named inventory with a kubeadm config, and the list bounded to ten files', () => {
    const files = {
      'inventory.yaml': inventory(controlPlane('cp-1', 11)).replace('name: test', 'name: lab'),
      'kubeadm.yaml': cluster('clusterName: lab\n'),
      ...services(12),
    };
    const head = hoverAt(files, 'kubeadm.yaml', 'apiVersion').result!;
    assert.equal(
      clusterPart(head.markdown),
      '**Cluster "lab"**\n\nCompared with 13 files: ' +
        Array.from({ length: 10 }, (_, i) => `\`apps/svc-${String(i).padStart(2, '0')}.yaml\` (Kubernetes Service)`).join(', ') +
        ' and 3 more.\n\nJoined because it is in the directory of `inventory.yaml` or below it.',
    );
    assert.deepEqual(head.range, spanOf(files['kubeadm.yaml'], 'apiVersion'));
  });

  it('a loose Service is checked alone, and the hover spans its head line', () => {
    const text = '# the web front\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
    const { result } = hoverAt({ 'fixtures/svc.yaml': text, 'other/svc.yaml': text }, 'fixtures/svc.yaml', 'apiVersion');
    assert.deepEqual(result, {
      markdown:
        '**Checked alone**\n\nCompared with no other file.\n\n' +
        'No cluster description in its directory or above it (an Inventory, a k0sctl file, a Kubespray inventory or an RKE2/K3s node tree), so it is compared with no other file.',
      range: spanOf(text, 'apiVersion: v1'),
    });
  });

  it('beside two inventories, a kubeadm config that names neither stands alone and says why', () => {
    const named = (name: string) => inventory(controlPlane('cp-1', 11)).replace('name: test', `name: ${name}`);
    const files = {
      'prod.yaml': named('prod'),
      'staging.yaml': named('staging'),
      'kubeadm.yaml': cluster('clusterName: other\n'),
    };
    assert.equal(
      clusterPart(hoverAt(files, 'kubeadm.yaml', 'apiVersion').result!.markdown),
      '**Checked alone**\n\nCompared with no other file.\n\n' +
        "Its directory or one above holds several clusters (`prod.yaml`, `staging.yaml`) and it names none of them: a cluster name it shares with one (kubeadm `clusterName`, an Inventory's or k0sctl file's `metadata.name`) decides, else a node that only one of them describes (kubeadm `nodeRegistration.name`, an advertise address, a join's API server endpoint).",
    );
    assert.equal(
      clusterPart(
        hoverAt({ ...files, 'kubeadm.yaml': cluster('clusterName: prod\n') }, 'kubeadm.yaml', 'apiVersion').result!.markdown,
      ),
      '**Cluster "prod"**\n\nCompared with 1 file: `prod.yaml` (Cluster Preflight inventory).\n\n' +
        'Joined by name: its cluster name "prod" is the one of `prod.yaml`, among several clusters in its directory or above it.',
    );
  });

  it('a declared cluster names the project config', () => {
    const files = {
      '.cluster-preflight.yaml': 'clusters:\n  - name: prod\n    files: ["prod/**"]\n',
      'prod/a/svc.yaml': service('a', [30100]),
      'prod/b/svc.yaml': service('b', [30101]),
    };
    assert.equal(
      clusterPart(hoverAt(files, 'prod/a/svc.yaml', 'apiVersion').result!.markdown),
      '**Cluster "prod"**\n\nCompared with 1 file: `prod/b/svc.yaml` (Kubernetes Service).\n\n' +
        'Declared in `../../.cluster-preflight.yaml` (`clusters:` prod): a declared cluster takes the files its globs match, whatever their folders.',
    );
  });
});

describe('MTU values and networks in the inventory: hover arithmetic and completion', () => {
  const mtu = (node: string, value: number) => node.replace(/(address: [^\n]+\n)/, `$1          mtu: ${value}\n`);
  const text = inventory(
    mtu(controlPlane('cp-1', 11), 1500) + mtu(worker('w-1', 1), 1450),
    '  cni:\n    plugin: calico\n    mode: vxlan\n    mtu: 1420\n',
  );

  it("spec.cni.mtu: what goes on the wire, and each node's interface with the largest MTU it takes", () => {
    const markdown = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '1420').result!.markdown;
    assert.match(markdown, /\*\*MTU 1420\*\* for Calico: 1420 \+ VXLAN 50 = 1470 bytes on the wire\./);
    assert.match(markdown, /- node "cp-1" eth0: MTU 1500, fits \(largest 1450\)/);
    assert.match(markdown, /- node "w-1" eth0: MTU 1450, \*\*does not fit\*\* \(largest 1400\)/);
    assert.match(markdown, /Calico detects the host MTU/);
  });

  it('interfaces[].mtu: what the overlay leaves, and whether the configured MTU fits', () => {
    const markdown = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '1450').result!.markdown;
    assert.match(markdown, /The interface's MTU in bytes/);
    assert.match(
      markdown,
      /\*\*Interface MTU 1450\.\*\* Calico \(VXLAN 50 bytes over IPv4\) leaves pods 1400 bytes; the largest MTU setting that fits is 1400\./,
    );
    assert.match(markdown, /spec\.cni\.mtu 1420: 1420 \+ VXLAN 50 = 1470 bytes on the wire, \*\*does not fit\*\*\./);
  });

  it("Kubespray's and k0s's MTU values show the same arithmetic against the inventory's nodes", () => {
    const nodes = inventory(mtu(controlPlane('cp-1', 11), 1450) + mtu(worker('w-1', 1), 1450));
    const k0s =
      'apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: k0s\nspec:\n  network:\n    provider: calico\n    calico:\n      mtu: 1400\n';
    const onK0s = hoverAt({ 'inventory.yaml': nodes, 'k0s.yaml': k0s }, 'k0s.yaml', '1400').result!.markdown;
    assert.match(onK0s, /\*\*MTU 1400\*\* for Calico: 1400 \+ VXLAN 50 = 1450 bytes on the wire\./);
    assert.match(onK0s, /- node "w-1" eth0: MTU 1450, fits \(largest 1400\)/);
    const files = {
      '.cluster-preflight.yaml': 'clusters:\n  - name: lab\n    files: ["*.yaml", "*.ini", "group_vars/**"]\n',
      'inventory.yaml': nodes,
      'hosts.ini':
        '[kube_control_plane]\ncp-1 ip=192.168.1.11\n[etcd:children]\nkube_control_plane\n[kube_node]\nw-1 ip=192.168.1.101\n',
      'group_vars/k8s_cluster.yml': 'calico_mtu: 1500\ncalico_veth_mtu: 1450\n',
    };
    const veth = hoverAt(files, 'group_vars/k8s_cluster.yml', 'calico_veth_mtu').result!.markdown;
    assert.match(veth, /\*\*MTU 1450\*\* for Calico: 1450 \+ VXLAN 50 = 1500 bytes on the wire\./);
    assert.match(veth, /- node "cp-1" eth0: MTU 1450, \*\*does not fit\*\* \(largest 1400\)/);
    const calico = hoverAt(files, 'group_vars/k8s_cluster.yml', 'calico_mtu').result!.markdown;
    assert.match(calico, /The installer's calico_veth_mtu \(1450\) is what Calico runs with, not this value\./);
  });

  it('completion offers mtu in an interface and in spec.cni, and networks in spec, with their descriptions', () => {
    const labelsAt = (source: string, after: string) => {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      workspace.setText(`${ROOT}inventory.yaml`, source);
      workspace.analyzeAll();
      const lines = source.slice(0, source.indexOf(after) + after.length).split('\n');
      const result = completions(workspace, `${ROOT}inventory.yaml`, {
        line: lines.length - 1,
        character: lines[lines.length - 1].length,
      });
      return (result?.items ?? []).map((i) => i.label);
    };
    const inInterface = inventory(
      controlPlane('cp-1', 11).replace('address: 192.168.1.11/24\n', 'address: 192.168.1.11/24\n          \n'),
    );
    assert.ok(labelsAt(inInterface, '192.168.1.11/24\n          ').includes('mtu'));
    const inCni = inventory(controlPlane('cp-1', 11), '  cni:\n    plugin: calico\n    \n');
    assert.ok(labelsAt(inCni, 'plugin: calico\n    ').includes('mtu'));
    const inSpec = inventory(controlPlane('cp-1', 11), '  \n');
    assert.ok(labelsAt(inSpec, 'spec:\n  ').includes('networks'));
  });
});
