// Shared by tools/schema-engine.mjs (a small CLI) and tools/schema-engine-shim.mjs (a stand-in for
// the native schema-engine binary that Prisma's CLI spawns).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { ColumnTypeEnum } from "@prisma/driver-adapter-utils";

// The package targets bundlers (it imports the .wasm file directly); instantiate it by hand.
const require = createRequire(import.meta.url);
const wasmPath = path.join(
  path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
  "schema_engine_bg.wasm",
);
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  message: "",
  set_message(m) {
    this.message = m;
    console.error("schema-engine panic:", m);
  },
};
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), { "./schema_engine_bg.js": bg });
bg.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start?.();
export const { SchemaEngine } = bg;

export async function pgFactory(url) {
  const { default: pg } = await import("pg");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const u = new URL(url);
  // Discrete fields, not { connectionString }: with a connection string pg would ignore the
  // `database` we set for the shadow database.
  const base = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password) || undefined,
    database: u.pathname.slice(1),
  };
  // @prisma/adapter-pg 7.10.1 rejects columns of PostgreSQL's internal type "char" (OID 18),
  // which the schema describer selects from pg_catalog ("Column type 'char' could not be
  // deserialized from the database"). Present them as text to the adapter, then tell the engine
  // they are Character columns.
  const charColumns = new WeakMap();
  const fix = (r) => {
    const idx = [];
    (r?.fields ?? []).forEach((f, i) => {
      if (f.dataTypeID === 18) {
        f.dataTypeID = 25;
        idx.push(i);
      }
    });
    if (idx.length && r.rows) charColumns.set(r.rows, idx);
    return r;
  };
  const wrapQuery = (target) => {
    const query = target.query.bind(target);
    target.query = (...args) => {
      const ret = query(...args);
      return ret && typeof ret.then === "function" ? ret.then(fix) : ret;
    };
  };
  const wrapQueryable = (q) => {
    const queryRaw = q.queryRaw.bind(q);
    q.queryRaw = async (query) => {
      const rs = await queryRaw(query);
      for (const i of charColumns.get(rs.rows) ?? []) rs.columnTypes[i] = ColumnTypeEnum.Character;
      return rs;
    };
    if (q.startTransaction) {
      const start = q.startTransaction.bind(q);
      q.startTransaction = async (...a) => wrapQueryable(await start(...a));
    }
    return q;
  };
  const connect = async (config) => {
    const pool = new pg.Pool(config);
    wrapQuery(pool); // pool.query() outside transactions
    pool.on("connect", wrapQuery); // clients checked out for transactions
    const adapter = wrapQueryable(await new PrismaPg(pool, { disposeExternalPool: true }).connect());
    // @prisma/adapter-pg 7.10.1 splits scripts on every ";", which breaks dollar-quoted function
    // bodies (plpgsql triggers). PostgreSQL's simple protocol runs a whole script as sent.
    adapter.executeScript = async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        throw Object.assign(new Error(error.message), {
          cause: { kind: "postgres", code: error.code, message: error.message, originalMessage: error.message },
        });
      }
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connect(base),
    // PrismaPg's own connectToShadowDb (7.10.1) drops the database before closing its pool.
    // SCHEMA_ENGINE_SHADOW=pglite: use a throwaway in-memory PGlite instead of CREATE DATABASE
    // (needed for pglite-socket, which serves a single database; also works without CREATEDB rights).
    async connectToShadowDb() {
      if (process.env.SCHEMA_ENGINE_SHADOW === "pglite") {
        const { PGlite } = await import("@electric-sql/pglite");
        const { PrismaPGlite } = await import("pglite-prisma-adapter");
        const db = new PGlite();
        const shadow = await new PrismaPGlite(db).connect();
        const close = shadow.dispose.bind(shadow);
        shadow.dispose = async () => {
          await close();
          await db.close();
        };
        return shadow;
      }
      const admin = await connect(base);
      const name = `prisma_shadow_${crypto.randomUUID().replace(/-/g, "")}`;
      await admin.executeScript(`CREATE DATABASE "${name}"`);
      const shadow = await connect({ ...base, database: name });
      const close = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await close();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

export async function pgliteFactory(url) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const where = url.slice("pglite:".length);
  const db = where === "memory" || where === "" ? new PGlite() : new PGlite(path.resolve(where));
  return new PrismaPGlite(db); // connectToShadowDb() gives a fresh in-memory PGlite
}

export const factoryFor = (url) => (url.startsWith("pglite:") ? pgliteFactory(url) : pgFactory(url));

export async function startEngine(url, schemaFiles, log = () => {}) {
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  return SchemaEngine.new(
    { datamodels: schemaFiles.length ? schemaFiles.map((f) => [f.path, f.content]) : undefined },
    log,
    bindMigrationAwareSqlAdapterFactory(await factoryFor(url)),
  );
}
