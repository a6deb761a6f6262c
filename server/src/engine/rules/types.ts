import type { TextEdit } from '../core/edits';
import type { Severity } from '../core/findings';
import type { Place } from '../core/located';
import type { Position, Range } from '../core/text/positions';
import type { ClusterModel, Member, NodeFacts, Roster } from '../model/cluster';
import type { PlacementContext } from '../model/placement';
import type { InventoryDocument } from '../sources/inventory/inventoryDocument';
import type { K0sConfigDocument, K0sctlDocument } from '../sources/k0s/document';
import type { LocatedYaml, SourceDocument } from '../sources/kind';
import type { ConfigDocument } from '../sources/kubeadm/configDocument';
import type { KubesprayInventoryDocument, KubesprayVarsDocument } from '../sources/kubespray/document';
import type { NodeConfigDocument } from '../sources/rke2/document';
import type { ServiceDocument } from '../sources/service/serviceDocument';

/** What a rule is, for the catalogue, the generated docs and `codeDescription.href`. */
export interface RuleMeta {
  id: string;
  /** Default severity; some rules lower it for particular findings (documented in `description`). */
  severity: Severity;
  /** The page that explains the requirement behind the rule. */
  docs?: string;
  /** One line: what the rule reports. */
  title: string;
  /** Why it matters and how the rule decides, for the rule docs. */
  description: string;
  /**
   * The document kinds (registry ids) whose files get the rule's findings. Node checks run on
   * the nodes of these kinds only, document checks on documents of these kinds.
   */
  appliesTo: string[];
  /** A short example that triggers the rule, and what fixes it. */
  example?: { bad: string; good: string };
}

export interface ReportOptions {
  severity?: Severity;
  related?: Array<{ at: Place; message: string }>;
  data?: unknown;
}

export type Report = (at: Place, message: string, options?: ReportOptions) => void;

/**
 * The facts of a node a cross-node check may read. Each check declares the ones it reads;
 * the runner re-runs cross-node checks only when one of those changes on some node, so a
 * check that read an undeclared fact would go stale (a test watches for that).
 */
/** `mtus`: each interface's MTU, with its address as written and its name (which interfaces carry cluster traffic, and how messages name them). */
export type NodeFact = 'hostname' | 'roles' | 'macs' | 'addresses' | 'mtus' | 'broken';

/** The cluster's nodes as cross-node checks see them. */
export interface NodesView {
  nodes: readonly NodeFacts[];
  /** Each document's list, for findings about a list as a whole. */
  rosters: readonly Roster[];
  /**
   * The etcd members are the nodes with role etcd, not the control-plane nodes: some node has
   * that role, or the distribution does not stack etcd on its servers (K3s).
   */
  anyEtcdRole: boolean;
}

/** The document types of the kinds document checks and cluster checks can ask for. */
export interface KindDocuments {
  inventory: InventoryDocument;
  kubeadm: ConfigDocument;
  service: ServiceDocument;
  k0sctl: K0sctlDocument;
  k0s: K0sConfigDocument;
  rke2: NodeConfigDocument;
  kubespray: KubesprayInventoryDocument | KubesprayVarsDocument;
}

export type DocumentChecks = {
  [K in keyof KindDocuments]?: (doc: KindDocuments[K], report: Report, at: (range: Range) => Place) => void;
};

/**
 * A rule: its metadata, its checks and its fixes. Checks are split by what they look at so
 * that a keystroke in one node re-runs only that node's checks (`checkNode`), cross-node
 * checks run on the facts they declare, and document and cluster checks see what they need.
 * Rules without checks (yaml-syntax, schema) are reported by the parsers and the schema validator.
 */
export interface Rule {
  meta: RuleMeta;
  /** One node, from any document kind the rule applies to; `placement` says what its roles need here. */
  checkNode?(node: NodeFacts, placement: PlacementContext, report: Report): void;
  /** All nodes of the cluster at once (duplicates, quorum). */
  checkNodes?: { reads: readonly NodeFact[]; check(view: NodesView, report: Report): void };
  /** One document of a kind, on its own. */
  checkDocument?: DocumentChecks;
  /** The whole cluster: settings, Services and documents of every file. */
  checkCluster?(cluster: ClusterModel, report: Report): void;
  /** Quick-fixes for this rule's diagnostics in a code-action request. */
  fixes?(request: FixRequest): QuickFix[];
  /**
   * Its fixes add what is missing (firewall entries). Fix-all applies them only in a round where no
   * other fix applies: a fix that corrects what is written (a protocol, a range) may be what provides
   * it, and adding it as well would write it twice.
   */
  fixesAddMissing?: boolean;
}

/** The documents of one kind in a cluster, typed. */
export function membersOf<K extends keyof KindDocuments>(
  cluster: ClusterModel,
  kind: K,
): ReadonlyArray<Member<KindDocuments[K]>> {
  return cluster.members(kind) as ReadonlyArray<Member<KindDocuments[K]>>;
}

/** The parts of an LSP diagnostic a code-action request carries back. */
export interface DiagnosticRef {
  range: Range;
  code?: string | number;
  source?: string;
  data?: unknown;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
  /** The request's own diagnostics this fix resolves. */
  diagnostics: DiagnosticRef[];
}

/** What a rule's fixes get: its diagnostics in the request and the file as it is now. */
export interface FixRequest {
  uri: string;
  /** This rule's diagnostics among the request's. */
  diagnostics: readonly DiagnosticRef[];
  /** Every diagnostic of the request (a fix for several may name them all). */
  allDiagnostics: readonly DiagnosticRef[];
  text: string;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  /** The file's analysed documents. */
  documents: readonly SourceDocument[];
  /** The YAML around an offset, parsed at most once per piece in one request. */
  locate(offset: number): LocatedYaml | undefined;
  /** What the nodes of the file's cluster need, as of the last analysis. */
  placement: PlacementContext;
}
