import { calculateAttendance, DEFAULT_POLICY, type AttendanceEvent, type AttendancePolicy, type RosterEntry, type SessionAttendance } from "../../lib/attendance/index.ts";
import { parseWebhookBody } from "../../lib/livekit/parse-webhook.ts";

/** What the pure core says for webhook bodies delivered in order: the reference reports are compared with. */
export function referenceAttendance(
  bodies: string[],
  { start, end, roster, timeZone = "Europe/London", policy = DEFAULT_POLICY }: { start: number; end: number; roster: RosterEntry[]; timeZone?: string; policy?: AttendancePolicy },
): SessionAttendance {
  const events: AttendanceEvent[] = bodies.map((body) => {
    const event = parseWebhookBody(body, new Date(0));
    return {
      id: event.id,
      type: event.event,
      time: event.eventTime.getTime(),
      participantSid: event.participantSid,
      identity: event.identity,
      kind: event.participantKind,
      isRecorder: event.isRecorder,
      participantJoinedAt: event.participantJoinedAt?.getTime() ?? null,
    };
  });
  return calculateAttendance({ scheduledStart: start, scheduledEnd: end, policy, roster, events, timeZone });
}
