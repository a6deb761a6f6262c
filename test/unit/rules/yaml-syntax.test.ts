import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

describe('yaml-syntax', () => {
  it('reports duplicate keys on the parser range', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('      roles: [control-plane]\n', '      roles: [control-plane]\n      roles: [worker]\n'),
    );
    // The parser's own range: the first character of the repeated key.
    const key = spanOf(text, 'roles', 1);
    expectRule(findingsOf(text), 'yaml-syntax', [
      {
        range: { start: key.start, end: { line: key.start.line, character: key.start.character + 1 } },
        message: /Map keys must be unique/,
      },
    ]);
  });
  it('explains tab indentation', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('      roles: [control-plane]', '\troles: [control-plane]'));
    const findings = ofRule(findingsOf(text), 'yaml-syntax');
    assert.ok(findings.length > 0);
    assert.ok(
      findings.some((f) => /tabs/.test(f.message)),
      findings.map((f) => f.message).join('\n'),
    );
  });
  it('keeps checking the other nodes of a large inventory when one node is broken', () => {
    const text = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1).replace('roles: [worker]', 'roles: [worker') + worker('Bad_Name', 2),
    );
    const findings = findingsOf(text);
    assert.ok(ofRule(findings, 'yaml-syntax').length > 0);
    expectRule(findings, 'invalid-hostname', [{ range: spanAfter(text, 'hostname: ', 'Bad_Name') }]);
  });

  it('refuses nesting deeper than the parser can take, at the same place every time', () => {
    const text = `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    const first = findingsOf(text);
    expectRule(first, 'yaml-syntax', [
      {
        range: { start: { line: 2, character: 405 }, end: { line: 2, character: 406 } },
        message: /^This document nests more than 400 levels deep here; it was not checked\.$/,
      },
    ]);
    assert.deepEqual(findingsOf(text), first);
  });
  it('reports a kubeadm file that is not valid YAML (banner lines instead of ---)', () => {
    const text =
      '----------- InitConfiguration -----------\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n----------- ClusterConfiguration -----------\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n';
    const findings = findingsOf(text, 'kubeadm.yaml');
    assert.ok(ofRule(findings, 'yaml-syntax').length > 0, JSON.stringify(findings));
  });
});
