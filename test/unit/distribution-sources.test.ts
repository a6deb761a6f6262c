/**
 * Where a cluster's distribution comes from (its files, or an inventory's spec.distribution),
 * and what follows it: missing-port-rule's quick-fixes, hovers, source checks and listener
 * conflicts read the distribution's table.
 */
import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import { codeActions } from '../../server/src/engine/features/codeActions';
import { clusterMapData } from '../../server/src/engine/features/clusterMap';
import { hover } from '../../server/src/engine/features/hover';
import { applyEdits } from '../edits';
import { cluster, controlPlane, expectRule, findingsOf, inventory, ofRule, ROOT, spanAfter, spanOf, worker } from '../helpers';

function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  workspace.analyzeAll();
  // Hovers and fixes read the cluster as its last check saw it.
  for (const name of Object.keys(files)) workspace.findings(ROOT + name);
  return workspace;
}

const RKE2_SERVER = 'token: secret\ncni: canal\nnode-ip: 10.0.0.11\n';
const RKE2_AGENT = 'server: https://10.0.0.11:9345\ntoken: secret\nnode-ip: 10.0.0.21\n';
const K3S_SERVER = 'token: secret\ncluster-init: true\nembedded-registry: true\nnode-ip: 10.0.0.11\n';
const K0SCTL =
  'apiVersion: k0sctl.k0sproject.io/v1beta1\nkind: Cluster\nmetadata:\n  name: lab\nspec:\n  hosts:\n' +
  '    - role: controller\n      ssh:\n        address: 10.0.0.11\n' +
  '    - role: worker\n      ssh:\n        address: 10.0.0.21\n';

describe("a cluster's distribution", () => {
  it('comes from RKE2 and K3s node configs, with K3s embedded registry, and from k0sctl files', () => {
    const rke2 = workspaceOf({ 'rke2/server-1/config.yaml': RKE2_SERVER, 'rke2/agent-1/config.yaml': RKE2_AGENT });
    const rke2Settings = rke2.model(`${ROOT}rke2/server-1/config.yaml`).settings.distribution;
    assert.deepEqual(
      [rke2Settings.id, rke2Settings.embeddedRegistry, rke2Settings.source?.description],
      ['rke2', false, 'RKE2 node configs'],
    );
    const k3s = workspaceOf({ 'k3s/server-1/config.yaml': K3S_SERVER }).model(`${ROOT}k3s/server-1/config.yaml`);
    assert.deepEqual([k3s.settings.distribution.id, k3s.settings.distribution.embeddedRegistry], ['k3s', true]);
    assert.equal(k3s.settings.ports.get('embedded-registry')?.range.low, 5001);
    const k0s = workspaceOf({ 'k0sctl.yaml': K0SCTL }).model(`${ROOT}k0sctl.yaml`);
    assert.equal(k0s.settings.distribution.id, 'k0s');
    assert.equal(k0s.settings.ports.get('k0s-api')?.range.low, 9443);
  });

  it('keeps RKE2 servers on 9345 whatever supervisor-port says (RKE2 drops the flag), and follows K3s https-listen-port', () => {
    const rke2 = workspaceOf({
      'rke2/server-1/config.yaml': RKE2_SERVER + 'supervisor-port: 9555\n',
      'rke2/server-2/config.yaml': 'server: https://10.0.0.11:9345\ntoken: secret\nnode-ip: 10.0.0.12\ncni: canal\n',
    }).model(`${ROOT}rke2/server-1/config.yaml`);
    const supervisor = rke2.settings.ports.get('rke2-supervisor');
    assert.deepEqual([supervisor?.range, supervisor?.source], [{ low: 9345, high: 9345 }, undefined]);
    const k3s = workspaceOf({ 'k3s/server-1/config.yaml': K3S_SERVER + 'https-listen-port: 7443\n' }).model(
      `${ROOT}k3s/server-1/config.yaml`,
    );
    assert.deepEqual(k3s.settings.ports.get('kube-apiserver')?.range, { low: 7443, high: 7443 });
  });

  it("is kubeadm by default, an inventory's spec.distribution otherwise, and an installer's files win over it", () => {
    assert.equal(
      workspaceOf({ 'inventory.yaml': inventory(controlPlane('cp-1', 11)) }).model(`${ROOT}inventory.yaml`).settings.distribution
        .id,
      'kubeadm',
    );
    const said = inventory(controlPlane('cp-1', 11), '  distribution: k3s\n');
    assert.equal(workspaceOf({ 'inventory.yaml': said }).model(`${ROOT}inventory.yaml`).settings.distribution.id, 'k3s');
    const beside = workspaceOf({ 'inventory.yaml': said, 'kubeadm.yaml': cluster('kubernetesVersion: v1.31.0\n') });
    assert.equal(beside.model(`${ROOT}inventory.yaml`).settings.distribution.id, 'kubeadm');
  });

  it('a value the tables do not know is a schema error, and the cluster keeps kubeadm', () => {
    const text = inventory(controlPlane('cp-1', 11), '  distribution: openshift\n');
    expectRule(findingsOf(text), 'schema', [{ range: spanOf(text, 'openshift'), message: /kubeadm, rke2, k3s, k0s/ }]);
    assert.deepEqual(ofRule(findingsOf(text), 'missing-port-rule'), []);
  });
});

