import { SESSION_TYPES } from "../../lib/sessions/session-types.ts";
import { SWEEP_LOOKBACK_DAYS } from "../../lib/calculation/due-time.ts";
import { SESSION_STATES } from "../../lib/attendance/lifecycle.ts";
import { defineCommand, defineOptions } from "../define-command.ts";
import { ACADEMY_OPTION } from "./shared.ts";

export const SESSION_LIST_OPTIONS = defineOptions({
  academy: ACADEMY_OPTION,
  status: {
    type: "string",
    choices: SESSION_STATES,
    description: "only sessions in this state (the API's and the dashboard's words)",
  },
  from: {
    type: "string",
    value: "date-time",
    description: "only sessions starting at or after this ISO date-time, e.g. 2026-11-25T10:00:00Z",
  },
  to: { type: "string", value: "date-time", description: "only sessions starting before this ISO date-time" },
  limit: {
    type: "integer",
    value: "n",
    description: "at most this many sessions, the earliest first",
    default: 50,
    min: 1,
    max: 1000,
  },
});

export const sessionList = defineCommand({
  name: "session:list",
  summary: "list an academy's sessions by start, with their state and students",
  options: SESSION_LIST_OPTIONS,
  examples: ["rollcall session:list --academy al-noor --status ended --from 2026-11-01T00:00:00Z"],
  load: () => import("../commands/session.ts").then((module) => module.sessionList),
});

const DAYS = {
  type: "integer",
  value: "days",
  description: "how far back to look, in days",
  default: SWEEP_LOOKBACK_DAYS,
  min: 1,
  max: 3660,
} as const;

export const ATTENDANCE_CALCULATE_OPTIONS = defineOptions({
  academy: {
    type: "string",
    value: "slug",
    description: "only this academy's sessions; with session ids, each must be this academy's",
  },
  type: { type: "string", choices: SESSION_TYPES, description: "only sessions of this type (not with session ids)" },
  days: {
    ...DAYS,
    description: "look for due sessions whose class ended within this many days (not with session ids)",
  },
  force: {
    type: "boolean",
    description: "recalculate sessions already calculated too (always so for sessions named by id)",
  },
});

export const attendanceCalculate = defineCommand({
  name: "attendance:calculate",
  summary: "calculate attendance now: of the sessions given, or of every one due",
  description:
    "With no session id: every session whose class ended more than the calculation delay ago, within --days, not yet calculated. A class that has not ended is skipped, as is a cancelled one. Runs of more than one batch (250 sessions) show their progress on standard error: a bar on a terminal, else a line every 5 seconds, with an estimate of the time left. Then a summary; exit status 1 if any session failed.",
  arguments: [
    { name: "session id", description: "sessions to calculate (recalculated if they already are)", isVariadic: true },
  ],
  options: ATTENDANCE_CALCULATE_OPTIONS,
  examples: [
    "rollcall attendance:calculate",
    "rollcall attendance:calculate --academy al-noor --days 30 --force",
    "rollcall attendance:calculate cm4k2x7d90000qz8h3b1c5e6f cm4k2x9a10001qz8hb2d7f1aa --academy al-noor",
  ],
  load: () => import("../commands/attendance.ts").then((module) => module.attendanceCalculate),
});

export const ATTENDANCE_RECONCILE_OPTIONS = defineOptions({
  days: { ...DAYS, description: "look at classes that ended within this many days" },
});

export const attendanceReconcile = defineCommand({
  name: "attendance:reconcile",
  summary: "connections with no leave webhook, and where the rules closed them",
  description:
    "The connections LiveKit never sent a leave for, in classes that ended more than an hour ago (rules section 9). An audit: every view already applies the rule when it reads the log, so nothing is written.",
  options: ATTENDANCE_RECONCILE_OPTIONS,
  examples: ["rollcall attendance:reconcile --days 30"],
  load: () => import("../commands/attendance.ts").then((module) => module.attendanceReconcile),
});

export const ATTENDANCE_VERIFY_OPTIONS = defineOptions({
  academy: {
    type: "string",
    value: "slug",
    description: "only this academy's sessions; with session ids, each must be this academy's",
  },
  days: {
    ...DAYS,
    description: "verify the calculated sessions whose class ended within this many days (not with session ids)",
  },
});

export const attendanceVerify = defineCommand({
  name: "attendance:verify",
  summary: "recalculate without writing, and name each stored report that differs from the log",
  description:
    "Recalculates the sessions given (or every calculated one within --days) from the log, writing nothing, and names each whose stored report differs from what the log gives now, and why: the inputs its fingerprint covers differ (new webhooks, a policy, schedule or roster change, a rules version change), or its figures do. Exit status 1 if any differs, 0 otherwise.",
  arguments: [{ name: "session id", description: "sessions to verify", isVariadic: true }],
  options: ATTENDANCE_VERIFY_OPTIONS,
  examples: [
    "rollcall attendance:verify",
    "rollcall attendance:verify --academy al-noor --days 30",
    "rollcall attendance:verify cm4k2x7d90000qz8h3b1c5e6f",
  ],
  load: () => import("../commands/attendance.ts").then((module) => module.attendanceVerify),
});

export const ATTENDANCE_HISTORY_OPTIONS = defineOptions({});

export const attendanceHistory = defineCommand({
  name: "attendance:history",
  summary: "a session's calculations and its reports' override history, oldest first",
  description:
    "Each calculation of the session's report: when (in the academy's zone), why (its trigger), the policy version it used, its fingerprint's first 12 characters, and the rows it changed since the one before. Then each report's overrides: who set or removed them, when, from what to what, and their note.",
  arguments: [{ name: "session id", description: "the session", isRequired: true }],
  options: ATTENDANCE_HISTORY_OPTIONS,
  examples: ["rollcall attendance:history cm4k2x7d90000qz8h3b1c5e6f"],
  load: () => import("../commands/session-history.ts").then((module) => module.attendanceHistory),
});

export const ATTENDANCE_PROVENANCE_OPTIONS = defineOptions({
  identity: { type: "string", value: "livekit identity", description: "only this person's intervals" },
});

export const attendanceProvenance = defineCommand({
  name: "attendance:provenance",
  summary: "the webhooks behind each person's intervals in a session's report",
  description:
    "Each person's presence intervals as the last calculation stored them (times in the academy's zone), and for each connection merged into one: how it opened and closed and the ids of the webhooks that did (the admin event log finds them by id).",
  arguments: [{ name: "session id", description: "the session", isRequired: true }],
  options: ATTENDANCE_PROVENANCE_OPTIONS,
  examples: [
    "rollcall attendance:provenance cm4k2x7d90000qz8h3b1c5e6f",
    "rollcall attendance:provenance cm4k2x7d90000qz8h3b1c5e6f --identity student-42",
  ],
  load: () => import("../commands/session-history.ts").then((module) => module.attendanceProvenance),
});
