/**
 * Runs the end-to-end suite (test/e2e/suite) in a real VS Code without downloading one:
 * code-server 4.100.3 (VS Code 1.100.3's workbench and Node extension host, installed by
 * test/e2e/setup.sh into .vscode-test/code-server) opened in Debian's Chromium through
 * playwright-core. The workbench gets the same development options as desktop VS Code through
 * its `payload` query parameter, forwards the extension host's console to `codeAutomationLog`
 * and reports the suite's result to `codeAutomationExit`.
 *
 *   npm run compile && npm run build && bash test/e2e/setup.sh && node out/test/e2e/runCodeServer.js
 *
 * Exits with the suite's code (non-zero on failure or timeout), leaves a screenshot of the
 * workbench (inventory open, Problems panel showing) in test-output/vscode-workbench.png and the
 * editor's logs in test-output/vscode-logs/, prints the extension host log on failure, and always
 * stops code-server and Chromium.
 *
 * Environment: CLUSTER_PREFLIGHT_E2E_TIMEOUT (ms, whole run, default 180000),
 * CLUSTER_PREFLIGHT_CODE_SERVER (code-server install folder), CHROMIUM_PATH (default /usr/bin/chromium),
 * CLUSTER_PREFLIGHT_E2E_GREP (only the tests whose title matches).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The repository (or a copy of it): this file runs as <root>/out/test/e2e/runCodeServer.js. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'e2e', 'fixture');
const TESTS = path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index');
const OUTPUT = path.join(ROOT, 'test-output');
const CODE_SERVER_DIR = process.env.CLUSTER_PREFLIGHT_CODE_SERVER ?? path.join(ROOT, '.vscode-test', 'code-server');
const CODE_SERVER = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = Number(process.env.CLUSTER_PREFLIGHT_E2E_TIMEOUT ?? 180_000);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (message: string) => console.log(`[e2e ${elapsed()}] ${message}`);

interface LogFile {
  relativePath: string;
  contents: string;
}

let codeServer: ChildProcess | undefined;
let browser: Browser | undefined;
const temporary: string[] = [];
let interrupted = false;

async function main(): Promise<number> {
  for (const [file, hint] of [
    [path.join(ROOT, 'dist', 'extension.js'), 'npm run build'],
    [`${TESTS}.js`, 'npm run compile'],
    [CODE_SERVER, 'bash test/e2e/setup.sh'],
    [CHROMIUM, 'bash test/e2e/setup.sh'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`${hint}\` first`);
  }
  fs.mkdirSync(OUTPUT, { recursive: true });
  for (const stale of ['vscode-logs', 'vscode-workbench.png', 'vscode-timeout.png'])
    fs.rmSync(path.join(OUTPUT, stale), { recursive: true, force: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-preflight-e2e-'));
  temporary.push(scratch);
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  const handshake = path.join(scratch, 'handshake');
  for (const dir of [userData, extensions, handshake]) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'files.autoSave': 'off',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'git.enabled': false,
        'chat.disableAIFeatures': true,
        'window.commandCenter': false,
        'workbench.colorTheme': 'Default Light Modern',
      },
      null,
      2,
    ),
  );

  // Throwaway XDG homes for code-server and Chromium: nothing lands in the user's home.
  const xdg = {
    XDG_CONFIG_HOME: path.join(scratch, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(scratch, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(scratch, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(scratch, 'xdg', 'state'),
  };
  // And a throwaway temp dir for code-server, its extension host and the language server (IPC sockets).
  const tmp = path.join(scratch, 'tmp');
  fs.mkdirSync(tmp);

  // The extension under test: the packaged vsix installed into code-server (what users get),
  // when CLUSTER_PREFLIGHT_E2E_VSIX names one; else the repository itself.
  let extensionPath = ROOT;
  const vsix = process.env.CLUSTER_PREFLIGHT_E2E_VSIX;
  if (vsix) {
    extensionPath = await installVsix(path.resolve(ROOT, vsix), extensions, { ...process.env, ...xdg, TMPDIR: tmp });
    say(`installed ${path.basename(vsix)} into code-server: ${path.basename(extensionPath)}`);
  }

  // --- code-server ----------------------------------------------------------------------------
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const serverLog = fs.createWriteStream(path.join(OUTPUT, 'code-server.log'));
  say(`starting code-server on ${origin}`);
  codeServer = spawn(
    process.execPath,
    [
      CODE_SERVER,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--config',
      path.join(scratch, 'config.yaml'),
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      FIXTURE,
    ],
    {
      cwd: ROOT,
      detached: true, // its own process group: the extension host and language server go with it
      stdio: ['ignore', 'pipe', 'pipe'],
      // EXTENSIONS_GALLERY={}: no extension gallery, so no lookups of open-vsx.org.
      // XDG_*: code-server keeps its config, logs and device id out of ~/.config, ~/.local, ~/.cache.
      env: {
        ...process.env,
        CLUSTER_PREFLIGHT_E2E_HANDSHAKE: handshake,
        EXTENSIONS_GALLERY: '{}',
        ...xdg,
        TMPDIR: tmp,
      },
    },
  );
  codeServer.stdout?.pipe(serverLog, { end: false });
  codeServer.stderr?.pipe(serverLog, { end: false });
  const serverExited = new Promise<number>((resolve) =>
    codeServer!.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  const exitedEarly = serverExited.then((code) => {
    throw new Error(`code-server exited with ${code} before it listened; see test-output/code-server.log`);
  });
  exitedEarly.catch(() => undefined); // only the race below reports it
  await Promise.race([waitForHealthz(origin, 30_000), exitedEarly]);
  say('code-server is up');

  // --- Chromium -------------------------------------------------------------------------------
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our own signal handlers stop Chromium and code-server together (see the end of this file).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: { ...process.env, ...xdg },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const workbenchConsole: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') workbenchConsole.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => workbenchConsole.push(`[pageerror] ${e.message}`));

  let resolveExit!: (result: { code: number; logs: LogFile[] }) => void;
  const exited = new Promise<{ code: number; logs: LogFile[] }>((resolve) => (resolveExit = resolve));
  // Everything the workbench and the extension host log goes to test-output/vscode-console.log;
  // the terminal gets it too, less the workbench's routine chatter.
  const consoleLog = fs.createWriteStream(path.join(OUTPUT, 'vscode-console.log'));
  const chatter =
    /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|Ignoring fetching additional builtin extensions|\[Service Worker\]|ChatSessionStore)/;
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    // The extension host forwards console calls as printf-style arguments ("%s (%dms)", ...).
    const text = format(...(Array.isArray(args) ? args : [args])).replace(/\n$/, '');
    consoleLog.write(`[${type}] ${text}\n`);
    if (chatter.test(text)) return;
    for (const line of text.split('\n')) (type === 'error' ? console.error : console.log)(`  ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: LogFile[]) => resolveExit({ code, logs: logs ?? [] }));

  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(TESTS)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${origin}/?folder=${encodeURIComponent(FIXTURE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  say('opening the workbench; the suite runs in its extension host');
  await page.goto(url, { waitUntil: 'domcontentloaded' });

  // The suite asks for its screenshot once the workbench shows the inventory and its problems.
  const screenshot = takeScreenshotWhenAsked(page, handshake);

  const timedOut = Symbol('timeout');
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    exited,
    serverExited.then((code) => ({ code: code || 1, logs: [] as LogFile[], crashed: true })),
    new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), TIMEOUT))),
  ]);
  clearTimeout(timer);
  screenshot.cancel();
  if (interrupted) return 1;

  let code: number;
  let browserLogs: LogFile[] = [];
  if (result === timedOut) {
    code = 1;
    console.error(`\n[e2e] TIMEOUT: the suite did not finish within ${TIMEOUT / 1000}s.`);
    await page.screenshot({ path: path.join(OUTPUT, 'vscode-timeout.png') }).catch(() => undefined);
    console.error('[e2e] screenshot of the workbench at the timeout: test-output/vscode-timeout.png');
  } else if ('crashed' in result) {
    code = result.code;
    console.error(`\n[e2e] code-server exited (${code}) while the suite ran.`);
  } else {
    code = result.code;
    browserLogs = result.logs;
  }
  await screenshot.done;
  // The Node extension host (where the extension and the suite run) logs on code-server's side,
  // in the user-data dir; the workbench hands over its own (browser-side) logs on exit.
  const serverLogs = collectLogsFromDisk(userData);
  saveLogs('server', serverLogs);
  saveLogs('browser', browserLogs);
  consoleLog.end();

  if (code !== 0) {
    console.error(`\n[e2e] FAILED (exit code ${code}). Extension host logs:`);
    printLogs(serverLogs.filter((l) => /remoteexthost\.log$/.test(l.relativePath)));
    printLogs(serverLogs.filter((l) => /Cluster Preflight/i.test(l.relativePath)));
    const noise = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|open-vsx|status of 404|iframe|Overwriting extension/;
    const errors = workbenchConsole.filter((l) => !noise.test(l));
    if (errors.length) console.error(`\n[e2e] workbench console errors:\n${errors.slice(-40).join('\n')}`);
    console.error('[e2e] all logs: test-output/vscode-logs/{server,browser}/, code-server: test-output/code-server.log');
  } else {
    say('suite passed');
  }
  return code;
}

/** Installs a vsix with code-server's own installer; resolves to the folder it unpacked it into. */
function installVsix(vsix: string, extensions: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CODE_SERVER, '--extensions-dir', extensions, '--install-extension', vsix], {
      env,
      stdio: 'pipe',
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      const installed = fs.readdirSync(extensions).find((name) => name.startsWith('cluster-preflight.cluster-preflight-'));
      if (code !== 0 || !installed) reject(new Error(`code-server could not install ${vsix} (exit ${code}):\n${output}`));
      else resolve(path.join(extensions, installed));
    });
  });
}

