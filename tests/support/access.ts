import { randomBytes } from "node:crypto";
import http from "node:http";
import type pg from "pg";

export interface Answer {
  status: number;
  text: string;
  /** The parsed JSON body, or null when the body is not JSON. */
  json: unknown;
  headers: Headers;
  /** The redirect target as a path (with query), or null. */
  location: string | null;
}

export interface RequestOptions {
  method?: string;
  /** A session cookie header (name=value pairs). */
  cookie?: string | null;
  /** An academy API key, sent as a Bearer token. */
  key?: string | null;
  /** The Origin header; none when omitted. */
  origin?: string | null;
  /** A JSON body (or a raw string). */
  body?: unknown;
  headers?: Record<string, string>;
}

let ipCounter = 0;
const ipBase = randomBytes(3).readUIntBE(0, 3) % 16_000_000;

/**
 * A client address of its own, so each sign-in gets fresh rate-limit counters: a loopback address
 * (127.a.b.c, never 127.0.0.1) that the request is really sent from, since the app believes the
 * connection's address and not X-Forwarded-For. Random per test file, so files do not share one.
 */
export function freshIp(): string {
  for (;;) {
    ipCounter += 1;
    const n = (ipBase + ipCounter) % 16_777_216;
    const [a, b, c] = [n >> 16, (n >> 8) & 255, n & 255];
    if (c !== 0 && c !== 255 && !(a === 0 && b === 0 && c === 1)) return `127.${a}.${b}.${c}`;
  }
}

/** A request sent from a given local address (fetch cannot choose one), answered as a fetch Response. */
export function requestFrom(
  url: string,
  {
    localAddress,
    method = "GET",
    headers = {},
    body,
  }: { localAddress: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, localAddress, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
            answerHeaders.append(name, one);
        }
        const status = response.statusCode ?? 0;
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(payload, { status, headers: answerHeaders }));
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Calls the running app and keeps every answer it received (bodies and headers other than
 * set-cookie), so the test can afterwards search all of them for secrets.
 */
export class Client {
  readonly received: string[] = [];

  constructor(readonly baseUrl: string) {}

  async request(path: string, options: RequestOptions = {}): Promise<Answer> {
    const { method = "GET", cookie, key, origin, body, headers = {} } = options;
    const controller = new AbortController();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: "manual",
      signal: controller.signal,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(origin ? { origin } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    let text: string;
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
      // A live stream never ends: keep its first chunk and hang up.
      const reader = response.body!.getReader();
      const first = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000)),
      ]);
      text = first && first.value ? new TextDecoder().decode(first.value) : "";
      controller.abort();
      await reader.cancel().catch(() => {});
    } else {
      text = await response.text();
    }
    const headerText = [...response.headers.entries()]
      .filter(([name]) => name !== "set-cookie")
      .map(([name, value]) => `${name}: ${value}`);
    this.received.push(`${method} ${path} -> ${response.status}\n${headerText.join("\n")}\n\n${text}`);
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const rawLocation = response.headers.get("location");
    const location = rawLocation
      ? (({ pathname, search }) => pathname + search)(new URL(rawLocation, this.baseUrl))
      : null;
    return { status: response.status, text, json, headers: response.headers, location };
  }

  /** An /api/v1 call with an optional academy key. */
  api(
    method: string,
    path: string,
    key: string | null,
    body?: unknown,
    extra: Omit<RequestOptions, "method" | "key" | "body"> = {},
  ): Promise<Answer> {
    return this.request(`/api/v1${path}`, { ...extra, method, key, body });
  }

  /**
   * Email sign-in sent from a client address of its own (a real source address, see freshIp), with
   * any extra headers (a forged X-Forwarded-For); the cookie header to send back on success.
   */
  async signIn(
    email: string,
    password: string,
    ip = freshIp(),
    headers: Record<string, string> = {},
  ): Promise<{ status: number; cookie: string; cookieValues: string[]; answer: Answer }> {
    const response = await requestFrom(`${this.baseUrl}/api/auth/sign-in/email`, {
      localAddress: ip,
      method: "POST",
      headers: { "content-type": "application/json", origin: this.baseUrl, ...headers },
      body: JSON.stringify({ email, password }),
    });
    const text = await response.text();
    this.received.push(`POST /api/auth/sign-in/email -> ${response.status}\n\n${text}`);
    const pairs = response.headers
      .getSetCookie()
      .map((line) => line.split(";")[0]!.trim())
      .filter((pair) => pair.includes("=") && pair.split("=").slice(1).join("=") !== "");
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return {
      status: response.status,
      cookie: pairs.join("; "),
      cookieValues: pairs.map((pair) => pair.slice(pair.indexOf("=") + 1)),
      answer: { status: response.status, text, json, headers: response.headers, location: null },
    };
  }
}

/**
 * Everything stored for an academy that an attacker could try to change, each row as PostgreSQL's
 * own JSON text, so "unchanged" means byte for byte.
 */
export async function snapshotAcademy(pool: pg.Pool, academyId: string): Promise<Record<string, string[]>> {
  const queries: Record<string, string> = {
    academy: "SELECT row_to_json(t)::text AS row FROM academy t WHERE id = $1",
    typePolicies:
      "SELECT row_to_json(t)::text AS row FROM session_type_policy t WHERE academy_id = $1 ORDER BY session_type",
    apiKeys: "SELECT row_to_json(t)::text AS row FROM api_key t WHERE academy_id = $1 ORDER BY id",
    people: "SELECT row_to_json(t)::text AS row FROM person t WHERE academy_id = $1 ORDER BY id",
    sessions: "SELECT row_to_json(t)::text AS row FROM session t WHERE academy_id = $1 ORDER BY id",
    roster:
      "SELECT row_to_json(t)::text AS row FROM session_roster t JOIN session s ON s.id = t.session_id WHERE s.academy_id = $1 ORDER BY t.session_id, t.person_id",
    reports:
      "SELECT row_to_json(t)::text AS row FROM attendance_report t WHERE academy_id = $1 ORDER BY session_id, identity",
    // The academy's rooms, and everything signed with its own LiveKit keys (webhook ids are unique per scope).
    webhookEvents:
      "SELECT row_to_json(t)::text AS row FROM webhook_event t WHERE t.room_name IN (SELECT room_name FROM session WHERE academy_id = $1) OR t.livekit_scope = $1 ORDER BY id, livekit_scope",
    livekitCredentials:
      "SELECT row_to_json(t)::text AS row FROM livekit_credential t WHERE academy_id = $1 ORDER BY api_key",
  };
  const snapshot: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(queries)) {
    snapshot[name] = (await pool.query<{ row: string }>(sql, [academyId])).rows.map((row) => row.row);
  }
  snapshot.authUsers = (
    await pool.query<{ row: string }>("SELECT row_to_json(t)::text AS row FROM auth_user t ORDER BY id")
  ).rows.map((row) => row.row);
  return snapshot;
}

/** Which of the secrets occur in a text (also URL-encoded), for a readable failure. */
export function secretsIn(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
}
