import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { codeActions } from '../../../server/src/engine/features/codeActions';
import { hover } from '../../../server/src/engine/features/hover';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { applyEdits } from '../../edits';
import { ROOT, spanAfter, spanOf, yaml } from '../../helpers';

function workspaceWith(files: Record<string, string>) {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  workspace.analyzeAll();
  return workspace;
}

const V1BETA3 = yaml`
  # Cluster config, Kubernetes 1.29
  apiVersion: kubeadm.k8s.io/v1beta3  # written for 1.29
  kind: ClusterConfiguration
  apiServer:
    timeoutForControlPlane: 4m0s
    extraArgs:
      # audit logs are kept for a month
      audit-log-maxage: "30"
      authorization-mode: Node,RBAC  # the default
  etcd:
    local:
      extraArgs:
        listen-metrics-urls: http://0.0.0.0:2381
  ---
  apiVersion: kubeadm.k8s.io/v1beta3
  kind: InitConfiguration
  nodeRegistration:
    kubeletExtraArgs:
      node-ip: 10.0.0.11
  ---
  apiVersion: kubeadm.k8s.io/v1beta3
  kind: JoinConfiguration
  discovery:
    timeout: 10m0s  # slow link
    file:
      kubeConfigPath: /etc/kubernetes/discovery.yaml
  ---
  apiVersion: kubelet.config.k8s.io/v1beta1
  kind: KubeletConfiguration
  cgroupDriver: systemd
`;

describe('kubeadm quick-fix: migrate to v1beta4', () => {
  it('rewrites every v1beta3 document as small edits that keep every other byte, and the result passes the v1beta4 schema', () => {
    const workspace = workspaceWith({ 'kubeadm.yaml': V1BETA3 });
    const uri = `${ROOT}kubeadm.yaml`;
    const diagnostics = workspace.findings(uri).map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight' }));
    assert.equal(diagnostics.filter((d) => d.code === 'kubeadm-api-deprecated').length, 3);
    const [fix] = codeActions(workspace, uri, diagnostics);
    assert.equal(fix.title, 'Migrate this file to kubeadm.k8s.io/v1beta4');
    const migrated = applyEdits(V1BETA3, fix.edits);
    assert.equal(
      migrated,
      yaml`
        # Cluster config, Kubernetes 1.29
        apiVersion: kubeadm.k8s.io/v1beta4  # written for 1.29
        kind: ClusterConfiguration
        apiServer:
          extraArgs:
            # audit logs are kept for a month
            - name: audit-log-maxage
              value: "30"
            - name: authorization-mode
              value: "Node,RBAC"  # the default
        etcd:
          local:
            extraArgs:
              - name: listen-metrics-urls
                value: "http://0.0.0.0:2381"
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        nodeRegistration:
          kubeletExtraArgs:
            - name: node-ip
              value: "10.0.0.11"
        timeouts:
          controlPlaneComponentHealthCheck: 4m0s
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: JoinConfiguration
        discovery:
          file:
            kubeConfigPath: /etc/kubernetes/discovery.yaml
        timeouts:
          discovery: 10m0s  # slow link
          controlPlaneComponentHealthCheck: 4m0s
        ---
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        cgroupDriver: systemd
      `,
    );
    const after = workspaceWith({ 'kubeadm.yaml': migrated }).findings(uri);
    assert.deepEqual(after, []);
  });

  it('keeps timeoutForControlPlane as a note when the file has no Init or Join configuration', () => {
    const text = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  timeoutForControlPlane: 4m0s\n';
    const workspace = workspaceWith({ 'c.yaml': text });
    const uri = `${ROOT}c.yaml`;
    const [fix] = codeActions(
      workspace,
      uri,
      workspace.findings(uri).map((f) => ({ range: f.range, code: f.ruleId })),
    );
    const migrated = applyEdits(text, fix.edits);
    assert.match(
      migrated,
      /# timeoutForControlPlane 4m0s moved: set timeouts\.controlPlaneComponentHealthCheck in your InitConfiguration\/JoinConfiguration/,
    );
    assert.deepEqual(workspaceWith({ 'c.yaml': migrated }).findings(uri), []);
  });
});

