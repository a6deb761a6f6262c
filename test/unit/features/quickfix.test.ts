import * as assert from 'node:assert/strict';
import { codeActions, fixAll } from '../../../server/src/engine/features/codeActions';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { applyEdits } from '../../edits';
import { controlPlane, inventory, ofRule, ROOT, worker } from '../../helpers';
import { RULES } from '../../../server/src/engine/rules/catalogue';
import { missingPortRule } from '../../../server/src/engine/rules/missing-port-rule';

const URI = `${ROOT}inventory.yaml`;

function fixesFor(text: string) {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  workspace.setText(URI, text);
  const findings = workspace.findings(URI);
  const diagnostics = ofRule(findings, 'missing-port-rule').map((f) => ({
    range: f.range,
    code: f.ruleId,
    source: 'cluster-preflight',
    data: f.data,
  }));
  return { diagnostics, fixes: codeActions(workspace, URI, diagnostics) };
}

function missingAfter(text: string): string[] {
  const workspace = new Workspace();
  workspace.setText(URI, text);
  return ofRule(workspace.findings(URI), 'missing-port-rule').map((f) => f.message);
}

describe('quick-fixes for missing-port-rule', () => {
  it('offers one fix per missing port and one for all of them', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '').replace('        - port: 10259\n', ''));
    const { fixes } = fixesFor(text);
    assert.deepEqual(
      fixes.map((f) => f.title),
      [
        'Add all 2 missing port rules to cp-1',
        'Add firewall rule 6443/TCP (Kubernetes API server) to cp-1',
        'Add firewall rule 10259/TCP (kube-scheduler) to cp-1',
        'Disable missing-port-rule for this line',
      ],
    );
  });

  it('appends to a block list in its style and keeps every other byte', () => {
    const text = inventory(
      controlPlane('cp-1', 11)
        .replace('        - port: 6443\n', '')
        .replace('        - port: 10250\n', '        - port: 10250   # kubelet\n          comment: kubelet API\n'),
    ).replace('spec:\n', '# cluster of the lab\nspec:\n');
    const { fixes } = fixesFor(text);
    const fix = fixes.find((f) => f.title.startsWith('Add firewall rule 6443'))!;
    const fixed = applyEdits(text, fix.edits);
    assert.equal(
      fixed,
      text.replace(
        '        - port: 10259\n',
        '        - port: 10259\n        - port: 6443\n          comment: Kubernetes API server\n',
      ),
    );
    assert.deepEqual(missingAfter(fixed), []);
  });

  it('creates the firewall list when the node has none, indented like its other lists', () => {
    const node = worker('w-1', 1).replace(/      firewall:\n(        - port: .*\n)+/, '');
    const text = inventory(controlPlane('cp-1', 11) + node + controlPlane('cp-2', 12).replace(/\n$/, '\n    # end of nodes\n'));
    const { fixes } = fixesFor(text);
    const all = fixes.find((f) => f.title === 'Add all 3 missing port rules to w-1')!;
    const fixed = applyEdits(text, all.edits);
    assert.equal(
      fixed,
      text.replace(
        '          address: 192.168.1.101/24\n',
        '          address: 192.168.1.101/24\n      firewall:\n        - port: 10250\n          protocol: TCP\n          comment: Kubelet API\n        - port: 10256\n          protocol: TCP\n          comment: kube-proxy health check\n        - port: 30000-32767\n          protocol: TCP\n          comment: NodePort Services\n',
      ),
    );
    assert.ok(missingAfter(fixed).every((m) => !m.includes('"w-1"')));
  });

  it('turns an empty flow list into a block list, keeping its comment', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace(/      firewall:\n(        - port: .*\n)+/, '      firewall: []  # to do\n'),
    );
    const { fixes } = fixesFor(text);
    const fixed = applyEdits(text, fixes.find((f) => f.title.startsWith('Add all'))!.edits);
    assert.match(
      fixed,
      /      firewall:  # to do\n        - port: 6443\n          protocol: TCP\n          comment: Kubernetes API server\n/,
    );
    assert.deepEqual(missingAfter(fixed), []);
  });

  it('appends to a flow list in flow style', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace(
        /      firewall:\n(        - port: .*\n)+/,
        '      firewall: [{port: 6443}, {port: "2379-2380"}, {port: 10250}]\n',
      ),
    );
    const { fixes } = fixesFor(text);
    const fixed = applyEdits(text, fixes.find((f) => f.title.startsWith('Add all'))!.edits);
    assert.match(
      fixed,
      /firewall: \[\{port: 6443\}, \{port: "2379-2380"\}, \{port: 10250\}, \{port: 10259\}, \{port: 10257\}\]\n/,
    );
    assert.deepEqual(missingAfter(fixed), []);
  });

  it('adds only the missing part of a range, quoted like the existing ranges', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1).replace('port: 30000-32767', 'port: "30000-30999"'));
    const { fixes } = fixesFor(text);
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Add firewall rule 31000-32767/TCP (NodePort Services) to w-1', 'Disable missing-port-rule for this line'],
    );
    const fixed = applyEdits(text, fixes[0].edits);
    assert.match(fixed, /        - port: "30000-30999"\n        - port: "31000-32767"\n/);
    assert.deepEqual(missingAfter(fixed), []);
  });

  it('keeps CRLF line endings', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '')).replace(/\n/g, '\r\n');
    const { fixes } = fixesFor(text);
    const fixed = applyEdits(text, fixes[0].edits);
    assert.ok(!/[^\r]\n/.test(fixed), 'no bare LF');
    assert.deepEqual(missingAfter(fixed), []);
  });

  it('replaces a null, ~, scalar or empty-mapping firewall value instead of writing after it', () => {
    for (const value of ['null', '~', 'none  # to do', "!!null ''", '{}', '\n        ~']) {
      const text = inventory(worker('w-1', 1).replace(/      firewall:\n(        - .*\n)+/, `      firewall: ${value}\n`));
      const { fixes } = fixesFor(text);
      const all = fixes.find((f) => f.title.startsWith('Add all'));
      assert.ok(all, value);
      const fixed = applyEdits(text, all.edits);
      assert.deepEqual(missingAfter(fixed), [], `${value}:\n${fixed}`);
      if (value.includes('# to do')) assert.ok(fixed.includes('firewall:  # to do\n        - port: 10250'), fixed);
    }
  });

  it("offers nothing for a firewall that is a mapping with entries (it is not the fix's to replace)", () => {
    const text = inventory(worker('w-1', 1).replace(/      firewall:\n(        - .*\n)+/, '      firewall: {port: 10250}\n'));
    // Only the disable comment is offered.
    assert.deepEqual(
      fixesFor(text).fixes.map((f) => f.title),
      ['Disable missing-port-rule for this line'],
    );
  });

  it('parses each piece of YAML at most once per code-action request', () => {
    // 205 nodes in one flow list: every diagnostic is on the same line of one unsplittable document.
    const nodes = Array.from(
      { length: 205 },
      (_, i) => `{hostname: w-${i}, roles: [worker], interfaces: [{name: eth0, address: 10.0.${i >> 8}.${i & 255}}]}`,
    );
    const text = `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n  nodes: [${nodes.join(', ')}]\n`;
    // The module object itself (not an import binding), so that the spy replaces what the engine calls.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parse = require('../../../server/src/engine/core/yaml/parse');
    const original = parse.parseYaml;
    let parses = 0;
    const workspace = new Workspace();
    workspace.setText(URI, text);
    const diagnostics = workspace
      .findings(URI)
      .map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight', data: f.data }));
    assert.ok(diagnostics.filter((d) => d.code === 'missing-port-rule').length >= 600);
    parse.parseYaml = (t: string) => (parses++, original(t));
    try {
      codeActions(workspace, URI, diagnostics);
    } finally {
      parse.parseYaml = original;
    }
    assert.equal(parses, 1);
  });

  describe('fix-all (issue 18 item 11)', () => {
    /** The text after one fix-all request, and the missing-port-rule findings before and after it. */
    function fixAllOnce(text: string) {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      workspace.setText(URI, text);
      const before = ofRule(workspace.findings(URI), 'missing-port-rule').length;
      const fixed = applyEdits(text, fixAll(workspace, URI));
      const check = new Workspace();
      check.setRoots([ROOT]);
      check.setText(URI, fixed);
      const after = check.findings(URI);
      return { fixed, before, missing: ofRule(after, 'missing-port-rule'), syntax: ofRule(after, 'yaml-syntax') };
    }
    const HEAD = 'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nspec:\n';

    it('fixes every node in one request when the network plugin is written after the node list', () => {
      // Something after `nodes:` makes the inventory parse as one piece: every node item starts at the same base.
      const text = `${HEAD}  nodes:  # the machines\n    - hostname: cp-1  # first\n      roles: [control-plane]\n      firewall:\n        - port: 6443  # API\n    - hostname: w-1\n      roles: [worker]\n    - hostname: w-2\n      roles: [worker]\n      firewall:\n        - port: 10250\n  cni:\n    plugin: calico  # BGP and IP-in-IP\n`;
      for (const eol of ['\n', '\r\n']) {
        const original = text.replace(/\n/g, eol);
        const { fixed, before, missing, syntax } = fixAllOnce(original);
        assert.ok(before >= 7, `${before} findings before`);
        assert.deepEqual(
          missing.map((f) => f.message),
          [],
        );
        assert.deepEqual(syntax, []);
        // Every byte of the original is still there, in order: the fixes only insert.
        let at = 0;
        for (const line of original.split(eol)) {
          at = fixed.indexOf(line, at);
          assert.ok(at >= 0, `kept: ${JSON.stringify(line)}`);
        }
        if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(fixed), 'no bare LF');
        // A second request has nothing left to do.
        assert.equal(fixAllOnce(fixed).before, 0);
      }
    });

    it('adds to nodes written in flow style, inside their flow collections', () => {
      const text = `${HEAD}  nodes:\n    - {hostname: cp-1, roles: [control-plane], firewall: [{port: 6443, protocol: TCP}]}  # flow list\n    - {name: a, hostname: w-1, roles: [worker]}\n    - {hostname: w-2, roles: [worker], firewall: [{port: 10250}, ]}\n    - {hostname: w-3, roles: [worker], firewall: ~}\n    - {hostname: w-4, roles: [worker], firewall: []}\n  cni:\n    plugin: calico\n`;
      const { fixed, before, missing, syntax } = fixAllOnce(text);
      assert.ok(before > 10, `${before} findings before`);
      assert.deepEqual(
        missing.map((f) => f.message),
        [],
      );
      assert.deepEqual(syntax, []);
      const lines = fixed.split('\n');
      assert.equal(
        lines[4],
        '    - {hostname: cp-1, roles: [control-plane], firewall: [{port: 6443, protocol: TCP}, {port: 2379, protocol: TCP}, {port: 10250, protocol: TCP}, {port: 10259, protocol: TCP}, {port: 10257, protocol: TCP}, {port: 179, protocol: TCP}, {protocol: IPIP}]}  # flow list',
      );
      assert.equal(
        lines[5],
        '    - {name: a, hostname: w-1, roles: [worker], firewall: [{port: 10250, protocol: TCP, comment: Kubelet API}, {port: 10256, protocol: TCP, comment: kube-proxy health check}, {port: 30000-32767, protocol: TCP, comment: NodePort Services}, {port: 179, protocol: TCP, comment: Calico BGP (routes between nodes)}, {protocol: IPIP, comment: Calico IP-in-IP encapsulation}]}',
      );
      // After the last entry: the trailing comma stays last.
      assert.match(
        lines[6],
        /^    - \{hostname: w-2, roles: \[worker\], firewall: \[\{port: 10250\}, \{port: 10256\}, .*\{protocol: IPIP\}, \]\}$/,
      );
      assert.match(
        lines[7],
        /^    - \{hostname: w-3, roles: \[worker\], firewall: \[\{port: 10250, protocol: TCP, comment: Kubelet API\}, .*\]\}$/,
      );
      assert.match(
        lines[8],
        /^    - \{hostname: w-4, roles: \[worker\], firewall: \[\{port: 10250, protocol: TCP, comment: Kubelet API\}, .*\]\}$/,
      );
      assert.deepEqual(lines.slice(9), ['  cni:', '    plugin: calico', '']);
    });
  });

  describe('fix-all reaches a fixed point (issue 18, round three)', () => {
    /** Every rule id that has fixes: none of them may be left after fix-all. */
    const FIXABLE = RULES.filter((r) => r.fixes).map((r) => r.meta.id);
    // flannel needs 8472/UDP: the entry 8472/TCP is on the wrong protocol, and missing-port-rule wants 8472/UDP too.
    const FLANNEL = inventory(
      controlPlane('cp-1', 11) +
        worker('w-1', 1, '        - port: 8472\n          protocol: TCP  # overlay\n').replace('        - port: 10256\n', ''),
      '  cni:\n    plugin: flannel\n',
    ).replace('spec:\n', '# lab cluster\nspec:\n');

    function workspaceWith(text: string, others: Record<string, string> = {}) {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      for (const [name, other] of Object.entries(others)) workspace.setText(`${ROOT}${name}`, other);
      workspace.setText(URI, text);
      return workspace;
    }
    const fixable = (text: string) =>
      workspaceWith(text)
        .findings(URI)
        .filter((f) => FIXABLE.includes(f.ruleId))
        .map((f) => `${f.ruleId}: ${f.message}`);

    it('changes a wrong protocol and adds only what is still missing: no entry twice, nothing left, nothing for a second run', () => {
      for (const [eol, bom] of [
        ['\n', ''],
        ['\r\n', ''],
        ['\r\n', '\uFEFF'],
      ]) {
        const original = bom + FLANNEL.replace(/\n/g, eol);
        const workspace = workspaceWith(original);
        assert.deepEqual(
          workspace
            .findings(URI)
            .map((f) => f.ruleId)
            .sort(),
          ['firewall-wrong-protocol', 'missing-port-rule', 'missing-port-rule', 'missing-port-rule'],
        );
        const edits = fixAll(workspace, URI);
        const fixed = applyEdits(original, edits);
        assert.equal(
          fixed,
          original
            .replace(
              `        - port: 10259${eol}    - hostname: w-1`,
              `        - port: 10259${eol}        - port: 8472${eol}          protocol: UDP${eol}    - hostname: w-1`,
            )
            .replace(
              `          protocol: TCP  # overlay${eol}`,
              `          protocol: UDP  # overlay${eol}        - port: 10256${eol}          protocol: TCP${eol}`,
            ),
        );
        // Three edits, each only what changes: cp-1's new entry, two letters of w-1's protocol, w-1's new entry.
        assert.deepEqual(
          edits.map((e) => e.newText),
          [
            `${eol}        - port: 8472${eol}          protocol: UDP`,
            'UD',
            `${eol}        - port: 10256${eol}          protocol: TCP`,
          ],
        );
        assert.deepEqual(fixable(fixed), []);
        assert.deepEqual(fixAll(workspaceWith(fixed), URI), []);
      }
    });

    it('leaves the workspace as it was: the file, its analysis and the other files of its cluster', () => {
      const kubeadm =
        'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 192.168.1.11\nnodeRegistration:\n  name: cp-1\n';
      const workspace = workspaceWith(FLANNEL, { 'kubeadm.yaml': kubeadm });
      const before = workspace.findings(URI);
      const file = workspace.file(URI)!;
      const documents = file.documents;
      assert.ok(fixAll(workspace, URI).length > 0);
      assert.equal(workspace.file(URI), file);
      assert.equal(file.text, FLANNEL);
      assert.equal(file.needsAnalysis, false);
      assert.equal(file.documents, documents);
      assert.deepEqual(workspace.staleFiles(), []);
      assert.deepEqual(workspace.findings(URI), before);
      assert.deepEqual(
        workspace.clusterFiles(URI).map((f) => f.uri),
        [URI, `${ROOT}kubeadm.yaml`],
      );
    });

    it('keeps the last round that left the file as well-formed as it was', () => {
      // A fix that breaks the file (a stand-in for a faulty rule): its round is not applied, the one before it is.
      const original = missingPortRule.fixes!;
      const lines = FLANNEL.split('\n').length - 1;
      const breakages = [
        // The YAML no longer parses: a new yaml-syntax finding.
        { range: { start: { line: lines, character: 0 }, end: { line: lines, character: 0 } }, newText: 'x: {' },
        // The document is no longer read as an inventory: no findings at all, which is not "fixed".
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '[' },
      ];
      const corrected = FLANNEL.replace('          protocol: TCP  # overlay\n', '          protocol: UDP  # overlay\n');
      for (const breakage of breakages) {
        missingPortRule.fixes = (request) => original(request).map((fix) => ({ ...fix, edits: [...fix.edits, breakage] }));
        try {
          assert.equal(applyEdits(FLANNEL, fixAll(workspaceWith(FLANNEL), URI)), corrected, breakage.newText);
          // When the first round is the one that breaks it, there is nothing to do.
          assert.deepEqual(fixAll(workspaceWith(corrected), URI), [], breakage.newText);
        } finally {
          missingPortRule.fixes = original;
        }
      }
    });

    it('offers no fix in a file with CR-only line ends, whose lines the writers cannot place (npm run fuzz)', () => {
      const text = FLANNEL.replace(/\n/g, '\r');
      const workspace = workspaceWith(text);
      assert.ok(workspace.findings(URI).some((f) => f.ruleId === 'missing-port-rule'));
      const diagnostics = workspace
        .findings(URI)
        .map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight', data: f.data }));
      assert.deepEqual(
        codeActions(workspace, URI, diagnostics).filter((f) => !f.title.startsWith('Disable')),
        [],
      );
      assert.deepEqual(fixAll(workspace, URI), []);
    });

    it('stops when a round changes nothing', () => {
      // A fix that writes what is already there: the text does not change, so there is no second round.
      const original = missingPortRule.fixes!;
      let calls = 0;
      missingPortRule.fixes = (request) => {
        calls++;
        return original(request).map((fix) => ({
          ...fix,
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: 'api' }],
        }));
      };
      try {
        assert.deepEqual(fixAll(workspaceWith(FLANNEL.replace('protocol: TCP  # overlay', 'protocol: UDP  # overlay')), URI), []);
        assert.equal(calls, 1);
      } finally {
        missingPortRule.fixes = original;
      }
    });
  });
});
