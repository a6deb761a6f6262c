import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { controlPlane, inventory, worker } from '../helpers';
import { LspClient } from '../support/lspClient';

/**
 * The cluster map request as the extension uses it: the page, the places it links to (the only
 * ones a click may open) and its node count (the map follows the active editor only to a file
 * of a cluster).
 */
describe('cluster map over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  afterEach(async () => client?.stop());

  it('lists the places the map links to, and whether the file is one of ours', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-map-'));
    const inventoryText = inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '') + worker('w-1', 1));
    writeFileSync(join(dir, 'inventory.yaml'), inventoryText);
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'notes.yaml'), 'title: not a cluster\n');
    const uri = (name: string) => pathToFileURL(join(dir, name)).href;
    client = LspClient.start();
    await client.initialize(pathToFileURL(dir).href);
    await client.open(uri('inventory.yaml'), inventoryText);
    const map: any = await client.connection.sendRequest('clusterPreflight/clusterMap', {
      uri: uri('inventory.yaml'),
      nonce: 'n',
    });
    assert.equal(map.nodes, 2);
    assert.ok(map.targets.length > 2);
    assert.ok(map.targets.every((t: any) => t.uri === uri('inventory.yaml') && Number.isInteger(t.line)));
    // Every place the page links to is listed: a click on any of them is honoured.
    const linked = [...(map.html as string).matchAll(/data-uri="([^"]*)" data-line="(\d+)" data-character="(\d+)"/g)];
    assert.ok(linked.length > 0);
    for (const [, u, line, character] of linked)
      assert.ok(
        map.targets.some((t: any) => t.uri === u.replace(/&amp;/g, '&') && t.line === +line && t.character === +character),
        `${u}:${line}:${character}`,
      );
    await client.open(uri('docs/notes.yaml'), 'title: not a cluster\n');
    const none: any = await client.connection.sendRequest('clusterPreflight/clusterMap', { uri: uri('docs/notes.yaml') });
    assert.equal(map.ours, true);
    assert.equal(none.ours, false);
  });
});
