import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { clusterMapData } from '../../../server/src/engine/features/clusterMap';
import { hover } from '../../../server/src/engine/features/hover';
import { guardsOf, type ExternalFirewallEntry, type FirewallContribution } from '../../../server/src/engine/model/firewalls';
import { TerraformModule, Unknown, ROOT_SCOPE } from '../../../server/src/engine/sources/terraform/evaluate';
import { parseHcl } from '../../../server/src/engine/sources/terraform/hcl';
import { check, expectRule, KUBESPRAY, ofRule, ROOT, spanOf, yaml } from '../../helpers';

function modelOf(files: Record<string, string>) {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  workspace.analyzeAll();
  return workspace.model(ROOT + 'inventory.ini');
}

function firewallsOf(files: Record<string, string>): FirewallContribution[] {
  return [...modelOf(files).firewalls.firewalls];
}

/** An entry as plain facts: protocol, ports, sources (as text), unknown reason. */
function facts(entry: ExternalFirewallEntry) {
  return {
    protocol: entry.protocol,
    ports: typeof entry.ports === 'object' ? `${entry.ports.low}-${entry.ports.high}` : entry.ports,
    sources: entry.sources.map(({ source }) =>
      source.kind === 'cidr' ? source.cidr.text : source.kind === 'members' ? `members of ${source.label}` : source.kind,
    ),
    ...(entry.unknown ? { unknown: entry.unknown } : {}),
  };
}

function evaluate(source: string, files: Record<string, string> = {}) {
  const all = { 'main.tf': `locals {\n  x = ${source}\n}\n`, ...files };
  const module = new TerraformModule(
    Object.entries(all).map(([name, text]) => ({
      uri: ROOT + name,
      body: parseHcl(text)!.body,
      vars: name.endsWith('.tfvars')
        ? name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')
          ? 'auto'
          : 'file'
        : undefined,
    })),
  );
  return module.local('x');
}