describe("features follow the distribution's table", () => {
  it("missing-port-rule's quick-fix adds RKE2's supervisor port, and the node is then clean of it", () => {
    const text = inventory(
      controlPlane(
        'cp-1',
        11,
        '        - port: 2381\n        - port: 30000-32767\n        - port: 8472\n          protocol: UDP\n        - port: 9099',
      ),
      '  distribution: rke2\n',
    );
    const workspace = workspaceOf({ 'inventory.yaml': text });
    const uri = `${ROOT}inventory.yaml`;
    const diagnostics = ofRule(workspace.findings(uri), 'missing-port-rule').map((f) => ({
      range: f.range,
      code: f.ruleId,
      source: 'cluster-preflight',
      data: f.data,
    }));
    assert.equal(diagnostics.length, 1);
    const fix = codeActions(workspace, uri, diagnostics).find((f) => f.title.startsWith('Add firewall rule'));
    assert.equal(fix?.title, 'Add firewall rule 9345/TCP (RKE2 supervisor API (node registration)) to cp-1');
    const fixed = applyEdits(text, fix!.edits);
    // The writer keeps the file's style: its entries have no comments, so the new one has none either.
    // Some entries name their protocol, so the new one does too.
    assert.ok(fixed.endsWith('        - port: 9099\n        - port: 9345\n          protocol: TCP\n'), fixed);
    assert.deepEqual(ofRule(findingsOf(fixed), 'missing-port-rule'), []);
  });

  it("a hover on a port cites the distribution's table row and links its page", () => {
    const text = inventory(controlPlane('cp-1', 11, '        - port: 9345'), '  distribution: rke2\n');
    const workspace = workspaceOf({ 'inventory.yaml': text });
    const at = spanAfter(text, '- port: ', '9345').start;
    const result = hover(workspace, `${ROOT}inventory.yaml`, { line: at.line, character: at.character + 1 });
    assert.match(
      result!.markdown,
      /\*\*9345\/TCP — RKE2 supervisor API \(node registration\)\*\* \(rke2 server\): inbound on control-plane nodes/,
    );
    assert.match(result!.markdown, /This node \(control-plane\) needs it for RKE2 supervisor API/);
    assert.match(
      result!.markdown,
      /\[RKE2 inbound network rules\]\(https:\/\/docs\.rke2\.io\/install\/requirements#inbound-network-rules\)/,
    );
    assert.doesNotMatch(result!.markdown, /not a Kubernetes component port/);
  });

  it('a hover on spec.distribution lists what each role needs under it', () => {
    const text = inventory(controlPlane('cp-1', 11), '  distribution: k0s\n');
    const workspace = workspaceOf({ 'inventory.yaml': text });
    const at = spanOf(text, 'k0s').start;
    const markdown = hover(workspace, `${ROOT}inventory.yaml`, { line: at.line, character: at.character + 1 })!.markdown;
    assert.match(markdown, /\*\*Distribution: k0s\*\*, from spec\.distribution\./);
    assert.match(markdown, /- control-plane: 6443\/TCP, 9443\/TCP, 8132\/TCP, 2380\/TCP\n/);
    // k0s's default plugin, kube-router, with no file naming one.
    assert.match(markdown, /- worker: 10250\/TCP, 179\/TCP\n/);
  });

  it('under k0s, a konnectivity rule whose source leaves out a worker is reported', () => {
    const text = inventory(
      controlPlane('cp-1', 11, '        - port: 9443\n        - port: 8132\n          source: 192.168.1.0/28') + worker('w-1', 1),
      '  distribution: k0s\n',
    );
    expectRule(findingsOf(text), 'firewall-source-excludes-peers', [
      {
        range: spanOf(text, '192.168.1.0/28'),
        severity: 'error',
        message:
          /rule for 8132\/TCP \(konnectivity \(workers tunnel to the control plane\)\) leaves out worker node "w-1" \(192\.168\.1\.101\)/,
      },
    ]);
  });

  it('under k0s, a kubelet rule whose source admits only the controllers leaves out the other workers', () => {
    const text = inventory(
      controlPlane('cp-1', 11, '        - port: 8132') +
        worker('w-1', 1).replace('        - port: 10250\n', '        - port: 10250\n          source: 192.168.1.11/32\n') +
        worker('w-2', 2),
      '  distribution: k0s\n',
    );
    expectRule(findingsOf(text), 'firewall-source-excludes-peers', [
      {
        range: spanOf(text, '192.168.1.11/32'),
        severity: 'error',
        message: /rule for 10250\/TCP \(Kubelet API\) leaves out node "w-2" \(192\.168\.1\.102\), which needs/,
      },
    ]);
  });

  it("a listener on RKE2's supervisor port conflicts on a server, not on an agent", () => {
    const listener = '      listeners:\n        - name: haproxy\n          port: 9345';
    const text = inventory(controlPlane('cp-1', 11, listener) + worker('w-1', 1, listener), '  distribution: rke2\n');
    expectRule(findingsOf(text), 'port-conflict', [
      { range: spanAfter(text, 'port: ', '9345'), message: /which rke2 server needs on node "cp-1"/ },
    ]);
  });

  it('the cluster map names the distribution and draws its flows', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1), '  distribution: k0s\n');
    const map = clusterMapData(workspaceOf({ 'inventory.yaml': text }), `${ROOT}inventory.yaml`);
    assert.deepEqual(
      map.settings.find((s) => s.name === 'Distribution'),
      {
        name: 'Distribution',
        value: 'k0s',
        source: 'spec.distribution; ports from k0s required ports and protocols',
      },
    );
    // No file names a plugin: k0s's own default, marked as such.
    assert.deepEqual(
      map.settings.find((s) => s.name === 'Network plugin'),
      { name: 'Network plugin', value: 'kube-router, bgp', source: "k0s's default network.provider (kuberouter)" },
    );
    assert.ok(map.columns.some((c) => c.id === 'konnectivity-agent'));
    assert.ok(map.flows.some((f) => f.from === 'workers' && f.to === 'control plane' && /8132/.test(f.label)));
    assert.ok(!map.columns.some((c) => c.id === 'kube-scheduler'), 'k0s binds the scheduler to loopback');
  });
});
