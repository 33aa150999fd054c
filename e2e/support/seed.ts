import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { expect, type APIRequestContext } from "@playwright/test";
import { createApiKey } from "../../lib/api-keys/api-keys.ts";
import { createDashboardUser } from "../../lib/auth/users.ts";
import { PrismaClient } from "../../lib/generated/prisma/client.ts";
import { signWebhook, WEBHOOK_CONTENT_TYPE } from "../../lib/livekit/sign-webhook.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
  type WebhookPayload,
} from "../../lib/simulation/webhook-payloads.ts";
import { E2E_LIVEKIT, e2eDbUrl } from "../../playwright.config.ts";

export const MIN = 60_000;
export const PASSWORD = "e2e-password-long-enough";

/** Writes straight to the e2e server's embedded database, as `rollcall` would. */
export async function withDatabase<T>(work: (db: PrismaClient) => Promise<T>): Promise<T> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDbUrl(), max: 2 }) });
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

export interface Academy {
  id: string;
  key: string;
}

export async function createAcademy(db: PrismaClient, slug: string, timezone = "UTC"): Promise<Academy> {
  const academy = await db.academy.create({ data: { slug, name: `Academy ${slug}`, timezone } });
  return { id: academy.id, key: (await createApiKey(db, { academyId: academy.id, name: "e2e" })).key };
}

export async function createUser(
  db: PrismaClient,
  academy: Academy,
  role: "admin" | "teacher",
  name: string,
  externalId?: string,
) {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${randomUUID().slice(0, 6)}@e2e.test`;
  await createDashboardUser(db, { academyId: academy.id, role, email, name, password: PASSWORD, externalId });
  return { email, password: PASSWORD, name };
}

export interface ClassInput {
  title: string;
  /** quran unless said. */
  type?: "quran" | "academic" | "interactive";
  start: number;
  minutes: number;
  teacher: { externalId: string; name: string; livekitIdentity: string };
  students: { externalId: string; name: string; livekitIdentity: string }[];
}

/** Creates a session through the academy API, as an LMS does. */
export async function createClass(
  request: APIRequestContext,
  academy: Academy,
  input: ClassInput,
): Promise<{ id: string; room: RoomRef }> {
  const roomName = `e2e-${randomUUID()}`;
  const response = await request.post("/api/v1/sessions", {
    headers: { authorization: `Bearer ${academy.key}` },
    data: {
      type: input.type ?? "quran",
      title: input.title,
      roomName,
      scheduledStart: new Date(input.start).toISOString(),
      scheduledEnd: new Date(input.start + input.minutes * MIN).toISOString(),
      teacher: input.teacher,
      students: input.students,
    },
  });
  if (response.status() !== 201) throw new Error(`session not created: ${response.status()} ${await response.text()}`);
  const { session } = (await response.json()) as { session: { id: string } };
  return {
    id: session.id,
    room: { sid: `RM_${randomUUID().slice(0, 12)}`, name: roomName, creationTimeMs: input.start - 10 * MIN },
  };
}

/** Delivers one webhook, signed with the LiveKit SDK, through the real route. */
export async function deliver(request: APIRequestContext, payload: WebhookPayload): Promise<void> {
  const body = toWebhookBody(payload);
  const response = await request.post("/api/livekit/webhook", {
    data: body,
    headers: {
      "content-type": WEBHOOK_CONTENT_TYPE,
      authorization: await signWebhook(body, E2E_LIVEKIT.apiKey, E2E_LIVEKIT.apiSecret),
    },
  });
  if (response.status() !== 200) throw new Error(`webhook refused: ${response.status()} ${await response.text()}`);
}

export function participant(identity: string, name: string, joinedAtMs: number): ParticipantRef {
  return { sid: `PA_${randomUUID().slice(0, 12)}`, identity, name, joinedAtMs };
}

export const eventId = () => `EV_${randomUUID().replace(/-/g, "").slice(0, 16)}`;

export async function join(request: APIRequestContext, room: RoomRef, who: ParticipantRef, at: number) {
  await deliver(request, participantJoined(eventId(), room, who, at));
}

export async function leave(request: APIRequestContext, room: RoomRef, who: ParticipantRef, at: number) {
  await deliver(request, participantLeft(eventId(), room, who, at, "CLIENT_INITIATED"));
}

/** Forces a recalculation through the API and waits until the report is at least as new as the request. */
export async function recalculateAndWait(request: APIRequestContext, apiKey: string, sessionId: string): Promise<void> {
  const auth = { headers: { authorization: `Bearer ${apiKey}` } };
  const response = await request.post(`/api/v1/sessions/${sessionId}/recalculate`, auth);
  expect(response.status()).toBe(202);
  const { requestedAt } = (await response.json()) as { requestedAt: string };
  await expect
    .poll(
      async () => {
        const report = (await (await request.get(`/api/v1/sessions/${sessionId}/report`, auth)).json()) as {
          calculatedAt: string | null;
        };
        return report.calculatedAt !== null && Date.parse(report.calculatedAt) >= Date.parse(requestedAt);
      },
      { timeout: 60_000, intervals: [250, 500, 1_000] },
    )
    .toBe(true);
}