describe('Terraform: HCL evaluation', () => {
  it('reads literals, lists, maps and string templates', () => {
    assert.deepEqual(evaluate('[1, "a", true, null]'), [1, 'a', true, null]);
    assert.deepEqual(evaluate('{ Name = "n", "k" = 2 }'), { Name: 'n', k: 2 });
    assert.equal(evaluate('"node-${1 + 2}"'), 'node-3');
    assert.equal(evaluate('"a\\"b"'), 'a"b');
  });
  it('takes variables from their default, then terraform.tfvars and *.auto.tfvars, then agreeing -var-files', () => {
    const variable = 'variable "cidr" {\n  default = "10.0.0.0/16"\n}\n';
    assert.equal(evaluate('var.cidr', { 'vars.tf': variable }), '10.0.0.0/16');
    assert.equal(evaluate('var.cidr', { 'vars.tf': variable, 'terraform.tfvars': 'cidr = "10.1.0.0/16"\n' }), '10.1.0.0/16');
    assert.equal(evaluate('var.cidr', { 'vars.tf': variable, 'x.auto.tfvars': 'cidr = "10.2.0.0/16"\n' }), '10.2.0.0/16');
    assert.equal(evaluate('var.cidr', { 'vars.tf': variable, 'prod.tfvars': 'cidr = "10.3.0.0/16"\n' }), '10.3.0.0/16');
    const disagree = evaluate('var.cidr', {
      'vars.tf': variable,
      'a.tfvars': 'cidr = "10.3.0.0/16"\n',
      'b.tfvars': 'cidr = "10.4.0.0/16"\n',
    });
    assert.ok(disagree instanceof Unknown && /set differently/.test(disagree.why));
    const undeclared = evaluate('var.nope');
    assert.ok(undeclared instanceof Unknown && /not declared/.test(undeclared.why));
    const noDefault = evaluate('var.cidr', { 'vars.tf': 'variable "cidr" {}\n' });
    assert.ok(noDefault instanceof Unknown && /no default/.test(noDefault.why));
  });
  it('evaluates locals once and calls a cycle unknown', () => {
    assert.ok(evaluate('local.x') instanceof Unknown);
  });
  it('implements concat, flatten, toset, lookup, merge, cidrsubnet, cidrhost and format', () => {
    assert.deepEqual(evaluate('concat(["a"], ["b", "c"])'), ['a', 'b', 'c']);
    assert.deepEqual(evaluate('flatten([["a"], [["b"]], "c"])'), ['a', 'b', 'c']);
    assert.deepEqual(evaluate('toset(["a", "b", "a"])'), ['a', 'b']);
    assert.equal(evaluate('lookup({ a = 1 }, "a", 2)'), 1);
    assert.equal(evaluate('lookup({ a = 1 }, "b", 2)'), 2);
    assert.deepEqual(evaluate('merge({ a = 1 }, { b = 2, a = 3 })'), { a: 3, b: 2 });
    assert.equal(evaluate('cidrsubnet("10.0.0.0/16", 8, 2)'), '10.0.2.0/24');
    assert.equal(evaluate('cidrsubnet("fd00::/56", 8, 1)'), 'fd00:0:0:1::/64');
    assert.equal(evaluate('cidrhost("10.0.1.0/24", 11)'), '10.0.1.11');
    assert.equal(evaluate('cidrhost("10.0.1.0/24", -2)'), '10.0.1.254');
    assert.equal(evaluate('format("node-%02d-%s", 3, "x")'), 'node-03-x');
  });
  it('keeps what only Terraform knows when it runs unknown, with the reason', () => {
    for (const [source, why] of [
      ['data.aws_vpc.main.cidr_block', /data source/],
      ['module.vpc.cidr', /module's output/],
      ['upper("a")', /upper\(\) is not evaluated/],
      ['[for p in [1] : p]', /`for` expression/],
      ['concat(data.x.y.z, ["a"])', /not known lists/],
    ] as const) {
      const value = evaluate(source);
      assert.ok(value instanceof Unknown, source);
      assert.match(value.why, why, source);
    }
  });
  it('stays bounded on hostile input: deep nesting, huge counts, long lists', () => {
    const deep = evaluate(`${'['.repeat(200)}1${']'.repeat(200)}`);
    assert.ok(JSON.stringify(deep).includes('Unknown') || deep instanceof Unknown || Array.isArray(deep));
    const module = new TerraformModule([
      { uri: ROOT + 'main.tf', body: parseHcl('resource "aws_instance" "x" {\n  count = 100000000\n}\n')!.body },
    ]);
    const { scopes, unknown } = module.instances(module.resources[0].block.body);
    assert.equal(scopes.length, 1);
    assert.ok(unknown);
    assert.equal(module.evaluate({ t: 'literal', value: 1, range: spanOf('a', 'a') }, ROOT_SCOPE), 1);
  });
});

describe('Terraform: AWS security groups', () => {
  const instance = (name: string, extra: string) => `resource "aws_instance" "${name}" {\n  ami = "ami-1"\n${extra}}\n`;

  it('reads inline ingress blocks: ports, protocols (-1, names, numbers), CIDRs, IPv6 CIDRs and self', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        ingress {
          from_port   = 6443
          to_port     = 6443
          protocol    = "tcp"
          cidr_blocks = ["10.0.0.0/16"]
          ipv6_cidr_blocks = ["fd00::/64"]
        }
        ingress {
          from_port = 0
          to_port   = 0
          protocol  = "-1"
          self      = true
        }
        ingress {
          from_port = 4789
          to_port   = 4789
          protocol  = 17
          self      = true
        }
        ingress {
          from_port = 0
          to_port   = 0
          protocol  = "4"
          self      = true
        }
      }
    `;
    const [group] = firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.equal(group.label, 'aws_security_group "k8s"');
    assert.deepEqual(group.header.range, spanOf(tf, 'resource "aws_security_group" "k8s" {'));
    assert.deepEqual(group.entries.map(facts), [
      { protocol: 'TCP', ports: '6443-6443', sources: ['10.0.0.0/16', 'fd00::/64'] },
      { protocol: 'all', ports: 'all', sources: ['members of aws_security_group "k8s"'] },
      { protocol: 'UDP', ports: '4789-4789', sources: ['members of aws_security_group "k8s"'] },
      { protocol: 'IPIP', ports: 'all', sources: ['members of aws_security_group "k8s"'] },
    ]);
    assert.deepEqual(group.entries[0].sources[1].at.range, spanOf(tf, '"fd00::/64"'));
    assert.deepEqual(group.entries[2].protocolAt!.range, spanOf(tf, '17'));
  });

  it('reads dynamic ingress blocks over known collections, and one unknown entry over an unknown one', () => {
    const tf = yaml`
      variable "ports" {
        default = [6443, 10250]
      }
      resource "aws_security_group" "k8s" {
        dynamic "ingress" {
          for_each = var.ports
          content {
            from_port   = ingress.value
            to_port     = ingress.value
            protocol    = "tcp"
            cidr_blocks = ["10.0.0.0/16"]
          }
        }
        dynamic "ingress" {
          for_each = toset(["8472"])
          iterator = port
          content {
            from_port = port.key
            to_port   = port.value
            protocol  = "udp"
            self      = true
          }
        }
        dynamic "ingress" {
          for_each = data.external.ports.result
          content {
            from_port = ingress.value
            to_port   = ingress.value
            protocol  = "tcp"
          }
        }
      }
    `;
    const [group] = firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.deepEqual(group.entries.map(facts), [
      { protocol: 'TCP', ports: '6443-6443', sources: ['10.0.0.0/16'] },
      { protocol: 'TCP', ports: '10250-10250', sources: ['10.0.0.0/16'] },
      { protocol: 'UDP', ports: '8472-8472', sources: ['members of aws_security_group "k8s"'] },
      {
        protocol: 'unknown',
        ports: 'unknown',
        sources: [],
        unknown: 'the collection its for_each iterates is not known (a data source is read only when Terraform runs)',
      },
    ]);
  });

  it('reads aws_security_group_rule (ingress only, with count) and aws_vpc_security_group_ingress_rule, attached by security_group_id', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        name = "k8s"
      }
      resource "aws_security_group" "lb" {
        name = "lb"
      }
      resource "aws_security_group_rule" "etcd" {
        count             = 2
        type              = "ingress"
        from_port         = 2379 + count.index
        to_port           = 2379 + count.index
        protocol          = "tcp"
        source_security_group_id = aws_security_group.k8s.id
        security_group_id = aws_security_group.k8s.id
      }
      resource "aws_security_group_rule" "out" {
        type              = "egress"
        from_port         = 0
        to_port           = 0
        protocol          = "-1"
        cidr_blocks       = ["0.0.0.0/0"]
        security_group_id = aws_security_group.k8s.id
      }
      resource "aws_vpc_security_group_ingress_rule" "api" {
        security_group_id            = aws_security_group.k8s.id
        referenced_security_group_id = aws_security_group.lb.id
        from_port                    = 6443
        to_port                      = 6443
        ip_protocol                  = "tcp"
      }
      resource "aws_vpc_security_group_ingress_rule" "vxlan" {
        security_group_id = aws_security_group.k8s.id
        cidr_ipv4         = "10.0.0.0/16"
        from_port         = 4789
        to_port           = 4789
        ip_protocol       = "udp"
      }
    `;
    const [k8s, lb] = firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.equal(k8s.style, 'aws-rules');
    assert.equal(lb.entries.length, 0);
    assert.deepEqual(k8s.entries.map(facts), [
      { protocol: 'TCP', ports: '2379-2379', sources: ['members of aws_security_group "k8s"'] },
      { protocol: 'TCP', ports: '2380-2380', sources: ['members of aws_security_group "k8s"'] },
      { protocol: 'TCP', ports: '6443-6443', sources: ['members of aws_security_group "lb"'] },
      { protocol: 'UDP', ports: '4789-4789', sources: ['10.0.0.0/16'] },
    ]);
    assert.deepEqual(k8s.entries[0].at.range, spanOf(tf, 'resource "aws_security_group_rule" "etcd" {'));
    assert.deepEqual(k8s.entries[2].sources[0].at.range, spanOf(tf, 'aws_security_group.lb.id'));
  });

  it('marks every group incomplete when a rule adds to a group it cannot name', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
      }
      resource "aws_security_group_rule" "api" {
        type              = "ingress"
        from_port         = 6443
        to_port           = 6443
        protocol          = "tcp"
        cidr_blocks       = ["0.0.0.0/0"]
        security_group_id = var.group
      }
    `;
    const [k8s] = firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.match(k8s.incomplete!, /adds to a group that is not known/);
  });

  it('marks an entry whose port, protocol or every source is unknown, and keeps known sources beside unknown ones', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        ingress {
          from_port   = var.port
          to_port     = var.port
          protocol    = "tcp"
          cidr_blocks = ["10.0.0.0/16"]
        }
        ingress {
          from_port   = 6443
          to_port     = 6443
          protocol    = local.proto
          cidr_blocks = ["10.0.0.0/16"]
        }
        ingress {
          from_port   = 6443
          to_port     = 6443
          protocol    = "tcp"
          cidr_blocks = [data.aws_vpc.main.cidr_block]
        }
        ingress {
          from_port   = 10250
          to_port     = 10250
          protocol    = "tcp"
          cidr_blocks = ["10.0.0.0/16", data.aws_vpc.main.cidr_block]
          prefix_list_ids = ["pl-1"]
        }
      }
    `;
    const [k8s] = firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.deepEqual(
      k8s.entries.map((e) => e.unknown),
      [
        'its port is not known (var.port is not declared in this module)',
        'its protocol is not known (local.proto is not defined in this module)',
        'its source is not known (a data source is read only when Terraform runs)',
        undefined,
      ],
    );
    assert.deepEqual(facts(k8s.entries[3]).sources, ['10.0.0.0/16', 'unknown', 'unknown']);
  });

  it("links instances to nodes by literal private_ip or Name tag, through vpc_security_group_ids or security_groups' names", () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        name = "k8s-nodes"
      }
      resource "aws_security_group" "extra" {
      }
      resource "aws_instance" "cp" {
        count                  = 2
        private_ip             = cidrhost("10.0.1.0/24", 11 + count.index)
        vpc_security_group_ids = [aws_security_group.k8s.id, aws_security_group.extra.id]
      }
      resource "aws_instance" "cp3" {
        security_groups = ["k8s-nodes"]
        tags = {
          Name = "NODE3"
        }
      }
      resource "aws_instance" "worker" {
        private_ip             = "10.0.1.14"
        vpc_security_group_ids = [aws_security_group.k8s.id, var.more]
      }
      resource "aws_instance" "elsewhere" {
        private_ip             = "10.9.9.9"
        vpc_security_group_ids = [aws_security_group.k8s.id]
      }
    `;
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    const guards = guardsOf(model.firewalls, model.nodes);
    assert.deepEqual(
      guards.map((g) => [g.node.hostname!.value, g.firewalls.map((f) => f.label), g.alsoUnknown ?? null]),
      [
        ['node1', ['aws_security_group "k8s"', 'aws_security_group "extra"'], null],
        ['node2', ['aws_security_group "k8s"', 'aws_security_group "extra"'], null],
        ['node3', ['aws_security_group "k8s"'], null],
        ['node4', ['aws_security_group "k8s"'], 'var.more is not declared in this module'],
      ],
    );
    assert.deepEqual(guards[2].machines[0].range, spanOf(tf, 'resource "aws_instance" "cp3" {'));
  });

  it('joins the cluster of the nearest directory above, and reports nothing where it guards no node', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        ingress {
          from_port = 22
          to_port   = 22
          protocol  = "tcp"
          cidr_blocks = ["0.0.0.0/0"]
        }
      }
      resource "aws_instance" "x" {
        private_ip             = "10.0.1.11"
        vpc_security_group_ids = [aws_security_group.k8s.id]
      }
    `;
    const findings = check({
      'inventory.ini': KUBESPRAY,
      'terraform/main.tf': tf,
      'elsewhere/main.tf': tf.replace('10.0.1.11', '10.5.0.1'),
    });
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(ROOT + 'inventory.ini', KUBESPRAY);
    workspace.setText(ROOT + 'terraform/main.tf', tf);
    workspace.analyzeAll();
    assert.equal(workspace.clusterOf(ROOT + 'terraform/main.tf'), workspace.clusterOf(ROOT + 'inventory.ini'));
    assert.ok(ofRule(findings('terraform/main.tf'), 'missing-port-rule').length > 0);
    assert.deepEqual(findings('elsewhere/main.tf'), []);
    // A module with no inventory anywhere near: nothing at all.
    assert.deepEqual(check({ 'infra/main.tf': tf })('infra/main.tf'), []);
  });

  it('yields what parsed from a file with syntax errors, and a file that is not HCL contributes nothing', () => {
    const tf = yaml`
      resource "aws_security_group" "k8s" {
        ingress {
          from_port = 22
          to_port   = 22
          protocol  = "tcp"
          cidr_blocks = ["0.0.0.0/0"]
        }
      }
      resource "broken" {
        a = [1,
    `;
    const [group] = firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.equal(group.entries.length, 1);
    assert.deepEqual(firewallsOf({ 'inventory.ini': KUBESPRAY, 'main.tf': '\u0000\u0001 not hcl {{{' }), []);
    void instance;
  });
});

