import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../../server/src/cli/main';
import { printable, printableLines } from '../../server/src/cli/printable';
import { readSource } from '../../server/src/node/files';
import { controlPlane, inventory, worker } from '../helpers';

const CLI = resolve(__dirname, '../../../dist/cli.js');

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = runCli(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) }, { env });
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** The real CLI bundle as CI runs it, with a deadline so that a hang fails the test instead of stalling it. */
function runBundle(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 15_000 });
}

/** Issue 18 item 14: a host name with ESC, BEL, CR and a GitHub Actions workflow command after a newline. */
const FORGED = String.raw`"w\e[2J\a\rNo problems found (1 file checked).\n::error file=README.md,line=1::forged\u202e"`;
// Raw control characters, bidi controls and C1 controls that text output must never carry.
// eslint-disable-next-line no-control-regex
const RAW_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function forgedCluster(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-output-'));
  writeFileSync(join(dir, 'inventory.yaml'), inventory(controlPlane('cp-1', 11) + worker(FORGED, 1) + worker('w-2', 1)));
  return dir;
}

describe('CLI output that files cannot forge', () => {
  it('escapes control characters in text output, with and without colour, and no line starts with ::', () => {
    const dir = forgedCluster();
    for (const color of ['never', 'always']) {
      const { code, stdout } = run(['--color', color, '.'], dir);
      assert.equal(code, 1);
      const lines = stdout.split('\n');
      // The findings about the forged host are one line each: its text is visible, escaped.
      assert.ok(
        lines.some((l) => l.includes(String.raw`w\x1b[2J\x07\rNo problems found (1 file checked).\n::error file=README.md`)),
      );
      assert.ok(lines.some((l) => l.includes(String.raw`forged\u202e`)));
      for (const line of lines) {
        assert.doesNotMatch(line, /^\s*::/, line);
        // Only our own colour codes: ESC followed by a style, never the file's `[2J`.
        // eslint-disable-next-line no-control-regex
        const withoutStyles = line.replace(/\x1b\[\d+m/g, '');
        assert.doesNotMatch(withoutStyles, RAW_CONTROLS, JSON.stringify(line));
      }
      assert.ok(!lines.some((l) => /^No problems found/.test(l)));
    }
  });

  it('keeps JSON and SARIF parseable and the text exact (JSON escapes C0 controls itself)', () => {
    const dir = forgedCluster();
    const json = run(['--format', 'json', '.'], dir).stdout;
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(json, /[\x00-\x09\x0b-\x1f]/);
    const messages = (JSON.parse(json) as { diagnostics: Array<{ message: string }> }).diagnostics.map((d) => d.message);
    assert.ok(messages.some((m) => m.includes('\x1b[2J\x07\rNo problems found (1 file checked).\n::error')));
    const sarif = run(['--format', 'sarif', '.'], dir).stdout;
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(sarif, /[\x00-\x09\x0b-\x1f]/);
    assert.ok(JSON.parse(sarif).runs[0].results.length > 0);
  });

  it('escapes file names in findings and in warnings on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-output-names-'));
    const name = '::error file=x,line=1::bad\x1b[31m\r.yaml';
    writeFileSync(join(dir, name), inventory(worker('W_1', 1)));
    const { stdout } = run(['.'], dir);
    for (const line of stdout.split('\n')) {
      assert.doesNotMatch(line, /^\s*::/);
      assert.doesNotMatch(line, RAW_CONTROLS);
    }
    assert.match(stdout, /\\x3a:error file=x,line=1::bad\\x1b\[31m\\r\.yaml:/);
    symlinkSync(join(dir, 'missing'), join(dir, '::warning::gone\r.yaml'));
    const { stderr } = run(['.'], dir);
    assert.match(stderr, /::warning::gone\\r\.yaml: cannot read/);
    for (const line of stderr.split('\n')) assert.doesNotMatch(line, /^\s*::/);
  });

  it('printable escapes every C0, C1 and bidi control and keeps the rest of the text', () => {
    assert.equal(printable('a\tb\x00\x7f\x85\u061c\u200f\u2028\u2066é🙂'), 'a\tb\\x00\\x7f\\x85\\u061c\\u200f\\u2028\\u2066é🙂');
    assert.equal(printableLines('ok\n  ::set-output name=x::1\n::'), 'ok\n  \\x3a:set-output name=x::1\n\\x3a:');
    assert.equal(printableLines('a::b'), 'a::b');
  });
});

