import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, worker } from '../../helpers';

describe('duplicate-hostname', () => {
  it('reports every occurrence, case-insensitively, each pointing at the others', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('Worker-1', 1) + worker('worker-1', 2));
    const findings = findingsOf(text);
    expectRule(findings, 'duplicate-hostname', [
      { range: spanAfter(text, 'hostname: ', 'Worker-1'), message: /Hostname "Worker-1" and "worker-1" is used by 2 nodes/ },
      { range: spanAfter(text, 'hostname: ', 'worker-1') },
    ]);
    const [first, second] = ofRule(findings, 'duplicate-hostname');
    assert.deepEqual(
      first.related?.map((r) => r.range),
      [spanAfter(text, 'hostname: ', 'worker-1')],
    );
    assert.deepEqual(
      second.related?.map((r) => r.range),
      [spanAfter(text, 'hostname: ', 'Worker-1')],
    );
  });
});
