import "server-only";
import { z } from "zod";

// The one place that reads configuration. Read lazily: in the embedded default the database URL is
// only known after instrumentation.ts has started the embedded server.
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const ZEnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
  ),
  LIVEKIT_API_KEY: z.preprocess(emptyAsUndefined, z.string().default("devkey")),
  LIVEKIT_API_SECRET: z.preprocess(emptyAsUndefined, z.string().default("secret")),
  ROLLCALL_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".rollcall")),
  ROLLCALL_EMBEDDED_DB_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(54329)),
  /** Seconds a connection to the embedded database may leave a transaction idle before it is cut off and rolled back. */
  ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().positive().max(3600).default(5),
  ),
  ROLLCALL_DB_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  ROLLCALL_CALC_DELAY_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .min(0)
      .max(24 * 60)
      .default(5),
  ),
  /** Seconds between the in-process runner's sweeps (only when Inngest is not configured); 0 turns it off. */
  ROLLCALL_SWEEP_INTERVAL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(3600).default(60)),
  /** Signs dashboard session cookies; required on DATABASE_URL, generated into the data folder when embedded. */
  BETTER_AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  /** The dashboard's public URL (Better Auth's own variable); unset, it is taken from each request. */
  BETTER_AUTH_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  /**
   * How many proxies in front of the app append to X-Forwarded-For. 0: the chain is ignored and the
   * client is the connection's own address; N: the N-th address from the right end of the chain.
   */
  ROLLCALL_TRUSTED_PROXY_HOPS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(20).default(0)),
  /** Failed sign-ins allowed per client address per minute (successful ones are not counted). */
  ROLLCALL_SIGNIN_ATTEMPTS_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(1000).default(10),
  ),
  /** Failed sign-ins allowed per account within ROLLCALL_SIGNIN_ACCOUNT_WINDOW_MINUTES before a cool-down. */
  ROLLCALL_SIGNIN_ACCOUNT_FAILURES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(1000).default(10),
  ),
  ROLLCALL_SIGNIN_ACCOUNT_WINDOW_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
  ),
  /** An account's first cool-down; each further one in a row doubles it, up to ROLLCALL_SIGNIN_LOCKOUT_MAX_MINUTES. */
  ROLLCALL_SIGNIN_LOCKOUT_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .positive()
      .max(24 * 60 * 60)
      .default(60),
  ),
  ROLLCALL_SIGNIN_LOCKOUT_MAX_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
  ),
  INNGEST_EVENT_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_SIGNING_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_DEV: z.preprocess(emptyAsUndefined, z.string().optional()),
  INNGEST_BASE_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

const ENV_KEYS = Object.keys(ZEnvSchema.shape);
let cached: { fingerprint: string; value: TEnv } | null = null;

/**
 * The validated configuration. Read on the webhook's hot path, so the parse is kept until one of
 * its variables changes (the embedded database sets DATABASE_URL after start; tests set others).
 */
export function env(): TEnv {
  const fingerprint = ENV_KEYS.map((key) => process.env[key] ?? "\u0001").join("\u0000");
  if (cached?.fingerprint === fingerprint) return cached.value;
  const parsed = ZEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  cached = { fingerprint, value: parsed.data };
  return parsed.data;
}

/** Sets DATABASE_URL for the rest of this process (the embedded database announces itself here). */
export function setDatabaseUrl(url: string, { embedded }: { embedded: boolean }): void {
  process.env.DATABASE_URL = url;
  if (embedded) process.env.ROLLCALL_EMBEDDED = "1";
}

/** True when this process uses the embedded database (DATABASE_URL then names its loopback server). */
export function isEmbeddedDatabase(): boolean {
  return process.env.ROLLCALL_EMBEDDED === "1" || !env().DATABASE_URL;
}

/** Inngest runs the background work when it is configured; otherwise the in-process runner does. */
export function isInngestConfigured(config: TEnv = env()): boolean {
  return Boolean(config.INNGEST_EVENT_KEY || config.INNGEST_DEV || config.INNGEST_BASE_URL);
}

/** The public pair `livekit-server --dev` signs with: anyone can forge webhooks signed with it. */
export const DEV_LIVEKIT_CREDENTIALS = { apiKey: "devkey", apiSecret: "secret" } as const;

/**
 * What a server on DATABASE_URL (a real deployment) must be given, as one message an operator can
 * act on, or null when nothing is missing. The embedded default keeps its development defaults.
 */
export function missingProductionSettings(config: TEnv = env()): string | null {
  if (!config.DATABASE_URL) return null;
  const problems: string[] = [];
  if (
    config.LIVEKIT_API_KEY === DEV_LIVEKIT_CREDENTIALS.apiKey ||
    config.LIVEKIT_API_SECRET === DEV_LIVEKIT_CREDENTIALS.apiSecret
  ) {
    problems.push(
      "LIVEKIT_API_KEY and LIVEKIT_API_SECRET are the public development pair (devkey / secret), with which anyone can forge attendance: set the key and secret your LiveKit server or LiveKit Cloud project signs webhooks with",
    );
  }
  if (!config.BETTER_AUTH_SECRET)
    problems.push(
      "BETTER_AUTH_SECRET is not set: give every instance the same 32+ random characters (openssl rand -base64 32)",
    );
  return problems.length ? `Rollcall will not start on DATABASE_URL: ${problems.join("; ")}.` : null;
}
