import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanOf, worker } from '../../helpers';

describe('the inventory as a whole', () => {
  it('a complete inventory passes clean', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('worker-1', 1) + worker('worker-2', 2));
    assert.deepEqual(findingsOf(text), []);
  });

  it('a whole-parsed inventory (flow style, aliases) gets the same rules', () => {
    const text = [
      'apiVersion: cluster-preflight/v1alpha1',
      'kind: Inventory',
      'x-ports: &ports',
      '  - port: 10250',
      'spec:',
      '  nodes:',
      '    - {hostname: w-1, roles: [worker], interfaces: [{name: eth0, mac: "52:54:00:00:01:01", address: 10.0.0.1}], firewall: *ports}',
      '',
    ].join('\n');
    const findings = findingsOf(text);
    expectRule(findings, 'schema', [{ range: spanOf(text, 'x-ports'), message: /Unknown key "x-ports"/ }]);
    assert.deepEqual(
      ofRule(findings, 'missing-port-rule').map((f) => f.message.replace(/.*admitting /, '')),
      ['10256/TCP (kube-proxy health check).', '30000-32767/TCP (NodePort Services).'],
    );
  });
});
