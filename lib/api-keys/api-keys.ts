import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/client.ts";

const KEY_PREFIX = "rk_";

/** Keys carry 256 random bits, so a plain SHA-256 is a safe, constant-cost way to store them. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface CreatedApiKey {
  id: string;
  /** The key itself: shown once, never stored. */
  key: string;
  prefix: string;
}

export async function createApiKey(
  db: PrismaClient,
  { academyId, name }: { academyId: string; name: string },
): Promise<CreatedApiKey> {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const prefix = key.slice(0, KEY_PREFIX.length + 6);
  const row = await db.apiKey.create({ data: { academyId, name, prefix, hash: hashApiKey(key) } });
  return { id: row.id, key, prefix };
}

/** The academy's keys, revoked ones included: newest first (the admin page) or oldest first (the CLI). */
export function listApiKeys(
  db: PrismaClient,
  academyId: string,
  order: "newest-first" | "oldest-first" = "newest-first",
) {
  return db.apiKey.findMany({
    where: { academyId },
    orderBy: { createdAt: order === "newest-first" ? "desc" : "asc" },
  });
}

export async function revokeApiKey(
  db: PrismaClient,
  { academyId, apiKeyId }: { academyId: string; apiKeyId: string },
): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id: apiKeyId, academyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export interface ApiKeyPrincipal {
  apiKeyId: string;
  academyId: string;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** The academy a key belongs to, or null for an unknown or revoked key. */
export async function authenticateApiKey(
  db: PrismaClient,
  key: string,
  now = new Date(),
): Promise<ApiKeyPrincipal | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const row = await db.apiKey.findUnique({
    where: { hash: hashApiKey(key) },
    select: { id: true, academyId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  // Recording every use would turn each read into a write; a minute's resolution is enough to audit.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { apiKeyId: row.id, academyId: row.academyId };
}