describe('kubeadm quick-fix: what it keeps and what it refuses', () => {
  const uri = `${ROOT}kubeadm.yaml`;
  const migrate = (text: string) => {
    const workspace = workspaceWith({ 'kubeadm.yaml': text });
    const diagnostics = workspace.findings(uri).map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight' }));
    return codeActions(workspace, uri, diagnostics).find((f) => f.title === 'Migrate this file to kubeadm.k8s.io/v1beta4');
  };
  const cluster =
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    # why\n    audit-log-maxage: "30"\n';

  it('keeps a byte-order mark, CRLF and mixed line ends, and comment lines', () => {
    const text = `\uFEFF${cluster.replace(/\n/g, '\r\n').replace('# why\r\n', '# why\n')}`;
    const fix = migrate(text)!;
    const migrated = applyEdits(text, fix.edits);
    assert.ok(migrated.startsWith('\uFEFFapiVersion: kubeadm.k8s.io/v1beta4\r\n'));
    assert.ok(
      migrated.includes('extraArgs:\r\n    # why\n    - name: audit-log-maxage\r\n      value: "30"\r\n'),
      JSON.stringify(migrated),
    );
    assert.ok(!/[^\r]\r[^\n]/.test(migrated), 'no lone \\r inside a line');
    assert.deepEqual(workspaceWith({ 'kubeadm.yaml': migrated }).findings(uri), []);
  });

  it('refuses documents it cannot migrate faithfully, and the editor still gets the other fixes', () => {
    for (const [why, text] of [
      ['a mapping as an argument value', cluster.replace('audit-log-maxage: "30"', 'audit-log-maxage:\n      nested: 1')],
      ['an unresolved alias', cluster.replace('"30"', '*nowhere')],
      ['a binary value', cluster.replace('"30"', '!!binary aGVsbG8=')],
      ['an anchored map', cluster.replace('extraArgs:', 'extraArgs: &args')],
    ]) {
      assert.equal(migrate(text), undefined, why);
    }
  });
  it('moves a timeout into an indented second document at its own indentation (issue 17, item 13)', () => {
    const text = [
      'apiVersion: kubeadm.k8s.io/v1beta3',
      'kind: ClusterConfiguration',
      'apiServer:',
      '  timeoutForControlPlane: 4m0s',
      '---',
      '  apiVersion: kubeadm.k8s.io/v1beta3',
      '  kind: InitConfiguration',
      '  nodeRegistration:',
      '    name: cp-1',
      '',
    ].join('\n');
    const migrated = applyEdits(text, migrate(text)!.edits);
    const documents = parseAllDocuments(migrated);
    assert.deepEqual(
      documents.flatMap((d) => d.errors.map((e) => e.message)),
      [],
      migrated,
    );
    assert.equal(documents.length, 2, migrated);
    assert.equal(documents[1].getIn(['timeouts', 'controlPlaneComponentHealthCheck']), '4m0s', migrated);
    assert.ok(
      migrated.endsWith('    name: cp-1\n  timeouts:\n    controlPlaneComponentHealthCheck: 4m0s\n'),
      JSON.stringify(migrated),
    );
    assert.deepEqual(workspaceWith({ 'kubeadm.yaml': migrated }).findings(uri), []);
  });

  it('moves a timeout before the `...` that ends its document, never into a new document (issue 17, item 13)', () => {
    const text = [
      'apiVersion: kubeadm.k8s.io/v1beta3',
      'kind: ClusterConfiguration',
      'apiServer:',
      '  timeoutForControlPlane: 4m0s',
      '---',
      'apiVersion: kubeadm.k8s.io/v1beta3',
      'kind: InitConfiguration',
      'nodeRegistration:',
      '  name: cp-1',
      '...',
      '',
    ].join('\n');
    const migrated = applyEdits(text, migrate(text)!.edits);
    const documents = parseAllDocuments(migrated);
    assert.deepEqual(
      documents.flatMap((d) => d.errors.map((e) => e.message)),
      [],
      migrated,
    );
    assert.equal(documents.length, 2, migrated);
    assert.equal(documents[1].getIn(['timeouts', 'controlPlaneComponentHealthCheck']), '4m0s', migrated);
    assert.ok(
      migrated.endsWith('  name: cp-1\ntimeouts:\n  controlPlaneComponentHealthCheck: 4m0s\n...\n'),
      JSON.stringify(migrated),
    );
    assert.deepEqual(workspaceWith({ 'kubeadm.yaml': migrated }).findings(uri), []);
  });
});

