/**
 * Ansible: one `ansible.posix.firewalld` task per role group, looping over rich rules, run where
 * the host is in the group. A Kubespray cluster's groups have Kubespray's names (the inventory
 * already sorts its hosts into them); any other cluster gets neutral names to rename.
 */
import type { FirewallPlan } from '../plan';
import type { Role } from '../../../knowledge/ports';
import { firewalldEntries } from './firewalld';
import { commentLines, headerLines, shortLabel } from '../text';
import { ruleReason } from '../plan';

/** Kubespray's canonical group per role (legacy names such as kube-master are read as these). */
const KUBESPRAY_GROUPS: Readonly<Record<Role, string>> = {
  'control-plane': 'kube_control_plane',
  worker: 'kube_node',
  etcd: 'etcd',
};

const GENERIC_GROUPS: Readonly<Record<Role, string>> = {
  'control-plane': 'control_plane',
  worker: 'workers',
  etcd: 'etcd',
};

/** A YAML single-quoted scalar: quotes doubled, nothing else special. */
const single = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function renderAnsible(plan: FirewallPlan, kubespray: boolean): string {
  const groups = kubespray ? KUBESPRAY_GROUPS : GENERIC_GROUPS;
  const out: string[] = [
    '---',
    ...commentLines(headerLines(plan, 'Ansible (ansible.posix.firewalld)')),
    '#',
    kubespray
      ? "# Tasks for a play over the Kubespray inventory's hosts (hosts: k8s_cluster); each runs on one group."
      : "# Tasks for a play over the cluster's hosts; each runs on one group: put the hosts in these groups,",
  ];
  if (!kubespray) out.push("# or rename the groups to your inventory's.");
  out.push('# Rules are permanent and applied at once; set zone to the zone of the cluster interface.');
  for (const group of plan.groups) {
    const name = groups[group.role];
    const rules = group.rules.flatMap((rule) => {
      const entries = firewalldEntries(plan, rule);
      const reason = `    # ${shortLabel(rule)}: ${ruleReason(rule)}`;
      if (entries.length === 0) return [reason, '    # Not written: no address is known for its sources.'];
      return [
        reason,
        ...entries.map(
          (e) =>
            `    - ${single(e.rich ?? `rule port port="${e.port!.split('/')[0]}" protocol="${e.port!.split('/')[1]}" accept`)}`,
        ),
      ];
    });
    out.push(
      '',
      `- name: ${single(`Cluster Preflight: ports the ${group.name} need`)}`,
      '  ansible.posix.firewalld:',
      '    rich_rule: "{{ item }}"',
      '    zone: public',
      '    permanent: true',
      '    immediate: true',
      '    state: enabled',
      `  when: "'${name}' in group_names"`,
    );
    if (rules.some((line) => line.startsWith('    - '))) out.push('  loop:', ...rules);
    else out.push('  loop: []', ...rules);
  }
  if (plan.groups.length === 0) out.push('', '# No tasks: see the notes above.', '[]');
  return out.join('\n') + '\n';
}
