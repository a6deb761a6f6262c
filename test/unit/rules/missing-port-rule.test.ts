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
  yaml,
  KUBESPRAY,
} from '../../helpers';

describe('missing-port-rule', () => {
  it('reports each missing control-plane port on the firewall key with its severity', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '').replace('        - port: 10259\n', ''));
    const findings = findingsOf(text);
    expectRule(findings, 'missing-port-rule', [
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message: /Node "cp-1" \(control-plane\) has no firewall rule admitting 6443\/TCP \(Kubernetes API server\)/,
      },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 10259\/TCP \(kube-scheduler\)/ },
    ]);
    assert.deepEqual(ofRule(findings, 'missing-port-rule')[0].data, { componentPort: 'kube-apiserver' });
  });
  it('falls back to the hostname when the node has no firewall key', () => {
    const text = inventory(worker('w-1', 1).replace(/      firewall:\n(        - port: .*\n)+/, '') + controlPlane('cp-1', 11));
    expectRule(findingsOf(text), 'missing-port-rule', [
      { range: spanAfter(text, 'hostname: ', 'w-1'), severity: 'error', message: /10250\/TCP \(Kubelet API\)/ },
      { range: spanAfter(text, 'hostname: ', 'w-1'), severity: 'warning', message: /10256\/TCP \(kube-proxy health check\)/ },
      { range: spanAfter(text, 'hostname: ', 'w-1'), severity: 'warning', message: /30000-32767\/TCP \(NodePort Services\)/ },
    ]);
  });
  it('follows spec.distribution: an RKE2 server needs the supervisor port, etcd metrics, NodePorts and Canal (its default plugin)', () => {
    const text = inventory(controlPlane('cp-1', 11), '  distribution: rke2\n');
    expectRule(findingsOf(text), 'missing-port-rule', [
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message: /admitting 8472\/UDP \(Canal \(flannel\) VXLAN\)/,
      },
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message:
          /Node "cp-1" \(control-plane\) has no firewall rule admitting 9345\/TCP \(RKE2 supervisor API \(node registration\)\)/,
      },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 2381\/TCP \(etcd metrics and health\)/ },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 30000-32767\/TCP \(NodePort Services\)/ },
      { range: spanOf(text, 'firewall'), severity: 'warning', message: /admitting 9099\/TCP \(Canal health checks\)/ },
    ]);
    assert.deepEqual(ofRule(findingsOf(text), 'missing-port-rule')[1].data, { componentPort: 'rke2-supervisor' });
  });
  it('does not ask a pure k0s controller for the kubelet port, and asks it for 8132, and for 9443 once there are two', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('        - port: 10250\n', ''), '  distribution: k0s\n');
    // 9443 is "controller <-> controller": a single controller has no one to serve it to.
    expectRule(findingsOf(text), 'missing-port-rule', [
      { range: spanOf(text, 'firewall'), severity: 'error', message: /admitting 8132\/TCP \(konnectivity/ },
    ]);
    const two = inventory(
      controlPlane('cp-1', 11, '        - port: 8132') + controlPlane('cp-2', 12, '        - port: 8132'),
      '  distribution: k0s\n',
    );
    expectRule(findingsOf(two), 'missing-port-rule', [
      { range: spanOf(two, 'firewall', 0), severity: 'error', message: /"cp-1" .*admitting 9443\/TCP \(k0s API/ },
      { range: spanOf(two, 'firewall', 1), severity: 'error', message: /"cp-2" .*admitting 9443\/TCP \(k0s API/ },
    ]);
    const both = inventory(
      controlPlane('cp-1', 11)
        .replace('        - port: 10250\n', '')
        .replace('roles: [control-plane]', 'roles: [control-plane, worker]'),
      '  distribution: k0s\n',
    );
    assert.ok(
      ofRule(findingsOf(both), 'missing-port-rule').some((f) => /admitting 10250\/TCP/.test(f.message)),
      'a controller+worker runs a kubelet',
    );
  });
  it('asks RKE2 and K3s nodes for the kubelet port only as a warning: nodes join without it, metrics-server needs it', () => {
    for (const distribution of ['rke2', 'k3s']) {
      const text = inventory(
        worker('w-1', 1).replace('        - port: 10250\n', ''),
        `  distribution: ${distribution}\n  cni:\n    plugin: other\n`,
      );
      expectRule(findingsOf(text), 'missing-port-rule', [
        {
          range: spanOf(text, 'firewall'),
          severity: 'warning',
          message: /"w-1" \(worker\) has no firewall rule admitting 10250\/TCP \(Kubelet API\)/,
        },
      ]);
    }
  });
  it('follows spec.apiServerPort', () => {
    const text = inventory(controlPlane('cp-1', 11), '  apiServerPort: 8443\n');
    expectRule(findingsOf(text), 'missing-port-rule', [
      {
        range: spanOf(text, 'firewall'),
        severity: 'error',
        message: /admitting 8443\/TCP \(Kubernetes API server\); spec\.apiServerPort sets it/,
      },
    ]);
  });
  it('requires 2380 only once there is more than one etcd member', () => {
    const single = inventory(controlPlane('cp-1', 11).replace('2379-2380', '2379'));
    assert.deepEqual(ofRule(findingsOf(single), 'missing-port-rule'), []);
    const three = inventory(
      ['cp-1', 'cp-2', 'cp-3'].map((n, i) => controlPlane(n, 11 + i).replace('2379-2380', '2379')).join(''),
    );
    const findings = ofRule(findingsOf(three), 'missing-port-rule');
    assert.equal(findings.length, 3);
    assert.ok(findings.every((f) => /2380\/TCP \(etcd peer communication\)/.test(f.message) && f.severity === 'error'));
  });
  it('moves etcd requirements to the nodes with role etcd', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('        - port: 2379-2380\n', '') +
        '    - hostname: etcd-1\n      roles: [etcd]\n      interfaces:\n        - name: eth0\n          mac: "52:54:00:00:02:01"\n          address: 192.168.1.201/24\n      firewall:\n        - port: 2379\n',
    );
    assert.deepEqual(ofRule(findingsOf(text), 'missing-port-rule'), []);
  });
  it('reports the uncovered part of a partly covered range, and lets rules cover a range together', () => {
    const partial = inventory(
      controlPlane('cp-1', 11) +
        worker('w-1', 1).replace('port: 30000-32767', 'port: 30000-30999\n        - port: "31500-32767"'),
    );
    expectRule(findingsOf(partial), 'missing-port-rule', [
      {
        range: spanOf(partial, 'firewall', 1),
        severity: 'warning',
        message: /admits only part of 30000-32767\/TCP \(NodePort Services\); 31000-31499\/TCP is not covered/,
      },
    ]);
    const together = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1).replace('port: 30000-32767', 'port: 30000-30999\n        - port: 31000-32767'),
    );
    assert.deepEqual(ofRule(findingsOf(together), 'missing-port-rule'), []);
  });
  it('needs the protocol to match', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('        - port: 6443\n', '        - port: 6443\n          protocol: UDP\n'),
    );
    expectRule(findingsOf(text), 'missing-port-rule', [
      { range: spanOf(text, 'firewall'), severity: 'error', message: /6443\/TCP/ },
    ]);
  });
  it('requires the union of ports for a node with several roles', () => {
    const text = inventory(controlPlane('cp-1', 11).replace('[control-plane]', '[control-plane, worker]'));
    const messages = ofRule(findingsOf(text), 'missing-port-rule').map((f) => f.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /10256\/TCP/);
    assert.match(messages[1], /30000-32767\/TCP/);
  });
});