/** What to wait for before each screenshot the suite asks for (each wait bounded; a miss still shoots). */
const SCREENSHOT_SELECTORS: Record<string, string[]> = {
  'vscode-workbench': ['.markers-panel .monaco-list-row', '.squiggly-error'],
  'vscode-completion': ['.suggest-widget.visible .monaco-list-row'],
  'vscode-outline': ['.outline-pane .monaco-list-row, .pane-body .monaco-tl-row'],
  'vscode-cluster-map': ['iframe.webview.ready'],
};

/**
 * Serves the suite's screenshot requests until cancelled: the suite writes `ready` holding the
 * picture's name, this takes test-output/<name>.png and answers with `done`.
 */
function takeScreenshotWhenAsked(page: Page, handshake: string): { done: Promise<void>; cancel: () => void } {
  let cancelled = false;
  let busy = false;
  let interval: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    interval = setInterval(async () => {
      if (cancelled && !busy) {
        clearInterval(interval);
        resolve();
        return;
      }
      const ready = path.join(handshake, 'ready');
      if (busy || !fs.existsSync(ready)) return;
      busy = true;
      const name = fs.readFileSync(ready, 'utf8').trim() || 'vscode-workbench';
      fs.rmSync(ready, { force: true });
      try {
        for (const selector of SCREENSHOT_SELECTORS[name] ?? [])
          await page.waitForSelector(selector, { timeout: 10_000 }).catch(() => undefined);
        // Let the last frame paint.
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(OUTPUT, `${name}.png`) });
        say(`screenshot: test-output/${name}.png`);
      } catch (error) {
        console.error(`[e2e] screenshot ${name} failed: ${error}`);
      } finally {
        fs.writeFileSync(path.join(handshake, 'done'), name);
        busy = false;
      }
    }, 100);
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
    },
  };
}

