import { randomBytes } from "node:crypto";
import { createApiKey } from "../../lib/api-keys/api-keys.ts";
import { signWebhook, WEBHOOK_CONTENT_TYPE } from "../../lib/livekit/sign-webhook.ts";
import type { PrismaClient } from "../../lib/generated/prisma/client.ts";
import { livekitCredentials } from "./backends.ts";

/** Runs `work` over items with at most `limit` in flight; the results in the items' order. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;

/** An academy of its own with an API key, so tests never see each other's data. */
export async function seedAcademy(prisma: PrismaClient, name = "Test Academy") {
  const academy = await prisma.academy.create({
    data: { name, slug: uniqueName("academy"), timezone: "Europe/London" },
  });
  const { key, id: apiKeyId } = await createApiKey(prisma, { academyId: academy.id, name: "test" });
  return { academy, key, apiKeyId };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  json: T;
  headers: Headers;
}

async function toResult<T>(response: Response): Promise<HttpResult<T>> {
  const text = await response.text();
  let json: unknown = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { raw: text };
  }
  return { status: response.status, json: json as T, headers: response.headers };
}

export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return toResult<T>(response);
}

/** Posts a webhook body signed with the servers' LiveKit credentials, unless told otherwise. */
export async function postWebhook(
  baseUrl: string,
  body: string,
  options: { authorization?: string | null; contentType?: string } = {},
): Promise<HttpResult<{ ok: boolean; result?: string; note?: string; error?: { code: string; message: string } }>> {
  const { apiKey, apiSecret } = livekitCredentials();
  const authorization =
    options.authorization === undefined ? await signWebhook(body, apiKey, apiSecret) : options.authorization;
  const response = await fetch(`${baseUrl}/api/livekit/webhook`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? WEBHOOK_CONTENT_TYPE,
      ...(authorization === null ? {} : { authorization }),
    },
    body,
  });
  return toResult(response);
}

export function sessionInput(overrides: Record<string, unknown> = {}) {
  const room = uniqueName("room");
  const start = Date.UTC(2026, 10, 20, 10, 0, 0);
  return {
    type: "quran",
    title: "Tajweed",
    roomName: room,
    scheduledStart: new Date(start).toISOString(),
    scheduledEnd: new Date(start + 60 * 60_000).toISOString(),
    teacher: { externalId: `t-${room}`, name: "Teacher", livekitIdentity: `teacher-${room}` },
    students: [
      { externalId: `s1-${room}`, name: "Aisha", livekitIdentity: `aisha-${room}` },
      { externalId: `s2-${room}`, name: "Omar", livekitIdentity: `omar-${room}` },
      { externalId: `s3-${room}`, name: "Yusuf", livekitIdentity: `yusuf-${room}` },
    ],
    ...overrides,
  };
}
