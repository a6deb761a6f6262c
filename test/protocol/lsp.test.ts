import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../server/src/cli/main';
import { applyEdits } from '../edits';
import { controlPlane, inventory, spanAfter, spanOf, worker } from '../helpers';
import { LspClient, REPO } from '../support/lspClient';

function workspaceDir() {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-lsp-'));
  const inventoryText = inventory(
    controlPlane('cp-1', 11).replace('        - port: 6443\n', '').replace('        - port: 10259\n', '') + worker('w-1', 1),
  );
  const service = (name: string, port: number) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  ports:\n    - port: 80\n      nodePort: ${port}\n`;
  writeFileSync(join(dir, 'inventory.yaml'), inventoryText);
  mkdirSync(join(dir, 'apps'));
  writeFileSync(join(dir, 'apps', 'web.yaml'), service('web', 30080));
  writeFileSync(join(dir, 'apps', 'api.yaml'), service('api', 30081));
  writeFileSync(join(dir, 'ci.yaml'), 'on: [push]\njobs: {}\n');
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  return { dir, uri, inventoryText, service };
}

describe('language server over stdio (LSP)', function () {
  this.timeout(30_000);
  let client: LspClient;
  afterEach(async () => client?.stop());

  it('answers a request before initialize with -32002 and one after shutdown with InvalidRequest (issue 18 item 18)', async () => {
    client = LspClient.start();
    const hover = { textDocument: { uri: 'file:///tmp/x.yaml' }, position: { line: 0, character: 0 } };
    await assert.rejects(client.connection.sendRequest('textDocument/hover', hover), (e: any) => e.code === -32002);
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', { ...hover, newName: 'a' }),
      (e: any) => e.code === -32002,
    );
    await client.initialize(null);
    assert.equal(await client.connection.sendRequest('textDocument/hover', hover), null);
    await client.connection.sendRequest('shutdown');
    await assert.rejects(client.connection.sendRequest('textDocument/hover', hover), (e: any) => e.code === -32600);
    await assert.rejects(client.connection.sendRequest('textDocument/completion', hover), (e: any) => e.code === -32600);
  });

  it('initializes with hover and quick-fix capabilities', async () => {
    client = LspClient.start();
    const result = await client.initialize(null);
    assert.equal(result.capabilities.textDocumentSync.change, 2, 'incremental sync');
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.cluster-preflight']);
    assert.equal(result.serverInfo.name, 'cluster-preflight');
  });

  it('publishes diagnostics with code, docs link and version, and updates them on incremental edits', async () => {
    const { uri, inventoryText } = workspaceDir();
    client = LspClient.start();
    await client.initialize(null);
    await client.open(uri('inventory.yaml'), inventoryText, 1);
    const first = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    const firewall = spanOf(inventoryText, 'firewall');
    assert.deepEqual(
      first.diagnostics.map((d) => [d.code, d.severity, d.range, d.source, d.codeDescription?.href]),
      [
        [
          'missing-port-rule',
          1,
          firewall,
          'cluster-preflight',
          'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
        ],
        [
          'missing-port-rule',
          2,
          firewall,
          'cluster-preflight',
          'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
        ],
      ],
    );
    // Uppercase the worker's hostname with a one-character incremental edit.
    const w = spanAfter(inventoryText, 'hostname: ', 'w-1');
    await client.change(uri('inventory.yaml'), 2, [
      { range: { start: w.start, end: { line: w.start.line, character: w.start.character + 1 } }, text: 'W' },
    ]);
    const second = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 2);
    assert.deepEqual(
      second.diagnostics.map((d) => d.code),
      ['missing-port-rule', 'missing-port-rule', 'invalid-hostname'],
    );
    assert.deepEqual(second.diagnostics[2].range, w);
  });

  it('answers hovers and applies the "add all" quick-fix so the diagnostics go away', async () => {
    const { uri, inventoryText } = workspaceDir();
    client = LspClient.start();
    await client.initialize(null);
    await client.open(uri('inventory.yaml'), inventoryText, 1);
    const published = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);

    const port = spanAfter(inventoryText, '- port: ', '10250');
    const hover: any = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri('inventory.yaml') },
      position: port.start,
    });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*10250\/TCP\*\*/);
    assert.match(hover.contents.value, /Kubelet API/);
    assert.match(hover.contents.value, /https:\/\/kubernetes\.io\/docs\/reference\/networking\/ports-and-protocols\//);
    assert.deepEqual(hover.range, port);

    const actions: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri('inventory.yaml') },
      range: published.diagnostics[0].range,
      context: { diagnostics: published.diagnostics, only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      [
        'Add all 2 missing port rules to cp-1',
        'Add firewall rule 6443/TCP (Kubernetes API server) to cp-1',
        'Add firewall rule 10259/TCP (kube-scheduler) to cp-1',
        'Disable missing-port-rule for this line',
      ],
    );
    const all = actions[0];
    assert.equal(all.kind, 'quickfix');
    const fixed = applyEdits(inventoryText, all.edit.changes[uri('inventory.yaml')]);
    await client.change(uri('inventory.yaml'), 2, [{ text: fixed }]);
    const after = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 2);
    assert.deepEqual(after.diagnostics, []);
  });

  it('indexes the workspace: closed files get diagnostics, and a change in one file re-publishes another', async () => {
    const { uri, service } = workspaceDir();
    client = LspClient.start();
    await client.initialize(uri('').replace(/\/$/, ''));
    // Closed files are checked from disk at start-up.
    await client.waitFor(uri('inventory.yaml'), (p) => p.diagnostics.some((d) => d.code === 'missing-port-rule'));
    // Opening web.yaml and giving it api.yaml's nodePort makes both files duplicates.
    await client.open(uri('apps/web.yaml'), service('web', 30080), 1);
    await client.change(uri('apps/web.yaml'), 2, [{ text: service('web', 30081) }]);
    const closed = await client.waitFor(uri('apps/api.yaml'), (p) => p.diagnostics.some((d) => d.code === 'nodeport-duplicate'));
    assert.equal(closed.diagnostics[0].relatedInformation?.[0].location.uri, uri('apps/web.yaml'));
    const edited = await client.waitFor(uri('apps/web.yaml'), (p) => p.version === 2);
    assert.deepEqual(
      edited.diagnostics.map((d) => d.code),
      ['nodeport-duplicate'],
    );
    assert.ok(
      !client.published.some((p) => p.uri === uri('ci.yaml') && p.diagnostics.length),
      'unrelated YAML gets no diagnostics',
    );
  });

  it("publishes an opened file's first diagnostics only once its cluster has been read from disk", async () => {
    // The kubeadm config on disk turns the scheduler's port off: the inventory's missing 10259
    // must never be reported, not even before the server has read kubeadm.yaml.
    const { dir, uri, inventoryText } = workspaceDir();
    writeFileSync(
      join(dir, 'kubeadm.yaml'),
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: api.lab:6443\nscheduler:\n  extraArgs:\n    - name: secure-port\n      value: "0"\n',
    );
    client = LspClient.start();
    await client.initialize(uri('').replace(/\/$/, ''));
    await client.open(uri('inventory.yaml'), inventoryText, 1);
    await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    const forInventory = client.published.filter((p) => p.uri === uri('inventory.yaml'));
    assert.ok(forInventory.length > 0);
    for (const published of forInventory) {
      assert.ok(
        !published.diagnostics.some((d) => d.message.includes('10259')),
        JSON.stringify(published.diagnostics.map((d) => d.message)),
      );
    }
  });

  it('an edit to the kubeadm config re-publishes the inventory (open or closed)', async () => {
    const { dir, uri } = workspaceDir();
    const kubeadm = (port: number) =>
      `apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: ${port}\n`;
    writeFileSync(join(dir, 'kubeadm.yaml'), kubeadm(6443));
    client = LspClient.start();
    await client.initialize(uri('').replace(/\/$/, ''));
    await client.waitFor(uri('inventory.yaml'), (p) => p.diagnostics.some((d) => /6443\/TCP/.test(d.message)));
    await client.open(uri('kubeadm.yaml'), kubeadm(6443), 1);
    await client.change(uri('kubeadm.yaml'), 2, [
      { range: { start: { line: 3, character: 12 }, end: { line: 3, character: 16 } }, text: '8443' },
    ]);
    const republished = await client.waitFor(uri('inventory.yaml'), (p) =>
      p.diagnostics.some((d) => /8443\/TCP/.test(d.message)),
    );
    assert.match(
      republished.diagnostics.find((d) => /8443/.test(d.message))!.message,
      /InitConfiguration localAPIEndpoint\.bindPort in kubeadm\.yaml sets it/,
    );
    assert.equal(republished.version, undefined, 'the inventory is not open');
  });

  it('a kubeadm file follows the inventory that lists the node it names, as hosts are renamed in the editor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-lsp-nodes-'));
    const named = (name: string, cp: string, w: string, octet: number) =>
      inventory(controlPlane(cp, octet) + worker(w, octet)).replace('name: test', `name: ${name}`);
    const prod = named('prod', 'prod-cp', 'prod-w', 11);
    const staging = named('staging', 'stg-cp', 'stg-w', 21);
    writeFileSync(join(dir, 'prod.yaml'), prod);
    writeFileSync(join(dir, 'staging.yaml'), staging);
    writeFileSync(
      join(dir, 'kubeadm-init.yaml'),
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  name: prod-cp\nlocalAPIEndpoint:\n  bindPort: 7443\n',
    );
    const uri = (name: string) => pathToFileURL(join(dir, name)).href;
    const apiServerPort = (p: { diagnostics: Array<{ message: string }> }) =>
      p.diagnostics.some((d) => /7443\/TCP/.test(d.message));
    client = LspClient.start();
    await client.initialize(pathToFileURL(dir).href);
    // kubeadm-init.yaml names prod-cp: prod's control plane needs 7443, staging's does not.
    await client.waitFor(uri('prod.yaml'), apiServerPort);
    assert.ok(!client.published.some((p) => p.uri === uri('staging.yaml') && apiServerPort(p)));

    // Naming staging's control plane prod-cp too (an edit inside a node): the node is in both, so
    // the file stands alone, and prod.yaml, closed and not edited, is re-published without 7443.
    await client.open(uri('staging.yaml'), staging, 1);
    await client.change(uri('staging.yaml'), 2, [{ range: spanAfter(staging, 'hostname: ', 'stg-cp'), text: 'prod-cp' }]);
    const alone = await client.waitFor(uri('prod.yaml'), (p) => !apiServerPort(p));
    assert.equal(alone.version, undefined, 'prod.yaml is not open');
    const edited = await client.waitFor(uri('staging.yaml'), (p) => p.version === 2);
    assert.ok(!apiServerPort(edited), JSON.stringify(edited.diagnostics.map((d) => d.message)));

    // Renaming prod's node leaves prod-cp to staging alone: the file, and its port, move there.
    await client.open(uri('prod.yaml'), prod, 1);
    await client.change(uri('prod.yaml'), 2, [{ range: spanAfter(prod, 'hostname: ', 'prod-cp'), text: 'prod-cp-1' }]);
    const moved = await client.waitFor(uri('staging.yaml'), (p) => p.version === 2 && apiServerPort(p));
    assert.match(
      moved.diagnostics.find((d) => /7443/.test(d.message))!.message,
      /^Node "prod-cp" \(control-plane\) has no firewall rule admitting 7443\/TCP .*kubeadm-init\.yaml sets it\.$/,
    );
  });

  it("applies a change past the end of a CRLF line at the line's end, and the diagnostics stay on their lines", async () => {
    const { uri, inventoryText } = workspaceDir();
    const crlf = inventoryText.replace(/\n/g, '\r\n');
    client = LspClient.start();
    await client.initialize(null);
    await client.open(uri('inventory.yaml'), crlf, 1);
    const before = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    // Past the end of the first line: LSP says that means its end, before the CRLF.
    await client.change(uri('inventory.yaml'), 2, [
      { range: { start: { line: 0, character: 500 }, end: { line: 0, character: 500 } }, text: '  # edited' },
    ]);
    const after = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 2);
    assert.deepEqual(
      after.diagnostics.map((d) => d.range),
      before.diagnostics.map((d) => d.range),
    );
    // The server's text is what the editor has: a full resync gives the same diagnostics.
    const edited = crlf.replace('\r\n', '  # edited\r\n');
    await client.change(uri('inventory.yaml'), 3, [{ text: edited }]);
    const resynced = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 3);
    assert.deepEqual(resynced.diagnostics, after.diagnostics);
  });

  it('checks a Kubespray INI inventory opened as `ini`, with its group_vars from disk, and hovers its hosts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-lsp-ks-'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'all.yml'), 'kube_apiserver_port: 10250\n');
    const text =
      '[kube_control_plane]\ncp1 ansible_host=10.0.0.11 ip=10.0.0.11\n\n[etcd]\n\n[kube_node]\nw1 ansible_host=10.0.0.11\n';
    writeFileSync(join(dir, 'inventory.ini'), text);
    const uri = (name: string) => pathToFileURL(join(dir, name)).href;
    client = LspClient.start();
    await client.initialize(pathToFileURL(dir).href);
    await client.open(uri('inventory.ini'), text, 1, 'ini');
    const published = await client.waitFor(uri('inventory.ini'), (p) => p.version === 1);
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [
        ['duplicate-ip', 1, 30],
        ['etcd-group-empty', 3, 1],
        ['duplicate-ip', 6, 16],
      ],
    );
    const vars = await client.waitFor(uri('group_vars/all.yml'), (p) => p.diagnostics.length > 0);
    assert.deepEqual(
      vars.diagnostics.map((d) => d.code),
      ['port-conflict'],
    );
    const hover: any = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: uri('inventory.ini') },
      position: spanOf(text, 'w1').start,
    });
    assert.match(hover.contents.value, /\*\*w1\*\* — Kubespray host/);
    assert.deepEqual(hover.range, spanOf(text, 'w1'));
  });

  it('survives binary junk and keeps answering', async () => {
    const { uri, inventoryText } = workspaceDir();
    client = LspClient.start();
    await client.initialize(null);
    const junk = `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\n${Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 256)).toString('latin1')}`;
    await client.open(uri('junk.yaml'), junk, 1);
    await client.waitFor(uri('junk.yaml'), (p) => p.version === 1);
    await client.open(uri('inventory.yaml'), inventoryText, 1);
    await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    assert.equal(client.process.exitCode, null);
  });

  it('starts with `npm run --silent lsp` and accepts a second --stdio after --', async () => {
    client = LspClient.start(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'lsp', '--', '--stdio']);
    const result = await client.initialize(null);
    assert.equal(result.serverInfo.name, 'cluster-preflight');
  });
});

describe('the editor and the CLI agree', function () {
  this.timeout(60_000);

  it('on the bundled example clusters: the same findings, file by file', async () => {
    const examples = join(REPO, 'examples');
    let cliOutput = '';
    runCli(['--format', 'json', examples], { write: (t: string) => (cliOutput += t) }, { write: () => undefined });
    const expected = new Map<string, Array<{ code: string; range: unknown; severity: string; message: string }>>();
    for (const d of JSON.parse(cliOutput).diagnostics) {
      const uri = pathToFileURL(resolve(d.file)).href;
      expected.set(uri, [
        ...(expected.get(uri) ?? []),
        { code: d.code, range: d.range, severity: d.severity, message: d.message },
      ]);
    }
    const client = LspClient.start();
    try {
      await client.initialize(pathToFileURL(examples).href);
      const severity = ['', 'error', 'warning', 'information', 'hint'];
      for (const [uri, diagnostics] of expected) {
        const published = await client.waitFor(uri, (p) => p.diagnostics.length === diagnostics.length);
        assert.deepEqual(
          published.diagnostics.map((d) => ({
            code: d.code,
            range: d.range,
            severity: severity[d.severity],
            message: d.message,
          })),
          diagnostics,
          uri,
        );
      }
      assert.ok(expected.size >= 5, 'every example file with findings was compared');
      // Every format is in the comparison: Kubespray (YAML, group_vars, INI), k0sctl, RKE2.
      for (const file of [
        'kubespray/hosts.yaml',
        'kubespray/group_vars/k8s_cluster/k8s-cluster.yml',
        'kubespray-ini/inventory.ini',
        'k0s/k0sctl.yaml',
        'rke2/server-1/config.yaml',
      ])
        assert.ok(expected.has(pathToFileURL(join(examples, file)).href), file);
    } finally {
      await client.stop();
    }
  });
});
