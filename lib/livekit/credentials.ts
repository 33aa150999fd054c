import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../db.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { openSecret, sealSecret } from "./secret-box.ts";

/**
 * Whose webhooks a session reads, and whose a webhook is (DESIGN.md, "Tenancy"): webhooks signed
 * with the server-wide key are in the shared scope, those signed with an academy's own key are in
 * that academy's scope, which is its id. Room names are unique per scope and time.
 */
export const SHARED_SCOPE = "shared";

/** How many of an academy's own keys may be live at once: the old and the new one during a rotation. */
export const MAX_LIVE_KEYS = 2;

export interface WebhookSigner {
  apiKey: string;
  apiSecret: string;
  scope: string;
}

interface SqlQuery {
  query<T>(text: string, values: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * The key a webhook's token names (its `iss`) and the secret to check it with: the server-wide pair,
 * or an academy's live key, or null for a key this server does not know. Read from the database on
 * every call, so a key retired on one instance stops working on all of them at once.
 */
export async function findWebhookSigner(
  db: SqlQuery,
  issuer: string,
  { serverPair, serverSecret }: { serverPair: { apiKey: string; apiSecret: string }; serverSecret: () => string },
): Promise<WebhookSigner | null> {
  if (issuer === serverPair.apiKey) return { ...serverPair, scope: SHARED_SCOPE };
  const { rows } = await db.query<{ academy_id: string; secret_ciphertext: string }>(
    "SELECT academy_id, secret_ciphertext FROM livekit_credential WHERE api_key = $1 AND retired_at IS NULL",
    [issuer],
  );
  const row = rows[0];
  if (!row) return null;
  return { apiKey: issuer, apiSecret: openSecret(row.secret_ciphertext, serverSecret()), scope: row.academy_id };
}

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The advisory lock of an academy's keys: held exclusively while they change (addLivekitKey,
 * retireLivekitKey), shared while a session takes the academy's scope (claimRoom), so a session
 * being created while the first key is registered is either seen and moved by it, or created after
 * it in the academy's own scope.
 */
export const livekitKeysLock = (academyId: string) => `livekit-keys/${academyId}`;

/** The scope a session of this academy gets when it is created or moved. */
export async function academyLivekitScope(db: Db, academyId: string): Promise<string> {
  const own = await db.livekitCredential.findFirst({ where: { academyId }, select: { id: true } });
  return own ? academyId : SHARED_SCOPE;
}

// LiveKit's key ids are short words (API...); secrets are long random strings. A short secret would
// let anyone who guesses it forge the academy's attendance.
export const ZLivekitKeySchema = z.strictObject({
  apiKey: z
    .string()
    .trim()
    .min(3, "must be at least 3 characters")
    .max(200)
    .regex(/^[A-Za-z0-9_.:-]+$/, "may hold letters, digits and _ . : - only"),
  apiSecret: z.string().min(32, "must be at least 32 characters (LiveKit generates 43)").max(512).regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
});
export type TLivekitKey = z.infer<typeof ZLivekitKeySchema>;

/** A key pair for a self-hosted LiveKit server (its `keys:` and `webhook.api_key`), made like LiveKit's own. */
export function generateLivekitKey(): TLivekitKey {
  return { apiKey: `API${randomBytes(9).toString("base64url").replace(/[-_]/g, "x")}`, apiSecret: randomBytes(32).toString("base64url") };
}

export interface LivekitKeyRow {
  apiKey: string;
  createdAt: Date;
  retiredAt: Date | null;
  /** When the last webhook signed with it arrived. */
  lastWebhookAt: Date | null;
}

export async function listLivekitKeys(db: PrismaClient, academyId: string): Promise<LivekitKeyRow[]> {
  const keys = await db.livekitCredential.findMany({ where: { academyId }, orderBy: { createdAt: "asc" }, select: { apiKey: true, createdAt: true, retiredAt: true } });
  if (!keys.length) return [];
  // One index lookup per key ((api_key, received_at) descending).
  const last = await db.$queryRawUnsafe<{ api_key: string; at: Date | null }[]>(
    `SELECT k AS api_key, (SELECT max(w.received_at) FROM webhook_event w WHERE w.api_key = k AND w.livekit_scope = $2) AS at FROM unnest($1::text[]) AS k`,
    keys.map((key) => key.apiKey),
    academyId,
  );
  const lastByKey = new Map(last.map((row) => [row.api_key, row.at]));
  return keys.map((key) => ({ ...key, lastWebhookAt: lastByKey.get(key.apiKey) ?? null }));
}

export interface AddedLivekitKey {
  apiKey: string;
  /** "set": the academy's first key; "rotate": a second key beside the one in use. */
  action: "set" | "rotate";
  /** Sessions not yet started that moved from the shared scope to the academy's own (first key only). */
  movedSessions: number;
}

/**
 * Registers one of an academy's own LiveKit keys. The first one moves the academy off the
 * server-wide key: its sessions that have not started read only webhooks signed with its own keys
 * from then on (those already under way or past keep the webhooks they had). A second one starts a
 * rotation; a third is refused until one is retired.
 */
export async function addLivekitKey(
  db: PrismaClient,
  { academyId, key, expect, serverApiKey, serverSecret }: { academyId: string; key: TLivekitKey; expect?: "set" | "rotate"; serverApiKey: string; serverSecret: string },
): Promise<AddedLivekitKey> {
  if (key.apiKey === serverApiKey) {
    throw new AppError("conflict", "That is the server-wide LiveKit key; academies on it need no key of their own. Register the key of the academy's own LiveKit project.");
  }
  return db.$transaction(async (tx) => {
    // One change of an academy's keys at a time, on every instance.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", livekitKeysLock(academyId));
    const live = await tx.livekitCredential.findMany({ where: { academyId, retiredAt: null }, select: { apiKey: true } });
    const taken = await tx.livekitCredential.findUnique({ where: { apiKey: key.apiKey }, select: { academyId: true, retiredAt: true } });
    if (taken) {
      throw new AppError(
        "conflict",
        taken.academyId === academyId
          ? `The key ${key.apiKey} is already ${taken.retiredAt ? "a retired key" : "a live key"} of this academy; a retired key cannot come back, create a new one in LiveKit.`
          : "That LiveKit key cannot be registered here; create a new key in LiveKit for this academy.",
      );
    }
    if (expect === "set" && live.length) {
      throw new AppError("conflict", `The academy already has its own key (${live.map((k) => k.apiKey).join(", ")}); use rotate to replace it.`);
    }
    if (expect === "rotate" && live.length === 0) throw new AppError("conflict", "The academy has no key of its own to rotate; use set.");
    if (live.length >= MAX_LIVE_KEYS) {
      throw new AppError("conflict", `A rotation is under way (${live.map((k) => k.apiKey).join(", ")}); retire the old key before adding another.`);
    }
    const first = (await tx.livekitCredential.count({ where: { academyId } })) === 0;
    await tx.livekitCredential.create({ data: { academyId, apiKey: key.apiKey, secretCiphertext: sealSecret(key.apiSecret, serverSecret) } });
    let movedSessions = 0;
    if (first) {
      movedSessions = await tx.$executeRawUnsafe(
        `UPDATE session SET livekit_scope = $1, is_calculated = false, updated_at = now()
         WHERE academy_id = $1 AND livekit_scope = $2 AND scheduled_start > now()`,
        academyId,
        SHARED_SCOPE,
      );
    }
    return { apiKey: key.apiKey, action: live.length ? "rotate" : "set", movedSessions };
  });
}

/** Ends a key: webhooks it signs are refused from then on. The academy keeps at least one live key. */
export async function retireLivekitKey(db: PrismaClient, { academyId, apiKey }: { academyId: string; apiKey: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", livekitKeysLock(academyId));
    const live = await tx.livekitCredential.findMany({ where: { academyId, retiredAt: null }, select: { apiKey: true } });
    if (!live.some((key) => key.apiKey === apiKey)) throw new AppError("not_found", `The academy has no live LiveKit key ${JSON.stringify(apiKey)}.`);
    if (live.length === 1) {
      throw new AppError("conflict", "This is the academy's only live key: add the new one first (rotate), point LiveKit at it, then retire this one.");
    }
    await tx.livekitCredential.update({ where: { apiKey }, data: { retiredAt: new Date() } });
  });
}
