import type { PortOverride } from '../cluster/ports';
import type { ClusterSettings } from '../cluster/settings';
import { clusterPorts, portsKey } from '../cluster/ports';
import type { Finding } from '../findings';
import { DEFAULT_API_SERVER_PORT, DEFAULT_NODEPORT_RANGE, type ComponentPortId } from '../kubernetes/ports';
import { parsePortRange, samePorts } from '../net/portRange';
import { INVENTORY_RULES, NODE_RULES } from '../rules/catalogue';
import { makeReporter, type InventoryView } from '../rules/types';
import { detach } from '../text/detach';
import { LARGE_DOCUMENT_CHARS } from '../yaml/parse';
import type { AppliedEdit } from '../text/textBuffer';
import { shiftRange, type Range } from '../text/positions';
import { shiftFindings, type AnalyzedDocument } from '../workspace/document';
import { scanItems, scanNodesLayout } from './layout';
import type { Chunk, InventoryHead, NodeModel } from './model';
import { parseHead, parseNodeItem, parseWholeInventory, type ParsedNode, type ParsedWhole } from './parse';
import type { PlacementContext } from './requirements';

/** One node item and the findings of its node checks, cached for the context they ran in. */
export interface ItemState {
  chunk: Chunk;
  parsed: ParsedNode;
  ruleKey?: string;
  ruleFindings?: Finding[];
}

/** A range relative to a chunk, made absolute whenever findings are assembled. */
interface Anchor {
  chunk: Chunk;
  range: Range;
}

interface AnchoredFinding {
  finding: Finding;
  at?: Anchor;
  related?: Array<Anchor | undefined>;
}

/** Cross-node findings and etcd membership, valid while no node's cross-node summary changes. */
interface CrossNodeCache {
  revision: number;
  ctxKey?: string;
  findings?: AnchoredFinding[];
  /** Chunks the cached findings point into: replacing one of those items invalidates the cache. */
  chunks?: Set<Chunk>;
  membership?: EtcdMembership;
}

export interface EtcdMembership {
  anyEtcdRole: boolean;
  members: number;
}

/** Parsed items by their exact text, for reuse when a document is re-analysed. */
export type ItemPool = Map<string, ItemState[]>;

export function addToPool(pool: ItemPool, text: string, state: ItemState): void {
  const list = pool.get(text);
  if (list) list.push(state);
  else pool.set(text, [state]);
}

/** How many items an analysis parses between pauses (about 10 ms), so that an editor stays responsive. */
const ITEMS_PER_SLICE = 30;
/** Below this many items to parse, handing them to other threads costs more than it saves. */
const PARALLEL_THRESHOLD = 400;
/** Items per batch sent to the parser threads, and how many batches are out at once (two per thread). */
const PARALLEL_BATCH = 250;
const BATCHES_IN_FLIGHT = 4;

/** A node item to parse elsewhere: its text and where it starts. */
export interface ItemToParse {
  text: string;
  startOffset: number;
  startLine: number;
}

/**
 * Parsing on other threads (the language server's parser threads); the engine itself stays
 * single-threaded and editor-agnostic. `items` answers in the order given, with undefined
 * where `parseNodeItem` would return undefined; `whole` parses an inventory document that
 * cannot be split by node, as `parseWholeInventory` does.
 */
export interface ParserThreads {
  items(items: ItemToParse[]): Promise<Array<ParsedNode | undefined>>;
  whole(document: ItemToParse): Promise<ParsedWhole>;
}

/** Parses items as the parser worker does: the same code on either side. */
export function parseItems(items: readonly ItemToParse[]): Array<ParsedNode | undefined> {
  return items.map((item) => parseNodeItem(item.text, { startOffset: item.startOffset, startLine: item.startLine }));
}

/**
 * An Inventory document. Large inventories are kept as one chunk per node item
 * ("chunked" mode) so that an edit re-parses and re-checks only the items it touched;
 * layouts the scan cannot split safely are parsed whole.
 */
export class InventoryDocument implements AnalyzedDocument {
  readonly kind = 'inventory';
  /** Where each item will sit once this analysis is committed (items may still belong to the previous one). */
  private pendingPlacement?: Array<[number, number]>;
  /** Bumped when an edit changes what cross-node rules read. */
  private crossRevision = 0;
  private cross: CrossNodeCache = { revision: -1 };

