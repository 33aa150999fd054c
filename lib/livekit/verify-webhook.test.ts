import { describe, expect, test } from "vitest";
import { signWebhook } from "./sign-webhook.ts";
import { verifyWebhook, webhookIssuer, webhookToken } from "./verify-webhook.ts";

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
