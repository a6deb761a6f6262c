/**
 * Mocha root hook: loads the Terraform (HCL) parser once before any test, as the CLI and the
 * language server do at start-up (its WebAssembly loads asynchronously; the engine is synchronous).
 */
import { loadTerraformParser } from '../../server/src/node/terraformGrammar';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await loadTerraformParser((message) => {
      throw new Error(message);
    });
  },
};
