import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // "server-only" is Next's marker for modules that touch the database, secrets or auth; outside
  // Next it is an empty module (tools/server-only.ts), as tsconfig's paths say for tsc and tsx.
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tools/server-only.ts"),
    },
  },
  test: {
    environment: "node",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Pure tests live beside the code they test; they touch no database or network.
          include: [
            "lib/**/*.test.ts",
            "client/**/*.test.ts",
            "inngest/**/*.test.ts",
            "cli/**/*.test.ts",
            "tests/reference/**/*.test.ts",
          ],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.integration.test.ts"],
          globalSetup: ["tests/setup/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          isolate: false,
        },
      },
    ],
  },
});
