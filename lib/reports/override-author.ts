import "server-only";
import type { PrismaClient } from "../db/client.ts";

/**
 * Who sets an override or saves or applies a policy: a signed-in admin or teacher, an academy's API
 * key (the LMS), or an operator at the command line (`rollcall`, which has no user of its own).
 */
export type OverrideActor =
  { kind: "user"; userId: string; role: "admin" | "teacher" } | { kind: "api-key"; apiKeyId: string } | { kind: "cli" };

/** What the command line is stored as, and the name it is shown by. */
const CLI_REF = "cli";
const CLI_NAME = "the command line";

/**
 * What a report stores as `overriddenBy`: the user's or the key's id, never a name ("cli" for the
 * command line). A name is
 * read from the current record whenever the report is shown, so nobody's name is frozen into a
 * report (or chosen by them: a label written at the time could say anything its author's name said).
 */
export function overrideAuthorRef(actor: OverrideActor): string {
  switch (actor.kind) {
    case "user":
      return `user:${actor.userId}`;
    case "api-key":
      return `api-key:${actor.apiKeyId}`;
    case "cli":
      return CLI_REF;
  }
}

/**
 * Display names for stored `overriddenBy` values: "Ustadha Khadija (teacher)", `API key "lms"`,
 * "the command line". Values written before overrides were recorded by id are labels already and are shown as they are.
 */
export async function resolveOverrideAuthors(
  db: PrismaClient,
  refs: Iterable<string | null>,
): Promise<Map<string, string>> {
  const userIds = new Set<string>();
  const apiKeyIds = new Set<string>();
  let byCli = false;
  for (const ref of refs) {
    if (ref === CLI_REF) byCli = true;
    if (ref?.startsWith("user:")) userIds.add(ref.slice("user:".length));
    else if (ref?.startsWith("api-key:")) apiKeyIds.add(ref.slice("api-key:".length));
  }
  const [users, apiKeys] = await Promise.all([
    userIds.size
      ? db.authUser.findMany({
          where: { id: { in: [...userIds] } },
          select: { id: true, name: true, person: { select: { role: true } } },
        })
      : [],
    apiKeyIds.size
      ? db.apiKey.findMany({ where: { id: { in: [...apiKeyIds] } }, select: { id: true, name: true } })
      : [],
  ]);
  const names = new Map<string, string>();
  if (byCli) names.set(CLI_REF, CLI_NAME);
  for (const id of userIds) names.set(`user:${id}`, "a removed user");
  for (const id of apiKeyIds) names.set(`api-key:${id}`, "a removed API key");
  for (const user of users)
    names.set(`user:${user.id}`, user.person ? `${user.name} (${user.person.role})` : user.name);
  for (const key of apiKeys) names.set(`api-key:${key.id}`, `API key "${key.name}"`);
  return names;
}

/** The name to show for a stored `overriddenBy`, given the names resolved above. */
export function overrideAuthorName(ref: string | null, names: ReadonlyMap<string, string>): string | null {
  return ref === null ? null : (names.get(ref) ?? ref);
}

/** The actor a signed-in dashboard user acts as. */
export function actorOfViewer(viewer: { userId: string; role: "admin" | "teacher" }): OverrideActor {
  return { kind: "user", userId: viewer.userId, role: viewer.role };
}
