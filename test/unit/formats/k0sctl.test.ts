import * as assert from 'node:assert/strict';
import { hover } from '../../../server/src/engine/features/hover';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { check, expectRule, ofRule, ROOT, spanOf } from '../../helpers';

/** A k0sctl file with the given hosts (each a YAML list item indented for spec.hosts) and k0s config spec. */
function k0sctl(hosts: string, configSpec = ''): string {
  return (
    'apiVersion: k0sctl.k0sproject.io/v1beta1\nkind: Cluster\nmetadata:\n  name: lab\nspec:\n  hosts:\n' +
    hosts +
    (configSpec ? `  k0s:\n    version: v1.31.2+k0s.0\n    config:\n      spec:\n${configSpec}` : '')
  );
}
const host = (role: string, address: string, extra = '') =>
  `    - role: ${role}\n      ssh:\n        address: ${address}\n${extra}`;

const findings = (text: string, name = 'k0sctl.yaml') => check({ [name]: text })(name);

describe('k0sctl files', () => {
  it('a clean three-controller file with a load balancer address has no findings', () => {
    const text = k0sctl(
      host('controller', '10.0.0.11') +
        host('controller', '10.0.0.12') +
        host('controller', '10.0.0.13') +
        host('worker', '10.0.0.21'),
      '        api:\n          externalAddress: k0s.lab.example.net\n',
    );
    assert.deepEqual(findings(text), []);
  });

  it('reports two hosts with one address, naming them by their connection address', () => {
    const text = k0sctl(host('controller', '10.0.0.11') + host('worker', '203.0.113.9', '      privateAddress: 10.0.0.11\n'));
    expectRule(findings(text), 'duplicate-ip', [
      { range: spanOf(text, '10.0.0.11'), message: /host 10\.0\.0\.11, host 203\.0\.113\.9/ },
      { range: spanOf(text, '10.0.0.11', 1) },
    ]);
  });

  it('one address with different SSH ports is port forwarding to different machines, not a duplicate', () => {
    const text = k0sctl(
      host('controller', '127.0.0.1', '        port: 9022\n') + host('worker', '127.0.0.1', '        port: 9023\n'),
    );
    assert.deepEqual(ofRule(findings(text), 'duplicate-ip'), []);
  });

  it('warns on several controllers without an external address or load balancing, on the hosts key', () => {
    const hosts = host('controller', '10.0.0.11') + host('controller+worker', '10.0.0.12');
    const text = k0sctl(hosts);
    expectRule(findings(text), 'missing-control-plane-endpoint', [
      {
        range: spanOf(text, 'hosts'),
        severity: 'warning',
        message: /has 2 controllers, but no spec\.k0s\.config\.spec\.api\.externalAddress/,
      },
    ]);
    for (const balanced of [
      '        network:\n          nodeLocalLoadBalancing:\n            enabled: true\n',
      '        network:\n          controlPlaneLoadBalancing:\n            enabled: true\n',
    ]) {
      assert.deepEqual(ofRule(findings(k0sctl(hosts, balanced)), 'missing-control-plane-endpoint'), [], balanced);
    }
  });

  it("reads a ClusterConfig document in the k0sctl file as the cluster's spec.k0s.config", () => {
    // k0sctl (since v0.22.0) takes a second document of kind ClusterConfig in the same file as spec.k0s.config.
    const clusterConfig = (spec: string) =>
      `---\napiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: lab\nspec:\n${spec}`;
    const hosts = host('controller', '10.0.0.11') + host('controller', '10.0.0.12') + host('worker', '10.0.0.21');
    const three = host('controller', '10.0.0.13') + hosts;
    const balanced =
      k0sctl(three) + clusterConfig('  network:\n    provider: calico\n    nodeLocalLoadBalancing:\n      enabled: true\n');
    assert.deepEqual(findings(balanced), []);
    // Its storage decides who runs etcd: two controllers on kine are no even etcd membership.
    const kine = k0sctl(hosts) + clusterConfig('  api:\n    externalAddress: k0s.lab.example.net\n  storage:\n    type: kine\n');
    assert.deepEqual(findings(kine), []);
    // Without it the warnings stand; editing only that document (the k0sctl document's text unchanged) brings them back.
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(ROOT + 'k0sctl.yaml', balanced);
    assert.deepEqual(ofRule(workspace.findings(ROOT + 'k0sctl.yaml'), 'missing-control-plane-endpoint'), []);
    const unbalanced = balanced.replace('enabled: true', 'enabled: false');
    workspace.setText(ROOT + 'k0sctl.yaml', unbalanced);
    expectRule(workspace.findings(ROOT + 'k0sctl.yaml'), 'missing-control-plane-endpoint', [
      { range: spanOf(unbalanced, 'hosts'), severity: 'warning' },
    ]);
  });

  it('counts etcd members among controllers, and none when k0s keeps its state in kine', () => {
    const two = host('controller', '10.0.0.11') + host('controller', '10.0.0.12');
    const lb = '        api:\n          externalAddress: k0s.lab.example.net\n';
    const text = k0sctl(two, lb);
    expectRule(findings(text), 'etcd-quorum', [{ range: spanOf(text, 'hosts'), severity: 'warning' }]);
    assert.deepEqual(ofRule(findings(k0sctl(two, lb + '        storage:\n          type: kine\n')), 'etcd-quorum'), []);
    // A worker-only file has no control plane at all.
    const workers = k0sctl(host('worker', '10.0.0.21'));
    expectRule(findings(workers), 'no-control-plane', [{ range: spanOf(workers, 'hosts') }]);
  });

  it('reports the API server moved onto a port k0s itself uses', () => {
    const text = k0sctl(host('single', '10.0.0.11'), '        api:\n          port: 8132\n');
    expectRule(findings(text), 'port-conflict', [{ range: spanOf(text, '8132'), message: /konnectivity/i }]);
  });

  it('checks the embedded k0s config: overlapping networks, unknown keys (a warning), wrong types (an error)', () => {
    const text = k0sctl(
      host('single', '10.0.0.11'),
      '        network:\n          podCIDR: 10.96.0.0/16\n          serviceCIDR: 10.96.0.0/12\n          flannel: {}\n        api:\n          port: "x"\n',
    );
    const all = findings(text);
    expectRule(all, 'cidr-overlap', [{ range: spanOf(text, '10.96.0.0/16') }, { range: spanOf(text, '10.96.0.0/12') }]);
    expectRule(all, 'schema', [
      { range: spanOf(text, 'flannel'), severity: 'warning', message: /Unknown key "flannel".*k0s ignores it/ },
      { range: spanOf(text, '"x"'), severity: 'error' },
    ]);
  });

  it('reports a host role k0sctl does not know', () => {
    const text = k0sctl(host('controler', '10.0.0.11'));
    expectRule(findings(text), 'schema', [{ range: spanOf(text, 'controler'), message: /must be one of controller, worker/ }]);
  });

  it('a k0s ClusterConfig on its own is checked too, and an empty value is no type error', () => {
    const text =
      'apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nmetadata:\n  name: k0s\nspec:\n  api:\n    sans:\n  network:\n    podCIDR: 10.244.0.0/16\n    serviceCIDR: 10.244.0.0/24\n';
    expectRule(findings(text, 'k0s.yaml'), 'cidr-overlap', [
      { range: spanOf(text, '10.244.0.0/16') },
      { range: spanOf(text, '10.244.0.0/24') },
    ]);
    assert.deepEqual(ofRule(findings(text, 'k0s.yaml'), 'schema'), []);
  });

  it('hovers explain a host role and a k0s config key', () => {
    const text = k0sctl(host('controller+worker', '10.0.0.11'), '        api:\n          k0sApiPort: 9443\n');
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(ROOT + 'k0sctl.yaml', text);
    workspace.findings(ROOT + 'k0sctl.yaml');
    const at = (range: ReturnType<typeof spanOf>) => ({ line: range.start.line, character: range.start.character + 1 });
    const role = hover(workspace, ROOT + 'k0sctl.yaml', at(spanOf(text, 'controller+worker')));
    assert.match(role!.markdown, /treats this host as control-plane, worker, etcd/);
    const key = hover(workspace, ROOT + 'k0sctl.yaml', at(spanOf(text, 'k0sApiPort')));
    assert.match(key!.markdown, /k0sApiPort/);
    assert.match(key!.markdown, /9443/);
  });
});
