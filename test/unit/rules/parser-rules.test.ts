import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

describe('parser rules', () => {
  describe('yaml-syntax', () => {
    it('reports duplicate keys on the parser range', () => {
      const text = inventory(
        controlPlane('cp-1', 11).replace(
          '      roles: [control-plane]\n',
          '      roles: [control-plane]\n      roles: [worker]\n',
        ),
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
  });

  describe('schema', () => {
    it('puts unknown keys on the key, with a suggestion', () => {
      const text = inventory(controlPlane('cp-1', 11).replace('      roles:', '      rolez:'));
      const findings = findingsOf(text);
      expectRule(findings, 'schema', [
        { range: spanAfter(text, '- ', 'hostname', 0), message: /This node is missing the required key "roles"/ },
        { range: spanOf(text, 'rolez'), message: /Unknown key "rolez" in this node\. Did you mean "roles"\?/ },
      ]);
    });
    it('puts wrong types and values on the value', () => {
      const text = inventory(
        controlPlane('cp-1', 11)
          .replace('[control-plane]', '[master]')
          .replace('- port: 6443', '- port: 6443\n          protocol: tcp'),
        '  apiServerPort: "6443"\n',
      );
      expectRule(findingsOf(text), 'schema', [
        { range: spanOf(text, '"6443"'), message: /"spec\.apiServerPort" must be an integer, not a string/ },
        { range: spanOf(text, 'master'), message: /"roles\[0\]" must be one of control-plane, worker, etcd; found "master"/ },
        { range: spanOf(text, 'tcp'), message: /"firewall\[0\]\.protocol" must be one of TCP, UDP, SCTP/ },
      ]);
    });
    it('reports a missing key on the first key of the mapping that lacks it, never the whole document', () => {
      const text = 'apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: x\n';
      expectRule(findingsOf(text), 'schema', [
        { range: spanOf(text, 'apiVersion'), message: /The document is missing the required key "spec"/ },
      ]);
    });
    it('reports out-of-range ports', () => {
      const text = inventory(controlPlane('cp-1', 11, '      listeners:\n        - name: x\n          port: 70000\n'));
      expectRule(findingsOf(text), 'schema', [
        { range: spanOf(text, '70000'), message: /"listeners\[0\]\.port" is 70000, outside 1-65535/ },
      ]);
    });
  });

  it('a whole-parsed inventory (flow style, aliases) gets the same rules', () => {
    const text = [
      'apiVersion: cluster-preflight/v1alpha1',
      'kind: Inventory',
      'x-ports: &ports',
      '  - port: 10250',
      'spec:',
      '  nodes:',
      '    - {hostname: w-1, roles: [worker], interfaces: [{name: eth0, mac: "52:54:00:00:01:01", address: 10.0.0.1}], firewall: *ports}',
      '',
    ].join('\n');
    const findings = findingsOf(text);
    expectRule(findings, 'schema', [{ range: spanOf(text, 'x-ports'), message: /Unknown key "x-ports"/ }]);
    assert.deepEqual(
      ofRule(findings, 'missing-port-rule').map((f) => f.message.replace(/.*admitting /, '')),
      ['10256/TCP (kube-proxy health check).', '30000-32767/TCP (NodePort Services).'],
    );
  });
});
