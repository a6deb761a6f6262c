import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments, parseDocument } from 'yaml';
import { applyEdits } from '../edits';
import { controlPlane, inventory, spanAfter, spanOf, worker } from '../helpers';
import { LspClient } from '../support/lspClient';

/** A cluster folder: an inventory (cp-1 misses 6443 and 10259, w-1 shares cp-1's MAC), a kubeadm config naming cp-1. */
function cluster() {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-features-'));
  const inventoryText = inventory(
    controlPlane('cp-1', 11).replace('        - port: 6443\n', '').replace('        - port: 10259\n', '') +
      worker('w-1', 1).replace('52:54:00:00:01:01', '52:54:00:00:00:0b'),
  );
  const kubeadmText =
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 192.168.1.11\nnodeRegistration:\n  name: cp-1\n';
  writeFileSync(join(dir, 'inventory.yaml'), inventoryText);
  writeFileSync(join(dir, 'kubeadm.yaml'), kubeadmText);
  const uri = (name: string) => pathToFileURL(join(dir, name)).href;
  return { dir, uri, inventoryText, kubeadmText };
}

/** The cursor where `|` is in `marked`, and the text without it. */
function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const lines = marked.slice(0, at).split('\n');
  return { text, position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

describe('editor features over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  afterEach(async () => client?.stop());

  async function started(dir: string) {
    client = LspClient.start();
    const init: any = await client.initialize(pathToFileURL(dir).href);
    return init;
  }

  it('announces completion, symbols, references, definition, rename and fix-all', async () => {
    const { dir } = cluster();
    const init = await started(dir);
    const caps = init.capabilities;
    assert.ok(caps.completionProvider);
    assert.equal(caps.documentSymbolProvider, true);
    assert.equal(caps.workspaceSymbolProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.equal(caps.definitionProvider, true);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.cluster-preflight']);
  });

  it('completes roles inside `roles: [`, the ports a node still needs first, and a new node', async () => {
    const { dir, uri, inventoryText } = cluster();
    await started(dir);
    const roles = cursor(inventoryText.replace('      roles: [worker]', '      roles: [worker, |]'));
    await client.open(uri('inventory.yaml'), roles.text, 1);
    await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    const list: any = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: uri('inventory.yaml') },
      position: roles.position,
    });
    assert.deepEqual(
      list.items.map((i: any) => i.label),
      ['control-plane', 'etcd'],
    );
    assert.deepEqual(list.items[0].textEdit.range, { start: roles.position, end: roles.position });

    const port = cursor(inventoryText.replace('        - port: 10250\n', '        - port: |\n'));
    await client.change(uri('inventory.yaml'), 2, [{ text: port.text }]);
    await client.waitFor(uri('inventory.yaml'), (p) => p.version === 2);
    const ports: any = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: uri('inventory.yaml') },
      position: port.position,
    });
    const sorted = [...ports.items].sort((a: any, b: any) => (a.sortText < b.sortText ? -1 : 1));
    assert.deepEqual(
      sorted.map((i: any) => `${i.label} ${i.detail}`),
      [
        '6443 Kubernetes API server (kube-apiserver), needed by this node',
        '10250 Kubelet API (kubelet), needed by this node',
        '10259 kube-scheduler (kube-scheduler), needed by this node',
      ],
    );

    const node = cursor(inventoryText + '    - |');
    await client.change(uri('inventory.yaml'), 3, [{ text: node.text }]);
    const nodes: any = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: uri('inventory.yaml') },
      position: node.position,
    });
    const snippet = nodes.items.find((i: any) => i.label === 'worker node');
    assert.equal(snippet.insertTextFormat, 2);
    assert.match(snippet.textEdit.newText, /^hostname: \$\{1:worker-1\}\n {6}roles: \[worker\]\n/);
    assert.match(snippet.textEdit.newText, /- port: 10250\n {10}comment: Kubelet API/);
    assert.ok(nodes.items.some((i: any) => i.label === 'hostname' && i.kind === 10));
    // Issue 17 item 1: the text carries absolute indentation, so it must be inserted as is (VS Code
    // would otherwise indent every later line again), and what it inserts parses clean.
    for (const label of ['worker node', 'control-plane node']) {
      const item = nodes.items.find((i: any) => i.label === label);
      assert.equal(item.insertTextMode, 1, `${label} is inserted as is`);
      const expanded = item.textEdit.newText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
      const accepted = applyEdits(node.text, [{ range: item.textEdit.range, newText: expanded }]);
      const parsed = parseAllDocuments(accepted);
      assert.deepEqual(
        parsed.flatMap((d) => d.errors.map((e) => e.message)),
        [],
        accepted,
      );
      assert.equal(parsed[0].toJS().spec.nodes.at(-1).hostname, label === 'worker node' ? 'worker-1' : 'cp-1');
    }
    for (const item of nodes.items.filter((i: any) => !i.textEdit.newText.includes('\n'))) {
      assert.equal(item.insertTextMode, undefined, `${item.label} is one line: the editor's own indentation mode applies`);
    }
  });

  it('completes kubeadm keys and enums, and nodeRegistration.name from the inventory', async () => {
    const { dir, uri, kubeadmText } = cluster();
    await started(dir);
    const name = cursor(kubeadmText.replace('  name: cp-1\n', '  name: |\n'));
    await client.open(uri('kubeadm.yaml'), name.text, 1);
    await client.waitFor(uri('kubeadm.yaml'), (p) => p.version === 1);
    const names: any = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: uri('kubeadm.yaml') },
      position: name.position,
    });
    assert.deepEqual(
      names.items.filter((i: any) => i.kind === 18).map((i: any) => `${i.label}: ${i.detail}`),
      ['cp-1: node "cp-1" (control-plane)', 'w-1: node "w-1" (worker)'],
    );
    const key = cursor(kubeadmText.replace('  name: cp-1\n', '  name: cp-1\n  imagePull|\n'));
    await client.change(uri('kubeadm.yaml'), 2, [{ text: key.text }]);
    const keys: any = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: uri('kubeadm.yaml') },
      position: key.position,
    });
    const pull = keys.items.find((i: any) => i.label === 'imagePullPolicy');
    assert.equal(pull.textEdit.newText, 'imagePullPolicy: $0');
    assert.ok(!keys.items.some((i: any) => i.label === 'name'), 'keys already present are not offered');
  });

  it('lists an inventory outline and finds nodes across the workspace', async () => {
    const { dir, uri, inventoryText } = cluster();
    await started(dir);
    await client.waitFor(uri('inventory.yaml'));
    const symbols: any[] = await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: uri('inventory.yaml') },
    });
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.children.map((c: any) => c.name)]),
      [
        ['cp-1', 'control-plane', ['eth0', '2379-2380/TCP', '10250/TCP', '10257/TCP']],
        ['w-1', 'worker', ['eth0', '10250/TCP', '10256/TCP', '30000-32767/TCP']],
      ],
    );
    assert.deepEqual(symbols[0].selectionRange, spanAfter(inventoryText, 'hostname: ', 'cp-1'));
    const kubeadm: any[] = await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: uri('kubeadm.yaml') },
    });
    assert.deepEqual(
      kubeadm.map((s) => [s.name, s.detail]),
      [['InitConfiguration', 'kubeadm.k8s.io/v1beta4']],
    );
    const found: any[] = await client.connection.sendRequest('workspace/symbol', { query: 'w-' });
    assert.deepEqual(
      found.map((s) => [s.name, s.location.uri]),
      [['w-1', uri('inventory.yaml')]],
    );
  });

  it('references of a duplicated MAC and of a hostname, and definition from kubeadm to the inventory', async () => {
    const { dir, uri, inventoryText, kubeadmText } = cluster();
    await started(dir);
    await client.waitFor(uri('inventory.yaml'));
    const mac = spanOf(inventoryText, '52:54:00:00:00:0b');
    const macs: any[] = await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: uri('inventory.yaml') },
      position: { line: mac.start.line, character: mac.start.character + 3 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      macs.map((l) => l.range.start.line),
      [spanOf(inventoryText, '"52:54:00:00:00:0b"').start.line, spanOf(inventoryText, '"52:54:00:00:00:0b"', 1).start.line],
    );
    const name = spanOf(kubeadmText, 'cp-1');
    const hosts: any[] = await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: uri('kubeadm.yaml') },
      position: name.start,
      context: { includeDeclaration: true },
    });
    assert.deepEqual(hosts.map((l) => l.uri).sort(), [uri('inventory.yaml'), uri('kubeadm.yaml')].sort());
    const defined: any[] = await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: uri('kubeadm.yaml') },
      position: name.start,
    });
    assert.deepEqual(defined, [{ uri: uri('inventory.yaml'), range: spanAfter(inventoryText, 'hostname: ', 'cp-1') }]);
  });

  it('renames a hostname in the inventory and the kubeadm config, and refuses an invalid name', async () => {
    const { dir, uri, inventoryText, kubeadmText } = cluster();
    await started(dir);
    await client.waitFor(uri('inventory.yaml'));
    const at = spanAfter(inventoryText, 'hostname: ', 'cp-1').start;
    const prepared: any = await client.connection.sendRequest('textDocument/prepareRename', {
      textDocument: { uri: uri('inventory.yaml') },
      position: at,
    });
    assert.deepEqual(prepared, { range: spanAfter(inventoryText, 'hostname: ', 'cp-1'), placeholder: 'cp-1' });
    const edit: any = await client.connection.sendRequest('textDocument/rename', {
      textDocument: { uri: uri('inventory.yaml') },
      position: at,
      newName: 'control-1',
    });
    assert.match(applyEdits(inventoryText, edit.changes[uri('inventory.yaml')]), /hostname: control-1\n/);
    assert.equal(
      applyEdits(kubeadmText, edit.changes[uri('kubeadm.yaml')]),
      kubeadmText.replace('name: cp-1', 'name: control-1'),
    );
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri: uri('inventory.yaml') },
        position: at,
        newName: 'Control_1',
      }),
      /"Control_1" is not a valid node name/,
    );
  });

  it('quotes a new name YAML would read as another type, and refuses an existing name and a host range (issue 18 item 10)', async () => {
    const { dir, uri, inventoryText, kubeadmText } = cluster();
    await started(dir);
    await client.waitFor(uri('inventory.yaml'));
    const at = spanAfter(inventoryText, 'hostname: ', 'cp-1').start;
    for (const newName of ['true', 'null', '123', '1e3', '0x1f', '0o17', '1.5', 'yes', 'on']) {
      const edit: any = await client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri: uri('inventory.yaml') },
        position: at,
        newName,
      });
      for (const version of ['1.1', '1.2'] as const) {
        const renamed = parseDocument(applyEdits(inventoryText, edit.changes[uri('inventory.yaml')]), { version }).toJS();
        assert.equal(renamed.spec.nodes[0].hostname, newName, `${newName} in the inventory, YAML ${version}`);
        const kubeadm = parseDocument(applyEdits(kubeadmText, edit.changes[uri('kubeadm.yaml')]), { version }).toJS();
        assert.equal(kubeadm.nodeRegistration.name, newName, `${newName} in kubeadm.yaml, YAML ${version}`);
      }
    }
    const plain: any = await client.connection.sendRequest('textDocument/rename', {
      textDocument: { uri: uri('inventory.yaml') },
      position: at,
      newName: 'control-1',
    });
    assert.deepEqual(
      plain.changes[uri('inventory.yaml')].map((e: any) => e.newText),
      ['control-1'],
    );
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri: uri('inventory.yaml') },
        position: at,
        newName: 'w-1',
      }),
      /"w-1" is already a node of this cluster/,
    );

    const ini = '[kube_control_plane]\nnode[1:3] ansible_host=10.0.0.1\n\n[kube_node]\nnode4 ansible_host=10.0.0.4\n';
    writeFileSync(join(dir, 'inventory.ini'), ini);
    await client.open(uri('inventory.ini'), ini, 1);
    await client.waitFor(uri('inventory.ini'));
    const pattern = spanOf(ini, 'node[1:3]').start;
    const request = {
      textDocument: { uri: uri('inventory.ini') },
      position: { line: pattern.line, character: pattern.character + 1 },
    };
    await assert.rejects(client.connection.sendRequest('textDocument/prepareRename', request), /host range pattern/);
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', { ...request, newName: 'n' }),
      /host range pattern/,
    );
  });

  it("renames a Kubespray host's host_vars file with it, or refuses when the editor cannot rename files (issue 17 item 8)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-hostvars-'));
    const hosts =
      'all:\n  hosts:\n    node1:\n      ansible_host: 10.0.0.11\n    node2:\n      ansible_host: 10.0.0.12\n  children:\n' +
      '    kube_control_plane:\n      hosts:\n        node1:\n    kube_node:\n      hosts:\n        node2:\n    etcd:\n      hosts:\n        node1:\n';
    writeFileSync(join(dir, 'hosts.yaml'), hosts);
    mkdirSync(join(dir, 'host_vars'));
    writeFileSync(join(dir, 'host_vars', 'node1.yml'), 'ip: 10.0.0.11\n');
    writeFileSync(join(dir, 'host_vars', 'node2.yaml'), 'ip: 10.0.0.12\n');
    const uri = (name: string) => pathToFileURL(join(dir, name)).href;
    const at = spanAfter(hosts, 'hosts:\n    ', 'node1').start;
    const request = { textDocument: { uri: uri('hosts.yaml') }, position: at, newName: 'node9' };
    const workspace = { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true };

    client = LspClient.start();
    await client.initialize(
      pathToFileURL(dir).href,
      { validationDelay: 0 },
      {
        workspace: { ...workspace, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } },
      },
    );
    await client.open(uri('hosts.yaml'), hosts, 1);
    await client.waitFor(uri('hosts.yaml'));
    const edit: any = await client.connection.sendRequest('textDocument/rename', request);
    const renames = edit.documentChanges.filter((c: any) => c.kind === 'rename');
    assert.deepEqual(renames, [{ kind: 'rename', oldUri: uri('host_vars/node1.yml'), newUri: uri('host_vars/node9.yml') }]);
    const texts = edit.documentChanges.filter((c: any) => !c.kind);
    assert.equal(
      applyEdits(hosts, texts.find((c: any) => c.textDocument.uri === uri('hosts.yaml')).edits),
      hosts.replaceAll('node1:', 'node9:'),
    );
    // node2's vars (another host) stay where they are.
    assert.ok(!JSON.stringify(edit).includes('node2.yaml'));
    await client.stop();

    client = LspClient.start();
    await client.initialize(pathToFileURL(dir).href, { validationDelay: 0 }, { workspace });
    await client.open(uri('hosts.yaml'), hosts, 1);
    await client.waitFor(uri('hosts.yaml'));
    await assert.rejects(client.connection.sendRequest('textDocument/rename', request), /host_vars\/node1\.yml behind/);
  });

  it('fixes all: every safe fix of the file in one edit that re-validates clean', async () => {
    const { dir, uri, inventoryText } = cluster();
    await started(dir);
    const text = inventoryText
      .replace('52:54:00:00:00:0b"\n          address: 192.168.1.101', '52:54:00:00:01:01"\n          address: 192.168.1.101')
      .replace(
        '        - port: 10256\n',
        '        - port: 10256\n          comnent: kube-proxy\n        - port: "32767-30000"\n',
      );
    await client.open(uri('inventory.yaml'), text, 1);
    const first = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.map((d) => d.code).sort(), [
      'invalid-port-range',
      'missing-port-rule',
      'missing-port-rule',
      'schema',
    ]);
    // The quick-fix list puts "Add all" first and prefers it; a "did you mean" is offered as a fix.
    const quick: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri('inventory.yaml') },
      range: first.diagnostics[0].range,
      context: { diagnostics: first.diagnostics, only: ['quickfix'] },
    });
    const all = quick.findIndex((a) => a.title === 'Add all 2 missing port rules to cp-1');
    const single = quick.findIndex((a) => a.title.startsWith('Add firewall rule'));
    assert.ok(all >= 0 && all < single, 'Add all comes before the single rules');
    assert.equal(quick[all].isPreferred, true);
    assert.equal(quick[single].isPreferred, false);
    assert.ok(quick.some((a) => a.title === 'Replace "comnent" with "comment"'));
    assert.ok(quick.some((a) => a.title === 'Swap the range to 30000-32767'));
    const actions: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri('inventory.yaml') },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [['Fix all Cluster Preflight problems', 'source.fixAll.cluster-preflight']],
    );
    const fixed = applyEdits(text, actions[0].edit.changes[uri('inventory.yaml')]);
    await client.change(uri('inventory.yaml'), 2, [{ text: fixed }]);
    const after = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 2);
    assert.deepEqual(after.diagnostics, []);
  });

  it('fix-all changes a wrong protocol instead of adding the port again, and leaves nothing for a second run', async () => {
    const { dir, uri } = cluster();
    await started(dir);
    const text = inventory(
      controlPlane('cp-1', 11) + worker('w-1', 1, '        - port: 8472\n          protocol: TCP  # overlay\n'),
      '  cni:\n    plugin: flannel\n',
    ).replace(/\n/g, '\r\n');
    await client.open(uri('inventory.yaml'), text, 1);
    const first = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.map((d) => d.code).sort(), [
      'firewall-wrong-protocol',
      'missing-port-rule',
      'missing-port-rule',
    ]);
    const fixAllOf = async (): Promise<any[]> =>
      client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uri('inventory.yaml') },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll.cluster-preflight'] },
      });
    const actions = await fixAllOf();
    assert.equal(actions.length, 1);
    const edits = actions[0].edit.changes[uri('inventory.yaml')];
    // The server's own state is untouched by the rounds it tried: the quick-fixes of the open text are still there.
    const quick: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri('inventory.yaml') },
      range: first.diagnostics[0].range,
      context: { diagnostics: first.diagnostics, only: ['quickfix'] },
    });
    assert.ok(quick.some((a) => a.title === 'Change the protocol of 8472/TCP to UDP'));
    const fixed = applyEdits(text, edits);
    assert.equal(fixed.split('port: 8472').length - 1, 2, 'one 8472 entry per node');
    assert.ok(fixed.includes('          protocol: UDP  # overlay\r\n'));
    assert.ok(!/[^\r]\n/.test(fixed), 'no bare LF');
    await client.change(uri('inventory.yaml'), 2, [{ text: fixed }]);
    const after = await client.waitFor(uri('inventory.yaml'), (p) => p.version === 2);
    assert.deepEqual(after.diagnostics, []);
    assert.deepEqual(await fixAllOf(), []);
  });

  it('MTU: the server reports the plugin MTU that does not fit, explains it on hover, and its quick-fix makes the file clean of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-mtu-'));
    await started(dir);
    const uri = pathToFileURL(join(dir, 'inventory.yaml')).href;
    const mtu = (node: string, value: number) => node.replace(/(address: [^\n]+\n)/, `$1          mtu: ${value}\n`);
    const text = inventory(
      mtu(controlPlane('cp-1', 11), 1450) + mtu(worker('w-1', 1), 1450),
      '  cni:\n    plugin: flannel\n    mode: host-gw\n    mtu: 1500 # from the docs\n',
    );
    await client.open(uri, text, 1);
    const first = await client.waitFor(uri, (p) => p.version === 1);
    const diagnostic = first.diagnostics.find((d) => d.code === 'mtu-overlay-overhead')!;
    assert.deepEqual(diagnostic.range, spanOf(text, '1500'));
    const hover: any = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: diagnostic.range.start.line, character: diagnostic.range.start.character + 1 },
    });
    assert.match(hover.contents.value, /\*\*MTU 1500\*\* for flannel: 1500 bytes on the wire \(no encapsulation\)/);
    const actions: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.title === 'Set the MTU to 1450, the largest that fits');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyEdits(text, fix.edit.changes[uri]);
    assert.equal(fixed, text.replace('mtu: 1500 # from the docs', 'mtu: 1450 # from the docs'));
    await client.change(uri, 2, [{ text: fixed }]);
    const after = await client.waitFor(uri, (p) => p.version === 2);
    assert.deepEqual(
      after.diagnostics.filter((d) => String(d.code).startsWith('mtu-')),
      [],
    );
  });
});