  private constructor(
    readonly chunk: Chunk,
    public end: number,
    public head: InventoryHead,
    public items: ItemState[],
    /** Column of the items' "-" in chunked mode; undefined when parsed whole. */
    readonly itemIndent: number | undefined,
  ) {}

  get chunked(): boolean {
    return this.itemIndent !== undefined;
  }

  get nodes(): NodeModel[] {
    return this.items.map((i) => i.parsed.node);
  }

  /** End offset of item `index` (the next item's start, or the document's end). */
  itemEnd(index: number): number {
    return index + 1 < this.items.length ? this.items[index + 1].chunk.startOffset : this.end;
  }

  /**
   * Analyses the document at [start, end) of `text`. Yields between slices of items.
   * Items whose text is in `pool` are reused; newly parsed ones are added to `parsedInto`
   * so that an abandoned analysis still saves the next one work.
   */
  static *analyze(
    text: string,
    start: number,
    end: number,
    lineOf: (offset: number) => number,
    pool: ItemPool,
    parsedInto: ItemPool,
    parallel?: ParserThreads,
  ): Generator<void | Promise<unknown>, InventoryDocument, unknown> {
    const docText = text.slice(start, end);
    const chunk: Chunk = { startOffset: start, startLine: lineOf(start) };
    const layout = scanNodesLayout(docText);
    if (layout) {
      const head = parseHead(detach(docText.slice(0, layout.itemStarts[0])), chunk);
      const count = layout.itemStarts.length;
      const items: Array<ItemState | undefined> = new Array(count);
      const placement: Array<[number, number]> = [];
      const texts: string[] = [];
      const toParse: number[] = [];
      for (let i = 0; i < count; i++) {
        const itemStart = start + layout.itemStarts[i];
        const itemEnd = i + 1 < count ? start + layout.itemStarts[i + 1] : end;
        texts.push(text.slice(itemStart, itemEnd));
        placement.push([itemStart, lineOf(itemStart)]);
        items[i] = pool.get(texts[i])?.pop();
        if (!items[i]) toParse.push(i);
      }
      let ok = true;
      const settle = (i: number, parsed: ParsedNode | undefined, itemChunk: Chunk) => {
        if (!parsed) return (ok = false);
        parsed.node.chunk = itemChunk;
        items[i] = { chunk: itemChunk, parsed };
        addToPool(parsedInto, texts[i], items[i]!);
        return true;
      };
      const chunkOf = (i: number): Chunk => ({ startOffset: placement[i][0], startLine: placement[i][1] });

      if (parallel && toParse.length >= PARALLEL_THRESHOLD) {
        // Other threads parse; this one keeps a few batches in flight, takes the results in
        // order, and stays free for the editor's requests in between.
        const batches: Array<{ indices: number[]; promise: Promise<Array<ParsedNode | undefined>> }> = [];
        let next = 0;
        const dispatch = () => {
          while (batches.length < BATCHES_IN_FLIGHT && next < toParse.length) {
            const indices = toParse.slice(next, (next += PARALLEL_BATCH));
            batches.push({
              indices,
              promise: parallel.items(
                indices.map((i) => ({ text: texts[i], startOffset: placement[i][0], startLine: placement[i][1] })),
              ),
            });
          }
        };
        dispatch();
        while (batches.length && ok) {
          const batch = batches.shift()!;
          const results = (yield batch.promise) as Array<ParsedNode | undefined>;
          dispatch();
          batch.indices.forEach((i, k) => ok && settle(i, results[k], chunkOf(i)));
        }
      } else {
        for (let k = 0; k < toParse.length && ok; k++) {
          const i = toParse[k];
          const itemChunk = chunkOf(i);
          settle(i, parseNodeItem(detach(texts[i]), itemChunk), itemChunk);
          if (k % ITEMS_PER_SLICE === ITEMS_PER_SLICE - 1) yield;
        }
      }
      if (ok) {
        const doc = new InventoryDocument(chunk, end, head, items as ItemState[], layout.itemIndent);
        doc.pendingPlacement = placement;
        return doc;
      }
    }
    let whole: ParsedWhole;
    if (parallel && docText.length >= LARGE_DOCUMENT_CHARS) {
      // A large document that cannot be split is parsed elsewhere, so requests keep being answered.
      whole = (yield parallel.whole({ text: docText, startOffset: start, startLine: chunk.startLine })) as ParsedWhole;
      whole.head.chunk = chunk;
      for (const parsed of whole.nodes) parsed.node.chunk = chunk;
    } else {
      whole = parseWholeInventory(detach(docText), chunk);
    }
    return new InventoryDocument(
      chunk,
      end,
      whole.head,
      whole.nodes.map((parsed) => ({ chunk, parsed })),
      undefined,
    );
  }

