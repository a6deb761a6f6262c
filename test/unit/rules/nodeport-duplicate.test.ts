import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, ROOT, service, spanAfter } from '../../helpers';

describe('nodeport-duplicate', () => {
  it('reports the same nodePort in two Services of one file, on every occurrence', () => {
    const text = `${service('web', [30080])}---\n${service('api', [30081], [30080])}`;
    const findings = check({ 'svc.yaml': text })('svc.yaml');
    expectRule(findings, 'nodeport-duplicate', [
      {
        range: spanAfter(text, 'nodePort: ', '30080', 0),
        message: /nodePort 30080 of Service shop\/web is also requested by Service shop\/api; provided port is already allocated/,
      },
      { range: spanAfter(text, 'nodePort: ', '30080', 1) },
    ]);
  });
  it('allows one nodePort for two protocols of the same Service, not for the same protocol', () => {
    const dns = service('dns', [30053, 'UDP'], [30053, 'TCP']);
    assert.deepEqual(ofRule(check({ 'svc.yaml': dns })('svc.yaml'), 'nodeport-duplicate'), []);
    const twice = service('dns', [30053], [30053]);
    assert.equal(ofRule(check({ 'svc.yaml': twice })('svc.yaml'), 'nodeport-duplicate').length, 2);
  });
  it('spans the Service files of one cluster and points across files', () => {
    const a = service('web', [30080]);
    const b = service('api', [30080]);
    const findingsOf = check({ 'inventory.yaml': inventory(controlPlane('cp-1', 11)), 'a/svc.yaml': a, 'b/svc.yaml': b });
    const findings = ofRule(findingsOf('a/svc.yaml'), 'nodeport-duplicate');
    assert.equal(findings.length, 1);
    assert.deepEqual(
      findings[0].related?.map((r) => r.uri),
      [`${ROOT}b/svc.yaml`],
    );
  });
  it('does not compare Services of different clusters', () => {
    const findingsOf = check({
      'one/inventory.yaml': inventory(controlPlane('cp-1', 11)),
      'one/svc.yaml': service('web', [30080]),
      'two/inventory.yaml': inventory(controlPlane('cp-2', 12)),
      'two/svc.yaml': service('web', [30080]),
    });
    assert.deepEqual(ofRule(findingsOf('one/svc.yaml'), 'nodeport-duplicate'), []);
  });

  it('does not count nodePort 0 (unset) twice', () => {
    const text = service('web', [0], [0]);
    assert.deepEqual(ofRule(check({ 'svc.yaml': text })('svc.yaml'), 'nodeport-duplicate'), []);
  });
});
