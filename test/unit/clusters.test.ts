import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import { clusterExplanation } from '../../server/src/engine/features/clusterHover';
import type { SourceDocument } from '../../server/src/engine/sources/kind';
import { generateInventory } from '../../bench/generate';
import { ofRule, ROOT, yaml } from '../helpers';

/** A workspace rooted at file:///cluster/ holding the files (names relative to it). */
function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  workspace.analyzeAll();
  return workspace;
}

/** The clusters as sets of file names (relative to the root), sorted. */
function groups(workspace: Workspace): string[][] {
  return [...workspace.clusters().values()]
    .map((files) => files.map((f) => f.uri.slice(ROOT.length)).sort())
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function namedInventory(name: string | undefined, host = 'node-1', address = '10.0.0.11'): string {
  return yaml`
    apiVersion: cluster-preflight/v1alpha1
    kind: Inventory
    ${name ? `metadata:\n      name: ${name}` : ''}
    spec:
      nodes:
        - hostname: ${host}
          roles: [control-plane]
          interfaces:
            - name: eth0
              mac: "52:54:00:aa:bb:01"
              address: ${address}/24
  `;
}

function k0sctl(name: string, address: string): string {
  return yaml`
    apiVersion: k0sctl.k0sproject.io/v1beta1
    kind: Cluster
    metadata:
      name: ${name}
    spec:
      hosts:
        - role: controller+worker
          ssh:
            address: ${address}
  `;
}

function service(name: string, nodePort: number, namespace?: string): string {
  return yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: ${name}
      ${namespace ? `namespace: ${namespace}` : ''}
    spec:
      type: NodePort
      ports:
        - port: 80
          nodePort: ${nodePort}
  `;
}

function clusterConfiguration(clusterName?: string): string {
  return yaml`
    apiVersion: kubeadm.k8s.io/v1beta4
    kind: ClusterConfiguration
    ${clusterName ? `clusterName: ${clusterName}` : ''}
    networking:
      podSubnet: 10.244.0.0/16
  `;
}

const CROSS_FILE = ['duplicate-hostname', 'duplicate-ip', 'duplicate-mac', 'nodeport-duplicate'];

function crossFileFindings(workspace: Workspace): string[] {
  return workspace
    .allFiles()
    .flatMap((f) => CROSS_FILE.flatMap((id) => ofRule(workspace.findings(f.uri), id).map((x) => `${f.uri}: ${x.message}`)));
}

describe('which files form one cluster', () => {
  it('two inventories side by side are two clusters, however alike their machines', () => {
    const workspace = workspaceOf({ 'prod.yaml': namedInventory('prod'), 'staging.yaml': namedInventory('staging') });
    assert.deepEqual(groups(workspace), [['prod.yaml'], ['staging.yaml']]);
    assert.deepEqual(crossFileFindings(workspace), []);
    assert.equal(workspace.membership(ROOT + 'prod.yaml').why, 'anchor');
  });

  it('k0sctl files are alternatives, not parts of one cluster', () => {
    const workspace = workspaceOf({
      'smoke-basic.yaml': k0sctl('basic', '10.0.0.5'),
      'smoke-upgrade.yaml': k0sctl('upgrade', '10.0.0.5'),
      'smoke-backup.yaml': k0sctl('backup', '10.0.0.5'),
    });
    assert.equal(workspace.clusters().size, 3);
    assert.deepEqual(crossFileFindings(workspace), []);
  });

  it("a k0sctl file's in-file ClusterConfig is part of that file's cluster only, not of the file beside it", () => {
    const controllers = (name: string) => yaml`
      apiVersion: k0sctl.k0sproject.io/v1beta1
      kind: Cluster
      metadata:
        name: ${name}
      spec:
        hosts:
          - role: controller
            ssh:
              address: 10.0.0.11
          - role: controller
            ssh:
              address: 10.0.0.12
          - role: controller
            ssh:
              address: 10.0.0.13
    `;
    const balanced =
      controllers('balanced') +
      '---\napiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: balanced\nspec:\n  network:\n    nodeLocalLoadBalancing:\n      enabled: true\n';
    const workspace = workspaceOf({ 'balanced.yaml': balanced, 'plain.yaml': controllers('plain') });
    assert.deepEqual(groups(workspace), [['balanced.yaml'], ['plain.yaml']]);
    assert.deepEqual(ofRule(workspace.findings(ROOT + 'balanced.yaml'), 'missing-control-plane-endpoint'), []);
    assert.equal(ofRule(workspace.findings(ROOT + 'plain.yaml'), 'missing-control-plane-endpoint').length, 1);
    assert.deepEqual(crossFileFindings(workspace), []);
  });

  it('a Kubespray directory with two inventory files of one machine set is one cluster, and says so', () => {
    const workspace = workspaceOf({
      'inv/inventory.ini': '[kube_control_plane]\nnode1 ansible_host=10.0.0.1\n[kube_node:children]\nkube_control_plane\n',
      'inv/hosts.yaml':
        'all:\n  children:\n    kube_control_plane:\n      hosts:\n        vm1:\n          ansible_host: 10.0.0.1\n',
    });
    assert.deepEqual(groups(workspace), [['inv/hosts.yaml', 'inv/inventory.ini']]);
    const duplicates = ofRule(workspace.findings(ROOT + 'inv/inventory.ini'), 'duplicate-ip');
    assert.equal(duplicates.length, 1);
    assert.match(
      duplicates[0].message,
      /two inventory files in this directory \(hosts\.yaml, inventory\.ini\) describe the same machines/,
    );
  });

  it('files beside one inventory join it, from their folder or below', () => {
    const workspace = workspaceOf({
      'lab/inventory.yaml': namedInventory('lab'),
      'lab/kubeadm.yaml': clusterConfiguration(),
      'lab/apps/web.yaml': service('web', 30080),
    });
    assert.deepEqual(groups(workspace), [['lab/apps/web.yaml', 'lab/inventory.yaml', 'lab/kubeadm.yaml']]);
    assert.equal(workspace.membership(ROOT + 'lab/kubeadm.yaml').why, 'folder');
  });

  it('beside several inventories, a kubeadm config joins the one its clusterName names, or stands alone', () => {
    const workspace = workspaceOf({
      'prod.yaml': namedInventory('prod'),
      'staging.yaml': namedInventory('staging'),
      'kubeadm-prod.yaml': clusterConfiguration('prod'),
      'kubeadm-other.yaml': clusterConfiguration('other'),
    });
    assert.deepEqual(groups(workspace), [['kubeadm-other.yaml'], ['kubeadm-prod.yaml', 'prod.yaml'], ['staging.yaml']]);
    assert.equal(workspace.membership(ROOT + 'kubeadm-prod.yaml').why, 'name');
    assert.equal(workspace.membership(ROOT + 'kubeadm-other.yaml').why, 'alone');
  });

  it('a kubeadm-only folder with two clusterNames holds two clusters', () => {
    const workspace = workspaceOf({
      'kubeadm/a.yaml': clusterConfiguration('alpha'),
      'kubeadm/a-init.yaml': yaml`
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        clusterName: alpha
      `,
      'kubeadm/b.yaml': clusterConfiguration('beta'),
    });
    assert.deepEqual(groups(workspace), [['kubeadm/a-init.yaml', 'kubeadm/a.yaml'], ['kubeadm/b.yaml']]);
  });

  it('a kubeadm-only folder with one cluster keeps its configs together', () => {
    const workspace = workspaceOf({
      'kubeadm/cluster.yaml': clusterConfiguration(),
      'kubeadm/init.yaml': yaml`
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          bindPort: 6443
      `,
    });
    assert.deepEqual(groups(workspace), [['kubeadm/cluster.yaml', 'kubeadm/init.yaml']]);
  });

  it('a Kubespray directory merges its inventory files, as Ansible does with -i dir/', () => {
    const workspace = workspaceOf({
      'inventory/mycluster/hosts.yaml': yaml`
        all:
          hosts:
            node1:
              ip: 10.0.0.1
          children:
            kube_control_plane:
              hosts:
                node1:
            kube_node:
              hosts:
                node1:
      `,
      'inventory/mycluster/inventory.ini': '[kube_node]\nnode2 ip=10.0.0.2\n',
      'inventory/mycluster/group_vars/all/all.yml': 'kube_network_plugin: calico\n',
    });
    assert.deepEqual(groups(workspace), [
      ['inventory/mycluster/group_vars/all/all.yml', 'inventory/mycluster/hosts.yaml', 'inventory/mycluster/inventory.ini'],
    ]);
  });

  it('loose Services in two folders are not compared; one Service in a base and its overlay is one Service', () => {
    const workspace = workspaceOf({
      'fixtures/a/svc.yaml': service('ds-nodeport-svc', 30096),
      'fixtures/b/svc.yaml': service('ds-nodeport-svc', 30096),
      'fixtures/c/other.yaml': service('other', 30096),
    });
    assert.equal(workspace.clusters().size, 3);
    assert.deepEqual(crossFileFindings(workspace), []);

    const kustomize = workspaceOf({
      'inventory.yaml': namedInventory('prod'),
      'base/web.yaml': service('web', 30080),
      'overlays/prod/web.yaml': service('web', 30080),
      'overlays/prod/api.yaml': service('api', 30080, 'apps'),
    });
    assert.equal(kustomize.clusters().size, 1);
    const findings = crossFileFindings(kustomize);
    // web (one Service, twice) against api: each place of web clashes with api, never with itself.
    assert.equal(findings.length, 3, findings.join('\n'));
    assert.ok(findings.every((f) => !/default\/web" is also requested by Service default\/web\b/.test(f)));
    assert.match(
      findings.find((f) => f.includes('base/web.yaml'))!,
      /also requested by Service apps\/api/,
    );
  });

  it('the same Service written twice in one file is one Service, not a duplicate of itself', () => {
    const text = service('web', 30080) + '---\n' + service('web', 30080);
    const workspace = workspaceOf({ 'inventory.yaml': namedInventory('x'), 'svc.yaml': text });
    assert.equal(ofRule(workspace.findings(ROOT + 'svc.yaml'), 'nodeport-duplicate').length, 0);
  });

  it('an edit that renames an inventory regroups the files that follow the name', () => {
    const workspace = workspaceOf({
      'prod.yaml': namedInventory('prod'),
      'staging.yaml': namedInventory('staging'),
      'kubeadm.yaml': clusterConfiguration('staging'),
    });
    assert.equal(workspace.clusterOf(ROOT + 'kubeadm.yaml'), ROOT + 'staging.yaml');
    workspace.setText(ROOT + 'prod.yaml', namedInventory('staging'));
    workspace.setText(ROOT + 'staging.yaml', namedInventory('prod'));
    workspace.analyzeAll();
    assert.equal(workspace.clusterOf(ROOT + 'kubeadm.yaml'), ROOT + 'prod.yaml');
  });
});

/** Two inventories of the usual kind: the same host names, different addresses (prod 10.0.0.x, staging 10.1.0.x). */
function environment(name: string, net: string): string {
  return yaml`
    apiVersion: cluster-preflight/v1alpha1
    kind: Inventory
    metadata:
      name: ${name}
    spec:
      nodes:
        - hostname: cp-1
          roles: [control-plane]
          interfaces:
            - name: eth0
              address: ${net}.11/24
        - hostname: ${name}-worker-1
          roles: [worker]
          interfaces:
            - name: eth0
              address: ${net}.21/24
  `;
}

function kubeadm(kind: 'InitConfiguration' | 'JoinConfiguration', body: string): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ${kind}\n${body}`;
}

describe('a kubeadm file beside several inventories joins the one describing the node it names', () => {
  const environments = { 'prod.yaml': environment('prod', '10.0.0'), 'staging.yaml': environment('staging', '10.1.0') };

  it('by nodeRegistration.name, when one inventory has that node', () => {
    const workspace = workspaceOf({
      ...environments,
      'kubeadm-init.yaml': kubeadm('InitConfiguration', 'nodeRegistration:\n  name: prod-worker-1\n'),
    });
    assert.deepEqual(groups(workspace), [['kubeadm-init.yaml', 'prod.yaml'], ['staging.yaml']]);
    assert.deepEqual(workspace.membership(ROOT + 'kubeadm-init.yaml'), {
      id: ROOT + 'prod.yaml',
      why: 'node',
      byNode: 'node name prod-worker-1',
    });
  });

  it('by its advertise address, when the node name is in both (the same host names in prod and staging)', () => {
    const workspace = workspaceOf({
      ...environments,
      'kubeadm-init.yaml': kubeadm(
        'InitConfiguration',
        'nodeRegistration:\n  name: cp-1\nlocalAPIEndpoint:\n  advertiseAddress: 10.1.0.11\n  bindPort: 7443\n',
      ),
    });
    assert.deepEqual(groups(workspace), [['kubeadm-init.yaml', 'staging.yaml'], ['prod.yaml']]);
    assert.equal(workspace.membership(ROOT + 'kubeadm-init.yaml').byNode, 'advertise address 10.1.0.11');
    // The API server port it sets moves staging's requirement, and only staging's.
    assert.match(
      ofRule(workspace.findings(ROOT + 'staging.yaml'), 'missing-port-rule')
        .map((f) => f.message)
        .join('\n'),
      /"cp-1" .* 7443\/TCP/,
    );
    assert.doesNotMatch(
      ofRule(workspace.findings(ROOT + 'prod.yaml'), 'missing-port-rule')
        .map((f) => f.message)
        .join('\n'),
      /7443/,
    );
  });

  it("by a control-plane join's advertise address, and by a join's API server endpoint when it is a control-plane node", () => {
    const controlPlaneJoin = workspaceOf({
      ...environments,
      'join-cp.yaml': kubeadm('JoinConfiguration', 'controlPlane:\n  localAPIEndpoint:\n    advertiseAddress: 10.0.0.11\n'),
    });
    assert.equal(controlPlaneJoin.clusterOf(ROOT + 'join-cp.yaml'), ROOT + 'prod.yaml');

    const endpoint = (host: string) =>
      kubeadm(
        'JoinConfiguration',
        `discovery:\n  bootstrapToken:\n    apiServerEndpoint: "${host}"\n    token: abcdef.0123456789abcdef\n`,
      );
    const byEndpoint = workspaceOf({ ...environments, 'join.yaml': endpoint('10.1.0.11:6443') });
    assert.deepEqual(byEndpoint.membership(ROOT + 'join.yaml'), {
      id: ROOT + 'staging.yaml',
      why: 'node',
      byNode: 'API server endpoint 10.1.0.11:6443',
    });
    // A worker's address is no API server: it names no cluster.
    const byWorker = workspaceOf({ ...environments, 'join.yaml': endpoint('10.1.0.21:6443') });
    assert.equal(byWorker.membership(ROOT + 'join.yaml').why, 'alone');
  });

  it('stands alone when its nodes are in both inventories, in neither, or point to different ones', () => {
    const both = workspaceOf({
      ...environments,
      'init.yaml': kubeadm('InitConfiguration', 'nodeRegistration:\n  name: cp-1\n'),
    });
    assert.equal(both.membership(ROOT + 'init.yaml').why, 'alone');
    const neither = workspaceOf({
      ...environments,
      'init.yaml': kubeadm('InitConfiguration', 'localAPIEndpoint:\n  advertiseAddress: 10.9.0.1\n'),
    });
    assert.equal(neither.membership(ROOT + 'init.yaml').why, 'alone');
    const split = workspaceOf({
      ...environments,
      'init.yaml': kubeadm(
        'InitConfiguration',
        'nodeRegistration:\n  name: prod-worker-1\nlocalAPIEndpoint:\n  advertiseAddress: 10.1.0.11\n',
      ),
    });
    assert.deepEqual(split.membership(ROOT + 'init.yaml').among, [ROOT + 'prod.yaml', ROOT + 'staging.yaml']);
    assert.deepEqual(crossFileFindings(split), []);
  });

  it('a clusterName that names one inventory wins over the nodes', () => {
    const workspace = workspaceOf({
      ...environments,
      'kubeadm.yaml': [
        'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: prod\n',
        kubeadm('InitConfiguration', 'localAPIEndpoint:\n  advertiseAddress: 10.1.0.11\n'),
      ].join('---\n'),
    });
    assert.deepEqual(workspace.membership(ROOT + 'kubeadm.yaml'), { id: ROOT + 'prod.yaml', why: 'name' });
  });

  it('beside two k0sctl files, and beside Kubespray hosts, the same way', () => {
    const k0s = workspaceOf({
      'a.yaml': k0sctl('a', '10.0.0.5'),
      'b.yaml': k0sctl('b', '10.0.0.6'),
      'init.yaml': kubeadm('InitConfiguration', 'localAPIEndpoint:\n  advertiseAddress: 10.0.0.6\n'),
    });
    assert.equal(k0s.clusterOf(ROOT + 'init.yaml'), ROOT + 'b.yaml');
    // A kubeadm clusterName is a k0sctl file's metadata.name as much as an Inventory's.
    const byName = workspaceOf({
      'a.yaml': k0sctl('a', '10.0.0.5'),
      'b.yaml': k0sctl('b', '10.0.0.6'),
      'kubeadm.yaml': clusterConfiguration('a'),
    });
    assert.deepEqual(byName.membership(ROOT + 'kubeadm.yaml'), { id: ROOT + 'a.yaml', why: 'name' });
    const kubespray = workspaceOf({
      'prod.yaml': environment('prod', '10.0.0'),
      'inventory.ini': '[kube_control_plane]\nnode1 ansible_host=10.2.0.1 ip=10.3.0.1\n[kube_node]\nnode2 ip=10.3.0.2\n',
      'join.yaml': kubeadm('JoinConfiguration', 'discovery:\n  bootstrapToken:\n    apiServerEndpoint: node1:6443\n'),
      'init.yaml': kubeadm('InitConfiguration', 'localAPIEndpoint:\n  advertiseAddress: 10.3.0.1\n'),
    });
    assert.equal(kubespray.clusterOf(ROOT + 'join.yaml'), ROOT);
    assert.equal(kubespray.clusterOf(ROOT + 'init.yaml'), ROOT);
  });

  it('the cluster hover says which node joined it', () => {
    const workspace = workspaceOf({
      ...environments,
      'kubeadm-init.yaml': kubeadm('InitConfiguration', 'nodeRegistration:\n  name: prod-worker-1\n'),
    });
    assert.equal(
      clusterExplanation(workspace, ROOT + 'kubeadm-init.yaml'),
      '**Cluster "prod"**\n\nCompared with 1 file: `prod.yaml` (Cluster Preflight inventory).\n\n' +
        'Joined by node name prod-worker-1: that node is described by `prod.yaml` and by no other cluster in its directory or above it.',
    );
    const alone = workspaceOf({
      ...environments,
      'kubeadm-init.yaml': kubeadm('InitConfiguration', 'nodeRegistration:\n  name: cp-1\n'),
    });
    assert.match(
      clusterExplanation(alone, ROOT + 'kubeadm-init.yaml'),
      /and no single one of them carries its cluster name or describes the nodes it names \(node name cp-1\)/,
    );
  });

  it('an edit that renames the node regroups the file; edits that keep the nodes do not compute the layout again', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const layout = require('../../server/src/engine/analysis/clusterLayout');
    const original = layout.layoutClusters;
    let layouts = 0;
    layout.layoutClusters = (...args: unknown[]) => (layouts++, original(...args));
    try {
      const workspace = workspaceOf({
        ...environments,
        'kubeadm-init.yaml': kubeadm('InitConfiguration', 'nodeRegistration:\n  name: prod-worker-1\n'),
      });
      assert.equal(workspace.clusterOf(ROOT + 'kubeadm-init.yaml'), ROOT + 'prod.yaml');
      const prod = workspace.file(ROOT + 'prod.yaml')!;
      const rename = (from: string, to: string) => {
        const at = prod.text.indexOf(from);
        const before = prod.buffer.positionAt(at);
        const after = prod.buffer.positionAt(at + from.length);
        workspace.applyChanges(ROOT + 'prod.yaml', [{ range: { start: before, end: after }, text: to }]);
        workspace.analyzeAll();
        return workspace.clusterOf(ROOT + 'kubeadm-init.yaml');
      };
      const counted = layouts;
      // A keystroke that changes no name or address (a role) keeps the layout.
      assert.equal(rename('roles: [worker]', 'roles: [worker, etcd]'), ROOT + 'prod.yaml');
      assert.equal(layouts, counted);
      // Renaming the node it names takes the file out of prod.
      assert.equal(rename('hostname: prod-worker-1', 'hostname: prod-worker-2'), ROOT + 'kubeadm-init.yaml');
      assert.equal(layouts, counted + 1);
      assert.equal(rename('hostname: prod-worker-2', 'hostname: prod-worker-1'), ROOT + 'prod.yaml');
    } finally {
      layout.layoutClusters = original;
    }
  });

  it('typing the node a kubeadm file names regroups only where several inventories compete for it', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const layout = require('../../server/src/engine/analysis/clusterLayout');
    const original = layout.layoutClusters;
    let layouts = 0;
    layout.layoutClusters = (...args: unknown[]) => (layouts++, original(...args));
    try {
      const init = (name: string) => kubeadm('InitConfiguration', `nodeRegistration:\n  name: ${name}\n`);
      const retype = (workspace: Workspace, name: string) => {
        workspace.setText(ROOT + 'kubeadm-init.yaml', init(name));
        workspace.analyzeAll();
        return workspace.clusterOf(ROOT + 'kubeadm-init.yaml');
      };
      const single = workspaceOf({ 'prod.yaml': environment('prod', '10.0.0'), 'kubeadm-init.yaml': init('cp-1') });
      single.clusterOf(ROOT + 'prod.yaml');
      const before = layouts;
      assert.equal(retype(single, 'cp-12'), ROOT + 'prod.yaml');
      assert.equal(layouts, before, 'beside one inventory the node it names changes nothing');

      const competing = workspaceOf({ ...environments, 'kubeadm-init.yaml': init('prod-worker-1') });
      assert.equal(competing.clusterOf(ROOT + 'kubeadm-init.yaml'), ROOT + 'prod.yaml');
      assert.equal(retype(competing, 'staging-worker-1'), ROOT + 'staging.yaml');
    } finally {
      layout.layoutClusters = original;
    }
  });

  it('typing host names in a 5,000-node inventory that no file names never computes the layout again', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const layout = require('../../server/src/engine/analysis/clusterLayout');
    const original = layout.layoutClusters;
    let layouts = 0;
    layout.layoutClusters = (...args: unknown[]) => (layouts++, original(...args));
    try {
      const workspace = workspaceOf({ 'big.yaml': generateInventory(5000) });
      workspace.findings(ROOT + 'big.yaml');
      const file = workspace.file(ROOT + 'big.yaml')!;
      const counted = layouts;
      // Nothing beside it names a node: its nodes are never even counted.
      assert.equal((file.documents[0] as SourceDocument).countedNodes, undefined);
      const fingerprint = () => (file.documents[0] as SourceDocument).nodeIdentities!.fingerprint;
      const first = fingerprint();
      for (const letter of 'abc') {
        const position = file.buffer.positionAt(file.text.indexOf('hostname: node-2500') + 'hostname: node-2500'.length);
        workspace.applyChanges(ROOT + 'big.yaml', [{ range: { start: position, end: position }, text: letter }]);
        workspace.findings(ROOT + 'big.yaml');
      }
      assert.equal(layouts, counted, 'no layout for keystrokes in node names that no file names');
      // The set kept current by the edits equals the one a fresh analysis counts.
      const fresh = workspaceOf({ 'big.yaml': file.text });
      assert.equal(fingerprint(), (fresh.file(ROOT + 'big.yaml')!.documents[0] as SourceDocument).nodeIdentities!.fingerprint);
      assert.notEqual(fingerprint(), first);
    } finally {
      layout.layoutClusters = original;
    }
  });
});

