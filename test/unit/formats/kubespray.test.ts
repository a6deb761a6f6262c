import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { completions } from '../../../server/src/engine/features/completion';
import { hover } from '../../../server/src/engine/features/hover';
import { clusterMapData } from '../../../server/src/engine/features/clusterMap';
import { documentSymbols } from '../../../server/src/engine/features/symbols';
import { expandHostPattern } from '../../../server/src/engine/sources/kubespray/ansible';
import { check, expectRule, ofRule, ROOT, spanAfter, spanOf } from '../../helpers';

const ini = (body: string) => body.replace(/^\n/, '');
const clusterIni = ini(`
[kube_control_plane]
node1 ansible_host=10.0.0.11 ip=10.0.0.11
node2 ansible_host=10.0.0.12 ip=10.0.0.12
node3 ansible_host=10.0.0.13 ip=10.0.0.13

[etcd:children]
kube_control_plane

[kube_node]
node4 ansible_host=10.0.0.14 ip=10.0.0.14
`);

const yamlInventory = `all:
  hosts:
    cp-1:
      ansible_host: 10.0.0.11
      ip: 10.0.0.11
    worker-1:
      ansible_host: 10.0.0.21
      ip: 10.0.0.21
  children:
    kube_control_plane:
      hosts:
        cp-1:
    kube_node:
      hosts:
        worker-1:
    etcd:
      hosts:
        cp-1:
    k8s_cluster:
      children:
        kube_control_plane:
        kube_node:
`;

function kindsOf(files: Record<string, string>): (name: string) => string[] {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  workspace.analyzeAll();
  return (name) => workspace.file(ROOT + name)?.documents.map((d) => d.kind.id) ?? [];
}

