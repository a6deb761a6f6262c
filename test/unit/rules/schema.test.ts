import { controlPlane, expectRule, findingsOf, inventory, spanAfter, spanOf } from '../../helpers';

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
