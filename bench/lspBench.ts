/**
 * `npm run bench`: Cluster Preflight's language server and yaml-language-server, side by
 * side, on generated inventories of 100, 1,000 and 5,000 nodes. Both are driven over stdio
 * as an editor would: time from didOpen to the first diagnostics, latency from didChange to
 * the diagnostics for that change (single-character and structural edits), and the peak
 * resident memory of each server process. Prints a table and writes JSON to bench-results/.
 *
 * Options: --sizes 100,1000,5000  --edits 50  --structural 10  --skip-yaml-ls  --terraform-only
 */
import { Workspace } from '../server/src/engine/analysis/workspace';
import { clusterMapData } from '../server/src/engine/features/clusterMap';
import { clusterMapHtml } from '../server/src/engine/features/clusterMapHtml';
import { FIREWALL_FORMAT_IDS } from '../server/src/engine/features/firewall/formats';
import { generateFirewall } from '../server/src/engine/features/firewall/generate';
import { DEFAULT_FIREWALL_OPTIONS } from '../server/src/engine/features/firewall/plan';
import { yamlLanguageServer } from './anchor';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LspClient, REPO } from '../test/support/lspClient';
import { LineIndex } from '../server/src/engine/core/text/lineIndex';
import { generateInventory, generateNode, generateTerraformCluster } from './generate';
import { loadTerraformParser } from '../server/src/node/terraformGrammar';

/** yaml-language-server waits this long after a change before validating (yamlSettings.validationDelayMs, not configurable). */
const YAML_LS_DEBOUNCE_MS = 200;
const TIMEOUT_MS = 120_000;
/** Time between the server's start and the document's open (both servers get the same). */
const SETTLE_MS = 1_000;

interface ServerUnderTest {
  name: string;
  start(): LspClient;
  initialize(client: LspClient, rootUri: string): Promise<void>;
  /** Whether published diagnostics carry the document version (else: the next publish after a change is its answer). */
  versioned: boolean;
  debounce: string;
  /** Time between the server's start and the document's open. */
  settleMs: number;
}

const OURS: ServerUnderTest = {
  name: 'cluster-preflight',
  start: () => LspClient.start(process.execPath, [resolve(REPO, 'dist/server.js'), '--stdio']),
  // No workspace folder: the benchmark measures the open document, not workspace indexing.
  initialize: async (client) => void (await client.initialize(null, { validationDelay: 0 })),
  versioned: true,
  debounce: '0 ms (validationDelay set to 0 for the measurement; 150 ms by default in VS Code)',
  settleMs: SETTLE_MS,
};

/**
 * The same server with the file's folder open (the folder holds only that file): the server
 * reads the folder from disk when it starts, as an editor's workspace index does, and the
 * document is opened after the same pause as for the others.
 */
const OURS_IN_FOLDER: ServerUnderTest = {
  ...OURS,
  name: 'cluster-preflight, folder open',
  initialize: async (client, rootUri) => void (await client.initialize(rootUri, { validationDelay: 0 })),
};

const YAML_LS: ServerUnderTest = {
  name: 'yaml-language-server',
  start: () => {
    const schema = pathToFileURL(resolve(REPO, 'schemas/inventory.schema.json')).href;
    const yaml = {
      validate: true,
      hover: true,
      completion: true,
      schemas: { [schema]: '*.yaml' },
      schemaStore: { enable: false },
      format: { enable: false },
    };
    return LspClient.start(process.execPath, [yamlLanguageServer(), '--stdio'], {
      configuration: { yaml, '[yaml]': {}, http: {}, editor: {}, files: {} },
    });
  },
  initialize: async (client) => {
    await client.initialize(
      null,
      {},
      { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    );
    const schema = pathToFileURL(resolve(REPO, 'schemas/inventory.schema.json')).href;
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { yaml: { validate: true, schemas: { [schema]: '*.yaml' }, schemaStore: { enable: false } } },
    });
  },
  versioned: false,
  debounce: `${YAML_LS_DEBOUNCE_MS} ms (its fixed validationDelayMs; included in its figures)`,
  settleMs: SETTLE_MS,
};

interface Result {
  server: string;
  /** From spawning the server to its answer to initialize. */
  startMs: number;
  nodes: number;
  lines: number;
  bytes: number;
  openMs: number;
  /** A hover sent right after didOpen, while the first analysis runs. */
  hoverDuringOpenMs: number;
  edit: Stats;
  structural: Stats;
  diagnostics: number;
  peakRssMb: number;
}

