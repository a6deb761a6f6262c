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
  // web-tree-sitter's ES module finds its own files through import.meta.url, which CommonJS lacks: the bundle's own URL stands in.
  define: { 'import.meta.url': 'importMetaUrl' },
};
const importMetaUrl = "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;";
const allBuilds = [
  {
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    banner: { js: importMetaUrl },
  },
  {
    ...common,
    entryPoints: ['server/src/server.ts'],
    outfile: 'dist/server.js',
    banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` },
  },
  {
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` },
  },
];
const builds = cliOnly ? allBuilds.filter((options) => options.outfile === 'dist/cli.js') : allBuilds;

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

// The Terraform (HCL) parser's WebAssembly: web-tree-sitter's runtime and the HCL grammar, beside the bundles.
{
  const { copyFileSync, mkdirSync } = await import('node:fs');
  const require = createRequire(import.meta.url);
  const { dirname, join } = await import('node:path');
  mkdirSync('dist', { recursive: true });
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
  copyFileSync(
    join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-hcl.wasm'),
    'dist/tree-sitter-hcl.wasm',
  );
}
