import type { Place } from '../core/located';
import { fileName } from '../core/uris';
import { DOCS } from '../knowledge/docs';
import { nodeLabel, placeOf } from '../model/cluster';
import { rolesOf } from '../sources/k0s/kind';
import { membersOf, type Rule } from './types';

export const missingControlPlaneEndpoint: Rule = {
  meta: {
    id: 'missing-control-plane-endpoint',
    severity: 'error',
    docs: DOCS.kubeadmHa,
    title:
      'Several control-plane nodes, but no stable API endpoint in front of them (kubeadm controlPlaneEndpoint, k0s api.externalAddress)',
    description:
      "kubeadm refuses to join a control-plane node to a cluster without a stable controlPlaneEndpoint (\"unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address\"), and the endpoint cannot be added after `kubeadm init`. Reported on the ClusterConfiguration's `kind` value when the cluster's inventory has more than one control-plane node, or a JoinConfiguration of the cluster has `controlPlane`. In a k0sctl file with more than one controller, no `api.externalAddress` and neither node-local nor control-plane load balancing, every worker and joining controller reaches the API through one controller's address: k0sctl installs such a cluster, but it is not highly available, so this is a warning on the `hosts` key.",
    appliesTo: ['kubeadm', 'k0sctl'],
    example: {
      bad: 'kind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16',
      good: 'kind: ClusterConfiguration\ncontrolPlaneEndpoint: k8s-api.lab.example.net:6443\nnetworking:\n  podSubnet: 10.244.0.0/16',
    },
  },
  checkDocument: {
    k0sctl(doc, report, at) {
      // spec.k0s.config, or the file's own ClusterConfig document (k0sctl reads it as spec.k0s.config).
      const config = doc.effectiveConfig;
      const controllers = doc.hosts.filter((host) => rolesOf(host, config).includes('control-plane'));
      if (controllers.length < 2 || !doc.hostsKey) return;
      // A load balancer address, node-local load balancing or a keepalived virtual IP each give the controllers one endpoint.
      if (config.externalAddress?.value || config.nodeLocalLoadBalancing?.value || config.controlPlaneLoadBalancing?.value)
        return;
      report(
        at(doc.hostsKey),
        `This k0sctl cluster has ${controllers.length} controllers, but no spec.k0s.config.spec.api.externalAddress and neither node-local nor control-plane load balancing is on: workers and joining controllers reach the API through one controller's address and lose it when that controller is down. Put a TCP load balancer for ports 6443, 8132 and 9443 in front of the controllers and set api.externalAddress, or enable network.nodeLocalLoadBalancing.`,
        {
          severity: 'warning',
          related: controllers.slice(0, 10).map((host) => ({
            at: at(host.role?.range ?? host.itemRange),
            message:
              `controller ${host.hostname?.value ?? host.privateAddress?.value ?? host.connectionAddress?.value ?? ''}`.trim(),
          })),
        },
      );
    },
  },
  checkCluster(cluster, report) {
    const configs = membersOf(cluster, 'kubeadm');
    const withoutEndpoint = configs.filter(
      ({ doc }) =>
        doc.typeName === 'ClusterConfiguration' && doc.api?.status !== 'removed' && !doc.facts.controlPlaneEndpoint?.value,
    );
    if (withoutEndpoint.length === 0) return;
    const reasons: string[] = [];
    const related: Array<{ at: Place; message: string }> = [];
    const controlPlanes = cluster.nodes.filter((n) => n.roles.includes('control-plane'));
    if (controlPlanes.length > 1) {
      reasons.push(`the inventory has ${controlPlanes.length} control-plane nodes`);
      for (const node of controlPlanes.slice(0, 10)) {
        if (node.hostname) related.push({ at: placeOf(node, node.hostname), message: `control-plane node ${nodeLabel(node)}` });
      }
    }
    for (const { uri, doc } of configs) {
      if (doc.typeName !== 'JoinConfiguration' || !doc.facts.joinControlPlane) continue;
      reasons.push(`${fileName(uri)} joins a control-plane node`);
      related.push({
        at: { origin: { uri, chunk: doc.chunk }, range: doc.facts.joinControlPlane, owner: doc },
        message: 'joins as a control-plane node',
      });
    }
    if (reasons.length === 0) return;
    for (const { uri, doc } of withoutEndpoint) {
      report(
        { origin: { uri, chunk: doc.chunk }, range: doc.facts.kind.range, owner: doc },
        `This ClusterConfiguration has no controlPlaneEndpoint, but ${reasons.join(' and ')}: kubeadm refuses to join more control-plane nodes without one. Set it to a load balancer or DNS name in front of the API servers.`,
        { related },
      );
    }
  },
};