interface Stats {
  median: number;
  p95: number;
  samples: number[];
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: round(at(0.5)), p95: round(at(0.95)), samples: samples.map(round) };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Peak resident set size of a process, from Linux's /proc (VmHWM). */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function measure(
  server: ServerUnderTest,
  nodes: number,
  path: string,
  editCount: number,
  structuralCount: number,
): Promise<Result> {
  const text0 = readFileSync(path, 'utf8');
  const uri = pathToFileURL(path).href;
  const spawned = performance.now();
  const client = server.start();
  try {
    await server.initialize(client, pathToFileURL(join(path, '..')).href);
    const startMs = performance.now() - spawned;
    // As in an editor, a document arrives a moment after the server has started.
    await new Promise((r) => setTimeout(r, server.settleMs));
    let text = text0;
    let version = 1;

    // Each change is answered by the diagnostics for its version (or, for a server that does
    // not send versions, by the next publish after it).
    const answer = async (send: () => Promise<void>): Promise<{ ms: number; count: number }> => {
      const before = client.published.length;
      const expected = version;
      const started = performance.now();
      await send();
      const published = await client.waitFor(
        uri,
        (p) => (server.versioned ? p.version === expected : client.published.indexOf(p) >= before),
        TIMEOUT_MS,
      );
      return { ms: performance.now() - started, count: published.diagnostics.length };
    };

    const opened = answer(() => client.open(uri, text, version));
    // The server must stay responsive while it parses: a hover sent now is timed on its own.
    const hoverStarted = performance.now();
    const lines = new LineIndex(text);
    const hoverAt = lines.positionAt(text.indexOf('port: 10250', Math.floor(text.length / 2)) + 7);
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverAt });
    const hoverDuringOpenMs = performance.now() - hoverStarted;
    const open = await opened;

    // Single-character edits inside nodes in the middle of the file: a port digit, 10250 <-> 10251.
    const editSamples: number[] = [];
    let diagnostics = open.count;
    for (let i = 0; i < editCount; i++) {
      const offset = text.indexOf('port: 1025', Math.floor(text.length * (0.3 + (0.4 * i) / editCount))) + 'port: 1025'.length;
      const digit = text[offset] === '0' ? '1' : '0';
      const position = new LineIndex(text).positionAt(offset);
      text = text.slice(0, offset) + digit + text.slice(offset + 1);
      version++;
      const r = await answer(() =>
        client.change(uri, version, [
          { range: { start: position, end: { line: position.line, character: position.character + 1 } }, text: digit },
        ]),
      );
      editSamples.push(r.ms);
      diagnostics = r.count;
    }

    // Structural edits: insert a whole node between two others, then delete it again.
    const structuralSamples: number[] = [];
    for (let i = 0; i < structuralCount; i++) {
      const at = text.indexOf('\n    - hostname:', Math.floor(text.length * (0.25 + (0.5 * i) / structuralCount))) + 1;
      const node = generateNode(100_000 + i, { mistakes: false }).text;
      const index = new LineIndex(text);
      const position = index.positionAt(at);
      text = text.slice(0, at) + node + text.slice(at);
      version++;
      structuralSamples.push(
        (await answer(() => client.change(uri, version, [{ range: { start: position, end: position }, text: node }]))).ms,
      );
      const end = new LineIndex(text).positionAt(at + node.length);
      text = text.slice(0, at) + text.slice(at + node.length);
      version++;
      structuralSamples.push(
        (await answer(() => client.change(uri, version, [{ range: { start: position, end }, text: '' }]))).ms,
      );
    }

    return {
      server: server.name,
      startMs: round(startMs),
      nodes,
      lines: lines.lineCount,
      bytes: Buffer.byteLength(text0),
      openMs: round(open.ms),
      hoverDuringOpenMs: round(hoverDuringOpenMs),
      edit: stats(editSamples),
      structural: stats(structuralSamples),
      diagnostics,
      peakRssMb: peakRssMb(client.process.pid!),
    };
  } finally {
    await client.stop();
  }
}

