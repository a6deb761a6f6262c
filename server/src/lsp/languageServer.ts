import { dirname } from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DidChangeWatchedFilesNotification,
  InsertTextFormat,
  InsertTextMode,
  ResponseError,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { codeActions, fixAll } from '../engine/features/codeActions';
import { clusterMapData, clusterMapTargets } from '../engine/features/clusterMap';
import { clusterMapBody, clusterMapHtml } from '../engine/features/clusterMapHtml';
import { completions } from '../engine/features/completion';
import { definition, prepareRename, references, rename } from '../engine/features/references';
import { documentSymbols, workspaceSymbols, type DocumentSymbolData } from '../engine/features/symbols';
import { hover } from '../engine/features/hover';
import type { SourceFile } from '../engine/analysis/sourceFile';
import { warmUpValidators } from '../engine/schema/registry';
import { Workspace } from '../engine/analysis/workspace';
import { VERSION } from '../version';
import { toDiagnostic } from './convert';
import { parseSize } from '../node/files';
import { configFilesAbove, configRootOf } from '../node/projectRoot';
import { listYamlFiles, readForIndex, type IndexedFile } from './indexer';
import { loadTerraformParser } from '../node/terraformGrammar';
import { ParserThreadPool } from './parserWorker';
import { normalizeUri, uriToPath } from './uris';
import { isWithin } from '../engine/core/uris';
import { isConfigFile, ruleLevelsOf } from '../engine/analysis/ruleControl';
import { FIREWALL_FORMATS, firewallFormat } from '../engine/features/firewall/formats';
import { allowFromProblem, generateFirewall } from '../engine/features/firewall/generate';
import { nodeAtPosition } from '../engine/features/firewall/nodeAt';
import { ROLES, type Role } from '../engine/knowledge/ports';

/** Longest stretch of analysis work before other messages (hover, the next keystroke) get a turn. */
const SLICE_MS = 12;
/** The code action kind of "fix everything safe in this file" (editor.codeActionsOnSave). */
const FIX_ALL = `${CodeActionKind.SourceFixAll}.cluster-preflight`;

/** What the firewall request takes: the CLI's `firewall` options, for the cluster of `uri`. */
interface FirewallRequest {
  uri: string;
  format?: unknown;
  node?: unknown;
  role?: unknown;
  peers?: unknown;
  allowFrom?: unknown;
  essentialOnly?: unknown;
}

/** The rules as text in the format's language, or why none were written. */
interface FirewallResponse {
  text?: string;
  language?: string;
  format?: string;
  error?: string;
}

const SYMBOL_KIND: Record<DocumentSymbolData['kind'], SymbolKind> = {
  node: SymbolKind.Class,
  host: SymbolKind.Class,
  interface: SymbolKind.Interface,
  rule: SymbolKind.Property,
  listener: SymbolKind.Event,
  document: SymbolKind.Module,
  group: SymbolKind.Namespace,
  setting: SymbolKind.Field,
  service: SymbolKind.Object,
};

function toDocumentSymbol(symbol: DocumentSymbolData): DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail,
    kind: SYMBOL_KIND[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children?.map(toDocumentSymbol),
  };
}
const DEFAULT_VALIDATION_DELAY_MS = 150;

interface Settings {
  validationDelay: number;
  /** Rule levels that win over the projects' (the editor's clusterPreflight.rules). */
  rules?: Record<string, unknown>;
  /** Bytes, or a size such as "10MB". */
  maxFileSize?: number | string;
}

/**
 * The LSP side of Cluster Preflight: keeps the workspace in sync with the editor (incremental
 * edits go straight to the engine so that a keystroke re-parses only what it touched),
 * analyses in small slices, and publishes diagnostics for every file whose cluster changed,
 * open or not.
 */
