import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma 7 downloads its native schema engine from outside the npm registry. Where that download
// succeeded (a connected machine) the stock engine is used; where it could not (these offline
// machines and CI) the CLI runs Prisma's own WebAssembly engine through tools/schema-engine-shim.mjs.
function hasNativeSchemaEngine(): boolean {
  const enginesDir = path.resolve(import.meta.dirname, "node_modules/@prisma/engines");
  try {
    return fs.readdirSync(enginesDir).some((file) => file.startsWith("schema-engine-"));
  } catch {
    return false;
  }
}
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && !hasNativeSchemaEngine()) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.resolve(import.meta.dirname, "tools/schema-engine-shim.mjs");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // env("DATABASE_URL") throws when unset, even for `prisma generate`; the local default is only
    // for developer commands such as `prisma migrate dev` against the machine's PostgreSQL.
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/rollcall_dev",
  },
});
