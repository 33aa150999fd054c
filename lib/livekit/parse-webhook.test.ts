import { describe, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import { parseWebhookBody } from "./parse-webhook.ts";

const received = new Date("2025-11-20T12:00:00.000Z");
const room = { sid: "RM_a", name: "class-1" };
const body = (value: unknown) => JSON.stringify(value);

describe("event time (ATTENDANCE_RULES.md section 2)", () => {
  const cases: {
    name: string;
    webhook: Record<string, unknown>;
    eventTime: string;
    participantJoinedAt: string | null;
  }[] = [
    {
      name: "a join uses participant.joinedAtMs",
      webhook: {
        event: "participant_joined",
        id: "EV_1",
        createdAt: "1763640005",
        room,
        participant: { sid: "PA_1", identity: "a", joinedAt: "1763640001", joinedAtMs: "1763640001234" },
      },
      eventTime: "2025-11-20T12:00:01.234Z",
      participantJoinedAt: "2025-11-20T12:00:01.234Z",
    },
    {
      name: "a join without joinedAtMs uses joinedAt in seconds",
      webhook: {
        event: "participant_joined",
        id: "EV_2",
        createdAt: "1763640005",
        room,
        participant: { sid: "PA_1", identity: "a", joinedAt: "1763640001" },
      },
      eventTime: "2025-11-20T12:00:01.000Z",
      participantJoinedAt: "2025-11-20T12:00:01.000Z",
    },
    {
      name: "a join without either uses the webhook's createdAt",
      webhook: {
        event: "participant_joined",
        id: "EV_3",
        createdAt: "1763640005",
        room,
        participant: { sid: "PA_1", identity: "a" },
      },
      eventTime: "2025-11-20T12:00:05.000Z",
      participantJoinedAt: null,
    },
    {
      name: "a leave uses createdAt and carries when its connection started",
      webhook: {
        event: "participant_left",
        id: "EV_4",
        createdAt: "1763643600",
        room,
        participant: { sid: "PA_1", identity: "a", joinedAtMs: "1763640001234" },
      },
      eventTime: "2025-11-20T13:00:00.000Z",
      participantJoinedAt: "2025-11-20T12:00:01.234Z",
    },
    {
      name: "int64 fields may be JSON numbers",
      webhook: {
        event: "participant_left",
        id: "EV_5",
        createdAt: 1763643600,
        room,
        participant: { sid: "PA_1", identity: "a", joinedAt: 1763640001 },
      },
      eventTime: "2025-11-20T13:00:00.000Z",
      participantJoinedAt: "2025-11-20T12:00:01.000Z",
    },
    {
      name: "a webhook with no usable time falls back to when it was received",
      webhook: { event: "room_finished", id: "EV_6", room },
      eventTime: "2025-11-20T12:00:00.000Z",
      participantJoinedAt: null,
    },
    {
      name: "a join whose joinedAtMs is out of range takes its joinedAt",
      webhook: {
        event: "participant_joined",
        id: "EV_8",
        createdAt: "1763640005",
        room,
        participant: { sid: "PA_1", identity: "a", joinedAt: "1763640001", joinedAtMs: "42" },
      },
      eventTime: "2025-11-20T12:00:01.000Z",
      participantJoinedAt: "2025-11-20T12:00:01.000Z",
    },
    {
      name: "a join whose times are all out of range falls back to when it was received",
      webhook: {
        event: "participant_joined",
        id: "EV_9",
        createdAt: "-1",
        room,
        participant: { sid: "PA_1", identity: "a", joinedAt: "7", joinedAtMs: "99999999999999" },
      },
      eventTime: "2025-11-20T12:00:00.000Z",
      participantJoinedAt: null,
    },
    {
      name: "a leave whose joinedAt is out of range keeps its createdAt and recovers no join",
      webhook: {
        event: "participant_left",
        id: "EV_10",
        createdAt: "1763643600",
        room,
        participant: { sid: "PA_1", identity: "a", joinedAt: "12" },
      },
      eventTime: "2025-11-20T13:00:00.000Z",
      participantJoinedAt: null,
    },
    {
      name: "a createdAt far in the future is no usable time either",
      webhook: { event: "room_finished", id: "EV_11", createdAt: "99999999999", room },
      eventTime: "2025-11-20T12:00:00.000Z",
      participantJoinedAt: null,
    },
    {
      name: "a zero createdAt is protobuf's unset value",
      webhook: { event: "room_started", id: "EV_7", createdAt: "0", room },
      eventTime: "2025-11-20T12:00:00.000Z",
      participantJoinedAt: null,
    },
  ];
  test.each(cases)("$name", ({ webhook, eventTime, participantJoinedAt }) => {
    const parsed = parseWebhookBody(body(webhook), received);
    expect(parsed.eventTime.toISOString()).toBe(eventTime);
    expect(parsed.participantJoinedAt?.toISOString() ?? null).toBe(participantJoinedAt);
  });
});

describe("participant kind and reasons", () => {
  const participant = (extra: Record<string, unknown>) =>
    parseWebhookBody(
      body({
        event: "participant_joined",
        id: "EV_k",
        createdAt: "1763640000",
        room,
        participant: { sid: "PA_1", identity: "a", ...extra },
      }),
      received,
    );

  test.each([
    [{}, null],
    [{ kind: "STANDARD" }, null],
    [{ kind: "SIP" }, "SIP"],
    [{ kind: "EGRESS" }, "EGRESS"],
    [{ kind: "SOMETHING_NEW" }, "SOMETHING_NEW"],
    [{ kind: 0 }, null],
    [{ kind: 2 }, "EGRESS"],
    [{ kind: 42 }, "UNKNOWN_42"],
  ])("kind %j is stored as %j", (extra, kind) => {
    expect(participant(extra).participantKind).toBe(kind);
  });

  test("the recorder grant and the disconnect reason are kept", () => {
    const parsed = participant({
      permission: { recorder: true, hidden: true },
      disconnectReason: "DUPLICATE_IDENTITY",
    });
    expect(parsed.isRecorder).toBe(true);
    expect(parsed.disconnectReason).toBe("DUPLICATE_IDENTITY");
  });

  test("unknown fields are ignored, as LiveKit adds fields over time", () => {
    expect(participant({ kindDetails: ["FORWARDED"], attributes: { a: "b" } }).identity).toBe("a");
  });
});

describe("bodies that are not webhooks", () => {
  const rejected: [string, string][] = [
    ["not JSON", "{"],
    ["a string", '"hello"'],
    ["no id", body({ event: "room_started", room })],
    ["an empty id", body({ event: "room_started", id: "", room })],
    ["no event", body({ id: "EV_x", room })],
    ["a room event without a room name", body({ event: "room_finished", id: "EV_x", room: { sid: "RM_a" } })],
    [
      "a participant event without a sid",
      body({ event: "participant_left", id: "EV_x", room, participant: { identity: "a" } }),
    ],
    ["a non-numeric createdAt", body({ event: "room_started", id: "EV_x", room, createdAt: "soon" })],
    [
      "an identity that is not a string",
      body({ event: "participant_joined", id: "EV_x", room, participant: { sid: "PA_1", identity: 7 } }),
    ],
  ];
  test.each(rejected)("%s is a bad request", (_name, raw) => {
    expect(() => parseWebhookBody(raw, received)).toThrow(AppError);
  });

  test("an event type Rollcall does not use is accepted but marked unused", () => {
    const parsed = parseWebhookBody(body({ event: "track_published", id: "EV_t", room: { sid: "RM_a" } }), received);
    expect(parsed.isUsed).toBe(false);
    expect(parsed.roomName).toBeNull();
  });
});
