/**
 * Loads the HCL parser for Terraform files: web-tree-sitter's runtime and the HCL grammar, two
 * WebAssembly files. The bundles (dist/) ship them beside themselves; compiled tests and
 * `ts-node` runs find them in node_modules. A failure to load is logged once and costs only the
 * Terraform files, which then contribute nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installHclParser } from '../engine/sources/terraform/hcl';

export const TREE_SITTER_WASM = 'tree-sitter.wasm';
export const HCL_GRAMMAR_WASM = 'tree-sitter-hcl.wasm';

function wasmPaths(): { runtime: string; grammar: string } {
  const runtime = join(__dirname, TREE_SITTER_WASM);
  const grammar = join(__dirname, HCL_GRAMMAR_WASM);
  if (existsSync(runtime) && existsSync(grammar)) return { runtime, grammar };
  const resolve = createRequire(__filename).resolve;
  return {
    runtime: resolve(`web-tree-sitter/${TREE_SITTER_WASM}`),
    grammar: join(resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json'), '..', HCL_GRAMMAR_WASM),
  };
}

let loaded: Promise<void> | undefined;

/** Starts loading once; resolves when Terraform files can be parsed (or loading failed and was logged). */
export function loadTerraformParser(log: (message: string) => void = () => {}): Promise<void> {
  loaded ??= (async () => {
    try {
      const { runtime, grammar } = wasmPaths();
      await installHclParser(readFileSync(runtime), readFileSync(grammar));
    } catch (error) {
      log(
        `the Terraform (HCL) parser could not be loaded, so .tf files are not read: ${(error as Error)?.stack ?? String(error)}`,
      );
    }
  })();
  return loaded;
}
