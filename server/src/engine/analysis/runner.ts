/**
 * The one place rules run. The runner checks one cluster's model and files with every rule
 * of the catalogue, owns every cache of rule results, and is the single exit through which
 * findings leave the engine (where they become absolute, and where suppression and severity
 * overrides apply). A rule that throws costs only itself: its place gets one internal-error
 * finding and the log gets the stack.
 */
import { INTERNAL_ERROR, TEMPLATE_PLACEHOLDER, type Finding, type PlacedFinding, type Severity } from '../core/findings';
import { absoluteRange, chunkStart, type Chunk, type Origin, type Place } from '../core/located';
import { compareRanges, shiftRange, type Range } from '../core/text/positions';
import { nodeAnchor, placeOf, type ClusterModel, type NodeFacts, type Roster } from '../model/cluster';
import { etcdByRole, etcdMembership, placementContext, type EtcdMembership, type PlacementContext } from '../model/placement';
import { RULES } from '../rules/catalogue';
import type { KindDocuments, NodeFact, Report, ReportOptions, Rule } from '../rules/types';
import type { SourceDocument } from '../sources/kind';

/** One file of the cluster, as the runner reads it. */
export interface FileInput {
  uri: string;
  documents: readonly SourceDocument[];
}

/** Documents of a kind whose contribution to the model threw: each gets an internal-error finding. */
export interface ContributionFailure {
  kind: string;
  members: ReadonlyArray<{ uri: string; doc: SourceDocument }>;
  problem: string;
}

/** What one run says: findings per file (absolute, sorted) and the placement nodes were checked under. */
export interface ClusterRun {
  findings: ReadonlyMap<string, Finding[]>;
  placement: PlacementContext;
}

/** How each declared node fact enters the cross-node cache key. */
const FACT_KEYS: Record<NodeFact, (node: NodeFacts) => string> = {
  hostname: (n) => n.hostname?.value ?? '',
  roles: (n) => n.roles.join(','),
  macs: (n) => (n.interfaces ? n.interfaces.map((i) => i.macKey ?? (i.mac ? '?' : '')).join(',') : '-'),
  addresses: (n) => (n.interfaces ? n.interfaces.map((i) => i.addressKey ?? (i.address ? '?' : '')).join(',') : '-'),
  // Which interfaces carry cluster traffic depends on their networks: the addresses as written (with prefix) are part
  // of it; messages name the interface.
  mtus: (n) =>
    n.interfaces
      ? n.interfaces.map((i) => `${i.mtu?.value ?? ''}@${i.address?.value ?? ''}@${i.name?.value ?? ''}`).join(',')
      : '-',
  broken: (n) => (n.broken ? 'broken' : ''),
};

const CROSS_NODE_RULES = RULES.filter((r) => r.checkNodes);
/** Everything cross-node checks read, and the roles that decide etcd membership. */
const CROSS_FACTS: readonly NodeFact[] = [
  ...new Set<NodeFact>(['roles', ...CROSS_NODE_RULES.flatMap((r) => r.checkNodes!.reads)]),
];
const DOCUMENT_RULES = RULES.filter((r) => r.checkDocument);
const CLUSTER_RULES = RULES.filter((r) => r.checkCluster);

/** Errors first among findings at the same place. */
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

interface CrossState {
  nodes: readonly NodeFacts[];
  keys: string[];
  /** Each roster's anchor owner and size: a changed list of lists re-runs the checks. */
  rosters: Array<[object | undefined, number]>;
  membership: EtcdMembership;
  /** Whether the etcd members were the nodes with role etcd (it also follows the distribution). */
  etcdByRole: boolean;
  findings: PlacedFinding[];
  /** Model objects the findings point into: replacing one makes their places stale. */
  owners: Set<object>;
}

export class RuleRunner {
  private readonly nodeFindings = new WeakMap<NodeFacts, { key: string; findings: PlacedFinding[] }>();
  private readonly documentFindings = new WeakMap<SourceDocument, PlacedFinding[]>();
  private readonly crossKeys = new WeakMap<NodeFacts, string>();
  private readonly cross = new Map<string, CrossState>();
  private readonly nodeRules = new Map<string, Rule[]>();

  /** `log` gets the stack of every rule that throws (stderr for the CLI, the output channel for the server). */
  constructor(private readonly log: (message: string) => void = () => {}) {}

