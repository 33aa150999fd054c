// Webhook bodies in the shape a LiveKit server writes them (LIVEKIT.md §1): protobuf JSON with
// camelCase keys, int64 fields as strings, default values left out.

export interface RoomRef {
  sid: string;
  name: string;
  creationTimeMs: number;
}

export interface ParticipantRef {
  sid: string;
  identity: string;
  name: string;
  joinedAtMs: number;
  /** Omitted for STANDARD, as LiveKit does. */
  kind?: "SIP" | "EGRESS" | "INGRESS" | "AGENT" | "CONNECTOR" | "BRIDGE";
  recorder?: boolean;
}

export type DisconnectReason =
  | "CLIENT_INITIATED"
  | "DUPLICATE_IDENTITY"
  | "SERVER_SHUTDOWN"
  | "PARTICIPANT_REMOVED"
  | "ROOM_DELETED"
  | "SIGNAL_CLOSE"
  | "ROOM_CLOSED"
  | "CONNECTION_TIMEOUT";

export interface WebhookPayload {
  event: string;
  id: string;
  createdAt: string;
  room?: Record<string, unknown>;
  participant?: Record<string, unknown>;
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));

function roomJson(room: RoomRef, numParticipants?: number): Record<string, unknown> {
  return {
    sid: room.sid,
    name: room.name,
    emptyTimeout: 300,
    departureTimeout: 20,
    creationTime: seconds(room.creationTimeMs),
    creationTimeMs: String(room.creationTimeMs),
    enabledCodecs: [{ mime: "audio/opus" }, { mime: "video/VP8" }, { mime: "video/H264" }],
    ...(numParticipants ? { numParticipants } : {}),
  };
}

function participantJson(
  participant: ParticipantRef,
  state: "ACTIVE" | "DISCONNECTED",
  reason?: DisconnectReason,
): Record<string, unknown> {
  return {
    sid: participant.sid,
    identity: participant.identity,
    state,
    joinedAt: seconds(participant.joinedAtMs),
    joinedAtMs: String(participant.joinedAtMs),
    name: participant.name,
    version: state === "ACTIVE" ? 3 : 9,
    permission: {
      canSubscribe: true,
      canPublish: !participant.recorder,
      canPublishData: true,
      ...(participant.recorder ? { hidden: true, recorder: true } : {}),
    },
    ...(participant.kind ? { kind: participant.kind } : {}),
    ...(state === "DISCONNECTED" && reason ? { disconnectReason: reason } : {}),
  };
}

export function participantJoined(
  id: string,
  room: RoomRef,
  participant: ParticipantRef,
  createdAtMs: number,
): WebhookPayload {
  return {
    event: "participant_joined",
    room: roomJson(room),
    participant: participantJson(participant, "ACTIVE"),
    id,
    createdAt: seconds(createdAtMs),
  };
}

export function participantLeft(
  id: string,
  room: RoomRef,
  participant: ParticipantRef,
  createdAtMs: number,
  reason: DisconnectReason,
): WebhookPayload {
  return {
    event: "participant_left",
    room: roomJson(room),
    participant: participantJson(participant, "DISCONNECTED", reason),
    id,
    createdAt: seconds(createdAtMs),
  };
}

export function participantConnectionAborted(
  id: string,
  room: RoomRef,
  participant: ParticipantRef,
  createdAtMs: number,
): WebhookPayload {
  return {
    event: "participant_connection_aborted",
    room: roomJson(room),
    participant: participantJson(participant, "DISCONNECTED", "SIGNAL_CLOSE"),
    id,
    createdAt: seconds(createdAtMs),
  };
}

export function roomStarted(id: string, room: RoomRef, createdAtMs: number): WebhookPayload {
  return { event: "room_started", room: roomJson(room), id, createdAt: seconds(createdAtMs) };
}

export function roomFinished(id: string, room: RoomRef, createdAtMs: number): WebhookPayload {
  return { event: "room_finished", room: roomJson(room), id, createdAt: seconds(createdAtMs) };
}

/**
 * Serializes like Go's protojson, which adds a space after some commas so that nobody relies on
 * byte-stable output; receivers must hash the bytes they got, and these bodies make sure they do.
 */
export function toWebhookBody(payload: WebhookPayload): string {
  return JSON.stringify(payload).replace(/,"(room|participant|id|createdAt)":/g, ', "$1":');
}
