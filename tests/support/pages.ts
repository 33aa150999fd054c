// Reading the dashboard's pages over HTTP as an admin of a new academy: sign-in, the links a page
// offers, and the numbered classes it lists.
import { expect } from "vitest";
import { createDashboardUser } from "../../lib/auth/users.ts";
import type { PrismaClient } from "../../lib/db/client.ts";
import { Client } from "./access.ts";
import { uniqueName } from "./fixtures.ts";

/** A new admin of the academy, signed in: the client and its session cookie. */
export async function signInNewAdmin(
  prisma: PrismaClient,
  academyId: string,
  baseUrl: string,
): Promise<{ client: Client; cookie: string }> {
  const email = `${uniqueName("pages-admin")}@example.org`;
  await createDashboardUser(prisma, {
    academyId,
    role: "admin",
    email,
    name: "Pages Admin",
    password: "pages-password-1234",
  });
  const client = new Client(baseUrl);
  const signedIn = await client.signIn(email, "pages-password-1234");
  expect(signedIn.status).toBe(200);
  return { client, cookie: signedIn.cookie };
}

/** Where the page's link whose text starts with `words` leads (entities decoded), or null. */
export function linkTo(html: string, words: string): string | null {
  const found = new RegExp(`href="([^"]*)"[^>]*>${words}`).exec(html);
  return found ? found[1]!.replaceAll("&amp;", "&") : null;
}

/** The numbers of the classes titled "<tag> Class NNN" the page shows, in page order. */
export function classNumbers(html: string, tag: string): number[] {
  return [...html.matchAll(new RegExp(`${tag} Class (\\d{3})`, "g"))].map((match) => Number(match[1]));
}
