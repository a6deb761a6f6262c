import * as assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { generateInventory } from '../../bench/generate';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import { ParserThreadPool } from '../../server/src/lsp/parserWorker';
import { REPO } from '../support/lspClient';

describe('parser threads (dist/server.js as a worker)', function () {
  this.timeout(60_000);

  async function analyzeOnThreads(
    text: string,
    uri: string,
    pool: ParserThreadPool,
  ): Promise<{ workspace: Workspace; handedOff: number }> {
    const workspace = new Workspace();
    const steps = workspace.setText(uri, text).analysis(pool.parser);
    let input: unknown;
    let handedOff = 0;
    for (;;) {
      const step = steps.next(input);
      input = undefined;
      if (step.done) break;
      if (step.value instanceof Promise) {
        handedOff++;
        input = await step.value;
      }
    }
    return { workspace, handedOff };
  }

  it('give exactly the findings of parsing on one thread, node by node and whole', async function () {
    if (availableParallelism() < 2) this.skip(); // one core: the server parses on its main thread
    const uri = 'file:///cluster/inventory.yaml';
    const pool = new ParserThreadPool(resolve(REPO, 'dist/server.js'), () => undefined);
    try {
      assert.ok(pool.parser);
      const byNode = generateInventory(1200).replace('hostname: node-7\n', 'hostname: Node_7\n');
      // An alias-like token in a comment makes the layout scan decline: the document is parsed whole.
      const whole = byNode.replace(/(metadata:\n  name: \S+)/, '$1 # see *whole');
      for (const text of [byNode, whole]) {
        const threaded = await analyzeOnThreads(text, uri, pool);
        assert.ok(threaded.handedOff > 0, 'work was done on other threads');
        const single = new Workspace();
        single.setText(uri, text);
        assert.deepEqual(threaded.workspace.findings(uri), single.findings(uri));
        assert.ok(threaded.workspace.findings(uri).some((f) => f.ruleId === 'invalid-hostname'));
      }
    } finally {
      pool.dispose();
    }
  });
});
