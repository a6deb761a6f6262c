import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { guardsOf, type ExternalFirewallEntry } from '../../../server/src/engine/model/firewalls';
import { applyEdits } from '../../edits';
import { check, expectRule, KUBESPRAY, ofRule, ROOT, ruleFixes, spanOf, yaml } from '../../helpers';

function modelOf(files: Record<string, string>) {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  workspace.analyzeAll();
  return workspace.model(ROOT + 'inventory.ini');
}

function facts(entry: ExternalFirewallEntry) {
  return {
    protocol: entry.protocol,
    ports: typeof entry.ports === 'object' ? `${entry.ports.low}-${entry.ports.high}` : entry.ports,
    sources: entry.sources.map(({ source }) => (source.kind === 'cidr' ? source.cidr.text : source.kind)),
    ...(entry.unknown ? { unknown: entry.unknown } : {}),
  };
}

/** Every port the Kubespray cluster of the helpers needs (Calico VXLAN), as firewalld tasks per group. */
const TASKS = yaml`
  - name: Control plane
    ansible.posix.firewalld:
      port: "{{ item }}"
      state: enabled
      permanent: true
    loop:
      - 6443/tcp
      - 2379-2380/tcp
      - 10250/tcp
      - 10257/tcp
      - 10259/tcp
    when: "'kube_control_plane' in group_names"

  - name: Workers
    ansible.posix.firewalld:
      port: "{{ item.port }}/{{ item.proto }}"
      state: enabled
    loop:
      - { port: 10250, proto: tcp }
      - { port: 10256, proto: tcp }
      - { port: 30000-32767, proto: tcp }
    when: inventory_hostname in groups['kube_node']

  - name: VXLAN
    firewalld: port=4789/udp state=enabled permanent=true
`;

