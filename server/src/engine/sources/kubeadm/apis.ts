import { DOCS } from '../../knowledge/docs';
import type { SchemaId } from '../../schema/registry';

/** The configuration APIs Cluster Preflight knows, what each version offers, and where it is documented. */
export interface ConfigApi {
  apiVersion: string;
  family: 'kubeadm' | 'kubelet' | 'kubeproxy';
  kinds: readonly string[];
  /** Absent for removed versions: their documents are only reported as removed. */
  schema?: SchemaId;
  status: 'current' | 'deprecated' | 'removed';
  reference?: string;
  /** Doc anchor prefix of the version's types: `#kubeadm-k8s-io-v1beta4-ClusterConfiguration`. */
  anchorPrefix?: string;
}

export const CONFIG_APIS: readonly ConfigApi[] = [
  {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    family: 'kubeadm',
    kinds: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'ResetConfiguration', 'UpgradeConfiguration'],
    schema: 'kubeadm.v1beta4',
    status: 'current',
    reference: DOCS.kubeadmConfigV1beta4,
    anchorPrefix: 'kubeadm-k8s-io-v1beta4-',
  },
  {
    apiVersion: 'kubeadm.k8s.io/v1beta3',
    family: 'kubeadm',
    kinds: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration'],
    schema: 'kubeadm.v1beta3',
    status: 'deprecated',
    reference: DOCS.kubeadmConfigV1beta3,
    anchorPrefix: 'kubeadm-k8s-io-v1beta3-',
  },
  {
    apiVersion: 'kubeadm.k8s.io/v1beta2',
    family: 'kubeadm',
    kinds: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration'],
    status: 'removed',
  },
  {
    apiVersion: 'kubeadm.k8s.io/v1beta1',
    family: 'kubeadm',
    kinds: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration'],
    status: 'removed',
  },
  {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    family: 'kubelet',
    kinds: ['KubeletConfiguration'],
    schema: 'kubelet.v1beta1',
    status: 'current',
    reference: DOCS.kubeletConfig,
    anchorPrefix: 'kubelet-config-k8s-io-v1beta1-',
  },
  {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    family: 'kubeproxy',
    kinds: ['KubeProxyConfiguration'],
    schema: 'kube-proxy.v1alpha1',
    status: 'current',
    reference: DOCS.kubeProxyConfig,
    anchorPrefix: 'kubeproxy-config-k8s-io-v1alpha1-',
  },
];

export function configApi(apiVersion: string): ConfigApi | undefined {
  return CONFIG_APIS.find((api) => api.apiVersion === apiVersion);
}

/**
 * Whether a document with this apiVersion and kind is a configuration we check. Any kind
 * under kubeadm.k8s.io is ours (a wrong kind is reported); for the component configs only
 * their one kind is.
 */
export function isConfigDocument(apiVersion: string, kind: string): boolean {
  if (apiVersion.startsWith('kubeadm.k8s.io/')) return true;
  return configApi(apiVersion)?.kinds.includes(kind) ?? false;
}
