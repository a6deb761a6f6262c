import type { Finding } from '../../core/findings';
import type { Chunk, Origin } from '../../core/located';
import { detach } from '../../core/text/detach';
import type { AppliedEdit } from '../../core/text/textBuffer';
import { LARGE_DOCUMENT_CHARS } from '../../core/yaml/parse';
import type { NodeFacts } from '../../model/cluster';
import { identitiesOf, NodeIdentitySet, type NodeIdentity } from '../../model/nodeIdentities';
import { addToPool, type AnalysisStep, type AnalyzeInput, type DocumentKind, type ItemPool, type SourceDocument } from '../kind';
import { scanItems, scanNodesLayout } from './layout';
import type { TemplateUse } from '../../core/yaml/templates';
import type { InventoryHead } from './model';
import { parseHead, parseNodeItem, parseUnknownVersion, parseWholeInventory, type ParsedNode, type ParsedWhole } from './parse';

/** One node item: where it starts and what it says. */
export interface ItemState {
  chunk: Chunk;
  parsed: ParsedNode;
  /** The node's names and addresses (model/nodeIdentities.ts), once asked for. */
  identities?: NodeIdentity[];
}

function identitiesOfItem(item: ItemState): NodeIdentity[] {
  if (!item.identities) {
    const node = item.parsed.node;
    item.identities = identitiesOf(
      [node.hostname?.value],
      (node.interfaces ?? []).map((i) => i.addressKey),
      node.roles.includes('control-plane'),
      true,
    );
  }
  return item.identities;
}

/** The version this analysis reads (other versions are reported by unknown-api-version, not analysed). */
export const INVENTORY_VERSION = 'cluster-preflight/v1alpha1';

/** How many items an analysis parses between pauses (about 10 ms), so that an editor stays responsive. */
const ITEMS_PER_SLICE = 30;
/** An item this long is parsed on a parser thread even alone (a flow list pasted into one node, say). */
const LARGE_ITEM_CHARS = 64 * 1024;
/**
 * An edit whose touched items are longer than this together is not applied in place (that
 * would parse them while the editor waits): the file is re-analysed in slices instead.
 */
const MAX_LOCAL_EDIT_CHARS = 64 * 1024;
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
 * ("chunked" mode) so that an edit re-parses only the items it touched (and the rule runner
 * re-checks only their nodes); layouts the scan cannot split safely are parsed whole.
 */
export class InventoryDocument implements SourceDocument {
  /** Where each item will sit once this analysis is committed (items may still belong to the previous one). */
  private pendingPlacement?: Array<[number, number]>;
  template?: TemplateUse;
  /** The nodes' identities, counted once on first use, then kept current by local edits. */
  private identities?: NodeIdentitySet;

  private constructor(
    readonly kind: DocumentKind,
    readonly uri: string,
    readonly chunk: Chunk,
    public end: number,
    public head: InventoryHead,
    public items: ItemState[],
    /** Column of the items' "-" in chunked mode; undefined when parsed whole. */
    readonly itemIndent: number | undefined,
  ) {}

  /** metadata.name: kubeadm files beside several inventories join the one of their clusterName. */
  get clusterName(): string | undefined {
    return this.head.name || undefined;
  }

  /** The nodes' names and addresses: a kubeadm file naming one of them joins this inventory. */
  get nodeIdentities(): NodeIdentitySet {
    if (!this.identities) {
      this.identities = new NodeIdentitySet();
      for (const item of this.items) for (const identity of identitiesOfItem(item)) this.identities.add(identity);
    }
    return this.identities;
  }

  get countedNodes(): NodeIdentitySet | undefined {
    return this.identities;
  }

  get chunked(): boolean {
    return this.itemIndent !== undefined;
  }

  get nodes(): NodeFacts[] {
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
  static *analyze(kind: DocumentKind, input: AnalyzeInput): Generator<AnalysisStep, InventoryDocument, unknown> {
    const { uri, text, start, end, lineOf } = input;
    const pool = input.pool as Map<string, ItemState[]>;
    const parallel = input.parallel as ParserThreads | undefined;
    const docText = text.slice(start, end);
    const chunk: Chunk = { startOffset: start, startLine: lineOf(start) };
    if (input.head.apiVersion !== INVENTORY_VERSION) {
      const unknown = parseUnknownVersion(detach(docText), chunk);
      return new InventoryDocument(kind, uri, chunk, end, unknown.head, [], undefined);
    }
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
        parsed.node.origin = { uri, chunk: itemChunk };
        items[i] = { chunk: itemChunk, parsed };
        addToPool(input.parsedInto, texts[i], items[i]!);
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
          if (parallel && texts[i].length >= LARGE_ITEM_CHARS) {
            // One item this large would hold up the editor's requests: it is parsed elsewhere.
            const [parsed] = (yield parallel.items([
              { text: texts[i], startOffset: placement[i][0], startLine: placement[i][1] },
            ])) as Array<ParsedNode | undefined>;
            settle(i, parsed, itemChunk);
            continue;
          }
          settle(i, parseNodeItem(detach(texts[i]), itemChunk), itemChunk);
          if (k % ITEMS_PER_SLICE === ITEMS_PER_SLICE - 1) yield;
        }
      }
      if (ok) {
        const doc = new InventoryDocument(kind, uri, chunk, end, head, items as ItemState[], layout.itemIndent);
        doc.pendingPlacement = placement;
        return doc;
      }
    }
    let whole: ParsedWhole;
    if (parallel && docText.length >= LARGE_DOCUMENT_CHARS) {
      // A large document that cannot be split is parsed elsewhere, so requests keep being answered.
      whole = (yield parallel.whole({ text: docText, startOffset: start, startLine: chunk.startLine })) as ParsedWhole;
      whole.head.chunk = chunk;
    } else {
      whole = parseWholeInventory(detach(docText), chunk);
    }
    const origin: Origin = { uri, chunk };
    for (const parsed of whole.nodes) parsed.node.origin = origin;
    return new InventoryDocument(
      kind,
      uri,
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

  parseFindings(visit: (chunk: Chunk, findings: readonly Finding[]) => void): void {
    visit(this.head.chunk, this.head.parseFindings);
    for (const item of this.items) if (item.parsed.parseFindings.length) visit(item.chunk, item.parsed.parseFindings);
  }

  poolItems(syncedText: string, pool: ItemPool): void {
    if (!this.chunked) return;
    this.items.forEach((item, i) => addToPool(pool, syncedText.slice(item.chunk.startOffset, this.itemEnd(i)), item));
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
    if (regionEnd - regionStart > MAX_LOCAL_EDIT_CHARS) return false;
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
      parsed.node.origin = { uri: this.uri, chunk };
      replacement.push({ chunk, parsed });
    }
    for (let i = last + 1; i < this.items.length; i++) {
      this.items[i].chunk.startOffset += delta;
      this.items[i].chunk.startLine += edit.lineDelta;
    }
    const replaced = this.items.splice(first, last - first + 1, ...replacement);
    if (this.identities) {
      for (const item of replaced) for (const identity of identitiesOfItem(item)) this.identities.remove(identity);
      for (const item of replacement) for (const identity of identitiesOfItem(item)) this.identities.add(identity);
    }
    this.end += delta;
    return true;
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