describe('missing-port-rule: Terraform security groups', () => {
  /** A group admitting what the Kubespray cluster of formats/terraform.test.ts needs, minus what a test removes. */
  const group = (without: string[] = [], extra = '') => {
    const rules: Array<[string, number, number, string]> = [
      ['api', 6443, 6443, 'tcp'],
      ['etcd', 2379, 2380, 'tcp'],
      ['kubelet', 10250, 10250, 'tcp'],
      ['cm', 10257, 10257, 'tcp'],
      ['sched', 10259, 10259, 'tcp'],
      ['proxy', 10256, 10256, 'tcp'],
      ['nodeports', 30000, 32767, 'tcp'],
      ['vxlan', 4789, 4789, 'udp'],
    ];
    return (
      'resource "aws_security_group" "k8s" {\n' +
      rules
        .filter(([name]) => !without.includes(name))
        .map(
          ([name, from, to, protocol]) =>
            `  ingress {\n    description = "${name}"\n    from_port   = ${from}\n    to_port     = ${to}\n    protocol    = "${protocol}"\n    self        = true\n  }\n`,
        )
        .join('\n') +
      extra +
      '}\n\nresource "aws_instance" "node" {\n  count                  = 4\n  private_ip             = "10.0.1.${11 + count.index}"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n'
    );
  };
  const cluster = (tf: string) => check({ 'inventory.ini': KUBESPRAY, 'terraform/main.tf': tf })('terraform/main.tf');

  it('is silent when the group admits everything its nodes need', () => {
    assert.deepEqual(cluster(group()), []);
  });

  it("reports a missing port on the group's resource line, naming the nodes, with each node as related information", () => {
    const tf = group(['etcd']);
    const findings = cluster(tf);
    expectRule(findings, 'missing-port-rule', [
      {
        range: spanOf(tf, 'resource "aws_security_group" "k8s" {'),
        severity: 'error',
        message:
          /^aws_security_group "k8s" admits no 2379\/TCP \(etcd server client API\); nodes "node1", "node2", "node3" \(control-plane, etcd\) behind it need it\.$/,
      },
      {
        range: spanOf(tf, 'resource "aws_security_group" "k8s" {'),
        severity: 'error',
        message: /admits no 2380\/TCP \(etcd peer communication\)/,
      },
    ]);
    const inventoryUri = 'file:///cluster/inventory.ini';
    assert.deepEqual(
      findings[0].related!.map((r) => [r.uri, r.range.start.line, r.message]),
      [
        [inventoryUri, 1, '"node1" needs 2379/TCP (etcd server client API)'],
        [inventoryUri, 2, '"node2" needs 2379/TCP (etcd server client API)'],
        [inventoryUri, 3, '"node3" needs 2379/TCP (etcd server client API)'],
      ],
    );
    assert.deepEqual(findings[0].data, {
      componentPort: 'etcd-client',
      firewall: 'file:///cluster/terraform/#aws_security_group.k8s',
      style: 'aws-inline',
      ports: [{ low: 2379, high: 2379 }],
      protocol: 'TCP',
      purpose: 'etcd server client API',
      source: { self: true },
    });
  });

  it('reports a partly covered range with the missing part', () => {
    const tf = group(
      ['nodeports'],
      '\n  ingress {\n    from_port   = 30000\n    to_port     = 31000\n    protocol    = "tcp"\n    self        = true\n  }\n',
    );
    expectRule(cluster(tf), 'missing-port-rule', [
      {
        range: spanOf(tf, 'resource "aws_security_group" "k8s" {'),
        severity: 'warning',
        message:
          /admits only part of 30000-32767\/TCP \(NodePort Services\); 31001-32767\/TCP is not covered; node "node4" \(worker\)/,
      },
    ]);
  });

  it('takes the union of every group attached to a node (AWS admits what any of them allows)', () => {
    const tf =
      group(['etcd']).replace(
        'vpc_security_group_ids = [aws_security_group.k8s.id]',
        'vpc_security_group_ids = [aws_security_group.k8s.id, aws_security_group.etcd.id]',
      ) +
      '\nresource "aws_security_group" "etcd" {\n  ingress {\n    from_port = 2379\n    to_port   = 2380\n    protocol  = "tcp"\n    self      = true\n  }\n}\n';
    assert.deepEqual(ofRule(cluster(tf), 'missing-port-rule'), []);
    // Without the second group's rule, both groups are named, and the finding is on the first.
    const closed = tf.replace('from_port = 2379\n    to_port   = 2380', 'from_port = 22\n    to_port   = 22');
    expectRule(cluster(closed), 'missing-port-rule', [
      {
        range: spanOf(closed, 'resource "aws_security_group" "k8s" {'),
        message: /^None of aws_security_group "k8s", aws_security_group "etcd" admits 2379\/TCP/,
      },
      { range: spanOf(closed, 'resource "aws_security_group" "k8s" {'), message: /admits 2380\/TCP/ },
    ]);
  });

  it('reports nothing an unknown entry could cover, nor for nodes with a group it cannot know', () => {
    const unknownPort = group(
      ['etcd'],
      '\n  ingress {\n    from_port = var.etcd_port\n    to_port   = var.etcd_port\n    protocol  = "tcp"\n    self      = true\n  }\n',
    );
    assert.deepEqual(ofRule(cluster(unknownPort), 'missing-port-rule'), []);
    const unknownGroup = group(['etcd']).replace(
      '[aws_security_group.k8s.id]',
      '[aws_security_group.k8s.id, data.aws_security_group.base.id]',
    );
    assert.deepEqual(ofRule(cluster(unknownGroup), 'missing-port-rule'), []);
    const unknownCount = group(['etcd']).replace(
      'resource "aws_security_group" "k8s" {',
      'resource "aws_security_group" "k8s" {\n  count = var.n',
    );
    assert.deepEqual(ofRule(cluster(unknownCount), 'missing-port-rule'), []);
  });

  it("quick-fix: an ingress block in the group, in the file's indentation, that re-checks clean", () => {
    const tf = group(['etcd']);
    const fixes = ruleFixes({ 'inventory.ini': KUBESPRAY, 'terraform/main.tf': tf }, 'terraform/main.tf', 'missing-port-rule');
    assert.deepEqual(
      fixes.map((f) => f.title),
      [
        'Add all 2 missing rules to aws_security_group "k8s"',
        'Add ingress rule 2379/TCP (etcd server client API) to aws_security_group "k8s"',
        'Add ingress rule 2380/TCP (etcd peer communication) to aws_security_group "k8s"',
      ],
    );
    // "Add all" is what fix-all applies: both blocks in one edit, and the file checks clean.
    assert.deepEqual(
      fixes.map((f) => f.isPreferred),
      [true, false, false],
    );
    assert.deepEqual(cluster(applyEdits(tf, fixes[0].edits)), []);
    const fixed = applyEdits(tf, fixes[1].edits);
    assert.equal(
      fixed.slice(fixed.indexOf('protocol    = "udp"')),
      yaml`
        protocol    = "udp"
            self        = true
          }

          ingress {
            description = "etcd server client API"
            from_port   = 2379
            to_port     = 2379
            protocol    = "tcp"
            self        = true
          }
        }
      `.replace(/^/, '') + tf.slice(tf.indexOf('\nresource "aws_instance"') + 1).replace(/^/, '\n'),
    );
    const both = applyEdits(
      fixed,
      ruleFixes({ 'inventory.ini': KUBESPRAY, 'terraform/main.tf': fixed }, 'terraform/main.tf', 'missing-port-rule')[0].edits,
    );
    assert.deepEqual(cluster(both), []);
  });

  it('quick-fix: an aws_security_group_rule after the group when it uses separate rules, keeping CRLF', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        name = "k8s"
      }

      resource "aws_security_group_rule" "all" {
        type              = "ingress"
        from_port         = 0
        to_port           = 65535
        protocol          = "tcp"
        self              = true
        security_group_id = aws_security_group.k8s.id
      }

      resource "aws_instance" "node" {
        count                  = 4
        private_ip             = "10.0.1.\${11 + count.index}"
        vpc_security_group_ids = [aws_security_group.k8s.id]
      }
    `.replace(/\n/g, '\r\n');
    const files = { 'inventory.ini': KUBESPRAY, 'terraform/main.tf': tf };
    expectRule(check(files)('terraform/main.tf'), 'missing-port-rule', [
      { range: spanOf(tf, 'resource "aws_security_group" "k8s" {'), message: /admits no 4789\/UDP \(Calico VXLAN\)/ },
    ]);
    const fixes = ruleFixes(files, 'terraform/main.tf', 'missing-port-rule');
    assert.equal(fixes[0].title, 'Add aws_security_group_rule 4789/UDP (Calico VXLAN) to aws_security_group "k8s"');
    const fixed = applyEdits(tf, fixes[0].edits);
    assert.ok(
      fixed.includes(
        '}\r\n\r\nresource "aws_security_group_rule" "k8s_udp_4789" {\r\n  type              = "ingress"\r\n  description       = "Calico VXLAN"\r\n  from_port         = 4789\r\n  to_port           = 4789\r\n  protocol          = "udp"\r\n  self              = true\r\n  security_group_id = aws_security_group.k8s.id\r\n}\r\n\r\nresource "aws_security_group_rule" "all"',
      ),
      fixed,
    );
    assert.doesNotMatch(fixed, /[^\r]\n/);
    assert.deepEqual(check({ ...files, 'terraform/main.tf': fixed })('terraform/main.tf'), []);
  });
});

describe('missing-port-rule: Hetzner Cloud firewalls', () => {
  const PUBLIC = KUBESPRAY.replace(/ip=10\.0\.1\.(\d+)/g, 'ansible_host=198.51.100.$1');
  const tf = yaml`
    resource "hcloud_firewall" "k8s" {
      name = "k8s"
      rule {
        direction  = "in"
        protocol   = "tcp"
        port       = "1-2378"
        source_ips = ["198.51.100.0/24"]
      }
      rule {
        direction  = "in"
        protocol   = "tcp"
        port       = "2381-65535"
        source_ips = ["198.51.100.0/24"]
      }
      rule {
        direction  = "in"
        protocol   = "udp"
        port       = "any"
        source_ips = ["198.51.100.0/24"]
      }
    }

    resource "hcloud_server" "node" {
      count        = 4
      name         = "node\${count.index + 1}"
      firewall_ids = [hcloud_firewall.k8s.id]
    }
  `;
  const files = { 'inventory.ini': PUBLIC, 'tf/main.tf': tf };

  it("reports etcd ports missing on the firewall, and its quick-fix writes a rule block from the rules' own sources", () => {
    expectRule(check(files)('tf/main.tf'), 'missing-port-rule', [
      {
        range: spanOf(tf, 'resource "hcloud_firewall" "k8s" {'),
        severity: 'error',
        message: /^hcloud_firewall "k8s" admits no 2379\/TCP/,
      },
      {
        range: spanOf(tf, 'resource "hcloud_firewall" "k8s" {'),
        severity: 'error',
        message: /^hcloud_firewall "k8s" admits no 2380\/TCP/,
      },
    ]);
    const fixes = ruleFixes(files, 'tf/main.tf', 'missing-port-rule');
    assert.equal(fixes[1].title, 'Add rule 2379/TCP (etcd server client API) to hcloud_firewall "k8s"');
    const once = applyEdits(tf, fixes[1].edits);
    assert.ok(
      once.includes(
        '  }\n\n  rule {\n    description = "etcd server client API"\n    direction   = "in"\n    protocol    = "tcp"\n    port        = "2379"\n    source_ips  = ["198.51.100.0/24"]\n  }\n}\n',
      ),
      once,
    );
    const twice = applyEdits(once, ruleFixes({ ...files, 'tf/main.tf': once }, 'tf/main.tf', 'missing-port-rule')[0].edits);
    assert.deepEqual(check({ ...files, 'tf/main.tf': applyEdits(tf, fixes[0].edits) })('tf/main.tf'), []);
    assert.deepEqual(check({ ...files, 'tf/main.tf': twice })('tf/main.tf'), []);
  });

  it('is silent for nodes reached over the private network', () => {
    assert.deepEqual(check({ ...files, 'inventory.ini': KUBESPRAY })('tf/main.tf'), []);
  });
});
