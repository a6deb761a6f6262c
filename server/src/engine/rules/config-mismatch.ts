import type { Place } from '../core/located';
import type { Range } from '../core/text/positions';
import { DOCS } from '../knowledge/docs';
import { formatPortRange, parsePortRange, samePorts } from '../knowledge/net/portRange';
import type { SettingSource } from '../model/settings';
import { membersOf, type Rule } from './types';

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
  checkCluster(cluster, report) {
    const configured = cluster.settings.configured;
    if (!configured) return;
    const api = configured.ports.get('kube-apiserver')!;
    const nodePorts = configured.ports.get('nodeport-services')!;
    const where = (setting: SettingSource | undefined, key: string) =>
      setting?.description ?? `the kubeadm config, which sets no ${key} (default)`;
    const relatedTo = (setting: SettingSource | undefined, message: string) =>
      setting?.place ? { related: [{ at: setting.place, message }] } : undefined;
    for (const { uri, doc } of membersOf(cluster, 'inventory')) {
      const head = doc.head;
      const at = (range: Range): Place => ({ origin: { uri, chunk: head.chunk }, range, owner: head });
      if (configured.decidesApiServerPort && head.apiServerPort && head.apiServerPort.value !== api.range.low) {
        report(
          at(head.apiServerPort.range),
          `spec.apiServerPort is ${head.apiServerPort.value}, but the API server will listen on ${api.range.low} (${where(api.setting, 'bindPort')}); firewall checks use ${api.range.low}.`,
          relatedTo(api.setting, `API server port ${api.range.low}`),
        );
      }
      const inventoryRange = head.nodePortRange && parsePortRange(head.nodePortRange.value);
      if (
        configured.decidesNodePortRange &&
        head.nodePortRange &&
        inventoryRange?.ok &&
        !samePorts(inventoryRange.range, nodePorts.range)
      ) {
        report(
          at(head.nodePortRange.range),
          `spec.nodePortRange is ${head.nodePortRange.value}, but the API server will use ${formatPortRange(nodePorts.range)} (${where(nodePorts.setting, 'service-node-port-range')}); checks use ${formatPortRange(nodePorts.range)}.`,
          relatedTo(nodePorts.setting, `NodePort range ${formatPortRange(nodePorts.range)}`),
        );
      }
    }
  },
};
