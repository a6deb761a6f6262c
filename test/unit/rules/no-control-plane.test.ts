import * as assert from 'node:assert/strict';
import { expectRule, findingsOf, inventory, ofRule, spanOf, worker } from '../../helpers';

describe('no-control-plane', () => {
  it('reports an inventory without control-plane nodes on the nodes key', () => {
    const text = inventory(worker('w-1', 1));
    expectRule(findingsOf(text), 'no-control-plane', [
      { range: spanOf(text, 'nodes'), message: /1 node but none with role control-plane/ },
    ]);
  });
  it('waits while a node item has a syntax error (its roles may be half-typed)', () => {
    const text = inventory(worker('w-1', 1) + '    - hostname: w-2\n      roles: [control-pl\n');
    const findings = findingsOf(text);
    assert.deepEqual(ofRule(findings, 'no-control-plane'), []);
    assert.ok(ofRule(findings, 'yaml-syntax').length > 0);
  });
});
