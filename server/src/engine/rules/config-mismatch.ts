import type { Place } from '../core/located';
import type { Range } from '../core/text/positions';
import { DOCS } from '../knowledge/docs';
import { formatPortRange, parsePortRange, samePorts } from '../knowledge/net/portRange';
import type { SettingSource } from '../model/settings';
import type { ClusterModel, Member } from '../model/cluster';
import { isTemplatedAt } from '../core/yaml/templates';
import type { NodeConfigDocument } from '../sources/rke2/document';
import { APPLIED_BY_EVERY_SERVER, clusterWideFlags, flagDefault } from '../sources/rke2/document';
import { nodeConfigs } from '../sources/rke2/kind';
import { membersOf, type Report, type Rule } from './types';

export const configMismatch: Rule = {
  meta: {
    id: 'config-mismatch',
    severity: 'warning',
    docs: DOCS.portsAndProtocols,
    title: 'Two files of one cluster disagree on a setting: the inventory and the kubeadm config, or two RKE2/K3s servers',
    description:
      'Once a cluster has a kubeadm InitConfiguration or ClusterConfiguration, kubeadm decides the API server port (localAPIEndpoint.bindPort, or apiServer extraArgs secure-port) and, with a ClusterConfiguration, the NodePort range (apiServer extraArgs service-node-port-range), even when it leaves them at their defaults. An inventory value that differs is reported on the inventory value (a warning), and the firewall checks follow the kubeadm config. RKE2 and K3s servers must share their critical configuration (cluster-cidr, service-cidr, cluster-dns, cluster-domain, agent-token, egress-selector-mode, flannel-backend and the other flags the distribution\'s docs list): a joining server whose value differs refuses to start ("critical configuration value mismatch"), so each written value that differs from another server\'s (written or default) is an error.',
    appliesTo: ['inventory', 'kubeadm', 'rke2'],
    example: {
      bad: 'inventory: apiServerPort: 8443\nkubeadm: localAPIEndpoint.bindPort: 6443',
      good: 'inventory: apiServerPort: 6443',
    },
  },
  checkCluster(cluster, report) {
    rke2ServersAgree(cluster, report);
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

/**
 * RKE2 and K3s servers refuse to join a cluster whose servers were started with other values
 * of the critical settings, and break it when they differ on the ones every server applies:
 * each written value that differs from another server's (written, or its default) is an error.
 */
function rke2ServersAgree(cluster: ClusterModel, report: Report): void {
  const servers = nodeConfigs(membersOf(cluster, 'rke2')).filter((n) => n.server);
  if (servers.length < 2) return;
  const distribution = servers.map((s) => s.distribution).find((d) => d);
  for (const name of [...clusterWideFlags(distribution), ...Object.keys(APPLIED_BY_EVERY_SERVER)]) {
    const values = servers.map((node) => {
      const written = node.flag(name);
      return { node, written, value: written?.value.value ?? flagDefault(name, node.distribution) ?? '' };
    });
    // A value a template writes (`cni: "{{ rke2_cni }}"`) is unknown until rendered: nobody differs from it.
    if (values.some(({ written }) => written && isTemplatedAt(written.member.doc.template, written.value.range))) continue;
    for (const self of values) {
      if (!self.written) continue;
      const others = values.filter((o) => o !== self && o.value !== self.value);
      if (others.length === 0) continue;
      const at = (member: Member<NodeConfigDocument>, range: Range): Place => ({
        origin: { uri: member.uri, chunk: member.doc.chunk },
        range,
        owner: member.doc,
      });
      const named = others.map((o) => `${o.node.label} has ${o.value || 'it unset'}${o.written ? '' : ' (the default)'}`);
      report(
        at(self.written.member, self.written.value.range),
        `${name} is ${self.value} here, but ${named.join(', ')}: ${APPLIED_BY_EVERY_SERVER[name] ?? `a server whose ${name} differs refuses to join`}. All servers must set the same value.`,
        {
          severity: 'error',
          related: others
            .filter((o) => o.written)
            .map((o) => ({ at: at(o.written!.member, o.written!.value.range), message: `${name}: ${o.value}` })),
        },
      );
    }
  }
}