  run(model: ClusterModel, files: readonly FileInput[], failures: readonly ContributionFailure[] = []): ClusterRun {
    const out = new Map<string, PlacedFinding[]>(files.map((f) => [f.uri, []]));
    const parse = new Map<string, Finding[]>(files.map((f) => [f.uri, []]));
    const emit = (finding: PlacedFinding) => {
      const list = out.get(finding.at.origin.uri);
      if (list) list.push(finding);
      else out.set(finding.at.origin.uri, [finding]);
    };

    for (const failure of failures) {
      for (const { uri, doc } of failure.members) {
        emit({
          ruleId: INTERNAL_ERROR,
          severity: 'error',
          message: `Reading what this ${failure.kind} document says about the cluster failed (${failure.problem}). This is a bug in Cluster Preflight, not in the file; please report it.`,
          at: chunkStart({ uri, chunk: doc.chunk }, doc),
        });
      }
    }

    const cross = this.crossNodes(model);
    const placement = placementContext(model.settings, cross.membership);
    for (const f of cross.findings) emit(f);

    for (const node of model.nodes) {
      if (node.broken) continue;
      for (const f of this.nodeRun(node, placement)) emit(f);
    }

    for (const file of files) {
      const into = parse.get(file.uri)!;
      for (const doc of file.documents) {
        doc.parseFindings((chunk, findings) => shiftInto(findings, chunk, file.uri, into));
        for (const f of this.documentRun(file.uri, doc)) emit(f);
      }
    }

    const clusterOrigin: Origin = { uri: files[0]?.uri ?? model.id, chunk: { startOffset: 0, startLine: 0 } };
    for (const rule of CLUSTER_RULES) {
      this.guarded(rule, chunkStart(clusterOrigin), emit, (report) => rule.checkCluster!(model, report));
    }

    const findings = new Map<string, Finding[]>();
    for (const [uri, placed] of out) {
      let list = parse.get(uri) ?? [];
      for (const f of placed) list.push(absolute(f));
      const documents = files.find((f) => f.uri === uri)?.documents ?? [];
      const templated = documents.filter((d) => d.template);
      if (templated.length) list = withTemplates(list, templated);
      // Documents that only speak in some clusters (group_vars next to a Kubespray inventory): the
      // lines from each such document's start to the next document's are silent elsewhere.
      const silent = documents
        .map((d, i) => ({ d, next: documents[i + 1] }))
        .filter(({ d }) => d.reportsIn && !d.reportsIn(model))
        .map(({ d, next }) => [d.chunk.startLine, next ? next.chunk.startLine : Infinity]);
      if (silent.length)
        list = list.filter((f) => !silent.some(([first, end]) => f.range.start.line >= first && f.range.start.line < end));
      findings.set(uri, list.sort(byPosition));
    }
    return { findings, placement };
  }

  /** Cross-node findings and etcd membership, re-run only when a fact some check reads changed on some node. */
  private crossNodes(model: ClusterModel): CrossState {
    const nodes = model.nodes;
    const rosters = model.rosters.map((r): [object | undefined, number] => [r.anchors.nodes?.owner, r.nodes.length]);
    // The same test as the placement's: under K3s only nodes with role etcd are members.
    const byRole = etcdByRole(
      model.settings.distribution.id,
      nodes.some((n) => n.roles.includes('etcd')),
    );
    const previous = this.cross.get(model.id);
    if (previous && previous.etcdByRole === byRole && this.stillValid(previous, nodes, rosters)) {
      previous.nodes = nodes;
      return previous;
    }
    const findings: PlacedFinding[] = [];
    const view = { nodes, rosters: model.rosters, anyEtcdRole: byRole };
    for (const rule of CROSS_NODE_RULES) {
      this.guarded(
        rule,
        crossFallback(model.rosters, nodes),
        (f) => findings.push(f),
        (report) => rule.checkNodes!.check(view, report),
      );
    }
    const owners = new Set<object>();
    for (const f of findings) {
      if (f.at.owner) owners.add(f.at.owner);
      for (const r of f.related ?? []) if (r.at.owner) owners.add(r.at.owner);
    }
    const state: CrossState = {
      nodes,
      keys: nodes.map((n) => this.crossKey(n)),
      rosters,
      membership: etcdMembership(nodes),
      etcdByRole: byRole,
      findings,
      owners,
    };
    this.cross.set(model.id, state);
    return state;
  }

  private stillValid(previous: CrossState, nodes: readonly NodeFacts[], rosters: Array<[object | undefined, number]>): boolean {
    if (previous.nodes.length !== nodes.length || previous.rosters.length !== rosters.length) return false;
    if (rosters.some(([owner, size], i) => previous.rosters[i][0] !== owner || previous.rosters[i][1] !== size)) return false;
    for (let i = 0; i < nodes.length; i++) {
      const before = previous.nodes[i];
      if (before === nodes[i]) continue;
      if (previous.owners.has(before) || this.crossKey(nodes[i]) !== previous.keys[i]) return false;
    }
    return true;
  }

  private crossKey(node: NodeFacts): string {
    let key = this.crossKeys.get(node);
    if (key === undefined) {
      key = CROSS_FACTS.map((fact) => FACT_KEYS[fact](node)).join('|');
      this.crossKeys.set(node, key);
    }
    return key;
  }

  /** A node's findings, cached for the placement they were computed under. */
  private nodeRun(node: NodeFacts, placement: PlacementContext): PlacedFinding[] {
    const cached = this.nodeFindings.get(node);
    if (cached && cached.key === placement.key) return cached.findings;
    const findings: PlacedFinding[] = [];
    for (const rule of this.rulesForNodesOf(node.kind)) {
      this.guarded(
        rule,
        placeOf(node, node.itemRange),
        (f) => findings.push(f),
        (report) => rule.checkNode!(node, placement, report),
      );
    }
    this.nodeFindings.set(node, { key: placement.key, findings });
    return findings;
  }

