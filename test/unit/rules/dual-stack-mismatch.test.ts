import * as assert from 'node:assert/strict';
import { check, expectRule, ofRule, spanOf } from '../../helpers';

const cidrs = 'cluster-cidr: 10.42.0.0/16,fd00:42::/56\nservice-cidr: 10.43.0.0/16,fd00:43::/112\n';
const findingsOf = (text: string) => check({ 'rke2/server-1/config.yaml': text })('rke2/server-1/config.yaml');

describe('dual-stack-mismatch', () => {
  it('reports node-ip listing the families in the other order, on node-ip', () => {
    const text = `token: secret\ncni: canal\n${cidrs}node-ip: fd00::11,10.0.0.11\n`;
    const findings = findingsOf(text);
    expectRule(findings, 'dual-stack-mismatch', [
      { range: spanOf(text, 'fd00::11,10.0.0.11'), message: /node-ip lists IPv6, IPv4, but cluster-cidr lists IPv4, IPv6/ },
    ]);
    assert.equal(ofRule(findings, 'dual-stack-mismatch')[0].related?.[0].message, 'cluster-cidr: 10.42.0.0/16,fd00:42::/56');
  });

  it('reports a single-stack service-cidr in a dual-stack cluster', () => {
    const text = 'token: secret\ncni: canal\ncluster-cidr: 10.42.0.0/16,fd00:42::/56\nservice-cidr: 10.43.0.0/16\n';
    expectRule(findingsOf(text), 'dual-stack-mismatch', [{ range: spanOf(text, '10.43.0.0/16') }]);
  });

  it('accepts matching families, in a list or comma-separated, and single-stack configs', () => {
    for (const text of [
      `token: secret\ncni: canal\n${cidrs}node-ip: 10.0.0.11,fd00::11\n`,
      `token: secret\ncni: canal\n${cidrs}node-ip:\n  - 10.0.0.11\n  - fd00::11\n`,
      'token: secret\ncni: canal\ncluster-cidr: 10.42.0.0/16\nnode-ip: 10.0.0.11\n',
    ]) {
      assert.deepEqual(ofRule(findingsOf(text), 'dual-stack-mismatch'), [], text);
    }
  });
});
