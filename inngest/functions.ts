import "server-only";
import { calculateSession } from "./calculate-session.ts";
import { recalculate } from "./recalculate.ts";
import { recalculateBulk } from "./recalculate-bulk.ts";
import { sweep } from "./sweep.ts";

export const functions = [calculateSession, recalculate, recalculateBulk, sweep];
