/**
 * The command-line checker: `cluster-preflight [--format text|json|sarif] <file-or-dir>...`.
 * Exit codes: 0 no errors, 1 errors found, 2 usage or I/O problems.
 */
import { runCli } from './cli/main';
import { silenceYamlDebugOutput } from './node/environment';
import { loadTerraformParser } from './node/terraformGrammar';

silenceYamlDebugOutput();
// Terraform files need the HCL parser (WebAssembly, loaded asynchronously) before the synchronous run.
void loadTerraformParser((message) => process.stderr.write(`cluster-preflight: ${message}\n`)).then(() => {
  process.exitCode = runCli(process.argv.slice(2), process.stdout, process.stderr);
});