describe('SARIF URIs', () => {
  it('percent-encodes file names into valid URI references that resolve back to the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight sarif #%20?-'));
    const names = ['space and #hash%20?.yaml', 'a:b.yaml', 'ünï cödé[1].yaml'];
    for (const name of names) writeFileSync(join(dir, name), inventory(worker('W_1', 1)));
    const log = JSON.parse(run(['--format', 'sarif', '.'], dir).stdout);
    const run0 = log.runs[0];
    const base = run0.originalUriBaseIds['%SRCROOT%'].uri as string;
    assert.equal(fileURLToPath(base), dir + '/');
    assert.equal(base, pathToFileURL(dir).href + '/');
    const uris = new Set<string>();
    for (const result of run0.results)
      for (const location of [...result.locations, ...result.relatedLocations])
        uris.add(location.physicalLocation.artifactLocation.uri);
    assert.equal(uris.size, names.length);
    for (const uri of uris) {
      // A relative reference (RFC 3986): no scheme, no fragment, no query, only unreserved or %-escaped characters.
      assert.match(uri, /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-F]{2})+$/, uri);
      const resolved = new URL(uri, base);
      assert.equal(resolved.hash, '');
      assert.equal(resolved.search, '');
      assert.ok(names.includes(fileURLToPath(resolved).slice(dir.length + 1)), uri);
    }
    assert.ok(uris.has('space%20and%20%23hash%2520%3F.yaml'));
  });

  it('passes the SARIF 2.1.0 JSON schema with odd file names, a nested folder and the examples', () => {
    const validate = sarifValidator();
    const dir = mkdtempSync(join(tmpdir(), 'preflight sarif #%20?-'));
    const names = [
      'space and #hash%20?.yaml',
      'a:b.yaml',
      'ünï cödé[1].yaml',
      '日本 🙂.yaml',
      join('nested dir', 'deeper #2', 'in?ventory.yaml'),
    ];
    mkdirSync(join(dir, 'nested dir', 'deeper #2'), { recursive: true });
    for (const name of names) writeFileSync(join(dir, name), inventory(worker('W_1', 1) + worker('W_1', 2)));
    const odd = JSON.parse(run(['--format', 'sarif', '.'], dir).stdout);
    assert.equal(
      new Set(odd.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).size,
      names.length,
    );
    assert.ok(
      odd.runs[0].results.some((r: any) => r.relatedLocations.length > 0),
      'related locations are validated too',
    );
    const examples = JSON.parse(run(['--format', 'sarif', '.'], resolve(__dirname, '../../../examples')).stdout);
    assert.ok(examples.runs[0].results.length > 10);
    for (const log of [odd, examples]) assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    // The validator does check URIs: an unencoded space or `#` in an artifact URI fails it.
    const forged = structuredClone(odd);
    forged.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'space and #hash.yaml';
    assert.equal(validate(forged), false);
    assert.match(JSON.stringify(validate.errors), /uri-reference/);
  });
});

