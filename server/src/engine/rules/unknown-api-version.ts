import { DOCS } from '../knowledge/docs';
import { apisWithKind, CONFIG_APIS, versionsWithKind } from '../sources/kubeadm/apis';
import { INVENTORY_VERSION } from '../sources/inventory/inventoryDocument';
import type { Rule } from './types';

/** Who refuses or skips a document of each group. */
const CONSEQUENCE: Record<string, string> = {
  'kubeadm.k8s.io': 'kubeadm refuses the file',
  'kubelet.config.k8s.io': 'the kubelet refuses it, and kubeadm skips the document, so none of its settings apply',
  'kubeproxy.config.k8s.io': 'kube-proxy refuses it, and kubeadm skips the document, so none of its settings apply',
};

const SKIPPED = 'kubeadm skips the document ("Ignored YAML document with GroupVersionKind"), so none of its settings apply';

export const unknownApiVersion: Rule = {
  meta: {
    id: 'unknown-api-version',
    severity: 'error',
    docs: DOCS.kubeadmConfigV1beta4,
    title: 'A known kind with an apiVersion that does not exist',
    description:
      'The kind is one Cluster Preflight knows (a kubeadm configuration, KubeletConfiguration, KubeProxyConfiguration or an Inventory), but not in this version: `kubelet.config.k8s.io/v1` has no KubeletConfiguration, and `kubeadm.k8s.io/v1beta4` has no KubeProxyConfiguration. The component refuses such a file, and kubeadm skips such a document in its config file, so every setting in it silently vanishes. Reported on the apiVersion value, naming the versions that exist. Removed kubeadm versions are `kubeadm-api-removed`.',
    appliesTo: ['inventory', 'kubeadm'],
    example: {
      bad: 'apiVersion: kubelet.config.k8s.io/v1\nkind: KubeletConfiguration',
      good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration',
    },
  },
  checkDocument: {
    kubeadm(doc, report, at) {
      const { apiVersion, kind } = doc.facts;
      // A document whose apiVersion could not be read (broken YAML) gets its yaml-syntax findings instead.
      if (doc.api || !apiVersion.value) return;
      const group = apiVersion.value.slice(0, apiVersion.value.lastIndexOf('/'));
      const sameGroup = versionsWithKind(apiVersion.value, kind.value);
      // A kind of another group (KubeProxyConfiguration under kubeadm.k8s.io): kubeadm skips the document.
      const foreign =
        sameGroup.length === 0 && group === 'kubeadm.k8s.io' && kind.value !== '' && apisWithKind(kind.value).length > 0;
      const existing = (foreign ? apisWithKind(kind.value) : sameGroup).map((api) => api.apiVersion);
      const offered = existing.length
        ? `${kind.value} exists in ${existing.join(' and ')}`
        : `this API group has ${CONFIG_APIS.filter((api) => api.apiVersion.startsWith(`${group}/`) && api.status !== 'removed')
            .map((api) => api.apiVersion)
            .join(' and ')}`;
      report(
        at(apiVersion.range),
        `${apiVersion.value} is not a version of ${kind.value || 'this kind'} (${offered}): ${foreign ? SKIPPED : (CONSEQUENCE[group] ?? 'it is refused')}.`,
      );
    },
    inventory({ head }, report, at) {
      if (!head.apiVersion || head.apiVersion.value === INVENTORY_VERSION) return;
      report(
        at(head.apiVersion.range),
        `${head.apiVersion.value} is not a version of Inventory (Cluster Preflight reads ${INVENTORY_VERSION}): this inventory was not checked.`,
      );
    },
  },
};
