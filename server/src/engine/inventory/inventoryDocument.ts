import type { PortOverride } from '../cluster/ports';
import type { ClusterSettings } from '../cluster/settings';
import { clusterPorts, portsKey } from '../cluster/ports';
import type { Finding } from '../findings';
import { DEFAULT_API_SERVER_PORT, DEFAULT_NODEPORT_RANGE, type ComponentPortId } from '../kubernetes/ports';
import { parsePortRange, samePorts } from '../net/portRange';
import { INVENTORY_RULES, NODE_RULES } from '../rules/catalogue';
import { makeReporter, type InventoryView } from '../rules/types';
import { detach } from '../text/detach';
import type { AppliedEdit } from '../text/textBuffer';
import { shiftRange } from '../text/positions';
import { shiftFindings, type AnalyzedDocument } from '../workspace/document';
import { scanItems, scanNodesLayout } from './layout';
import type { Chunk, InventoryHead, NodeModel } from './model';
import { parseHead, parseNodeItem, parseWholeInventory, type ParsedHead, type ParsedNode } from './parse';
import type { PlacementContext } from './requirements';

/** One node item and the findings of its node checks, cached for the context they ran in. */
export interface ItemState {
  chunk: Chunk;
  parsed: ParsedNode;
  ruleKey?: string;
  ruleFindings?: Finding[];
}

/** Parsed items by their exact text, for reuse when a document is re-analysed. */
export type ItemPool = Map<string, ItemState[]>;

export function addToPool(pool: ItemPool, text: string, state: ItemState): void {
  const list = pool.get(text);
  if (list) list.push(state);
  else pool.set(text, [state]);
}

/** How many items an analysis parses between pauses, so that an editor stays responsive. */
const ITEMS_PER_SLICE = 150;

/**
 * An Inventory document. Large inventories are kept as one chunk per node item
 * ("chunked" mode) so that an edit re-parses and re-checks only the items it touched;
 * layouts the scan cannot split safely are parsed whole.
 */
export class InventoryDocument implements AnalyzedDocument {
  readonly kind = 'inventory';
  /** Where each item will sit once this analysis is committed (items may still belong to the previous one). */
  private pendingPlacement?: Array<[number, number]>;

  private constructor(
    readonly chunk: Chunk,
    public end: number,
    public head: ParsedHead,
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
  static *analyze(text: string, start: number, end: number, lineOf: (offset: number) => number, pool: ItemPool, parsedInto: ItemPool): Generator<void, InventoryDocument> {
    const docText = text.slice(start, end);
    const chunk: Chunk = { startOffset: start, startLine: lineOf(start) };
    const layout = scanNodesLayout(docText);
    if (layout) {
      const head = parseHead(detach(docText.slice(0, layout.itemStarts[0])), chunk);
      const items: ItemState[] = [];
      const placement: Array<[number, number]> = [];
      let ok = true;
      for (let i = 0; i < layout.itemStarts.length; i++) {
        const itemStart = start + layout.itemStarts[i];
        const itemEnd = i + 1 < layout.itemStarts.length ? start + layout.itemStarts[i + 1] : end;
        const itemText = text.slice(itemStart, itemEnd);
        const line = lineOf(itemStart);
        let state = pool.get(itemText)?.pop();
        if (!state) {
          const itemChunk: Chunk = { startOffset: itemStart, startLine: line };
          const parsed = parseNodeItem(detach(itemText), itemChunk);
          if (!parsed) {
            ok = false;
            break;
          }
          state = { chunk: itemChunk, parsed };
          addToPool(parsedInto, itemText, state);
        }
        items.push(state);
        placement.push([itemStart, line]);
        if (i % ITEMS_PER_SLICE === ITEMS_PER_SLICE - 1) yield;
      }
      if (ok) {
        const doc = new InventoryDocument(chunk, end, head, items, layout.itemIndent);
        doc.pendingPlacement = placement;
        return doc;
      }
    }
    const whole = parseWholeInventory(detach(docText), chunk);
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
    this.items.splice(first, last - first + 1, ...replacement);
    this.end += delta;
    return true;
  }

  /** The ports and etcd membership node checks run with, under the cluster's settings. */
  context(settings: ClusterSettings): PlacementContext & { key: string } {
    return placementContext(this.head.head, this.nodes, settings);
  }

  /** Absolute findings for this document under the cluster's settings. */
  findings(settings: ClusterSettings): Finding[] {
    const head = this.head.head;
    const nodes = this.nodes;
    const ctx = placementContext(head, nodes, settings);
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
    const view: InventoryView = {
      head,
      nodes,
      ctx,
      anyNodeBroken: this.items.some((i) => i.parsed.broken),
      at: (owner, range) => shiftRange(range, owner.chunk.startLine),
    };
    for (const rule of INVENTORY_RULES) rule.checkInventory!(view, makeReporter(rule.meta.id, rule.meta.severity, out));
    return out;
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
export function placementContext(head: InventoryHead, nodes: readonly NodeModel[], settings: ClusterSettings): PlacementContext & { key: string } {
  // Settings equal to the Kubernetes default change nothing and are not named in messages.
  const overrides = new Map<ComponentPortId, PortOverride>();
  if (head.apiServerPort && head.apiServerPort.value !== DEFAULT_API_SERVER_PORT) {
    const port = head.apiServerPort.value;
    overrides.set('kube-apiserver', { range: { low: port, high: port }, source: { range: head.apiServerPort.range, description: 'spec.apiServerPort' } });
  }
  const nodePortRange = head.nodePortRange && parsePortRange(head.nodePortRange.value);
  if (head.nodePortRange && nodePortRange?.ok && !samePorts(nodePortRange.range, DEFAULT_NODEPORT_RANGE)) {
    overrides.set('nodeport-services', { range: nodePortRange.range, source: { range: head.nodePortRange.range, description: 'spec.nodePortRange' } });
  }
  // What the kubeadm config decides wins over the inventory (config-mismatch tells the user).
  for (const [id, override] of settings.kubeadmDefaults) if (overrides.has(id)) overrides.set(id, override);
  for (const [id, override] of settings.portOverrides) overrides.set(id, override);
  const ports = clusterPorts(overrides);
  const anyEtcdRole = nodes.some((n) => n.roles.includes('etcd'));
  let members = 0;
  for (const n of nodes) if (anyEtcdRole ? n.roles.includes('etcd') : n.roles.includes('control-plane')) members++;
  const etcdHasPeers = members > 1;
  return { ports, anyEtcdRole, etcdHasPeers, key: `${portsKey(ports)}|${anyEtcdRole}|${etcdHasPeers}` };
}
