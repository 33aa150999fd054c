#!/usr/bin/env node
// The `rollcall` command line: TypeScript sources run through tsx, so there is no build step.
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { register } from "tsx/esm/api";

// A command is over in a second or two, and on PostgreSQL about a quarter of its CPU went to V8
// optimizing the Prisma client's WebAssembly query compiler in the background: its baseline code is
// fast enough for a command's queries (about 0.3 s less). Not without DATABASE_URL: the command may
// run the embedded database's WebAssembly PostgreSQL itself, which needs the optimized code (a third
// slower without it), and V8 takes the flag once for the whole process.
if (process.env.DATABASE_URL) v8.setFlagsFromString("--liftoff-only");

// The project's tsconfig, wherever the command is run from: its paths resolve "server-only" to an
// empty module (tools/server-only.ts), as Next's bundler does on the server.
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
