import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { inject } from "vitest";
import { PrismaClient } from "../../lib/generated/prisma/client.ts";

export interface Backend {
  name: "embedded" | "postgres";
  baseUrl: string;
  databaseUrl: string;
  /** The embedded database's data folder (the CLI finds the running server through it). */
  dataDir: string | null;
}

declare module "vitest" {
  export interface ProvidedContext {
    backends: Backend[];
    livekit: { apiKey: string; apiSecret: string };
    workDir: string;
  }
}

export const backends = (): Backend[] => inject("backends");
export const livekitCredentials = () => inject("livekit");

export interface BackendDb {
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** A connection of the test's own to a backend's database, to arrange data and check what was stored. */
export function connectBackend(backend: Backend): BackendDb {
  const pool = new pg.Pool({ connectionString: backend.databaseUrl, max: 4 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
