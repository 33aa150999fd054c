import { SESSION_TYPES } from "../../lib/sessions/session-types.ts";
import { MAX_GRACE_MINUTES, MAX_POLICY_WEEKS } from "../../lib/policy/policy-fields.ts";
import { defineCommand, defineOptions } from "../define-command.ts";
import { ACADEMY_OPTION } from "./shared.ts";

const WEEKS = {
  type: "integer",
  value: "weeks",
  description: "the classes scheduled to end within this many weeks",
  isRequired: true,
  min: 1,
  max: MAX_POLICY_WEEKS,
} as const;

const ratio = (description: string) => ({ type: "string", value: "ratio", description }) as const;

/** The policy's values, as the dashboard's form and the API name them; ratios from 0 to 1. */
const VALUE_OPTIONS = {
  grace: {
    type: "integer",
    value: "minutes",
    description: "the grace period: joining later than this after the start is late",
    min: 0,
    max: MAX_GRACE_MINUTES,
  },
  "absent-below": ratio("attended share under this is absent, e.g. 0.1"),
  "partial-at-or-below": ratio("attended share at or under this is partial, e.g. 0.5"),
  "present-above": ratio("attended share over this is present, even when late, e.g. 0.75"),
  type: {
    type: "string",
    choices: SESSION_TYPES,
    description: "set the values for this session type only (its overrides of the defaults)",
    defaultText: "the academy's defaults",
  },
} as const;

export const POLICY_SHOW_OPTIONS = defineOptions({ academy: ACADEMY_OPTION });

export const policyShow = defineCommand({
  name: "policy:show",
  summary: "show an academy's attendance policy: its version, defaults and each type's values",
  options: POLICY_SHOW_OPTIONS,
  examples: ["rollcall policy:show --academy al-noor"],
  load: () => import("../commands/policy.ts").then((module) => module.policyShow),
});

export const POLICY_VERSIONS_OPTIONS = defineOptions({ academy: ACADEMY_OPTION });

export const policyVersions = defineCommand({
  name: "policy:versions",
  summary: "list every version of an academy's policy, newest first, with who saved it and when",
  options: POLICY_VERSIONS_OPTIONS,
  examples: ["rollcall policy:versions --academy al-noor"],
  load: () => import("../commands/policy.ts").then((module) => module.policyVersions),
});

export const POLICY_PREVIEW_OPTIONS = defineOptions({ academy: ACADEMY_OPTION, weeks: WEEKS, ...VALUE_OPTIONS });

export const policyPreview = defineCommand({
  name: "policy:preview",
  summary: "what a policy change would do to past classes, writing nothing",
  description:
    "Recalculates the academy's calculated classes of the last --weeks weeks with the policy given (the current version with the values given; with --type, that type's), writes nothing, and prints how many students change status and each changed row, class by class. With no value: the current version as saved, which is what policy:apply would change.",
  options: POLICY_PREVIEW_OPTIONS,
  examples: [
    "rollcall policy:preview --academy al-noor --weeks 4 --grace 10",
    "rollcall policy:preview --academy al-noor --weeks 8 --type quran --present-above 0.8",
    "rollcall policy:preview --academy al-noor --weeks 4",
  ],
  load: () => import("../commands/policy.ts").then((module) => module.policyPreview),
});

export const POLICY_SET_OPTIONS = defineOptions({ academy: ACADEMY_OPTION, ...VALUE_OPTIONS });

export const policySet = defineCommand({
  name: "policy:set",
  summary: "save a new version of an academy's policy",
  description:
    "The values given change the academy's defaults (with --type, that type's overrides); the others keep theirs. Every resulting policy must be valid, or nothing is saved. Classes calculated from then on use the new version; classes calculated before keep theirs until policy:apply. Recorded as saved by the command line.",
  options: POLICY_SET_OPTIONS,
  examples: [
    "rollcall policy:set --academy al-noor --grace 10",
    "rollcall policy:set --academy al-noor --type quran --absent-below 0.2 --partial-at-or-below 0.6",
  ],
  load: () => import("../commands/policy.ts").then((module) => module.policySet),
});

export const POLICY_APPLY_OPTIONS = defineOptions({ academy: ACADEMY_OPTION, weeks: WEEKS });

export const policyApply = defineCommand({
  name: "policy:apply",
  summary: "recalculate an academy's past classes with its current policy version, recorded",
  description:
    "Recalculates the academy's calculated classes of the last --weeks weeks with its current policy version (they keep it after), records the application with what each recalculation changed, and prints it. Overrides stay. policy:preview with no value shows what it would change. Exit status 1 if any class failed.",
  options: POLICY_APPLY_OPTIONS,
  examples: ["rollcall policy:apply --academy al-noor --weeks 4"],
  load: () => import("../commands/policy.ts").then((module) => module.policyApply),
});

export const POLICY_APPLICATIONS_OPTIONS = defineOptions({ academy: ACADEMY_OPTION });

export const policyApplications = defineCommand({
  name: "policy:applications",
  summary: "list an academy's applications of a policy version to past classes, newest first",
  options: POLICY_APPLICATIONS_OPTIONS,
  examples: ["rollcall policy:applications --academy al-noor"],
  load: () => import("../commands/policy.ts").then((module) => module.policyApplications),
});
