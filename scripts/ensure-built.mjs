// `npm run check` and `npm run lsp` are contracts other tools call directly; build
// the bundles first when they are missing or older than the sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const outputs = ['dist/cli.js', 'dist/server.js', 'dist/extension.js'].map((f) => join(root, f));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale =
  outputs.some((f) => !existsSync(f)) ||
  Math.min(...outputs.map((f) => statSync(f).mtimeMs)) <
    Math.max(newestSource(join(root, 'server/src')), newestSource(join(root, 'client/src')), newestSource(join(root, 'schemas')));
if (stale) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
