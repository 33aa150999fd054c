import { describe, expect, test } from "vitest";
import { openSecret, sealSecret, SecretBoxError } from "./secret-box.ts";

const SERVER_SECRET = "a-server-secret-of-at-least-32-characters";
const LIVEKIT_SECRET = "Qm9vayBvZiBzZWNyZXRzIHRoYXQgbm9ib2R5IHJlYWRz";

describe("an academy's LiveKit secret at rest", () => {
  test("comes back exactly as given, under the same server secret", () => {
    expect(openSecret(sealSecret(LIVEKIT_SECRET, SERVER_SECRET), SERVER_SECRET)).toBe(LIVEKIT_SECRET);
  });

  test("is not stored in clear, and sealing twice gives different text (a fresh nonce each time)", () => {
    const first = sealSecret(LIVEKIT_SECRET, SERVER_SECRET);
    const second = sealSecret(LIVEKIT_SECRET, SERVER_SECRET);
    expect(first).not.toContain(LIVEKIT_SECRET);
    expect(first).not.toContain(Buffer.from(LIVEKIT_SECRET).toString("base64url"));
    expect(first).not.toBe(second);
  });

  test("cannot be read under another server secret, and says what to check", () => {
    const box = sealSecret(LIVEKIT_SECRET, SERVER_SECRET);
    expect(() => openSecret(box, "another-server-secret-of-32-characters!!")).toThrow(SecretBoxError);
    expect(() => openSecret(box, "another-server-secret-of-32-characters!!")).toThrow(/BETTER_AUTH_SECRET/);
  });

  test("refuses a box changed by one character (authenticated encryption)", () => {
    const box = sealSecret(LIVEKIT_SECRET, SERVER_SECRET);
    const parts = box.split(".");
    const sealed = parts[3]!;
    parts[3] = (sealed[0] === "A" ? "B" : "A") + sealed.slice(1);
    expect(() => openSecret(parts.join("."), SERVER_SECRET)).toThrow(SecretBoxError);
  });

  test("refuses text that is not a box", () => {
    expect(() => openSecret(LIVEKIT_SECRET, SERVER_SECRET)).toThrow(/not in a known format/);
  });
});
