import type { Finding, RelatedLocation, Severity } from '../findings';
import type { ClusterMember, ClusterSettings } from '../cluster/settings';
import type { InventoryDocument } from '../inventory/inventoryDocument';
import type { ConfigDocument } from '../kubeadm/configDocument';
import type { InventoryHead, NodeModel } from '../inventory/model';
import type { ServiceDocument } from '../service/serviceDocument';
import type { PlacementContext } from '../inventory/requirements';
import type { Range } from '../text/positions';

/** What a rule is, for the catalogue, the generated docs and `codeDescription.href`. */
export interface RuleMeta {
  id: string;
  /** Default severity; some rules lower it for particular findings (documented in `description`). */
  severity: Severity;
  /** The Kubernetes page that explains the requirement behind the rule. */
  docs?: string;
  /** One line: what the rule reports. */
  title: string;
  /** Why it matters and how the rule decides, for the rule docs. */
  description: string;
  /** File kinds the rule looks at. */
  appliesTo: Array<'inventory' | 'service' | 'kubeadm'>;
  /** A short example that triggers the rule, and what fixes it. */
  example?: { bad: string; good: string };
}

export interface ReportOptions {
  severity?: Severity;
  related?: RelatedLocation[];
  data?: unknown;
}

export type Report = (range: Range, message: string, options?: ReportOptions) => void;

/** The parts of an inventory a cross-node check sees; ranges through `at()` are absolute. */
export interface InventoryView {
  head: InventoryHead;
  nodes: readonly NodeModel[];
  ctx: PlacementContext;
  /** Some node item has YAML syntax errors, so its roles may be half-typed: rules about role counts wait. */
  anyNodeBroken: boolean;
  /** A range relative to a node's (or the head's) chunk, made absolute. */
  at(owner: { chunk: { startLine: number } }, range: Range): Range;
}

/**
 * A rule: its metadata and the checks it runs. Checks are split by what they look at so
 * that a keystroke in one node re-runs only that node's checks (`checkNode`, ranges
 * relative to the node's chunk) while cross-node checks (`checkInventory`) run on the
 * small per-node summaries. Rules without checks (yaml-syntax, schema) are reported by
 * the parser and the schema validator.
 */
export interface Rule {
  meta: RuleMeta;
  checkNode?(node: NodeModel, ctx: PlacementContext, report: Report): void;
  checkInventory?(inventory: InventoryView, report: Report): void;
  /** One kubeadm/kubelet/kube-proxy document on its own; ranges relative to its chunk. */
  checkConfig?(doc: ConfigDocument, report: Report): void;
  checkCluster?(cluster: ClusterView, report: ClusterReport): void;
}

/** All files of one cluster (a directory holding an inventory, see docs/clusters.md); ranges are absolute. */
export interface ClusterView {
  settings: ClusterSettings;
  inventories: ReadonlyArray<ClusterMember<InventoryDocument>>;
  services: ReadonlyArray<ClusterMember<ServiceDocument>>;
  configs: ReadonlyArray<ClusterMember<ConfigDocument>>;
}

export type ClusterReport = (uri: string, range: Range, message: string, options?: ReportOptions) => void;

export function makeReporter(ruleId: string, defaultSeverity: Severity, into: Finding[]): Report {
  return (range, message, options) => {
    const finding: Finding = { ruleId, severity: options?.severity ?? defaultSeverity, message, range };
    if (options?.related?.length) finding.related = options.related;
    if (options?.data !== undefined) finding.data = options.data;
    into.push(finding);
  };
}

/** Where to put a finding about a node as a whole: its hostname value, else its first line. */
export function nodeAnchor(node: NodeModel): Range {
  if (node.hostname) return node.hostname.range;
  const start = node.itemRange.start;
  return { start, end: { line: start.line, character: start.character + 1 } };
}

export function nodeLabel(node: NodeModel): string {
  return node.hostname ? `"${node.hostname.value}"` : 'without a hostname';
}