function collectLogsFromDisk(userData: string): LogFile[] {
  const logsHome = path.join(userData, 'logs');
  const out: LogFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push({ relativePath: path.relative(logsHome, full), contents: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(logsHome);
  return out;
}

function saveLogs(side: string, logs: LogFile[]): void {
  const dir = path.join(OUTPUT, 'vscode-logs', side);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const log of logs) {
    const file = path.join(dir, log.relativePath.replace(/\.\.(\/|\\)/g, ''));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, log.contents);
  }
}

function printLogs(logs: LogFile[]): void {
  if (!logs.length) console.error('  (no extension host log was found)');
  for (const log of logs) {
    const lines = log.contents.trimEnd().split('\n');
    console.error(`--- ${log.relativePath} (${lines.length > 200 ? 'last 200 of ' : ''}${lines.length} lines)`);
    console.error(lines.slice(-200).join('\n'));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(origin: string, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(`${origin}/healthz`, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('error', () => resolve(false));
      request.setTimeout(1000, () => request.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeout / 1000}s; see test-output/code-server.log`);
}

async function cleanUp(): Promise<void> {
  const closing = browser?.close().catch(() => undefined);
  browser = undefined;
  if (closing) await Promise.race([closing, new Promise((r) => setTimeout(r, 5000))]);
  const child = codeServer;
  codeServer = undefined;
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    killGroup(child.pid, 'SIGTERM');
    const stopped = await Promise.race([gone.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!stopped) killGroup(child.pid, 'SIGKILL');
  }
  if (child?.pid) killGroup(child.pid, 'SIGKILL'); // leftovers of the group (extension host, language server)
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(`[e2e] ${signal}: stopping code-server and Chromium`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
// Last resort if the runner dies some other way: code-server runs in its own process group.
process.on('exit', () => {
  if (codeServer?.pid) killGroup(codeServer.pid, 'SIGKILL');
});

main()
  .catch((error) => {
    console.error(`[e2e] ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    say(`exit ${code}`);
    process.exit(code);
  });
