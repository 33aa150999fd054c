import { randomBytes } from "node:crypto";
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
const ipBase = randomBytes(2);

/** A client address of its own, so each sign-in gets a fresh rate-limit bucket. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${ipBase[0]! % 200}.${(ipBase[1]! + Math.floor(ipCounter / 250)) % 250}.${ipCounter % 250 + 1}`;
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
      const first = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000))]);
      text = first && first.value ? new TextDecoder().decode(first.value) : "";
      controller.abort();
      await reader.cancel().catch(() => {});
    } else {
      text = await response.text();
    }
    const headerText = [...response.headers.entries()].filter(([name]) => name !== "set-cookie").map(([name, value]) => `${name}: ${value}`);
    this.received.push(`${method} ${path} -> ${response.status}\n${headerText.join("\n")}\n\n${text}`);
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    const rawLocation = response.headers.get("location");
    const location = rawLocation ? (({ pathname, search }) => pathname + search)(new URL(rawLocation, this.baseUrl)) : null;
    return { status: response.status, text, json, headers: response.headers, location };
  }

  /** An /api/v1 call with an optional academy key. */
  api(method: string, path: string, key: string | null, body?: unknown, extra: Omit<RequestOptions, "method" | "key" | "body"> = {}): Promise<Answer> {
    return this.request(`/api/v1${path}`, { ...extra, method, key, body });
  }

  /** Email sign-in from a client address of its own; the cookie header to send back on success. */
  async signIn(email: string, password: string, ip = freshIp()): Promise<{ status: number; cookie: string; cookieValues: string[]; answer: Answer }> {
    const response = await fetch(`${this.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json", origin: this.baseUrl, "x-forwarded-for": ip },
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
    typePolicies: "SELECT row_to_json(t)::text AS row FROM session_type_policy t WHERE academy_id = $1 ORDER BY session_type",
    apiKeys: "SELECT row_to_json(t)::text AS row FROM api_key t WHERE academy_id = $1 ORDER BY id",
    people: "SELECT row_to_json(t)::text AS row FROM person t WHERE academy_id = $1 ORDER BY id",
    sessions: "SELECT row_to_json(t)::text AS row FROM session t WHERE academy_id = $1 ORDER BY id",
    roster: "SELECT row_to_json(t)::text AS row FROM session_roster t JOIN session s ON s.id = t.session_id WHERE s.academy_id = $1 ORDER BY t.session_id, t.person_id",
    reports: "SELECT row_to_json(t)::text AS row FROM attendance_report t WHERE academy_id = $1 ORDER BY session_id, identity",
    webhookEvents: "SELECT row_to_json(t)::text AS row FROM webhook_event t WHERE t.room_name IN (SELECT room_name FROM session WHERE academy_id = $1) ORDER BY id",
  };
  const snapshot: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(queries)) {
    snapshot[name] = (await pool.query<{ row: string }>(sql, [academyId])).rows.map((row) => row.row);
  }
  snapshot.authUsers = (await pool.query<{ row: string }>("SELECT row_to_json(t)::text AS row FROM auth_user t ORDER BY id")).rows.map((row) => row.row);
  return snapshot;
}

/** Which of the secrets occur in a text (also URL-encoded), for a readable failure. */
export function secretsIn(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
}
