/**
 * The interface every document kind implements, and the one all other layers use: the
 * registry (registry.ts) recognises a document's kind, the kind parses it into a
 * `SourceDocument`, and the document contributes what it says to the cluster model.
 * Nothing outside a kind's folder knows how its format is written.
 */
import type { Node } from 'yaml';
import { FILE_TOO_LARGE, INTERNAL_ERROR, type Finding } from '../core/findings';
import type { Chunk, Place } from '../core/located';
import { shiftRange, type Position, type Range } from '../core/text/positions';
import type { AppliedEdit } from '../core/text/textBuffer';
import type { NodeAtOffset } from '../core/yaml/nodeAt';
import type { ParsedYaml } from '../core/yaml/parse';
import type { TemplateUse } from '../core/yaml/templates';
import type { CompletionCandidate, CompletionPlace } from '../schema/complete';
import type { ClusterModel, ClusterModelBuilder, Member, NodeFacts } from '../model/cluster';
import type { NodeClaim, NodeIdentitySet } from '../model/nodeIdentities';
import type { PlacementContext } from '../model/placement';
import type { EffectiveSettings } from '../model/settings';

/** What recognition sees of a YAML document: its text, its file, and the apiVersion/kind read from its top-level lines. */
export interface DocumentHead {
  uri: string;
  text: string;
  apiVersion?: string;
  kind?: string;
}

/** Parsed pieces of a document by their exact text, for reuse when the document is re-analysed. */
export type ItemPool = Map<string, unknown[]>;

export function addToPool(pool: ItemPool, text: string, item: unknown): void {
  const list = pool.get(text);
  if (list) list.push(item);
  else pool.set(text, [item]);
}

/** What a kind's analysis gets: the whole file's text and where its document lies in it. */
export interface AnalyzeInput {
  uri: string;
  text: string;
  start: number;
  end: number;
  lineOf(offset: number): number;
  /** Pieces of an earlier analysis that may be reused, by their text. */
  pool: ItemPool;
  /** Where newly parsed pieces go, so that an abandoned analysis still saves the next one work. */
  parsedInto: ItemPool;
  /** Parsing on other threads (the language server's parser threads), for the kinds that use them. */
  parallel?: unknown;
  /** What recognition read: the document's apiVersion and kind. */
  head: DocumentHead;
}

/** An analysis step: a pause (undefined) or work handed elsewhere whose result resumes it. */
export type AnalysisStep = void | Promise<unknown>;

/** One analysed document of a file. Positions inside are relative to `chunk`. */
export interface SourceDocument {
  readonly kind: DocumentKind;
  readonly chunk: Chunk;
  /** Offset just past the document in the file. */
  end: number;
  /** Moves the document to where it now sits in the file. */
  place(start: number, startLine: number, end: number): void;
  /** The parser's and schema's findings, each batch with the chunk its ranges are relative to. */
  parseFindings(visit: (chunk: Chunk, findings: readonly Finding[]) => void): void;
  /** Makes a finished analysis current (reused pieces move to their new places). */
  commit?(): void;
  /** Applies an edit inside the document by re-parsing only what it touched; false when it cannot. */
  tryLocalEdit?(text: string, edit: AppliedEdit, lineOf: (offset: number) => number): boolean;
  /** Offers the document's pieces, by their text in `syncedText`, for reuse by the next analysis. */
  poolItems?(syncedText: string, pool: ItemPool): void;
  /** The document's analysis read other documents of its file: it is re-analysed, never reused, when the file changes. */
  readonly readsOtherDocuments?: boolean;
  /** Template placeholders in the document's text (set by the file's analysis); offsets and lines relative to the document. */
  template?: TemplateUse;
  /** Whether this document makes a directory a cluster; when absent, its kind decides. */
  readonly definesCluster?: boolean;
  /** The directory this document makes a cluster, when it is not the file's own directory (with a trailing slash). */
  clusterRoot?(uri: string): string;
  /**
   * What the cluster this document defines is made of: its own file (an Inventory, a k0sctl file:
   * two such files never merge, even side by side; the default), or every file of its root
   * directory that defines one (a Kubespray inventory directory, an RKE2/K3s node tree).
   */
  readonly clusterScope?: 'file' | 'directory';
  /**
   * The name the document gives its cluster or names it by (Inventory and k0sctl `metadata.name`,
   * kubeadm `clusterName`): where several clusters could take a file, the one of its name does.
   */
  readonly clusterName?: string;
  /**
   * The nodes a cluster-defining document describes (names and addresses, model/nodeIdentities.ts):
   * where several clusters could take a file that names a node, the one describing that node does.
   * Counted on first use (only files beside several anchors ask), then kept up to date by local
   * edits, so that telling whether it changed costs no walk over the nodes.
   */
  readonly nodeIdentities?: NodeIdentitySet;
  /** `nodeIdentities` if it was counted already, without counting it: nobody asked about nodes never counted. */
  readonly countedNodes?: NodeIdentitySet;
  /** The nodes a supporting document names (a kubeadm node name, advertise address, join endpoint), to find its cluster by. */
  readonly namedNodes?: readonly NodeClaim[];
  /** What the document is, in a few words, where its kind's label is too broad ("Kubespray inventory", "kubeadm InitConfiguration"). */
  readonly role?: string;
  /** Defines a cluster only where no other document does (a kubeadm ClusterConfiguration). */
  readonly definesClusterAlone?: boolean;
  /** Whether the document's findings are reported in this cluster (a Kubespray group_vars file only next to a Kubespray inventory). */
  reportsIn?(cluster: ClusterModel): boolean;
}