describe('Terraform: Hetzner Cloud firewalls', () => {
  /** The Kubespray cluster reached at public addresses (no private network in the inventory). */
  const PUBLIC = KUBESPRAY.replace(/ip=10\.0\.1\.(\d+)/g, 'ansible_host=198.51.100.$1');
  const tf = yaml`
    resource "hcloud_firewall" "k8s" {
      name = "k8s"
      rule {
        direction  = "in"
        protocol   = "tcp"
        port       = "6443"
        source_ips = ["0.0.0.0/0", "::/0"]
      }
      rule {
        direction  = "in"
        protocol   = "tcp"
        port       = "30000-32767"
        source_ips = ["198.51.100.0/24"]
      }
      rule {
        direction  = "in"
        protocol   = "icmp"
        source_ips = ["0.0.0.0/0"]
      }
      rule {
        direction       = "out"
        protocol        = "tcp"
        port            = "any"
        destination_ips = ["0.0.0.0/0"]
      }
      rule {
        direction  = "in"
        protocol   = "udp"
        port       = var.port
        source_ips = ["0.0.0.0/0"]
      }
    }

    resource "hcloud_server" "node" {
      count        = 4
      name         = "node\${count.index + 1}"
      firewall_ids = [hcloud_firewall.k8s.id]
    }
  `;

  it('reads rules (in only; ports, ranges, any; ICMP) with their sources, and links servers by name', () => {
    const model = modelOf({ 'inventory.ini': PUBLIC, 'main.tf': tf });
    const [firewall] = model.firewalls.firewalls;
    assert.equal(firewall.style, 'hcloud');
    assert.deepEqual(firewall.entries.map(facts), [
      { protocol: 'TCP', ports: '6443-6443', sources: ['0.0.0.0/0', '::/0'] },
      { protocol: 'TCP', ports: '30000-32767', sources: ['198.51.100.0/24'] },
      { protocol: 'ICMP', ports: 'all', sources: ['0.0.0.0/0'] },
      {
        protocol: 'UDP',
        ports: 'unknown',
        sources: ['0.0.0.0/0'],
        unknown: 'its port is not known (var.port is not declared in this module)',
      },
    ]);
    assert.deepEqual(
      guardsOf(model.firewalls, model.nodes).map((g) => g.node.hostname!.value),
      ['node1', 'node2', 'node3', 'node4'],
    );
  });

  it('guards no node the cluster reaches at a private address: Hetzner Cloud firewalls filter the public interface only', () => {
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    assert.deepEqual(guardsOf(model.firewalls, model.nodes), []);
  });

  it('links through apply_to and attachments, and knows nothing for sure when a label selector may add a firewall', () => {
    const attached =
      tf.replace('  firewall_ids = [hcloud_firewall.k8s.id]\n', '') +
      'resource "hcloud_firewall_attachment" "k8s" {\n  firewall_id = hcloud_firewall.k8s.id\n  server_ids  = [hcloud_server.node.id]\n}\n';
    let model = modelOf({ 'inventory.ini': PUBLIC, 'main.tf': attached });
    assert.equal(guardsOf(model.firewalls, model.nodes).length, 4);
    const applied = tf
      .replace('  firewall_ids = [hcloud_firewall.k8s.id]\n', '')
      .replace('  name = "k8s"\n', '  name = "k8s"\n  apply_to {\n    server = hcloud_server.node.id\n  }\n');
    model = modelOf({ 'inventory.ini': PUBLIC, 'main.tf': applied });
    assert.equal(guardsOf(model.firewalls, model.nodes).length, 4);
    const labels = tf.replace('  name = "k8s"\n', '  name = "k8s"\n  apply_to {\n    label_selector = "role=k8s"\n  }\n');
    model = modelOf({ 'inventory.ini': PUBLIC, 'main.tf': labels });
    assert.match(guardsOf(model.firewalls, model.nodes)[0].alsoUnknown!, /applied by a label selector/);
  });
});

