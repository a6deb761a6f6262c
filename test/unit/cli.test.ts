import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
        '2 problems (2 errors, 0 warnings) in 2 files (3 files checked).',
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
    assert.deepEqual(run(['inventory.yaml'], dir), { code: 0, stdout: 'No problems found (1 file checked).\n', stderr: '' });
    assert.equal(run(['--exit-zero', '.'], fixture().dir).code, 0);
  });

  it('exits 2 with a clear message for missing paths and bad usage', () => {
    assert.deepEqual(run(['no/such/dir']), {
      code: 2,
      stdout: '',
      stderr: 'cluster-preflight: no/such/dir: no such file or directory\n',
    });
    assert.equal(run(['--format', 'xml', '.']).code, 2);
    assert.match(run(['--format', 'xml', '.']).stderr, /unknown --format "xml"; use text, json or sarif/);
    assert.equal(run([]).code, 2);
    const unknown = run(['--frobnicate', '.']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--frobnicate'/);
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
});
