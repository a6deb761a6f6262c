/**
 * The VS Code side of Cluster Preflight: starts the language server (dist/server.js) over
 * Node IPC for YAML and INI documents and passes settings through. All checking happens in the
 * server, so other editors get the same results over stdio. The client adds what only VS Code
 * has: a status-bar item, commands, and the output channel.
 */
import { randomBytes } from 'node:crypto';
import {
  commands,
  env,
  languages,
  Position,
  Range,
  Selection,
  ViewColumn,
  type WebviewPanel,
  StatusBarAlignment,
  ThemeColor,
  Uri,
  window,
  workspace,
  type ExtensionContext,
  type StatusBarItem,
} from 'vscode';
import { allowedTargets, revealTarget, type RevealTarget } from './mapReveal';
import {
  copyRulesRequest,
  FIREWALL_FORMATS_REQUEST,
  FIREWALL_REQUEST,
  type FirewallFormatInfo,
  type FirewallRequestParams,
  type FirewallResponse,
} from './firewallRequest';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let status: StatusBarItem | undefined;

const SOURCE = 'cluster-preflight';

function showState(text: string, tooltip: string, error = false): void {
  if (!status) return;
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const output = window.createOutputChannel('Cluster Preflight', { log: true });
  const clientOptions: LanguageClientOptions = {
    // The server decides by content (apiVersion/kind, Kubespray's groups) which files are ours;
    // INI files matter only as Ansible inventories.
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'ini' },
      // Terraform by pattern: the language id depends on which Terraform extension is installed (terraform, hcl, none).
      { scheme: 'file', pattern: '**/*.{tf,tfvars}' },
    ],
    initializationOptions: {
      validationDelay: workspace.getConfiguration('clusterPreflight').get<number>('validationDelay'),
      maxFileSize: workspace.getConfiguration('clusterPreflight').get<string>('maxFileSize'),
      rules: workspace.getConfiguration('clusterPreflight').get<Record<string, string>>('rules'),
    },
    synchronize: { configurationSection: 'clusterPreflight' },
    outputChannel: output,
  };
  client = new LanguageClient('clusterPreflight', 'Cluster Preflight', serverOptions, clientOptions);

  status = window.createStatusBarItem('clusterPreflight.status', StatusBarAlignment.Right, 100);
  status.name = 'Cluster Preflight';
  status.command = 'clusterPreflight.showOutput';
  showState('$(sync~spin) Cluster Preflight', 'Cluster Preflight: starting the language server');
  client.onDidChangeState(({ newState }) => {
    if (newState === State.Running)
      showState('$(check) Cluster Preflight', 'Cluster Preflight: checking YAML and INI files. Click for its output.');
    else if (newState === State.Starting)
      showState('$(sync~spin) Cluster Preflight', 'Cluster Preflight: starting the language server');
    else showState('$(error) Cluster Preflight', 'Cluster Preflight: the language server stopped. Click for its output.', true);
  });

  context.subscriptions.push(
    status,
    output,
    commands.registerCommand('clusterPreflight.showOutput', () => output.show(true)),
    commands.registerCommand('clusterPreflight.restartServer', async () => {
      showState('$(sync~spin) Cluster Preflight', 'Cluster Preflight: restarting the language server');
      await client?.restart();
    }),
    commands.registerCommand('clusterPreflight.openRuleDocumentation', async () => {
      const editor = window.activeTextEditor;
      const here = editor?.selection.active;
      const diagnostic =
        editor && here
          ? languages.getDiagnostics(editor.document.uri).find((d) => d.source === SOURCE && d.range.contains(here))
          : undefined;
      const code = diagnostic?.code;
      const target = typeof code === 'object' && code !== null ? code.target : undefined;
      if (!target) {
        void window.showInformationMessage('Cluster Preflight: no Cluster Preflight diagnostic under the cursor.');
        return;
      }
      await env.openExternal(Uri.parse(target.toString()));
    }),
    commands.registerCommand('clusterPreflight.showClusterMap', (uri?: string) => showClusterMap(context, uri)),
    commands.registerCommand('clusterPreflight.generateFirewallRules', (uri?: unknown, node?: unknown) =>
      generateFirewallRules(uri, node),
    ),
    // For the end-to-end tests: what the map's page shows, and a click on one of its cells.
    commands.registerCommand('clusterPreflight.internal.clusterMapState', () => map?.state),
    // For the end-to-end tests: a click on a node's "Copy rules", and what the last copy asked for and got.
    commands.registerCommand('clusterPreflight.internal.clusterMapCopy', (node: string) =>
      map?.panel.webview.postMessage({ type: 'clickCopy', node }),
    ),
    commands.registerCommand('clusterPreflight.internal.lastCopiedRules', () => lastCopy),
    commands.registerCommand('clusterPreflight.internal.clusterMapClick', (node: string, column: number) =>
      map?.panel.webview.postMessage({ type: 'click', node, column }),
    ),
    { dispose: () => void deactivate() },
  );
  try {
    await client.start();
  } catch (error) {
    const message = `Cluster Preflight could not start its language server (${module}): ${(error as Error).message}`;
    client.outputChannel.appendLine(message);
    showState('$(error) Cluster Preflight', message, true);
    void window.showErrorMessage(message, 'Show Output').then((choice) => choice && client?.outputChannel.show());
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}