export function startLanguageServer(connection: Connection, workerScript?: string): void {
  const log = (message: string) => connection.console.log(`[cluster-preflight] ${message}`);
  const workspace = new Workspace({ log: (message) => connection.console.error(`[cluster-preflight] ${message}`) });
  // Started before the client's initialize arrives, so that they are warm by the first document.
  const parserPool = workerScript ? new ParserThreadPool(workerScript, log) : undefined;
  // Terraform files wait for the HCL parser (WebAssembly) in their analysis; loading starts now.
  void loadTerraformParser((message) => connection.console.error(`[cluster-preflight] ${message}`));
  const open = new Set<string>();
  /** The editor's own spelling of each URI, for publishing back. */
  const clientUris = new Map<string, string>();
  const published = new Map<string, string>();
  const dirtyFiles = new Set<string>();
  /** Workspace folders whose files are still being read: their files' first diagnostics wait for the rest of their cluster. */
  const indexing = new Set<string>();
  let settings: Settings = { validationDelay: DEFAULT_VALIDATION_DELAY_MS };
  let relatedInformation = true;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let rerun = false;
  /** A file analysed since the last publish changed the cluster layout: every file may report differently. */
  let layoutChanged = false;
  let folders: string[] = [];
  let folderEvents = false;
  let renameFileSupport = false;
  /** Set when a folder has been read: the clusters are logged once the next analysis is done. */
  let clustersToLog = false;

  const clientUri = (uri: string) => clientUris.get(uri) ?? uri;
  /** LSP: a request before `initialize` is answered -32002 (ServerNotInitialized), one after `shutdown` InvalidRequest; vscode-languageserver answers them. */
  let lifecycle: 'starting' | 'running' | 'shut down' = 'starting';
  const checkLifecycle = () => {
    if (lifecycle === 'starting') throw new ResponseError(-32002, 'The server is not initialized yet.');
    if (lifecycle === 'shut down') throw new ResponseError(-32600, 'The server has been shut down.');
  };
  const NOTIFICATIONS = new Set(['didOpen', 'didChange', 'didClose', 'didChangeWatchedFiles']);
  const guard =
    <A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R) =>
    (...args: A): R => {
      // Notifications outside the running state are dropped, as LSP says.
      if (NOTIFICATIONS.has(name) && lifecycle !== 'running') return fallback;
      if (!NOTIFICATIONS.has(name)) checkLifecycle();
      try {
        return fn(...args);
      } catch (error) {
        connection.console.error(`[cluster-preflight] ${name} failed: ${(error as Error).stack ?? error}`);
        return fallback;
      }
    };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    lifecycle = 'running';
    log(`Cluster Preflight ${VERSION} language server, Node ${process.version}`);
    const options = params.initializationOptions as Partial<Settings> | undefined;
    if (typeof options?.validationDelay === 'number') settings.validationDelay = Math.max(0, options.validationDelay);
    applyMaxFileSize(options?.maxFileSize);
    workspace.setRuleOverrides(ruleLevelsOf(options?.rules));
    relatedInformation = params.capabilities.textDocument?.publishDiagnostics?.relatedInformation !== false;
    folderEvents = params.capabilities.workspace?.workspaceFolders === true;
    renameFileSupport = params.capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('rename') === true;
    folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : [])).map((f) =>
      normalizeUri(f.uri),
    );
    workspace.setRoots(folders);
    workspace.setConfigRoots(configRootsOf(folders));
    // Read from disk after `initialized`; until then their files publish nothing.
    for (const folder of folders) indexing.add(folder);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL] },
        completionProvider: { triggerCharacters: [' ', '[', ',', ':'] },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        referencesProvider: true,
        definitionProvider: true,
        renameProvider: { prepareProvider: true },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'cluster-preflight', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    try {
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,ini,tf,tfvars}' }],
      });
    } catch {
      log('the client does not watch files for us; closed files are indexed at start-up only');
    }
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        folders = folders.filter((f) => !event.removed.some((r) => normalizeUri(r.uri) === f));
        folders.push(...event.added.map((a) => normalizeUri(a.uri)));
        workspace.setRoots(folders);
        workspace.setConfigRoots(configRootsOf(folders));
        for (const added of event.added) indexing.add(normalizeUri(added.uri));
        void indexFolders(event.added.map((a) => normalizeUri(a.uri)));
      });
    }
    void indexFolders(folders);
  });

  /** Each folder's repository root (the nearest directory with .git), else the folder itself. */
  function configRootsOf(uris: readonly string[]): string[] {
    return uris.map((uri) => {
      const path = uriToPath(uri);
      return path ? pathToFileURL(configRootOf(path, path)).href + '/' : uri;
    });
  }

  async function indexFolders(roots: string[]): Promise<void> {
    const started = Date.now();
    let count = 0;
    for (const root of roots) {
      const path = uriToPath(root);
      try {
        // The project configs above the folder, up to its repository's root, apply as they do in the CLI.
        const above = path ? configFilesAbove(dirname(path), configRootOf(path, path)) : [];
        for (const file of [...above, ...(path ? await listYamlFiles(path) : [])]) {
          const indexed = await readForIndex(file, workspace.maxFileSize);
          if (!indexed || open.has(indexed.uri)) continue;
          setFromDisk(indexed);
          markDirty(indexed.uri);
          count++;
        }
      } finally {
        indexing.delete(root);
      }
    }
    log(`indexed ${count} YAML and INI files in ${Date.now() - started} ms`);
    clustersToLog = true;
    schedule(0);
  }

  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as { clusterPreflight?: Partial<Settings> } | undefined)?.clusterPreflight;
    if (typeof section?.validationDelay === 'number')
      settings = { ...settings, validationDelay: Math.max(0, section.validationDelay) };
    if (section && 'rules' in section) {
      workspace.setRuleOverrides(ruleLevelsOf(section.rules));
      for (const file of workspace.allFiles()) markDirty(file.uri);
      schedule(0);
    }
    if (applyMaxFileSize(section?.maxFileSize)) {
      // Closed files read only in part are read again under the new limit.
      for (const file of workspace.allFiles()) if (!open.has(file.uri) && file.partial) void reloadFromDisk(file.uri);
      for (const file of workspace.allFiles()) markDirty(file.uri);
      schedule(0);
    }
  });

  connection.onDidOpenTextDocument(
    guard('didOpen', undefined, ({ textDocument }) => {
      const uri = normalizeUri(textDocument.uri);
      clientUris.set(uri, textDocument.uri);
      open.add(uri);
      workspace.setText(uri, textDocument.text, textDocument.version);
      markDirty(uri);
      schedule(0);
    }),
  );

  connection.onDidChangeTextDocument(
    guard('didChange', undefined, ({ textDocument, contentChanges }) => {
      const uri = normalizeUri(textDocument.uri);
      const generation = workspace.layoutGeneration;
      workspace.applyChanges(uri, contentChanges, textDocument.version);
      // An edit applied in place may have regrouped the clusters (a host a kubeadm file names was renamed).
      if (workspace.layoutGeneration !== generation) layoutChanged = true;
      markDirty(uri);
      schedule(settings.validationDelay);
    }),
  );

  connection.onDidCloseTextDocument(
    guard('didClose', undefined, ({ textDocument }) => {
      const uri = normalizeUri(textDocument.uri);
      open.delete(uri);
      // Closed files keep their diagnostics, from what is on disk: they still belong to a cluster.
      void reloadFromDisk(uri);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', undefined, ({ changes }) => {
      for (const change of changes) {
        const uri = normalizeUri(change.uri);
        if (open.has(uri)) continue;
        if (change.type === FileChangeType.Deleted) {
          markDirty(uri);
          workspace.remove(uri);
          clearDiagnostics(uri);
        } else {
          void reloadFromDisk(uri);
        }
      }
    }),
  );

  /** Takes a new size limit; true when it changed. */
  function applyMaxFileSize(value: number | string | undefined): boolean {
    if (value === undefined || value === null) return false;
    const bytes = typeof value === 'number' ? Math.round(value) : parseSize(value);
    if (bytes === undefined || bytes <= 0) {
      log(`clusterPreflight.maxFileSize "${value}" is not a size such as 10MB; keeping ${workspace.maxFileSize} bytes`);
      return false;
    }
    const changed = bytes !== workspace.maxFileSize;
    workspace.setMaxFileSize(bytes);
    return changed;
  }

  function setFromDisk(indexed: IndexedFile): void {
    if (indexed.size === undefined) workspace.setText(indexed.uri, indexed.text);
    else workspace.setOversized(indexed.uri, indexed.text, indexed.size);
  }

  async function reloadFromDisk(uri: string): Promise<void> {
    const path = uriToPath(uri);
    const indexed = path && (await readForIndex(path, workspace.maxFileSize));
    if (open.has(uri)) return;
    if (indexed) {
      setFromDisk(indexed);
      markDirty(uri);
    } else {
      markDirty(uri);
      workspace.remove(uri);
      clearDiagnostics(uri);
    }
    schedule(settings.validationDelay);
  }

  connection.onHover(
    guard('hover', null, ({ textDocument, position }) => {
      const result = hover(workspace, normalizeUri(textDocument.uri), position);
      return result ? { contents: { kind: 'markdown', value: result.markdown }, range: result.range } : null;
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], ({ textDocument, range, context }) => {
      const uri = normalizeUri(textDocument.uri);
      const file = workspace.file(uri);
      const only = context.only;
      // Fix-all (on save, or from the Source Action menu) is asked for explicitly: analyse first.
      if (file && only?.some((kind) => FIX_ALL.startsWith(kind) && kind !== CodeActionKind.Empty)) {
        const edits = fixAll(workspace, uri, (message) => connection.console.error(`[cluster-preflight] ${message}`));
        return edits.length
          ? [{ title: 'Fix all Cluster Preflight problems', kind: FIX_ALL, edit: { changes: { [textDocument.uri]: edits } } }]
          : [];
      }
      // Editors ask on every cursor move; while an analysis is pending there are no current
      // diagnostics to fix, and analysing here would block the editor on a large file.
      if (!file || file.needsAnalysis) return [];
      const fixes: CodeAction[] = codeActions(workspace, uri, context.diagnostics, (message) =>
        connection.console.error(`[cluster-preflight] ${message}`),
      ).map((action) => ({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: action.isPreferred,
        diagnostics: action.diagnostics,
        edit: { changes: { [textDocument.uri]: action.edits } },
      }));
      // On a node's entry: its firewall in a format the client asks for (a command: no edit of the file).
      const node = nodeAtPosition(workspace, uri, range.start);
      if (node !== undefined && !only)
        fixes.push({
          title: 'Generate firewall rules for this node…',
          command: {
            title: 'Generate firewall rules for this node…',
            command: 'clusterPreflight.generateFirewallRules',
            arguments: [textDocument.uri, node],
          },
        });
      return fixes;
    }),
  );

  connection.onCompletion(
    guard('completion', null, ({ textDocument, position }) => {
      const result = completions(workspace, normalizeUri(textDocument.uri), position);
      if (!result) return null;
      return {
        isIncomplete: false,
        items: result.items.map((item): CompletionItem => ({
          label: item.label,
          kind:
            item.kind === 'property'
              ? CompletionItemKind.Property
              : item.kind === 'snippet'
                ? CompletionItemKind.Snippet
                : item.kind === 'reference'
                  ? CompletionItemKind.Reference
                  : CompletionItemKind.Value,
          detail: item.detail,
          documentation: item.documentation ? { kind: 'markdown', value: item.documentation } : undefined,
          sortText: item.sortText ? `${item.sortText}${item.label}` : `1${item.label}`,
          filterText: item.label.split(' ')[0],
          insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          // Every multi-line item carries the document's own indentation on its later lines; without
          // asIs, VS Code adds the cursor line's indentation again and the YAML breaks.
          insertTextMode: (item.insertText ?? item.label).includes('\n') ? InsertTextMode.asIs : undefined,
          textEdit: { range: result.range, newText: item.insertText ?? item.label },
        })),
      };
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], ({ textDocument }) =>
      documentSymbols(workspace, normalizeUri(textDocument.uri)).map(toDocumentSymbol),
    ),
  );

  connection.onWorkspaceSymbol(
    guard('workspaceSymbol', [], ({ query }) =>
      workspaceSymbols(workspace, query).map((s) => ({
        name: s.name,
        containerName: s.detail,
        kind: SYMBOL_KIND[s.kind],
        location: { uri: clientUri(s.uri), range: s.range },
      })),
    ),
  );

  connection.onReferences(
    guard('references', [], ({ textDocument, position }) =>
      references(workspace, normalizeUri(textDocument.uri), position).map((l) => ({ uri: clientUri(l.uri), range: l.range })),
    ),
  );

  connection.onDefinition(
    guard('definition', [], ({ textDocument, position }) =>
      definition(workspace, normalizeUri(textDocument.uri), position).map((l) => ({ uri: clientUri(l.uri), range: l.range })),
    ),
  );

  connection.onPrepareRename(({ textDocument, position }) => {
    checkLifecycle();
    const result = prepareRename(workspace, normalizeUri(textDocument.uri), position);
    if (!result) return null;
    if ('refused' in result) throw new ResponseError(-32803, result.refused);
    return result;
  });

  connection.onRenameRequest(({ textDocument, position, newName }) => {
    checkLifecycle();
    const result = rename(workspace, normalizeUri(textDocument.uri), position, newName);
    if (!result) return null;
    if ('refused' in result) throw new ResponseError(-32803, result.refused);
    if (result.renames.length === 0)
      return { changes: Object.fromEntries([...result.changes].map(([uri, edits]) => [clientUri(uri), edits])) };
    // The host's host_vars move with it, which needs a client that can rename files in a workspace edit.
    if (!renameFileSupport)
      throw new ResponseError(
        -32803,
        `Renaming this host would leave ${result.renames.map((r) => r.from.slice(r.from.lastIndexOf('host_vars/'))).join(', ')} behind, and this editor cannot rename files in a rename: rename it by hand.`,
      );
    return {
      documentChanges: [
        ...[...result.changes].map(([uri, edits]) => ({ textDocument: { uri: clientUri(uri), version: null }, edits })),
        ...result.renames.map((r) => ({ kind: 'rename' as const, oldUri: clientUri(r.from), newUri: clientUri(r.to) })),
      ],
    };
  });

  /** The clusters found and the files of each that Cluster Preflight reads, for the output channel. */
  function logClusters(): void {
    const byCluster = new Map<string, string[]>();
    for (const file of workspace.allFiles()) {
      if (!file.documents.some((d) => d.kind.id !== 'foreign')) continue;
      const id = workspace.clusterOf(file.uri);
      const uris = byCluster.get(id);
      if (uris) uris.push(file.uri);
      else byCluster.set(id, [file.uri]);
    }
    for (const [id, uris] of byCluster) {
      const shown = uris.slice(0, 20).map((u) => u.slice(id.length) || u);
      log(
        `cluster ${id}: ${uris.length} ${uris.length === 1 ? 'file' : 'files'} (${shown.join(', ')}${uris.length > 20 ? ', …' : ''})`,
      );
    }
  }

  // A lens on the files that list a cluster's nodes: the VS Code client opens the map with it.
  connection.onCodeLens(
    guard('codeLens', [], ({ textDocument }) => {
      const file = workspace.file(normalizeUri(textDocument.uri));
      const doc = file?.documents.find((d) => d.definesCluster ?? d.kind.definesCluster);
      if (!file || !doc) return [];
      const line = doc.chunk.startLine;
      return [
        {
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
          command: { title: 'Show cluster map', command: 'clusterPreflight.showClusterMap', arguments: [textDocument.uri] },
        },
      ];
    }),
  );

  /** A cluster's directory as the workspace folder names it ("clusters/lab/"), for titles. */
  function relativeToFolder(uri: string): string {
    const folder = folders.find((f) => isWithin(uri, f));
    const relative = folder ? uri.slice(folder.length).replace(/^\//, '') : uri.replace(/^file:\/\//, '');
    return (
      decodeURIComponent(relative) ||
      (folder ? decodeURIComponent(folder.slice(folder.lastIndexOf('/', folder.length - 2) + 1)) : uri)
    );
  }

  /**
   * `clusterPreflight/clusterMap`: the map of the cluster a file belongs to, as a whole page (with
   * the client's CSP nonce) and as the body alone (for live updates), so that any client can show it.
   */
  connection.onRequest(
    'clusterPreflight/clusterMap',
    guard('clusterMap', null, (params: { uri: string; nonce?: string }) => {
      const uri = normalizeUri(params.uri);
      if (!workspace.file(uri)) return null;
      const map = clusterMapData(workspace, uri);
      map.nodes.forEach((n) => (n.uri = clientUri(n.uri)));
      for (const row of map.cells) for (const cell of row) if (cell.uri) cell.uri = clientUri(cell.uri);
      return {
        cluster: map.id,
        html: clusterMapHtml([map], {
          interactive: true,
          nonce: params.nonce,
          displayPath: relativeToFolder,
          firewallFormats: FIREWALL_FORMATS,
        }),
        body: clusterMapBody([map], { displayPath: relativeToFolder }),
        // The places the page links to: the only ones a client should open on a message from it.
        targets: clusterMapTargets(map),
        nodes: map.nodes.length,
        // The nodes the page's "Copy rules" buttons may name: a client checks the page's messages against them.
        nodeNames: map.nodes.map((n) => n.name),
        // Whether the file itself is one of ours (an inventory, a config): a client following the editor needs it.
        ours: workspace.file(uri)?.isOurs ?? false,
      };
    }),
  );

  /** `clusterPreflight/firewallFormats`: the formats the firewall request writes, for a client's picker. */
  connection.onRequest(
    'clusterPreflight/firewallFormats',
    guard('firewallFormats', [], () =>
      FIREWALL_FORMATS.map(({ id, label, description, language }) => ({ id, label, description, language })),
    ),
  );

  /**
   * `clusterPreflight/firewall`: the firewall rules of the cluster a file belongs to, in one format
   * (the CLI's `firewall` command's options); `error` says what was wrong with the request.
   */
  connection.onRequest(
    'clusterPreflight/firewall',
    guard('firewall', null as FirewallResponse | null, (params: FirewallRequest): FirewallResponse | null => {
      const uri = normalizeUri(params.uri);
      const format = firewallFormat(String(params.format ?? 'nftables'));
      if (!format) return { error: `unknown format ${JSON.stringify(params.format)}` };
      const allowFrom = Array.isArray(params.allowFrom) ? params.allowFrom.map(String) : [];
      const bad = allowFrom.map(allowFromProblem).find((p) => p);
      if (bad) return { error: bad };
      const role = params.role === undefined ? undefined : String(params.role);
      if (role !== undefined && !(ROLES as readonly string[]).includes(role))
        return { error: `unknown role ${JSON.stringify(role)}` };
      if (!workspace.file(uri)) return { error: 'the file is not open or not in the workspace' };
      workspace.analyzeAll();
      if (!workspace.file(uri)?.isOurs) return { error: 'the file is not part of a cluster Cluster Preflight reads' };
      const id = workspace.clusterOf(uri);
      const { name, root } = workspace.describeCluster(id);
      const generated = generateFirewall(workspace, [{ uri, name: name ?? relativeToFolder(root) }], format.id, {
        peers: params.peers === 'subnet' ? 'subnet' : 'node',
        allowFrom,
        essentialOnly: params.essentialOnly === true,
        node: typeof params.node === 'string' ? params.node : undefined,
        role: role as Role | undefined,
      });
      for (const failure of generated.failures) log(`generating the firewall rules of ${failure} failed`);
      return { text: generated.text, language: format.language, format: format.id };
    }),
  );

  function markDirty(uri: string): void {
    dirtyFiles.add(uri);
    // A project config changes what every file below it reports.
    if (isConfigFile(uri)) for (const file of workspace.allFiles()) dirtyFiles.add(file.uri);
  }

  function schedule(delay: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void pump();
    }, delay);
  }

  /** Analyses what changed, in slices, then publishes the clusters it touched. */
  async function pump(): Promise<void> {
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    const started = performance.now();
    let analysed = 0;
    try {
      do {
        rerun = false;
        const stale = workspace.staleFiles();
        analysed += stale.length;
        // Open files first: they are what the user is looking at.
        stale.sort((a, b) => Number(open.has(b.uri)) - Number(open.has(a.uri)));
        // The slice spans files: thousands of small files, each done within its own slice, would
        // otherwise run back to back without letting a request in (a hover waited 15 s after indexing).
        let sliceEnd = performance.now() + SLICE_MS;
        for (const file of stale) {
          await analyzeInSlices(file);
          if (performance.now() < sliceEnd) continue;
          await nextTick();
          sliceEnd = performance.now() + SLICE_MS;
        }
        if (layoutChanged) {
          layoutChanged = false;
          for (const f of workspace.allFiles()) markDirty(f.uri);
        }
        if (workspace.staleFiles().some((f) => f.needsAnalysis)) {
          rerun = true;
          continue;
        }
        await publishDirty();
      } while (rerun);
      if (analysed)
        log(`checked ${analysed} ${analysed === 1 ? 'file' : 'files'} in ${Math.round(performance.now() - started)} ms`);
      if (clustersToLog && indexing.size === 0) {
        clustersToLog = false;
        logClusters();
      }
    } catch (error) {
      connection.console.error(`[cluster-preflight] validation failed: ${(error as Error).stack ?? error}`);
    } finally {
      running = false;
    }
  }

  async function analyzeInSlices(file: SourceFile): Promise<void> {
    const layoutBefore = file.layoutKey;
    const revision = file.revision;
    const steps = file.analysis(parserPool?.parser);
    let input: unknown;
    for (;;) {
      const sliceEnd = performance.now() + SLICE_MS;
      let step = steps.next(input);
      input = undefined;
      while (!step.done && !(step.value instanceof Promise) && performance.now() < sliceEnd) step = steps.next();
      if (step.done) break;
      // Work handed to the parser worker: wait for it; otherwise let other messages in.
      if (step.value instanceof Promise) {
        try {
          input = await step.value;
        } catch (error) {
          // A failure elsewhere is the analysis's failure: it reports it for its document and goes on.
          step = steps.throw(error);
          if (step.done) break;
          input = undefined;
          continue;
        }
      } else await nextTick();
      if (file.revision !== revision) {
        steps.return(undefined); // superseded by a newer edit; its parsed items are kept for the rerun
        rerun = true;
        return;
      }
    }
    // Every file is marked once, before the next publish, not once per file whose layout changed.
    if (workspace.noteAnalyzed(file, layoutBefore)) layoutChanged = true;
  }

  /**
   * Publishes the changed files and the other files of their clusters, in slices: after indexing
   * 20,000 files this is 20,000 findings, seconds of work that must let requests in. Whatever an edit
   * during a pause leaves unpublished goes back to the dirty files for the rerun it asked for.
   */
  async function publishDirty(): Promise<void> {
    // A file in a folder still being read waits: its cluster may have files not read yet
    // (a kubeadm config that moves a port), and a first publish without them would be wrong.
    const changed = new Set([...dirtyFiles].filter((uri) => ![...indexing].some((folder) => isWithin(uri, folder))));
    for (const uri of changed) dirtyFiles.delete(uri);
    let sliceEnd = performance.now() + SLICE_MS;
    /** False when an edit came in during the pause: the rest waits for the rerun. */
    const pause = async (): Promise<boolean> => {
      if (performance.now() < sliceEnd) return true;
      await nextTick();
      sliceEnd = performance.now() + SLICE_MS;
      return !rerun;
    };
    const others = new Set<string>();
    const postpone = (uris: Iterable<string>) => {
      for (const uri of uris) dirtyFiles.add(uri);
    };
    for (const uri of changed) {
      if (workspace.file(uri)) for (const f of workspace.clusterFiles(uri)) others.add(f.uri);
      if (!(await pause())) return postpone([...changed, ...others]);
    }
    // A changed open file always gets a publish for its new version; the other files of its
    // cluster only when their diagnostics changed.
    const order = [...changed, ...[...others].filter((uri) => !changed.has(uri))];
    for (let i = 0; i < order.length; i++) {
      publish(order[i], changed.has(order[i]) && open.has(order[i]));
      if (!(await pause())) return postpone(order.slice(i + 1));
    }
  }

  function publish(uri: string, always: boolean): void {
    const file = workspace.file(uri);
    if (!file) return;
    const findings = workspace.findings(uri);
    if (findings.length === 0 && !published.has(uri) && !always) return;
    const diagnostics = findings.map((f) => toDiagnostic(f, uri, clientUri, relatedInformation));
    const serialized = JSON.stringify(diagnostics);
    if (!always && published.get(uri) === serialized) return;
    published.set(uri, serialized);
    void connection.sendDiagnostics({ uri: clientUri(uri), version: open.has(uri) ? file.version : undefined, diagnostics });
  }

  function clearDiagnostics(uri: string): void {
    if (!published.delete(uri)) return;
    void connection.sendDiagnostics({ uri: clientUri(uri), diagnostics: [] });
  }

  connection.onShutdown(() => {
    lifecycle = 'shut down';
    parserPool?.dispose();
  });
  warmUpValidators();
  connection.listen();
}
