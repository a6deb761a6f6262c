import { lineOfOffset } from '../core/text/lineIndex';
import { TextBuffer, type AppliedEdit, type ContentChange } from '../core/text/textBuffer';
import { splitDocuments } from '../core/yaml/split';
import { addToPool, FailedDocument, FOREIGN, type ItemPool, type SourceDocument } from '../sources/kind';
import { recognize } from '../sources/registry';

/** Pieces parsed by abandoned analyses are kept for the next one, up to this many. */
const MAX_ORPHANS = 50_000;

/**
 * A YAML file: its text and its analysed documents. Edits that a document can apply by
 * itself (inside the node list of a large inventory) are applied locally; any other edit
 * marks the file stale, and the next analysis re-splits it, reusing every document and
 * piece whose text did not change.
 */
export class SourceFile {
  readonly buffer: TextBuffer;
  documents: SourceDocument[] = [];
  /** Bumped by every text change; an analysis of an older revision is not committed. */
  revision = 0;
  /** The text `documents` describe, or undefined before the first analysis. */
  private synced: string | undefined;
  private stale = true;
  /** Pieces parsed by analyses that were abandoned because the text changed under them. */
  private orphans: ItemPool = new Map();
  private orphanCount = 0;

  constructor(
    readonly uri: string,
    text: string,
    public version?: number,
    /** Gets the stack when a document's analysis throws. */
    private readonly log: (message: string) => void = () => {},
  ) {
    this.buffer = new TextBuffer(text);
  }

  get text(): string {
    return this.buffer.text;
  }

  get needsAnalysis(): boolean {
    return this.stale;
  }

  /** Whether any document of the file is one we check. */
  get isOurs(): boolean {
    return this.documents.some((d) => d.kind !== FOREIGN);
  }

  /** Whether a document of the file makes its directory a cluster. */
  get definesCluster(): boolean {
    return this.documents.some((d) => d.kind.definesCluster);
  }

  applyChanges(changes: readonly ContentChange[], version?: number): void {
    for (const change of changes) {
      const edit = this.buffer.apply(change);
      if (!this.stale && !this.applyLocally(edit)) this.stale = true;
    }
    this.revision++;
    if (version !== undefined) this.version = version;
  }

  private applyLocally(edit: AppliedEdit): boolean {
    if (edit.wholeText) return false;
    const docs = this.documents;
    // The document the edit starts in; an insertion at a boundary belongs to the later document.
    let index = docs.length - 1;
    while (index > 0 && docs[index].chunk.startOffset > edit.start) index--;
    const doc = docs[index];
    if (!doc?.tryLocalEdit || edit.oldEnd > doc.end) return false;
    const lineStarts = this.buffer.lineStarts;
    if (!doc.tryLocalEdit(this.buffer.text, edit, (offset) => lineOfOffset(lineStarts, offset))) return false;
    const delta = edit.newEnd - edit.oldEnd;
    for (let i = index + 1; i < docs.length; i++) {
      const later = docs[i];
      later.place(later.chunk.startOffset + delta, later.chunk.startLine + edit.lineDelta, later.end + delta);
    }
    this.synced = this.buffer.text;
    return true;
  }

  /** Runs the analysis to completion on this thread (the CLI, tests). */
  analyze(): void {
    if (!this.stale) return;
    const steps = this.analysis();
    while (!steps.next().done);
  }

  /**
   * The analysis as steps, so that an editor can interleave other requests and drop it
   * when the text changes. A step may yield a promise (work handed to `parallel`): the
   * driver resumes the analysis with its result. Nothing is committed until the last step.
   */
  *analysis(parallel?: unknown): Generator<void | Promise<unknown>, void, unknown> {
    const text = this.buffer.text;
    const revision = this.revision;
    // A snapshot: the buffer updates its line starts in place while this analysis pauses.
    const lineStarts = this.buffer.lineStarts.slice();
    const lineOf = (offset: number) => lineOfOffset(lineStarts, offset);
    const spans = splitDocuments(text);

    // Whole documents whose text is unchanged are reused first...
    const previous = new Map<string, SourceDocument[]>();
    if (this.synced !== undefined) {
      for (const doc of this.documents) {
        const key = this.synced.slice(doc.chunk.startOffset, doc.end);
        const list = previous.get(key);
        if (list) list.push(doc);
        else previous.set(key, [doc]);
      }
    }
    const reused = spans.map((span) => previous.get(text.slice(span.start, span.end))?.pop());
    // ...then the pieces of the documents that changed.
    const pool: ItemPool = new Map();
    const stillUsed = new Set(reused);
    for (const doc of this.documents) if (!stillUsed.has(doc)) doc.poolItems?.(this.synced!, pool);
    for (const [key, items] of this.orphans) for (const item of items) addToPool(pool, key, item);

    const parsed: ItemPool = new Map();
    let committed = false;
    try {
      const next: SourceDocument[] = [];
      for (let i = 0; i < spans.length; i++) {
        const { start, end } = spans[i];
        if (reused[i]) {
          next.push(reused[i]!);
          continue;
        }
        const kind = recognize(this.uri, text.slice(start, end)) ?? FOREIGN;
        try {
          next.push(yield* kind.analyze({ uri: this.uri, text, start, end, lineOf, pool, parsedInto: parsed, parallel }));
        } catch (error) {
          // One document's failure costs only that document: it reports an internal error.
          this.log(`reading a ${kind.id} document of ${this.uri} failed: ${(error as Error)?.stack ?? String(error)}`);
          next.push(new FailedDocument(start, lineOf(start), end, kind.label, (error as Error)?.message ?? String(error)));
        }
        yield;
      }
      if (revision !== this.revision) return; // the text changed under us: a newer analysis will run
      spans.forEach((span, i) => {
        const doc = next[i];
        if (reused[i]) doc.place(span.start, lineOf(span.start), span.end);
        else doc.commit?.();
      });
      this.documents = next;
      this.synced = text;
      this.stale = false;
      this.orphans.clear();
      this.orphanCount = 0;
      committed = true;
    } finally {
      if (!committed) this.keepOrphans(parsed);
    }
  }

  private keepOrphans(parsed: ItemPool): void {
    for (const [key, items] of parsed) {
      for (const item of items) addToPool(this.orphans, key, item);
      this.orphanCount += items.length;
    }
    if (this.orphanCount > MAX_ORPHANS) {
      this.orphans.clear();
      this.orphanCount = 0;
    }
  }
}
