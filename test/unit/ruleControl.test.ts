import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/main';
import { applyRuleControl } from '../../server/src/engine/analysis/ruleControl';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import type { Finding } from '../../server/src/engine/core/findings';
import { codeActions } from '../../server/src/engine/features/codeActions';
import { completions } from '../../server/src/engine/features/completion';
import { hover } from '../../server/src/engine/features/hover';
import { applyEdits } from '../edits';
import { check, controlPlane, expectRule, inventory, ofRule, ROOT, spanOf, worker } from '../helpers';

const text = inventory(
  controlPlane('cp-1', 11).replace('        - port: 6443\n', '') + worker('w-1', 1).replace('        - port: 10256\n', ''),
);

describe('rule control: .cluster-preflight.yaml and disable comments', () => {
  it('gives rules levels by id or glob; later entries win; the nearest config applies', () => {
    const levels = check({
      'lab/inventory.yaml': text,
      '.cluster-preflight.yaml': 'rules:\n  missing-*: information\n  missing-port-rule: warning\n',
    })('lab/inventory.yaml');
    assert.deepEqual(
      levels.map((f) => `${f.ruleId} ${f.severity}`),
      ['missing-port-rule warning', 'missing-port-rule warning'],
    );
    const nearest = check({
      'lab/inventory.yaml': text,
      '.cluster-preflight.yaml': 'rules:\n  missing-port-rule: "off"\n',
      'lab/.cluster-preflight.yaml': 'rules:\n  missing-port-rule: error\n',
    })('lab/inventory.yaml');
    assert.deepEqual(
      nearest.map((f) => f.severity),
      ['error', 'error'],
    );
  });

  it('ignores the files its globs name: they are neither reported nor part of the cluster', () => {
    const vendored = inventory(worker('W_1', 5));
    const files = check({
      'inventory.yaml': text,
      'vendor/x/inventory.yaml': vendored,
      '.cluster-preflight.yaml': 'ignore:\n  - vendor/**\n',
    });
    assert.deepEqual(files('vendor/x/inventory.yaml'), []);
    assert.equal(files('inventory.yaml').length, 2);
  });

  it('editor overrides win over the project', () => {
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, text);
    workspace.setText(`${ROOT}.cluster-preflight.yaml`, 'rules:\n  missing-port-rule: warning\n');
    workspace.setRuleOverrides([['missing-port-rule', 'off']]);
    assert.deepEqual(workspace.findings(`${ROOT}inventory.yaml`), []);
  });

  it('validates the config file itself, and warns about a key that names no rule', () => {
    const config = 'rules:\n  missing-port-rules: "off"\n  etcd-quorum: loud\nignor: []\n';
    const findings = check({ '.cluster-preflight.yaml': config })('.cluster-preflight.yaml');
    expectRule(findings, 'schema', [
      {
        range: spanOf(config, 'missing-port-rules'),
        severity: 'warning',
        message: /"missing-port-rules" names no Cluster Preflight rule/,
      },
      { range: spanOf(config, 'loud'), severity: 'error', message: /must be one of off, hint, information, warning, error/ },
      { range: spanOf(config, 'ignor'), severity: 'error', message: /Unknown key "ignor".*Did you mean "ignore"\?/ },
    ]);
  });

  it('hovers and completes rule ids in the config file', () => {
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    const config = 'rules:\n  etcd-quorum: "off"\n  \n';
    workspace.setText(`${ROOT}.cluster-preflight.yaml`, config);
    workspace.findings(`${ROOT}.cluster-preflight.yaml`);
    const at = spanOf(config, 'etcd-quorum');
    const hovered = hover(workspace, `${ROOT}.cluster-preflight.yaml`, {
      line: at.start.line,
      character: at.start.character + 2,
    });
    assert.match(hovered!.markdown, /An even number of etcd members\. Default: warning\./);
    const list = completions(workspace, `${ROOT}.cluster-preflight.yaml`, { line: 2, character: 2 });
    const labels = list!.items.map((i) => i.label);
    assert.ok(labels.includes('missing-port-rule') && !labels.includes('etcd-quorum'), labels.join(','));
  });

  it('"Disable <id> for this line" writes a comment above, or adds the id to one already there', () => {
    const uri = `${ROOT}inventory.yaml`;
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(uri, text);
    const diagnostics = workspace
      .findings(uri)
      .map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight', data: f.data }));
    const disable = codeActions(workspace, uri, [diagnostics[0]]).find(
      (f) => f.title === 'Disable missing-port-rule for this line',
    )!;
    const once = applyEdits(text, disable.edits);
    assert.match(once, /\n {6}# cluster-preflight-disable-next-line missing-port-rule\n {6}firewall:\n {8}- port: 2379/);
    assert.deepEqual(ofRule(check({ 'inventory.yaml': once })('inventory.yaml'), 'missing-port-rule').length, 1);
    // Another rule on the same line adds its id to the existing comment, before its reason.
    const reasoned = once.replace(
      'cluster-preflight-disable-next-line missing-port-rule',
      'cluster-preflight-disable-next-line missing-port-rule -- why',
    );
    workspace.setText(uri, reasoned);
    const other = { range: spanOf(reasoned, 'firewall'), code: 'duplicate-mac', source: 'cluster-preflight' };
    const append = codeActions(workspace, uri, [other]).find((f) => f.title === 'Disable duplicate-mac for this line')!;
    assert.match(
      applyEdits(reasoned, append.edits),
      /\n {6}# cluster-preflight-disable-next-line missing-port-rule, duplicate-mac -- why\n {6}firewall:/,
    );
  });

  it('reads directives only from comments: not from a block scalar or a plain value in YAML; `;` only in INI (issue 18, item 8)', () => {
    const withNote = (note: string) => text.replace('  name: test\n', `  name: test\n${note}`);
    const missing = (files: Record<string, string>, name: string) =>
      check(files)(name).filter((f) => f.ruleId === 'missing-port-rule').length;
    assert.equal(missing({ 'inventory.yaml': text }, 'inventory.yaml'), 2);
    assert.equal(
      missing(
        { 'inventory.yaml': withNote('  annotations:\n    note: |\n      # cluster-preflight-disable-file\n') },
        'inventory.yaml',
      ),
      2,
      'a block scalar line is text',
    );
    assert.equal(
      missing({ 'inventory.yaml': withNote('  x: a ;cluster-preflight-disable-file\n') }, 'inventory.yaml'),
      2,
      '; in YAML',
    );
    assert.equal(
      missing({ 'inventory.yaml': withNote('  x: "a # cluster-preflight-disable-file"\n') }, 'inventory.yaml'),
      2,
      'quoted',
    );
    assert.equal(
      missing({ 'inventory.yaml': withNote('  x: a # cluster-preflight-disable-file\n') }, 'inventory.yaml'),
      0,
      'a comment',
    );
    assert.equal(
      missing({ 'inventory.yaml': `# cluster-preflight-disable-file missing-port-rule\n${text}` }, 'inventory.yaml'),
      0,
    );
    const ini =
      '[kube_control_plane]\ncp-1 ip=192.168.1.11\ncp-2 ip=192.168.1.11\n[etcd:children]\nkube_control_plane\n[kube_node]\ncp-1\n';
    const iniFindings = check({ 'hosts.ini': ini })('hosts.ini');
    assert.ok(iniFindings.length > 0, 'the INI inventory has findings to disable');
    assert.deepEqual(check({ 'hosts.ini': `; cluster-preflight-disable-file\n${ini}` })('hosts.ini'), []);
    assert.deepEqual(check({ 'hosts.ini': `# cluster-preflight-disable-file\n${ini}` })('hosts.ini'), []);
  });

  it('applies directives in time linear in findings + directives, and answers a repeat from its cache (issue 18, item 9)', () => {
    // n findings, each on its own line, and n directives: file-wide ones (naming other rules), and one per line.
    const build = (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++)
        lines.push(
          i % 2 ? `# cluster-preflight-disable-file duplicate-ip-${i}` : '# cluster-preflight-disable-line duplicate-mac',
        );
      const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
        ruleId: 'missing-port-rule',
        severity: 'error' as const,
        message: 'm',
        range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
      }));
      return { text: lines.join('\n') + '\n', findings };
    };
    const small = build(4000);
    const large = build(16000);
    const best = (input: { text: string; findings: Finding[] }, other: { text: string; findings: Finding[] }) => {
      let min = Infinity;
      for (let run = 0; run < 5; run++) {
        applyRuleControl([...other.findings], other.text, []); // another text: this one is read again
        const start = process.hrtime.bigint();
        const result = applyRuleControl([...input.findings], input.text, []);
        min = Math.min(min, Number(process.hrtime.bigint() - start));
        assert.equal(result.filter((f) => f.ruleId === 'missing-port-rule').length, input.findings.length);
      }
      return min;
    };
    const ratio = best(large, small) / best(small, large);
    // 4x the input: about 4x the time when linear, 16x when every finding looks at every directive.
    assert.ok(ratio < 12, `4x the findings and directives took ${ratio.toFixed(1)}x the time`);
    const first = applyRuleControl(large.findings, large.text, []);
    first.length = 0; // a caller's changes to its copy do not reach the cache
    assert.equal(applyRuleControl(large.findings, large.text, []).length, 16000 + 16000);
  });

  it('reports an ignore glob or rule key over 65,536 characters on the config, and runs the CLI on (issue 18, item 5)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-globs-'));
    writeFileSync(join(dir, 'inventory.yaml'), text);
    const long = (c: string) => `${c.repeat(70000)}*`;
    writeFileSync(join(dir, '.cluster-preflight.yaml'), `ignore:\n  - "${long('a')}"\nrules:\n  "${long('b')}": "off"\n`);
    let stdout = '';
    let stderr = '';
    const code = runCli(
      ['--format', 'json', dir],
      { write: (t: string) => (stdout += t) },
      { write: (t: string) => (stderr += t) },
    );
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const messages = (
      JSON.parse(stdout) as { diagnostics: Array<{ file: string; message: string; severity: string; code: string }> }
    ).diagnostics.map(
      (f) => `${f.file.slice(f.file.lastIndexOf('/') + 1)} ${f.severity} ${f.code} ${f.message.replace(/"(.)\1+…"/, '"$1…"')}`,
    );
    assert.ok(
      messages.includes(
        '.cluster-preflight.yaml error schema "a…" is not a valid glob (it is 70001 characters long, above the 65536 a glob may have), so it ignores nothing.',
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        m.startsWith('.cluster-preflight.yaml error schema "b…" is not a valid rule id glob (it is 70001 characters long'),
      ),
      messages.join('\n'),
    );
    assert.equal(
      messages.filter((m) => m.startsWith('inventory.yaml error missing-port-rule') || m.includes('has no firewall rule')).length,
      2,
    );
  });

  // The `!!seq [` and `&aN [` shapes pass once the shared nesting guard (core/yaml) sees tags and anchors.
  it('reads a deeply nested .cluster-preflight.yaml through the guarded reader: a finding, never a crash (issue 18, item 4)', () => {
    const cli = join(__dirname, '../../../dist/cli.js');
    let anchors = '';
    for (let i = 0; i < 5000; i++) anchors += `&a${i} [`;
    for (const [shape, config] of [
      ['[', `rules: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
      ['!!seq [', `rules: ${'!!seq ['.repeat(5000)}${']'.repeat(5000)}\n`],
      ['&aN [', `rules: ${anchors}${']'.repeat(5000)}\n`],
    ]) {
      const dir = mkdtempSync(join(tmpdir(), 'preflight-deep-config-'));
      writeFileSync(join(dir, 'inventory.yaml'), text);
      writeFileSync(join(dir, '.cluster-preflight.yaml'), config);
      // A child process: a crash here is the process's exit code, not the test run's end.
      const result = spawnSync(process.execPath, [cli, '--format', 'json', dir], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 1, `${shape}: exit ${result.status} ${result.signal ?? ''} ${result.stderr.slice(0, 300)}`);
      const findings = (JSON.parse(result.stdout) as { diagnostics: Array<{ file: string; code: string; message: string }> })
        .diagnostics;
      assert.ok(
        findings.some(
          (f) => f.file.endsWith('.cluster-preflight.yaml') && f.code === 'yaml-syntax' && /nests more than/.test(f.message),
        ),
        shape,
      );
      assert.equal(findings.filter((f) => f.code === 'missing-port-rule').length, 2, shape);
    }
  });

  it('reads 100,000 rule keys with one parse of the config, and applies the last key that matches (issue 18, item 5)', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `  rule-${i}: "off"\n`).join('');
    const config = `rules:\n  missing-*: "off"\n${keys}  missing-port-rule: error\n  no-such-*: warning\n`;
    const configUri = `${ROOT}.cluster-preflight.yaml`;
    // The module object itself (not an import binding), so that the spy sees what the engine calls.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parse = require('../../server/src/engine/core/yaml/parse');
    const original = parse.parseYaml;
    let configParses = 0;
    parse.parseYaml = (t: string) => (t.length >= config.length - 1 && configParses++, original(t));
    try {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      workspace.setText(`${ROOT}inventory.yaml`, text);
      workspace.setText(configUri, config);
      assert.deepEqual(
        workspace.findings(`${ROOT}inventory.yaml`).map((f) => `${f.ruleId} ${f.severity}`),
        ['missing-port-rule error', 'missing-port-rule error'],
      );
      const own = workspace.findings(configUri);
      assert.equal(own.length, 100_001);
      assert.deepEqual(own[0].range, { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } });
      assert.match(own[0].message, /^"rule-0" names no Cluster Preflight rule, so it changes nothing; /);
      assert.deepEqual(own[99_999].range, { start: { line: 100_001, character: 2 }, end: { line: 100_001, character: 12 } });
      assert.equal(own[100_000].message.slice(0, 46), '"no-such-*" names no Cluster Preflight rule, s');
      assert.equal(configParses, 1);
    } finally {
      parse.parseYaml = original;
    }
  });
});
