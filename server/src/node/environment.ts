/**
 * The bundled `yaml` library prints its token stream (LOG_TOKENS) and its document stream
 * (LOG_STREAM) to standard output when these variables are set — it reads them on every parse.
 * Our standard output is a report (`--format json`, SARIF) or the language server's protocol,
 * so a variable left in a CI environment or a shell must not write into it.
 */
const YAML_DEBUG_VARIABLES = ['LOG_TOKENS', 'LOG_STREAM'];

/** Removes the `yaml` library's debugging switches from this process's environment (and so from its worker threads'). */
export function silenceYamlDebugOutput(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of YAML_DEBUG_VARIABLES) delete env[name];
}
