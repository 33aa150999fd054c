import { z } from "zod";
import { AppError, formatZodIssues } from "../errors.ts";

export const PARTICIPANT_EVENTS = ["participant_joined", "participant_left", "participant_connection_aborted"] as const;
export const ROOM_EVENTS = ["room_started", "room_finished"] as const;
/** The event types attendance is built from; every other verified webhook is logged and ignored. */
export const USED_EVENTS: readonly string[] = [...PARTICIPANT_EVENTS, ...ROOM_EVENTS];

// LiveKit writes protobuf JSON: int64 fields are strings, but numbers are accepted too (rules §2).
const ZInt64 = z
  .union([z.string().regex(/^-?\d{1,19}$/, "must be an integer"), z.number().int()])
  .transform((value) => Number(value));

// Kinds as protobuf enum numbers, for a sender that writes enums as numbers; null is STANDARD.
const KIND_BY_NUMBER: Record<number, string | null> = {
  0: null,
  1: "INGRESS",
  2: "EGRESS",
  3: "SIP",
  4: "AGENT",
  7: "CONNECTOR",
  8: "BRIDGE",
};
const ZEnumName = z.union([z.string().max(64), z.number().int()]);

const ZRoomSchema = z.looseObject({
  sid: z.string().max(256).optional(),
  name: z.string().max(512).optional(),
});

const ZParticipantSchema = z.looseObject({
  sid: z.string().max(256).optional(),
  identity: z.string().max(1024).optional(),
  joinedAt: ZInt64.optional(),
  joinedAtMs: ZInt64.optional(),
  kind: ZEnumName.optional(),
  disconnectReason: ZEnumName.optional(),
  permission: z.looseObject({ recorder: z.boolean().optional() }).optional(),
});

const ZWebhookSchema = z.looseObject({
  event: z.string().min(1, "event is required").max(128),
  id: z.string().min(1, "id is required").max(256),
  createdAt: ZInt64.optional(),
  room: ZRoomSchema.optional(),
  participant: ZParticipantSchema.optional(),
});

export interface NormalizedWebhook {
  id: string;
  event: string;
  /** ATTENDANCE_RULES.md section 2. */
  eventTime: Date;
  createdAt: Date | null;
  roomName: string | null;
  roomSid: string | null;
  participantSid: string | null;
  identity: string | null;
  /** LiveKit kind name, null for STANDARD (protobuf omits the default). */
  participantKind: string | null;
  isRecorder: boolean;
  participantJoinedAt: Date | null;
  disconnectReason: string | null;
  isUsed: boolean;
}

// Plausible instants only: a zero is protobuf's "unset", and anything outside these years is not a
// time LiveKit could have written (it would even become an invalid Date). Either is no usable time:
// rules section 2 takes the next source (joinedAtMs, joinedAt, createdAt, the time it was received),
// so a signed webhook with one odd field is still kept rather than refused and lost, since LiveKit
// never resends a webhook answered 4xx.
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);
function instant(value: number | undefined, unitMs = 1): Date | null {
  const ms = (value ?? NaN) * unitMs;
  // No value is NaN, which fails both comparisons.
  return ms >= MIN_MS && ms <= MAX_MS ? new Date(ms) : null;
}

function enumName(value: string | number | undefined, byNumber: Record<number, string | null>): string | null {
  if (value === undefined || value === "") return null;
  if (typeof value === "number") return value in byNumber ? (byNumber[value] ?? null) : `UNKNOWN_${value}`;
  return value === "STANDARD" ? null : value;
}

/**
 * Turns a verified webhook body into the fields Rollcall stores. Throws AppError("bad_request")
 * for a body that is not a LiveKit webhook; never re-serializes the body (the raw text is kept).
 */
export function parseWebhookBody(body: string, receivedAt: Date): NormalizedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AppError("bad_request", "The body is not JSON.");
  }
  const parsed = ZWebhookSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError("bad_request", "The body is not a LiveKit webhook.", formatZodIssues(parsed.error));
  const webhook = parsed.data;

  const isParticipantEvent = (PARTICIPANT_EVENTS as readonly string[]).includes(webhook.event);
  const isRoomEvent = (ROOM_EVENTS as readonly string[]).includes(webhook.event);
  const participant = webhook.participant;
  if ((isParticipantEvent || isRoomEvent) && !webhook.room?.name) {
    throw new AppError("bad_request", `A ${webhook.event} webhook must name its room.`);
  }
  if (isParticipantEvent && (!participant?.sid || !participant.identity)) {
    throw new AppError("bad_request", `A ${webhook.event} webhook must carry the participant's sid and identity.`);
  }

  const createdAt = instant(webhook.createdAt, 1000);
  const participantJoinedAt = instant(participant?.joinedAtMs) ?? instant(participant?.joinedAt, 1000);
  const eventTime = (webhook.event === "participant_joined" ? participantJoinedAt : null) ?? createdAt ?? receivedAt;

  return {
    id: webhook.id,
    event: webhook.event,
    eventTime,
    createdAt,
    roomName: webhook.room?.name || null,
    roomSid: webhook.room?.sid || null,
    participantSid: participant?.sid || null,
    identity: participant?.identity ?? null,
    participantKind: enumName(participant?.kind, KIND_BY_NUMBER),
    isRecorder: participant?.permission?.recorder === true,
    participantJoinedAt,
    disconnectReason: enumName(participant?.disconnectReason, {}),
    isUsed: isParticipantEvent || isRoomEvent,
  };
}
