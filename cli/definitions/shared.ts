// Options several commands share, written once.

/** The academy a command works in, by its slug. */
export const ACADEMY_OPTION = {
  type: "string",
  value: "slug",
  description: "the academy, by its slug (rollcall academy:list shows them)",
  isRequired: true,
} as const;