  /** Makes this analysis the current one: reused items move to their new places. */
  commit(): void {
    if (!this.pendingPlacement) return;
    this.items.forEach((item, i) => {
      item.chunk.startOffset = this.pendingPlacement![i][0];
      item.chunk.startLine = this.pendingPlacement![i][1];
    });
    this.pendingPlacement = undefined;
  }

  place(start: number, startLine: number, end: number): void {
    const offsetDelta = start - this.chunk.startOffset;
    const lineDelta = startLine - this.chunk.startLine;
    this.chunk.startOffset = start;
    this.chunk.startLine = startLine;
    this.end = end;
    if (this.chunked) {
      for (const item of this.items) {
        item.chunk.startOffset += offsetDelta;
        item.chunk.startLine += lineDelta;
      }
    }
  }

  /**
   * Applies an edit that lies inside this document by re-parsing only the node items it
   * touched. `text` is the file after the edit. Returns false when the edit reaches outside
   * the node list or changes its structure; the caller then re-analyses the file.
   */
  tryLocalEdit(text: string, edit: AppliedEdit, lineOf: (offset: number) => number): boolean {
    if (this.itemIndent === undefined || this.items.length === 0 || edit.wholeText) return false;
    if (edit.start < this.items[0].chunk.startOffset || edit.oldEnd > this.end) return false;
    let first = lastItemAtOrBefore(this.items, edit.start);
    // Text inserted at an item's first character may extend the item above it.
    if (first > 0 && this.items[first].chunk.startOffset === edit.start) first--;
    const last = lastItemAtOrBefore(this.items, edit.oldEnd);
    const regionStart = this.items[first].chunk.startOffset;
    const delta = edit.newEnd - edit.oldEnd;
    const regionEnd = this.itemEnd(last) + delta;
    const regionText = text.slice(regionStart, regionEnd);
    const starts = scanItems(regionText, this.itemIndent);
    if (!starts || starts.length === 0) return false;

    const replacement: ItemState[] = [];
    for (let i = 0; i < starts.length; i++) {
      const itemStart = regionStart + starts[i];
      const itemText = regionText.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : regionText.length);
      const chunk: Chunk = { startOffset: itemStart, startLine: lineOf(itemStart) };
      const parsed = parseNodeItem(detach(itemText), chunk);
      if (!parsed) return false;
      replacement.push({ chunk, parsed });
    }
    for (let i = last + 1; i < this.items.length; i++) {
      this.items[i].chunk.startOffset += delta;
      this.items[i].chunk.startLine += edit.lineDelta;
    }
    const replaced = this.items.splice(first, last - first + 1, ...replacement);
    const crossChanged =
      replaced.length !== replacement.length ||
      replaced.some((old, k) => old.parsed.crossKey !== replacement[k].parsed.crossKey || this.cross.chunks?.has(old.chunk));
    if (crossChanged) this.crossRevision++;
    this.end += delta;
    return true;
  }

  /** The ports and etcd membership node checks run with, under the cluster's settings. */
  context(settings: ClusterSettings): PlacementContext & { key: string } {
    return placementContext(this.head, this.membership(), settings);
  }

  private membership(): EtcdMembership {
    if (this.cross.revision !== this.crossRevision) this.cross = { revision: this.crossRevision };
    return (this.cross.membership ??= etcdMembership(this.nodes));
  }

  /** Absolute findings for this document under the cluster's settings. */
  findings(settings: ClusterSettings): Finding[] {
    const head = this.head;
    const ctx = placementContext(head, this.membership(), settings);
    const out: Finding[] = [];
    shiftFindings(head.parseFindings, head.chunk.startLine, out);
    for (const item of this.items) {
      shiftFindings(item.parsed.node.parseFindings, item.chunk.startLine, out);
      if (item.parsed.broken) continue;
      if (item.ruleKey !== ctx.key) {
        item.ruleFindings = runNodeRules(item.parsed.node, ctx);
        item.ruleKey = ctx.key;
      }
      shiftFindings(item.ruleFindings!, item.chunk.startLine, out);
    }
    if (this.cross.ctxKey !== ctx.key || !this.cross.findings) this.runCrossNodeRules(ctx);
    for (const { finding, at, related } of this.cross.findings!) {
      const placed: Finding = { ...finding, range: at ? shiftRange(at.range, at.chunk.startLine) : finding.range };
      if (finding.related)
        placed.related = finding.related.map((r, i) =>
          related?.[i] ? { ...r, range: shiftRange(related[i]!.range, related[i]!.chunk.startLine) } : r,
        );
      out.push(placed);
    }
    return out;
  }

  /**
   * Runs the cross-node rules and keeps their findings anchored to the chunks they point
   * into, so that later keystrokes elsewhere reuse them at their moved positions.
   */
  private runCrossNodeRules(ctx: PlacementContext & { key: string }): void {
    const anchors = new Map<Range, Anchor>();
    const view: InventoryView = {
      head: this.head,
      nodes: this.nodes,
      ctx,
      anyNodeBroken: this.items.some((i) => i.parsed.broken),
      at: (owner, range) => {
        const absolute = shiftRange(range, owner.chunk.startLine);
        const key = absolute === range ? { start: range.start, end: range.end } : absolute;
        anchors.set(key, { chunk: owner.chunk as Chunk, range });
        return key;
      },
    };
    const raw: Finding[] = [];
    for (const rule of INVENTORY_RULES) rule.checkInventory!(view, makeReporter(rule.meta.id, rule.meta.severity, raw));
    const chunks = new Set<Chunk>();
    const findings = raw.map((finding) => {
      const at = anchors.get(finding.range);
      const related = finding.related?.map((r) => anchors.get(r.range));
      for (const anchor of [at, ...(related ?? [])]) if (anchor) chunks.add(anchor.chunk);
      return { finding, at, related };
    });
    this.cross = { ...this.cross, ctxKey: ctx.key, findings, chunks };
  }
}

