import { DOCS } from '../knowledge/docs';
import type { ConfigDocument } from '../sources/kubeadm/configDocument';
import { KUBEADM_KIND_ID } from '../sources/kubeadm/kind';
import { MIGRATE_TITLE, migrationEdits } from '../sources/kubeadm/migrate';
import type { Rule } from './types';

export const kubeadmApiDeprecated: Rule = {
  meta: {
    id: 'kubeadm-api-deprecated',
    severity: 'warning',
    docs: DOCS.kubeadmConfigMigrate,
    title: 'A kubeadm config uses kubeadm.k8s.io/v1beta3 (deprecated in 1.31, rejected from 1.36)',
    description:
      'kubeadm.k8s.io/v1beta4 replaced v1beta3 in Kubernetes 1.31; kubeadm 1.35 is the last release that reads v1beta3. The quick-fix "Migrate this file to kubeadm.k8s.io/v1beta4" rewrites the apiVersion, turns extraArgs and kubeletExtraArgs maps into name/value lists, and moves apiServer.timeoutForControlPlane and discovery.timeout into timeouts, keeping comments. Reported on the apiVersion value.',
    appliesTo: ['kubeadm'],
    example: {
      bad: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    audit-log-maxage: "30"',
      good: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: audit-log-maxage\n      value: "30"',
    },
  },
  checkDocument: {
    kubeadm(doc, report, at) {
      if (doc.api?.status !== 'deprecated') return;
      report(
        at(doc.facts.apiVersion.range),
        `${doc.apiVersion} is deprecated since Kubernetes 1.31 and rejected from 1.36; migrate this file to kubeadm.k8s.io/v1beta4.`,
      );
    },
  },
  /** One fix for the whole file: every v1beta3 document of it is migrated together (timeouts move between them). */
  fixes(request) {
    const configs = request.documents.filter((d): d is ConfigDocument => d.kind.id === KUBEADM_KIND_ID);
    const edits = migrationEdits(request.text, configs, request.positionAt);
    return edits ? [{ title: MIGRATE_TITLE, edits, isPreferred: true, diagnostics: [...request.diagnostics] }] : [];
  },
};