describe('Terraform: OpenStack security groups', () => {
  const tf = yaml`
    resource "openstack_networking_secgroup_v2" "k8s" {
      name = "k8s"
    }
    resource "openstack_networking_secgroup_rule_v2" "members" {
      direction         = "ingress"
      ethertype         = "IPv4"
      remote_group_id   = openstack_networking_secgroup_v2.k8s.id
      security_group_id = openstack_networking_secgroup_v2.k8s.id
    }
    resource "openstack_networking_secgroup_rule_v2" "api" {
      count             = length(var.api_ports)
      direction         = "ingress"
      ethertype         = "IPv4"
      protocol          = "tcp"
      port_range_min    = var.api_ports[count.index]
      port_range_max    = var.api_ports[count.index]
      remote_ip_prefix  = "0.0.0.0/0"
      security_group_id = openstack_networking_secgroup_v2.k8s.id
    }
    resource "openstack_networking_secgroup_rule_v2" "vxlan" {
      direction         = "ingress"
      ethertype         = "IPv4"
      protocol          = "udp"
      port_range_min    = 4789
      port_range_max    = 4789
      security_group_id = openstack_networking_secgroup_v2.k8s.id
    }
    resource "openstack_networking_secgroup_rule_v2" "out" {
      direction         = "egress"
      ethertype         = "IPv4"
      security_group_id = openstack_networking_secgroup_v2.k8s.id
    }
    variable "api_ports" {
      default = [6443, 10250]
    }
    resource "openstack_compute_instance_v2" "node" {
      count           = 4
      name            = "node-\${count.index + 1}"
      security_groups = [openstack_networking_secgroup_v2.k8s.name]
      network {
        fixed_ip_v4 = "10.0.1.\${count.index + 11}"
      }
    }
  `;

  it('reads rules (every protocol when none is written, anywhere when no remote is), counted rules, and links instances by fixed_ip_v4', () => {
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf });
    const [group] = model.firewalls.firewalls;
    assert.equal(group.label, 'openstack_networking_secgroup_v2 "k8s"');
    assert.deepEqual(group.entries.map(facts), [
      { protocol: 'all', ports: 'all', sources: ['members of openstack_networking_secgroup_v2 "k8s"'] },
      { protocol: 'TCP', ports: '6443-6443', sources: ['0.0.0.0/0'] },
      { protocol: 'TCP', ports: '10250-10250', sources: ['0.0.0.0/0'] },
      { protocol: 'UDP', ports: '4789-4789', sources: ['any'] },
    ]);
    assert.deepEqual(
      guardsOf(model.firewalls, model.nodes).map((g) => g.node.hostname!.value),
      ['node1', 'node2', 'node3', 'node4'],
    );
    // Everything from the members: nothing is missing.
    assert.deepEqual(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': tf })('tf/main.tf'), []);
  });

  it('calls a node behind a group from elsewhere ("default") not known, and reports a missing port otherwise', () => {
    const narrow = tf.replace(/resource "openstack_networking_secgroup_rule_v2" "members" \{[^}]*\}\n/, '');
    const findings = check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': narrow })('tf/main.tf');
    const header = spanOf(narrow, 'resource "openstack_networking_secgroup_v2" "k8s" {');
    // In message order at one place: errors first, then warnings.
    expectRule(findings, 'missing-port-rule', [
      { range: header, severity: 'error', message: /admits no 2379\/TCP/ },
      { range: header, severity: 'error', message: /admits no 2380\/TCP/ },
      {
        range: header,
        severity: 'warning',
        message: /admits no 10256\/TCP \(kube-proxy health check\); node "node4" \(worker\)/,
      },
      { range: header, severity: 'warning', message: /admits no 10257\/TCP/ },
      { range: header, severity: 'warning', message: /admits no 10259\/TCP/ },
      { range: header, severity: 'warning', message: /admits no 30000-32767\/TCP/ },
    ]);
    const withDefault = narrow.replace(
      '[openstack_networking_secgroup_v2.k8s.name]',
      '[openstack_networking_secgroup_v2.k8s.name, "default"]',
    );
    assert.deepEqual(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': withDefault })('tf/main.tf'), []);
  });
});