function lastItemAtOrBefore(items: readonly ItemState[], offset: number): number {
  let low = 0;
  let high = items.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (items[mid].chunk.startOffset <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function runNodeRules(node: NodeModel, ctx: PlacementContext): Finding[] {
  const findings: Finding[] = [];
  for (const rule of NODE_RULES) rule.checkNode!(node, ctx, makeReporter(rule.meta.id, rule.meta.severity, findings));
  return findings;
}

/**
 * The settings node checks depend on. `key` changes exactly when any of them does, so
 * cached node findings are reused across keystrokes that do not affect them.
 */
export function etcdMembership(nodes: readonly NodeModel[]): EtcdMembership {
  const anyEtcdRole = nodes.some((n) => n.roles.includes('etcd'));
  let members = 0;
  for (const n of nodes) if (anyEtcdRole ? n.roles.includes('etcd') : n.roles.includes('control-plane')) members++;
  return { anyEtcdRole, members };
}

export function placementContext(
  head: InventoryHead,
  membership: EtcdMembership,
  settings: ClusterSettings,
): PlacementContext & { key: string } {
  // Settings equal to the Kubernetes default change nothing and are not named in messages.
  const overrides = new Map<ComponentPortId, PortOverride>();
  if (head.apiServerPort && head.apiServerPort.value !== DEFAULT_API_SERVER_PORT) {
    const port = head.apiServerPort.value;
    overrides.set('kube-apiserver', {
      range: { low: port, high: port },
      source: { range: head.apiServerPort.range, description: 'spec.apiServerPort' },
    });
  }
  const nodePortRange = head.nodePortRange && parsePortRange(head.nodePortRange.value);
  if (head.nodePortRange && nodePortRange?.ok && !samePorts(nodePortRange.range, DEFAULT_NODEPORT_RANGE)) {
    overrides.set('nodeport-services', {
      range: nodePortRange.range,
      source: { range: head.nodePortRange.range, description: 'spec.nodePortRange' },
    });
  }
  // What the kubeadm config decides wins over the inventory (config-mismatch tells the user).
  for (const [id, override] of settings.kubeadmDefaults) if (overrides.has(id)) overrides.set(id, override);
  for (const [id, override] of settings.portOverrides) overrides.set(id, override);
  const ports = clusterPorts(overrides);
  const { anyEtcdRole } = membership;
  const etcdHasPeers = membership.members > 1;
  return { ports, anyEtcdRole, etcdHasPeers, key: `${portsKey(ports)}|${anyEtcdRole}|${etcdHasPeers}` };
}
