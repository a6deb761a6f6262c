import { FORMAT_DOCS } from '../knowledge/docs';
import { parseInterfaceAddress } from '../knowledge/net/addresses';
import { kubesprayCluster } from '../sources/kubespray/cluster';
import { addressOf, KUBESPRAY_KIND_ID } from '../sources/kubespray/kind';
import type { Rule } from './types';

export const missingHostAddress: Rule = {
  meta: {
    id: 'missing-host-address',
    severity: 'warning',
    docs: FORMAT_DOCS.kubesprayInventory,
    title: 'A Kubespray host has no ip, access_ip or ansible_host',
    description:
      "Without `ip`, `access_ip` or `ansible_host` (on the host's line, in host_vars or in a group's variables) Ansible connects to the host by its inventory name and Kubespray binds to whatever address the host reports at run time, so nothing can check the address before then (duplicates, subnets). A host whose name is itself an IP address needs none, and neither does one with `ansible_connection: local`. Reported on the host's first mention.",
    appliesTo: ['kubespray'],
    example: { bad: '[kube_node]\nnode2', good: '[kube_node]\nnode2 ansible_host=10.0.0.12 ip=10.0.0.12' },
  },
  checkCluster(model, report) {
    const members = model.members(KUBESPRAY_KIND_ID);
    if (members.length === 0) return;
    for (const host of kubesprayCluster(members).nodes) {
      if (addressOf(host) || parseInterfaceAddress(host.name)) continue;
      // ansible_connection=local is the machine running Ansible: it has no address to write.
      if (host.variable('ansible_connection')?.variable.value === 'local') continue;
      report(
        host.first,
        `Host "${host.name}" has no ip, access_ip or ansible_host: Ansible will connect to it by name and Kubespray will use whatever address it reports, which cannot be checked here. Set ip (and ansible_host if SSH goes elsewhere).`,
      );
    }
  },
};
