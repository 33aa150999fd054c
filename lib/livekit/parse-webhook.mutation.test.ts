// Tests for the mutants StrykerJS found surviving in parse-webhook.ts (npm run test:mutation). Expected
// values come from docs/ATTENDANCE_RULES.md section 2, LiveKit's protobuf (ParticipantInfo.Kind) and
// parseWebhookBody's contract: a body that is not a LiveKit webhook is an AppError("bad_request")
// whose message, shown to the caller as is, says what is wrong.
import { describe, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import { parseWebhookBody, USED_EVENTS } from "./parse-webhook.ts";

const received = new Date("2025-11-20T12:00:00.000Z");
const room = { sid: "RM_a", name: "class-1" };
const body = (value: unknown) => JSON.stringify(value);
const parse = (value: unknown) => parseWebhookBody(body(value), received);

/** The AppError a rejected body throws (fails the test if it throws anything else, or nothing). */
function rejection(raw: string): AppError {
  try {
    parseWebhookBody(raw, received);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("the body was accepted");
}

describe("the events attendance is built from (rules section 2)", () => {
  test("are the three participant events and the two room events", () => {
    expect([...USED_EVENTS].sort()).toEqual([
      "participant_connection_aborted",
      "participant_joined",
      "participant_left",
      "room_finished",
      "room_started",
    ]);
  });

  test.each([
    ["participant_joined", { room, participant: { sid: "PA_1", identity: "a" } }],
    ["participant_left", { room, participant: { sid: "PA_1", identity: "a" } }],
    ["participant_connection_aborted", { room, participant: { sid: "PA_1", identity: "a" } }],
    ["room_started", { room }],
    ["room_finished", { room }],
  ])("%s is used", (event, rest) => {
    expect(parse({ event, id: "EV_u", createdAt: "1763640000", ...rest }).isUsed).toBe(true);
  });
});

describe("the room", () => {
  test("its sid is kept; a room without one, or without a room at all, has none", () => {
    expect(parse({ event: "room_started", id: "EV_r1", room }).roomSid).toBe("RM_a");
    expect(parse({ event: "room_started", id: "EV_r2", room: { name: "class-1" } }).roomSid).toBeNull();
    expect(parse({ event: "room_started", id: "EV_r3", room: { sid: "", name: "class-1" } }).roomSid).toBeNull();
    expect(parse({ event: "track_published", id: "EV_r4" })).toMatchObject({
      roomName: null,
      roomSid: null,
      isUsed: false,
    });
  });

  test("a room event with no room object is a bad request that says so", () => {
    const error = rejection(body({ event: "room_finished", id: "EV_r5" }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/room/);
  });

  test("a room name that is not a string is a bad request", () => {
    expect(rejection(body({ event: "room_started", id: "EV_r6", room: { sid: "RM_a", name: 42 } })).code).toBe(
      "bad_request",
    );
  });
});

describe("the participant", () => {
  test.each(["participant_joined", "participant_left"])(
    "a %s with no participant object is a bad request that says what is missing",
    (event) => {
      const error = rejection(body({ event, id: "EV_p1", room }));
      expect(error.code).toBe("bad_request");
      expect(error.message).toMatch(/sid and identity/);
    },
  );

  // LiveKit's ParticipantInfo.Kind: STANDARD 0, INGRESS 1, EGRESS 2, SIP 3, AGENT 4, CONNECTOR 7, BRIDGE 8.
  test.each([
    [1, "INGRESS"],
    [3, "SIP"],
    [4, "AGENT"],
    [7, "CONNECTOR"],
    [8, "BRIDGE"],
  ])("kind written as the enum number %i is %s", (kind, name) => {
    expect(
      parse({ event: "participant_joined", id: "EV_k", room, participant: { sid: "PA_1", identity: "a", kind } })
        .participantKind,
    ).toBe(name);
  });

  test("an empty kind is STANDARD and an empty disconnect reason is unknown (protobuf's defaults)", () => {
    const parsed = parse({
      event: "participant_left",
      id: "EV_e",
      room,
      participant: { sid: "PA_1", identity: "a", kind: "", disconnectReason: "" },
    });
    expect(parsed.participantKind).toBeNull();
    expect(parsed.disconnectReason).toBeNull();
  });

  test("a recorder grant that is not a boolean is a bad request", () => {
    expect(
      rejection(
        body({
          event: "participant_joined",
          id: "EV_g",
          room,
          participant: { sid: "PA_1", identity: "a", permission: { recorder: "yes" } },
        }),
      ).code,
    ).toBe("bad_request");
  });
});

describe("times (rules section 2)", () => {
  test("the first instant of the year 2000 is a plausible time", () => {
    // 946684800 s = 2000-01-01T00:00:00Z
    expect(parse({ event: "room_started", id: "EV_t1", createdAt: "946684800", room }).eventTime.toISOString()).toBe(
      "2000-01-01T00:00:00.000Z",
    );
  });

  test("a time before the year 2000 is no usable time: the webhook is timed when it was received", () => {
    // 946684799 s = 1999-12-31T23:59:59Z
    const parsed = parse({ event: "room_started", id: "EV_t2", createdAt: "946684799", room });
    expect([parsed.eventTime.toISOString(), parsed.createdAt]).toEqual(["2025-11-20T12:00:00.000Z", null]);
  });

  test("the first instant of the year 2200 is the last plausible one; a millisecond later is not", () => {
    // 7258118400000 ms = 2200-01-01T00:00:00Z
    const participant = { sid: "PA_t", identity: "a" };
    const at = (joinedAtMs: string) =>
      parse({
        event: "participant_joined",
        id: "EV_t4",
        createdAt: "1763640005",
        room,
        participant: { ...participant, joinedAtMs },
      });
    expect(at("7258118400000").eventTime.toISOString()).toBe("2200-01-01T00:00:00.000Z");
    // The join's next source, the webhook's createdAt, times it.
    expect(at("7258118400001").eventTime.toISOString()).toBe("2025-11-20T12:00:05.000Z");
  });

  test.each(["x1763640000", "1763640000x", "1763640000.5"])(
    "an int64 field written as %j is not an integer: rejected by the schema, with the field named",
    (createdAt) => {
      const error = rejection(body({ event: "room_started", id: "EV_t3", createdAt, room }));
      expect(error.code).toBe("bad_request");
      expect(error.message).toMatch(/not a LiveKit webhook/);
      expect(error.details).toEqual([{ path: "createdAt", message: expect.stringMatching(/integer/) }]);
    },
  );
});

describe("bodies that are not webhooks say why", () => {
  test("not JSON", () => {
    const error = rejection("{");
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/JSON/);
  });

  test.each([
    ["event", { event: "", id: "EV_w", room }],
    ["id", { event: "room_started", id: "", room }],
  ])("an empty %s is required", (field, webhook) => {
    const error = rejection(body(webhook));
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/not a LiveKit webhook/);
    expect(error.details).toEqual([{ path: field, message: `${field} is required` }]);
  });
});
