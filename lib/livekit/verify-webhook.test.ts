import { describe, expect, test, vi } from "vitest";
import { signWebhook } from "./sign-webhook.ts";
import { AccessToken } from "livekit-server-sdk";
import { parseWebhookBody } from "./parse-webhook.ts";
import { bodyDigest, verifyWebhook, webhookIssuer, webhookToken } from "./verify-webhook.ts";

const body = JSON.stringify({
  event: "room_started",
  id: "EV_1",
  createdAt: "1764540000",
  room: { name: "r", sid: "RM_1" },
});
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("which key a webhook says signed it", () => {
  test("is the token's iss, read before the signature is checked", async () => {
    expect(webhookIssuer(await signWebhook(body, "APIacademyA", "s".repeat(43)))).toBe("APIacademyA");
  });

  test("is unknown for a token with no iss, an empty or non-string iss, or a payload that is not JSON", () => {
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ sha256: "x" })}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "" })}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: 42 })}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64(null)}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.not-json.sig`)).toBeNull();
    expect(webhookIssuer("no-dots-at-all")).toBeNull();
  });

  test("is unknown when the iss holds a control character such as NUL", () => {
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "API\u0000x" })}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "API\nx" })}.sig`)).toBeNull();
  });

  test("is unknown when the iss is longer than any key (200 characters)", () => {
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "k".repeat(201) })}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "k".repeat(200) })}.sig`)).toBe("k".repeat(200));
  });

  test("is unknown when the iss holds a NUL, which no key can (and the database cannot look up)", () => {
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "APIacademyA\u0000" })}.sig`)).toBeNull();
    expect(webhookIssuer(`${b64({ alg: "HS256" })}.${b64({ iss: "AAAA\u0000BBBB" })}.sig`)).toBeNull();
  });
});

describe("the Authorization header", () => {
  test("is the bare token, with a Bearer prefix tolerated", () => {
    expect(webhookToken("abc.def.ghi")).toBe("abc.def.ghi");
    expect(webhookToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
  });

  test("is refused as 401 when missing or blank", () => {
    expect(() => webhookToken(null)).toThrow(expect.objectContaining({ code: "unauthorized" }));
    expect(() => webhookToken("  ")).toThrow(expect.objectContaining({ code: "unauthorized" }));
  });
});

describe("a token naming one key but signed with another secret", () => {
  test("is refused: the iss only chooses which secret to check with", async () => {
    const forged = await signWebhook(body, "APIacademyA", "the-attackers-own-secret-of-43-characters!!");
    await expect(
      verifyWebhook(body, forged, { apiKey: "APIacademyA", apiSecret: "the-academys-real-secret-of-43-characters!" }),
    ).rejects.toMatchObject({ code: "unauthorized" });
  });
});

describe("verifying a webhook with the key's secret", () => {
  const secret = "the-academys-real-secret-of-43-characters!";
  const pair = { apiKey: "APIacademyA", apiSecret: secret };
  // The digest LiveKit puts in the token for `body`, worked out with `openssl dgst -sha256 -binary | base64`.
  test("the body digest is base64 SHA-256 with padding, as LiveKit's sha256 claim", () => {
    expect(bodyDigest("")).toBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    expect(bodyDigest("é")).toBe("SplVfkAzw1Od4utlRyAXytX5VX96BiWgnxw/biumnEw=");
  });

  test.each([
    ["the signed body", body, null],
    ["a body with one character changed", body.replace("EV_1", "EV_2"), "unauthorized"],
    ["the body with a trailing newline", `${body}\n`, "unauthorized"],
  ])("%s: %s", async (_label, sent, refusal) => {
    const token = await signWebhook(body, pair.apiKey, secret);
    if (refusal === null) {
      await expect(verifyWebhook(sent, token, pair)).resolves.toBeUndefined();
    } else {
      await expect(verifyWebhook(sent, token, pair)).rejects.toMatchObject({
        code: refusal,
        message: "The webhook signature is not valid for this body and API key.",
      });
    }
  });

  test("a token issued by another key is refused even with the same secret", async () => {
    const token = await signWebhook(body, "APIacademyB", secret);
    await expect(verifyWebhook(body, token, pair)).rejects.toMatchObject({ code: "unauthorized" });
  });

  test("a valid signature over a body that is not a webhook verifies: the parser refuses it (400), not the signature", async () => {
    const notAWebhook = JSON.stringify({ event: 42, room: "not an object" });
    const token = await signWebhook(notAWebhook, pair.apiKey, secret);
    await expect(verifyWebhook(notAWebhook, token, pair)).resolves.toBeUndefined();
    expect(() => parseWebhookBody(notAWebhook, new Date())).toThrow(
      expect.objectContaining({ code: "bad_request", message: "The body is not a LiveKit webhook." }),
    );
  });

  test("a token past its expiry (beyond the minute of leeway) says it expired", async () => {
    const token = new AccessToken(pair.apiKey, secret, { ttl: 1 });
    token.sha256 = bodyDigest(body);
    const jwt = await token.toJwt();
    // Valid one second, with a minute of leeway: 62 s later it has expired.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 62_000);
    try {
      await expect(verifyWebhook(body, jwt, pair)).rejects.toMatchObject({
        code: "unauthorized",
        message: "The webhook signature has expired.",
      });
    } finally {
      vi.useRealTimers();
    }
    // 59 s later it is still accepted.
    const fresh = new AccessToken(pair.apiKey, secret, { ttl: 1 });
    fresh.sha256 = bodyDigest(body);
    const freshJwt = await fresh.toJwt();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 59_000);
    try {
      await expect(verifyWebhook(body, freshJwt, pair)).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
