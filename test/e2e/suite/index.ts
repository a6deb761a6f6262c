/**
 * The entry point VS Code's extension host loads as `extensionTestsPath` (desktop VS Code through
 * @vscode/test-electron's runTests, or code-server through test/e2e/runCodeServer.ts): runs the
 * mocha suites of this folder and rejects when any test fails, which makes the editor exit non-zero.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    // Colours do not survive the trip through code-server's log forwarding.
    color: !process.env.CLUSTER_PREFLIGHT_E2E_HANDSHAKE && process.stdout.isTTY === true,
    timeout: Number(process.env.CLUSTER_PREFLIGHT_E2E_TEST_TIMEOUT ?? 45_000),
    reporter: 'spec',
  });
  const grep = process.env.CLUSTER_PREFLIGHT_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        // A closing line CI logs can read: "e2e: N passed, N failed".
        console.log(`e2e: ${stats?.passes ?? 0} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} end-to-end test(s) failed`));
        else if ((stats?.passes ?? 0) === 0) reject(new Error('no end-to-end test ran'));
        else resolve();
      });
    } catch (error) {
      console.error(error);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
