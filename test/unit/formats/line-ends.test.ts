import * as assert from 'node:assert/strict';
import { controlPlane, findingsOf, inventory, ofRule, worker } from '../../helpers';

describe('line ends and Ansible tags (issue 18 item 18)', () => {
  it('reads a file with CR-only line ends as it reads the same file with LF', () => {
    const lf = `${inventory(controlPlane('cp-1', 11) + worker('w-1', 1))}---\n${inventory(worker('w-1', 2))}`;
    const expected = findingsOf(lf).map((f) => [f.ruleId, f.range]);
    assert.ok(ofRule(findingsOf(lf), 'duplicate-hostname').length === 2);
    assert.deepEqual(
      findingsOf(lf.replace(/\n/g, '\r')).map((f) => [f.ruleId, f.range]),
      expected,
    );
  });
  it('takes !vault and !unsafe as strings, without "Unresolved tag" warnings', () => {
    const text =
      'all:\n  vars:\n    secret: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      6162\n    raw: !unsafe "{{ x }}"\n' +
      '  children:\n    kube_control_plane:\n      hosts:\n        cp-1:\n          ansible_host: 10.0.0.1\n';
    const findings = findingsOf(text, 'inventory/hosts.yaml');
    assert.deepEqual(
      findings.filter((f) => /tag/i.test(f.message)),
      [],
    );
  });
});
