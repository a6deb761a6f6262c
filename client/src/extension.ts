/**
 * The VS Code side of Cluster Preflight: starts the language server (dist/server.js) over
 * Node IPC for YAML documents and passes settings through. All checking happens in the
 * server, so other editors get the same results over stdio.
 */
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The server decides by content (apiVersion/kind) which YAML files are ours.
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    initializationOptions: {
      validationDelay: workspace.getConfiguration('clusterPreflight').get<number>('validationDelay'),
    },
    synchronize: { configurationSection: 'clusterPreflight' },
  };
  client = new LanguageClient('clusterPreflight', 'Cluster Preflight', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