describe('kubeadm quick-fix: hostile input (issue 18, round three)', () => {
  const uri = `${ROOT}kubeadm.yaml`;
  /** The migration fix, and what the code-action request logged (a fix that throws is logged, not offered). */
  const migrateLogged = (text: string) => {
    const workspace = workspaceWith({ 'kubeadm.yaml': text });
    const diagnostics = workspace.findings(uri).map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight' }));
    const logged: string[] = [];
    const fix = codeActions(workspace, uri, diagnostics, (m) => logged.push(m)).find(
      (f) => f.title === 'Migrate this file to kubeadm.k8s.io/v1beta4',
    );
    return { fix, logged };
  };
  const cluster =
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    audit-log-maxage: "30"\n';
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('refuses, without a stack overflow, a v1beta3 document or a file nested 10,000 levels deep', () => {
    for (const text of [
      `${cluster}---\nx: ${deep(10_000)}\n`,
      `${cluster}  extra: ${deep(10_000)}\n`,
      `${cluster.replace('audit-log-maxage: "30"', `audit-log-maxage: ${deep(10_000)}`)}`,
    ]) {
      const { fix, logged } = migrateLogged(text);
      assert.equal(fix, undefined);
      assert.deepEqual(logged, []);
    }
  });

  it('migrates 40,000 extraArgs through the guarded reader: linear duplicate-key checks, a duplicate refused', () => {
    // The yaml library's own duplicate-key check compares each key with every earlier one: 54 s here before.
    const args = Array.from({ length: 40_000 }, (_, i) => `    flag-${i}: "${i}"\n`).join('');
    const text = `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n${args}`;
    const { fix, logged } = migrateLogged(text);
    assert.deepEqual(logged, []);
    assert.equal(fix!.edits.length, 40_001);
    const migrated = applyEdits(text, fix!.edits);
    assert.ok(migrated.startsWith('apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n'));
    assert.ok(migrated.endsWith('    - name: flag-39999\n      value: "39999"\n'), migrated.slice(-80));
    const duplicate = text.replace('    flag-39999: "39999"\n', '    flag-0: "39999"\n');
    assert.deepEqual(migrateLogged(duplicate), { fix: undefined, logged: [] });
  });

  it('still migrates next to a document that nests deeply but within the limit', () => {
    const text = `${cluster}---\nx: ${deep(300)}\n`;
    const { fix, logged } = migrateLogged(text);
    assert.deepEqual(logged, []);
    const migrated = applyEdits(text, fix!.edits);
    assert.ok(migrated.startsWith('apiVersion: kubeadm.k8s.io/v1beta4\n'));
    assert.ok(migrated.endsWith(`---\nx: ${deep(300)}\n`));
  });
});

describe('kubeadm hovers', () => {
  const text =
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 10.0.0.11\n  bindPort: 8443\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n';
  const at = (needle: string, nth = 0) => {
    const workspace = workspaceWith({ 'kubeadm.yaml': text });
    workspace.findings(`${ROOT}kubeadm.yaml`);
    const r = spanOf(text, needle, nth);
    return hover(workspace, `${ROOT}kubeadm.yaml`, { line: r.start.line, character: r.start.character + 1 })!;
  };

  it("shows the description, the default and the reference anchor of the key's type", () => {
    const result = at('bindPort');
    assert.equal(
      result.markdown,
      [
        '**bindPort** `integer`',
        '',
        'Secure (HTTPS) port the local kube-apiserver listens on; kubeadm passes it as --secure-port.',
        '',
        'Default: `6443`',
        '',
        '[APIEndpoint](https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/#kubeadm-k8s-io-v1beta4-APIEndpoint)',
      ].join('\n'),
    );
    assert.match(
      at('readOnlyPort').markdown,
      /\[KubeletConfiguration\]\(https:\/\/kubernetes\.io\/docs\/reference\/config-api\/kubelet-config\.v1beta1\/#kubelet-config-k8s-io-v1beta1-KubeletConfiguration\)/,
    );
    assert.match(
      at('localAPIEndpoint').markdown,
      /\[InitConfiguration\]\(https:\/\/kubernetes\.io\/docs\/reference\/config-api\/kubeadm-config\.v1beta4\/#kubeadm-k8s-io-v1beta4-InitConfiguration\)/,
    );
  });

  it('explains port values as in inventories', () => {
    const result = at('8443');
    assert.match(result.markdown, /\*\*8443\/TCP\*\*/);
    assert.match(result.markdown, /Kubernetes API server\*\* \(kube-apiserver\)/);
    assert.match(result.markdown, /Set by InitConfiguration localAPIEndpoint\.bindPort in kubeadm\.yaml/);
    assert.deepEqual(result.range, spanAfter(text, 'bindPort: ', '8443'));
  });
});
