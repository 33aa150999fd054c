import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const eslintConfig = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", ".rollcall/**"],
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
    rules: { "@typescript-eslint/no-unnecessary-condition": "error" },
  },
  {
    // The attendance core is pure: no database, framework, network or clock of its own.
    files: ["lib/attendance/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "@prisma/*", "inngest", "inngest/*", "livekit-server-sdk", "pg", "node:*", "fs", "net", "http", "../*"], message: "lib/attendance is pure: no I/O, framework or sibling-module imports." },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Pass the clock in; the core never reads it." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass the clock in; the core never reads it." },
      ],
    },
  },
];

export default eslintConfig;
