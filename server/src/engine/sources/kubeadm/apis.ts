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
  /** For removed versions: the Kubernetes release whose kubeadm no longer reads them. */
  removedIn?: string;
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
  ...(
    [
      ['v1beta2', '1.27'],
      ['v1beta1', '1.22'],
      ['v1alpha3', '1.14'],
      ['v1alpha2', '1.13'],
      ['v1alpha1', '1.12'],
    ] as const
  ).map(([version, removedIn]): ConfigApi => ({
    apiVersion: `kubeadm.k8s.io/${version}`,
    family: 'kubeadm',
    kinds: ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'MasterConfiguration', 'NodeConfiguration'],
    status: 'removed',
    removedIn,
  })),
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

/** The API groups whose documents are ours whatever their version, and the kinds each group has. */
const GROUPS: ReadonlyArray<{ group: string; kinds?: readonly string[] }> = [
  { group: 'kubeadm.k8s.io' },
  { group: 'kubelet.config.k8s.io', kinds: ['KubeletConfiguration'] },
  { group: 'kubeproxy.config.k8s.io', kinds: ['KubeProxyConfiguration'] },
];

/**
 * Whether a document with this apiVersion and kind is a configuration we check. Any kind
 * under kubeadm.k8s.io is ours (a wrong kind is reported); for the component configs their
 * one kind is, in any version (an unknown version is reported: kubeadm skips the document).
 */
export function isConfigDocument(apiVersion: string, kind: string): boolean {
  const group = apiVersion.slice(0, apiVersion.lastIndexOf('/'));
  return GROUPS.some((g) => g.group === group && (!g.kinds || g.kinds.includes(kind)));
}

/** The versions of the document's API group that are still read and have `kind`, newest first. */
export function versionsWithKind(apiVersion: string, kind: string): ConfigApi[] {
  const group = apiVersion.slice(0, apiVersion.lastIndexOf('/') + 1);
  return CONFIG_APIS.filter((api) => api.apiVersion.startsWith(group) && api.status !== 'removed' && api.kinds.includes(kind));
}

/** The versions, in any group, that are still read and have `kind`: where a document of that kind belongs. */
export function apisWithKind(kind: string): ConfigApi[] {
  return CONFIG_APIS.filter((api) => api.status !== 'removed' && api.kinds.includes(kind));
}

/**
 * The API that reads a document, or undefined when none does. A kind of another group under a
 * kubeadm version (a KubeProxyConfiguration under kubeadm.k8s.io/v1beta3) is not read by that
 * version: kubeadm skips it ("Ignored YAML document with GroupVersionKind"), so it is an unknown
 * version of its kind rather than a wrong kind of the version.
 */
export function readingApi(apiVersion: string, kind: string): ConfigApi | undefined {
  const api = configApi(apiVersion);
  if (api && !api.kinds.includes(kind) && apisWithKind(kind).some((other) => other.family !== api.family)) return undefined;
  return api;
}