interface MapView {
  panel: WebviewPanel;
  uri: string;
  /** What the page reported it shows: the port columns, and per node its cells' statuses. */
  state?: { columns: string[]; rows: Array<{ node: string; cells: string[] }> };
  /** The places the map on the page links to: a reveal message may name only these. */
  allowed: Set<string>;
  /** The cluster shown. */
  cluster?: string;
  /** The nodes the map drew: a "copyRules" message may name only these. */
  nodeNames: Set<string>;
}

interface MapResult {
  cluster: string;
  nodes?: number;
  ours?: boolean;
  html: string;
  body: string;
  targets?: RevealTarget[];
  nodeNames?: string[];
}

let map: MapView | undefined;

/** Opens (or focuses) the cluster map of the active file's cluster beside the editor; it follows every change. */
async function showClusterMap(context: ExtensionContext, target?: string): Promise<void> {
  const uri = target ?? window.activeTextEditor?.document.uri.toString();
  if (!client || !uri) {
    void window.showInformationMessage('Cluster Preflight: open a file of a cluster to see its map.');
    return;
  }
  if (map) {
    map.uri = uri;
    map.panel.reveal(ViewColumn.Beside, true);
  } else {
    const panel = window.createWebviewPanel(
      'clusterPreflight.map',
      'Cluster map',
      { viewColumn: ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [],
      },
    );
    map = { panel, uri, allowed: new Set(), nodeNames: new Set() };
    const view = map;
    panel.onDidDispose(() => (map = undefined), undefined, context.subscriptions);
    panel.webview.onDidReceiveMessage(async (message: { type?: unknown; state?: MapView['state'] }) => {
      if (message?.type === 'state') view.state = message.state;
      // The page is not trusted either way: only a format the server offers, for a node or role the map drew.
      if (message?.type === 'copyRules') {
        const copy = copyRulesRequest(message, new Set((await firewallFormats()).map((f) => f.id)), view.nodeNames);
        if (copy) await copyRules(view.uri, copy);
      }
      // The page is not trusted: only a place its map drew is opened.
      const target = revealTarget(view.allowed, message);
      if (target) {
        const position = new Position(target.line, target.character);
        const document = await workspace.openTextDocument(Uri.parse(target.uri, true));
        await window.showTextDocument(document, { viewColumn: ViewColumn.One, selection: new Selection(position, position) });
        window.activeTextEditor?.revealRange(new Range(position, position));
      }
    });
    // Live: the map is asked for again whenever our diagnostics change (the cluster was re-checked).
    let timer: NodeJS.Timeout | undefined;
    const changes = languages.onDidChangeDiagnostics(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void refresh(view), 200);
    });
    panel.onDidDispose(() => changes.dispose());
    // The map follows the active editor to another cluster's file (after the user settles on it);
    // a file that is not a cluster's keeps the last map on screen.
    let followTimer: NodeJS.Timeout | undefined;
    const follow = window.onDidChangeActiveTextEditor((editor) => {
      if (followTimer) clearTimeout(followTimer);
      const document = editor?.document;
      if (
        !document ||
        !['file', 'untitled'].includes(document.uri.scheme) ||
        !(['yaml', 'ini'].includes(document.languageId) || /\.(tf|tfvars)$/i.test(document.uri.path))
      )
        return;
      const next = document.uri.toString();
      followTimer = setTimeout(() => void followEditor(view, next), 300);
    });
    panel.onDidDispose(() => {
      if (followTimer) clearTimeout(followTimer);
      follow.dispose();
    });
  }
  const nonce = randomBytes(16).toString('base64');
  const result = await client.sendRequest<MapResult | null>('clusterPreflight/clusterMap', { uri, nonce });
  // The page carries a strict CSP: nothing but its own nonce'd style and script.
  if (map && result) {
    map.cluster = result.cluster;
    map.allowed = allowedTargets(result.targets);
    map.nodeNames = new Set(result.nodeNames ?? []);
    map.panel.webview.html = result.html;
  }
}

