#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot download it.
// Point the Prisma CLI at it:  PRISMA_SCHEMA_ENGINE_BINARY=tools/schema-engine-shim.mjs
// It speaks the binary's interface (argv + JSON-RPC over stdin/stdout, JSON logs on stderr)
// and forwards each call to @prisma/schema-engine-wasm through a driver adapter.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const argv = process.argv.slice(2);
const datamodels = [];
let datasource = null;
let cliCommand = null;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--datamodels") datamodels.push(argv[++i]);
  else if (argv[i] === "--datasource") datasource = JSON.parse(argv[++i]);
  else if (argv[i] === "--enabled-preview-features" || argv[i] === "--extension-types") i++;
  else if (argv[i] === "cli") cliCommand = argv[++i];
  else if (argv[i] === "--version" || argv[i] === "-V") {
    console.log("schema-engine-shim (wasm)");
    process.exit(0);
  }
}
const trace = process.env.SCHEMA_ENGINE_SHIM_LOG
  ? (m) => fs.appendFileSync(process.env.SCHEMA_ENGINE_SHIM_LOG, m + "\n")
  : () => {};
trace(`argv: ${argv.filter((a) => !a.includes("url")).join(" ")}`);
// The CLI drops the first stderr line before looking for the ERROR record, so emit an INFO line first.
const logErr = (message, code) => {
  const line = (level, fields) =>
    JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: "schema_engine::logger" }) + "\n";
  process.stderr.write(
    line("INFO", { message: "schema-engine-shim" }) + line("ERROR", { message, ...(code ? { error_code: code } : {}) }),
  );
};

const { startEngine, factoryFor } = await import("./wasm-schema-engine.mjs");
const url = datasource?.url ?? process.env.DATABASE_URL ?? "";

if (cliCommand) {
  // one-shot subcommands: can-connect-to-database | create-database | drop-database
  try {
    const factory = await factoryFor(url);
    if (cliCommand === "can-connect-to-database") {
      const a = await factory.connect();
      await a.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
      await a.dispose();
    } else if (cliCommand === "create-database") {
      const u = new URL(url);
      const name = u.pathname.slice(1);
      u.pathname = "/postgres";
      const a = await (await factoryFor(u.toString())).connect();
      const exists = await a.queryRaw({
        sql: "SELECT 1 FROM pg_database WHERE datname = $1",
        args: [name],
        argTypes: [{ scalarType: "string", arity: "scalar" }],
      });
      if (!exists.rows.length) await a.executeScript(`CREATE DATABASE "${name}"`);
      await a.dispose();
    } else {
      throw new Error(`unsupported subcommand ${cliCommand}`);
    }
    process.exit(0);
  } catch (e) {
    const raw = String(e?.cause?.originalMessage ?? e?.message ?? e);
    const u = new URL(url.startsWith("pglite:") ? "postgresql://x/x" : url);
    if (
      (/does not exist/.test(raw) && e?.cause?.kind === "DatabaseDoesNotExist") ||
      /database ".*" does not exist/.test(raw)
    )
      logErr(`Database \`${u.pathname.slice(1)}\` does not exist on the database server at \`${u.host}\`.`, "P1003");
    else logErr(raw, "P1001");
    process.exit(1);
  }
}

const schemaFiles = datamodels.map((p) => ({ path: path.resolve(p), content: fs.readFileSync(p, "utf8") }));
const engine = await startEngine(url, schemaFiles, (line) => trace(`log: ${line}`));

// createMigration needs a shadow database, which the Wasm engine only reaches through diff();
// emulate it: (migrations replayed on a shadow DB) -> (schema), as a SQL script.
async function createMigration(p) {
  const list = p.migrationsList;
  const from = list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" };
  const r = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files: p.schema.files },
    script: true,
    exitCode: true,
    filters: p.filters,
  });
  const empty = r.exitCode !== 2;
  return {
    connectorType: "postgresql",
    extension: "sql",
    generatedMigrationName: `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}_${p.migrationName}`,
    migrationScript: empty ? (p.draft ? "-- This is an empty migration." : null) : r.stdout,
  };
}

// evaluateDataLoss in the Wasm engine can also hit "shadow DB must be provided through an external
// factory"; then fall back to diff() and report the step count only (the generated SQL still carries
// Prisma's "Warnings:" comment block for destructive changes).
async function evaluateDataLoss(p) {
  try {
    return await engine.evaluateDataLoss(p);
  } catch (e) {
    if (!/shadow DB must be provided/.test(String(e?.message))) throw e;
    const list = p.migrationsList;
    const from = list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" };
    const r = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: p.schema.files },
      script: true,
      exitCode: true,
      filters: p.filters,
    });
    const steps = r.exitCode === 2 ? (r.stdout.match(/^-- \w+/gm) ?? []).length || 1 : 0;
    return { migrationSteps: steps, unexecutableSteps: [], warnings: [] };
  }
}

// The native engine prints the diff by sending a "print" request to the CLI, not in the result.
let printId = 1_000_000;
async function diff(p) {
  const r = await engine.diff(p);
  if (r.stdout != null) {
    process.stdout.write(
      JSON.stringify({ jsonrpc: "2.0", id: printId++, method: "print", params: { content: r.stdout } }) + "\n",
    );
  }
  return { exitCode: r.exitCode, stdout: null };
}

const methods = {
  createMigration,
  evaluateDataLoss,
  diff,
  getDatabaseVersion: () => engine.version(),
  debugPanic: () => engine.debugPanic(),
};

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const pending = new Set();
rl.on("line", (line) => {
  if (!line.trim()) return;
  const msg = JSON.parse(line);
  if (msg.id === undefined || !msg.method) return; // responses to our own requests (none)
  trace(`rpc -> ${msg.method}`);
  const run = (async () => {
    try {
      const fn =
        methods[msg.method] ?? (typeof engine[msg.method] === "function" ? (p) => engine[msg.method](p) : null);
      if (!fn) throw Object.assign(new Error(`method ${msg.method} not supported by the wasm shim`), { code: "P1000" });
      const result = (await fn(msg.params)) ?? {};
      process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result }) + "\n");
      trace(`rpc <- ${msg.method} ok`);
    } catch (e) {
      const message = String(e?.message ?? e);
      trace(`rpc <- ${msg.method} error ${e?.code ?? ""}: ${message.slice(0, 300)}`);
      process.stdout.write(
        JSON.stringify({
          jsonrpc: "2.0",
          id: msg.id,
          error: {
            code: 4466,
            message: "An error happened. Check the data field for details.",
            data: { is_panic: false, message, ...(e?.code ? { error_code: e.code } : {}) },
          },
        }) + "\n",
      );
    }
  })();
  pending.add(run);
  run.finally(() => pending.delete(run));
});
rl.on("close", async () => {
  await Promise.allSettled([...pending]);
  engine.free();
  process.exit(0);
});
