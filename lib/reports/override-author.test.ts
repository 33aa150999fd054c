// Who did it, as stored and as shown: the command line is an author of its own.
import { expect, test } from "vitest";
import type { PrismaClient } from "../db/client.ts";
import { overrideAuthorName, overrideAuthorRef, resolveOverrideAuthors } from "./override-author.ts";

/** A database that must not be asked: the command line's name needs no lookup. */
const unused = new Proxy({} as PrismaClient, {
  get: (_, property) => {
    throw new Error(`the database was asked for ${String(property)}`);
  },
});

test("each actor is stored by a reference, never a name", () => {
  expect(overrideAuthorRef({ kind: "user", userId: "u1", role: "admin" })).toBe("user:u1");
  expect(overrideAuthorRef({ kind: "api-key", apiKeyId: "k1" })).toBe("api-key:k1");
  expect(overrideAuthorRef({ kind: "cli" })).toBe("cli");
});

test("the command line is named without a lookup; a label from before stays as it is", async () => {
  const names = await resolveOverrideAuthors(unused, ["cli", null, "cli"]);
  expect([...names]).toEqual([["cli", "the command line"]]);
  expect(overrideAuthorName("cli", names)).toBe("the command line");
  expect(overrideAuthorName(null, names)).toBeNull();
  expect(overrideAuthorName("Head <head@example.org> (admin)", names)).toBe("Head <head@example.org> (admin)");
});
