/**
 * Cluster Preflight in a real VS Code: the extension starts the language server, and the
 * editor shows its diagnostics, hovers and quick-fixes. Uses the `vscode` API only; every wait
 * is event-driven (onDidChangeDiagnostics) with a timeout that reports what was seen.
 *
 * Fixture: test/e2e/fixture (the workspace folder). Its files are edited in memory only and
 * reverted; nothing is ever saved.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import {
  codeOf,
  codesAre,
  describeDiagnostics,
  diagnosticsReport,
  EXTENSION_ID,
  hoverText,
  open,
  ours,
  PORTS_DOCS,
  rangeOf,
  rangeText,
  recordDiagnostics,
  revert,
  severityName,
  SOURCE,
  targetOf,
  waitForDiagnostics,
} from './helpers';

const INVENTORY = 'cluster/inventory.yaml';
const SERVICE = 'cluster/service.yaml';
const UNRELATED = 'ci.yaml';

const MAC_DOCS = 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/#verify-mac-address';
const NODEPORT_DOCS = 'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport';
const NAMES_DOCS = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names';

interface Expected {
  range: string;
  severity: string;
  code: string;
  target: string;
  message: RegExp;
}

/** The inventory's diagnostics as it is on disk (0-based ranges; `cli.js --format json` agrees). */
const INVENTORY_BASELINE: Expected[] = [
  // cp-1: the `firewall` key of the node (line 16 of the file).
  {
    range: '15:6-15:14',
    severity: 'error',
    code: 'missing-port-rule',
    target: PORTS_DOCS,
    message: /^Node "cp-1" \(control-plane\) has no firewall rule admitting 2379\/TCP \(etcd server client API\)\.$/,
  },
  {
    range: '15:6-15:14',
    severity: 'error',
    code: 'missing-port-rule',
    target: PORTS_DOCS,
    message: /^Node "cp-1" \(control-plane\) has no firewall rule admitting 10250\/TCP \(Kubelet API\)\.$/,
  },
  {
    range: '15:6-15:14',
    severity: 'warning',
    code: 'missing-port-rule',
    target: PORTS_DOCS,
    message: /^Node "cp-1" \(control-plane\) has no firewall rule admitting 10257\/TCP \(kube-controller-manager\)\.$/,
  },
  // w-1 and w-2 share a MAC: both values, quotes included.
  {
    range: '22:15-22:34',
    severity: 'error',
    code: 'duplicate-mac',
    target: MAC_DOCS,
    message: /^MAC address 52:54:00:00:01:01 is on 2 nodes \("w-1", "w-2"\)/,
  },
  {
    range: '31:15-31:34',
    severity: 'error',
    code: 'duplicate-mac',
    target: MAC_DOCS,
    message: /^MAC address 52:54:00:00:01:01 is on 2 nodes \("w-1", "w-2"\)/,
  },
  // w-1: its `firewall` key.
  {
    range: '24:6-24:14',
    severity: 'warning',
    code: 'missing-port-rule',
    target: PORTS_DOCS,
    message: /^Node "w-1" \(worker\) has no firewall rule admitting 10256\/TCP \(kube-proxy health check\)\.$/,
  },
];

/** A predicate: the diagnostics are the baseline's (ranges, severities and codes). */
function isBaseline(diagnostics: vscode.Diagnostic[]): boolean {
  const key = (range: string, severity: string, code: string) => `${range} ${severity} ${code}`;
  const actual = diagnostics.map((d) => key(rangeText(d.range), severityName(d.severity), codeOf(d))).sort();
  const expected = INVENTORY_BASELINE.map((e) => key(e.range, e.severity, e.code)).sort();
  return actual.join('\n') === expected.join('\n');
}

/** Checks the diagnostics one by one against the expectations, matched by range, code, severity and message. */
function assertDiagnostics(document: vscode.TextDocument, actual: vscode.Diagnostic[], expected: Expected[]): void {
  const context = `\nActual:\n${describeDiagnostics(actual)}`;
  assert.equal(actual.length, expected.length, `expected ${expected.length} diagnostics, got ${actual.length}${context}`);
  const left = [...actual];
  for (const e of expected) {
    const i = left.findIndex(
      (d) =>
        rangeText(d.range) === e.range &&
        codeOf(d) === e.code &&
        severityName(d.severity) === e.severity &&
        e.message.test(d.message),
    );
    assert.ok(i >= 0, `missing: ${e.range} ${e.severity} ${e.code} ${e.message}${context}`);
    const [d] = left.splice(i, 1);
    assert.equal(d.source, SOURCE);
    assert.equal(typeof d.code, 'object', `the code of "${d.message}" should be {value, target}`);
    assert.equal(targetOf(d), e.target, `codeDescription of ${e.code} at ${e.range}`);
  }
}

