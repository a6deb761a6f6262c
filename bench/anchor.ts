/**
 * The benchmark's anchor, yaml-language-server, installed on demand into a cache folder the
 * first time `npm run bench` runs (as the e2e setup installs code-server): it needs Node 22
 * according to its package, so it is kept out of the project's dependencies, where a plain
 * `npm install` on Node 20 would warn about it. It runs on Node 20 for what the benchmark asks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const VERSION = '2.0.0';
const CACHE = resolve(__dirname, '../../.bench-cache');

/** The path of yaml-language-server's executable script, installing it first when missing. */
export function yamlLanguageServer(): string {
  const bin = resolve(CACHE, 'node_modules/yaml-language-server/bin/yaml-language-server');
  if (existsSync(bin)) return bin;
  console.log(`[bench] installing yaml-language-server@${VERSION} into .bench-cache/ (once)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      CACHE,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel',
      'error',
      '--engine-strict=false',
      `yaml-language-server@${VERSION}`,
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0 || !existsSync(bin)) throw new Error(`could not install yaml-language-server@${VERSION} into ${CACHE}`);
  return bin;
}
