import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { parseItems, type ItemToParse, type ParserThreads } from '../engine/sources/inventory/inventoryDocument';
import { parseWholeInventory, type ParsedNode, type ParsedWhole } from '../engine/sources/inventory/parse';
import { warmUpItems, WORKER_WARM_UP_ITEMS } from './warmUp';

type Request = { id: number; items: ItemToParse[] } | { id: number; whole: ItemToParse };
type Result = Array<ParsedNode | undefined> | ParsedWhole;

interface Reply {
  id: number;
  results: Result;
}

function parse(request: Request): Result {
  if ('items' in request) return parseItems(request.items);
  const { text, startOffset, startLine } = request.whole;
  return parseWholeInventory(text, { startOffset, startLine });
}

/** The worker side: parses with the engine's own code and sends the models back. */
export function serveItemParsing(): void {
  parentPort!.on('message', (request: Request) => {
    parentPort!.postMessage({ id: request.id, results: parse(request) } satisfies Reply);
  });
}

interface PendingBatch {
  resolve: (results: Result) => void;
  request: Request;
}

/** One parser thread and the batches it has not answered yet. */
class ParserThread {
  readonly pending = new Map<number, PendingBatch>();
  constructor(readonly worker: Worker) {}
}

/**
 * Parser threads for large inventories, one per core: opening a 5,000-node file parses its
 * items there in batches while the main thread only collects the results, so it stays
 * free for hovers and keystrokes, and each parser works with a small heap. Large documents
 * that cannot be split by node are parsed there whole. If a thread fails, its work (and
 * later work) is done on the main thread.
 */
export class ParserThreadPool implements ParserThreads {
  private threads: ParserThread[] = [];
  private nextId = 0;

  constructor(script: string, log: (message: string) => void) {
    const count = availableParallelism();
    if (count < 2) return;
    for (let n = 0; n < count; n++) {
      try {
        const thread = new ParserThread(new Worker(script));
        thread.worker.unref();
        thread.worker.on('message', ({ id, results }: Reply) => {
          thread.pending.get(id)?.resolve(results);
          thread.pending.delete(id);
        });
        thread.worker.on('error', (error) => {
          log(`a parser thread failed; its work is done on the main thread: ${error.message}`);
          this.threads = this.threads.filter((t) => t !== thread);
          for (const batch of thread.pending.values()) batch.resolve(parse(batch.request));
        });
        this.threads.push(thread);
        // Warm the parser up now, not on the user's first large file.
        void this.items(warmUpItems(WORKER_WARM_UP_ITEMS));
      } catch (error) {
        log(`no parser thread (${(error as Error).message}); parsing on the main thread`);
      }
    }
  }

  /** Undefined when there are no threads to hand work to. */
  get parser(): ParserThreads | undefined {
    return this.threads.length ? this : undefined;
  }

  items(items: ItemToParse[]): Promise<Array<ParsedNode | undefined>> {
    return this.send({ id: this.nextId++, items }) as Promise<Array<ParsedNode | undefined>>;
  }

  whole(document: ItemToParse): Promise<ParsedWhole> {
    return this.send({ id: this.nextId++, whole: document }) as Promise<ParsedWhole>;
  }

  /** To the least busy thread; parsed here when none is left. */
  private send(request: Request): Promise<Result> {
    const thread = this.threads.reduce<ParserThread | undefined>(
      (best, t) => (!best || t.pending.size < best.pending.size ? t : best),
      undefined,
    );
    if (!thread) return Promise.resolve(parse(request));
    return new Promise((resolve) => {
      thread.pending.set(request.id, { resolve, request });
      thread.worker.postMessage(request);
    });
  }

  dispose(): void {
    for (const thread of this.threads) void thread.worker.terminate();
    this.threads = [];
  }
}
