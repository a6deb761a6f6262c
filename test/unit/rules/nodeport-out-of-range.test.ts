import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ROOT, service, spanAfter, worker } from '../../helpers';

describe('nodeport-out-of-range', () => {
  it('mirrors the API server message on the nodePort value', () => {
    const text = service('web', [8080], [30080]);
    const findings = check({ 'svc.yaml': text })('svc.yaml');
    expectRule(findings, 'nodeport-out-of-range', [
      {
        range: spanAfter(text, 'nodePort: ', '8080'),
        message:
          /^nodePort 8080 of Service shop\/web: provided port is not in the valid range\. The range of valid ports is 30000-32767\.$/,
      },
    ]);
  });
  it("uses the inventory's nodePortRange of the same cluster and points at it", () => {
    const inv = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1).replace('30000-32767', '31000-31999'),
      '  nodePortRange: 31000-31999\n',
    );
    const svc = service('web', [30080], [31080]);
    const findingsOf = check({ 'inventory.yaml': inv, 'apps/svc.yaml': svc, 'file:///elsewhere/svc.yaml': svc });
    const findings = findingsOf('apps/svc.yaml');
    expectRule(findings, 'nodeport-out-of-range', [
      {
        range: spanAfter(svc, 'nodePort: ', '30080'),
        message: /range of valid ports is 31000-31999 \(the inventory's spec\.nodePortRange\)/,
      },
    ]);
    assert.deepEqual(findings[0].related, [
      {
        uri: `${ROOT}inventory.yaml`,
        range: spanAfter(inv, 'nodePortRange: ', '31000-31999'),
        message: 'NodePort range 31000-31999 set here',
      },
    ]);
    // Outside the inventory's directory tree is another cluster, with the default range.
    assert.deepEqual(findingsOf('file:///elsewhere/svc.yaml'), []);
  });

  it('treats nodePort 0 and null as unset (the API server allocates one)', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: ClusterIP\n  ports:\n    - port: 80\n      nodePort: 0\n    - port: 81\n      nodePort: null\n';
    assert.deepEqual(check({ 'svc.yaml': text })('svc.yaml'), []);
  });
});
