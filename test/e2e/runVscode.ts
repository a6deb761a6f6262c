/**
 * Runs the end-to-end suite (test/e2e/suite) in desktop VS Code through @vscode/test-electron,
 * which downloads VS Code into .vscode-test/ (needs access to Microsoft's update servers: use it on
 * a contributor's machine or a CI with internet; test/e2e/runCodeServer.ts runs the same suite
 * offline in code-server).
 *
 *   npm run compile && npm run build && node out/test/e2e/runVscode.js
 *
 * Environment: VSCODE_TEST_VERSION (default "stable"; e.g. "1.91.1", the oldest the manifest
 * accepts), CLUSTER_PREFLIGHT_E2E_GREP (only the tests whose title matches).
 * On Linux without a display, run it under xvfb-run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const extensionDevelopmentPath = ROOT;
  const extensionTestsPath = path.join(ROOT, 'out', 'test', 'e2e', 'suite', 'index');
  const workspace = path.join(ROOT, 'test', 'e2e', 'fixture');
  for (const [file, hint] of [
    [path.join(ROOT, 'dist', 'extension.js'), 'npm run build'],
    [`${extensionTestsPath}.js`, 'npm run compile'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`${hint}\` first`);
  }
  // Throwaway profile: no settings, state or other extensions leak into the run.
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-preflight-vscode-'));
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-telemetry',
        `--user-data-dir=${path.join(userData, 'user-data')}`,
        `--extensions-dir=${path.join(userData, 'extensions')}`,
      ],
      extensionTestsEnv: { CLUSTER_PREFLIGHT_E2E_GREP: process.env.CLUSTER_PREFLIGHT_E2E_GREP ?? '' },
    });
  } finally {
    fs.rmSync(userData, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    // runTests rejects when VS Code exits non-zero (a failing suite) or cannot be downloaded/started.
    console.error(`[test:vscode] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
