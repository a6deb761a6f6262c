import * as assert from 'node:assert/strict';
import { RULES } from '../../../server/src/engine/rules/catalogue';
import type { Rule } from '../../../server/src/engine/rules/types';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { check, controlPlane, inventory, ofRule, ROOT, service, spanAfter, worker } from '../../helpers';

/** Replaces one hook of a rule for the duration of `body`. */
function sabotaged<K extends 'checkNode' | 'checkNodes' | 'checkCluster'>(
  id: string,
  hook: K,
  replacement: Rule[K],
  body: () => void,
): void {
  const rule = RULES.find((r) => r.meta.id === id)!;
  const original = rule[hook];
  rule[hook] = replacement;
  try {
    body();
  } finally {
    rule[hook] = original;
  }
}

describe('internal-error', () => {
  const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1).replace('        - port: 10256\n', ''));

  it('turns a node check that throws into one finding per node, and every other rule still reports', () => {
    sabotaged(
      'invalid-mac',
      'checkNode',
      () => {
        throw new Error('boom');
      },
      () => {
        const findings = check({ 'inventory.yaml': text })('inventory.yaml');
        const errors = ofRule(findings, 'internal-error');
        assert.equal(errors.length, 2);
        assert.match(
          errors[0].message,
          /The invalid-mac check failed on this file \(boom\)\. This is a bug in Cluster Preflight/,
        );
        assert.equal(ofRule(findings, 'missing-port-rule').length, 1, 'the other rules still ran');
      },
    );
  });

  it("logs the stack and keeps a cluster check failure to one finding on the cluster's first file", () => {
    sabotaged(
      'nodeport-out-of-range',
      'checkCluster',
      () => {
        throw new TypeError('cannot read that');
      },
      () => {
        const logged: string[] = [];
        const workspace = new Workspace({ log: (message) => logged.push(message) });
        workspace.setRoots([ROOT]);
        workspace.setText(`${ROOT}inventory.yaml`, text);
        workspace.setText(`${ROOT}svc.yaml`, service('web', [8080]));
        const inventoryFindings = workspace.findings(`${ROOT}inventory.yaml`);
        assert.deepEqual(
          ofRule(inventoryFindings, 'internal-error').map((f) => [f.range.start, f.message]),
          [
            [
              { line: 0, character: 0 },
              'The nodeport-out-of-range check failed on this file (cannot read that). This is a bug in Cluster Preflight, not in the file; please report it.',
            ],
          ],
        );
        assert.equal(ofRule(inventoryFindings, 'missing-port-rule').length, 1);
        assert.deepEqual(workspace.findings(`${ROOT}svc.yaml`), []);
        assert.equal(logged.length, 1);
        assert.match(
          logged[0],
          /^rule nodeport-out-of-range failed on file:\/\/\/cluster\/inventory\.yaml: TypeError: cannot read that\n\s+at /,
        );
      },
    );
  });

  it('places a failing cross-node check on the nodes key', () => {
    sabotaged(
      'duplicate-hostname',
      'checkNodes',
      {
        reads: ['hostname'],
        check() {
          throw new Error('no');
        },
      },
      () => {
        const findings = check({ 'inventory.yaml': text })('inventory.yaml');
        assert.deepEqual(
          ofRule(findings, 'internal-error').map((f) => f.range),
          [spanAfter(text, '  ', 'nodes')],
        );
      },
    );
  });
});
