import * as assert from 'node:assert/strict';
import { parseYaml } from '../../server/src/engine/core/yaml/parse';
import { LineIndex } from '../../server/src/engine/core/text/lineIndex';
import { check, controlPlane, findingsOf, inventory, ofRule } from '../helpers';

/**
 * An inventory whose metadata has `count` labels "    l-<i>: v", the one in the middle re-indented to
 * `indent` spaces: every label line after it continues the scalar of the one before and opens a mapping
 * inside it, so the parser reads the document nested one level deeper per line.
 */
function reindentedLabel(count: number, indent: number): { text: string; reindentedLine: number } {
  const labels = Array.from({ length: count }, (_, i) => `    l-${i}: v`);
  const middle = count / 2;
  labels[middle] = `${' '.repeat(indent)}l-${middle}: v`;
  const head = 'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: x\n  labels:\n';
  return { text: `${head}${labels.join('\n')}\nspec:\n  nodes: []\n`, reindentedLine: 5 + middle };
}

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
  it('reads 40,000 labels with one re-indented to 1 or 2 spaces as a syntax error, not a stack overflow (npm run fuzz, seed 1)', () => {
    for (const indent of [1, 2]) {
      const small = reindentedLabel(100, indent);
      const large = reindentedLabel(40_000, indent);
      assert.doesNotThrow(() => parseYaml(large.text));
      // Another document of the file, and another file, keep their findings.
      const other = `${inventory(controlPlane('cp-1', 11)).replace('hostname: cp-1', 'hostname: CP_1')}`;
      const files = check({ 'labels.yaml': `${large.text}---\n${other}`, 'other.yaml': other });
      const findings = files('labels.yaml');
      assert.deepEqual(ofRule(findings, 'internal-error'), []);
      const syntax = ofRule(findings, 'yaml-syntax');
      // The same errors as with 100 labels, from the re-indented line on, each line one mapping deeper
      // (on the lines after it: the columns differ with the length of the labels' numbers)...
      const relative = (f: { range: { start: { line: number } }; message: string }, line: number) =>
        `${f.range.start.line - line} ${f.message}`;
      const smallSyntax = ofRule(findingsOf(small.text), 'yaml-syntax');
      assert.equal(smallSyntax[0].range.start.line, small.reindentedLine);
      assert.deepEqual(
        syntax.slice(0, 6).map((f) => relative(f, large.reindentedLine)),
        smallSyntax.slice(0, 6).map((f) => relative(f, small.reindentedLine)),
      );
      // ...until the parser's nesting passes the limit, some 400 lines further: the rest is not checked.
      const last = syntax[syntax.length - 1];
      assert.equal(last.message, 'This document nests more than 400 levels deep here; it was not checked.');
      assert.ok(last.range.start.line > large.reindentedLine + 390 && last.range.start.line < large.reindentedLine + 410);
      assert.ok(syntax.every((f) => f.severity === 'error' && f.range.start.line <= last.range.start.line));
      const otherStart = new LineIndex(large.text).lineCount;
      const hostnames = (list: typeof findings, offset: number) =>
        ofRule(list, 'invalid-hostname').map((f) => f.range.start.line - offset);
      assert.deepEqual(hostnames(findings, otherStart), hostnames(files('other.yaml'), 0));
      assert.equal(hostnames(findings, otherStart).length, 1);
    }
  });
});