function table(results: Result[]): string {
  const header = [
    'nodes',
    'server',
    'start ms',
    'open→diag ms',
    'hover during open ms',
    'edit median ms',
    'edit p95 ms',
    'structural median ms',
    'structural p95 ms',
    'peak RSS MB',
    'diagnostics',
  ];
  const rows = results.map((r) => [
    r.nodes.toLocaleString('en-US'),
    r.server,
    r.startMs,
    r.openMs,
    r.hoverDuringOpenMs,
    r.edit.median,
    r.edit.p95,
    r.structural.median,
    r.structural.p95,
    r.peakRssMb,
    r.diagnostics,
  ]);
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

function verdicts(results: Result[]): string[] {
  const get = (server: string, nodes: number) => results.find((r) => r.server === server && r.nodes === nodes);
  const lines: string[] = [];
  const check = (ok: boolean, text: string) => lines.push(`${ok ? 'MET    ' : 'NOT MET'} ${text}`);
  const big = get(OURS.name, 5000);
  const mid = get(OURS.name, 1000);
  const theirs = get(YAML_LS.name, 5000);
  const inFolder = get(OURS_IN_FOLDER.name, 5000);
  if (big) {
    check(
      big.edit.median <= 50,
      `5,000 nodes, single-character edit → diagnostics median ${big.edit.median} ms (target ≤ 50 ms)`,
    );
    check(big.edit.p95 <= 100, `5,000 nodes, single-character edit → diagnostics p95 ${big.edit.p95} ms (target ≤ 100 ms)`);
  }
  if (big && theirs) {
    const ratio = theirs.edit.median / big.edit.median;
    check(
      ratio >= 40,
      `per-edit median ${round(ratio)}× faster than yaml-language-server (${theirs.edit.median} ms) (target ≥ 40×)`,
    );
    const open = big.openMs / theirs.openMs;
    check(
      open <= 0.6,
      `first diagnostics after open: ${big.openMs} ms = ${open.toFixed(2)}× yaml-language-server's ${theirs.openMs} ms (target ≤ 0.6×)`,
    );
    if (inFolder) {
      const folderOpen = inFolder.openMs / theirs.openMs;
      check(
        folderOpen <= 0.5,
        `first diagnostics after open with the file's folder open: ${inFolder.openMs} ms = ${folderOpen.toFixed(2)}× yaml-language-server's (target ≤ 0.5×)`,
      );
    }
    check(
      big.peakRssMb <= theirs.peakRssMb,
      `peak RSS ${big.peakRssMb} MB vs yaml-language-server's ${theirs.peakRssMb} MB (target: no higher)`,
    );
  }
  if (big && mid) {
    const growth = big.edit.median / mid.edit.median;
    check(
      growth <= 2,
      `edit latency 1,000 → 5,000 nodes: ${mid.edit.median} → ${big.edit.median} ms (×${round(growth)}; target roughly flat, ≤ 2×)`,
    );
  }
  if (big)
    check(
      big.hoverDuringOpenMs <= 250,
      `hover sent during the first analysis of 5,000 nodes answered in ${big.hoverDuringOpenMs} ms (target: responsive, ≤ 250 ms)`,
    );
  return lines;
}

interface CliResult {
  files: number;
  ms: number;
}

/**
 * The CLI on many small files (one cluster per 100 files: an inventory and 99 Services), timed as
 * a whole process: checking is linear in the number of files.
 */
function measureCli(counts: number[]): CliResult[] {
  const results: CliResult[] = [];
  for (const files of counts) {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-cli-'));
    for (let c = 0; c < files / 100; c++) {
      const cluster = join(dir, `cluster-${c}`);
      mkdirSync(cluster);
      writeFileSync(join(cluster, 'inventory.yaml'), generateInventory(3, { mistakes: false }));
      for (let i = 0; i < 99; i++) {
        writeFileSync(
          join(cluster, `svc-${i}.yaml`),
          `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec:\n  ports:\n    - port: 80\n      nodePort: ${30000 + i}\n`,
        );
      }
    }
    const started = performance.now();
    const run = spawnSync(process.execPath, [resolve(REPO, 'dist/cli.js'), '--exit-zero', dir], { encoding: 'utf8' });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`cli failed: ${run.stderr}`);
    results.push({ files, ms: round(ms) });
    process.stdout.write(`cli, ${files.toLocaleString('en-US')} files... ${round(ms)} ms\n`);
  }
  return results;
}

/** The cluster map of a checked cluster of `nodes` nodes (some with mistakes): the data and the page, median of 5. */
function measureClusterMap(nodes: number): { dataMs: number; htmlMs: number; totalMs: number; bytes: number } {
  const workspace = new Workspace();
  const root = 'file:///bench/';
  workspace.setRoots([root]);
  workspace.setText(`${root}inventory.yaml`, generateInventory(nodes, { mistakes: true }));
  workspace.findings(`${root}inventory.yaml`);
  const runs: Array<{ data: number; html: number; bytes: number }> = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const data = clusterMapData(workspace, `${root}inventory.yaml`);
    const middle = performance.now();
    const html = clusterMapHtml([data]);
    runs.push({ data: middle - start, html: performance.now() - middle, bytes: html.length });
  }
  runs.sort((a, b) => a.data + a.html - (b.data + b.html));
  const median = runs[2];
  return {
    dataMs: Math.round(median.data),
    htmlMs: Math.round(median.html),
    totalMs: Math.round(median.data + median.html),
    bytes: median.bytes,
  };
}