describe('clusters declared in .cluster-preflight.yaml', () => {
  it('replace the grouping for the files they match, and a file in two declared clusters is an error', () => {
    const config = yaml`
      clusters:
        - name: prod
          files: ["prod.yaml", "kubeadm/prod-*.yaml"]
        - name: staging
          files: ["staging.yaml", "kubeadm/*.yaml"]
    `;
    const workspace = workspaceOf({
      '.cluster-preflight.yaml': config,
      'prod.yaml': namedInventory('prod'),
      'staging.yaml': namedInventory('staging'),
      'kubeadm/prod-cluster.yaml': clusterConfiguration(),
      'kubeadm/staging-cluster.yaml': clusterConfiguration(),
    });
    assert.deepEqual(groups(workspace), [
      ['.cluster-preflight.yaml'],
      ['kubeadm/prod-cluster.yaml', 'prod.yaml'],
      ['kubeadm/staging-cluster.yaml', 'staging.yaml'],
    ]);
    assert.equal(workspace.membership(ROOT + 'prod.yaml').why, 'declared');
    const overlap = workspace.findings(ROOT + '.cluster-preflight.yaml').filter((f) => f.severity === 'error');
    assert.equal(overlap.length, 1, JSON.stringify(overlap));
    assert.match(
      overlap[0].message,
      /kubeadm\/prod-cluster\.yaml is already in cluster "prod", so cluster "staging" cannot have it too/,
    );
    assert.deepEqual(overlap[0].range.start, { line: 4, character: 28 });
  });
});

