import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { TCreateSession } from "./session-schemas.ts";
import { getSessionOrThrow, toSessionView, type SessionView } from "./session-view.ts";
import { claimRoom } from "./room-schedule.ts";
import { upsertPeople } from "./upsert-people.ts";
import { env } from "../env.ts";
import { sessionCalculationDueAt } from "../calculation/session-due.ts";
import { scheduleCalculationSafely } from "../scheduling/attendance-scheduler.ts";

export interface CreateSessionOptions {
  academyId: string;
  input: TCreateSession;
}

/** Creates a session with its teacher and students, creating or matching people by external id. */
export async function createSession(
  db: PrismaClient,
  { academyId, input }: CreateSessionOptions,
): Promise<SessionView> {
  const sessionId = await db.$transaction(async (tx) => {
    if (input.externalId) {
      const existing = await tx.session.findFirst({
        where: { academyId, externalId: input.externalId },
        select: { id: true },
      });
      if (existing)
        throw new AppError(
          "conflict",
          `A session with externalId ${JSON.stringify(input.externalId)} already exists.`,
          { sessionId: existing.id },
        );
    }
    const livekitScope = await claimRoom(tx, {
      academyId,
      roomName: input.roomName,
      scheduledStart: input.scheduledStart,
      scheduledEnd: input.scheduledEnd,
    });

    const personIds = await upsertPeople(tx, academyId, [
      { input: input.teacher, role: "teacher" },
      ...input.students.map((student) => ({ input: student, role: "student" as const })),
    ]);
    const teacherId = personIds.get(input.teacher.externalId);
    const session = await tx.session.create({
      data: {
        academyId,
        externalId: input.externalId ?? null,
        type: input.type,
        title: input.title,
        roomName: input.roomName,
        livekitScope,
        scheduledStart: input.scheduledStart,
        scheduledEnd: input.scheduledEnd,
        teacherId,
        roster: {
          create: [
            { personId: teacherId!, role: "teacher" },
            ...input.students.map((student) => ({
              personId: personIds.get(student.externalId)!,
              role: "student" as const,
            })),
          ],
        },
      },
      select: { id: true },
    });
    return session.id;
  });
  // Its room's webhooks may already be in the log (a session created late): the due time follows them.
  const dueAt = await sessionCalculationDueAt(db, sessionId, env().ROLLCALL_CALC_DELAY_MINUTES);
  if (dueAt) await scheduleCalculationSafely(sessionId, dueAt, "scheduled");
  return toSessionView(await getSessionOrThrow(db, academyId, sessionId));
}
