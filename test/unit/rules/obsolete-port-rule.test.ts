import * as assert from 'node:assert/strict';
import { applyEdits } from '../../edits';
import {
  check,
  cluster,
  controlPlane,
  expectRule,
  findingsOf,
  inventory,
  kubelet,
  ofRule,
  ruleFixes,
  KUBESPRAY,
  spanAfter,
  spanOf,
  worker,
} from '../../helpers';

const RULE = 'obsolete-port-rule';

function fixesFor(text: string) {
  return ruleFixes({ 'inventory.yaml': text }, 'inventory.yaml', RULE);
}

/** Applies the only fix offered and checks the result: valid, clean of this rule and of missing ports. */
function applyOnlyFix(text: string, title: string): string {
  const fixes = fixesFor(text);
  assert.deepEqual(
    fixes.map((f) => f.title),
    [title],
  );
  const fixed = applyEdits(text, fixes[0].edits);
  assert.deepEqual(
    findingsOf(fixed)
      .filter((f) => [RULE, 'yaml-syntax', 'schema', 'missing-port-rule'].includes(f.ruleId))
      .map((f) => f.message),
    [],
    fixed,
  );
  return fixed;
}

/** A control-plane node that opens 10251 where 10259 (kube-scheduler) belongs. */
const schedulerOnOldPort = (port = '10251') =>
  inventory(controlPlane('cp-1', 11).replace('        - port: 10259\n', `        - port: ${port}   # scheduler\n`));

describe(RULE, () => {
  it("reports 10251 on the port value, naming kube-scheduler's current port", () => {
    const text = schedulerOnOldPort();
    expectRule(findingsOf(text), RULE, [
      {
        range: spanAfter(text, 'port: ', '10251'),
        severity: 'warning',
        message:
          /^Node "cp-1"'s firewall rule opens 10251\/TCP, kube-scheduler's insecure HTTP port, removed in Kubernetes 1\.23 \(kube-scheduler serves on 10259\/TCP now\)\.$/,
      },
    ]);
  });

  it('reports 10252 and 10255, and a range made only of obsolete ports', () => {
    const text = inventory(
      controlPlane('cp-1', 11, '        - port: 10252') +
        worker('w-1', 1, '        - port: "10255"\n        - port: 10251-10252'),
    );
    expectRule(findingsOf(text), RULE, [
      {
        range: spanAfter(text, 'port: ', '10252'),
        severity: 'warning',
        message:
          /10252\/TCP, kube-controller-manager's insecure HTTP port, removed in Kubernetes 1\.22 \(kube-controller-manager serves on 10257\/TCP now\)\.$/,
      },
      {
        range: spanAfter(text, 'port: ', '"10255"'),
        severity: 'warning',
        message:
          /^Node "w-1"'s firewall rule opens 10255\/TCP, the kubelet's read-only port, off unless KubeletConfiguration readOnlyPort turns it on, and then it serves pod and node data without authentication\.$/,
      },
      {
        range: spanAfter(text, 'port: ', '10251-10252'),
        severity: 'warning',
        message: /opens 10251\/TCP, kube-scheduler's .*; and 10252\/TCP, kube-controller-manager's/,
      },
    ]);
  });

  it('leaves a range that merely contains an obsolete port, another protocol, and a malformed port alone', () => {
    const text = inventory(
      controlPlane(
        'cp-1',
        11,
        '        - port: 10250-10260\n        - port: 10251\n          protocol: UDP\n        - port: "10251x"',
      ),
    );
    assert.deepEqual(ofRule(findingsOf(text), RULE), []);
  });

  it('says nothing about 10255 when the kubelet configuration turns the read-only port on', () => {
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 10255'));
    const on = check({ 'inventory.yaml': inv, 'kubelet.yaml': kubelet('readOnlyPort: 10255\n') });
    assert.deepEqual(ofRule(on('inventory.yaml'), RULE), []);
    const off = check({ 'inventory.yaml': inv, 'kubelet.yaml': kubelet('readOnlyPort: 0\n') });
    assert.equal(ofRule(off('inventory.yaml'), RULE).length, 1);
  });

  it('says nothing when a setting moves a component onto the port, or the NodePort range includes it', () => {
    const moved = check({
      'inventory.yaml': schedulerOnOldPort(),
      'kubeadm.yaml': cluster('scheduler:\n  extraArgs:\n    - name: secure-port\n      value: "10251"\n'),
    });
    assert.deepEqual(ofRule(moved('inventory.yaml'), RULE), []);
    const nodePorts = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 10255'),
      '  nodePortRange: 10000-32767\n',
    );
    assert.deepEqual(ofRule(findingsOf(nodePorts), RULE), []);
  });

  describe('quick-fix', () => {
    it('moves 10251 to 10259 when the node needs it and nothing admits it, keeping the comment', () => {
      const text = schedulerOnOldPort();
      const fixed = applyOnlyFix(text, 'Replace 10251/TCP by 10259/TCP (kube-scheduler)');
      assert.equal(fixed, text.replace('port: 10251   # scheduler', 'port: 10259   # scheduler'));
    });

    it('keeps the quotes of a quoted port, and CRLF line endings', () => {
      const text = schedulerOnOldPort('"10251"').replace(/\n/g, '\r\n');
      const fixed = applyOnlyFix(text, 'Replace 10251/TCP by 10259/TCP (kube-scheduler)');
      assert.equal(fixed, text.replace('"10251"', '"10259"'));
    });

    it('removes the entry when the current port is already open, with its lines and nothing else', () => {
      const text = inventory(
        controlPlane('cp-1', 11, '        - port: 10251\n          comment: prometheus\n        # the end'),
      ).replace(/\n/g, '\r\n');
      const fixed = applyOnlyFix(text, 'Remove the firewall rule for 10251/TCP');
      assert.equal(fixed, text.replace('        - port: 10251\r\n          comment: prometheus\r\n', ''));
    });

    it('offers no removal of an entry with a comment: it would be lost', () => {
      for (const entry of [
        '        - port: 10251   # old scheduler metrics',
        '        - port: 10251\n          # metrics\n          comment: x',
      ]) {
        const text = inventory(controlPlane('cp-1', 11, entry));
        assert.equal(ofRule(findingsOf(text), RULE).length, 1);
        assert.deepEqual(fixesFor(text), []);
      }
    });

    it('removes the last entry of a file that does not end with a newline', () => {
      const text = inventory(worker('w-1', 1, '        - port: 10255')).replace(/\n$/, '');
      const fixed = applyOnlyFix(text, 'Remove the firewall rule for 10255/TCP');
      assert.equal(fixed, text.replace('\n        - port: 10255', ''));
    });

    it('offers no removal where it would not be a clean edit: a flow list, the only entry', () => {
      const flow = inventory(
        worker('w-1', 1).replace(/      firewall:\n(        - .*\n)+/, '      firewall: [{port: 10250}, {port: 10255}]\n'),
      );
      assert.equal(ofRule(findingsOf(flow), RULE).length, 1);
      assert.deepEqual(fixesFor(flow), []);
      const only = inventory(
        worker('w-1', 1).replace(/      firewall:\n(        - .*\n)+/, '      firewall:\n        - port: 10255\n'),
      );
      assert.equal(ofRule(findingsOf(only), RULE).length, 1);
      assert.deepEqual(fixesFor(only), []);
    });

    it('removes rather than moves on a node that does not run the component', () => {
      const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 10252'));
      const fixed = applyOnlyFix(text, 'Remove the firewall rule for 10252/TCP');
      assert.equal(fixed, text.replace('        - port: 30000-32767\n        - port: 10252\n', '        - port: 30000-32767\n'));
    });
  });
});

