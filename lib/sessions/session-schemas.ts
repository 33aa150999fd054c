import { z } from "zod";
import { SESSION_STATES } from "../attendance/index.ts";
import { ZInstantSchema } from "../instant.ts";
import { ZSessionCursorSchema } from "./session-cursor.ts";
import { SESSION_TYPES } from "./session-types.ts";

export { SESSION_TYPES };
export const ZSessionTypeSchema = z.enum(SESSION_TYPES);

/** The longest a session may last, checked on the request and, for a change, on the session it leaves. */
export const MAX_SESSION_MS = 24 * 60 * 60 * 1000;
export const MAX_SESSION_MESSAGE = "a session lasts at most 24 hours";

export const ZPersonInputSchema = z.strictObject({
  externalId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(200),
  livekitIdentity: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\u0000-\u001f\u007f]+$/, "must not contain control characters"),
  email: z.email().max(320).optional(),
});
export type TPersonInput = z.infer<typeof ZPersonInputSchema>;

const sessionFields = {
  externalId: z.string().trim().min(1).max(128).optional(),
  type: ZSessionTypeSchema,
  title: z.string().trim().min(1).max(200),
  roomName: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\s\u0000-\u001f\u007f]+$/, "must not contain spaces or control characters"),
  scheduledStart: ZInstantSchema,
  scheduledEnd: ZInstantSchema,
  teacher: ZPersonInputSchema,
  students: z.array(ZPersonInputSchema).max(1000),
};

interface RosterShape {
  scheduledStart?: Date;
  scheduledEnd?: Date;
  teacher?: TPersonInput;
  students?: TPersonInput[];
}

// Rules that span fields: a window of positive length, and one person per identity and external id.
function checkSessionShape(value: RosterShape, context: z.RefinementCtx) {
  const { scheduledStart, scheduledEnd } = value;
  // Zod still runs object refinements when a field failed, with that field untransformed.
  if (scheduledStart instanceof Date && scheduledEnd instanceof Date) {
    if (scheduledEnd.getTime() <= scheduledStart.getTime()) {
      context.addIssue({ code: "custom", path: ["scheduledEnd"], message: "must be after scheduledStart" });
    } else if (scheduledEnd.getTime() - scheduledStart.getTime() > MAX_SESSION_MS) {
      context.addIssue({ code: "custom", path: ["scheduledEnd"], message: MAX_SESSION_MESSAGE });
    }
  }
  const people = [
    ...(value.teacher ? [value.teacher] : []),
    ...(Array.isArray(value.students) ? value.students : []),
  ].filter(
    // As above, a field that failed arrives untransformed: a student may be null whatever the type says.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    (person): person is TPersonInput => typeof person === "object" && person !== null,
  );
  for (const field of ["externalId", "livekitIdentity"] as const) {
    const seen = new Set<string>();
    for (const person of people) {
      if (seen.has(person[field])) {
        context.addIssue({
          code: "custom",
          path: ["students"],
          message: `${field} ${JSON.stringify(person[field])} appears twice in the roster`,
        });
      }
      seen.add(person[field]);
    }
  }
}

export const ZCreateSessionSchema = z
  .strictObject({ ...sessionFields, students: sessionFields.students.default([]) })
  .superRefine(checkSessionShape);
export type TCreateSession = z.infer<typeof ZCreateSessionSchema>;

export const ZUpdateSessionSchema = z
  .strictObject({
    type: sessionFields.type.optional(),
    title: sessionFields.title.optional(),
    roomName: sessionFields.roomName.optional(),
    scheduledStart: sessionFields.scheduledStart.optional(),
    scheduledEnd: sessionFields.scheduledEnd.optional(),
    teacher: sessionFields.teacher.optional(),
    students: sessionFields.students.optional(),
  })
  .superRefine(checkSessionShape)
  .refine((value) => Object.keys(value).length > 0, { message: "send at least one field to change" });
export type TUpdateSession = z.infer<typeof ZUpdateSessionSchema>;

export const ZListSessionsQuerySchema = z.strictObject({
  from: ZInstantSchema.optional(),
  to: ZInstantSchema.optional(),
  type: ZSessionTypeSchema.optional(),
  status: z.enum(SESSION_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextAfter` of the page before (keyset paging, lib/sessions/session-cursor.ts). */
  after: ZSessionCursorSchema.optional(),
});
