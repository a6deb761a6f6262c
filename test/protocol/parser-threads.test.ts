import * as assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { generateInventory } from '../../bench/generate';
import { Workspace } from '../../server/src/engine/workspace/workspace';
import { ItemParserPool } from '../../server/src/lsp/parserWorker';
import { REPO } from '../support/lspClient';

describe('parser threads (dist/server.js as a worker)', function () {
  this.timeout(60_000);

  it('give exactly the findings of parsing on one thread', async function () {
    const text = generateInventory(1200).replace('hostname: node-7\n', 'hostname: Node_7\n');
    const uri = 'file:///cluster/inventory.yaml';
    if (availableParallelism() < 2) this.skip(); // one core: the server parses on its main thread
    const pool = new ItemParserPool(resolve(REPO, 'dist/server.js'), () => undefined);
    try {
      assert.ok(pool.parser);
      const threaded = new Workspace();
      const file = threaded.setText(uri, text);
      const steps = file.analysis(pool.parser);
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
      assert.ok(handedOff > 0, 'items were parsed on other threads');
      const single = new Workspace();
      single.setText(uri, text);
      assert.deepEqual(threaded.findings(uri), single.findings(uri));
      assert.ok(threaded.findings(uri).some((f) => f.ruleId === 'invalid-hostname'));
    } finally {
      pool.dispose();
    }
  });
});
