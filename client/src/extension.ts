/**
 * The VS Code side of Cluster Preflight: starts the language server (dist/server.js) over
 * Node IPC for YAML and INI documents and passes settings through. All checking happens in the
 * server, so other editors get the same results over stdio. The client adds what only VS Code
 * has: a status-bar item, commands, and the output channel.
 */
import {
  commands,
  env,
  languages,
  StatusBarAlignment,
  ThemeColor,
  Uri,
  window,
  workspace,
  type ExtensionContext,
  type StatusBarItem,
} from 'vscode';
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
