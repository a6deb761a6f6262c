import { fileName } from '../kubeadm/componentPorts';
import { DOCS } from '../kubernetes/docs';
import type { RelatedLocation } from '../findings';
import { shiftRange } from '../text/positions';
import { nodeLabel, type Rule } from './types';

export const missingControlPlaneEndpoint: Rule = {
  meta: {
    id: 'missing-control-plane-endpoint',
    severity: 'error',
    docs: DOCS.kubeadmHa,
    title: 'Several control-plane nodes, but the ClusterConfiguration has no controlPlaneEndpoint',
    description:
      "kubeadm refuses to join a control-plane node to a cluster without a stable controlPlaneEndpoint (\"unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address\"), and the endpoint cannot be added after `kubeadm init`. Reported on the ClusterConfiguration's `kind` value when the cluster's inventory has more than one control-plane node, or a JoinConfiguration of the cluster has `controlPlane`.",
    appliesTo: ['kubeadm'],
    example: {
      bad: 'kind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16',
      good: 'kind: ClusterConfiguration\ncontrolPlaneEndpoint: k8s-api.lab.example.net:6443\nnetworking:\n  podSubnet: 10.244.0.0/16',
    },
  },
  checkCluster({ configs, inventories }, report) {
    const withoutEndpoint = configs.filter(
      ({ doc }) =>
        doc.typeName === 'ClusterConfiguration' && doc.api?.status !== 'removed' && !doc.facts.controlPlaneEndpoint?.value,
    );
    if (withoutEndpoint.length === 0) return;
    const reasons: string[] = [];
    const related: RelatedLocation[] = [];
    const controlPlanes = inventories.flatMap(({ uri, doc }) =>
      doc.nodes.filter((n) => n.roles.includes('control-plane')).map((node) => ({ uri, node })),
    );
    if (controlPlanes.length > 1) {
      reasons.push(`the inventory has ${controlPlanes.length} control-plane nodes`);
      for (const { uri, node } of controlPlanes.slice(0, 10)) {
        if (node.hostname)
          related.push({
            uri,
            range: shiftRange(node.hostname.range, node.chunk.startLine),
            message: `control-plane node ${nodeLabel(node)}`,
          });
      }
    }
    for (const { uri, doc } of configs) {
      if (doc.typeName !== 'JoinConfiguration' || !doc.facts.joinControlPlane) continue;
      reasons.push(`${fileName(uri)} joins a control-plane node`);
      related.push({
        uri,
        range: shiftRange(doc.facts.joinControlPlane, doc.chunk.startLine),
        message: 'joins as a control-plane node',
      });
    }
    if (reasons.length === 0) return;
    for (const { uri, doc } of withoutEndpoint) {
      report(
        uri,
        shiftRange(doc.facts.kind.range, doc.chunk.startLine),
        `This ClusterConfiguration has no controlPlaneEndpoint, but ${reasons.join(' and ')}: kubeadm refuses to join more control-plane nodes without one. Set it to a load balancer or DNS name in front of the API servers.`,
        { related },
      );
    }
  },
};
