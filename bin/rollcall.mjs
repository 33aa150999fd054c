#!/usr/bin/env node
// The `rollcall` command line: TypeScript sources run through tsx, so there is no build step.
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { register } from "tsx/esm/api";

// A command is over in a second or two, and most of its CPU went to V8 optimizing the Prisma
// client's WebAssembly query compiler in the background: its baseline code is fast enough for a few
// queries (about 0.3 s and a quarter of a command's CPU less). The embedded database's WebAssembly
// PostgreSQL, when a command opens it itself, is optimized as usual (lib/db/embedded.ts).
v8.setFlagsFromString("--liftoff-only");

// The project's tsconfig, wherever the command is run from: its paths resolve "server-only" to an
// empty module (tools/server-only.ts), as Next's bundler does on the server.
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
