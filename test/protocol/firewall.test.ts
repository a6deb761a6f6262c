import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { controlPlane, inventory, spanOf, worker } from '../helpers';
import { LspClient } from '../support/lspClient';

/**
 * The firewall requests and the node code action as the VS Code client uses them, over LSP
 * against the real server: the command asks for the formats, then for the rules of the file's
 * cluster (or of the node the code action names).
 */
describe('firewall rules over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  afterEach(async () => client?.stop());

  async function started() {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-firewall-lsp-'));
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1), '  cni:\n    plugin: flannel\n');
    writeFileSync(join(dir, 'inventory.yaml'), text);
    const uri = pathToFileURL(join(dir, 'inventory.yaml')).href;
    client = LspClient.start();
    await client.initialize(null);
    await client.open(uri, text, 1);
    await client.waitFor(uri, (p) => p.version === 1);
    return { uri, text };
  }

  it('lists the formats and writes the rules of the cluster, one node or one role', async () => {
    const { uri } = await started();
    const formats: any[] = await client.connection.sendRequest('clusterPreflight/firewallFormats');
    assert.deepEqual(
      formats.map((f) => f.id),
      [
        'nftables',
        'firewalld',
        'firewalld-xml',
        'ufw',
        'iptables',
        'ansible',
        'terraform-aws',
        'terraform-hcloud',
        'terraform-openstack',
        'inventory',
        'json',
      ],
    );
    assert.ok(formats.every((f) => f.label && f.description && f.language));
    const all: any = await client.connection.sendRequest('clusterPreflight/firewall', { uri, format: 'ufw' });
    assert.equal(all.language, 'shellscript');
    assert.match(all.text, /^# For the control-plane nodes: cp-1$/m);
    assert.match(all.text, /^# For the workers: w-1$/m);
    assert.match(all.text, /^ufw allow proto udp from 192\.168\.1\.11\/32 to any port 8472 comment 'flannel 8472\/UDP'$/m);
    const node: any = await client.connection.sendRequest('clusterPreflight/firewall', { uri, format: 'nftables', node: 'w-1' });
    assert.doesNotMatch(node.text, /cp-1$/m);
    assert.match(node.text, /^# For the workers: w-1$/m);
    const role: any = await client.connection.sendRequest('clusterPreflight/firewall', { uri, format: 'json', role: 'worker' });
    assert.deepEqual(
      JSON.parse(role.text).clusters[0].groups.map((g: any) => g.role),
      ['worker'],
    );
  });

  it('answers a bad request with what was wrong', async () => {
    const { uri } = await started();
    const bad = (params: object) => client.connection.sendRequest('clusterPreflight/firewall', { uri, ...params });
    assert.deepEqual(await bad({ format: 'pf' }), { error: 'unknown format "pf"' });
    assert.deepEqual(await bad({ format: 'ufw', role: 'admin' }), { error: 'unknown role "admin"' });
    assert.match(((await bad({ format: 'ufw', allowFrom: ['; reboot'] })) as any).error, /is not an IP address or CIDR/);
  });

  it('offers "Generate firewall rules for this node…" on a node entry, naming the node', async () => {
    const { uri, text } = await started();
    const at = spanOf(text, 'w-1');
    const actions: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: at,
      context: { diagnostics: [] },
    });
    const generate = actions.find((a) => a.title === 'Generate firewall rules for this node…');
    assert.deepEqual(generate.command, {
      title: 'Generate firewall rules for this node…',
      command: 'clusterPreflight.generateFirewallRules',
      arguments: [uri, 'w-1'],
    });
    // Outside any node (the document's head), and when only quick-fixes are asked for, it is not offered.
    const head: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.equal(
      head.find((a) => a.command),
      undefined,
    );
    const quick: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: at,
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.equal(
      quick.find((a) => a.command),
      undefined,
    );
  });

  it("gives the map's page the formats and the nodes its copy buttons may name", async () => {
    const { uri } = await started();
    const map: any = await client.connection.sendRequest('clusterPreflight/clusterMap', { uri, nonce: 'n' });
    assert.deepEqual(map.nodeNames, ['cp-1', 'w-1']);
    assert.match(map.html, /<select id="firewall-format"><option value="nftables">nftables<\/option>/);
    assert.match(map.html, /<button type="button" data-role="worker">Copy rules: worker<\/button>/);
  });
});