describe('Kubespray inventories', () => {
  it('expands host ranges as Ansible does', () => {
    assert.deepEqual(expandHostPattern('node[01:03]'), ['node01', 'node02', 'node03']);
    assert.deepEqual(expandHostPattern('db-[a:c]'), ['db-a', 'db-b', 'db-c']);
    assert.deepEqual(expandHostPattern('n[1:10:4]'), ['n1', 'n5', 'n9']);
    assert.deepEqual(expandHostPattern('r[1:2]h[a:b]'), ['r1ha', 'r1hb', 'r2ha', 'r2hb']);
    assert.deepEqual(expandHostPattern('big[1:99999999]'), ['big[1:99999999]']);
    assert.deepEqual(expandHostPattern('plain'), ['plain']);
  });

  it('a variable written twice in group_vars is a warning, and the last value is the one in force, as in Ansible', () => {
    const vars = 'kube_pods_subnet: 10.233.0.0/18\nkube_pods_subnet: 10.240.0.0/16\n';
    const findings = check({ 'inventory.ini': clusterIni, 'group_vars/k8s_cluster.yml': vars })('group_vars/k8s_cluster.yml');
    expectRule(findings, 'yaml-syntax', [
      { range: spanOf(vars, 'k', 1), severity: 'warning', message: /Map keys must be unique/ },
    ]);
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(ROOT + 'inventory.ini', clusterIni);
    workspace.setText(ROOT + 'group_vars/k8s_cluster.yml', vars);
    const pods = workspace.model(ROOT + 'inventory.ini').subnets.filter((s) => s.role === 'pod');
    assert.deepEqual(
      pods.map((s) => s.value),
      ['10.240.0.0/16'],
    );
  });

  it('clean INI and YAML inventories have no findings', () => {
    assert.deepEqual(check({ 'inventory.ini': clusterIni })('inventory.ini'), []);
    assert.deepEqual(check({ 'hosts.yaml': yamlInventory })('hosts.yaml'), []);
  });

  it('recognises only Ansible inventories with Kubespray groups, and group_vars only next to one', () => {
    const kinds = kindsOf({
      'ks/inventory.ini': clusterIni,
      'web/hosts.ini': '[webservers]\nweb1 ansible_host=10.1.0.1\n\n[etcd]\nweb1\n',
      'web/hosts.yaml': 'all:\n  children:\n    webservers:\n      hosts:\n        web1:\n',
      'app/config.ini': '[server]\nport=8080\n',
    });
    assert.deepEqual(kinds('ks/inventory.ini'), ['kubespray']);
    assert.deepEqual(kinds('web/hosts.ini'), ['foreign']);
    assert.deepEqual(kinds('web/hosts.yaml'), ['foreign']);
    assert.deepEqual(kinds('app/config.ini'), ['foreign']);
    // Another Ansible project's group_vars: read, but silent without a Kubespray inventory beside them.
    const broken = 'kube_pods_subnet: 10.0.0.0/8\nkey: [unclosed\n';
    const other = check({ 'web/hosts.yaml': 'all:\n  hosts:\n    web1:\n', 'web/group_vars/all.yml': broken });
    assert.deepEqual(other('web/group_vars/all.yml'), []);
    const ours = check({ 'ks/inventory.ini': clusterIni, 'ks/group_vars/all.yml': broken });
    assert.ok(ofRule(ours('ks/group_vars/all.yml'), 'yaml-syntax').length > 0);
  });

  it('an inventory without hosts yet (the commented-out sample) gets no findings', () => {
    const sample =
      '[kube_control_plane]\n# node1 ansible_host=95.54.0.12  # ip=10.3.0.1\n\n[etcd:children]\nkube_control_plane\n\n[kube_node]\n# node4\n';
    assert.deepEqual(check({ 'inventory.ini': sample })('inventory.ini'), []);
  });

  it('reads INI host lines: quoted values, name:port, ranges, comments', () => {
    const text = ini(`
[kube_control_plane]
cp1 ansible_host="10.0.0.11" ip='10.0.0.11' # ip=10.0.0.99 is a comment
[etcd:children]
kube_control_plane
[kube_node]
w[1:2]:2222 ansible_host=10.0.0.20
`);
    const findings = check({ 'inventory.ini': text })('inventory.ini');
    // w1 and w2 share ansible_host with one SSH port from their names: the same machine twice.
    expectRule(findings, 'duplicate-ip', [
      { range: spanOf(text, '10.0.0.20'), message: /Address 10\.0\.0\.20 port 2222 is on 2 nodes \("w1", "w2"\)/ },
      { range: spanOf(text, '10.0.0.20') },
    ]);
    assert.deepEqual(ofRule(findings, 'missing-host-address'), []);
  });

  it('one ansible_host with different ansible_port values is port forwarding, not a duplicate; other duplicates are reported on each value', () => {
    const text = ini(`
[kube_control_plane]
cp1 ansible_host=203.0.113.5 ansible_port=2201
[etcd:children]
kube_control_plane
[kube_node]
w1 ansible_host=203.0.113.5 ansible_port=2202
w2 ip=10.0.0.31
w3 ip=10.0.0.31
`);
    const findings = check({ 'inventory.ini': text })('inventory.ini');
    expectRule(findings, 'duplicate-ip', [{ range: spanOf(text, '10.0.0.31') }, { range: spanOf(text, '10.0.0.31', 1) }]);
  });

  it('resolves variables with Ansible precedence: host_vars > host line > group_vars > inline group vars', () => {
    const text = ini(`
[kube_control_plane]
cp1 ip=10.0.0.11
[etcd:children]
kube_control_plane
[kube_node]
w1 ip=10.0.0.21
w2 ip=10.0.0.22
[kube_node:vars]
ip=10.0.0.11
`);
    // host_vars for w2 wins over its host line; w1's host line wins over the group's vars.
    const hostVars = 'ip: 10.0.0.21\n';
    const findings = check({ 'inventory.ini': text, 'host_vars/w2.yml': hostVars });
    expectRule(findings('host_vars/w2.yml'), 'duplicate-ip', [{ range: spanOf(hostVars, '10.0.0.21') }]);
    expectRule(findings('inventory.ini'), 'duplicate-ip', [{ range: spanOf(text, '10.0.0.21') }]);
    // group_vars/k8s_cluster beats group_vars/all for a cluster setting; the finding sits on the winning value.
    const all = 'kube_pods_subnet: 10.233.64.0/18\nkube_service_addresses: 10.233.0.0/18\n';
    const k8s = 'kube_pods_subnet: 10.233.0.0/17\n';
    const settings = check({
      'inventory.ini': clusterIni,
      'group_vars/all/all.yml': all,
      'group_vars/k8s_cluster/k8s-cluster.yml': k8s,
    });
    expectRule(settings('group_vars/k8s_cluster/k8s-cluster.yml'), 'cidr-overlap', [{ range: spanOf(k8s, '10.233.0.0/17') }]);
    expectRule(settings('group_vars/all/all.yml'), 'cidr-overlap', [{ range: spanOf(all, '10.233.0.0/18') }]);
  });

  it('a Jinja value is unknown: never a finding', () => {
    const text = ini(`
[kube_control_plane]
cp1 ip="{{ hostvars['cp1'].ansible_default_ipv4.address }}"
[etcd:children]
kube_control_plane
[kube_node]
w1 ip="{{ hostvars['cp1'].ansible_default_ipv4.address }}"
`);
    const vars =
      'kube_pods_subnet: "{{ pods_cidr }}"\nkube_service_addresses: "{{ pods_cidr }}"\netcd_deployment_type: "{{ etcd_mode }}"\n';
    const findings = check({ 'inventory.ini': text, 'group_vars/all.yml': vars });
    assert.deepEqual(findings('inventory.ini'), []);
    assert.deepEqual(findings('group_vars/all.yml'), []);
  });

  it('old group names (kube-master, kube-node, k8s-cluster) count as the current ones', () => {
    const text = ini(`
[kube-master]
cp1 ip=10.0.0.11
cp2 ip=10.0.0.12
[etcd]
cp1
cp2
[kube-node]
w1 ip=10.0.0.21
[k8s-cluster:children]
kube-master
kube-node
`);
    expectRule(check({ 'hosts.ini': text })('hosts.ini'), 'etcd-quorum', [{ range: spanOf(text, 'etcd') }]);
  });

  it('names are checked as the kubelet sees them, lowercased', () => {
    const text = ini(`
[kube_control_plane]
Node1 ip=10.0.0.11
[etcd:children]
kube_control_plane
[kube_node]
node1 ip=10.0.0.21
`);
    const findings = check({ 'inventory.ini': text })('inventory.ini');
    assert.deepEqual(ofRule(findings, 'invalid-hostname'), []);
    expectRule(findings, 'duplicate-hostname', [{ range: spanOf(text, 'Node1') }, { range: spanOf(text, 'node1') }]);
  });

  it('reports no control plane on the kube_control_plane key, or on all.children when the group is missing', () => {
    const empty = ini(`
[kube_control_plane]
[etcd]
w1
[kube_node]
w1 ip=10.0.0.21
`);
    expectRule(check({ 'inventory.ini': empty })('inventory.ini'), 'no-control-plane', [
      { range: spanOf(empty, 'kube_control_plane') },
    ]);
    const yaml =
      'all:\n  children:\n    kube_node:\n      hosts:\n        w1:\n          ip: 10.0.0.21\n    etcd:\n      hosts:\n        w1:\n';
    expectRule(check({ 'hosts.yaml': yaml })('hosts.yaml'), 'no-control-plane', [{ range: spanOf(yaml, 'children') }]);
  });

  it('checks the API server port and NodePort range from group_vars', () => {
    const vars = 'kube_apiserver_port: 10257\nkube_apiserver_node_port_range: 32767-30000\n';
    const findings = check({ 'inventory.ini': clusterIni, 'group_vars/k8s_cluster.yml': vars })('group_vars/k8s_cluster.yml');
    expectRule(findings, 'port-conflict', [{ range: spanOf(vars, '10257'), message: /kube-controller-manager/ }]);
    expectRule(findings, 'invalid-port-range', [{ range: spanOf(vars, '32767-30000'), message: /reversed/ }]);
  });

  it('warns about an unknown key in a YAML inventory group, as Ansible does', () => {
    const text = yamlInventory.replace(
      '    kube_node:\n      hosts:',
      '    kube_node:\n      host:\n        worker-2:\n      hosts:',
    );
    expectRule(check({ 'hosts.yaml': text })('hosts.yaml'), 'schema', [
      { range: spanAfter(text, 'kube_node:\n      ', 'host'), severity: 'warning' },
    ]);
  });

  describe('completion and outline (issue 17 item 7)', () => {
    const workspaceOf = (files: Record<string, string>) => {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      for (const [n, t] of Object.entries(files)) workspace.setText(ROOT + n, t);
      workspace.analyzeAll();
      return workspace;
    };
    const labelsAt = (text: string, after: string) => {
      const at = text.indexOf(after) + after.length;
      const lines = text.slice(0, at).split('\n');
      const result = completions(workspaceOf({ 'hosts.yaml': text }), ROOT + 'hosts.yaml', {
        line: lines.length - 1,
        character: lines[lines.length - 1].length,
      });
      return result?.items ?? [];
    };

    it("under a group's hosts offers the inventory's other hosts, never children/hosts/vars", () => {
      const text = yamlInventory.replace(
        '    kube_node:\n      hosts:\n        worker-1:\n',
        '    kube_node:\n      hosts:\n        worker-1:\n        \n',
      );
      const items = labelsAt(text, 'worker-1:\n        ');
      assert.deepEqual(
        items.map((i) => i.label),
        ['cp-1'],
      );
      assert.equal(items[0].insertText, 'cp-1:');
    });

    it("under k8s_cluster's children offers only the node groups it lacks, as references without hosts", () => {
      const text = yamlInventory.replace('        kube_node:\n', '        kube_node:\n        \n');
      const items = labelsAt(text, '        kube_node:\n        ');
      assert.deepEqual(
        items.map((i) => i.label),
        ['calico_rr'],
      );
      assert.equal(items[0].insertText, 'calico_rr:');
    });

    it("under all's children declares a group with its hosts", () => {
      const text = yamlInventory.replace('    k8s_cluster:\n', '    \n    k8s_cluster:\n');
      const items = labelsAt(text, 'etcd:\n      hosts:\n        cp-1:\n    ');
      assert.deepEqual(
        items.map((i) => i.label),
        ['calico_rr', 'bastion'],
      );
      assert.equal(items[0].insertText, 'calico_rr:\n      hosts:\n        ');
    });

    it('counts hosts through children and over every declaration of a group, YAML and INI', () => {
      const outline = (name: string, text: string) =>
        documentSymbols(workspaceOf({ [name]: text }), ROOT + name).map((s) => `${s.name}: ${s.detail}`);
      assert.deepEqual(outline('hosts.yaml', yamlInventory), [
        'all: 2 hosts through kube_control_plane, kube_node, etcd and 1 more',
        'kube_control_plane: 1 host',
        'kube_node: 1 host',
        'etcd: 1 host',
        'k8s_cluster: 2 hosts through kube_control_plane, kube_node',
        'kube_control_plane: 1 host',
        'kube_node: 1 host',
      ]);
      const text = clusterIni + '\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n';
      assert.deepEqual(outline('inventory.ini', text), [
        'kube_control_plane: 3 hosts',
        'etcd: 3 hosts through kube_control_plane',
        'kube_node: 1 host',
        'k8s_cluster: 4 hosts through kube_control_plane, kube_node',
      ]);
    });

    it('a children cycle and a 10,000-deep chain end', () => {
      const cycle = '[a:children]\nb\n\n[b:children]\na\n\n[a]\nnode1 ansible_host=10.0.0.1\n';
      const symbols = documentSymbols(workspaceOf({ 'inventory.ini': cycle }), ROOT + 'inventory.ini');
      assert.ok(
        symbols.every((s) => s.detail?.startsWith('1 host')),
        JSON.stringify(symbols.map((s) => s.detail)),
      );
      let chain = '[kube_node]\nnode1 ansible_host=10.0.0.1\n';
      for (let i = 0; i < 10_000; i++) chain += `\n[g${i}:children]\n${i === 0 ? 'kube_node' : `g${i - 1}`}\n`;
      const deep = documentSymbols(workspaceOf({ 'inventory.ini': chain }), ROOT + 'inventory.ini');
      assert.ok(deep.length > 0);
    });
  });

  describe('hovers', () => {
    const hoverIn = (files: Record<string, string>, name: string, at: ReturnType<typeof spanOf>) => {
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      for (const [n, t] of Object.entries(files)) workspace.setText(ROOT + n, t);
      workspace.analyzeAll();
      workspace.findings(ROOT + name);
      return hover(workspace, ROOT + name, { line: at.start.line, character: at.start.character + 1 });
    };

    it("another Ansible project's group_vars get no hover, completion or outline", () => {
      const vars = 'kube_apiserver_port: 6443\nansible_user: deploy\n';
      const files = { 'site/hosts.yaml': 'all:\n  hosts:\n    web1:\n', 'site/group_vars/all.yml': vars };
      assert.equal(hoverIn(files, 'site/group_vars/all.yml', spanOf(vars, 'kube_apiserver_port')), undefined);
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      for (const [n, t] of Object.entries(files)) workspace.setText(ROOT + n, t);
      workspace.findings(ROOT + 'site/group_vars/all.yml');
      assert.equal(completions(workspace, ROOT + 'site/group_vars/all.yml', { line: 2, character: 0 }), undefined);
      assert.deepEqual(documentSymbols(workspace, ROOT + 'site/group_vars/all.yml'), []);
    });

    it('a YAML host says its groups, roles, address and ports', () => {
      const result = hoverIn({ 'hosts.yaml': yamlInventory }, 'hosts.yaml', spanOf(yamlInventory, 'cp-1'));
      assert.match(result!.markdown, /\*\*cp-1\*\* — Kubespray host/);
      assert.match(result!.markdown, /roles: control-plane, etcd/);
      assert.match(result!.markdown, /Address: 10\.0\.0\.11 \(`ip`, from the host's line in hosts\.yaml\)/);
      assert.match(result!.markdown, /6443\/TCP — Kubernetes API server/);
      assert.deepEqual(result!.range, spanOf(yamlInventory, 'cp-1'));
    });

    it('an INI group header and host, and a group_vars variable with the value the cluster gets', () => {
      const vars = 'kube_apiserver_port: 6443\n';
      const files = { 'inventory.ini': clusterIni, 'group_vars/k8s_cluster/k8s-cluster.yml': vars };
      const group = hoverIn(files, 'inventory.ini', spanOf(clusterIni, 'kube_node'));
      assert.match(group!.markdown, /\*\*kube_node\*\*/);
      assert.match(group!.markdown, /1 host in this cluster/);
      assert.deepEqual(group!.range, spanOf(clusterIni, 'kube_node'));
      const host = hoverIn(files, 'inventory.ini', spanOf(clusterIni, 'node4'));
      assert.match(host!.markdown, /roles: worker/);
      const variable = hoverIn(files, 'group_vars/k8s_cluster/k8s-cluster.yml', spanOf(vars, 'kube_apiserver_port'));
      assert.match(variable!.markdown, /Kubespray's default: 6443/);
      assert.match(variable!.markdown, /The cluster gets `6443`, from group_vars\/k8s_cluster\/k8s-cluster\.yml/);
      const inline = hoverIn(files, 'inventory.ini', spanAfter(clusterIni, 'node1 ansible_host=10.0.0.11 ', 'ip'));
      assert.match(inline!.markdown, /\*\*ip\*\*/);
    });
  });
});

describe('Kubespray INI inventories, hostile input', () => {
  it('never throws on random INI-like text and reports only known rules', () => {
    const pieces = [
      '[kube_control_plane]',
      '[etcd:children]',
      '[kube_node:vars]',
      '[',
      ']',
      'node[1:3]',
      'n[01:9999999]',
      'a=b',
      '"',
      "'",
      '#',
      ';',
      ' ',
      '\t',
      '=',
      ':2222',
      'ip=10.0.0.1',
      'ip=',
      'x'.repeat(300),
      '\r\n',
      '\n',
      '[all:vars]',
      'kube_apiserver_port=abc',
      'ansible_host=[::1]:22',
      '{{ x }}',
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let i = 0; i < 40; i++) text += pieces[Math.floor(random() * pieces.length)] + (random() < 0.3 ? '\n' : ' ');
      const findings = check({ 'inventory.ini': '[kube_node]\n' + text })('inventory.ini');
      for (const f of findings) assert.notEqual(f.ruleId, 'internal-error', `${f.message}\n${text}`);
    }
  });
});

describe('Kubespray address families (ipv4_stack, ipv6_stack)', () => {
  const mapSettings = (vars: string) => {
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(ROOT + 'inv/inventory.ini', clusterIni);
    workspace.setText(ROOT + 'inv/group_vars/k8s_cluster/k8s-net.yml', vars);
    workspace.analyzeAll();
    return clusterMapData(workspace, ROOT + 'inv/inventory.ini')
      .settings.filter((s) => / network$/.test(s.name))
      .map((s) => `${s.name}: ${s.value} (${s.source})`);
  };
  const subnets =
    'kube_pods_subnet: 10.233.64.0/18\nkube_service_addresses: 10.233.0.0/18\n' +
    'kube_pods_subnet_ipv6: fd85:ee78:d8a6:8607::1:0000/112\nkube_service_addresses_ipv6: fd85:ee78:d8a6:8607::1000/116\n';
  const v4 = [
    'Pod network: 10.233.64.0/18 (kube_pods_subnet in k8s-net.yml)',
    'Service network: 10.233.0.0/18 (kube_service_addresses in k8s-net.yml)',
  ];
  const v6 = [
    'Pod network: fd85:ee78:d8a6:8607::1:0000/112 (kube_pods_subnet_ipv6 in k8s-net.yml)',
    'Service network: fd85:ee78:d8a6:8607::1000/116 (kube_service_addresses_ipv6 in k8s-net.yml)',
  ];

  it('the IPv6 networks are in force only when ipv6_stack (or the deprecated enable_dual_stack_networks) is true', () => {
    assert.deepEqual(mapSettings(subnets), v4);
    assert.deepEqual(mapSettings(subnets + 'ipv6_stack: false\n'), v4);
    assert.deepEqual(mapSettings(subnets + 'ipv6_stack: true\n'), [...v4, ...v6]);
    assert.deepEqual(mapSettings(subnets + 'enable_dual_stack_networks: "yes"\n'), [...v4, ...v6]);
    // ipv6_stack wins over the deprecated switch; a templated one is not guessed.
    assert.deepEqual(mapSettings(subnets + 'enable_dual_stack_networks: true\nipv6_stack: false\n'), v4);
    assert.deepEqual(mapSettings(subnets + 'ipv6_stack: "{{ dual }}"\n'), v4);
    assert.deepEqual(mapSettings(subnets + 'ipv4_stack: false\nipv6_stack: true\n'), v6);
  });

  it('a YAML boolean turns a plugin switch on, as Ansible reads it', () => {
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(ROOT + 'inv/inventory.ini', clusterIni);
    workspace.setText(ROOT + 'inv/group_vars/k8s_cluster/k8s-net.yml', 'calico_wireguard_enabled: true\n');
    workspace.analyzeAll();
    const plugin = clusterMapData(workspace, ROOT + 'inv/inventory.ini').settings.find((s) => s.name === 'Network plugin');
    assert.match(plugin!.value, /, WireGuard$/);
  });
});

describe('Kubespray inventories rendered by a script first', () => {
  it('an envsubst template (${PREFIX}-node1) is a template, while Jinja stays Ansible’s own', () => {
    const template =
      '[all]\n${PREFIX}-node1 ansible_host=<public ip> ip=<private ip>\n${PREFIX}-node2 ansible_host=<public ip> ip=<private ip>\n' +
      '[kube_control_plane]\n${PREFIX}-node1\n[etcd]\n${PREFIX}-node1\n[kube_node]\n${PREFIX}-node2\n';
    const findings = check({ 'config/inventory.ini': template })('config/inventory.ini');
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity, f.range.start.line, f.message]),
      [
        [
          'template-placeholder',
          'information',
          1,
          'This document has template placeholders (${PREFIX}): the lines they are on are not checked until it is rendered.',
        ],
      ],
    );
    const jinja = check({
      'inv/inventory.ini': clusterIni,
      'inv/group_vars/all/all.yml': 'kube_network_plugin: "{{ plugin }}"\n',
    })('inv/group_vars/all/all.yml');
    assert.deepEqual(jinja, []);
  });
});
