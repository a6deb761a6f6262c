import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, findingsOf, inventory, spanOf } from '../../helpers';

describe('template-placeholder', () => {
  it('gives an envsubst-style kubeadm config one note instead of the errors its placeholders cause', () => {
    const text = [
      'apiVersion: kubeadm.k8s.io/v1beta4',
      'kind: InitConfiguration',
      'localAPIEndpoint:',
      '  advertiseAddress: ${NODE_IP}',
      '  bindPort: $API_PORT',
      'nodeRegistration:',
      '  name: $(HOSTNAME)',
      '  imagePullPolicy: Sometimes',
      '',
    ].join('\n');
    const findings = findingsOf(text, 'kubeadm.yaml');
    expectRule(findings, 'template-placeholder', [
      {
        range: spanOf(text, '${NODE_IP}'),
        severity: 'information',
        message:
          /^This document has template placeholders \(\$\{NODE_IP\}, \$API_PORT, \$\(HOSTNAME\)\): the lines they are on are not checked until it is rendered\.$/,
      },
    ]);
    // What the placeholders do not touch is still checked.
    expectRule(findings, 'schema', [{ range: spanOf(text, 'Sometimes'), message: /must be one of Always, IfNotPresent, Never/ }]);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['template-placeholder', 'schema'],
    );
  });
  it('takes angle-bracket markers with upper case or a dash for placeholders, not ordinary text', () => {
    const text = 'token: <Cluster-Join-Token>\ncni: canal\nnode-ip: <node-ip>\ntls-san:\n  - <b>\n';
    const findings = check({ 'rke2/server-1/config.yaml': text })('rke2/server-1/config.yaml');
    expectRule(findings, 'template-placeholder', [
      { range: spanOf(text, '<Cluster-Join-Token>'), message: /<Cluster-Join-Token>, <node-ip>\)/ },
    ]);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['template-placeholder'],
    );
  });

  it('gives a Jinja-templated inventory with control structures only the note', () => {
    const text = `${inventory(controlPlane('cp-1', 11))}{% for host in groups['workers'] %}\n    - hostname: {{ host }}\n      roles: [worker]\n{% endfor %}\n`;
    const findings = findingsOf(text);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity]),
      [['template-placeholder', 'information']],
    );
    assert.match(
      findings[0].message,
      /is a template \(\{% for host in groups\['workers'\] %\}, \{\{ host \}\}, \{% endfor %\}\): its structure is known only once it is rendered/,
    );
  });
  it('leaves Helm-templated Services and comments alone', () => {
    const helm =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n    - nodePort: {{ .Values.nodePort }}\n';
    assert.deepEqual(check({ 'templates/svc.yaml': helm })('templates/svc.yaml'), []);
    const commented = inventory(controlPlane('cp-1', 11)).replace('metadata:', 'metadata:  # rendered with ${ENV} by hand once');
    assert.deepEqual(findingsOf(commented), []);
  });
});