async function refresh(view: MapView): Promise<void> {
  if (!client || map !== view) return;
  const result = await client.sendRequest<MapResult | null>('clusterPreflight/clusterMap', { uri: view.uri });
  if (result && map === view) {
    view.allowed = allowedTargets(result.targets);
    view.nodeNames = new Set(result.nodeNames ?? []);
    void view.panel.webview.postMessage({ type: 'update', body: result.body });
  }
}

/** Shows the map of the cluster `uri` belongs to, unless it is the one shown or `uri` is not a file of ours in a cluster with nodes. */
async function followEditor(view: MapView, uri: string): Promise<void> {
  if (!client || map !== view || view.uri === uri) return;
  const result = await client.sendRequest<MapResult | null>('clusterPreflight/clusterMap', { uri });
  if (!result || !result.ours || !result.nodes || map !== view) return;
  view.uri = uri;
  if (result.cluster === view.cluster) return;
  view.cluster = result.cluster;
  view.allowed = allowedTargets(result.targets);
  view.nodeNames = new Set(result.nodeNames ?? []);
  void view.panel.webview.postMessage({ type: 'update', body: result.body });
}

let formats: FirewallFormatInfo[] | undefined;

/** The formats the server writes (asked once). */
async function firewallFormats(): Promise<FirewallFormatInfo[]> {
  if (!formats && client) formats = await client.sendRequest<FirewallFormatInfo[]>(FIREWALL_FORMATS_REQUEST);
  return formats ?? [];
}

/**
 * "Generate Firewall Rules": the rules of the active file's cluster (or of one node, from the
 * code action), in a format picked from the server's list, opened as an untitled document.
 */
async function generateFirewallRules(target?: unknown, node?: unknown): Promise<void> {
  // From the palette there are no arguments; from the code action, the file and the node's name.
  const uri = typeof target === 'string' ? target : window.activeTextEditor?.document.uri.toString();
  const name = typeof node === 'string' ? node : undefined;
  if (!client || !uri) {
    void window.showInformationMessage('Cluster Preflight: open a file of a cluster to generate its firewall rules.');
    return;
  }
  const picked = await window.showQuickPick(
    (await firewallFormats()).map((f) => ({ label: f.label, description: f.description, id: f.id })),
    { title: name ? `Firewall rules for ${name}` : 'Firewall rules for the cluster', placeHolder: 'Format' },
  );
  if (!picked) return;
  const params: FirewallRequestParams = { uri, format: picked.id, ...(name !== undefined ? { node: name } : {}) };
  const result = await client.sendRequest<FirewallResponse | null>(FIREWALL_REQUEST, params);
  if (!result?.text) {
    void window.showWarningMessage(
      `Cluster Preflight: no firewall rules (${result?.error ?? 'the server could not generate them'}).`,
    );
    return;
  }
  let document;
  try {
    document = await workspace.openTextDocument({ content: result.text, language: result.language });
  } catch {
    // A language no installed extension provides (terraform): the text still opens.
    document = await workspace.openTextDocument({ content: result.text, language: 'plaintext' });
  }
  await window.showTextDocument(document, { preview: false });
}

/** The map's "Copy rules": one node's or one role's rules to the clipboard. */
/** What the map's last "Copy rules" asked for and the text it copied. */
let lastCopy: { format: string; node?: string; role?: string; text: string } | undefined;

async function copyRules(uri: string, what: { format: string; node?: string; role?: string }): Promise<void> {
  if (!client) return;
  const result = await client.sendRequest<FirewallResponse | null>(FIREWALL_REQUEST, { uri, ...what });
  if (!result?.text) {
    void window.showWarningMessage(
      `Cluster Preflight: no firewall rules (${result?.error ?? 'the server could not generate them'}).`,
    );
    return;
  }
  lastCopy = { ...what, text: result.text };
  try {
    await env.clipboard.writeText(result.text);
  } catch (error) {
    void window.showErrorMessage(`Cluster Preflight: could not copy the rules (${(error as Error).message}).`);
    return;
  }
  void window.showInformationMessage(
    `Cluster Preflight: copied the ${what.format} rules for ${what.node ?? `the ${what.role} nodes`}.`,
  );
}