/** The piece of YAML around an offset, freshly parsed from the current text, for hovers and quick-fixes. */
export interface LocatedYaml {
  kind: DocumentKind;
  /** A node item of a list the kind splits (an inventory's nodes), or the whole document. */
  region: 'item' | 'document';
  /** Absolute offset and line where `parsed` starts. */
  base: number;
  baseLine: number;
  parsed: ParsedYaml;
  /** The node at the offset, in `parsed`'s coordinates. */
  at?: NodeAtOffset;
  /** For items: the item's mapping and what the model knows about it. */
  itemNode?: unknown;
  node?: NodeFacts;
  /** The analysed document, when the analysis is current. */
  document?: SourceDocument;
}

/** A range of offsets in `located.parsed`, in the file's lines. */
export function locatedRange(located: LocatedYaml, start: number, end: number): Range {
  return shiftRange(located.parsed.lines.rangeOf(start, end), located.baseLine);
}

/** What a hover may ask about the cluster, as of its last analysis. */
export interface HoverContext {
  uri: string;
  placement: PlacementContext;
  settings: EffectiveSettings;
  /** The file's cluster as of its last check (absent before the first). */
  model?: ClusterModel;
  /** The rules there are (for the project config's keys): id, title, default severity, docs. */
  rules?: ReadonlyArray<{ id: string; title: string; severity: string; docs?: string }>;
}

/** A value that names a node, or one of its MACs or addresses, where a file writes it. */
export interface NodeReference {
  what: 'hostname' | 'mac' | 'address';
  /** What is compared: the lowercased hostname, the normalised MAC, the canonical address. */
  key: string;
  place: Place;
  /** Whether the text at the place is exactly the value, so that a rename may replace it (a host range pattern is not). */
  renamable: boolean;
}

/** An entry of a document's outline; ranges are the file's. */
export interface DocumentSymbolData {
  name: string;
  detail?: string;
  kind: 'node' | 'interface' | 'rule' | 'listener' | 'document' | 'group' | 'host' | 'setting' | 'service';
  range: Range;
  /** What is selected when the entry is chosen: the name. */
  selectionRange: Range;
  children?: DocumentSymbolData[];
}

/** How a kind turns its positions into the file's for symbols. */
export interface SymbolRanges {
  /** A place (relative to its chunk) as the file's range. */
  place(place: Place): Range;
  /** Offsets of the file as a range. */
  offsets(start: number, end: number): Range;
}

