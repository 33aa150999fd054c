import "server-only";
import { createHash } from "node:crypto";
import type { TEnv } from "../env.ts";
import { addressLimitKey } from "./client-address.ts";

/**
 * Limits on failed sign-ins, decided here without I/O (lib/auth/signin-throttle-store.ts keeps the
 * state in the database, so every app instance counts the same attempts).
 *
 * Two counters are kept for every attempt, and both must admit it:
 * - per client address: at most `max` failures per window (a minute); then refused until the
 *   window ends. Guessing many accounts from one place stops here.
 * - per account (by email, whether or not it exists, so the answer tells nothing): at most `max`
 *   failures per window (15 minutes); the next failure starts a cool-down, 1 minute the first time,
 *   doubling with each further cool-down in a row, never more than 15 minutes. A quiet window after
 *   a cool-down forgets the earlier ones. Guessing one account from many places stops here, and
 *   nobody can keep a person out for more than 15 minutes at a time.
 *
 * Only failures count: an attempt is counted when admitted (so that concurrent guesses cannot all
 * pass before the first failure is written) and given back when it succeeds. A refused attempt is
 * not counted and checks no password.
 */
export interface ThrottleState {
  /** Attempts counted in the current window: failures, and attempts still being answered. */
  failures: number;
  windowStartedAt: number;
  /** Until when the key is in a cool-down (0: never was). */
  lockedUntil: number;
  /** Cool-downs in a row, for the next one's length. */
  lockouts: number;
}

export interface ThrottleRule {
  max: number;
  windowMs: number;
  /** The cool-down after `max` failures, given the cool-downs before it; none: refused until the window ends. */
  cooldownMs?: (lockouts: number) => number;
}

export type Admission =
  { allowed: true; state: ThrottleState } | { allowed: false; retryAfterMs: number; state: ThrottleState };

const fresh = (now: number): ThrottleState => ({ failures: 0, windowStartedAt: now, lockedUntil: 0, lockouts: 0 });

/** Whether an attempt may check its password now; if so, the state with the attempt counted. */
export function admit(state: ThrottleState | null, rule: ThrottleRule, now: number): Admission {
  let current = state ?? fresh(now);
  if (current.lockedUntil > now) return { allowed: false, retryAfterMs: current.lockedUntil - now, state: current };
  if (now >= current.windowStartedAt + rule.windowMs) current = { ...current, failures: 0, windowStartedAt: now };
  if (current.lockouts > 0 && now >= current.lockedUntil + rule.windowMs) current = { ...current, lockouts: 0 };
  if (current.failures >= rule.max) {
    // With a cool-down rule this means the last allowed attempts are still being answered.
    const retryAfterMs = rule.cooldownMs ? 1000 : current.windowStartedAt + rule.windowMs - now;
    return { allowed: false, retryAfterMs, state: current };
  }
  return { allowed: true, state: { ...current, failures: current.failures + 1 } };
}

/** The state once an admitted attempt is answered: a success is given back, a failure may start a cool-down. */
export function settle(
  state: ThrottleState,
  rule: ThrottleRule,
  now: number,
  outcome: "success" | "failure",
): ThrottleState {
  if (outcome === "success") return { ...state, failures: Math.max(0, state.failures - 1) };
  if (rule.cooldownMs && state.failures >= rule.max && state.lockedUntil <= now) {
    return {
      failures: 0,
      windowStartedAt: now,
      lockedUntil: now + rule.cooldownMs(state.lockouts),
      lockouts: state.lockouts + 1,
    };
  }
  return state;
}

/** When the state has become the same as no state: its row can be deleted. */
export function expiresAt(state: ThrottleState, rule: ThrottleRule): number {
  return Math.max(state.windowStartedAt + rule.windowMs, state.lockouts > 0 ? state.lockedUntil + rule.windowMs : 0);
}

export interface SignInLimits {
  address: ThrottleRule;
  account: ThrottleRule;
}

export function signInLimits(
  config: Pick<
    TEnv,
    | "ROLLCALL_SIGNIN_ATTEMPTS_PER_MINUTE"
    | "ROLLCALL_SIGNIN_ACCOUNT_FAILURES"
    | "ROLLCALL_SIGNIN_ACCOUNT_WINDOW_MINUTES"
    | "ROLLCALL_SIGNIN_LOCKOUT_SECONDS"
    | "ROLLCALL_SIGNIN_LOCKOUT_MAX_MINUTES"
  >,
): SignInLimits {
  const firstMs = config.ROLLCALL_SIGNIN_LOCKOUT_SECONDS * 1000;
  const longestMs = Math.max(firstMs, config.ROLLCALL_SIGNIN_LOCKOUT_MAX_MINUTES * 60_000);
  return {
    address: { max: config.ROLLCALL_SIGNIN_ATTEMPTS_PER_MINUTE, windowMs: 60_000 },
    account: {
      max: config.ROLLCALL_SIGNIN_ACCOUNT_FAILURES,
      windowMs: config.ROLLCALL_SIGNIN_ACCOUNT_WINDOW_MINUTES * 60_000,
      cooldownMs: (lockouts) => Math.round(Math.min(firstMs * 2 ** Math.min(lockouts, 40), longestMs)),
    },
  };
}

/** The row key of a client address's counter. */
export function addressThrottleKey(address: string): string {
  return `address:${addressLimitKey(address)}`;
}

/** The row key of an account's counter: the email as Better Auth compares it, hashed (no addresses in this table). */
export function accountThrottleKey(email: unknown): string {
  const normalized = typeof email === "string" ? email.trim().toLowerCase() : "";
  return `account:${createHash("sha256").update(normalized).digest("hex")}`;
}