describe('Ansible firewall tasks', () => {
  it('reads firewalld ports with loops (items and item keys), free-form arguments and group conditions', () => {
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': TASKS });
    const [cp, workers, vxlan] = model.firewalls.firewalls;
    assert.equal(cp.label, 'Ansible task "Control plane"');
    assert.equal(cp.layer, 'host');
    assert.deepEqual(cp.header.range, spanOf(TASKS, 'name'));
    assert.deepEqual(cp.entries.map(facts), [
      { protocol: 'TCP', ports: '6443-6443', sources: ['any'] },
      { protocol: 'TCP', ports: '2379-2380', sources: ['any'] },
      { protocol: 'TCP', ports: '10250-10250', sources: ['any'] },
      { protocol: 'TCP', ports: '10257-10257', sources: ['any'] },
      { protocol: 'TCP', ports: '10259-10259', sources: ['any'] },
    ]);
    assert.deepEqual(
      workers.entries.map(facts).map((e) => e.ports),
      ['10250-10250', '10256-10256', '30000-32767'],
    );
    assert.deepEqual(vxlan.entries.map(facts), [{ protocol: 'UDP', ports: '4789-4789', sources: ['any'] }]);
    assert.deepEqual(
      guardsOf(model.firewalls, model.nodes).map((g) => [g.node.hostname!.value, g.layer, g.firewalls.map((f) => f.label)]),
      [
        ['node1', 'host', ['Ansible task "Control plane"', 'Ansible task "VXLAN"']],
        ['node2', 'host', ['Ansible task "Control plane"', 'Ansible task "VXLAN"']],
        ['node3', 'host', ['Ansible task "Control plane"', 'Ansible task "VXLAN"']],
        ['node4', 'host', ['Ansible task "Workers"', 'Ansible task "VXLAN"']],
      ],
    );
    assert.deepEqual(check({ 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': TASKS })('roles/fw/tasks/main.yml'), []);
  });

  it('reports a missing port on the task that opens ports for the fewest of the nodes, naming them', () => {
    const text = TASKS.replace('    - 10259/tcp\n', '');
    expectRule(
      check({ 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': text })('roles/fw/tasks/main.yml'),
      'missing-port-rule',
      [
        {
          range: spanOf(text, 'name'),
          severity: 'warning',
          message:
            /^None of Ansible task "Control plane", Ansible task "VXLAN" admits 10259\/TCP \(kube-scheduler\); nodes "node1", "node2", "node3" \(control-plane, etcd\) need it\.$/,
        },
      ],
    );
  });

  it('reports VXLAN opened as TCP on the port, and a source that leaves out peers on the source', () => {
    const tcp = TASKS.replace('port=4789/udp', 'port=4789/tcp');
    expectRule(
      check({ 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': tcp })('roles/fw/tasks/main.yml'),
      'firewall-wrong-protocol',
      [
        {
          range: spanOf(tcp, 'port=4789/tcp state=enabled permanent=true'),
          message: /rule 4789\/TCP is on the wrong protocol: nodes "node1", "node2", "node3", "node4" need 4789\/UDP/,
        },
      ],
    );
    const sourced = TASKS.replace('    port: "{{ item }}"\n', '    port: "{{ item }}"\n    source: 10.0.1.0/30\n');
    const findings = check({ 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': sourced })('roles/fw/tasks/main.yml');
    assert.ok(
      ofRule(findings, 'firewall-source-excludes-peers').every(
        (f) => f.range.start.line === spanOf(sourced, '10.0.1.0/30').start.line,
      ),
    );
    assert.match(ofRule(findings, 'firewall-source-excludes-peers')[0].message, /leaves out .*"node3" \(10\.0\.1\.13\)/);
  });

  it('knows nothing for sure with a condition, template, rich rule or zone source it does not read', () => {
    for (const [from, to] of [
      ['when: "\'kube_control_plane\' in group_names"', 'when: ansible_os_family == "RedHat"'],
      ['    - 10259/tcp\n', '    - "{{ scheduler_port }}/tcp"\n'],
      ['firewalld: port=4789/udp state=enabled permanent=true', 'firewalld: rich_rule=x state=enabled'],
    ] as const) {
      const text = TASKS.replace('    - 10257/tcp\n', '').replace(from, to);
      assert.deepEqual(
        ofRule(
          check({ 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': text })('roles/fw/tasks/main.yml'),
          'missing-port-rule',
        ),
        [],
        to,
      );
    }
  });

  it('reads ufw allow rules (ranges with ":", proto any) only once a task enables ufw, and no deny-ordered rules', () => {
    const ufw = yaml`
      - hosts: k8s_cluster
        tasks:
          - name: Allow the cluster
            community.general.ufw:
              rule: allow
              port: "{{ item }}"
              proto: tcp
              from_ip: 10.0.1.0/24
            loop: ["6443", "2379:2380", "10250", "10256", "10257", "10259", "30000:32767"]
          - name: VXLAN
            ufw:
              rule: allow
              port: "4789"
    `;
    assert.deepEqual(modelOf({ 'inventory.ini': KUBESPRAY, 'site.yml': ufw }).firewalls.firewalls, []);
    const enabled = ufw + '    - name: Enable ufw\n      community.general.ufw:\n        state: enabled\n        policy: deny\n';
    const model = modelOf({ 'inventory.ini': KUBESPRAY, 'site.yml': enabled });
    assert.deepEqual(model.firewalls.firewalls[0].entries.map(facts)[1], {
      protocol: 'TCP',
      ports: '2379-2380',
      sources: ['10.0.1.0/24'],
    });
    assert.deepEqual(model.firewalls.firewalls[1].entries.map(facts), [
      { protocol: 'TCP', ports: '4789-4789', sources: ['any'] },
      { protocol: 'UDP', ports: '4789-4789', sources: ['any'] },
    ]);
    assert.deepEqual(check({ 'inventory.ini': KUBESPRAY, 'site.yml': enabled })('site.yml'), []);
    const denied = enabled + '    - name: Deny\n      ufw:\n        rule: deny\n        port: "10250"\n';
    assert.match(
      modelOf({ 'inventory.ini': KUBESPRAY, 'site.yml': denied }).firewalls.firewalls[0].incomplete!,
      /deny rule may match first/,
    );
  });

  it('claims only lists with a firewall module: other task files and YAML stay unclaimed', () => {
    const other = '- name: Install\n  ansible.builtin.package:\n    name: firewalld\n';
    assert.deepEqual(modelOf({ 'inventory.ini': KUBESPRAY, 'tasks.yml': other }).members('ansible-firewall'), []);
    assert.equal(modelOf({ 'inventory.ini': KUBESPRAY, 'tasks.yml': TASKS }).members('ansible-firewall').length, 1);
  });
});

describe('Ansible firewall tasks: quick-fix', () => {
  it("adds the missing port as an item of the task's loop, in its indentation and quoting, and re-checks clean", () => {
    const text = TASKS.replace('    - 10259/tcp\n', '').replace('    - 10257/tcp\n', '    - "10257/tcp"\n');
    const files = { 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': text };
    const fixes = ruleFixes(files, 'roles/fw/tasks/main.yml', 'missing-port-rule');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ["Add 10259/TCP (kube-scheduler) to the task's loop"],
    );
    const fixed = applyEdits(text, fixes[0].edits);
    assert.equal(fixed, text.replace('    - "10257/tcp"\n', '    - "10257/tcp"\n    - "10259/tcp"\n'));
    assert.deepEqual(check({ ...files, 'roles/fw/tasks/main.yml': fixed })('roles/fw/tasks/main.yml'), []);
  });

  it('offers nothing where the port is not the loop item itself', () => {
    const text = TASKS.replace('    - 10259/tcp\n', '').replace('port: "{{ item }}"', 'port: "{{ item }}"  # ports');
    const noItem = text.replace(/port: "\{\{ item \}\}".*\n/, 'port: 6443/tcp\n');
    const files = { 'inventory.ini': KUBESPRAY, 'roles/fw/tasks/main.yml': noItem };
    assert.deepEqual(ruleFixes(files, 'roles/fw/tasks/main.yml', 'missing-port-rule'), []);
  });
});
