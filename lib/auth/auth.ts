import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { getPrisma } from "../db/client.ts";
import { env } from "../env.ts";
import { resolveAuthSecret } from "./auth-secret.ts";
import { requestOrigin } from "../api/request-origin.ts";
import { clientAddressHeader, requestClientAddress } from "./client-address.ts";
import { accountThrottleKey, addressThrottleKey, signInLimits } from "./signin-throttle.ts";
import { admitAttempt, settleAttempt, type ThrottleCounter } from "./signin-throttle-store.ts";

const SIGN_IN_PATH = "/sign-in/email";

function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

// Better Auth serves every account endpoint it has; the dashboard offers only sign-in, sign-out
// and reading the session. The rest would let a signed-in teacher rename herself (into an admin's
// name, or 500 KB of text), change her email, delete her account or list and revoke sessions:
// accounts are an operator's business (`rollcall user:create`). Each answers 404.
const ENDPOINTS_NOT_OFFERED = [
  "/update-user",
  "/change-email",
  "/change-password",
  "/delete-user",
  "/delete-user/callback",
  "/sign-up/email",
  "/sign-in/social",
  "/link-social",
  "/unlink-account",
  "/list-accounts",
  "/account-info",
  "/refresh-token",
  "/get-access-token",
  "/update-session",
  "/list-sessions",
  "/revoke-session",
  "/revoke-sessions",
  "/revoke-other-sessions",
  "/request-password-reset",
  "/reset-password",
  "/verify-password",
  "/verify-email",
  "/send-verification-email",
];

function createAuth() {
  const config = env();
  const limits = signInLimits(config);
  const signInCounters = (headers: Headers | undefined, body: unknown): ThrottleCounter[] => [
    { key: addressThrottleKey(headers ? requestClientAddress(headers) : "unknown"), rule: limits.address },
    { key: accountThrottleKey((body as { email?: unknown } | undefined)?.email), rule: limits.account },
  ];
  return betterAuth({
    appName: "Rollcall",
    disabledPaths: ENDPOINTS_NOT_OFFERED,
    secret: resolveAuthSecret(),
    baseURL: config.BETTER_AUTH_URL,
    // Without a configured URL, a request is trusted from the origin it was sent to (a same-origin
    // check): cross-site form posts carry another Origin and are refused.
    trustedOrigins: (request) => {
      const origin = request ? requestOrigin(request) : null;
      return origin ? [origin] : [];
    },
    database: prismaAdapter(getPrisma(), { provider: "postgresql" }),
    // Accounts are made by operators (`rollcall user:create`) for people of an academy: nobody
    // signs themselves up into a school's attendance records.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    user: { modelName: "authUser" },
    session: { modelName: "authSession", expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    account: { modelName: "authAccount" },
    verification: { modelName: "authVerification" },
    rateLimit: {
      // Better Auth's own per-address limit stays on for its other endpoints (it only enables it
      // in production by default), kept in the database so every app instance counts the same.
      // Email sign-in is limited by the hooks below instead: Better Auth counts every request,
      // successful ones too, so a school's teachers signing in from one address locked each other out.
      enabled: true,
      storage: "database",
      modelName: "authRateLimit",
      window: 60,
      max: 300,
      customRules: { [SIGN_IN_PATH]: false },
    },
    advanced: {
      // Set on every request from the connection's address and ROLLCALL_TRUSTED_PROXY_HOPS
      // (lib/auth/client-address.ts); X-Forwarded-For as the client wrote it is never believed.
      ipAddress: { ipAddressHeaders: [clientAddressHeader()] },
    },
    hooks: {
      // Failed sign-ins are limited per client address and per account (lib/auth/signin-throttle.ts).
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const verdict = await admitAttempt(getPrisma(), signInCounters(ctx.headers, ctx.body), Date.now());
        if (!verdict.allowed) {
          throw new APIError(
            "TOO_MANY_REQUESTS",
            {
              code: "TOO_MANY_SIGN_IN_ATTEMPTS",
              message: `Too many failed sign-ins. Try again in ${waitText(verdict.retryAfterMs)}.`,
            },
            { "Retry-After": String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const outcome = isAPIError(ctx.context.returned) ? "failure" : "success";
        await settleAttempt(getPrisma(), signInCounters(ctx.headers, ctx.body), Date.now(), outcome);
      }),
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globals = globalThis as unknown as { rollcallAuth?: Auth };

/** The Better Auth instance, created on first use: the embedded database URL is known only then. */
export function getAuth(): Auth {
  globals.rollcallAuth ??= createAuth();
  return globals.rollcallAuth;
}
