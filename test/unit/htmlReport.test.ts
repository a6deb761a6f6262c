import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { controlPlane, inventory } from '../helpers';

/** The CLI's HTML report as CI runs it (dist/cli.js): how it names clusters wherever it is run from. */
describe('html report', function () {
  this.timeout(30_000);
  const cli = resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const headings = (cwd: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, [cli, '--format', 'html', ...args], { cwd, encoding: 'utf8' });
    return [...run.stdout.matchAll(/<section[^>]*>\s*<h1><bdi>([^<]*)<\/bdi><\/h1>/g)].map((m) => m[1]);
  };

  it('names a cluster relative to the working directory or to the path given, never by an absolute path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-report-'));
    // Unnamed: the heading is where it is.
    writeFileSync(join(dir, 'inventory.yaml'), inventory(controlPlane('cp-1', 11)).replace('metadata:\n  name: test\n', ''));
    const name = dir.slice(dir.lastIndexOf('/') + 1);
    // An inventory is its cluster (two side by side are two clusters): the heading names its file.
    assert.deepEqual(headings(dir, '.'), ['inventory.yaml']);
    assert.deepEqual(headings(tmpdir(), name), [`${name}/inventory.yaml`]);
    // Run from elsewhere with an absolute path: named from the folder that holds it.
    const elsewhere = mkdtempSync(join(tmpdir(), 'preflight-elsewhere-'));
    assert.deepEqual(headings(elsewhere, dir), [`${name}/inventory.yaml`]);
    assert.deepEqual(headings(elsewhere, join(dir, 'inventory.yaml')), ['inventory.yaml']);
  });

  it('titles a cluster by its name where it has one, as --format json does, with where it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-named-'));
    const named = (name: string) => inventory(controlPlane('cp-1', 11)).replace('name: test', `name: ${name}`);
    writeFileSync(join(dir, 'prod.yaml'), named('prod'));
    writeFileSync(join(dir, 'staging.yaml'), named('staging'));
    mkdirSync(join(dir, 'inventory', 'lab'), { recursive: true });
    writeFileSync(
      join(dir, 'inventory', 'lab', 'inventory.ini'),
      '[kube_control_plane]\nnode1 ansible_host=10.0.0.1\n[etcd]\nnode1\n[kube_node]\nnode1\n',
    );
    mkdirSync(join(dir, 'declared'));
    writeFileSync(join(dir, 'declared', '.cluster-preflight.yaml'), 'clusters:\n  - name: edge\n    files: ["*.yaml"]\n');
    writeFileSync(join(dir, 'declared', 'inventory.yaml'), inventory(controlPlane('cp-1', 11)));
    assert.deepEqual(headings(dir, '.').sort(), [
      'edge (declared)',
      'inventory/lab',
      'prod (prod.yaml)',
      'staging (staging.yaml)',
    ]);
  });
});
