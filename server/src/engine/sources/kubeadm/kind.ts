/** kubeadm (Init/Cluster/Join/Reset/UpgradeConfiguration), KubeletConfiguration and KubeProxyConfiguration documents. */
import { configSymbols } from './symbols';
import { configReferences } from './references';
import { configComplete } from './complete';
import type { Place } from '../../core/located';
import type { Range } from '../../core/text/positions';
import { parseSubnets } from '../../knowledge/net/subnets';
import type { DocumentKind } from '../kind';
import { isConfigDocument } from './apis';
import { ConfigDocument } from './configDocument';
import { configHover } from './hover';
import { configuredPorts, portSettings } from './ports';

export const KUBEADM_KIND_ID = 'kubeadm';

export const kubeadmKind: DocumentKind<ConfigDocument> = {
  id: KUBEADM_KIND_ID,
  label: 'kubeadm, kubelet and kube-proxy configuration',
  definesCluster: false,
  claimsTemplates: true,
  recognize: ({ apiVersion, kind }) => apiVersion !== undefined && kind !== undefined && isConfigDocument(apiVersion, kind),
  // eslint-disable-next-line require-yield
  *analyze({ text, start, end, lineOf }) {
    return ConfigDocument.parse(kubeadmKind, text, start, end, lineOf(start));
  },
  contribute(members, into) {
    // A kubelet or kube-proxy config alone says nothing about the installer; kubeadm's own types do.
    if (members.some(({ doc }) => /^(Init|Join|Cluster)Configuration$/.test(doc.typeName)))
      into.distributions.push({
        distribution: 'kubeadm',
        tier: 'installer',
        source: { description: 'the kubeadm configuration' },
      });
    for (const { uri, doc } of members) {
      const at = (range: Range): Place => ({ origin: { uri, chunk: doc.chunk }, range, owner: doc });
      if (doc.typeName === 'ClusterConfiguration') {
        for (const [role, name, value] of [
          ['pod', 'podSubnet', doc.facts.podSubnet],
          ['service', 'serviceSubnet', doc.facts.serviceSubnet],
        ] as const) {
          if (!value?.value) continue;
          const parsed = parseSubnets(value.value);
          into.subnets.push({
            role,
            name,
            value: value.value,
            at: at(value.range),
            cidrs: parsed.ok ? parsed.cidrs : [],
            plan: doc,
          });
        }
      }
      for (const [flag, family] of [
        ['node-cidr-mask-size', undefined],
        ['node-cidr-mask-size-ipv4', 'ipv4'],
        ['node-cidr-mask-size-ipv6', 'ipv6'],
      ] as const) {
        const value = doc.facts.controllerManagerArgs.get(flag);
        if (value && /^\d+$/.test(value.value.trim()))
          into.nodeCidrMasks.push({
            family,
            size: Number(value.value),
            name: `controllerManager.extraArgs ${flag}`,
            at: at(value.range),
          });
      }
      const range = doc.facts.apiServerArgs.get('service-node-port-range');
      if (range)
        into.nodePortRanges.push({
          name: 'service-node-port-range',
          value: range.value,
          at: at(range.range),
          against: 'installer',
          lowestPort: 0,
        });
    }
    const configured = configuredPorts(members);
    into.configured = configured;
    into.portSettings.push(...portSettings(configured));
  },
  hover: configHover,
  complete: configComplete,
  symbols: configSymbols,
  references: configReferences,
};
