// `npm run test:package`: builds what users install and checks it the way they would use it.
// - the vsix (`npm run package`) holds exactly the shipped files and stays small;
// - the npm tarball (`npm pack`) installs globally, offline, into a throwaway prefix, with no
//   runtime dependencies and no warning, and its two commands work: the CLI checks the bundled
//   examples and the language server answers `initialize` over stdio;
// - Debian's `pre-commit` installs the hook from a clone of this project and runs it on staged files;
// - the GitHub Action's script runs from a ref with and without a built CLI (without: no `npm ci`);
// - the installed CLI, the hook and the Action find `.cluster-preflight.yaml` up to the repository root.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SHIPPED = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/extension.js',
  'dist/server.js',
  // The Terraform (HCL) parser: web-tree-sitter's runtime and the HCL grammar.
  'dist/tree-sitter-hcl.wasm',
  'dist/tree-sitter.wasm',
  'images/icon.png',
  'package.json',
  'syntaxes/inventory.injection.tmLanguage.json',
  ...readdirSync(join(ROOT, 'schemas'))
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => `schemas/${f}`),
].sort();
/** The vsix is the three bundles and the HCL parser's WebAssembly, compressed: more means something that should not ship does. */
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

function git(cwd, ...args) {
  return run('git', ['-c', 'user.name=Cluster Preflight', '-c', 'user.email=test@cluster-preflight.invalid', ...args], { cwd });
}

/** This working tree's files (tracked and new, not ignored) committed into a fresh repository at `target`. */
function snapshot(target) {
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).stdout.split('\0');
  for (const path of listed) {
    const from = join(ROOT, path);
    // Skip deleted files and the node_modules link a worktree may have.
    if (!path || !existsSync(from) || lstatSync(from).isSymbolicLink()) continue;
    mkdirSync(dirname(join(target, path)), { recursive: true });
    cpSync(from, join(target, path));
  }
  git(target, 'init', '-q');
  git(target, 'add', '-A');
  git(target, 'commit', '-q', '-m', 'snapshot');
}

