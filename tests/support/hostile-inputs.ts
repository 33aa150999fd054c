// Building blocks for the hostile-input barrage (tests/hostile.integration.test.ts): strings an
// attacker would put in any field, JSON that is broken or nested absurdly deep, and hand-made JWTs
// for the claims the SDK will not mint. Everything is drawn from a seeded generator, so a failing
// case is reproduced from its seed and index alone.
import { createHash, createHmac } from "node:crypto";
import { pick, randomInt, type Rng } from "../../lib/simulation/random.ts";

/** Strings that have broken other systems: SQL, NUL, markup, templates, paths, bidi text, CSV formulas. */
export const INJECTIONS: readonly string[] = [
  "'; DROP TABLE webhook_event; --",
  "'; DROP TABLE session; --",
  "' OR '1'='1",
  '" OR ""="',
  "1; DELETE FROM academy WHERE 1=1; --",
  "'); TRUNCATE person CASCADE; --",
  "1' UNION SELECT raw_body FROM webhook_event --",
  "pg_sleep(10)--",
  "$1::text",
  "E'\\x00'",
  "\u0000",
  "nul\u0000inside",
  "%00",
  "%",
  "%zz",
  "%E0%A4%A",
  "%2e%2e%2f%2e%2e%2f",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(document.cookie)>',
  "javascript:alert(1)",
  "{{7*7}}",
  "${7*7}",
  "#{7*7}",
  "<%= 7*7 %>",
  "{{constructor.constructor('return process')()}}",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "/dev/zero",
  "file:///etc/shadow",
  "\u202Eevil\u202C.exe",
  "\u202Bمرحبا بالعالم\u202C",
  "שלום עולם",
  "👩‍👩‍👧‍👦🔥🚀",
  "Z̴̡͉̈́a̸̢̛l̶̰̈́g̷̱̈́o̵̮͝",
  "\uFEFFbom",
  "\u200B\u200C\u200D\u2060",
  "\u00A0nbsp\u00A0",
  "\uFFFF\uFFFE",
  "   ",
  "",
  "\r\n\t",
  "line1\nline2\rline3",
  "\u001b[31mred\u001b[0m",
  "\u007f",
  "=cmd|' /C calc'!A0",
  "+SUM(1,1)",
  "@SUM(1,1)",
  "-2+3",
  "null",
  "undefined",
  "NaN",
  "true",
  "0",
  "-1",
  "1e309",
  "[object Object]",
  "__proto__",
  "constructor",
  "prototype",
  "\\",
  '"',
  "'",
  "`",
  "`whoami`",
  "$(reboot)",
  "; rm -rf / #",
  "| cat /etc/passwd",
  '{"$gt": ""}',
  '{"__proto__": {"admin": true}}',
  "*)(uid=*))(|(uid=*",
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  "%s%s%s%s%n",
  "\\u0000",
  "AAAA\u0000BBBB",
  // Words the webhook route looks for in error messages to tell a bad signature from a bad body.
  "JWT signature claim sha256 checksum authorization header",
];

/** Printable ASCII (legal in an HTTP header value). */
export function asciiGarbage(rng: Rng, min: number, max: number): string {
  let text = "";
  const length = randomInt(rng, min, max);
  for (let i = 0; i < length; i++) text += String.fromCharCode(randomInt(rng, 0x21, 0x7e));
  return text;
}