/**
 * A Terraform module of 50 files and 500 rules in front of a 1,000-host Kubespray inventory, in
 * process: the first analysis of every file (median of 3, fresh workspaces), then single-digit
 * edits of a rule's port in one .tf file, each timed to that file's findings (median of 30).
 */
function measureTerraform(): { files: number; rules: number; nodes: number; analyseMs: number; edit: Stats } {
  const nodes = 1000;
  const module = generateTerraformCluster(nodes, 50, 500);
  const root = 'file:///bench-tf/';
  const fresh = () => {
    const workspace = new Workspace();
    workspace.setRoots([root]);
    for (const [name, text] of Object.entries(module)) workspace.setText(root + name, text);
    for (const name of Object.keys(module)) workspace.findings(root + name);
    return workspace;
  };
  const analyses: number[] = [];
  let workspace!: Workspace;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    workspace = fresh();
    analyses.push(performance.now() - start);
  }
  const uri = `${root}terraform/rules-25.tf`;
  const expected = workspace.findings(`${root}terraform/groups.tf`).length;
  if (expected === 0) throw new Error('the Terraform bench cluster should have a finding');
  const text = module['terraform/rules-25.tf'];
  const lines = new LineIndex(text);
  const at = text.indexOf('from_port         = ') + 'from_port         = '.length + 4;
  const position = lines.positionAt(at);
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const digit = String(i % 10);
    const start = performance.now();
    workspace.applyChanges(uri, [
      { range: { start: position, end: { ...position, character: position.character + 1 } }, text: digit },
    ]);
    workspace.findings(uri);
    workspace.findings(`${root}terraform/groups.tf`);
    samples.push(performance.now() - start);
  }
  if (workspace.findings(`${root}terraform/groups.tf`).length !== expected)
    throw new Error('an edit of an unneeded rule changed the findings');
  return { files: 50, rules: 500, nodes, analyseMs: round(stats(analyses).median), edit: stats(samples) };
}

/**
 * The firewall rules of a `nodes`-node inventory, as `cluster-preflight firewall` computes them in
 * process, median of 3: from the text (parsing included), and from the parsed files (the cluster's
 * model, its checks and the nftables output: what the command adds to reading the files, as the
 * map's row measures after the check); then each format alone on the built model, median of 5.
 */
function measureFirewall(nodes: number): {
  fromTextMs: number;
  afterParseMs: number;
  formats: Record<string, { ms: number; bytes: number }>;
} {
  const text = generateInventory(nodes, { mistakes: true });
  const uri = 'file:///bench/inventory.yaml';
  const fresh = () => {
    const workspace = new Workspace();
    workspace.setRoots(['file:///bench/']);
    workspace.setText(uri, text);
    return workspace;
  };
  const fromText: number[] = [];
  const afterParse: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const workspace = fresh();
    workspace.analyzeAll();
    const parsed = performance.now();
    generateFirewall(workspace, [{ uri, name: 'bench' }], 'nftables', DEFAULT_FIREWALL_OPTIONS);
    const end = performance.now();
    fromText.push(end - start);
    afterParse.push(end - parsed);
  }
  const workspace = fresh();
  workspace.analyzeAll();
  workspace.model(uri);
  const formats: Record<string, { ms: number; bytes: number }> = {};
  for (const format of FIREWALL_FORMAT_IDS) {
    const runs: Array<{ ms: number; bytes: number }> = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const out = generateFirewall(workspace, [{ uri, name: 'bench' }], format, DEFAULT_FIREWALL_OPTIONS);
      runs.push({ ms: performance.now() - start, bytes: out.text.length });
    }
    runs.sort((a, b) => a.ms - b.ms);
    formats[format] = { ms: Math.round(runs[2].ms), bytes: runs[2].bytes };
  }
  const median = (samples: number[]) => Math.round(samples.sort((a, b) => a - b)[1]);
  return { fromTextMs: median(fromText), afterParseMs: median(afterParse), formats };
}

