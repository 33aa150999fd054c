import "server-only";
import { requireAcademy } from "../lookups.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../lib/api-keys/api-keys.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { API_KEY_CREATE_OPTIONS, API_KEY_LIST_OPTIONS, API_KEY_REVOKE_OPTIONS } from "../definitions/academies.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable } from "../output.ts";

export async function apiKeyCreate({ values }: ParsedCommand<typeof API_KEY_CREATE_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const created = await createApiKey(db.prisma, { academyId: academy.id, name: values.name });
    console.log(
      `API key "${values.name}" for ${academy.name} (shown once; only its hash is stored):\n\n  ${created.key}\n`,
    );
    console.log(`Use it as:  Authorization: Bearer ${created.key}`);
    return 0;
  });
}

export async function apiKeyList({ values }: ParsedCommand<typeof API_KEY_LIST_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const keys = await listApiKeys(db.prisma, academy.id, "oldest-first");
    const when = (date: Date | null) => date?.toISOString() ?? "-";
    console.log(
      formatTable(
        ["id", "name", "prefix", "created", "last used", "revoked"],
        keys.map((k) => [k.id, k.name, `${k.prefix}…`, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]),
      ),
    );
    return 0;
  });
}

export async function apiKeyRevoke({ values }: ParsedCommand<typeof API_KEY_REVOKE_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const academy = await requireAcademy(db.prisma, values.academy);
    const revoked = await revokeApiKey(db.prisma, { academyId: academy.id, apiKeyId: values.id });
    console.log(revoked ? `Revoked ${values.id}.` : `No active key ${values.id} in ${academy.slug}.`);
    return revoked ? 0 : 1;
  });
}
