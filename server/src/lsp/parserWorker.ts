import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { parseItems, type ItemToParse, type ParallelItemParser } from '../engine/inventory/inventoryDocument';
import type { ParsedNode } from '../engine/inventory/parse';
import { warmUpItems, WORKER_WARM_UP_ITEMS } from './warmUp';

interface Request {
  id: number;
  items: ItemToParse[];
}

interface Reply {
  id: number;
  results: Array<ParsedNode | undefined>;
}

/** The worker side: parses node items with the engine's own code and sends the models back. */
export function serveItemParsing(): void {
  parentPort!.on('message', ({ id, items }: Request) => {
    parentPort!.postMessage({ id, results: parseItems(items) } satisfies Reply);
  });
}

interface PendingBatch {
  resolve: (results: Reply['results']) => void;
  items: ItemToParse[];
}

/** One parser thread and the batches it has not answered yet. */
class ParserThread {
  readonly pending = new Map<number, PendingBatch>();
  constructor(readonly worker: Worker) {}
}

/**
 * Parser threads for large inventories, one per core: opening a 5,000-node file parses its
 * items there in batches while the main thread only collects the results, so it stays
 * free for hovers and keystrokes, and each parser works with a small heap. If a thread
 * fails, its batches (and later ones) are parsed on the main thread.
 */
export class ItemParserPool {
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
          for (const batch of thread.pending.values()) batch.resolve(parseItems(batch.items));
        });
        this.threads.push(thread);
        // Warm the parser up now, not on the user's first large file.
        void this.parse(warmUpItems(WORKER_WARM_UP_ITEMS));
      } catch (error) {
        log(`no parser thread (${(error as Error).message}); parsing on the main thread`);
      }
    }
  }

  /** Undefined when there are no threads to hand work to. */
  get parser(): ParallelItemParser | undefined {
    return this.threads.length ? this.parse : undefined;
  }

  private readonly parse: ParallelItemParser = (items) => {
    const thread = this.threads.reduce<ParserThread | undefined>((best, t) => (!best || t.pending.size < best.pending.size ? t : best), undefined);
    if (!thread) return Promise.resolve(parseItems(items));
    const id = this.nextId++;
    return new Promise((resolve) => {
      thread.pending.set(id, { resolve, items });
      thread.worker.postMessage({ id, items } satisfies Request);
    });
  };

  dispose(): void {
    for (const thread of this.threads) void thread.worker.terminate();
    this.threads = [];
  }
}
