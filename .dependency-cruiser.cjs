/**
 * The direction of imports, checked in CI (`npm run lint`). The engine is layered; each layer
 * imports only the ones below it:
 *
 *   core ← knowledge, schema ← model ← sources ← rules ← analysis ← features ← lsp, cli
 *
 * A document kind (sources/<kind>/) never imports another kind, the registry or the rules; a
 * rule never imports another rule; the engine never imports the LSP, the CLI or the editor.
 * See docs/architecture.md.
 */
const ENGINE = '^server/src/engine/';
const layer = (name) => `^server/src/engine/${name}/`;
const below = (...names) => `^server/src/engine/(${names.join('|')})/`;

/** A layer may import itself and the layers named; any other engine folder is forbidden. */
const onlyBelow = (name, ...allowed) => ({
  name: `${name}-imports-only-lower-layers`,
  comment: `engine/${name} may import ${allowed.length ? allowed.join(', ') : 'nothing else of the engine'}`,
  severity: 'error',
  from: { path: layer(name) },
  to: { path: ENGINE, pathNot: below(name, ...allowed) },
});

module.exports = {
  forbidden: [
    onlyBelow('core'),
    onlyBelow('knowledge', 'core'),
    onlyBelow('schema', 'core'),
    onlyBelow('model', 'core', 'knowledge'),
    onlyBelow('sources', 'core', 'knowledge', 'schema', 'model'),
    onlyBelow('rules', 'core', 'knowledge', 'schema', 'model', 'sources'),
    onlyBelow('analysis', 'core', 'knowledge', 'schema', 'model', 'sources', 'rules'),
    {
      name: 'kinds-are-independent',
      comment: 'a document kind never imports another kind (shared pieces belong in a lower layer)',
      severity: 'error',
      from: { path: '^server/src/engine/sources/([^/]+)/' },
      to: { path: '^server/src/engine/sources/[^/]+/', pathNot: '^server/src/engine/sources/$1/' },
    },
    {
      name: 'kinds-do-not-import-the-registry',
      severity: 'error',
      from: { path: '^server/src/engine/sources/[^/]+/' },
      to: { path: '^server/src/engine/sources/registry\\.ts$' },
    },
    {
      name: 'rules-do-not-import-rules',
      comment: 'only the catalogue lists rules; shared helpers live in rules/util/',
      severity: 'error',
      from: { path: '^server/src/engine/rules/[^/]+\\.ts$', pathNot: '^server/src/engine/rules/catalogue\\.ts$' },
      to: { path: '^server/src/engine/rules/[^/]+\\.ts$', pathNot: '^server/src/engine/rules/types\\.ts$' },
    },
    {
      name: 'engine-is-editor-agnostic',
      comment: 'the engine imports nothing of the LSP, the CLI, node-specific file access or an editor',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: ['^server/src/(lsp|cli|node)/', '^client/', 'node_modules/vscode', '^vscode$'] },
    },
    {
      name: 'lsp-and-cli-are-siblings',
      severity: 'error',
      from: { path: '^server/src/(lsp|cli)/' },
      to: { path: '^server/src/(lsp|cli)/', pathNot: '^server/src/$1/' },
    },
    {
      name: 'client-starts-the-server-only',
      comment: 'the VS Code client talks to the server over LSP, never by importing it',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^server/' },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'no two folders import each other, directly or through others',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too: a cycle through them is a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^out/|^dist/|\\.json$)' },
  },
};
