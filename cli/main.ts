import { academyCreate, academyList } from "./commands/academy.ts";
import { LIVEKIT_KEY_HELP, livekitKey } from "./commands/livekit-key.ts";
import { apiKeyCreate, apiKeyList, apiKeyRevoke } from "./commands/api-key.ts";
import { attendanceCalculate, attendanceReconcile } from "./commands/attendance.ts";
import { dbMigrate, dbServe } from "./commands/db.ts";
import { demo } from "./commands/demo.ts";
import { sessionList } from "./commands/session.ts";
import { userCreate, userList } from "./commands/user.ts";
import { UsageError } from "./output.ts";

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  "academy:create": { run: academyCreate, help: "--name <name> --slug <slug> [--timezone Europe/London]   create an academy (a tenant)" },
  "academy:list": { run: academyList, help: "                                   list academies" },
  "academy:livekit-key": { run: livekitKey, help: LIVEKIT_KEY_HELP },
  "api-key:create": { run: apiKeyCreate, help: "--academy <slug> [--name <label>]  create an API key (printed once)" },
  "api-key:list": { run: apiKeyList, help: "--academy <slug>                     list an academy's API keys" },
  "api-key:revoke": { run: apiKeyRevoke, help: "--academy <slug> --id <key id>     revoke an API key" },
  "user:create": { run: userCreate, help: "--academy <slug> --email <email> --name <name> [--role teacher|admin] [--external-id <LMS id>] [--password <pw>]   a dashboard sign-in" },
  "user:list": { run: userList, help: "--academy <slug>                          list an academy's dashboard users" },
  "session:list": { run: sessionList, help: "--academy <slug> [--status scheduled|live|ended|calculated|cancelled] [--from ISO] [--to ISO] [--limit 50]   sessions and their state" },
  "attendance:calculate": { run: attendanceCalculate, help: "[sessionId] [--force] [--type quran|academic|interactive] [--days 7]   calculate attendance" },
  "attendance:reconcile": { run: async (argv) => attendanceReconcile(argv), help: "[--days 7]          connections with no leave webhook, and where the rules closed them" },
  demo: { run: demo, help: "[--url http://127.0.0.1:3000] [--live-seconds 60]   replay demo classes against a running server" },
  "db:migrate": { run: async () => dbMigrate(), help: "                                     apply migrations to DATABASE_URL" },
  "db:serve": { run: dbServe, help: "[--data .rollcall] [--port 54329]        serve the embedded database on its own" },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  rollcall ${name} ${command.help}`);
  return `Usage: rollcall <command> [options]\n\n${lines.join("\n")}\n\nWith no DATABASE_URL, commands use the embedded database (ROLLCALL_DATA_DIR, default .rollcall).`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command ${JSON.stringify(name)}.\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`rollcall ${name}: ${(error as Error).message}`);
      return 2;
    }
    console.error(`rollcall ${name} failed: ${(error as Error).message}`);
    return 1;
  }
}
