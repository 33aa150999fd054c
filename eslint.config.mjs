import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** lib/ imports none of the folders that build on it. */
const LIB_LAYER = {
  regex: "^(@/|(\\.\\./)+)(app|components|client|inngest)/",
  message: "lib/ is the bottom layer: it never imports app/, components/, client/ or inngest/.",
};

/**
 * Server modules, as import paths ("@/lib/db/client.ts", "../../lib/auth/viewer.ts"): whole folders
 * that are server-side, and the server files of folders that also hold pure modules (whose pure
 * neighbours, such as lib/auth/safe-next.ts or lib/reports/result-status.ts, client code may use).
 */
const SERVER_MODULES = [
  "^(@/|(\\.\\./)+)inngest/",
  "^(@/|(\\.\\./)+)lib/(db|api|live|ingest|scheduling|event-log|students|search|presence|generated)/",
  "^(@/|(\\.\\./)+)lib/(env|server-startup)\\.ts$",
  "^(@/|(\\.\\./)+)lib/auth/(?!safe-next\\.ts$|return-path\\.ts$)",
  "^(@/|(\\.\\./)+)lib/livekit/(?!parse-webhook\\.ts$)",
  "^(@/|(\\.\\./)+)lib/calculation/(?!due-time\\.ts$|report-changes\\.ts$)",
  "^(@/|(\\.\\./)+)lib/sessions/(?!session-schemas\\.ts$|sessions-filter\\.ts$)",
  "^(@/|(\\.\\./)+)lib/reports/(export-csv|get-session-report|override-author|set-override)\\.ts$",
  "^(@/|(\\.\\./)+)lib/(register/register|policy/academy-policy|api-keys/api-keys|simulation/stored-classes)\\.ts$",
].join("|");

const eslintConfig = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      ".rollcall/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Rules that need the types: a promise nobody awaits or catches, a promise handed to something
    // that ignores it (an event handler, a timer), a switch that forgets a case, a check the types
    // say can never fail.
    files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
    },
  },
  {
    // Not in tests: their teardown guards against a setup that failed half way (`await app?.stop()`).
    files: ["app/**", "components/**", "lib/**", "cli/**", "inngest/**", "client/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-unnecessary-condition": "error",
      // A function a reader cannot hold at once gets split where it has parts worth a name. Counted
      // as Prettier lays it out (JSX props one per line), where 100 lines read like 80 unwrapped ones.
      "max-lines-per-function": ["error", { max: 100, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The library is below everything that uses it: no pages or route handlers, components, client
    // helpers or Inngest functions (those import lib/, never the other way round).
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [LIB_LAYER] }],
    },
  },
  {
    // Client code (client/, and components/, which the browser bundles) never imports a server
    // module: the database, auth's server side, secrets, the scheduler. Types are erased, so
    // `import type` from a read model is fine. Server-side modules also say so with
    // `import "server-only"` (Next refuses them in a client bundle at build time).
    files: ["client/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: ["pg", "better-auth", "inngest", "livekit-server-sdk", "next/headers", "exceljs"].map((name) => ({
            name,
            message: "Client code never imports a server package.",
            allowTypeImports: true,
          })),
          patterns: [
            { group: ["@prisma/*"], message: "Client code never imports the database.", allowTypeImports: true },
            {
              regex: SERVER_MODULES,
              message:
                "Client code never imports a server module (database, auth, secrets, scheduling): call an API route, or import a pure module.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The attendance core is pure: no database, framework, network or clock of its own.
    files: ["lib/attendance/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "next",
                "next/*",
                "@prisma/*",
                "inngest",
                "inngest/*",
                "livekit-server-sdk",
                "pg",
                "node:*",
                "fs",
                "net",
                "http",
                "../*",
              ],
              message: "lib/attendance is pure: no I/O, framework or sibling-module imports.",
            },
            LIB_LAYER,
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Pass the clock in; the core never reads it.",
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: "Pass the clock in; the core never reads it.",
        },
      ],
    },
  },
];

export default eslintConfig;
