import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { controlPlane, inventory, worker } from '../helpers';
import { LspClient } from '../support/lspClient';

/** Issue 17 item 2 in the editor: a folder opened below the repository still gets the repository's config. */
describe('language server: the project config above the opened folder', function () {
  this.timeout(30_000);
  let client: LspClient;
  afterEach(async () => client?.stop());

  function repository(config: string): { folder: string; inventoryUri: string } {
    const repo = mkdtempSync(join(tmpdir(), 'preflight-lsp-root-'));
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, '.cluster-preflight.yaml'), config);
    const prod = join(repo, 'clusters', 'prod');
    mkdirSync(prod, { recursive: true });
    // w-1 misses 10256 (a warning published either way); w-1 and w-2 share an address.
    writeFileSync(
      join(prod, 'inventory.yaml'),
      inventory(controlPlane('cp-1', 11) + worker('w-1', 1).replace('        - port: 10256\n', '') + worker('w-2', 1)),
    );
    return { folder: pathToFileURL(join(repo, 'clusters')).href, inventoryUri: pathToFileURL(join(prod, 'inventory.yaml')).href };
  }

  for (const [config, expectDuplicate] of [
    ['rules: {duplicate-ip: off}\n', false],
    ['rules: {}\n', true],
  ] as const) {
    it(`opened at clusters/, applies repo/.cluster-preflight.yaml (${config.trim()}) as the CLI does`, async () => {
      const { folder, inventoryUri } = repository(config);
      client = LspClient.start();
      await client.initialize(folder);
      const published = await client.waitFor(inventoryUri, (p) => p.diagnostics.some((d) => d.code === 'missing-port-rule'));
      assert.equal(
        published.diagnostics.some((d) => d.code === 'duplicate-ip'),
        expectDuplicate,
      );
    });
  }
});
