import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateInventory } from '../../bench/generate';
import { runCli } from '../../server/src/cli/main';
import { controlPlane, inventory, spanAfter, worker } from '../helpers';

const REPO = resolve(__dirname, '../../..');

function run(args: string[], cwd?: string) {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = runCli(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

function fixture(): { dir: string; inventoryText: string } {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
  const inventoryText = inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '') + worker('w-1', 1));
  writeFileSync(join(dir, 'inventory.yaml'), inventoryText);
  mkdirSync(join(dir, 'apps'));
  writeFileSync(
    join(dir, 'apps', 'svc.yml'),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports:\n    - port: 80\n      nodePort: 8080\n',
  );
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'node_modules', 'bad.yaml'), inventory(worker('W_1', 1)));
  writeFileSync(join(dir, 'ci.yaml'), 'on: [push]\n');
  return { dir, inventoryText };
}

describe('CLI', () => {
  it('prints path:line:col: severity code message and a summary, exit 1 on errors', () => {
    const { dir, inventoryText } = fixture();
    const { code, stdout } = run(['.'], dir);
    const firewall = spanAfter(inventoryText, '      ', 'firewall');
    assert.equal(code, 1);
    assert.equal(
      stdout,
      [
        'apps/svc.yml:7:17: error nodeport-out-of-range nodePort 8080 of Service default/web: provided port is not in the valid range. The range of valid ports is 30000-32767.',
        `inventory.yaml:${firewall.start.line + 1}:${firewall.start.character + 1}: error missing-port-rule Node "cp-1" (control-plane) has no firewall rule admitting 6443/TCP (Kubernetes API server).`,
        '2 problems (2 errors, 0 warnings) in 2 files (3 files checked in 1 cluster).',
        '',
      ].join('\n'),
    );
  });

  it('prints LSP-shaped JSON with 0-based positions', () => {
    const { dir } = fixture();
    const { code, stdout } = run(['--format', 'json', 'apps'], dir);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), {
      diagnostics: [
        {
          file: 'apps/svc.yml',
          range: { start: { line: 6, character: 16 }, end: { line: 6, character: 20 } },
          severity: 'error',
          code: 'nodeport-out-of-range',
          message:
            'nodePort 8080 of Service default/web: provided port is not in the valid range. The range of valid ports is 30000-32767.',
          codeDescription: { href: 'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport' },
          relatedInformation: [],
        },
      ],
      // A cluster of Services alone has no nodes to list requirements for.
      clusters: [{ name: 'apps', root: 'apps', files: ['apps/svc.yml'], nodes: [] }],
    });
  });

  it('prints SARIF with rules, regions and help links', () => {
    const { dir } = fixture();
    const sarif = JSON.parse(run(['--format', 'sarif', '.'], dir).stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.ok(
      run0.tool.driver.rules.some(
        (r: any) =>
          r.id === 'missing-port-rule' && r.helpUri === 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
      ),
    );
    assert.deepEqual(run0.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'apps/svc.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 17, endLine: 7, endColumn: 21 },
    });
  });

  it('exits 0 with a clean summary when nothing is wrong, and with --exit-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
    writeFileSync(join(dir, 'inventory.yaml'), inventory(controlPlane('cp-1', 11) + worker('w-1', 1)));
    assert.deepEqual(run(['inventory.yaml'], dir), {
      code: 0,
      stdout: 'No problems found (1 file checked in 1 cluster).\n',
      stderr: '',
    });
    assert.equal(run(['--exit-zero', '.'], fixture().dir).code, 0);
  });

  it('exits 2 with a clear message for missing paths and bad usage', () => {
    assert.deepEqual(run(['no/such/dir']), {
      code: 2,
      stdout: '',
      stderr: 'cluster-preflight: no/such/dir: no such file or directory\n',
    });
    assert.equal(run(['--format', 'xml', '.']).code, 2);
    assert.match(run(['--format', 'xml', '.']).stderr, /unknown --format "xml"; use text, json, sarif or html/);
    assert.equal(run([]).code, 2);
    const unknown = run(['--frobnicate', '.']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'cluster-preflight: unknown option --frobnicate (see --help)\n');
  });

  it('works as `npm run --silent check` from the repository root, exit codes included', () => {
    const { dir } = fixture();
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const json = spawnSync(npm, ['run', '--silent', 'check', '--', '--format', 'json', join(dir, 'apps')], {
      cwd: REPO,
      encoding: 'utf8',
    });
    assert.equal(json.status, 1, json.stderr);
    assert.equal(JSON.parse(json.stdout).diagnostics[0].code, 'nodeport-out-of-range');
    const missing = spawnSync(npm, ['run', '--silent', 'check', '--', join(dir, 'nope')], { cwd: REPO, encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope: no such file or directory/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });

  describe('odd paths and files', () => {
    it('skips a dangling symbolic link, a link loop and a name that is not UTF-8, with a warning each, and checks the rest', () => {
      const { dir } = fixture();
      symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
      symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
      symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
      writeFileSync(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.yaml')]), 'a: 1\n');
      const { code, stdout, stderr } = run(['.'], dir);
      assert.equal(code, 1);
      assert.match(stdout, /inventory\.yaml:\d+:\d+: error missing-port-rule/);
      assert.match(stdout, /in 2 files \(3 files checked in 1 cluster\)/);
      assert.match(stderr, /dangling\.yaml: cannot read \(ENOENT\); skipped/);
      assert.match(stderr, /loop-a\.yaml: cannot read \(ELOOP\); skipped/);
      assert.match(stderr, /caf.\.yaml: the name is not valid UTF-8; skipped/);
    });
    it('exits 2 only for a path named on the command line that cannot be read', () => {
      const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
      symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
      const { code, stderr } = run(['dangling.yaml'], dir);
      assert.equal(code, 2);
      assert.match(stderr, /dangling\.yaml: no such file or directory/);
    });
    it("reads a UTF-16 file (what PowerShell's > writes) and checks it", () => {
      const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
      const text = inventory(controlPlane('CP-1', 11));
      mkdirSync(join(dir, 'le'));
      mkdirSync(join(dir, 'be'));
      writeFileSync(join(dir, 'le', 'inventory.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      writeFileSync(
        join(dir, 'be', 'inventory.yaml'),
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
      );
      const { code, stdout } = run(['--format', 'json', '.'], dir);
      assert.equal(code, 1);
      assert.deepEqual(
        JSON.parse(stdout).diagnostics.map((d: { file: string; code: string }) => [d.file, d.code]),
        [
          ['be/inventory.yaml', 'invalid-hostname'],
          ['le/inventory.yaml', 'invalid-hostname'],
        ],
      );
    });
    it('skips a file above --max-file-size with one note (a 200 MB inventory), and rejects a size it cannot read', () => {
      const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
      const path = join(dir, 'inventory.yaml');
      writeFileSync(path, inventory(controlPlane('cp-1', 11)));
      truncateSync(path, 200 * 1024 * 1024); // sparse: takes no disk space, reads as zeros after the inventory
      const big = run(['.'], dir);
      assert.equal(big.code, 0);
      assert.equal(
        big.stdout,
        'inventory.yaml:1:1: information file-too-large This file is 200 MB, above the 10 MB limit for one file, so it was not checked. Raise the limit with --max-file-size (CLI) or clusterPreflight.maxFileSize (editor) to check it.\n1 problem (0 errors, 0 warnings, 1 other) in 1 file (1 file checked in 1 cluster).\n',
      );
      assert.match(big.stderr, /inventory\.yaml: 200 MB, above the 10 MB limit \(--max-file-size\); not checked/);
      const bad = run(['--max-file-size', 'ten', '.'], dir);
      assert.equal(bad.code, 2);
      assert.equal(
        bad.stderr,
        'cluster-preflight: --max-file-size "ten" is not a size; write it as 25MB, 500KB or a number of bytes\n',
      );
    });
    it('checks a 10 MB inventory', function () {
      this.timeout(60_000);
      const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
      writeFileSync(join(dir, 'inventory.yaml'), generateInventory(17_500));
      const ten = run(['--format', 'json', '.'], dir);
      assert.equal(ten.code, 1, ten.stderr);
      assert.ok(JSON.parse(ten.stdout).diagnostics.length > 500);
      assert.doesNotMatch(ten.stdout, /file-too-large/);
    });
  });
});
