import { livekitId, pick, randomInt, type Rng } from "./random.ts";
import {
  participantConnectionAborted,
  participantJoined,
  participantLeft,
  roomFinished,
  roomStarted,
  type DisconnectReason,
  type ParticipantRef,
  type RoomRef,
  type WebhookPayload,
} from "./webhook-payloads.ts";

/** How a simulated student behaves; each maps to a pattern LiveKit really produces (LIVEKIT.md §3). */
export const BEHAVIOURS = [
  "on_time",
  "early_prep",
  "late",
  "very_late",
  "left_early",
  "brief",
  "absent",
  "reconnects",
  "network_drops",
  "second_tab",
  "lost_leave",
  "aborted_then_joins",
  "phone_dial_in",
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface ClassPlan {
  roomName: string;
  start: number;
  end: number;
  teacher: { identity: string; name: string };
  students: { identity: string; name: string; behaviour: Behaviour }[];
  /** A recorder (egress) joins for the whole class; it must never count. */
  withRecorder?: boolean;
  /** The teacher closes the room before the scheduled end, at this fraction of the class. */
  finishEarlyAt?: number;
  /** Stop the stream at this instant, as a class still running now would. */
  until?: number;
}

export interface SimulatedEvent {
  payload: WebhookPayload;
  /** When LiveKit would queue it (createdAt in ms): the delivery order. */
  at: number;
}

const MIN = 60_000;

/** The room's webhook stream while a class is simulated: who is connected, and what LiveKit sent. */
interface RoomStream {
  room: RoomRef;
  roomEnd: number;
  events: SimulatedEvent[];
  open: Map<string, ParticipantRef>;
  join(identity: string, name: string, at: number, extra?: Partial<ParticipantRef>): ParticipantRef | null;
  leave(participant: ParticipantRef | null, at: number, reason: DisconnectReason): void;
  /** A full reconnect: the new connection starts, then LiveKit removes the old one as a duplicate. */
  handover(participant: ParticipantRef | null, at: number): ParticipantRef | null;
}

function openRoom(plan: ClassPlan, rng: Rng): RoomStream {
  const length = plan.end - plan.start;
  const room: RoomRef = { sid: livekitId(rng, "RM_"), name: plan.roomName, creationTimeMs: plan.start - 6 * MIN };
  const roomEnd =
    plan.finishEarlyAt !== undefined
      ? plan.start + Math.floor(length * plan.finishEarlyAt)
      : plan.end + randomInt(rng, 0, 4 * MIN);
  const events: SimulatedEvent[] = [];
  const open = new Map<string, ParticipantRef>();

  const clampToRoom = (t: number) => Math.min(t, roomEnd - 1_000);
  const join: RoomStream["join"] = (identity, name, at, extra = {}) => {
    if (at >= roomEnd - 1_000) return null;
    const participant: ParticipantRef = { sid: livekitId(rng, "PA_"), identity, name, joinedAtMs: at, ...extra };
    // joined fires once media is connected, a moment after the signal connection (joinedAt).
    events.push({
      payload: participantJoined(livekitId(rng, "EV_"), room, participant, at + randomInt(rng, 300, 2_500)),
      at: at + 1,
    });
    open.set(participant.sid, participant);
    return participant;
  };
  const leave: RoomStream["leave"] = (participant, at, reason) => {
    if (!participant || !open.has(participant.sid)) return;
    const when = Math.max(clampToRoom(at), participant.joinedAtMs + 1_000);
    events.push({ payload: participantLeft(livekitId(rng, "EV_"), room, participant, when, reason), at: when + 2 });
    open.delete(participant.sid);
  };
  const handover: RoomStream["handover"] = (participant, at) => {
    if (!participant || at >= roomEnd - 2_000) return participant;
    const next = join(participant.identity, participant.name, at, { kind: participant.kind });
    leave(participant, at + randomInt(rng, 200, 1_500), "DUPLICATE_IDENTITY");
    return next;
  };
  return { room, roomEnd, events, open, join, leave, handover };
}

/** One student's connections over the class, as their behaviour makes them. */
function playStudent(student: ClassPlan["students"][number], plan: ClassPlan, stream: RoomStream, rng: Rng): void {
  const { join, leave, handover } = stream;
  const { identity, name } = student;
  const length = plan.end - plan.start;
  const duringClass = (from: number, to: number) =>
    plan.start + randomInt(rng, Math.floor(from * length), Math.floor(to * length));
  const onTime = () => plan.start + randomInt(rng, -3 * MIN, 4 * MIN);
  switch (student.behaviour) {
    case "on_time":
      join(identity, name, onTime());
      break;
    case "early_prep":
      join(identity, name, plan.start - randomInt(rng, 4, 12) * MIN);
      break;
    case "late":
      join(identity, name, plan.start + randomInt(rng, 16, 25) * MIN + randomInt(rng, 0, 59_000));
      break;
    case "very_late":
      join(identity, name, duringClass(0.55, 0.85));
      break;
    case "left_early": {
      const participant = join(identity, name, onTime());
      leave(participant, duringClass(0.3, 0.65), "CLIENT_INITIATED");
      break;
    }
    case "brief": {
      const participant = join(identity, name, duringClass(0.1, 0.5));
      leave(participant, (participant?.joinedAtMs ?? 0) + randomInt(rng, 1, 5) * MIN, "CLIENT_INITIATED");
      break;
    }
    case "absent":
      break;
    case "reconnects": {
      let participant = join(identity, name, onTime());
      for (let i = 0, n = randomInt(rng, 2, 5); i < n; i++)
        participant = handover(participant, duringClass((i + 0.5) / (n + 1), (i + 1) / (n + 1)));
      break;
    }
    case "network_drops": {
      let participant = join(identity, name, onTime());
      for (let i = 0, n = randomInt(rng, 1, 3); i < n && participant; i++) {
        const lost = duringClass((i + 0.2) / (n + 1), (i + 0.8) / (n + 1));
        // The server notices a vanished client about 20 s later (ICE + cleanup timer).
        leave(participant, lost + 20_000, "CONNECTION_TIMEOUT");
        participant = join(identity, name, lost + randomInt(rng, 30, 240) * 1_000);
      }
      break;
    }
    case "second_tab": {
      const participant = join(identity, name, onTime());
      handover(participant, duringClass(0.2, 0.6));
      break;
    }
    case "lost_leave": {
      const participant = join(identity, name, onTime());
      // The tab closed and the webhook was lost: only the room's end closes this connection.
      if (participant && rng() < 0.5) stream.open.delete(participant.sid);
      break;
    }
    case "aborted_then_joins": {
      const failed: ParticipantRef = { sid: livekitId(rng, "PA_"), identity, name, joinedAtMs: onTime() };
      stream.events.push({
        payload: participantConnectionAborted(livekitId(rng, "EV_"), stream.room, failed, failed.joinedAtMs + 15_000),
        at: failed.joinedAtMs + 15_000,
      });
      join(identity, name, failed.joinedAtMs + randomInt(rng, 20, 90) * 1_000);
      break;
    }
    case "phone_dial_in":
      join(identity, name, onTime(), { kind: "SIP" });
      break;
  }
}

/**
 * Produces the webhooks one class would make, in LiveKit's delivery order: joins with millisecond
 * joinedAt, leaves with second createdAt, reconnect handovers, lost leaves closed only by the room's
 * end, and on room close a leave for everyone still inside before room_finished.
 */
export function simulateClass(plan: ClassPlan, rng: Rng): SimulatedEvent[] {
  const stream = openRoom(plan, rng);
  const { room, roomEnd, events, open, join, leave } = stream;

  const firstArrival = plan.start - randomInt(rng, 2, 8) * MIN;
  events.push({ payload: roomStarted(livekitId(rng, "EV_"), room, firstArrival), at: firstArrival });
  join(plan.teacher.identity, plan.teacher.name, firstArrival + 500);
  if (plan.withRecorder) {
    join(`EG_${room.sid.slice(3)}`, "", plan.start + randomInt(rng, 0, 2) * MIN, { kind: "EGRESS", recorder: true });
  }
  for (const student of plan.students) playStudent(student, plan, stream, rng);

  // Students still in the room leave around the end; the rest are removed when the room closes.
  const stayers = [...open.values()].filter((participant) => participant.kind !== "EGRESS");
  for (const participant of stayers) {
    if (rng() < 0.6 && participant.identity !== plan.teacher.identity)
      leave(participant, plan.end + randomInt(rng, -2 * MIN, 2 * MIN), "CLIENT_INITIATED");
  }
  for (const participant of [...open.values()]) leave(participant, roomEnd, "ROOM_DELETED");
  events.push({ payload: roomFinished(livekitId(rng, "EV_"), room, roomEnd + 1_000), at: roomEnd + 1_000 });

  const ordered = events.sort((a, b) => a.at - b.at);
  const until = plan.until;
  return until === undefined ? ordered : ordered.filter((event) => event.at <= until);
}

/** A class of `size` students with a realistic mix of behaviours. */
export function planClass(
  rng: Rng,
  {
    roomName,
    start,
    minutes,
    size,
    identityPrefix,
  }: { roomName: string; start: number; minutes: number; size: number; identityPrefix: string },
): ClassPlan {
  const weighted: Behaviour[] = [
    ...Array<Behaviour>(6).fill("on_time"),
    ...Array<Behaviour>(2).fill("early_prep"),
    ...Array<Behaviour>(2).fill("late"),
    "very_late",
    "left_early",
    "brief",
    "absent",
    ...Array<Behaviour>(2).fill("reconnects"),
    "network_drops",
    "second_tab",
    "lost_leave",
    "aborted_then_joins",
    "phone_dial_in",
  ];
  return {
    roomName,
    start,
    end: start + minutes * MIN,
    teacher: { identity: `${identityPrefix}-teacher`, name: "Teacher" },
    students: Array.from({ length: size }, (_, i) => ({
      identity: `${identityPrefix}-s${String(i + 1).padStart(2, "0")}`,
      name: `Student ${i + 1}`,
      behaviour: pick(rng, weighted),
    })),
    withRecorder: rng() < 0.3,
    finishEarlyAt: rng() < 0.1 ? 0.7 + rng() * 0.25 : undefined,
  };
}