/** What completion may ask beyond the place: the file's cluster as of its last check, and the node being typed. */
export interface CompletionContext extends HoverContext {
  /** For an inventory node item: what the model reads from it as it is typed. */
  node?: NodeFacts;
  /** The analysed document, when current. */
  document?: SourceDocument;
}

/** Where a located document's text lies in its file. */
export interface DocumentSpan {
  text: string;
  start: number;
  end: number;
  lineOf(offset: number): number;
  /** The analysed document, when the file's analysis is current. */
  document?: SourceDocument;
  /** Parses [start, end) of `text` (callers that locate many offsets pass one that remembers). */
  parse(start: number, end: number): ParsedYaml;
}

export interface DocumentKind<D extends SourceDocument = SourceDocument> {
  /** The name rules' `appliesTo` and the docs use. */
  readonly id: string;
  /** How the docs name it. */
  readonly label: string;
  /** A document of this kind makes its directory a cluster (its subdirectories down to the next such directory). */
  readonly definesCluster: boolean;
  /**
   * Claims a whole file that is not YAML (an Ansible INI inventory): the file is then one
   * document of this kind instead of being split into YAML documents.
   */
  claimsFile?(uri: string, text: string): boolean;
  /**
   * Jinja placeholders are normal in this format's values (Ansible vars): they are unknowns, not
   * worth a note. A shell or sed placeholder (`${PREFIX}-node1`) still marks a file a script renders first.
   */
  readonly expectsPlaceholders?: boolean;
  /** The format has its own `${}` interpolation (HCL): its files are never templates some script renders. */
  readonly interpolates?: boolean;
  /**
   * Whether a document of this kind is still claimed when it holds Helm or Jinja templates
   * (then only what its placeholders do not touch is checked). Helm charts are full of
   * templated Services that describe no cluster, so Services are not.
   */
  readonly claimsTemplates?: boolean;
  /** Whether this kind claims a YAML document. Must never claim an unrelated file. */
  recognize(head: DocumentHead): boolean;
  analyze(input: AnalyzeInput): Generator<AnalysisStep, D, unknown>;
  /** Adds what this kind's documents of one cluster say to its model. */
  contribute(members: ReadonlyArray<Member<D>>, into: ClusterModelBuilder): void;
  /** The YAML around an offset; kinds without their own way are parsed whole by the caller. */
  locate?(span: DocumentSpan, offset: number): LocatedYaml | undefined;
  /** Markdown for the key or value under the cursor. */
  hover?(located: LocatedYaml, context: HoverContext): string | undefined;
  /**
   * Places in this kind's documents that refer to a node by hostname or address without
   * describing it (kubeadm's nodeRegistration.name, a Kubespray host's other mentions): found
   * by references, renamed with the node. The nodes' own places come from the cluster model.
   */
  references?(members: ReadonlyArray<Member<D>>): NodeReference[];
  /** The outline of one of this kind's documents (nodes, hosts, documents by kind). */
  symbols?(doc: D, at: SymbolRanges): DocumentSymbolData[];
  /** Completion candidates at a place in one of this kind's documents. */
  complete?(place: CompletionPlace, context: CompletionContext): CompletionCandidate[];
  /** The hover in a whole file this kind claimed (`claimsFile`), which is not YAML to locate in. */
  hoverFile?(doc: D, position: Position, context: HoverContext): { markdown: string; range: Range } | undefined;
}

/** A document that is not ours (a Deployment, a Helm values file...): kept only to know where it is. */
export const FOREIGN: DocumentKind<ForeignDocument> = {
  id: 'foreign',
  label: 'not checked',
  definesCluster: false,
  recognize: () => false,
  // eslint-disable-next-line require-yield
  *analyze({ start, end, lineOf }) {
    return new ForeignDocument(start, lineOf(start), end);
  },
  contribute() {},
};

