import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/main';
import { RULES } from '../../server/src/engine/rules/catalogue';
import { controlPlane, inventory, worker } from '../helpers';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, options: { tty?: boolean; env?: Record<string, string>; stdin?: string } = {}): Run {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = runCli(
      args,
      { write: (t: string) => (stdout += t), isTTY: options.tty },
      { write: (t: string) => (stderr += t) },
      { env: options.env ?? {}, readStdin: () => options.stdin ?? '' },
    );
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** A cluster: cp-1 misses 6443 (an error), w-1 misses 10256 (a warning); a kubeadm config moves the API port to 8443. */
function cluster(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-options-'));
  writeFileSync(
    join(dir, 'inventory.yaml'),
    inventory(
      controlPlane('cp-1', 11).replace('        - port: 6443\n', '') + worker('w-1', 1).replace('        - port: 10256\n', ''),
    ),
  );
  return dir;
}

const lines = (r: Run) => r.stdout.trim().split('\n');

describe('CLI options', () => {
  it('--list-rules lists every rule, as text or json', () => {
    const dir = cluster();
    const text = run(['--list-rules'], dir);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^yaml-syntax +error +YAML the parser rejects/m);
    assert.match(text.stdout, /^missing-port-rule +error +A node's firewall/m);
    const json = JSON.parse(run(['--list-rules', '--format', 'json'], dir).stdout);
    assert.deepEqual(
      json.rules.map((r: { id: string }) => r.id),
      RULES.map((r) => r.meta.id),
    );
    assert.equal(
      json.rules.find((r: { id: string }) => r.id === 'missing-port-rule').docs,
      'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
    );
    // Issue 17 item 9: --format sarif no longer prints the text list; html is refused, exit 2.
    const sarif = run(['--list-rules', '--format', 'sarif'], dir);
    assert.equal(sarif.code, 0);
    const log = JSON.parse(sarif.stdout);
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(
      log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id),
      RULES.map((r) => r.meta.id),
    );
    const html = run(['--list-rules', '--format', 'html'], dir);
    assert.equal(html.code, 2);
    assert.equal(html.stdout, '');
    assert.equal(html.stderr, 'cluster-preflight: --list-rules prints text, json or sarif, not html (see --help)\n');
  });

  it('--max-file-size 1KB names sizes in KB (issue 17 item 9)', () => {
    const dir = cluster();
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1226)}\n`);
    const { stderr } = run(['--max-file-size', '1KB', '.'], dir);
    assert.match(stderr, /big\.yaml: 1\.2 KB, above the 1 KB limit \(--max-file-size\); not checked/);
    assert.doesNotMatch(stderr, /0\.0 MB/);
  });

  it('--fail-on decides the exit code; --exit-zero is --fail-on never; --quiet shows errors only', () => {
    const dir = cluster();
    assert.equal(run(['.'], dir).code, 1);
    assert.equal(run(['--fail-on', 'never', '.'], dir).code, 0);
    assert.equal(run(['--exit-zero', '.'], dir).code, 0);
    assert.equal(run(['--disable', 'missing-port-rule', '--fail-on', 'warning', '.'], dir).code, 0);
    const warningsOnly = run(['--disable', 'missing-port-rule', '.'], dir);
    assert.equal(warningsOnly.stdout, 'No problems found (1 file checked in 1 cluster).\n');
    writeFileSync(join(dir, '.cluster-preflight.yaml'), 'rules:\n  missing-port-rule: warning\n');
    assert.equal(run(['.'], dir).code, 0, 'only warnings left');
    assert.equal(run(['--fail-on', 'warning', '.'], dir).code, 1);
    const quiet = run(['--quiet', '--fail-on', 'warning', '.'], dir);
    // Issue 17 item 9: not "No problems found" and exit 1 — the summary names what --quiet hides and what fails.
    assert.deepEqual(lines(quiet), [
      'No errors; 2 warnings not shown (--quiet), which fail the run (--fail-on warning) (2 files checked in 1 cluster).',
    ]);
    assert.deepEqual(lines(run(['--quiet', '.'], dir)), [
      'No errors; 2 warnings not shown (--quiet) (2 files checked in 1 cluster).',
    ]);
    assert.equal(quiet.code, 1, 'the exit code counts what --quiet hides');
    assert.equal(
      run(['--fail-on', 'sometimes', '.'], dir).stderr,
      'cluster-preflight: unknown --fail-on "sometimes"; use error, warning or never (see --help)\n',
    );
  });

  it('--disable turns rules off by id or glob, and warns about an id that is no rule', () => {
    const dir = cluster();
    assert.deepEqual(lines(run(['--disable', 'missing-*', '.'], dir)), ['No problems found (1 file checked in 1 cluster).']);
    const typo = run(['--disable', 'missing-port-rules', '.'], dir);
    assert.equal(
      typo.stderr,
      'cluster-preflight: warning: --disable missing-port-rules: no rule has this id; did you mean missing-port-rule?\n',
    );
    assert.equal(typo.code, 1);
    assert.equal(
      run(['--disable', 'frobnicate', '.'], dir).stderr,
      'cluster-preflight: warning: --disable frobnicate: no rule has this id\n',
    );
  });

  it('a misspelled rule id in .cluster-preflight.yaml gets a "did you mean" (issue 17 item 10)', () => {
    const dir = cluster();
    writeFileSync(join(dir, '.cluster-preflight.yaml'), 'rules:\n  missing-port-rul: warning\n  not-a-rule-at-all: off\n');
    const { diagnostics } = JSON.parse(run(['--format', 'json', '.'], dir).stdout) as {
      diagnostics: Array<{ file: string; message: string }>;
    };
    const messages = diagnostics.filter((d) => d.file === '.cluster-preflight.yaml').map((d) => d.message);
    assert.deepEqual(messages, [
      '"missing-port-rul" names no Cluster Preflight rule, so it changes nothing; did you mean "missing-port-rule"? `cluster-preflight --list-rules` lists them.',
      '"not-a-rule-at-all" names no Cluster Preflight rule, so it changes nothing; `cluster-preflight --list-rules` lists them.',
    ]);
  });

  it('--color paints severities on a terminal, never with NO_COLOR or when asked not to', () => {
    const dir = cluster();
    const red = '\u001b[31merror\u001b[39m';
    assert.ok(run(['.'], dir, { tty: true }).stdout.includes(red));
    assert.ok(!run(['.'], dir, { tty: true, env: { NO_COLOR: '1' } }).stdout.includes('\u001b['));
    assert.ok(!run(['.'], dir).stdout.includes('\u001b['), 'not a terminal');
    assert.ok(run(['--color', 'always', '.'], dir).stdout.includes(red));
    assert.ok(!run(['--color', 'never', '.'], dir, { tty: true }).stdout.includes('\u001b['));
  });

  it('reads standard input as the file --stdin-filename names, with its directory as context', () => {
    const dir = cluster();
    writeFileSync(
      join(dir, 'kubeadm.yaml'),
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: 8443\n',
    );
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
    const result = run(['-', '--stdin-filename', 'inventory.yaml'], dir, { stdin: text });
    // The kubeadm config beside it moves the API server to 8443, which cp-1 does not admit.
    assert.match(
      result.stdout,
      /^inventory\.yaml:\d+:\d+: error missing-port-rule Node "cp-1" \(control-plane\) has no firewall rule admitting 8443\/TCP/m,
    );
    assert.match(result.stdout, /\(1 file checked in 1 cluster\)/);
    assert.equal(run(['-'], dir).stderr, 'cluster-preflight: "-" (standard input) needs --stdin-filename <path> (see --help)\n');
  });

  it('a file named alone reports what checking its directory reports for it', () => {
    const dir = cluster();
    writeFileSync(
      join(dir, 'kubeadm.yaml'),
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: 8443\n',
    );
    const alone = run(['inventory.yaml'], dir);
    const whole = run(['.'], dir);
    const ofInventory = (r: Run) => lines(r).filter((l) => l.startsWith('inventory.yaml:'));
    assert.deepEqual(ofInventory(alone), ofInventory(whole));
    assert.ok(ofInventory(alone).some((l) => l.includes('8443/TCP')));
    assert.match(alone.stdout, /\(1 file checked in 1 cluster\)/);
  });

  it('--config uses one project file for every path; ignore skips files', () => {
    const dir = cluster();
    mkdirSync(join(dir, 'vendor'));
    writeFileSync(join(dir, 'vendor', 'inventory.yaml'), inventory(worker('W_1', 1)));
    const config = join(dir, 'strict.yaml');
    writeFileSync(config, 'rules:\n  missing-port-rule: "off"\nignore:\n  - vendor/**\n');
    assert.deepEqual(lines(run(['--config', config, '.'], dir)), ['No problems found (2 files checked in 1 cluster).']);
    assert.equal(run(['--config', 'nope.yaml', '.'], dir).code, 2);
  });

  it('one line and exit 2 for a bad flag; a warning for a directory without YAML', () => {
    const dir = cluster();
    mkdirSync(join(dir, 'empty'));
    assert.deepEqual(run(['--nope', '.'], dir), {
      code: 2,
      stdout: '',
      stderr: 'cluster-preflight: unknown option --nope (see --help)\n',
    });
    assert.deepEqual(run(['--format'], dir), {
      code: 2,
      stdout: '',
      stderr: 'cluster-preflight: option --format needs a value (see --help)\n',
    });
    const empty = run(['empty'], dir);
    assert.equal(empty.stderr, 'cluster-preflight: warning: empty: no YAML or INI files found\n');
    assert.equal(empty.stdout, 'No problems found (0 files checked).\n');
  });
});
