import { lineOfOffset } from '../core/text/lineIndex';
import { TextBuffer, type AppliedEdit, type ContentChange } from '../core/text/textBuffer';
import { splitDocuments } from '../core/yaml/split';
import { findTemplateUse } from '../core/yaml/templates';
import {
  addToPool,
  FailedDocument,
  FOREIGN,
  ForeignDocument,
  OversizedDocument,
  type ItemPool,
  type SourceDocument,
} from '../sources/kind';
import { layoutKey, type LayoutKey } from './clusterLayout';
import { recognizeFile, recognizeHead } from '../sources/registry';

/** What every disable comment contains (analysis/ruleControl.ts reads them). */
const DIRECTIVE_MARK = 'cluster-preflight-disable-';

/** Pieces parsed by abandoned analyses are kept for the next one, up to this many. */
const MAX_ORPHANS = 50_000;

/** Files larger than this (bytes; characters for text an editor sends) are not checked, unless configured otherwise. */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** How much of an oversized file is read to tell whether it is one of ours. */
export const OVERSIZED_HEAD_CHARS = 1024 * 1024;

export interface SourceFileOptions {
  /** Gets the stack when a document's analysis throws. */
  log?: (message: string) => void;
  /** The size limit in force (it may change while the file is open). */
  maxFileSize?: () => number;
  /** The file's real size when `text` holds only its beginning (a file too large to read whole). */
  size?: number;
}

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

  private readonly log: (message: string) => void;
  private readonly maxFileSize: () => number;
  /** The size on disk of a file read only in part; once its text is replaced, the text's own size counts. */
  private declaredSize: number | undefined;

  constructor(
    readonly uri: string,
    text: string,
    public version?: number,
    options: SourceFileOptions = {},
  ) {
    this.buffer = new TextBuffer(text);
    this.mayHaveDirectives = text.includes(DIRECTIVE_MARK);
    this.log = options.log ?? (() => {});
    this.maxFileSize = options.maxFileSize ?? (() => DEFAULT_MAX_FILE_SIZE);
    this.declaredSize = options.size;
  }

  /**
   * False when the text certainly has no disable comment (`# cluster-preflight-disable-…`): set
   * from the whole text, raised when an edit leaves one on a line it touched.
   */
  mayHaveDirectives: boolean;

  /** The file's size: its text's length, or its size on disk when only its beginning was read. */
  get size(): number {
    return this.declaredSize ?? this.buffer.text.length;
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

  /** Whether a document of the file makes a directory a cluster. */
  get definesCluster(): boolean {
    return this.documents.some((d) => d.definesCluster ?? d.kind.definesCluster);
  }

  /** What of the file decides how files group into clusters (analysis/clusterLayout.ts); a change regroups them. */
  get layoutKey(): LayoutKey {
    return layoutKey(this.documents);
  }

  /** Whether only the beginning of the file was read (it was above the size limit then). */
  get partial(): boolean {
    return this.declaredSize !== undefined;
  }

  /** Makes the next analysis start afresh (a setting it depends on changed). */
  invalidate(): void {
    this.stale = true;
    this.synced = undefined; // nothing of the old analysis is reused
    this.revision++;
  }

  applyChanges(changes: readonly ContentChange[], version?: number): void {
    this.declaredSize = undefined;
    for (const change of changes) {
      const edit = this.buffer.apply(change);
      // Only the lines an edit touched can have gained a disable comment: a keystroke need not scan the file.
      if (edit.wholeText) this.mayHaveDirectives = this.buffer.text.includes(DIRECTIVE_MARK);
      else if (!this.mayHaveDirectives) {
        const text = this.buffer.text;
        const from = text.lastIndexOf('\n', edit.start - 1) + 1;
        const newline = text.indexOf('\n', edit.newEnd);
        this.mayHaveDirectives = text.slice(from, newline < 0 ? text.length : newline).includes(DIRECTIVE_MARK);
      }
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
    const limit = this.maxFileSize();
    if (this.size > limit) {
      // Too large to check in time and memory: one note when it looks like ours, nothing otherwise.
      const head = text.slice(0, OVERSIZED_HEAD_CHARS);
      const ours = splitDocuments(head).some((span) => recognizeHead(this.uri, head.slice(span.start, span.end)));
      this.commit(text, [
        ours ? new OversizedDocument(0, 0, text.length, this.size, limit) : new ForeignDocument(0, 0, text.length),
      ]);
      return;
    }
    const wholeFile = recognizeFile(this.uri, text);
    if (!wholeFile && /\.ini$/i.test(this.uri)) {
      // An INI file is never YAML: unless a kind claims it whole, it is not ours.
      this.commit(text, [new ForeignDocument(0, 0, text.length)]);
      return;
    }
    const spans = wholeFile ? [{ start: 0, end: text.length }] : splitDocuments(text);

    // Whole documents whose text is unchanged are reused first...
    const previous = new Map<string, SourceDocument[]>();
    if (this.synced !== undefined) {
      for (const doc of this.documents) {
        if (doc.readsOtherDocuments) continue;
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
        const recognized = wholeFile
          ? { kind: wholeFile, head: { uri: this.uri, text: '' } }
          : recognizeHead(this.uri, text.slice(start, end));
        const kind = recognized?.kind ?? FOREIGN;
        try {
          const head = recognized?.head ?? { uri: this.uri, text: '' };
          const doc = yield* kind.analyze({ uri: this.uri, text, start, end, lineOf, pool, parsedInto: parsed, parallel, head });
          if (kind !== FOREIGN && !kind.interpolates)
            doc.template = findTemplateUse(text.slice(start, end), !kind.expectsPlaceholders);
          next.push(doc);
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
      this.commit(text, next);
      committed = true;
    } finally {
      if (!committed) this.keepOrphans(parsed);
    }
  }

  private commit(text: string, documents: SourceDocument[]): void {
    this.documents = documents;
    this.synced = text;
    this.stale = false;
    this.orphans.clear();
    this.orphanCount = 0;
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
