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
