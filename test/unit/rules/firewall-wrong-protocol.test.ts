import * as assert from 'node:assert/strict';
import { applyEdits } from '../../edits';
import {
  check,
  controlPlane,
  expectRule,
  findingsOf,
  inventory,
  ofRule,
  ruleFixes,
  spanAfter,
  spanOf,
  worker,
  KUBESPRAY,
} from '../../helpers';

const RULE = 'firewall-wrong-protocol';
const FLANNEL = '  cni:\n    plugin: flannel\n';

/** The rule's quick-fixes (without the disable comment) for the text as it is. */
function fixesFor(text: string) {
  return ruleFixes({ 'inventory.yaml': text }, 'inventory.yaml', RULE);
}

/** Applies the only fix offered, and checks the result is valid, clean of this rule, and admits the overlay. */
function applyOnlyFix(text: string, title: string): string {
  const fixes = fixesFor(text);
  assert.deepEqual(
    fixes.map((f) => f.title),
    [title],
  );
  const fixed = applyEdits(text, fixes[0].edits);
  const after = findingsOf(fixed);
  assert.deepEqual(
    after.filter((f) => [RULE, 'yaml-syntax', 'schema', 'missing-port-rule'].includes(f.ruleId)).map((f) => f.message),
    [],
    fixed,
  );
  return fixed;
}

/** A flannel worker whose firewall admits everything but writes the VXLAN entry as given. */
const flannelWorker = (vxlanEntry: string) =>
  inventory(controlPlane('cp-1', 11, '        - port: 8472\n          protocol: UDP') + worker('w-1', 1, vxlanEntry), FLANNEL);

