import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../server/src/engine/analysis/workspace';
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
