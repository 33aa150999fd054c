import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { getPrisma } from "../db.ts";
import { env } from "../env.ts";
import { resolveAuthSecret } from "./auth-secret.ts";

// Better Auth serves every account endpoint it has; the dashboard offers only sign-in, sign-out
// and reading the session. The rest would let a signed-in teacher rename herself (into an admin's
// name, or 500 KB of text), change her email, delete her account or list and revoke sessions:
// accounts are an operator's business (`rollcall user:create`). Each answers 404.
const ENDPOINTS_NOT_OFFERED = [
  "/update-user", "/change-email", "/change-password", "/delete-user", "/delete-user/callback",
  "/sign-up/email", "/sign-in/social", "/link-social", "/unlink-account", "/list-accounts", "/account-info",
  "/refresh-token", "/get-access-token", "/update-session", "/list-sessions", "/revoke-session",
  "/revoke-sessions", "/revoke-other-sessions", "/request-password-reset", "/reset-password",
  "/verify-password", "/verify-email", "/send-verification-email",
];

function createAuth() {
  const config = env();
  return betterAuth({
    appName: "Rollcall",
    disabledPaths: ENDPOINTS_NOT_OFFERED,
    secret: resolveAuthSecret(),
    baseURL: config.BETTER_AUTH_URL,
    // Without a configured URL, a request is trusted from the origin it was sent to (a same-origin
    // check): cross-site form posts carry another Origin and are refused.
    trustedOrigins: (request) => {
      const host = request?.headers.get("x-forwarded-host") ?? request?.headers.get("host");
      if (!host) return [];
      const proto = request?.headers.get("x-forwarded-proto") ?? new URL(request!.url).protocol.replace(":", "");
      return [`${proto}://${host}`];
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
      // On in every mode (Better Auth only enables it in production by default), kept in the
      // database so every app instance counts the same attempts.
      enabled: true,
      storage: "database",
      modelName: "authRateLimit",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: config.ROLLCALL_SIGNIN_ATTEMPTS_PER_MINUTE },
      },
    },
    advanced: {
      // Behind a proxy, the client address comes from X-Forwarded-For; the proxy must overwrite it.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
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