describe('Terraform: hostile input', () => {
  it('reads a 1,000-resource module, 2,000-deep nesting, a 100,000-element tfvars list and cyclic locals without an internal error', () => {
    const resources = Array.from(
      { length: 1000 },
      (_, i) =>
        `resource "aws_security_group_rule" "r${i}" {\n  type = "ingress"\n  from_port = ${i}\n  to_port = ${i}\n  protocol = "tcp"\n  cidr_blocks = [local.c${i % 7}]\n  security_group_id = aws_security_group.k8s.id\n}\n`,
    ).join('');
    const files = {
      'inventory.ini': KUBESPRAY,
      'tf/main.tf':
        'resource "aws_security_group" "k8s" {\n}\n' +
        'resource "aws_instance" "n" {\n  count = 100000000\n  private_ip = "10.0.1.11"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n' +
        `locals {\n${Array.from({ length: 7 }, (_, i) => `  c${i} = local.c${(i + 1) % 7}\n`).join('')}  deep = ${'['.repeat(2000)}1${']'.repeat(2000)}\n  big = concat(var.big, var.big, var.big)\n}\n` +
        `resource "aws_security_group" "deep" {\n  ingress {\n    from_port = ${'('.repeat(2000)}1${')'.repeat(2000)}\n  }\n${'  dynamic "x" {\n    content {\n'.repeat(300)}${'    }\n  }\n'.repeat(300)}}\n` +
        resources,
      'tf/terraform.tfvars': `big = [${Array.from({ length: 100000 }, (_, i) => i).join(', ')}]\n`,
    };
    const findings = check(files);
    for (const name of Object.keys(files)) assert.deepEqual(ofRule(findings(name), 'internal-error'), [], name);
    // The cyclic locals make every TCP rule's source unknown: such a rule may admit any TCP port, so
    // only what no TCP rule can admit is reported (Calico's VXLAN over UDP).
    assert.deepEqual(
      ofRule(findings('tf/main.tf'), 'missing-port-rule').map((f) => [f.range.start.line, f.message.slice(0, 47)]),
      [[0, 'aws_security_group "k8s" admits no 4789/UDP (Ca']],
    );
  });
});

