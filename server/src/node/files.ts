/** Finding YAML files on disk, the same way for the CLI and the language server's workspace index. */

/** Directories never searched: dependencies and VCS metadata are not cluster descriptions. */
export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function isYamlFile(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}
