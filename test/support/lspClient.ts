import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const REPO = resolve(__dirname, '../../..');

export interface LspClientOptions {
  /** Answers to workspace/configuration requests, by section. */
  configuration?: Record<string, unknown>;
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Array<{
    range: any;
    severity: number;
    code: string;
    source: string;
    message: string;
    codeDescription?: { href: string };
    data?: unknown;
    relatedInformation?: any[];
  }>;
}

/** A real LSP client over a server's stdio, recording every publishDiagnostics (tests and the benchmark). */
export class LspClient {
  readonly connection: MessageConnection;
  readonly published: PublishedDiagnostics[] = [];
  private waiters: Array<() => void> = [];
  stderr = '';

  private constructor(
    readonly process: ChildProcess,
    options: LspClientOptions = {},
  ) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', (chunk) => (this.stderr += chunk));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.push(params);
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((item) => (item.section ? (options.configuration?.[item.section] ?? null) : null)),
    );
    this.connection.listen();
  }

  static start(
    command = process.execPath,
    args = [resolve(REPO, 'dist/server.js'), '--stdio'],
    options: LspClientOptions = {},
  ): LspClient {
    return new LspClient(spawn(command, args, { cwd: REPO, stdio: 'pipe' }), options);
  }

  async initialize(
    rootUri: string | null,
    initializationOptions: object = { validationDelay: 0 },
    capabilities: object = {},
  ): Promise<any> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'fixture' }] : null,
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown'] },
        },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        ...capabilities,
      },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: object[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /** The first diagnostics published for `uri` (at `version`, when given) satisfying `predicate`. */
  waitFor(
    uri: string,
    predicate: (p: PublishedDiagnostics) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishedDiagnostics> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const found = this.published.find((p) => p.uri === uri && predicate(p));
        if (found) {
          clearTimeout(timer);
          resolvePromise(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching diagnostics for ${uri}; got ${JSON.stringify(this.published.filter((p) => p.uri === uri).map((p) => [p.version, p.diagnostics.map((d) => d.code)]))}\n${this.stderr}`,
            ),
          ),
        timeoutMs,
      );
      const loop = () => {
        if (!check()) this.waiters.push(loop);
      };
      loop();
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}