describe('Terraform: hovers', () => {
  const tf = yaml`
    resource "aws_security_group" "k8s" {
      ingress {
        from_port = 6443
        to_port   = 6443
        protocol  = "tcp"
        self      = true
      }
    }
    resource "aws_instance" "node" {
      count                  = 4
      private_ip             = "10.0.1.\${11 + count.index}"
      vpc_security_group_ids = [aws_security_group.k8s.id]
    }
  `;
  const workspace = () => {
    const w = new Workspace();
    w.setRoots([ROOT]);
    w.setText(ROOT + 'inventory.ini', KUBESPRAY);
    w.setText(ROOT + 'tf/main.tf', tf);
    w.findings(ROOT + 'tf/main.tf');
    return w;
  };

  it("a Kubespray host's hover names the security groups in front of it", () => {
    const result = hover(workspace(), ROOT + 'inventory.ini', spanOf(KUBESPRAY, 'node2').start);
    assert.match(result!.markdown, /Firewalls in front of it: aws_security_group "k8s" \(main\.tf:1\)\./);
  });

  it("a group's hover lists its nodes; a rule's, what it admits and which requirements it serves", () => {
    const w = workspace();
    const group = hover(w, ROOT + 'tf/main.tf', spanOf(tf, '"k8s"').start);
    assert.deepEqual(group!.range, spanOf(tf, 'resource "aws_security_group" "k8s" {'));
    assert.match(group!.markdown, /a cloud firewall in front of 4 nodes of this cluster\.\n\n- "node1" \(control-plane, etcd\)/);
    const rule = hover(w, ROOT + 'tf/main.tf', spanOf(tf, '6443').start);
    assert.match(rule!.markdown, /^\*\*aws_security_group "k8s"\*\* admits 6443\/TCP from members of aws_security_group "k8s"\./);
    assert.match(rule!.markdown, /- 6443\/TCP — Kubernetes API server \(kube-apiserver\): "node1", "node2", "node3"$/);
  });
});

