import "server-only";
import type { PrismaClient } from "../db/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { MAX_SESSION_MESSAGE, MAX_SESSION_MS, type TUpdateSession } from "./session-schemas.ts";
import { getSessionOrThrow, toSessionView, type SessionView } from "./session-view.ts";
import { claimRoom } from "./room-schedule.ts";
import { upsertPeople } from "./upsert-people.ts";
import { env } from "../env.ts";
import { sessionCalculationDueAt } from "../calculation/session-due.ts";
import { scheduleCalculationSafely } from "../scheduling/attendance-scheduler.ts";

export interface UpdateSessionOptions {
  academyId: string;
  sessionId: string;
  input: TUpdateSession;
}

type StoredSession = Awaited<ReturnType<typeof getSessionOrThrow>>;

/** The schedule after the change, refused when it ends before it starts or runs too long. */
function checkedSchedule(session: StoredSession, input: TUpdateSession): { scheduledStart: Date; scheduledEnd: Date } {
  const scheduledStart = input.scheduledStart ?? session.scheduledStart;
  const scheduledEnd = input.scheduledEnd ?? session.scheduledEnd;
  if (scheduledEnd.getTime() <= scheduledStart.getTime()) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "scheduledEnd", message: "must be after scheduledStart" },
    ]);
  }
  // The request alone may be valid where the session it leaves is not (a new end far from the
  // stored start, or the other way round, over one request or several): a change of schedule is
  // checked on the result, against the field the request moved.
  if (
    (input.scheduledStart || input.scheduledEnd) &&
    scheduledEnd.getTime() - scheduledStart.getTime() > MAX_SESSION_MS
  ) {
    const changedField = input.scheduledStart && !input.scheduledEnd ? "scheduledStart" : "scheduledEnd";
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: changedField, message: MAX_SESSION_MESSAGE },
    ]);
  }
  return { scheduledStart, scheduledEnd };
}

/**
 * Replaces the teacher and/or the students the request names, keeping the other half; a LiveKit
 * identity may not be on the roster twice.
 */
async function replaceRoster(tx: Prisma.TransactionClient, session: StoredSession, input: TUpdateSession) {
  const { id: sessionId, academyId } = session;
  const currentTeacher = session.roster.find((entry) => entry.role === "teacher")?.person;
  const currentStudents = session.roster.filter((entry) => entry.role === "student").map((entry) => entry.person);
  const people = [
    ...(input.teacher ? [{ input: input.teacher, role: "teacher" as const }] : []),
    ...(input.students ?? []).map((student) => ({ input: student, role: "student" as const })),
  ];
  // The untouched half of the roster must not collide with the new half.
  const keptIdentities = new Map<string, string>();
  if (!input.teacher && currentTeacher?.livekitIdentity)
    keptIdentities.set(currentTeacher.livekitIdentity, currentTeacher.externalId);
  if (!input.students)
    for (const student of currentStudents)
      if (student.livekitIdentity) keptIdentities.set(student.livekitIdentity, student.externalId);
  for (const { input: person } of people) {
    const holder = keptIdentities.get(person.livekitIdentity);
    if (holder && holder !== person.externalId) {
      throw new AppError(
        "conflict",
        `LiveKit identity ${JSON.stringify(person.livekitIdentity)} is already on this session's roster.`,
      );
    }
  }
  const personIds = people.length ? await upsertPeople(tx, academyId, people) : new Map<string, string>();

  const rosterChanged = Boolean(input.teacher || input.students);
  if (input.teacher) {
    await tx.sessionRoster.deleteMany({ where: { sessionId, role: "teacher" } });
  }
  if (input.students) {
    await tx.sessionRoster.deleteMany({ where: { sessionId, role: "student" } });
  }
  const rosterRows = [
    ...(input.teacher
      ? [{ sessionId, personId: personIds.get(input.teacher.externalId)!, role: "teacher" as const }]
      : []),
    ...(input.students ?? []).map((student) => ({
      sessionId,
      personId: personIds.get(student.externalId)!,
      role: "student" as const,
    })),
  ];
  if (rosterRows.length) {
    // A person moved between teacher and student in the same change must not appear twice.
    await tx.sessionRoster.deleteMany({
      where: { sessionId, personId: { in: rosterRows.map((row) => row.personId) } },
    });
    await tx.sessionRoster.createMany({ data: rosterRows });
  }

  return { personIds, rosterChanged };
}

/**
 * Changes a session. `students` replaces the student roster, `teacher` the teacher. A change of
 * schedule or roster makes the attendance uncalculated, since the reports depend on both.
 */
export async function updateSession(
  db: PrismaClient,
  { academyId, sessionId, input }: UpdateSessionOptions,
): Promise<SessionView> {
  // A new room, time or teacher may move the window end (rules section 5): a new due time is a new
  // event, and the one for the old time finds the session not yet due and stops.
  const rescheduled = await db.$transaction(async (tx) => {
    const session = await getSessionOrThrow(tx, academyId, sessionId);
    if (session.cancelledAt) throw new AppError("conflict", "The session is cancelled and can no longer change.");

    const { scheduledStart, scheduledEnd } = checkedSchedule(session, input);
    const roomName = input.roomName ?? session.roomName;
    let livekitScope = session.livekitScope;
    if (
      roomName !== session.roomName ||
      scheduledStart.getTime() !== session.scheduledStart.getTime() ||
      scheduledEnd.getTime() !== session.scheduledEnd.getTime()
    ) {
      // Webhooks are matched to sessions when read, so a new room name or time simply selects
      // other webhooks of the log (rules section 1); only an overlap in one room is refused. A
      // session moved takes its academy's scope as it is now: an academy that has moved to its
      // own LiveKit key cannot move an old session onto the shared project's rooms.
      livekitScope = await claimRoom(tx, {
        academyId,
        roomName,
        scheduledStart,
        scheduledEnd,
        exceptSessionId: sessionId,
      });
    }

    const { personIds, rosterChanged } = await replaceRoster(tx, session, input);

    const scheduleChanged =
      scheduledStart.getTime() !== session.scheduledStart.getTime() ||
      scheduledEnd.getTime() !== session.scheduledEnd.getTime();
    await tx.session.update({
      where: { id: sessionId },
      data: {
        type: input.type,
        title: input.title,
        roomName: input.roomName,
        livekitScope,
        scheduledStart,
        scheduledEnd,
        ...(input.teacher ? { teacherId: personIds.get(input.teacher.externalId) } : {}),
        ...(scheduleChanged ||
        rosterChanged ||
        roomName !== session.roomName ||
        livekitScope !== session.livekitScope ||
        (input.type && input.type !== session.type)
          ? { isCalculated: false }
          : {}),
      },
    });
    return scheduleChanged || roomName !== session.roomName || rosterChanged;
  });
  if (rescheduled) {
    const dueAt = await sessionCalculationDueAt(db, sessionId, env().ROLLCALL_CALC_DELAY_MINUTES);
    if (dueAt) await scheduleCalculationSafely(sessionId, dueAt, "scheduled");
  }
  return toSessionView(await getSessionOrThrow(db, academyId, sessionId));
}
