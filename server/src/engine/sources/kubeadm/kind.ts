/** kubeadm (Init/Cluster/Join/Reset/UpgradeConfiguration), KubeletConfiguration and KubeProxyConfiguration documents. */
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
    const configured = configuredPorts(members);
    into.configured = configured;
    into.portSettings.push(...portSettings(configured));
  },
  hover: configHover,
};
