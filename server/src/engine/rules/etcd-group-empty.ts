import { FORMAT_DOCS } from '../knowledge/docs';
import { kubesprayCluster } from '../sources/kubespray/cluster';
import { KUBESPRAY_KIND_ID, known } from '../sources/kubespray/kind';
import type { Rule } from './types';

export const etcdGroupEmpty: Rule = {
  meta: {
    id: 'etcd-group-empty',
    severity: 'error',
    docs: FORMAT_DOCS.kubesprayInventory,
    title: 'A Kubespray inventory runs etcd on hosts, but its etcd group has none',
    description:
      "With `etcd_deployment_type: host` (Kubespray's default) or `docker`, Kubespray installs etcd on the hosts of the `etcd` group; with none, the playbook stops before anything is installed. Only `etcd_deployment_type: kubeadm` (etcd stacked on the control-plane hosts) may leave the group empty. Reported on the `etcd` group's key, or on the inventory's first group when there is no `etcd` group. An inventory without any hosts yet (the commented-out sample) is not checked.",
    appliesTo: ['kubespray'],
    example: {
      bad: '[kube_control_plane]\nnode1\n\n[etcd]\n\n[kube_node]\nnode2',
      good: '[kube_control_plane]\nnode1\n\n[etcd]\nnode1\n\n[kube_node]\nnode2',
    },
  },
  checkCluster(model, report) {
    const members = model.members(KUBESPRAY_KIND_ID);
    if (members.length === 0) return;
    const cluster = kubesprayCluster(members);
    if (cluster.inventories.length === 0 || cluster.hostCount === 0) return;
    const deployment = cluster.setting('etcd_deployment_type');
    // A templated value is unknown: no finding on a guess.
    if (deployment?.variable.templated) return;
    const type = known(deployment)?.value ?? 'host';
    if (type === 'kubeadm') return;
    if (cluster.nodes.some((host) => host.groups.has('etcd'))) return;
    const key = cluster.groupKey('etcd');
    const at = key ?? cluster.anchor;
    if (!at) return;
    const how = deployment ? `etcd_deployment_type is ${type} (${deployment.source})` : 'etcd_deployment_type is host by default';
    report(
      at,
      key
        ? `The etcd group has no hosts, but ${how}: Kubespray installs etcd on the etcd group's hosts and stops without any. Add one or three hosts (usually the control-plane hosts), or set etcd_deployment_type: kubeadm.`
        : `The inventory has no etcd group, but ${how}: Kubespray installs etcd on the etcd group's hosts and stops without any. Add an etcd group with one or three hosts (usually the control-plane hosts), or set etcd_deployment_type: kubeadm.`,
      deployment ? { related: [{ at: deployment.place, message: `etcd_deployment_type: ${type}` }] } : undefined,
    );
  },
};
