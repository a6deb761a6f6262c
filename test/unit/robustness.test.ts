import * as assert from 'node:assert/strict';
import { check, controlPlane, findingsOf, inventory, ofRule } from '../helpers';

describe('files that are not ours, and bad input', () => {
  it('reports nothing on unrelated YAML, even broken', () => {
    assert.deepEqual(findingsOf('name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n', 'ci.yaml'), []);
    assert.deepEqual(findingsOf('foo: [unclosed\n  bar: {\n', 'broken.yaml'), []);
    assert.deepEqual(findingsOf('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: x\n', 'deploy.yaml'), []);
  });
  it('treats Helm and Jinja templates as not ours', () => {
    const helm = 'apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - nodePort: {{ .Values.nodePort }}\n';
    assert.deepEqual(findingsOf(helm, 'svc.yaml'), []);
  });
  it('survives binary junk in a .yaml file', () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    assert.deepEqual(findingsOf(junk, 'junk.yaml'), []);
    assert.deepEqual(
      findingsOf(`apiVersion: v1\nkind: Service\n${junk}`, 'junk2.yaml').every((f) => f.ruleId === 'yaml-syntax'),
      true,
    );
  });
  it('stops an alias bomb with a clear diagnostic, fast', () => {
    const bomb = [
      'apiVersion: cluster-preflight/v1alpha1',
      'kind: Inventory',
      'x: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'y: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'w: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'v: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'u: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'spec:',
      '  nodes: [*f]',
      '',
    ].join('\n');
    const started = Date.now();
    const findings = findingsOf(bomb);
    assert.ok(Date.now() - started < 5000);
    assert.ok(
      ofRule(findings, 'yaml-syntax').some((f) => /alias/i.test(f.message)),
      JSON.stringify(findings.map((f) => f.message)),
    );
  });
  it('reports a half-typed node without losing the rest', () => {
    const text = inventory(controlPlane('cp-1', 11) + '    - hostname: w-\n      roles: [wor\n');
    const findings = findingsOf(text);
    assert.ok(ofRule(findings, 'yaml-syntax').length > 0);
    assert.deepEqual(ofRule(findings, 'missing-port-rule'), []);
  });
  it('checks every recognised document of a multi-document file and nothing else', () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: x\n---\n${inventory(controlPlane('CP-1', 11))}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n    - nodePort: 80\n`;
    const findings = findingsOf(text, 'all.yaml');
    assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['invalid-hostname', 'nodeport-out-of-range']);
  });
  it('handles a 10 MB paste of unrelated YAML quickly', () => {
    const big = 'items:\n' + '  - name: x\n    value: y\n'.repeat(400_000);
    const started = Date.now();
    assert.deepEqual(check({ 'values.yaml': big })('values.yaml'), []);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});
