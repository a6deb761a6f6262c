import { DOCS } from '../kubernetes/docs';
import { formatPortRange, parsePortRange, samePorts } from '../net/portRange';
import { shiftRange } from '../text/positions';
import type { Rule } from './types';

export const configMismatch: Rule = {
  meta: {
    id: 'config-mismatch',
    severity: 'warning',
    docs: DOCS.portsAndProtocols,
    title: "The inventory's apiServerPort or nodePortRange disagrees with the cluster's kubeadm config",
    description:
      'Once a cluster has a kubeadm InitConfiguration or ClusterConfiguration, kubeadm decides the API server port (localAPIEndpoint.bindPort, or apiServer extraArgs secure-port) and, with a ClusterConfiguration, the NodePort range (apiServer extraArgs service-node-port-range), even when it leaves them at their defaults. An inventory value that differs is reported on the inventory value, and the firewall checks follow the kubeadm config.',
    appliesTo: ['inventory', 'kubeadm'],
    example: {
      bad: 'inventory: apiServerPort: 8443\nkubeadm: localAPIEndpoint.bindPort: 6443',
      good: 'inventory: apiServerPort: 6443',
    },
  },
  checkCluster({ settings, inventories }, report) {
    const configured = settings.configured;
    const api = configured.ports.get('kube-apiserver')!;
    const nodePorts = configured.ports.get('nodeport-services')!;
    const where = (setting: typeof api.setting, key: string) =>
      setting?.description ?? `the kubeadm config, which sets no ${key} (default)`;
    for (const { uri, doc } of inventories) {
      const head = doc.head;
      if (configured.kubeadmControlPlane && head.apiServerPort && head.apiServerPort.value !== api.range.low) {
        report(
          uri,
          shiftRange(head.apiServerPort.range, head.chunk.startLine),
          `spec.apiServerPort is ${head.apiServerPort.value}, but the API server will listen on ${api.range.low} (${where(api.setting, 'bindPort')}); firewall checks use ${api.range.low}.`,
          api.setting
            ? { related: [{ uri: api.setting.uri, range: api.setting.range, message: `API server port ${api.range.low}` }] }
            : undefined,
        );
      }
      const inventoryRange = head.nodePortRange && parsePortRange(head.nodePortRange.value);
      if (
        configured.clusterConfiguration &&
        head.nodePortRange &&
        inventoryRange?.ok &&
        !samePorts(inventoryRange.range, nodePorts.range)
      ) {
        report(
          uri,
          shiftRange(head.nodePortRange.range, head.chunk.startLine),
          `spec.nodePortRange is ${head.nodePortRange.value}, but the API server will use ${formatPortRange(nodePorts.range)} (${where(nodePorts.setting, 'service-node-port-range')}); checks use ${formatPortRange(nodePorts.range)}.`,
          nodePorts.setting
            ? {
                related: [
                  {
                    uri: nodePorts.setting.uri,
                    range: nodePorts.setting.range,
                    message: `NodePort range ${formatPortRange(nodePorts.range)}`,
                  },
                ],
              }
            : undefined,
        );
      }
    }
  },
};