/** A document whose chunk moves with it, for kinds without pieces of their own. */
export abstract class WholeDocument implements SourceDocument {
  abstract readonly kind: DocumentKind;
  readonly chunk: Chunk;
  template?: TemplateUse;
  constructor(
    start: number,
    startLine: number,
    public end: number,
  ) {
    this.chunk = { startOffset: start, startLine };
  }
  place(start: number, startLine: number, end: number): void {
    this.chunk.startOffset = start;
    this.chunk.startLine = startLine;
    this.end = end;
  }
  abstract parseFindings(visit: (chunk: Chunk, findings: readonly Finding[]) => void): void;
}

/** A whole document whose parser and schema findings were all found when it was parsed. */
export abstract class ParsedDocument extends WholeDocument {
  abstract readonly findings: readonly Finding[];
  parseFindings(visit: (chunk: Chunk, findings: readonly Finding[]) => void): void {
    visit(this.chunk, this.findings);
  }
}

export class ForeignDocument extends WholeDocument {
  readonly kind = FOREIGN;
  parseFindings(): void {}
}

/** The mapping key or value `at` points to, for hover ranges. */
export function hoverTarget(at: NodeAtOffset): Node | null | undefined {
  return at.onKey ? at.key : at.node;
}

/** What a document becomes when its kind's analysis throws: one internal-error finding, nothing contributed. */
export const FAILED: DocumentKind<FailedDocument> = {
  id: 'failed',
  label: 'failed to analyse',
  definesCluster: false,
  recognize: () => false,
  // eslint-disable-next-line require-yield
  *analyze({ start, end, lineOf }) {
    return new FailedDocument(start, lineOf(start), end, 'unknown', 'no analysis');
  },
  contribute() {},
};

export class FailedDocument extends WholeDocument {
  readonly kind = FAILED;
  constructor(
    start: number,
    startLine: number,
    end: number,
    /** The kind whose analysis failed. */
    readonly failedKind: string,
    readonly problem: string,
  ) {
    super(start, startLine, end);
  }
  parseFindings(visit: (chunk: Chunk, findings: readonly Finding[]) => void): void {
    visit(this.chunk, [
      {
        ruleId: INTERNAL_ERROR,
        severity: 'error',
        message: `Reading this ${this.failedKind} document failed (${this.problem}). This is a bug in Cluster Preflight, not in the file; please report it.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ]);
  }
}

/** What a file above the size limit becomes: it is not parsed, and says so when it looks like one of ours. */
export const OVERSIZED: DocumentKind<OversizedDocument> = {
  id: 'oversized',
  label: 'too large to check',
  definesCluster: false,
  recognize: () => false,
  // eslint-disable-next-line require-yield
  *analyze({ start, end, lineOf }) {
    return new OversizedDocument(start, lineOf(start), end, 0, 0);
  },
  contribute() {},
};

export class OversizedDocument extends WholeDocument {
  readonly kind = OVERSIZED;
  constructor(
    start: number,
    startLine: number,
    end: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(start, startLine, end);
  }
  parseFindings(visit: (chunk: Chunk, findings: readonly Finding[]) => void): void {
    visit(this.chunk, [
      {
        ruleId: FILE_TOO_LARGE,
        severity: 'information',
        message: `This file is ${formatSize(this.bytes)}, above the ${formatSize(this.limit)} limit for one file, so it was not checked. Raise the limit with --max-file-size (CLI) or clusterPreflight.maxFileSize (editor) to check it.`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ]);
  }
}

const SIZE_UNITS: Array<[string, number]> = [
  ['GB', 1024 ** 3],
  ['MB', 1024 ** 2],
  ['KB', 1024],
];

/**
 * A size in the unit that suits it: "10 MB", "40.1 MB", "1.2 KB", "900 bytes" (KB = 1,024 bytes,
 * MB = 1,048,576, as --max-file-size reads them). A value that would round to a whole number it
 * is not also gives its bytes, so a file just above a limit never reads as equal to it.
 */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of SIZE_UNITS) {
    if (bytes < factor) continue;
    const value = bytes / factor;
    if (Number.isInteger(value)) return `${value} ${unit}`;
    const rounded = value.toFixed(1);
    return rounded.endsWith('.0') ? `${rounded} ${unit} (${bytes.toLocaleString('en-US')} bytes)` : `${rounded} ${unit}`;
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