describe('cluster boundaries on the command line', () => {
  it('--format json lists each cluster with its name, root and files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-clusters-'));
    writeFileSync(join(dir, 'prod.yaml'), namedInventory('prod'));
    writeFileSync(join(dir, 'staging.yaml'), namedInventory('staging'));
    writeFileSync(join(dir, 'kubeadm.yaml'), clusterConfiguration('prod'));
    mkdirSync(join(dir, 'loose'));
    writeFileSync(join(dir, 'loose', 'svc.yaml'), service('web', 30080));
    const cli = join(__dirname, '../../../dist/cli.js');
    const run = spawnSync(process.execPath, [cli, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const { clusters, diagnostics } = JSON.parse(run.stdout) as {
      clusters: Array<{ name: string; root: string; files: string[]; nodes: Array<{ name: string }> }>;
      diagnostics: Array<{ code: string }>;
    };
    assert.deepEqual(
      clusters.map(({ name, nodes }) => ({ name, nodes: nodes.map((n) => n.name) })),
      [
        { name: 'prod', nodes: ['node-1'] },
        { name: 'staging', nodes: ['node-1'] },
        { name: 'loose', nodes: [] },
      ],
    );
    assert.deepEqual(
      clusters.map(({ name, root, files }) => ({ name, root, files })),
      [
        { name: 'prod', root: '.', files: ['kubeadm.yaml', 'prod.yaml'] },
        { name: 'staging', root: '.', files: ['staging.yaml'] },
        { name: 'loose', root: 'loose', files: ['loose/svc.yaml'] },
      ],
    );
    assert.ok(!diagnostics.some((d) => /^duplicate-/.test(d.code)), JSON.stringify(diagnostics));
  });
});