async function main(): Promise<void> {
  await loadTerraformParser((message) => process.stderr.write(`${message}\n`));
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100,1000,5000' },
      edits: { type: 'string', default: '50' },
      structural: { type: 'string', default: '10' },
      'skip-yaml-ls': { type: 'boolean', default: false },
      'cli-files': { type: 'string', default: '2500,10000,20000' },
      'terraform-only': { type: 'boolean', default: false },
    },
  });
  if (values['terraform-only']) {
    const t = measureTerraform();
    process.stdout.write(`${JSON.stringify(t)}\n`);
    return;
  }
  const sizes = values.sizes!.split(',').map(Number);
  const servers = values['skip-yaml-ls'] ? [OURS, OURS_IN_FOLDER] : [OURS, OURS_IN_FOLDER, YAML_LS];
  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-'));
  const results: Result[] = [];
  process.stdout.write(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; debounce: ${servers.map((s) => `${s.name} ${s.debounce}`).join('; ')}\n\n`,
  );
  for (const nodes of sizes) {
    // One folder per size, so that a server given the folder indexes only this file.
    mkdirSync(join(dir, String(nodes)));
    const path = join(dir, String(nodes), `inventory-${nodes}.yaml`);
    writeFileSync(path, generateInventory(nodes));
    for (const server of servers) {
      process.stdout.write(`${server.name}, ${nodes} nodes... `);
      const result = await measure(server, nodes, path, Number(values.edits), Number(values.structural));
      results.push(result);
      process.stdout.write(`open ${result.openMs} ms, edit median ${result.edit.median} ms\n`);
    }
  }
  const cli = measureCli(values['cli-files']!.split(',').filter(Boolean).map(Number));
  const map = measureClusterMap(500);
  const firewall = measureFirewall(5000);
  const slowest = Object.entries(firewall.formats).sort((a, b) => b[1].ms - a[1].ms)[0];
  const terraform = measureTerraform();
  process.stdout.write(
    `terraform, ${terraform.files} files, ${terraform.rules} rules: analysed in ${terraform.analyseMs} ms, edit median ${terraform.edit.median} ms\n`,
  );
  const summary = verdicts(results);
  summary.push(
    `${terraform.analyseMs < 1000 ? 'MET    ' : 'NOT MET'} Terraform module of ${terraform.files} files and ${terraform.rules} rules in front of ${terraform.nodes.toLocaleString('en-US')} hosts, analysed: ${terraform.analyseMs} ms (target < 1 s)`,
    `${terraform.edit.median < 50 ? 'MET    ' : 'NOT MET'} a keystroke in one of its .tf files → findings median ${terraform.edit.median} ms, p95 ${terraform.edit.p95} ms (target < 50 ms)`,
  );
  summary.push(
    `${firewall.afterParseMs < 2000 ? 'MET    ' : 'NOT MET'} firewall rules of a 5,000-node inventory: ${firewall.afterParseMs} ms from the parsed file (model, checks, nftables), ${firewall.fromTextMs} ms from its text with parsing; each format alone ${Object.values(firewall.formats).reduce((low, f) => Math.min(low, f.ms), Infinity)}-${slowest[1].ms} ms (slowest: ${slowest[0]}) (target < 2 s)`,
  );
  summary.push(
    `${map.totalMs < 1000 ? 'MET    ' : 'NOT MET'} cluster map of 500 nodes: ${map.totalMs} ms (data ${map.dataMs} ms, HTML ${map.htmlMs} ms, ${Math.round(map.bytes / 1024)} KB) (target < 1 s)`,
  );
  const largest = cli[cli.length - 1];
  if (largest) {
    const smallest = cli[0];
    const growth = largest.ms / smallest.ms / (largest.files / smallest.files);
    summary.push(
      `${largest.ms <= 10_000 && largest.files >= 20_000 ? 'MET    ' : 'NOT MET'} CLI on ${largest.files.toLocaleString('en-US')} files: ${largest.ms} ms (target < 10 s); ${smallest.files.toLocaleString('en-US')} files ${smallest.ms} ms, time per file ×${round(growth)} from the smallest to the largest run (linear: about 1)`,
    );
  }
  process.stdout.write(
    `\n${table(results)}\n\n${cli.map((c) => `CLI, ${c.files.toLocaleString('en-US')} files: ${c.ms} ms`).join('\n')}\n\n${summary.join('\n')}\n`,
  );
  const out = resolve(REPO, 'bench-results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        node: process.version,
        cpus: cpus().length,
        debounce: Object.fromEntries(servers.map((s) => [s.name, s.debounce])),
        results,
        cli,
        clusterMap: map,
        terraform,
        firewall,
        verdicts: summary,
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\nwrote ${file}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
