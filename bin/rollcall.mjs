#!/usr/bin/env node
// The `rollcall` command line: TypeScript sources run through tsx, so there is no build step.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

// The project's tsconfig, wherever the command is run from: its paths resolve "server-only" to an
// empty module (tools/server-only.ts), as Next's bundler does on the server.
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
