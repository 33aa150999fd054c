// A policy version's values in words, as the version history lists them:
// "Grace period 15 minutes, Absent below 10 %, …; quran: Grace period 10 minutes".
import type { PolicyValues } from "@/lib/policy/policy-values.ts";
import { POLICY_FIELDS, type PolicyField } from "@/lib/policy/policy-fields.ts";
import { NBSP } from "@/lib/words.ts";

const TYPES = ["quran", "academic", "interactive"] as const;

function fieldsInWords(values: Partial<Record<PolicyField, number>>): string {
  return POLICY_FIELDS.filter((field) => typeof values[field.key] === "number")
    .map((field) => {
      const shown = Math.round(values[field.key]! * field.scale * 1000) / 1000;
      return `${field.name} ${shown}${field.unit === "%" ? `${NBSP}%` : " min"}`;
    })
    .join(", ");
}

/** The defaults, then each session type that sets its own fields. */
export function policyValuesInWords(values: PolicyValues): string[] {
  return [
    `Defaults: ${fieldsInWords(values.defaults)}`,
    ...TYPES.filter((type) => values.types[type]).map((type) => `${type}: ${fieldsInWords(values.types[type]!)}`),
  ];
}
