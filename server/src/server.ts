/**
 * The Cluster Preflight language server. Transport from the command line: --stdio (any
 * LSP editor), --node-ipc (the VS Code client) or --socket=<port>.
 */
import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './lsp/languageServer';
import { serveItemParsing } from './lsp/parserWorker';
import { silenceYamlDebugOutput } from './node/environment';

// Standard output is the protocol (--stdio): the yaml library's debug output must not reach it.
silenceYamlDebugOutput();
if (isMainThread) {
  const connection = createConnection(ProposedFeatures.all);
  // The server must never take the editor down with it: log and keep serving.
  process.on('uncaughtException', (error) => connection.console.error(`[cluster-preflight] uncaught: ${error.stack ?? error}`));
  process.on('unhandledRejection', (error) =>
    connection.console.error(`[cluster-preflight] unhandled rejection: ${(error as Error)?.stack ?? error}`),
  );
  // This same bundle runs the parser worker thread (the else branch).
  startLanguageServer(connection, __filename);
} else {
  serveItemParsing();
}
