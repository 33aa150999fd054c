import { defineCommand, defineOptions } from "../define-command.ts";

export const dbMigrate = defineCommand({
  name: "db:migrate",
  summary: "apply pending migrations to DATABASE_URL",
  description: "The embedded database needs no such step: it applies its migrations whenever it opens.",
  options: {},
  examples: ["DATABASE_URL=postgresql://rollcall_owner@db.internal/rollcall rollcall db:migrate"],
  load: () => import("../commands/db.ts").then((module) => module.dbMigrate),
});

export const DB_SERVE_OPTIONS = defineOptions({
  data: {
    type: "string",
    value: "folder",
    description: "the embedded database's data folder",
    defaultText: "ROLLCALL_DATA_DIR, else .rollcall",
  },
  port: {
    type: "integer",
    value: "port",
    description: "the loopback port to serve it on",
    defaultText: "ROLLCALL_EMBEDDED_DB_PORT, else 54329",
    min: 0,
    max: 65535,
  },
});

export const dbServe = defineCommand({
  name: "db:serve",
  summary: "serve the embedded database on its own (psql, other tools) until Ctrl-C",
  options: DB_SERVE_OPTIONS,
  examples: ["rollcall db:serve --data .rollcall --port 54329"],
  load: () => import("../commands/db.ts").then((module) => module.dbServe),
});