describe(RULE, () => {
  it('reports a VXLAN port left at the TCP default on its port value, as a warning', () => {
    const text = flannelWorker('        - port: 8472');
    expectRule(findingsOf(text), RULE, [
      {
        range: spanAfter(text, '        - port: ', '8472', 1),
        severity: 'warning',
        message:
          /^Node "w-1"'s firewall rule 8472\/TCP is on the wrong protocol: the node needs 8472\/UDP \(flannel VXLAN[^)]*\) there, and no rule admits it\.$/,
      },
    ]);
  });

  it('reports a written protocol on its value, quoted or not', () => {
    for (const written of ['TCP', '"TCP"']) {
      const text = flannelWorker(`        - port: 8472\n          protocol: ${written}`);
      expectRule(findingsOf(text), RULE, [
        { range: spanAfter(text, 'protocol: ', written), severity: 'warning', message: /8472\/TCP is on the wrong protocol/ },
      ]);
    }
  });

  it('reports WireGuard and Calico VXLAN opened as TCP', () => {
    const wireguard = inventory(
      controlPlane('cp-1', 11, '        - port: 179\n        - port: 51820\n          protocol: UDP') +
        worker('w-1', 1, '        - port: 179\n        - port: 51820\n          protocol: TCP'),
      '  cni:\n    plugin: calico\n    mode: bgp\n    wireguard: true\n',
    );
    expectRule(findingsOf(wireguard), RULE, [
      {
        range: spanAfter(wireguard, 'protocol: ', 'TCP'),
        severity: 'warning',
        message: /rule 51820\/TCP is on the wrong protocol: the node needs 51820\/UDP \(Calico WireGuard\) there/,
      },
    ]);
    const vxlan = inventory(
      controlPlane('cp-1', 11, '        - port: 4789\n          protocol: UDP') + worker('w-1', 1, '        - port: "4789"'),
      '  cni:\n    plugin: calico\n    mode: vxlan\n',
    );
    expectRule(findingsOf(vxlan), RULE, [
      { range: spanAfter(vxlan, 'port: ', '"4789"'), severity: 'warning', message: /4789\/TCP .* 4789\/UDP \(Calico VXLAN\)/ },
    ]);
  });

  it('says nothing when the needed protocol is open too, or the entry is not about a needed port', () => {
    // 8472/TCP beside 8472/UDP: an unneeded rule, but the overlay works.
    assert.deepEqual(
      ofRule(findingsOf(flannelWorker('        - port: 8472\n        - port: 8472\n          protocol: UDP')), RULE),
      [],
    );
    // A broad range is a policy: it opens ports nobody needs, and missing-port-rule reports the closed UDP port.
    const broad = findingsOf(flannelWorker('        - port: 1-65535'));
    assert.deepEqual(ofRule(broad, RULE), []);
    assert.equal(ofRule(broad, 'missing-port-rule').length, 1);
    // 8472-8473/TCP: 8473 is needed on no protocol.
    assert.deepEqual(ofRule(findingsOf(flannelWorker('        - port: 8472-8473')), RULE), []);
    // Without a network plugin nothing needs 8472.
    assert.deepEqual(
      ofRule(findingsOf(inventory(controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 8472'))), RULE),
      [],
    );
  });

  it('takes NodePorts on any protocol: Services choose it', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 30000-32767\n          protocol: UDP'));
    assert.deepEqual(ofRule(findingsOf(text), RULE), []);
    const sctp = inventory(controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 31000\n          protocol: SCTP'));
    assert.deepEqual(ofRule(findingsOf(sctp), RULE), []);
  });

  it('leaves a protocol the schema rejects to the schema', () => {
    const text = flannelWorker('        - port: 8472\n          protocol: udp');
    const findings = findingsOf(text);
    assert.deepEqual(ofRule(findings, RULE), []);
    assert.equal(ofRule(findings, 'schema').length, 1);
  });

  it('reports kubelet and API server ports written as UDP', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('        - port: 10250\n', '        - port: 10250\n          protocol: UDP\n'),
    );
    expectRule(findingsOf(text), RULE, [
      {
        range: spanAfter(text, 'protocol: ', 'UDP'),
        severity: 'warning',
        message:
          /^Node "cp-1"'s firewall rule 10250\/UDP is on the wrong protocol: the node needs 10250\/TCP \(Kubelet API\) there/,
      },
    ]);
  });

  it('when a range is needed on both protocols, reports the one it lacks and adds it', () => {
    // Weave Net: 6783/TCP (control) and 6783-6784/UDP (data).
    const text = inventory(
      controlPlane('cp-1', 11, '        - port: 6783\n        - port: 6783-6784\n          protocol: UDP') +
        worker('w-1', 1, '        - port: 6783-6784'),
      '  cni:\n    plugin: weave\n',
    );
    expectRule(findingsOf(text), RULE, [
      {
        range: spanAfter(text, 'port: ', '6783-6784', 1),
        severity: 'warning',
        message:
          /^Node "w-1"'s firewall rule 6783-6784\/TCP admits only TCP: the node also needs 6783-6784\/UDP \(Weave Net data[^)]*\) there, and no rule admits it\.$/,
      },
    ]);
    const fixed = applyOnlyFix(text, 'Add firewall rule 6783-6784/UDP to w-1');
    // Written in the style of the file's entries (port, protocol; no comment), after the node's last one.
    assert.equal(fixed, text + '        - port: 6783-6784\n          protocol: UDP\n');
  });

  describe('quick-fix', () => {
    it('adds protocol: UDP under the port, keeping the comment and every other byte', () => {
      const text = flannelWorker('        - port: 8472   # flannel VXLAN\n          comment: overlay');
      const fixed = applyOnlyFix(text, 'Change the protocol of 8472/TCP to UDP');
      assert.equal(
        fixed,
        text.replace('- port: 8472   # flannel VXLAN\n', '- port: 8472   # flannel VXLAN\n          protocol: UDP\n'),
      );
    });

    it('rewrites a written protocol in place, inside its quotes', () => {
      const plain = flannelWorker('        - port: 8472\n          protocol: TCP  # wrong');
      assert.equal(
        applyOnlyFix(plain, 'Change the protocol of 8472/TCP to UDP'),
        plain.replace('protocol: TCP  #', 'protocol: UDP  #'),
      );
      const quoted = flannelWorker("        - port: 8472\n          protocol: 'TCP'");
      assert.equal(applyOnlyFix(quoted, 'Change the protocol of 8472/TCP to UDP'), quoted.replace("'TCP'", "'UDP'"));
    });

    it('writes into a flow entry', () => {
      const text = flannelWorker('        - {port: 8472, comment: vxlan}');
      assert.equal(
        applyOnlyFix(text, 'Change the protocol of 8472/TCP to UDP'),
        text.replace('{port: 8472, comment: vxlan}', '{port: 8472, protocol: UDP, comment: vxlan}'),
      );
    });

    it('keeps CRLF line endings and a BOM', () => {
      const text = '\uFEFF' + flannelWorker('        - port: 8472 # vxlan').replace(/\n/g, '\r\n');
      const fixed = applyOnlyFix(text, 'Change the protocol of 8472/TCP to UDP');
      assert.equal(fixed, text.replace('- port: 8472 # vxlan\r\n', '- port: 8472 # vxlan\r\n          protocol: UDP\r\n'));
    });

    it('fixes an anchored entry once for every node that uses it', () => {
      const text =
        flannelWorker('        - &vxlan {port: 8472}') +
        '    - hostname: w-2\n      roles: [worker]\n      firewall: [{port: 10250}, {port: 10256}, {port: 30000-32767}, *vxlan]\n';
      // Both nodes' findings sit on the anchored entry: the alias has no range of its own.
      const anchored = spanAfter(text, '{port: ', '8472');
      expectRule(findingsOf(text), RULE, [
        { range: anchored, severity: 'warning', message: /^Node "w-1"'s/ },
        { range: anchored, severity: 'warning', message: /^Node "w-2"'s/ },
      ]);
      const fixes = fixesFor(text);
      assert.equal(fixes.length, 1);
      assert.equal(fixes[0].diagnostics.length, 2);
      assert.deepEqual(ofRule(findingsOf(applyEdits(text, fixes[0].edits)), RULE), []);
    });

    it("fixes each node's own entry where the inventory is parsed whole (keys after the node list)", () => {
      // `cni:` after `nodes:`: every node item has the same base, and each node's VXLAN entry is its first.
      const node = (name: string, octet: number) =>
        worker(name, octet).replace('      firewall:\n', '      firewall:\n        - port: 8472\n          protocol: TCP\n');
      const text = inventory(
        controlPlane('cp-1', 11, '        - port: 8472\n          protocol: UDP') +
          node('w-1', 1) +
          node('w-2', 2) +
          node('w-3', 3),
      ).concat(FLANNEL);
      expectRule(findingsOf(text), RULE, [
        { range: spanOf(text, 'TCP', 0), severity: 'warning', message: /^Node "w-1"'s/ },
        { range: spanOf(text, 'TCP', 1), severity: 'warning', message: /^Node "w-2"'s/ },
        { range: spanOf(text, 'TCP', 2), severity: 'warning', message: /^Node "w-3"'s/ },
      ]);
      const fixes = fixesFor(text);
      assert.deepEqual(
        fixes.map((f) => [f.title, f.diagnostics.length]),
        [
          ['Change the protocol of 8472/TCP to UDP', 1],
          ['Change the protocol of 8472/TCP to UDP', 1],
          ['Change the protocol of 8472/TCP to UDP', 1],
        ],
      );
      const fixed = applyEdits(
        text,
        fixes.flatMap((f) => f.edits),
      );
      assert.equal(fixed, text.replace(/protocol: TCP\n/g, 'protocol: UDP\n'));
      assert.deepEqual(ofRule(findingsOf(fixed), RULE), []);
    });
  });
});

/** Four Kubespray nodes behind one AWS security group, linked by private_ip. */
const behindGroup = (ingress: string) =>
  `resource "aws_security_group" "k8s" {\n${ingress}}\n\nresource "aws_instance" "node" {\n  count                  = 4\n  private_ip             = "10.0.1.\${11 + count.index}"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n`;

describe('firewall-wrong-protocol: Terraform security groups', () => {
  const all = '  ingress {\n    from_port = 0\n    to_port   = 65535\n    protocol  = "tcp"\n    self      = true\n  }\n';
  it("reports VXLAN opened as TCP on the entry's protocol, naming the nodes behind the group", () => {
    const tf = behindGroup(
      `${all}  ingress {\n    from_port = 4789\n    to_port   = 4789\n    protocol  = "tcp"\n    self      = true\n  }\n`,
    );
    // The 0-65535/TCP entry is a policy, not a slip: only the 4789 entry is reported.
    expectRule(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': tf })('tf/main.tf'), 'firewall-wrong-protocol', [
      {
        range: spanOf(tf, '"tcp"', 1),
        severity: 'warning',
        message:
          /^aws_security_group "k8s"'s rule 4789\/TCP is on the wrong protocol: nodes "node1", "node2", "node3", "node4" behind it need 4789\/UDP \(Calico VXLAN\) there, and no rule admits it\.$/,
      },
    ]);
  });
  it('is silent once the UDP port is admitted, or when an unknown entry could admit it', () => {
    const tcp = `  ingress {\n    from_port = 4789\n    to_port   = 4789\n    protocol  = "tcp"\n    self      = true\n  }\n`;
    const udp = tcp.replace('"tcp"', '"udp"');
    const unknown = tcp.replace('"tcp"', 'var.protocol');
    for (const tf of [behindGroup(all + tcp + udp), behindGroup(all + tcp + unknown)])
      assert.deepEqual(
        ofRule(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': tf })('tf/main.tf'), 'firewall-wrong-protocol'),
        [],
      );
  });
});
