// Bundles the three entry points with esbuild. The packaged extension and the
// CLI load these bundles, never node_modules.
// `--cli` builds the CLI alone; with NODE_PATH set, esbuild and the CLI's imports come from there
// (the GitHub Action installs just those into a temporary directory instead of every devDependency).
import { createRequire } from 'node:module';
import { delimiter } from 'node:path';

const esbuild = createRequire(import.meta.url)('esbuild');
const watch = process.argv.includes('--watch');
const cliOnly = process.argv.includes('--cli');
const nodePaths = process.env.NODE_PATH ? process.env.NODE_PATH.split(delimiter).filter(Boolean) : [];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  nodePaths,
};
const allBuilds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
const builds = cliOnly ? allBuilds.filter((options) => options.outfile === 'dist/cli.js') : allBuilds;

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