let inventory: vscode.TextDocument;
let original: string;

suite('Cluster Preflight in VS Code', function () {
  const recording = recordDiagnostics();

  suiteSetup(async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded: is extensionDevelopmentPath the repository root?`);
    await extension.activate();
    assert.ok(extension.isActive, 'the extension did not activate');
    inventory = await open(INVENTORY);
    original = inventory.getText();
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`\n[e2e] "${this.currentTest.title}" failed. ${diagnosticsReport()}\n`);
    }
    // Edits are never saved: back to the file on disk, and to its diagnostics.
    if (inventory?.isDirty) {
      await revert(inventory);
      await waitForDiagnostics(inventory.uri, isBaseline, 'the diagnostics of the reverted inventory');
    }
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    recording.dispose();
    await leaveWorkbenchForScreenshot();
  });

  test('reports the inventory mistakes with exact ranges, severities and docs links', async () => {
    // Wait for the right codes, then compare exactly: a wrong range fails at once, with a diff.
    const diagnostics = await waitForDiagnostics(
      inventory.uri,
      codesAre(INVENTORY_BASELINE.map((e) => e.code)),
      'the 6 diagnostics of the fixture inventory',
    );
    assertDiagnostics(inventory, diagnostics, INVENTORY_BASELINE);
    assert.equal(inventory.getText(new vscode.Range(15, 6, 15, 14)), 'firewall');
    assert.equal(inventory.getText(new vscode.Range(22, 15, 22, 34)), '"52:54:00:00:01:01"');
    const mac = diagnostics.find((d) => codeOf(d) === 'duplicate-mac' && d.range.start.line === 22)!;
    assert.deepEqual(
      (mac.relatedInformation ?? []).map(
        (r) => `${path.basename(r.location.uri.fsPath)} ${rangeText(r.location.range)} ${r.message}`,
      ),
      ['inventory.yaml 31:15-31:34 Same MAC on node "w-2"'],
    );
  });

  test('reports a Service nodePort outside the NodePort range', async () => {
    const service = await open(SERVICE);
    const [d] = await waitForDiagnostics(
      service.uri,
      codesAre(['nodeport-out-of-range']),
      'nodeport-out-of-range on the Service',
    );
    assert.equal(rangeText(d.range), '12:16-12:20');
    assert.equal(service.getText(d.range), '8080');
    assert.equal(severityName(d.severity), 'error');
    assert.equal(targetOf(d), NODEPORT_DOCS);
    assert.match(
      d.message,
      /^nodePort 8080 of Service default\/web: provided port is not in the valid range\. The range of valid ports is 30000-32767/,
    );
  });

  test('hover on a firewall port explains it and links the ports table', async () => {
    const port = rangeOf(inventory, '6443');
    assert.equal(rangeText(port), '16:16-16:20');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      inventory.uri,
      port.start.translate(0, 2),
    );
    const text = hoverText(hovers ?? []);
    assert.ok(text.includes('**6443/TCP**'), `hover should name **6443/TCP**:\n${text}`);
    assert.ok(text.includes('Kubernetes API server'), `hover should say what 6443 is:\n${text}`);
    assert.ok(text.includes(`[Kubernetes Ports and Protocols](${PORTS_DOCS})`), `hover should link the ports table:\n${text}`);
    const ranged = hovers.find((h) => h.range && hoverText([h]).includes('6443/TCP'));
    assert.ok(ranged?.range, 'the hover should carry the range of the port value');
    assert.equal(rangeText(ranged.range), '16:16-16:20');
  });

  test('completion inside `roles: [` offers the other roles, and the suggest widget shows them', async () => {
    const editor = await vscode.window.showTextDocument(inventory, { preview: false });
    const roles = valueRange(inventory, '      roles: ', '[worker]');
    await editor.edit((b) => b.replace(roles, '[worker, ]'));
    const at = roles.start.translate(0, '[worker, '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      inventory.uri,
      at,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(labels.filter((l) => ['control-plane', 'worker', 'etcd'].includes(l)).sort(), ['control-plane', 'etcd']);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await screenshot('vscode-completion');
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  test('accepting the "worker node" completion on a new list item keeps the inventory valid YAML', async () => {
    // Issue 17 item 1: the item's later lines carry absolute indentation; VS Code indented them again.
    const editor = await vscode.window.showTextDocument(inventory, { preview: false });
    await editor.edit((b) => b.insert(inventory.positionAt(inventory.getText().length), '    - worker'));
    const at = inventory.positionAt(inventory.getText().length);
    editor.selection = new vscode.Selection(at, at);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      inventory.uri,
      at,
    );
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'worker node');
    assert.ok(item, 'the "worker node" completion is offered');
    assert.equal(item.keepWhitespace, true, 'a multi-line item is inserted as is');
    // Accept it the way a user does: the suggest widget, filtered by what was typed, then Enter.
    await poll(
      async () => {
        await vscode.commands.executeCommand('editor.action.triggerSuggest');
        await new Promise((r) => setTimeout(r, 500));
        await vscode.commands.executeCommand('acceptSelectedSuggestion');
        return inventory.getText();
      },
      (text) => text.includes('hostname: worker-1'),
      'the accepted "worker node" completion',
    );
    await vscode.commands.executeCommand('leaveSnippet');
    const text = inventory.getText();
    const errors = parseAllDocuments(text).flatMap((d) => d.errors.map((e) => e.message));
    assert.deepEqual(errors, [], text.slice(original.length - 200));
    assert.match(
      text.slice(original.length),
      /^ {4}- hostname: worker-1\n {6}roles: \[worker\]\n {6}interfaces:\n {8}- name: eth0\n/,
    );
    const diagnostics = await waitForDiagnostics(
      inventory.uri,
      (ds) => !ds.some((d) => codeOf(d) === 'yaml-syntax') && ds.length > 0,
      'the diagnostics of the inventory with the new node',
    );
    assert.deepEqual(
      diagnostics.filter((d) => codeOf(d) === 'yaml-syntax').map((d) => d.message),
      [],
    );
  });

  test('the Outline lists the nodes with their roles', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      inventory.uri,
    );
    assert.deepEqual(
      symbols.map((s) => `${s.name} (${s.detail})`),
      ['cp-1 (control-plane)', 'w-1 (worker)', 'w-2 (worker)'],
    );
    assert.deepEqual(
      symbols[0].children.map((c) => c.name),
      ['eth0', '6443/TCP', '10259/TCP'],
    );
    await vscode.window.showTextDocument(inventory, { preview: false });
    await vscode.commands.executeCommand('outline.focus');
    await screenshot('vscode-outline');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  });

  test('go to references on a duplicated MAC lists both nodes', async () => {
    const mac = rangeOf(inventory, '52:54:00:00:01:01');
    const locations = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeReferenceProvider',
      inventory.uri,
      mac.start.translate(0, 3),
    );
    assert.deepEqual(locations.map((l) => `${path.basename(l.uri.fsPath)} ${rangeText(l.range)}`).sort(), [
      'inventory.yaml 22:15-22:34',
      'inventory.yaml 31:15-31:34',
    ]);
  });

  test('rename of a hostname changes the inventory and the kubeadm config', async () => {
    const name = valueRange(inventory, 'hostname: ', 'cp-1');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      inventory.uri,
      name.start,
      'control-1',
    );
    const changes = edit
      .entries()
      .map(([uri, edits]) => `${path.basename(uri.fsPath)} ${edits.map((e) => `${rangeText(e.range)}=${e.newText}`).join(' ')}`);
    assert.deepEqual(changes.sort(), ['inventory.yaml 9:16-9:20=control-1', 'kubeadm.yaml 6:8-6:12=control-1']);
  });

  test('fix-all on save adds every missing rule, and the file re-validates clean', async function () {
    this.timeout(60_000);
    // A file of its own outside the fixture, so that saving changes nothing the other tests read.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-e2e-'));
    const file = path.join(dir, 'inventory.yaml');
    fs.writeFileSync(file, original.replace('        - port: 10250\n        - port: 10256\n', '        - port: 10250\n'));
    const config = vscode.workspace.getConfiguration('editor', { languageId: 'yaml' });
    await config.update(
      'codeActionsOnSave',
      { 'source.fixAll.cluster-preflight': 'explicit' },
      vscode.ConfigurationTarget.Global,
      true,
    );
    try {
      const document = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      await waitForDiagnostics(
        document.uri,
        (d) => d.some((x) => codeOf(x) === 'missing-port-rule'),
        "the copy's missing-port-rule diagnostics",
      );
      // Saving an unchanged file runs no save participants: make it dirty first. The workbench reads the
      // setting above from its settings file on its own time: on a loaded machine the first save may come
      // before it does, so a save that ran no fix-all is tried again (a fix-all that fails, fails all three).
      for (let attempt = 1; ; attempt++) {
        await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# fixed on save\n'));
        await document.save();
        try {
          await waitForDiagnostics(
            document.uri,
            (d) => d.every((x) => codeOf(x) !== 'missing-port-rule'),
            `no missing-port-rule after save ${attempt}`,
            8_000,
          );
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      const saved = fs.readFileSync(file, 'utf8');
      assert.match(saved, /- port: 2379\n/);
      assert.match(saved, /- port: 10256\n/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await config.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Global, true);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the cluster map shows cp-1's missing 2379 in red, a click reveals it, and an edit turns it green", async () => {
    interface MapState {
      columns: string[];
      rows: Array<{ node: string; cells: string[] }>;
    }
    const mapState = () => vscode.commands.executeCommand<MapState | undefined>('clusterPreflight.internal.clusterMapState');
    const cp1 = (state: MapState | undefined, port: string) => {
      const row = state?.rows.find((r) => r.node === 'cp-1');
      return row?.cells[state!.columns.indexOf(port)];
    };
    await vscode.window.showTextDocument(inventory, { preview: false, viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('clusterPreflight.showClusterMap', inventory.uri.toString());
    const shown = (await poll(mapState, (s) => !!s && s.rows.length === 3, 'the map page to report what it shows'))!;
    assert.deepEqual(
      shown.rows.map((r) => r.node),
      ['cp-1', 'w-1', 'w-2'],
    );
    assert.equal(cp1(shown, '2379/TCP'), 'missing');
    assert.equal(cp1(shown, '6443/TCP'), 'open');
    // Room for the map in the picture: the sidebar closes while it is taken.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await screenshot('vscode-cluster-map');
    await vscode.commands.executeCommand('workbench.view.explorer');
    // A click on the red cell lands on the finding in the inventory.
    await vscode.commands.executeCommand('clusterPreflight.internal.clusterMapClick', 'cp-1', shown.columns.indexOf('2379/TCP'));
    const editor = await poll(
      async () => vscode.window.activeTextEditor,
      (e) => e?.document.uri.toString() === inventory.uri.toString() && e.selection.active.line === 15,
      'the click on the map to reveal cp-1 firewall key',
    );
    assert.equal(editor!.selection.active.character, 6);
    // Admitting 2379 turns the cell green, live.
    await editor!.edit((b) => b.insert(new vscode.Position(18, 0), '        - port: 2379\n'));
    await poll(mapState, (s) => cp1(s, '2379/TCP') === 'open', "cp-1's 2379 cell to turn green");
    // "Copy rules" on w-1's row: the page asks, the extension checks the format and node, the server writes them.
    await vscode.commands.executeCommand('clusterPreflight.internal.clusterMapCopy', 'w-1');
    const copied = await poll(
      () =>
        vscode.commands.executeCommand<{ format: string; node?: string; text: string } | undefined>(
          'clusterPreflight.internal.lastCopiedRules',
        ),
      (c) => c?.node === 'w-1',
      "the map's Copy rules for w-1",
    );
    assert.equal(copied!.format, 'nftables');
    assert.match(copied!.text, /^# For the workers: w-1$/m);
    assert.doesNotMatch(copied!.text, /For the control-plane nodes/);
  });

  test('quick fix "Add all 3 missing port rules to cp-1" inserts the rules and clears the node', async () => {
    await waitForDiagnostics(inventory.uri, isBaseline, 'the fixture inventory diagnostics');
    const cp1 = ours(inventory.uri).filter((d) => codeOf(d) === 'missing-port-rule' && d.message.includes('"cp-1"'));
    assert.equal(cp1.length, 3, `cp-1 should have 3 missing-port-rule diagnostics:\n${describeDiagnostics(cp1)}`);

    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      inventory.uri,
      cp1[0].range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // A bare Command has a string `command`; a CodeAction has a Command object or none.
    const quickFixes = (actions ?? []).filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
    assert.equal(quickFixes.length, (actions ?? []).length, 'the server should answer with CodeActions, not bare Commands');
    const titles = quickFixes.map((a) => a.title);
    assert.deepEqual(
      [...titles].sort(),
      [
        'Add all 3 missing port rules to cp-1',
        'Add firewall rule 10250/TCP (Kubelet API) to cp-1',
        'Add firewall rule 10257/TCP (kube-controller-manager) to cp-1',
        'Add firewall rule 2379/TCP (etcd server client API) to cp-1',
        'Disable missing-port-rule for this line',
      ],
      `code actions offered at ${rangeText(cp1[0].range)}`,
    );
    for (const action of quickFixes) {
      assert.ok(
        action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind),
        `"${action.title}" should be a quickfix, is ${action.kind?.value}`,
      );
    }
    const all = quickFixes.find((a) => a.title === 'Add all 3 missing port rules to cp-1')!;
    assert.ok(all.edit, '"Add all" should carry a WorkspaceEdit');
    // (vscode.executeCodeActionProvider does not hand back CodeAction.diagnostics: not checkable here.)

    assert.ok(await vscode.workspace.applyEdit(all.edit), 'applyEdit refused the edit');
    const expected = original.replace(
      '        - port: 6443\n        - port: 10259\n',
      '        - port: 6443\n        - port: 10259\n        - port: 2379\n        - port: 10250\n        - port: 10257\n',
    );
    assert.notEqual(expected, original);
    assert.equal(inventory.getText(), expected);

    const after = await waitForDiagnostics(
      inventory.uri,
      (ds) => !ds.some((d) => codeOf(d) === 'missing-port-rule' && d.message.includes('"cp-1"')),
      'the missing-port-rule diagnostics of cp-1 to go away',
    );
    // Everything else stays, moved down by the three inserted lines.
    assertDiagnostics(
      inventory,
      after,
      INVENTORY_BASELINE.filter((e) => !e.message.source.includes('cp-1')).map((e) => ({ ...e, range: shiftLines(e.range, 3) })),
    );
  });

  test('"Generate firewall rules for this node…" and the palette command open the rules in the format picked', async function () {
    this.timeout(60_000);
    await waitForDiagnostics(inventory.uri, isBaseline, 'the fixture inventory diagnostics');
    await vscode.window.showTextDocument(inventory, { preview: false, viewColumn: vscode.ViewColumn.One });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      inventory.uri,
      valueRange(inventory, 'hostname: ', 'w-1'),
    );
    const generate = (actions ?? []).find((a) => a.title === 'Generate firewall rules for this node…');
    assert.ok(generate?.command, `no firewall action among ${(actions ?? []).map((a) => a.title).join(', ')}`);
    assert.deepEqual(generate.command.arguments, [inventory.uri.toString(), 'w-1']);
    /** Runs a command that asks for a format, accepting the quick pick's first item (nftables) as Enter would. */
    const pickFirst = async (command: string, ...args: unknown[]) => {
      let done = false;
      const running = Promise.resolve(vscode.commands.executeCommand(command, ...args)).finally(() => (done = true));
      const deadline = Date.now() + 20_000;
      while (!done && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      await running;
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.scheme, 'untitled', 'the rules open as an untitled document');
      const text = editor!.document.getText();
      assert.equal(editor!.document.languageId, 'plaintext');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      return text;
    };
    const node = await pickFirst(generate.command.command, ...generate.command.arguments);
    assert.match(node, /^# For the workers: w-1$/m);
    assert.match(
      node,
      /^\t\tip saddr @cluster_preflight_control_plane_nodes_v4 tcp dport 10250 accept comment "kubelet 10250\/TCP"$/m,
    );
    assert.doesNotMatch(node, /For the control-plane nodes/);
    await vscode.window.showTextDocument(inventory, { preview: false, viewColumn: vscode.ViewColumn.One });
    const cluster = await pickFirst('clusterPreflight.generateFirewallRules');
    assert.match(cluster, /^# For the control-plane nodes: cp-1$/m);
    assert.match(cluster, /^# For the workers: w-1, w-2$/m);
  });

  test('editing the inventory updates its diagnostics', async () => {
    await waitForDiagnostics(inventory.uri, isBaseline, 'the fixture inventory diagnostics');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(inventory.uri, valueRange(inventory, 'hostname: ', 'w-2'), 'W-2');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(inventory.getText().includes('hostname: W-2'));

    const diagnostics = await waitForDiagnostics(
      inventory.uri,
      (ds) => ds.some((d) => codeOf(d) === 'invalid-hostname'),
      'invalid-hostname after uppercasing w-2',
    );
    assertDiagnostics(inventory, diagnostics, [
      ...INVENTORY_BASELINE.map((e) =>
        e.code === 'duplicate-mac' ? { ...e, message: /^MAC address 52:54:00:00:01:01 is on 2 nodes \("w-1", "W-2"\)/ } : e,
      ),
      {
        range: '27:16-27:19',
        severity: 'error',
        code: 'invalid-hostname',
        target: NAMES_DOCS,
        message: /^Hostname "W-2" is not a valid node name: it has uppercase letters/,
      },
    ]);
  });

  test('leaves unrelated YAML alone', async () => {
    const ci = await open(UNRELATED);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      ci.uri,
      rangeOf(ci, '6443').start,
    );
    assert.ok(
      !hoverText(hovers ?? []).includes('kubernetes.io'),
      `no Cluster Preflight hover in ${UNRELATED}:\n${hoverText(hovers ?? [])}`,
    );

    // The server saw ci.yaml open before this edit: once the inventory's new diagnostics are in,
    // any diagnostics for ci.yaml would have been published too.
    await open(INVENTORY);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(inventory.uri, valueRange(inventory, 'hostname: ', 'cp-1'), 'CP-1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(
      inventory.uri,
      (ds) => ds.some((d) => codeOf(d) === 'invalid-hostname' && d.message.includes('"CP-1"')),
      'invalid-hostname after uppercasing cp-1',
    );
    assert.deepEqual(
      ours(ci.uri),
      [],
      `${UNRELATED} must get no cluster-preflight diagnostics:\n${describeDiagnostics(ours(ci.uri))}`,
    );
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      ci.uri,
      rangeOf(ci, 'Not_A_Valid_Hostname'),
    );
    assert.deepEqual(
      (actions ?? []).map((a) => a.title).filter((t) => /firewall|port rule/i.test(t)),
      [],
    );
  });
});

/** The range of `value` where it follows `key` (`hostname: ` + `w-2`), not in a comment. */
function valueRange(document: vscode.TextDocument, key: string, value: string): vscode.Range {
  const whole = rangeOf(document, key + value);
  return new vscode.Range(whole.start.translate(0, key.length), whole.end);
}

function shiftLines(range: string, by: number): string {
  return range.replace(/^(\d+):(\d+)-(\d+):(\d+)$/, (_, l1, c1, l2, c2) => `${Number(l1) + by}:${c1}-${Number(l2) + by}:${c2}`);
}

/**
 * Under test/e2e/runCodeServer.ts: leave the inventory open with its squiggles and the Problems
 * panel showing, tell the runner (a file in CLUSTER_PREFLIGHT_E2E_HANDSHAKE) and wait until it has
 * taken its screenshot. A no-op elsewhere.
 */
async function leaveWorkbenchForScreenshot(): Promise<void> {
  const dir = process.env.CLUSTER_PREFLIGHT_E2E_HANDSHAKE;
  if (!dir || !inventory) return;
  try {
    await revert(inventory);
    const cursor = rangeOf(inventory, 'hostname: cp-1').start;
    await vscode.window.showTextDocument(inventory, { preview: false, selection: new vscode.Range(cursor, cursor) });
    await waitForDiagnostics(inventory.uri, isBaseline, 'the fixture inventory diagnostics (for the screenshot)');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  } catch (error) {
    console.error(`[e2e] could not arrange the workbench for the screenshot: ${error}`);
  }
  await screenshot('vscode-workbench');
}

/**
 * Under test/e2e/runCodeServer.ts: asks the runner for test-output/<name>.png of the workbench as
 * it is now and waits (event-driven, bounded) until it is taken. A no-op elsewhere.
 */
async function screenshot(name: string): Promise<void> {
  const dir = process.env.CLUSTER_PREFLIGHT_E2E_HANDSHAKE;
  if (!dir) return;
  const done = path.join(dir, 'done');
  fs.rmSync(done, { force: true });
  await new Promise<void>((resolve) => {
    const watcher = fs.watch(dir, () => {
      if (fs.existsSync(done)) finish();
    });
    const timer = setTimeout(finish, 30_000);
    function finish() {
      watcher.close();
      clearTimeout(timer);
      resolve();
    }
    fs.writeFileSync(path.join(dir, 'ready'), name);
    if (fs.existsSync(done)) finish();
  });
  fs.rmSync(done, { force: true });
}

/** Polls `read` until `done` holds (bounded); for what has no event of its own (a webview's page). */
async function poll<T>(
  read: () => Thenable<T> | Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeout = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 500)}`);
}
