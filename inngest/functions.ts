import "server-only";
import { calculateSession } from "./calculate-session.ts";
import { recalculate } from "./recalculate.ts";
import { sweep } from "./sweep.ts";

export const functions = [calculateSession, recalculate, sweep];
