import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/main';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import { configFilesAbove, configRootOf, projectRootOf } from '../../server/src/node/projectRoot';
import { controlPlane, inventory, worker } from '../helpers';

function run(args: string[], cwd: string, stdin = '') {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = runCli(
      args,
      { write: (t: string) => (stdout += t) },
      { write: (t: string) => (stderr += t) },
      { env: {}, readStdin: () => stdin },
    );
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

/** Issue 17 item 2: `repo/.cluster-preflight.yaml` turns duplicate-ip off; the inventory sits in clusters/prod/. */
function repository(withGit = true): { repo: string; prod: string } {
  const repo = mkdtempSync(join(tmpdir(), 'preflight-context-'));
  if (withGit) mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, '.cluster-preflight.yaml'), 'rules: {duplicate-ip: off}\n');
  const prod = join(repo, 'clusters', 'prod');
  mkdirSync(prod, { recursive: true });
  writeFileSync(join(prod, 'inventory.yaml'), inventory(controlPlane('cp-1', 11) + worker('w-1', 1) + worker('w-2', 1)));
  return { repo, prod };
}

describe('CLI: one context and config root (the repository)', () => {
  it('finds the duplicate without the config (the reproduction is real)', () => {
    const { repo } = repository();
    writeFileSync(join(repo, '.cluster-preflight.yaml'), 'rules: {}\n');
    assert.match(run(['--format', 'json', 'clusters/'], repo).stdout, /"code": "duplicate-ip"/);
  });

  for (const args of [['.'], ['clusters/'], ['clusters/prod/inventory.yaml'], ['clusters/prod']]) {
    it(`applies the repository's .cluster-preflight.yaml to cluster-preflight ${args.join(' ')}`, () => {
      const { repo } = repository();
      const { stdout } = run(['--format', 'json', ...args], repo);
      assert.doesNotMatch(stdout, /duplicate-ip/);
    });
  }

  it('applies it from a subdirectory of the repository too (the root is the nearest .git, not the working directory)', () => {
    const { repo, prod } = repository();
    assert.doesNotMatch(run(['--format', 'json', 'inventory.yaml'], prod).stdout, /duplicate-ip/);
    assert.doesNotMatch(run(['--format', 'json', '.'], prod).stdout, /duplicate-ip/);
    assert.doesNotMatch(
      run(['--format', 'json', '-', '--stdin-filename', 'inventory.yaml'], prod, inventory(worker('w-1', 1) + worker('w-2', 1)))
        .stdout,
      /duplicate-ip/,
    );
    assert.equal(projectRootOf(join(prod, 'inventory.yaml'), '/'), repo);
  });

  it('without .git, searches up to the working directory and never above it', () => {
    const { repo, prod } = repository(false);
    assert.doesNotMatch(run(['--format', 'json', 'clusters/prod'], repo).stdout, /duplicate-ip/);
    // Run from clusters/: the config in the directory above the working directory is not the project's.
    assert.match(run(['--format', 'json', 'prod'], join(repo, 'clusters')).stdout, /"code": "duplicate-ip"/);
    assert.equal(configRootOf(prod, join(repo, 'clusters')), join(repo, 'clusters'));
    assert.deepEqual(configFilesAbove(prod, join(repo, 'clusters')), []);
    assert.deepEqual(configFilesAbove(prod, repo), [join(repo, '.cluster-preflight.yaml')]);
  });

  it('a file outside every repository and the working directory is checked alone (issue 18 item 13)', () => {
    // A shared temporary folder: an unrelated cluster beside the file must not become its context.
    const shared = mkdtempSync(join(tmpdir(), 'preflight-shared-'));
    writeFileSync(join(shared, 'other.yaml'), inventory(worker('w-1', 1)));
    writeFileSync(join(shared, 'mine.yaml'), inventory(worker('w-2', 1)));
    // Two inventories are two clusters unless declared one: declared, their shared address is a duplicate.
    writeFileSync(join(shared, '.cluster-preflight.yaml'), 'clusters:\n  - name: shared\n    files: ["*.yaml"]\n');
    const elsewhere = mkdtempSync(join(tmpdir(), 'preflight-cwd-'));
    const named = run(['--format', 'json', join(shared, 'mine.yaml')], elsewhere);
    assert.doesNotMatch(named.stdout, /duplicate-ip/);
    const piped = run(
      ['--format', 'json', '-', '--stdin-filename', join(shared, 'x.yaml')],
      elsewhere,
      inventory(worker('w-3', 1)),
    );
    assert.doesNotMatch(piped.stdout, /duplicate-ip/);
    // The same file from inside its folder keeps its directory as context.
    assert.match(run(['--format', 'json', 'mine.yaml'], shared).stdout, /duplicate-ip/);
  });

  it('--stdin-filename ../../../../x.yaml does not read the files below / as context', () => {
    const deep = mkdtempSync(join(tmpdir(), 'preflight-deep-'));
    const cwd = join(deep, 'a', 'b', 'c', 'd');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(deep, 'a', 'b', 'neighbour.yaml'), inventory(worker('w-1', 1)));
    const relativeUp = '../'.repeat(cwd.split('/').length + 2) + 'x.yaml';
    const started = process.hrtime.bigint();
    const { code, stdout } = run(['--format', 'json', '-', '--stdin-filename', relativeUp], cwd, inventory(worker('w-2', 1)));
    assert.equal(code, 1);
    assert.doesNotMatch(stdout, /duplicate-ip/);
    assert.ok(process.hrtime.bigint() - started < 10_000_000_000n, 'reading / would take tens of seconds');
    const parsed = JSON.parse(stdout) as { diagnostics: Array<{ file: string }> };
    assert.ok(parsed.diagnostics.every((d) => d.file === '/x.yaml'));
  });

  it("the engine's config search stops at the config root, not at the folder checked", () => {
    const workspace = new Workspace();
    workspace.setText('file:///repo/.cluster-preflight.yaml', 'rules: {duplicate-ip: off}\n');
    workspace.setRoots(['file:///repo/clusters/']);
    assert.equal(workspace.projectConfig('file:///repo/clusters/prod/inventory.yaml'), undefined);
    workspace.setConfigRoots(['file:///repo/']);
    assert.ok(workspace.projectConfig('file:///repo/clusters/prod/inventory.yaml'));
  });
});
