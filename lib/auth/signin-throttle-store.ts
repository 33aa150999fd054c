import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { admit, expiresAt, settle, type ThrottleRule, type ThrottleState } from "./signin-throttle.ts";

/** One counter an attempt is checked against: its row key and its rule. */
export interface ThrottleCounter {
  key: string;
  rule: ThrottleRule;
}

interface Row {
  key: string;
  failures: number;
  window_started_at: bigint | number;
  locked_until: bigint | number;
  lockouts: number;
}

const toState = (row: Row): ThrottleState => ({
  failures: row.failures,
  windowStartedAt: Number(row.window_started_at),
  lockedUntil: Number(row.locked_until),
  lockouts: row.lockouts,
});

async function write(
  tx: Pick<PrismaClient, "$executeRawUnsafe">,
  counter: ThrottleCounter,
  state: ThrottleState,
): Promise<void> {
  await tx.$executeRawUnsafe(
    "UPDATE signin_throttle SET failures = $2, window_started_at = $3, locked_until = $4, lockouts = $5, expires_at = $6 WHERE key = $1",
    counter.key,
    state.failures,
    state.windowStartedAt,
    state.lockedUntil,
    state.lockouts,
    expiresAt(state, counter.rule),
  );
}

// Every transaction here locks its rows in key order, so two of them never wait on each other.
const byKey = (a: ThrottleCounter, b: ThrottleCounter) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Checks an attempt against every counter, in one transaction with their rows locked, and counts
 * it in all of them only if all admit it. Refused: how long until it may be tried again.
 */
export async function admitAttempt(
  db: PrismaClient,
  counters: ThrottleCounter[],
  now: number,
): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  const sorted = [...counters].sort(byKey);
  return db.$transaction(async (tx) => {
    // Insert-or-lock: ON CONFLICT DO UPDATE locks an existing row until the transaction ends.
    const values = sorted.map((_, i) => `($${i + 2}, 0, $1, 0, 0, $1)`).join(", ");
    const rows = await tx.$queryRawUnsafe<Row[]>(
      `INSERT INTO signin_throttle (key, failures, window_started_at, locked_until, lockouts, expires_at) VALUES ${values}
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
       RETURNING key, failures, window_started_at, locked_until, lockouts`,
      now,
      ...sorted.map((counter) => counter.key),
    );
    const stateOf = new Map(rows.map((row) => [row.key, toState(row)]));
    const decisions = sorted.map((counter) => ({
      counter,
      admission: admit(stateOf.get(counter.key) ?? null, counter.rule, now),
    }));
    const refused = decisions.flatMap(({ admission }) => (admission.allowed ? [] : [admission.retryAfterMs]));
    if (refused.length > 0) return { allowed: false as const, retryAfterMs: Math.max(...refused) };
    for (const { counter, admission } of decisions) await write(tx, counter, admission.state);
    return { allowed: true as const };
  });
}

/** Records how an admitted attempt ended (a success is given back), and prunes rows nobody needs. */
export async function settleAttempt(
  db: PrismaClient,
  counters: ThrottleCounter[],
  now: number,
  outcome: "success" | "failure",
): Promise<void> {
  const sorted = [...counters].sort(byKey);
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<Row[]>(
      "SELECT key, failures, window_started_at, locked_until, lockouts FROM signin_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
      sorted.map((counter) => counter.key),
    );
    const stateOf = new Map(rows.map((row) => [row.key, toState(row)]));
    for (const counter of sorted) {
      const state = stateOf.get(counter.key);
      // Pruned meanwhile: the attempt's window is long gone, nothing to record.
      if (state) await write(tx, counter, settle(state, counter.rule, now, outcome));
    }
  });
  await db.$executeRawUnsafe("DELETE FROM signin_throttle WHERE expires_at < $1", now);
}