/** An injection string, sometimes repeated into a very long one, never longer than `maxLength`. */
export function injection(rng: Rng, maxLength: number): string {
  const roll = rng();
  let value: string;
  if (roll < 0.75) value = pick(rng, INJECTIONS);
  else if (roll < 0.9) value = `${pick(rng, INJECTIONS)}${pick(rng, INJECTIONS)}`;
  else {
    const unit = pick(rng, INJECTIONS) || "x";
    value = unit.repeat(Math.ceil(maxLength / unit.length));
  }
  return truncate(value, maxLength);
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

export const hasNul = (value: string) => value.includes("\u0000");

/** JSON nested `depth` levels deep, balanced or not. */
export function deepJson(rng: Rng, depth: number): { text: string; balanced: boolean } {
  switch (randomInt(rng, 0, 4)) {
    case 0:
      return { text: "[".repeat(depth) + "]".repeat(depth), balanced: true };
    case 1:
      return { text: '{"a":'.repeat(depth) + "1" + "}".repeat(depth), balanced: true };
    case 2:
      return { text: '[{"x":'.repeat(depth) + "null" + "}]".repeat(depth), balanced: true };
    case 3:
      return { text: "[".repeat(depth), balanced: false };
    default:
      return { text: '{"a":'.repeat(depth), balanced: false };
  }
}

/** Text that is not JSON, or JSON broken in one place. */
export function brokenJson(rng: Rng, valid: string): string {
  switch (randomInt(rng, 0, 11)) {
    case 0:
      return valid.slice(0, randomInt(rng, 1, Math.max(1, valid.length - 1)));
    case 1:
      return `${valid},`;
    case 2:
      return `${valid}}`;
    case 3:
      return valid.replace(/"/g, "'");
    case 4:
      return valid.replace(/:/, "=");
    case 5:
      return "{not json";
    case 6:
      return "";
    case 7:
      return "NaN";
    case 8:
      return '{"a":1,}';
    case 9:
      return `${valid}\u0000garbage`;
    case 10:
      return `event=participant_joined&id=${encodeURIComponent(asciiGarbage(rng, 1, 20))}`;
    default:
      return `{"a": "unterminated ${asciiGarbage(rng, 0, 40).replace(/["\\]/g, "")}`;
  }
}

/** `value` with one character replaced by another printable ASCII character. */
export function tamperOneByte(rng: Rng, value: string): string {
  const index = randomInt(rng, 0, value.length - 1);
  const original = value.charCodeAt(index);
  let replacement = original;
  while (replacement === original) replacement = randomInt(rng, 0x20, 0x7e);
  return value.slice(0, index) + String.fromCharCode(replacement) + value.slice(index + 1);
}

export const sha256Base64 = (body: string) => createHash("sha256").update(body, "utf8").digest("base64");

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A JWT made by hand: any header, any claims, signed with any secret (or unsigned for alg "none"). */
export function handMadeJwt(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): string {
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (header.alg === "none") return `${unsigned}.`;
  const algorithm = header.alg === "HS512" ? "sha512" : header.alg === "HS384" ? "sha384" : "sha256";
  return `${unsigned}.${b64url(createHmac(algorithm, secret).update(unsigned).digest())}`;
}

/** The claims LiveKit puts in a webhook token, valid now, for `body`. */
export function webhookClaims(
  body: string,
  issuer: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, unknown> {
  return { iss: issuer, nbf: nowSeconds, exp: nowSeconds + 300, sha256: sha256Base64(body) };
}

/** Every string-valued path in a JSON value, e.g. ["participant", "identity"]. */
export function stringPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value === "string") return [prefix];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, [...prefix, String(i)]));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...prefix, key]));
  return [];
}

/** Sets `path` in a (JSON-shaped) object, in place. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

/** Reads `path` from a JSON-shaped value. */
export function getPath(source: unknown, path: string[]): unknown {
  let node = source;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

/** Values of every JSON type but the expected one. */
export function wrongTypeValue(rng: Rng, expected: "string" | "number" | "object" | "array" | "boolean"): unknown {
  const candidates: [string, unknown][] = [
    ["number", randomInt(rng, -1_000_000, 1_000_000)],
    ["number", 1.5],
    ["boolean", rng() < 0.5],
    ["null", null],
    ["array", [pick(rng, INJECTIONS)]],
    ["array", []],
    ["object", { [pick(rng, INJECTIONS)]: pick(rng, INJECTIONS) }],
    ["object", {}],
    ["string", pick(rng, INJECTIONS)],
  ];
  return pick(
    rng,
    candidates.filter(([type]) => type !== expected),
  )[1];
}

/** Strings that look like messages leaking internals: stack frames, file paths, SQL or driver text. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\n\s+at\s/,
  /\bat\s+\S+\s*\(?\S+\.(?:[cm]?js|tsx?):\d+/,
  /(?:\/work\/|\/home\/|node_modules|\/\.next\/|file:\/\/)/,
  /prisma/i,
  /invalid byte sequence|syntax error at or near|violates \w+ constraint|relation "\w+"|column "\w+"|duplicate key value/i,
  /\b(?:SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET)\b/,
];