/**
 * The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it (2.1.0-rtm.5, draft-04), with the
 * `uri`, `uri-reference` and `date-time` formats checked.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // Without the `u` flag: the schema's pattern for `language` has a stray `]`, which only a unicode RegExp refuses.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('the CLI bundle in a hostile environment', () => {
  it('a reader that closes the pipe early (`| head`) ends the run quietly, with its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-pipe-'));
    // 2,000 workers without a firewall: some 500 KB of report, far more than a pipe holds.
    writeFileSync(
      join(dir, 'inventory.yaml'),
      inventory(
        controlPlane('cp-1', 11) +
          Array.from({ length: 2000 }, (_, i) => `    - hostname: w-${i}\n      roles: [worker]\n`).join(''),
      ),
    );
    const child = spawn(process.execPath, [CLI, '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const firstLine = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.match(firstLine, /^inventory\.yaml:\d+:\d+: /);
    assert.equal(stderr, '');
    assert.equal(code, 1);
  });

  it('LOG_TOKENS and LOG_STREAM (the yaml library debugging switches) do not reach the JSON on stdout', () => {
    const dir = forgedCluster();
    const result = runBundle(['--format', 'json', '.'], dir, { ...process.env, LOG_TOKENS: '1', LOG_STREAM: '1' });
    assert.equal(result.status, 1, result.stderr);
    assert.ok(JSON.parse(result.stdout).diagnostics.length > 0);
    const sarif = runBundle(['--format', 'sarif', '.'], dir, { ...process.env, LOG_TOKENS: '1', LOG_STREAM: '1' });
    assert.equal(JSON.parse(sarif.stdout).version, '2.1.0');
  });

  it('a symbolic link named *.yaml to a FIFO is skipped with a warning, not waited on', function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'preflight-fifo-'));
    const made = spawnSync('mkfifo', [join(dir, 'pipe')]);
    if (made.status !== 0) this.skip();
    symlinkSync('pipe', join(dir, 'link.yaml'));
    symlinkSync('pipe', join(dir, 'other.yml'));
    writeFileSync(join(dir, 'inventory.yaml'), inventory(controlPlane('cp-1', 11)));
    const result = runBundle(['.'], dir);
    assert.equal(result.error, undefined, 'the CLI hung on the FIFO');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /link\.yaml: cannot read \(not a regular file\); skipped/);
    assert.match(result.stdout, /No problems found \(1 file checked/);
    // Named alone, its directory (with the FIFO) is its context.
    assert.equal(runBundle(['inventory.yaml'], dir).status, 0);
    assert.deepEqual(readSource(join(dir, 'link.yaml'), 1024), { ok: false, problem: 'not a regular file' });
  });
});

describe('--strict (issue 18 item 18)', () => {
  it('an unreadable inventory inside a tree: a summary line by default, exit 2 with --strict', function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'preflight-strict-'));
    writeFileSync(join(dir, 'inventory.yaml'), inventory(controlPlane('cp-1', 11)));
    mkdirSync(join(dir, 'prod'));
    const unreadable = join(dir, 'prod', 'inventory.yaml');
    // Root reads any file: there, a link to a file not yet written is the unreadable inventory.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) symlinkSync(join(dir, 'prod', 'real.txt'), unreadable);
    else {
      writeFileSync(unreadable, inventory(worker('W_1', 1)));
      chmodSync(unreadable, 0o000);
    }
    const relaxed = run(['.'], dir);
    assert.equal(relaxed.code, 0, 'the default is unchanged');
    assert.match(relaxed.stderr, /prod\/inventory\.yaml: cannot read \((EACCES|ENOENT)\); skipped/);
    assert.match(
      relaxed.stderr,
      /cluster-preflight: 1 file found but not checked \(see the warnings above\); --strict fails the run on this\n$/,
    );
    const strict = run(['--strict', '.'], dir);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /1 file found but not checked \(see the warnings above\); failing the run \(--strict\)\n$/);
    assert.match(strict.stdout, /No problems found \(1 file checked/);
    if (asRoot) writeFileSync(join(dir, 'prod', 'real.txt'), inventory(worker('W_1', 1)));
    else chmodSync(unreadable, 0o644);
    assert.equal(run(['--strict', '.'], dir).code, 1, 'readable again: its findings count, nothing is skipped');
  });

  it('counts a FIFO, a name that is not UTF-8 and a file above --max-file-size; nothing skipped passes', function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'preflight-strict-'));
    writeFileSync(join(dir, 'inventory.yaml'), inventory(controlPlane('cp-1', 11)));
    assert.equal(run(['--strict', '.'], dir).code, 0);
    assert.equal(run(['--strict', '.'], dir).stderr, '');
    writeFileSync(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.yaml')]), 'a: 1\n');
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(5000)}\n`);
    if (spawnSync('mkfifo', [join(dir, 'pipe')]).status === 0) symlinkSync('pipe', join(dir, 'link.yaml'));
    const strict = run(['--strict', '--max-file-size', '4KB', '.'], dir);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /\d files found but not checked/);
    assert.equal(
      (strict.stderr.match(/; (skipped|not checked)\n/g) ?? []).length,
      Number(/(\d) files found/.exec(strict.stderr)![1]),
    );
  });
});
