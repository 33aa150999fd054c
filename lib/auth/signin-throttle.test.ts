// The sign-in limits on a clock the test moves: no waiting, every boundary to the millisecond.
import { describe, expect, test } from "vitest";
import {
  accountThrottleKey,
  addressThrottleKey,
  admit,
  expiresAt,
  settle,
  signInLimits,
  type ThrottleRule,
  type ThrottleState,
} from "./signin-throttle.ts";

const limits = signInLimits({
  ROLLCALL_SIGNIN_ATTEMPTS_PER_MINUTE: 10,
  ROLLCALL_SIGNIN_ACCOUNT_FAILURES: 10,
  ROLLCALL_SIGNIN_ACCOUNT_WINDOW_MINUTES: 15,
  ROLLCALL_SIGNIN_LOCKOUT_SECONDS: 60,
  ROLLCALL_SIGNIN_LOCKOUT_MAX_MINUTES: 15,
});
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** One counter and a clock: attempt() admits, then settles with the outcome, as a sign-in does. */
function counter(rule: ThrottleRule) {
  let state: ThrottleState | null = null;
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  return {
    advance(ms: number) {
      now += ms;
    },
    /** 401 (wrong password), 200 (right one) or 429 (refused, password not checked), and the Retry-After in ms. */
    attempt(outcome: "success" | "failure"): { status: number; retryAfterMs?: number } {
      const admission = admit(state, rule, now);
      state = admission.state;
      if (!admission.allowed) return { status: 429, retryAfterMs: admission.retryAfterMs };
      state = settle(admission.state, rule, now, outcome);
      return { status: outcome === "success" ? 200 : 401 };
    },
    admitOnly() {
      const admission = admit(state, rule, now);
      state = admission.state;
      return admission.allowed;
    },
    get state() {
      return state;
    },
    get now() {
      return now;
    },
  };
}
const statuses = (c: ReturnType<typeof counter>, outcome: "success" | "failure", n: number) =>
  Array.from({ length: n }, () => c.attempt(outcome).status);

describe("per client address: failures per minute", () => {
  test("10 failures are answered, the 11th is refused until the minute since the first ends", () => {
    const c = counter(limits.address);
    expect(statuses(c, "failure", 10)).toEqual(Array(10).fill(401));
    c.advance(20 * SECOND);
    expect(c.attempt("failure")).toEqual({ status: 429, retryAfterMs: 40 * SECOND });
    expect(c.attempt("success")).toEqual({ status: 429, retryAfterMs: 40 * SECOND });
    c.advance(40 * SECOND - 1);
    expect(c.attempt("success").status).toBe(429);
    c.advance(1);
    expect(c.attempt("success").status).toBe(200);
  });

  test("successful sign-ins are never counted: a school signing in from one address", () => {
    const c = counter(limits.address);
    expect(statuses(c, "success", 100)).toEqual(Array(100).fill(200));
    expect(statuses(c, "failure", 9)).toEqual(Array(9).fill(401));
    expect(statuses(c, "success", 15)).toEqual(Array(15).fill(200));
    expect(c.attempt("failure").status).toBe(401);
    expect(c.attempt("failure").status).toBe(429);
  });
});

describe("per account: failures in 15 minutes, then a cool-down that grows to at most 15 minutes", () => {
  test("the 10th failure starts a 1-minute cool-down in which even the right password is refused", () => {
    const c = counter(limits.account);
    expect(statuses(c, "failure", 10)).toEqual(Array(10).fill(401));
    expect(c.attempt("success")).toEqual({ status: 429, retryAfterMs: MINUTE });
    c.advance(MINUTE - 1);
    expect(c.attempt("success")).toEqual({ status: 429, retryAfterMs: 1 });
    c.advance(1);
    expect(c.attempt("success").status).toBe(200);
  });

  test("each cool-down in a row doubles: 1, 2, 4, 8, then 15 minutes, never more", () => {
    const c = counter(limits.account);
    const cooldowns: number[] = [];
    for (let round = 0; round < 7; round++) {
      expect(statuses(c, "failure", 10)).toEqual(Array(10).fill(401));
      const refused = c.attempt("failure");
      expect(refused.status).toBe(429);
      cooldowns.push(refused.retryAfterMs! / MINUTE);
      c.advance(refused.retryAfterMs!);
    }
    expect(cooldowns).toEqual([1, 2, 4, 8, 15, 15, 15]);
  });

  test("refused attempts during a cool-down do not lengthen it", () => {
    const c = counter(limits.account);
    statuses(c, "failure", 10);
    for (let i = 0; i < 30; i++) {
      c.advance(SECOND);
      expect(c.attempt("failure").status).toBe(429);
    }
    c.advance(30 * SECOND);
    expect(c.attempt("success").status).toBe(200);
  });

  test("a quiet window after a cool-down forgets it: the next one is 1 minute again", () => {
    const c = counter(limits.account);
    statuses(c, "failure", 10);
    c.advance(MINUTE);
    statuses(c, "failure", 10);
    expect(c.attempt("failure").retryAfterMs).toBe(2 * MINUTE);
    c.advance(2 * MINUTE + 15 * MINUTE);
    statuses(c, "failure", 10);
    expect(c.attempt("failure").retryAfterMs).toBe(MINUTE);
  });

  test("failures spread over more than the window never lock", () => {
    const c = counter(limits.account);
    for (let i = 0; i < 50; i++) {
      expect(c.attempt("failure").status).toBe(401);
      c.advance(2 * MINUTE);
    }
  });

  test("the person's own successful sign-ins never count towards a lockout", () => {
    const c = counter(limits.account);
    expect(statuses(c, "failure", 9)).toEqual(Array(9).fill(401));
    expect(statuses(c, "success", 15)).toEqual(Array(15).fill(200));
    expect(c.attempt("failure").status).toBe(401);
    expect(c.attempt("failure").status).toBe(429);
  });
});

test("attempts are counted when admitted: concurrent guesses cannot all pass before the first failure is written", () => {
  for (const rule of [limits.address, limits.account]) {
    const c = counter(rule);
    const admitted = Array.from({ length: 25 }, () => c.admitOnly());
    expect(admitted.filter(Boolean)).toHaveLength(10);
  }
});

test("a row may be deleted once its state is the same as none", () => {
  const c = counter(limits.account);
  statuses(c, "failure", 10);
  const state = c.state!;
  // Locked at `now` for a minute: remembered for a window after the cool-down ends.
  expect(expiresAt(state, limits.account)).toBe(c.now + MINUTE + 15 * MINUTE);
  const later = admit(state, limits.account, expiresAt(state, limits.account));
  expect(later.allowed && later.state).toEqual({
    failures: 1,
    windowStartedAt: expiresAt(state, limits.account),
    lockedUntil: state.lockedUntil,
    lockouts: 0,
  });
  expect(expiresAt({ failures: 3, windowStartedAt: 1000, lockedUntil: 0, lockouts: 0 }, limits.address)).toBe(
    1000 + MINUTE,
  );
});

test("keys: one per account however its email is typed, one per IPv6 /64", () => {
  expect(accountThrottleKey(" Teacher@Example.org ")).toBe(accountThrottleKey("teacher@example.org"));
  expect(accountThrottleKey("teacher@example.org")).not.toContain("teacher");
  expect(accountThrottleKey(undefined)).toBe(accountThrottleKey(""));
  expect(addressThrottleKey("2001:db8:0:1::5")).toBe(addressThrottleKey("2001:db8:0:1:ffff::9"));
  expect(addressThrottleKey("203.0.113.9")).toBe("address:203.0.113.9");
});
