import "server-only";
import { requireAcademy } from "../lookups.ts";
import { resolveAuthSecret } from "../../lib/auth/auth-secret.ts";
import { env } from "../../lib/env.ts";
import {
  addLivekitKey,
  generateLivekitKey,
  listLivekitKeys,
  retireLivekitKey,
  ZLivekitKeySchema,
  type TLivekitKey,
} from "../../lib/livekit/credentials.ts";
import type { ParsedCommand } from "../define-command.ts";
import type {
  LIVEKIT_KEY_GIVE_OPTIONS,
  LIVEKIT_KEY_RETIRE_OPTIONS,
  LIVEKIT_KEY_SHOW_OPTIONS,
} from "../definitions/academies.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";

// A secret on the command line would stay in the shell's history and show in `ps`: it comes on
// standard input instead (printf %s "$SECRET" | rollcall ...).
async function readSecretFromStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError(
      'pipe the LiveKit API secret on standard input, e.g. printf %s "$LIVEKIT_SECRET" | rollcall academy:livekit-key set ...',
    );
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

async function keyFromArgs(values: {
  key?: string;
  generate: boolean;
}): Promise<{ key: TLivekitKey; generated: boolean }> {
  if (values.generate) {
    if (values.key)
      throw new UsageError("give either --key (an existing LiveKit key, secret on stdin) or --generate, not both");
    return { key: generateLivekitKey(), generated: true };
  }
  if (!values.key)
    throw new UsageError(
      "--key <LiveKit API key> is required (its secret on standard input), or --generate for a self-hosted LiveKit server",
    );
  const parsed = ZLivekitKeySchema.safeParse({ apiKey: values.key, apiSecret: await readSecretFromStdin() });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues
        .map((issue) => `${issue.path.join(".") === "apiKey" ? "--key" : "the secret"} ${issue.message}`)
        .join("; "),
    );
  return { key: parsed.data, generated: false };
}

/** `set` (the academy's first key of its own) or `rotate` (a new key beside the current one). */
export function livekitKeyGive(action: "set" | "rotate") {
  return async function run({ values }: ParsedCommand<typeof LIVEKIT_KEY_GIVE_OPTIONS>): Promise<number> {
    const given = await keyFromArgs(values);
    return withDatabase(async (db) => {
      const academy = await requireAcademy(db.prisma, values.academy);
      const added = await addLivekitKey(db.prisma, {
        academyId: academy.id,
        key: given.key,
        expect: action,
        serverApiKey: env().LIVEKIT_API_KEY,
        serverSecret: resolveAuthSecret(),
      });
      console.log(
        `${academy.name} now accepts webhooks signed with ${added.apiKey}${added.action === "rotate" ? " beside its current key (retire the old one once LiveKit uses the new one)" : ""}.`,
      );
      if (added.action === "set") {
        console.log(
          `Webhooks signed with it belong to ${academy.name} alone; ${added.movedSessions} session(s) not yet started now read only those.`,
        );
      }
      if (given.generated) {
        console.log(
          `\nA new pair for your LiveKit server (the secret is shown once; only Rollcall's encrypted copy is kept):\n\n  key:    ${given.key.apiKey}\n  secret: ${given.key.apiSecret}\n`,
        );
        console.log(
          `In livekit.yaml:  keys: { ${given.key.apiKey}: <secret> }   webhook: { api_key: ${given.key.apiKey}, urls: [https://<rollcall>/api/livekit/webhook] }`,
        );
      }
      return 0;
    });
  };
}

export async function livekitKeyRetire({ values }: ParsedCommand<typeof LIVEKIT_KEY_RETIRE_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    await retireLivekitKey(db.prisma, { academyId: academy.id, apiKey: values.key });
    console.log(`${values.key} is retired: webhooks signed with it are refused from now on.`);
    return 0;
  });
}

export async function livekitKeyShow({ values }: ParsedCommand<typeof LIVEKIT_KEY_SHOW_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const keys = await listLivekitKeys(db.prisma, academy.id);
    if (!keys.length) {
      console.log(`${academy.name} uses the server-wide LiveKit key (LIVEKIT_API_KEY); it has no key of its own.`);
      return 0;
    }
    const when = (date: Date | null) => date?.toISOString() ?? "-";
    console.log(
      formatTable(
        ["key", "state", "added", "last webhook", "retired"],
        keys.map((k) => [
          k.apiKey,
          k.retiredAt ? "retired" : "live",
          when(k.createdAt),
          when(k.lastWebhookAt),
          when(k.retiredAt),
        ]),
      ),
    );
    return 0;
  });
}