describe('unnamed clusters on the command line', () => {
  it('seven unnamed k0sctl files in one folder get seven names: their paths, never absolute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-unnamed-'));
    mkdirSync(join(dir, 'smoke'));
    const names = ['basic', 'backup', 'dynamic', 'openssh', 'os-override', 'upgrade', 'reset'];
    for (const name of names)
      writeFileSync(join(dir, 'smoke', `smoke-${name}.yaml`), k0sctl(name, '10.0.0.5').replace(/metadata:\n {2}name: .*\n/, ''));
    // One unnamed cluster alone in its folder keeps the folder's name.
    mkdirSync(join(dir, 'lab'));
    writeFileSync(join(dir, 'lab', 'k0sctl.yaml'), k0sctl('x', '10.0.0.9').replace(/metadata:\n {2}name: .*\n/, ''));
    const cli = join(__dirname, '../../../dist/cli.js');
    const run = spawnSync(process.execPath, [cli, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const { clusters } = JSON.parse(run.stdout) as { clusters: Array<{ name: string; root: string }> };
    assert.deepEqual(
      clusters.map(({ name, root }) => ({ name, root })),
      [
        { name: 'lab', root: 'lab' },
        ...names
          .map((n) => `smoke/smoke-${n}.yaml`)
          .sort()
          .map((name) => ({ name, root: 'smoke' })),
      ],
    );
    // From a directory beside it, the names are relative to the folder given, not absolute.
    const elsewhere = mkdtempSync(join(tmpdir(), 'preflight-elsewhere-'));
    const outside = spawnSync(process.execPath, [cli, '--format', 'json', join(dir, 'smoke')], {
      cwd: elsewhere,
      encoding: 'utf8',
    });
    const far = (JSON.parse(outside.stdout) as { clusters: Array<{ name: string }> }).clusters.map((c) => c.name);
    assert.equal(new Set(far).size, 7);
    assert.ok(
      far.every((name) => !name.startsWith('/') && name.startsWith('smoke/')),
      far.join(', '),
    );
  });
});