  private rulesForNodesOf(kind: string): Rule[] {
    let rules = this.nodeRules.get(kind);
    if (!rules) this.nodeRules.set(kind, (rules = RULES.filter((r) => r.checkNode && r.meta.appliesTo.includes(kind))));
    return rules;
  }

  /** A document's own findings: it does not change once parsed, so they are computed once. */
  private documentRun(uri: string, doc: SourceDocument): PlacedFinding[] {
    let findings = this.documentFindings.get(doc);
    if (findings) return findings;
    findings = [];
    const origin: Origin = { uri, chunk: doc.chunk };
    const at = (range: Range): Place => ({ origin, range, owner: doc });
    for (const rule of DOCUMENT_RULES) {
      const check = rule.checkDocument![doc.kind.id as keyof KindDocuments] as
        ((doc: SourceDocument, report: Report, at: (range: Range) => Place) => void) | undefined;
      if (!check) continue;
      this.guarded(
        rule,
        chunkStart(origin, doc),
        (f) => findings!.push(f),
        (report) => check(doc, report, at),
      );
    }
    this.documentFindings.set(doc, findings);
    return findings;
  }

  /** Runs one rule's check; an exception becomes one internal-error finding at `fallback`. */
  private guarded(rule: Rule, fallback: Place, emit: (finding: PlacedFinding) => void, check: (report: Report) => void): void {
    const report: Report = (at: Place, message: string, options?: ReportOptions) => {
      const finding: PlacedFinding = { ruleId: rule.meta.id, severity: options?.severity ?? rule.meta.severity, message, at };
      if (options?.related?.length) finding.related = options.related;
      if (options?.data !== undefined) finding.data = options.data;
      emit(finding);
    };
    try {
      check(report);
    } catch (error) {
      this.log(`rule ${rule.meta.id} failed on ${fallback.origin.uri}: ${(error as Error)?.stack ?? String(error)}`);
      emit({
        ruleId: INTERNAL_ERROR,
        severity: 'error',
        message: `The ${rule.meta.id} check failed on this file (${(error as Error)?.message ?? String(error)}). This is a bug in Cluster Preflight, not in the file; please report it.`,
        at: fallback,
      });
    }
  }
}

/** Where an internal error of a cross-node check goes: the first list's anchor, else the first node. */
function crossFallback(rosters: readonly Roster[], nodes: readonly NodeFacts[]): Place {
  const anchored = rosters.find((r) => r.anchors.nodes)?.anchors.nodes;
  if (anchored) return anchored;
  return nodes.length ? nodeAnchor(nodes[0]) : chunkStart({ uri: '', chunk: { startOffset: 0, startLine: 0 } });
}

/**
 * A templated document's findings: one template-placeholder note, and nothing on the lines its
 * placeholders are on (nothing at all when template control structures shape the document).
 */
function withTemplates(findings: Finding[], documents: readonly SourceDocument[]): Finding[] {
  let kept = findings;
  for (const doc of documents) {
    const use = doc.template!;
    const first = doc.chunk.startLine;
    const last = first + use.lineCount - 1;
    kept = kept.filter((f) => {
      const line = f.range.start.line;
      return line < first || line > last || (!use.control && !use.lines.has(line - first));
    });
    const shown = use.examples.join(', ');
    kept.push({
      ruleId: TEMPLATE_PLACEHOLDER,
      severity: 'information',
      message: use.control
        ? `This document is a template (${shown}): its structure is known only once it is rendered, so it was not checked. Check the rendered file.`
        : `This document has template placeholders (${shown}): the lines they are on are not checked until it is rendered.`,
      range: shiftRange(use.first, first),
    });
  }
  return kept;
}

function absolute(f: PlacedFinding): Finding {
  const finding: Finding = { ruleId: f.ruleId, severity: f.severity, message: f.message, range: absoluteRange(f.at) };
  if (f.related?.length)
    finding.related = f.related.map((r) => ({ uri: r.at.origin.uri, range: absoluteRange(r.at), message: r.message }));
  if (f.data !== undefined) finding.data = f.data;
  return finding;
}

/** Parser and schema findings, relative to `chunk`, made absolute. */
function shiftInto(findings: readonly Finding[], chunk: Chunk, uri: string, into: Finding[]): void {
  for (const f of findings) {
    const shifted: Finding = { ...f, range: shiftRange(f.range, chunk.startLine) };
    if (f.related)
      shifted.related = f.related.map((r) => ({
        ...r,
        uri: r.uri ?? uri,
        range: r.uri ? r.range : shiftRange(r.range, chunk.startLine),
      }));
    into.push(shifted);
  }
}

function byPosition(a: Finding, b: Finding): number {
  return (
    compareRanges(a.range, b.range) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}
