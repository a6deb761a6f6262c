/**
 * The command-line checker: `cluster-preflight [--format text|json|sarif] <file-or-dir>...`.
 * Exit codes: 0 no errors, 1 errors found, 2 usage or I/O problems.
 */
import { runCli } from './cli/main';
import { silenceYamlDebugOutput } from './node/environment';
import { loadTerraformParser } from './node/terraformGrammar';

silenceYamlDebugOutput();
// A reader that stops early (`cluster-preflight . | head`) closes the pipe: the rest of the report has
// nowhere to go, which is no crash. Any other failure to write the report is an I/O problem (exit 2).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`cluster-preflight: cannot write the report: ${error.message}\n`);
  process.exit(error.code === 'EPIPE' ? process.exitCode : 2);
});
// Terraform files need the HCL parser (WebAssembly, loaded asynchronously) before the synchronous run.
void loadTerraformParser((message) => process.stderr.write(`cluster-preflight: ${message}\n`)).then(() => {
  process.exitCode = runCli(process.argv.slice(2), process.stdout, process.stderr);
});