describe('a kubeadm file joined by the node it names, on the command line', () => {
  it('--format json puts it in the cluster of that node, and its API server port moves only that cluster', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-node-join-'));
    writeFileSync(join(dir, 'prod.yaml'), environment('prod', '10.0.0'));
    writeFileSync(join(dir, 'staging.yaml'), environment('staging', '10.1.0'));
    writeFileSync(
      join(dir, 'kubeadm-init.yaml'),
      kubeadm(
        'InitConfiguration',
        'nodeRegistration:\n  name: cp-1\nlocalAPIEndpoint:\n  advertiseAddress: 10.1.0.11\n  bindPort: 7443\n',
      ),
    );
    const cli = join(__dirname, '../../../dist/cli.js');
    const run = spawnSync(process.execPath, [cli, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const { clusters, diagnostics } = JSON.parse(run.stdout) as {
      clusters: Array<{ name: string; files: string[] }>;
      diagnostics: Array<{ code: string; file: string; message: string; range: { start: { line: number } } }>;
    };
    assert.deepEqual(
      clusters.map(({ name, files }) => ({ name, files })),
      [
        { name: 'prod', files: ['prod.yaml'] },
        { name: 'staging', files: ['kubeadm-init.yaml', 'staging.yaml'] },
      ],
    );
    const apiServer = diagnostics.filter((d) => d.code === 'missing-port-rule' && d.message.includes('7443/TCP'));
    assert.deepEqual(
      apiServer.map((d) => ({ file: d.file, line: d.range.start.line, message: d.message })),
      [
        {
          file: 'staging.yaml',
          line: 6,
          message:
            'Node "cp-1" (control-plane) has no firewall rule admitting 7443/TCP (Kubernetes API server); InitConfiguration localAPIEndpoint.bindPort in kubeadm-init.yaml sets it.',
        },
      ],
    );
    assert.ok(!diagnostics.some((d) => /^duplicate-/.test(d.code)), JSON.stringify(diagnostics));
  });
});

describe('many files analysed one by one, as the language server does after indexing (issue 18 item 12)', () => {
  it('computes the cluster layout once for 3,000 new clusters, not once per file', () => {
    // The module object itself (not an import binding), so that the spy replaces what the workspace calls.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const layout = require('../../server/src/engine/analysis/clusterLayout');
    const original = layout.layoutClusters;
    let layouts = 0;
    layout.layoutClusters = (...args: unknown[]) => (layouts++, original(...args));
    try {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      const count = 3000;
      for (let i = 0; i < count; i++) {
        const text = `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: c-${i}\nspec:\n  nodes:\n    - hostname: cp-${i}\n      roles: [control-plane]\n`;
        workspace.setText(`${ROOT}c-${i}/inventory.yaml`, text);
      }
      for (const file of workspace.staleFiles()) {
        const before = file.layoutKey;
        for (const step of file.analysis()) assert.ok(!(step instanceof Promise));
        workspace.noteAnalyzed(file, before);
      }
      assert.equal(layouts, 0, 'no layout while the files are analysed');
      // Each file is its own cluster, found with one layout.
      assert.equal(ofRule(workspace.findings(`${ROOT}c-7/inventory.yaml`), 'missing-port-rule').length > 0, true);
      assert.equal(workspace.clusterOf(`${ROOT}c-2999/inventory.yaml`), `${ROOT}c-2999/inventory.yaml`);
      assert.equal(layouts, 1);
    } finally {
      layout.layoutClusters = original;
    }
  });
});