const INVENTORY_HEAD = '[kube_control_plane]\ncp-1 ansible_host=10.0.0.11\n\n[etcd]\ncp-1\n\n[kube_node]\n';
const INVENTORY_TAIL = '\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n';
const CLEAN_INVENTORY = `${INVENTORY_HEAD}worker-1 ansible_host=10.0.0.21\nworker-2 ansible_host=10.0.0.22\n${INVENTORY_TAIL}`;
const DUPLICATE_IP_INVENTORY = `${INVENTORY_HEAD}worker-1 ansible_host=10.0.0.21\nworker-2 ansible_host=10.0.0.21\n${INVENTORY_TAIL}`;
/** Only a warning: missing-host-address. */
const NO_ADDRESS_INVENTORY = `${INVENTORY_HEAD}worker-1 ansible_host=10.0.0.21\nworker-2\n${INVENTORY_TAIL}`;

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
  const packed = JSON.parse(run(npm, ['pack', '--json', '--dry-run']).stdout)[0];
  // pre-commit (before 4.6.1) installs the file whose name plain `npm pack` prints: nothing else may
  // reach stdout, such as the banner of a build script npm runs in the foreground.
  const packOutput = run(npm, ['pack', '--pack-destination', scratch]).stdout;
  check('`npm pack` prints the tarball name alone', packOutput.trim() === packed.filename, JSON.stringify(packOutput));
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
  const installed = run(npm, [
    'install',
    '--global',
    '--prefix',
    prefix,
    '--offline',
    '--no-audit',
    '--no-fund',
    join(scratch, packed.filename),
  ]);
  check(
    'the global install prints no warning (the package has no install or prepare script)',
    !/warn/i.test(installed.stdout + installed.stderr),
    installed.stdout + installed.stderr,
  );
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

  // 5. This project as a git repository holds it (no dist/, no node_modules): what pre-commit clones
  // and what the Action's ref checks out.
  const source = join(scratch, 'source');
  snapshot(source);

  // The Action on that ref builds the CLI alone, from a handful of packages, not `npm ci`'s hundreds.
  const fresh = run('bash', [join(source, 'scripts/action.sh')], {
    cwd: ROOT,
    allowFailure: true,
    env: { ...process.env, GITHUB_ACTION_PATH: source, INPUT_PATHS: 'examples/lab', INPUT_SARIF_FILE: sarif },
  });
  const added = Number(/added (\d+) packages?/.exec(fresh.stdout)?.[1] ?? NaN);
  check(
    `the action builds the CLI on a ref without it from ${added} packages (at most 20; no npm ci) and checks`,
    fresh.status === 1 && added <= 20 && !existsSync(join(source, 'node_modules')) && existsSync(join(source, 'dist/cli.js')),
    `exit ${fresh.status}: ${fresh.stdout.slice(0, 2000)}\n${fresh.stderr}`,
  );
  rmSync(join(source, 'dist'), { recursive: true, force: true });

  // 6. Debian's pre-commit installs the hook from that repository (a local path and a commit, as a
  // remote repo and a tag) with the system's Node, then runs it on what is staged.
  const preCommitVersion = run('pre-commit', ['--version'], { allowFailure: true });
  if (preCommitVersion.status !== 0) {
    check('pre-commit is installed (apt-get install pre-commit; .ci/run does)', false, String(preCommitVersion.error));
  } else {
    const rev = run('git', ['rev-parse', 'HEAD'], { cwd: source }).stdout.trim();
    const repo = join(scratch, 'repo');
    mkdirSync(join(repo, 'clusters/prod'), { recursive: true });
    git(repo, 'init', '-q');
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${source}\n    rev: ${rev}\n    hooks:\n      - id: cluster-preflight\n        language_version: system\n`,
    );
    const preCommitHome = join(scratch, 'pre-commit-home');
    const stage = (files) => {
      for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
      git(repo, 'add', '-A');
      return run('pre-commit', ['run', '--color', 'never'], {
        cwd: repo,
        allowFailure: true,
        env: { ...process.env, PRE_COMMIT_HOME: preCommitHome },
      });
    };
    const version = preCommitVersion.stdout.trim();
    const mistaken = stage({ 'clusters/prod/inventory.ini': DUPLICATE_IP_INVENTORY });
    check(
      `${version} installs the hook and it fails on a staged duplicate address, naming it`,
      mistaken.status === 1 && /clusters\/prod\/inventory\.ini:9:\d+: error duplicate-ip /.test(mistaken.stdout),
      `exit ${mistaken.status}: ${mistaken.stdout}\n${mistaken.stderr}`,
    );
    const clean = stage({ 'clusters/prod/inventory.ini': CLEAN_INVENTORY });
    check(
      `${version}: the hook passes a clean staged inventory`,
      clean.status === 0 && /Cluster Preflight\.+Passed/.test(clean.stdout),
      `exit ${clean.status}: ${clean.stdout}\n${clean.stderr}`,
    );

    // 7. Issue 17 item 2: a `.cluster-preflight.yaml` at the repository root applies to whatever path
    // the CLI is given below it, so the hook (staged files) and the Action (clusters/) honour it too.
    const configured = stage({
      '.cluster-preflight.yaml': 'rules:\n  duplicate-ip: off\n',
      'clusters/prod/inventory.ini': DUPLICATE_IP_INVENTORY,
    });
    check(
      "the hook honours the repository root's .cluster-preflight.yaml (rules: {duplicate-ip: off})",
      configured.status === 0 && !/duplicate-ip/.test(configured.stdout),
      `exit ${configured.status}: ${configured.stdout}`,
    );
    for (const path of ['.', 'clusters/', 'clusters/prod/inventory.ini']) {
      const result = run(bin('cluster-preflight'), [path], { cwd: repo, allowFailure: true });
      check(
        `\`cluster-preflight ${path}\` from the repository root honours its .cluster-preflight.yaml`,
        result.status === 0 && !/duplicate-ip/.test(result.stdout),
        `exit ${result.status}: ${result.stdout}${result.stderr}`,
      );
    }
    const configuredAction = run('bash', [join(ROOT, 'scripts/action.sh')], {
      cwd: repo,
      allowFailure: true,
      env: { ...process.env, GITHUB_ACTION_PATH: ROOT, INPUT_PATHS: 'clusters/', INPUT_SARIF_FILE: sarif },
    });
    check(
      "the action (paths: clusters/) honours the repository root's .cluster-preflight.yaml",
      configuredAction.status === 0 && JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results.length === 0,
      `exit ${configuredAction.status}: ${configuredAction.stdout}`,
    );
  }

  // 8. Issue 17 item 9: the installed CLI's messages.
  const warnings = join(scratch, 'warnings');
  mkdirSync(warnings);
  writeFileSync(join(warnings, 'inventory.ini'), NO_ADDRESS_INVENTORY);
  const quiet = run(bin('cluster-preflight'), ['--quiet', '--fail-on', 'warning', 'inventory.ini'], {
    cwd: warnings,
    allowFailure: true,
  });
  check(
    '`--quiet --fail-on warning` on a file with only warnings fails without saying "No problems found"',
    quiet.status === 1 && !/no problems/i.test(quiet.stdout + quiet.stderr),
    `exit ${quiet.status}: ${quiet.stdout}${quiet.stderr}`,
  );
  const tooLarge = run(bin('cluster-preflight'), ['--max-file-size', '1KB', 'examples/lab/inventory.yaml'], {
    allowFailure: true,
  });
  const tooLargeOutput = tooLarge.stdout + tooLarge.stderr;
  check(
    '`--max-file-size 1KB` states the sizes in sensible units (the limit as 1 KB, never "0.0 MB")',
    /file-too-large/.test(tooLargeOutput) &&
      !/\b0\.0 ?[KMG]?i?B\b/.test(tooLargeOutput) &&
      /\b1(\.0)? ?[kK]i?B\b|\b1,?024 bytes\b/.test(tooLargeOutput),
    tooLargeOutput,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`package: ${failures ? `${failures} failed` : 'all passed'}`);
process.exit(failures ? 1 : 0);