describe('Terraform: the cluster map', () => {
  it("shows the guarded nodes' cells from the security group: open, and missing with the finding", () => {
    const tf =
      'resource "aws_security_group" "k8s" {\n  ingress {\n    from_port = 0\n    to_port   = 65535\n    protocol  = "tcp"\n    self      = true\n  }\n}\n' +
      'resource "aws_instance" "node" {\n  count                  = 4\n  private_ip             = "10.0.1.${11 + count.index}"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n';
    const w = new Workspace();
    w.setRoots([ROOT]);
    w.setText(ROOT + 'inventory.ini', KUBESPRAY);
    w.setText(ROOT + 'tf/main.tf', tf);
    const map = clusterMapData(w, ROOT + 'inventory.ini');
    const vxlan = map.columns.findIndex((c) => c.id === 'cni-calico-vxlan');
    const api = map.columns.findIndex((c) => c.id === 'kube-apiserver');
    assert.deepEqual(
      map.cells.map((row) => [row[api].status, row[vxlan].status]),
      [
        ['open', 'missing'],
        ['open', 'missing'],
        ['open', 'missing'],
        ['none', 'missing'],
      ],
    );
    assert.equal(map.cells[0][vxlan].uri, ROOT + 'tf/main.tf');
    assert.match(map.cells[0][vxlan].message!, /^aws_security_group "k8s" admits no 4789\/UDP/);
  });
});

