import { cron } from "inngest";
import { getPool } from "../lib/db.ts";
import { reconcileConnections } from "../lib/reports/reconcile-connections.ts";
import { inngest } from "./client.ts";

// reconcile: closes connections left open more than an hour after their window (rules section 9),
// from the log alone; LiveKit is never asked.
export const reconcile = inngest.createFunction(
  { id: "reconcile", triggers: [cron("*/10 * * * *")], concurrency: [{ limit: 1 }] },
  async ({ step }) => step.run("close-ghost-connections", () => reconcileConnections(getPool(), { now: new Date() })),
);
