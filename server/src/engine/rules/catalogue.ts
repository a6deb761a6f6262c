/**
 * Every rule Cluster Preflight has, in the order the docs list them. Rule ids are a
 * public contract (diagnostic codes, CLI output, suppression): never rename one.
 */
import { cidrOverlap } from './cidr-overlap';
import { configMismatch } from './config-mismatch';
import { dualStackMismatch } from './dual-stack-mismatch';
import { duplicateHostname } from './duplicate-hostname';
import { duplicateIp } from './duplicate-ip';
import { duplicateMac } from './duplicate-mac';
import { etcdGroupEmpty } from './etcd-group-empty';
import { etcdQuorum } from './etcd-quorum';
import { fileTooLarge } from './file-too-large';
import { firewallSourceExcludesPeers } from './firewall-source-excludes-peers';
import { firewallWrongProtocol } from './firewall-wrong-protocol';
import { internalError } from './internal-error';
import { invalidAddress } from './invalid-address';
import { invalidHostname } from './invalid-hostname';
import { invalidMac } from './invalid-mac';
import { invalidPortRange } from './invalid-port-range';
import { joinAddress } from './join-address';
import { kubeadmApiDeprecated } from './kubeadm-api-deprecated';
import { kubeadmApiRemoved } from './kubeadm-api-removed';
import { missingAddress } from './missing-address';
import { missingControlPlaneEndpoint } from './missing-control-plane-endpoint';
import { missingHostAddress } from './missing-host-address';
import { missingInterface } from './missing-interface';
import { missingPortRule } from './missing-port-rule';
import { mtuMismatch } from './mtu-mismatch';
import { mtuOverlayOverhead } from './mtu-overlay-overhead';
import { noControlPlane } from './no-control-plane';
import { nodeportDuplicate } from './nodeport-duplicate';
import { nodeportOutOfRange } from './nodeport-out-of-range';
import { nodeportRangeEphemeralOverlap } from './nodeport-range-ephemeral-overlap';
import { nodeportRangeOverlap } from './nodeport-range-overlap';
import { obsoletePortRule } from './obsolete-port-rule';
import { podSubnetTooSmall } from './pod-subnet-too-small';
import { portConflict } from './port-conflict';
import { schema } from './schema';
import { serviceSubnetTooLarge } from './service-subnet-too-large';
import { subnetOverlapsHostNetwork } from './subnet-overlaps-host-network';
import { subnetPublicRange } from './subnet-public-range';
import type { Rule, RuleMeta } from './types';
import { templatePlaceholder } from './template-placeholder';
import { unknownApiVersion } from './unknown-api-version';
import { unknownNode } from './unknown-node';
import { unusedDisable } from './unused-disable';
import { yamlSyntax } from './yaml-syntax';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  missingInterface,
  missingAddress,
  invalidAddress,
  invalidMac,
  invalidHostname,
  duplicateHostname,
  duplicateMac,
  duplicateIp,
  missingPortRule,
  firewallSourceExcludesPeers,
  firewallWrongProtocol,
  obsoletePortRule,
  portConflict,
  invalidPortRange,
  nodeportRangeOverlap,
  nodeportRangeEphemeralOverlap,
  noControlPlane,
  etcdQuorum,
  etcdGroupEmpty,
  missingHostAddress,
  nodeportOutOfRange,
  nodeportDuplicate,
  unknownApiVersion,
  kubeadmApiRemoved,
  kubeadmApiDeprecated,
  cidrOverlap,
  podSubnetTooSmall,
  serviceSubnetTooLarge,
  subnetOverlapsHostNetwork,
  subnetPublicRange,
  mtuOverlayOverhead,
  mtuMismatch,
  missingControlPlaneEndpoint,
  unknownNode,
  configMismatch,
  joinAddress,
  dualStackMismatch,
  templatePlaceholder,
  unusedDisable,
  fileTooLarge,
  internalError,
];

const BY_ID = new Map<string, RuleMeta>(RULES.map((r) => [r.meta.id, r.meta]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
