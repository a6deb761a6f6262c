// `npm run test:package`: builds what users install and checks it the way they would use it.
// - the vsix (`npm run package`) holds exactly the shipped files and stays small;
// - the npm tarball (`npm pack`) installs globally, offline, into a throwaway prefix, with no
//   runtime dependencies, and its two commands work: the CLI checks the bundled examples and the
//   language server answers `initialize` over stdio.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SHIPPED = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/extension.js',
  'dist/server.js',
  'images/icon.png',
  'package.json',
  'syntaxes/inventory.injection.tmLanguage.json',
  ...readdirSync(join(ROOT, 'schemas'))
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => `schemas/${f}`),
].sort();
/** The vsix is the three bundles, compressed: more means something that should not ship does. */
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let failures = 0;

function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}${ok || !detail ? '' : `\n      ${detail}`}`);
  if (!ok) failures++;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', ...options });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The names in a zip archive, from its central directory. */
function zipEntries(path) {
  const data = readFileSync(path);
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = data.readUInt16LE(at + 28);
    const extra = data.readUInt16LE(at + 30);
    const comment = data.readUInt16LE(at + 32);
    names.push(data.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

// 1. The vsix.
run(npm, ['run', '--silent', 'package']);
const vsix = join(ROOT, 'cluster-preflight.vsix');
const files = zipEntries(vsix)
  .filter((name) => name.startsWith('extension/'))
  .map((name) => name.slice('extension/'.length))
  .map((name) => ({ 'readme.md': 'README.md', 'changelog.md': 'CHANGELOG.md', 'LICENSE.txt': 'LICENSE' })[name] ?? name)
  .sort();
check(
  'the vsix holds the bundles, schemas, grammar, README, LICENSE, CHANGELOG and icon only',
  JSON.stringify(files) === JSON.stringify(SHIPPED),
  `got ${files.join(', ')}`,
);
const size = readFileSync(vsix).length;
check(`the vsix is ${Math.round(size / 1024)} KB (at most ${MAX_VSIX_BYTES / 1024} KB)`, size <= MAX_VSIX_BYTES);

// 2. The npm package, installed globally into a throwaway prefix, offline.
const scratch = mkdtempSync(join(tmpdir(), 'preflight-package-'));
try {
  const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', scratch]).stdout)[0];
  const packedFiles = packed.files.map((f) => f.path).sort();
  check(
    'the npm package holds the same files',
    JSON.stringify(packedFiles) === JSON.stringify(SHIPPED),
    `got ${packedFiles.join(', ')}`,
  );
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  check(
    'it has no runtime dependencies (the bundles are self-contained)',
    !manifest.dependencies || Object.keys(manifest.dependencies).length === 0,
  );
  const prefix = join(scratch, 'prefix');
  run(npm, ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(scratch, packed.filename)]);
  const bin = (name) => join(prefix, process.platform === 'win32' ? '' : 'bin', name);

  const version = run(bin('cluster-preflight'), ['--version']).stdout.trim();
  check(`cluster-preflight --version prints ${manifest.version}`, version === manifest.version, version);
  const checked = run(bin('cluster-preflight'), ['--format', 'json', 'examples'], { allowFailure: true });
  const diagnostics = checked.status === 1 ? JSON.parse(checked.stdout).diagnostics : [];
  check(
    'cluster-preflight checks the examples from the global install (exit 1, findings in JSON)',
    checked.status === 1 && diagnostics.length > 20,
    `exit ${checked.status}: ${checked.stderr}`,
  );

  const server = spawn(bin('cluster-preflight-language-server'), ['--stdio'], { cwd: ROOT });
  const answer = await new Promise((resolvePromise) => {
    let buffer = '';
    const timer = setTimeout(() => resolvePromise(undefined), 10_000);
    server.stdout.on('data', (chunk) => {
      buffer += chunk;
      // Messages one after the other (the server logs before it answers): the answer has id 1.
      for (;;) {
        const body = /Content-Length: (\d+)\r\n\r\n/.exec(buffer);
        if (!body) return;
        const start = body.index + body[0].length;
        if (buffer.length < start + Number(body[1])) return;
        const message = JSON.parse(buffer.slice(start, start + Number(body[1])));
        buffer = buffer.slice(start + Number(body[1]));
        if (message.id === 1) {
          clearTimeout(timer);
          resolvePromise(message);
          return;
        }
      }
    });
    const message = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
  });
  server.kill();
  check(
    'cluster-preflight-language-server answers initialize over stdio',
    answer?.result?.serverInfo?.name === 'cluster-preflight',
    JSON.stringify(answer),
  );

  // 3. The pre-commit hook: its entry, from the installed package, on the files its pattern selects.
  const hooks = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
  const entry = /^\s*entry: (\S+)$/m.exec(hooks)[1];
  const pattern = new RegExp(/^\s*files: (.+)$/m.exec(hooks)[1]);
  const staged = ['examples/lab/inventory.yaml', 'examples/kubespray-ini/inventory.ini', 'README.md', 'package.json'].filter(
    (f) => pattern.test(f),
  );
  check(
    'the pre-commit pattern selects YAML and INI files only',
    JSON.stringify(staged) === JSON.stringify(['examples/lab/inventory.yaml', 'examples/kubespray-ini/inventory.ini']),
    staged.join(', '),
  );
  const hook = run(bin(entry), staged, { allowFailure: true });
  check(
    'the pre-commit entry fails on the staged examples and names their findings',
    hook.status === 1 &&
      /examples\/lab\/inventory\.yaml:\d+:\d+: error /.test(hook.stdout) &&
      /examples\/kubespray-ini\/inventory\.ini:\d+:\d+: error /.test(hook.stdout),
    hook.stdout + hook.stderr,
  );

  // 4. The GitHub Action's step, as the runner calls it (inputs as INPUT_* variables).
  const sarif = join(scratch, 'action.sarif');
  const action = run('bash', [join(ROOT, 'scripts/action.sh')], {
    allowFailure: true,
    env: {
      ...process.env,
      GITHUB_ACTION_PATH: ROOT,
      INPUT_PATHS: 'examples/lab examples/edge',
      INPUT_FORMAT: 'text',
      INPUT_FAIL_ON: 'error',
      INPUT_SARIF_FILE: sarif,
    },
  });
  const report = action.status === 1 ? JSON.parse(readFileSync(sarif, 'utf8')) : undefined;
  check(
    'the action writes SARIF and fails on errors',
    action.status === 1 && report?.version === '2.1.0' && report.runs[0].results.length > 0,
    `exit ${action.status}: ${action.stderr}`,
  );
  const lenient = run('bash', [join(ROOT, 'scripts/action.sh')], {
    allowFailure: true,
    env: {
      ...process.env,
      GITHUB_ACTION_PATH: ROOT,
      INPUT_PATHS: 'examples/lab',
      INPUT_FAIL_ON: 'never',
      INPUT_SARIF_FILE: sarif,
    },
  });
  check('the action passes with fail-on: never', lenient.status === 0, lenient.stderr);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`package: ${failures ? `${failures} failed` : 'all passed'}`);
process.exit(failures ? 1 : 0);
