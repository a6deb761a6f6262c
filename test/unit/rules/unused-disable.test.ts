import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { check, controlPlane, expectRule, inventory, ofRule, ROOT, spanOf, worker } from '../../helpers';

/** cp-1 misses 6443 (missing-port-rule on its firewall key); w-1 and w-2 share a MAC. */
const base = inventory(
  controlPlane('cp-1', 11).replace('        - port: 6443\n', '') +
    worker('w-1', 1) +
    worker('w-2', 2).replace('52:54:00:00:01:02', '52:54:00:00:01:01'),
);
const findings = (text: string) => check({ 'inventory.yaml': text })('inventory.yaml');

describe('unused-disable', () => {
  it('disable-next-line, disable-line and disable-file silence the named rules only', () => {
    const nextLine = base.replace(
      '      firewall:\n        - port: 2379',
      '      # cluster-preflight-disable-next-line missing-port-rule\n      firewall:\n        - port: 2379',
    );
    assert.deepEqual(ofRule(findings(nextLine), 'missing-port-rule'), []);
    assert.equal(ofRule(findings(nextLine), 'duplicate-mac').length, 2);
    const sameLine = base.replace(
      '          mac: "52:54:00:00:01:01"\n          address: 192.168.1.102',
      '          mac: "52:54:00:00:01:01" # cluster-preflight-disable-line duplicate-mac\n          address: 192.168.1.102',
    );
    assert.equal(ofRule(findings(sameLine), 'duplicate-mac').length, 1);
    const file = `# cluster-preflight-disable-file duplicate-mac, missing-port-rule -- lab copy\n${base}`;
    assert.deepEqual(findings(file), []);
    const everything = `# cluster-preflight-disable-file\n${base}`;
    assert.deepEqual(findings(everything), []);
  });

  it('reports a directive that silences nothing, or names no rule, on the comment', () => {
    const text = base.replace(
      '    - hostname: w-1\n',
      '    # cluster-preflight-disable-next-line etcd-quorum, duplicate-mack\n    - hostname: w-1\n',
    );
    expectRule(findings(text), 'unused-disable', [
      {
        range: { start: spanOf(text, '# cluster-preflight-disable-next-line').start, end: spanOf(text, 'duplicate-mack').end },
        severity: 'information',
        message:
          /^This disable comment suppresses nothing: "duplicate-mack" is not a Cluster Preflight rule; etcd-quorum reports nothing on the next line\./,
      },
    ]);
  });

  it('can itself be turned off in the project config', () => {
    const text = `# cluster-preflight-disable-file etcd-quorum\n${base}`;
    const quiet = check({ 'inventory.yaml': text, '.cluster-preflight.yaml': 'rules:\n  unused-disable: "off"\n' })(
      'inventory.yaml',
    );
    assert.deepEqual(ofRule(quiet, 'unused-disable'), []);
  });

  it('a comment typed key by key in the editor takes effect (only the lines an edit touches are looked at)', () => {
    const uri = `${ROOT}inventory.yaml`;
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(uri, base);
    assert.equal(ofRule(workspace.findings(uri), 'duplicate-mac').length, 2);
    const line = spanOf(base, '"52:54:00:00:01:01"', 1).start.line;
    const comment = '          # cluster-preflight-disable-next-line duplicate-mac\n';
    for (let i = 0; i < comment.length; i++) {
      workspace.applyChanges(uri, [{ range: { start: { line, character: i }, end: { line, character: i } }, text: comment[i] }]);
      workspace.findings(uri);
    }
    assert.equal(ofRule(workspace.findings(uri), 'duplicate-mac').length, 1);
  });
});
