import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
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
  scope: string;
}

interface SqlQuery {
  query<T>(text: string, values: unknown[]): Promise<{ rows: T[] }>;
}

/** A key that may have signed a webhook; its secret is opened only when it is tried. */
export interface SignerCandidate {
  apiKey: string;
  scope: string;
  /** The secret, or a SecretBoxError when it cannot be read with this server's secret. */
  openSecret(): string;
}

/**
 * The keys a webhook's token names (its `iss`), each with the scope it signs for: the server-wide
 * pair, or the live keys of that id registered by academies. A key id is not a secret (it sits in
 * every token and in livekit.yaml), so several academies may have registered one: the one whose
 * secret verifies the signature is the signer, and an academy that registers another's key id
 * with a secret of its own takes none of that academy's webhooks. Read from the database on every
 * call, so a key retired on one instance stops working on all of them at once.
 */
export async function findSignerCandidates(
  db: SqlQuery,
  issuer: string,
  { serverPair, serverSecret }: { serverPair: { apiKey: string; apiSecret: string }; serverSecret: () => string },
): Promise<SignerCandidate[]> {
  if (issuer === serverPair.apiKey)
    return [{ apiKey: issuer, scope: SHARED_SCOPE, openSecret: () => serverPair.apiSecret }];
  const { rows } = await db.query<{ academy_id: string; secret_ciphertext: string }>(
    "SELECT academy_id, secret_ciphertext FROM livekit_credential WHERE api_key = $1 AND retired_at IS NULL ORDER BY created_at, id",
    [issuer],
  );
  return rows.map((row) => ({
    apiKey: issuer,
    scope: row.academy_id,
    openSecret: () => openSecret(row.secret_ciphertext, serverSecret()),
  }));
}

type Db = PrismaClient | Prisma.TransactionClient;

function sameSecret(box: string, secret: string, serverSecret: string): boolean {
  let stored: string;
  try {
    stored = openSecret(box, serverSecret);
  } catch {
    return false;
  }
  const a = Buffer.from(stored);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
  apiSecret: z
    .string()
    .min(32, "must be at least 32 characters (LiveKit generates 43)")
    .max(512)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
});
export type TLivekitKey = z.infer<typeof ZLivekitKeySchema>;

/** A key pair for a self-hosted LiveKit server (its `keys:` and `webhook.api_key`), made like LiveKit's own. */
export function generateLivekitKey(): TLivekitKey {
  return {
    apiKey: `API${randomBytes(9).toString("base64url").replace(/[-_]/g, "x")}`,
    apiSecret: randomBytes(32).toString("base64url"),
  };
}

export interface LivekitKeyRow {
  apiKey: string;
  createdAt: Date;
  retiredAt: Date | null;
  /** When the last webhook signed with it arrived. */
  lastWebhookAt: Date | null;
}

export async function listLivekitKeys(db: PrismaClient, academyId: string): Promise<LivekitKeyRow[]> {
  const keys = await db.livekitCredential.findMany({
    where: { academyId },
    orderBy: { createdAt: "asc" },
    select: { apiKey: true, createdAt: true, retiredAt: true },
  });
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
  {
    academyId,
    key,
    expect,
    serverApiKey,
    serverSecret,
  }: { academyId: string; key: TLivekitKey; expect?: "set" | "rotate"; serverApiKey: string; serverSecret: string },
): Promise<AddedLivekitKey> {
  if (key.apiKey === serverApiKey) {
    throw new AppError(
      "conflict",
      "That is the server-wide LiveKit key; academies on it need no key of their own. Register the key of the academy's own LiveKit project.",
    );
  }
  return db.$transaction(async (tx) => {
    // One change of an academy's keys at a time, on every instance.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", livekitKeysLock(academyId));
    const live = await tx.livekitCredential.findMany({
      where: { academyId, retiredAt: null },
      select: { apiKey: true },
    });
    const sameId = await tx.livekitCredential.findMany({
      where: { apiKey: key.apiKey },
      select: { academyId: true, retiredAt: true, secretCiphertext: true },
    });
    const own = sameId.find((row) => row.academyId === academyId);
    if (own) {
      throw new AppError(
        "conflict",
        `The key ${key.apiKey} is already ${own.retiredAt ? "a retired key" : "a live key"} of this academy; a retired key cannot come back, create a new one in LiveKit.`,
      );
    }
    // Another academy's key id with a secret of its own is no threat (its webhooks would verify only
    // with its own secret), so it is allowed and the answer says nothing about the other. The same
    // secret too would make one LiveKit project sign for two academies: only someone who holds that
    // secret can learn, from this refusal, that it is registered.
    if (sameId.some((row) => sameSecret(row.secretCiphertext, key.apiSecret, serverSecret))) {
      throw new AppError(
        "conflict",
        "This LiveKit key and secret are already registered on this server. Academies that share one LiveKit project use the server-wide key; give this academy a project (or at least a key) of its own.",
      );
    }
    if (expect === "set" && live.length) {
      throw new AppError(
        "conflict",
        `The academy already has its own key (${live.map((k) => k.apiKey).join(", ")}); use rotate to replace it.`,
      );
    }
    if (expect === "rotate" && live.length === 0)
      throw new AppError("conflict", "The academy has no key of its own to rotate; use set.");
    if (live.length >= MAX_LIVE_KEYS) {
      throw new AppError(
        "conflict",
        `A rotation is under way (${live.map((k) => k.apiKey).join(", ")}); retire the old key before adding another.`,
      );
    }
    const first = (await tx.livekitCredential.count({ where: { academyId } })) === 0;
    await tx.livekitCredential.create({
      data: { academyId, apiKey: key.apiKey, secretCiphertext: sealSecret(key.apiSecret, serverSecret) },
    });
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
export async function retireLivekitKey(
  db: PrismaClient,
  { academyId, apiKey }: { academyId: string; apiKey: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", livekitKeysLock(academyId));
    const live = await tx.livekitCredential.findMany({
      where: { academyId, retiredAt: null },
      select: { apiKey: true },
    });
    if (!live.some((key) => key.apiKey === apiKey))
      throw new AppError("not_found", `The academy has no live LiveKit key ${JSON.stringify(apiKey)}.`);
    if (live.length === 1) {
      throw new AppError(
        "conflict",
        "This is the academy's only live key: add the new one first (rotate), point LiveKit at it, then retire this one.",
      );
    }
    await tx.livekitCredential.update({
      where: { academyId_apiKey: { academyId, apiKey } },
      data: { retiredAt: new Date() },
    });
  });
}
