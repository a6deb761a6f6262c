/**
 * The command-line checker: `cluster-preflight [--format text|json|sarif] <file-or-dir>...`.
 * Exit codes: 0 no errors, 1 errors found, 2 usage or I/O problems.
 */
import { runCli } from './cli/main';
import { silenceYamlDebugOutput } from './node/environment';

silenceYamlDebugOutput();
process.exitCode = runCli(process.argv.slice(2), process.stdout, process.stderr);