describe('Terraform: Google Cloud firewall rules', () => {
  const tf = (allowPriority: number) => yaml`
    resource "google_compute_firewall" "deny_all" {
      name     = "deny-all"
      network  = "k8s"
      priority = 1000
      deny {
        protocol = "all"
      }
    }
    resource "google_compute_firewall" "internal" {
      name          = "internal"
      network       = "k8s"
      priority      = ${allowPriority}
      source_ranges = ["10.0.1.0/24"]
      allow {
        protocol = "tcp"
        ports    = ["6443", "2379-2380", "10250-10259", "30000-32767"]
      }
      allow {
        protocol = "udp"
        ports    = ["4789"]
      }
    }
    resource "google_compute_firewall" "api" {
      name          = "api"
      network       = "k8s"
      priority      = ${allowPriority}
      target_tags   = ["master"]
      source_ranges = ["0.0.0.0/0"]
      allow {
        protocol = "tcp"
        ports    = [6443]
      }
    }
    resource "google_compute_instance" "master" {
      count = 3
      name  = "node\${count.index + 1}"
      tags  = ["master"]
      network_interface {
        network = "k8s"
      }
    }
    resource "google_compute_instance" "worker" {
      name = "node4"
      tags = ["worker"]
      network_interface {
        network    = "k8s"
        network_ip = "10.0.1.14"
      }
    }
  `;

  it('reads allow blocks (one entry per port or range), source ranges, and applies rules by target tags', () => {
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tf(500) });
    const [deny, internal, api] = model.firewalls.firewalls;
    assert.deepEqual(deny.entries, []);
    assert.deepEqual(internal.entries.map(facts), [
      { protocol: 'TCP', ports: '6443-6443', sources: ['10.0.1.0/24'] },
      { protocol: 'TCP', ports: '2379-2380', sources: ['10.0.1.0/24'] },
      { protocol: 'TCP', ports: '10250-10259', sources: ['10.0.1.0/24'] },
      { protocol: 'TCP', ports: '30000-32767', sources: ['10.0.1.0/24'] },
      { protocol: 'UDP', ports: '4789-4789', sources: ['10.0.1.0/24'] },
    ]);
    assert.deepEqual(api.entries.map(facts), [{ protocol: 'TCP', ports: '6443-6443', sources: ['0.0.0.0/0'] }]);
    assert.deepEqual(
      guardsOf(model.firewalls, model.nodes).map((g) => [
        g.node.hostname!.value,
        g.firewalls.map((f) => f.label),
        g.alsoUnknown ?? null,
      ]),
      [
        ['node1', ['google_compute_firewall "internal"', 'google_compute_firewall "api"'], null],
        ['node2', ['google_compute_firewall "internal"', 'google_compute_firewall "api"'], null],
        ['node3', ['google_compute_firewall "internal"', 'google_compute_firewall "api"'], null],
        ['node4', ['google_compute_firewall "internal"'], null],
      ],
    );
    assert.deepEqual(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': tf(500) })('tf/main.tf'), []);
  });

  it('reports a missing port when every deny ranks below every allow, and nothing when a deny outranks or ties one', () => {
    const narrow = tf(500).replace('"10250-10259", ', '"10250", ');
    expectRule(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': narrow })('tf/main.tf'), 'missing-port-rule', [
      { range: spanOf(narrow, 'resource "google_compute_firewall" "internal" {'), severity: 'warning', message: /10256\/TCP/ },
      { range: spanOf(narrow, 'resource "google_compute_firewall" "api" {'), severity: 'warning', message: /10257\/TCP/ },
      { range: spanOf(narrow, 'resource "google_compute_firewall" "api" {'), severity: 'warning', message: /10259\/TCP/ },
    ]);
    const tied = tf(1000).replace('"10250-10259", ', '"10250", ');
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'main.tf': tied });
    assert.match(guardsOf(model.firewalls, model.nodes)[0].alsoUnknown!, /deny rule .* outranks or ties an allow rule/);
    assert.deepEqual(check({ 'inventory.ini': KUBESPRAY, 'tf/main.tf': tied })('tf/main.tf'), []);
  });
});
