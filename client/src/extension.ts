/**
 * The VS Code side of Cluster Preflight: starts the language server (dist/server.js) over
 * Node IPC for YAML documents and passes settings through. All checking happens in the
 * server, so other editors get the same results over stdio.
 */
import { window, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
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
    },
    synchronize: { configurationSection: 'clusterPreflight' },
  };
  client = new LanguageClient('clusterPreflight', 'Cluster Preflight', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void deactivate() });
  try {
    await client.start();
  } catch (error) {
    const message = `Cluster Preflight could not start its language server (${module}): ${(error as Error).message}`;
    client.outputChannel.appendLine(message);
    void window.showErrorMessage(message, 'Show Output').then((choice) => choice && client?.outputChannel.show());
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}