describe('obsolete-port-rule: firewalls written elsewhere', () => {
  it('reports an Ansible loop item and a security-group rule that open only removed ports, on the item and the rule', () => {
    const tasks =
      '- name: Control plane\n  ansible.posix.firewalld:\n    port: "{{ item }}"\n    state: enabled\n  loop:\n    - 6443/tcp\n    - 10251/tcp\n    - 10250-10260/tcp\n  when: "\'kube_control_plane\' in group_names"\n';
    expectRule(check({ 'inventory.ini': KUBESPRAY, 'fw.yml': tasks })('fw.yml'), 'obsolete-port-rule', [
      {
        range: spanOf(tasks, '10251/tcp'),
        severity: 'warning',
        message:
          /^Ansible task "Control plane"'s rule opens 10251\/TCP, kube-scheduler's insecure HTTP port, removed in Kubernetes 1\.23 \(kube-scheduler serves on 10259\/TCP now\)\.$/,
      },
    ]);
    const tf =
      'resource "aws_security_group" "k8s" {\n  ingress {\n    from_port = 10255\n    to_port   = 10255\n    protocol  = "tcp"\n    self      = true\n  }\n}\nresource "aws_instance" "n" {\n  private_ip             = "10.0.1.14"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n';
    const findings = check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': tf })('tf/main.tf');
    expectRule(findings, 'obsolete-port-rule', [
      // The whole ingress block: from `ingress` to its closing brace.
      { range: spanOf(tf, tf.slice(tf.indexOf('ingress {'), tf.indexOf('  }\n}') + 3)), message: /rule opens 10255\/TCP/ },
    ]);
  });
});
