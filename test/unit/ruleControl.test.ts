import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/analysis/workspace';
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
});
