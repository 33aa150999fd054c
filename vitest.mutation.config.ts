import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * Mutation testing (stryker.config.mjs) only: the fast tests of the main config's "unit" project that
 * cover lib/attendance and lib/livekit/parse-webhook.ts, as one flat project. The integration project
 * needs built servers and is never run here. `npm test` keeps using vitest.config.ts.
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "tests/reference/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
