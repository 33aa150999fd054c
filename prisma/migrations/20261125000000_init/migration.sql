-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SessionType" AS ENUM ('quran', 'academic', 'interactive');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('scheduled', 'live', 'ended', 'cancelled');

-- CreateEnum
CREATE TYPE "PersonRole" AS ENUM ('admin', 'teacher', 'student');

-- CreateEnum
CREATE TYPE "RosterRole" AS ENUM ('teacher', 'student');

-- CreateTable
CREATE TABLE "academy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "grace_minutes" INTEGER NOT NULL DEFAULT 15,
    "absent_below" DOUBLE PRECISION NOT NULL DEFAULT 0.10,
    "partial_at_or_below" DOUBLE PRECISION NOT NULL DEFAULT 0.50,
    "present_above" DOUBLE PRECISION NOT NULL DEFAULT 0.75,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "academy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_type_policy" (
    "academy_id" TEXT NOT NULL,
    "session_type" "SessionType" NOT NULL,
    "grace_minutes" INTEGER,
    "absent_below" DOUBLE PRECISION,
    "partial_at_or_below" DOUBLE PRECISION,
    "present_above" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_type_policy_pkey" PRIMARY KEY ("academy_id","session_type")
);

-- CreateTable
CREATE TABLE "person" (
    "id" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "role" "PersonRole" NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "livekit_identity" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "external_id" TEXT,
    "type" "SessionType" NOT NULL,
    "title" TEXT NOT NULL,
    "room_name" TEXT NOT NULL,
    "scheduled_start" TIMESTAMPTZ(3) NOT NULL,
    "scheduled_end" TIMESTAMPTZ(3) NOT NULL,
    "teacher_id" TEXT,
    "status" "SessionStatus" NOT NULL DEFAULT 'scheduled',
    "room_started_at" TIMESTAMPTZ(3),
    "last_start_at" TIMESTAMPTZ(3),
    "room_finished_at" TIMESTAMPTZ(3),
    "is_calculated" BOOLEAN NOT NULL DEFAULT false,
    "calculated_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_roster" (
    "session_id" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "role" "RosterRole" NOT NULL,

    CONSTRAINT "session_roster_pkey" PRIMARY KEY ("session_id","person_id")
);

-- CreateTable
CREATE TABLE "webhook_event" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "room_name" TEXT,
    "room_sid" TEXT,
    "participant_sid" TEXT,
    "identity" TEXT,
    "participant_kind" TEXT,
    "is_recorder" BOOLEAN NOT NULL DEFAULT false,
    "participant_joined_at" TIMESTAMPTZ(3),
    "disconnect_reason" TEXT,
    "session_id" TEXT,
    "academy_id" TEXT,
    "matched" BOOLEAN NOT NULL,
    "note" TEXT,
    "raw_body" TEXT NOT NULL,

    CONSTRAINT "webhook_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participant_connection" (
    "session_id" TEXT NOT NULL,
    "participant_sid" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "counted" BOOLEAN NOT NULL,
    "joined_at" TIMESTAMPTZ(3),
    "leave_joined_at" TIMESTAMPTZ(3),
    "left_at" TIMESTAMPTZ(3),
    "closed_by" TEXT,
    "disconnect_reason" TEXT,
    "reconciled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participant_connection_pkey" PRIMARY KEY ("session_id","participant_sid")
);

-- CreateTable
CREATE TABLE "session_attendee" (
    "session_id" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "cycles" JSONB NOT NULL,
    "first_join_at" TIMESTAMPTZ(3),
    "last_leave_at" TIMESTAMPTZ(3),
    "join_count" INTEGER NOT NULL DEFAULT 0,
    "leave_count" INTEGER NOT NULL DEFAULT 0,
    "open_connections" INTEGER NOT NULL DEFAULT 0,
    "present_since" TIMESTAMPTZ(3),
    "is_calculated" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_attendee_pkey" PRIMARY KEY ("session_id","identity")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "academy_slug_key" ON "academy"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "person_academy_id_external_id_key" ON "person"("academy_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_academy_id_livekit_identity_key" ON "person"("academy_id", "livekit_identity");

-- CreateIndex
CREATE UNIQUE INDEX "session_room_name_key" ON "session"("room_name");

-- CreateIndex
CREATE INDEX "session_academy_id_scheduled_start_idx" ON "session"("academy_id", "scheduled_start");

-- CreateIndex
CREATE INDEX "session_is_calculated_scheduled_end_idx" ON "session"("is_calculated", "scheduled_end");

-- CreateIndex
CREATE UNIQUE INDEX "session_academy_id_external_id_key" ON "session"("academy_id", "external_id");

-- CreateIndex
CREATE INDEX "session_roster_person_id_idx" ON "session_roster"("person_id");

-- CreateIndex
CREATE INDEX "webhook_event_session_id_event_time_idx" ON "webhook_event"("session_id", "event_time");

-- CreateIndex
CREATE INDEX "webhook_event_academy_id_received_at_idx" ON "webhook_event"("academy_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_event_room_name_idx" ON "webhook_event"("room_name");

-- CreateIndex
CREATE INDEX "participant_connection_session_id_identity_idx" ON "participant_connection"("session_id", "identity");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "api_key_academy_id_idx" ON "api_key"("academy_id");

-- AddForeignKey
ALTER TABLE "session_type_policy" ADD CONSTRAINT "session_type_policy_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_roster" ADD CONSTRAINT "session_roster_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_roster" ADD CONSTRAINT "session_roster_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participant_connection" ADD CONSTRAINT "participant_connection_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_attendee" ADD CONSTRAINT "session_attendee_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- The webhook log is append-only (ATTENDANCE_RULES.md section 1): every report must be
-- reproducible from it, so the database itself refuses to change or remove a logged event.
CREATE FUNCTION "webhook_event_is_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'webhook_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "webhook_event_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "webhook_event"
  FOR EACH ROW EXECUTE FUNCTION "webhook_event_is_immutable"();

-- A person's presence aggregate (or, with p_identity null, everyone's in the session), recomputed
-- from their connections. A connection with no close ends when the room finished after it started
-- (p_finished: a room_finished being recorded now, not yet on the session row).
CREATE FUNCTION "rollcall_refresh_attendees"(p_session_id text, p_identity text, p_finished timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH finished AS (
      SELECT GREATEST(s.room_finished_at, p_finished) AS at FROM "session" s WHERE s.id = p_session_id
    ), conn AS (
      SELECT pc.identity, pc.participant_sid, coalesce(pc.joined_at, pc.leave_joined_at) AS started_at,
        pc.joined_at IS NOT NULL AS has_join, pc.left_at, pc.reconciled_at
      FROM "participant_connection" pc
      WHERE pc.session_id = p_session_id AND pc.counted AND (p_identity IS NULL OR pc.identity = p_identity)
    ), timed AS (
      SELECT conn.*, coalesce(conn.left_at, conn.reconciled_at, CASE WHEN finished.at >= conn.started_at THEN finished.at END) AS ended_at
      FROM conn CROSS JOIN finished
    ), agg AS (
      SELECT t.identity,
        coalesce(jsonb_agg(jsonb_build_object('sid', t.participant_sid, 'joinedAt', t.started_at,
          'leftAt', CASE WHEN t.ended_at IS NULL THEN NULL ELSE GREATEST(t.ended_at, t.started_at) END)
          ORDER BY t.started_at, t.participant_sid) FILTER (WHERE t.started_at IS NOT NULL), '[]'::jsonb) AS cycles,
        min(t.started_at) AS first_join_at,
        max(GREATEST(t.ended_at, t.started_at)) FILTER (WHERE t.started_at IS NOT NULL AND t.ended_at IS NOT NULL) AS last_leave_at,
        (count(*) FILTER (WHERE t.has_join))::int AS join_count,
        (count(*) FILTER (WHERE t.started_at IS NOT NULL AND t.ended_at IS NOT NULL))::int AS leave_count,
        (count(*) FILTER (WHERE t.started_at IS NOT NULL AND t.ended_at IS NULL))::int AS open_connections,
        min(t.started_at) FILTER (WHERE t.started_at IS NOT NULL AND t.ended_at IS NULL) AS present_since
      FROM timed t GROUP BY t.identity
    )
    INSERT INTO "session_attendee" AS a (session_id, identity, cycles, first_join_at, last_leave_at, join_count,
      leave_count, open_connections, present_since, is_calculated, updated_at)
    SELECT p_session_id, agg.identity, agg.cycles, agg.first_join_at, agg.last_leave_at, agg.join_count,
      agg.leave_count, agg.open_connections, agg.present_since, false, now()
    FROM agg
    ON CONFLICT (session_id, identity) DO UPDATE SET cycles = EXCLUDED.cycles, first_join_at = EXCLUDED.first_join_at,
      last_leave_at = EXCLUDED.last_leave_at, join_count = EXCLUDED.join_count, leave_count = EXCLUDED.leave_count,
      open_connections = EXCLUDED.open_connections, present_since = EXCLUDED.present_since, is_calculated = false,
      updated_at = now();
END;
$$;

-- The webhook hot path in one round trip: append the event to the log (once, by id), fold it into
-- the connection it belongs to, recompute the person's aggregate, touch the session, notify live
-- views. One call is one transaction. lib/ingest/record-webhook-event.ts documents the rules.
CREATE FUNCTION "rollcall_record_webhook"(
  p_id text, p_event text, p_event_time timestamptz, p_created_at timestamptz, p_received_at timestamptz,
  p_room_name text, p_room_sid text, p_participant_sid text, p_identity text, p_participant_kind text,
  p_is_recorder boolean, p_participant_joined_at timestamptz, p_disconnect_reason text, p_is_used boolean,
  p_counted boolean, p_raw_body text
) RETURNS TABLE (o_outcome text, o_session_id text, o_matched boolean, o_note text)
LANGUAGE plpgsql AS $$
DECLARE
  v_session_id text;
  v_academy_id text;
  v_matched boolean;
  v_note text;
  v_inserted integer;
  v_is_join boolean := p_event = 'participant_joined';
  v_is_close boolean := p_event IN ('participant_left', 'participant_connection_aborted');
  v_started timestamptz;
  v_finished timestamptz;
  v_refresh_person boolean;
BEGIN
  SELECT s.id, s.academy_id INTO v_session_id, v_academy_id FROM "session" s WHERE s.room_name = p_room_name;
  v_matched := v_session_id IS NOT NULL AND p_is_used;
  v_note := CASE WHEN NOT p_is_used THEN 'event type not used' WHEN v_session_id IS NULL THEN 'unknown room' END;

  INSERT INTO "webhook_event" (id, event, event_time, created_at, received_at, room_name, room_sid, participant_sid,
    identity, participant_kind, is_recorder, participant_joined_at, disconnect_reason, session_id, academy_id,
    matched, note, raw_body)
  VALUES (p_id, p_event, p_event_time, p_created_at, p_received_at, p_room_name, p_room_sid, p_participant_sid,
    p_identity, p_participant_kind, p_is_recorder, p_participant_joined_at, p_disconnect_reason, v_session_id,
    v_academy_id, v_matched, v_note, p_raw_body)
  ON CONFLICT (id) DO NOTHING;
  GET DIAGNOSTICS v_inserted = ROW_COUNT;
  IF v_inserted = 0 THEN
    RETURN QUERY SELECT 'duplicate'::text, NULL::text, false, NULL::text;
    RETURN;
  END IF;
  IF NOT v_matched THEN
    RETURN QUERY SELECT 'stored'::text, v_session_id, false, v_note;
    RETURN;
  END IF;

  -- Events of a session share its lock; a room_finished (which refreshes everyone) and the
  -- attendance calculation take it alone, so a calculation never misses an event that commits
  -- while it runs: that event waits, then marks the session uncalculated again. A person's events
  -- also serialize on the person's lock. Each later statement sees everything committed before it.
  IF p_event = 'room_finished' THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(v_session_id, 0));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(v_session_id, 0));
  END IF;
  IF p_participant_sid IS NOT NULL AND p_identity IS NOT NULL AND (v_is_join OR v_is_close) THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(v_session_id || '/' || p_identity, 0));
    -- Order-independent fold of one connection: the earliest join, the earliest close (a fixed
    -- preference on ties), and the joinedAt a real leave carries in case its join was lost.
    INSERT INTO "participant_connection" AS c (session_id, participant_sid, identity, counted, joined_at,
      leave_joined_at, left_at, closed_by, disconnect_reason, updated_at)
    VALUES (v_session_id, p_participant_sid, p_identity, p_counted,
      CASE WHEN v_is_join THEN p_event_time END,
      CASE WHEN p_event = 'participant_left' THEN p_participant_joined_at END,
      CASE WHEN v_is_close THEN p_event_time END,
      CASE WHEN p_event = 'participant_left' THEN 'left' WHEN v_is_close THEN 'aborted' END,
      CASE WHEN v_is_close THEN p_disconnect_reason END,
      now())
    ON CONFLICT (session_id, participant_sid) DO UPDATE SET
      joined_at = LEAST(c.joined_at, EXCLUDED.joined_at),
      leave_joined_at = LEAST(c.leave_joined_at, EXCLUDED.leave_joined_at),
      left_at = LEAST(c.left_at, EXCLUDED.left_at),
      closed_by = CASE WHEN EXCLUDED.left_at IS NOT NULL AND (c.left_at IS NULL OR
          (EXCLUDED.left_at, EXCLUDED.closed_by, coalesce(EXCLUDED.disconnect_reason, '')) < (c.left_at, c.closed_by, coalesce(c.disconnect_reason, '')))
        THEN EXCLUDED.closed_by ELSE c.closed_by END,
      disconnect_reason = CASE WHEN EXCLUDED.left_at IS NOT NULL AND (c.left_at IS NULL OR
          (EXCLUDED.left_at, EXCLUDED.closed_by, coalesce(EXCLUDED.disconnect_reason, '')) < (c.left_at, c.closed_by, coalesce(c.disconnect_reason, '')))
        THEN EXCLUDED.disconnect_reason ELSE c.disconnect_reason END,
      updated_at = now();
  END IF;

  v_started := CASE WHEN p_event = 'room_started' OR (v_is_join AND p_counted) THEN p_event_time END;
  v_finished := CASE WHEN p_event = 'room_finished' THEN p_event_time END;
  v_refresh_person := p_counted AND p_identity IS NOT NULL AND (v_is_join OR v_is_close);

  -- Aggregates are recomputed from the connections, never incremented: one person after their
  -- event, everyone after a room_finished (which closes connections left open, rules section 4).
  IF v_refresh_person OR v_finished IS NOT NULL THEN
    PERFORM rollcall_refresh_attendees(v_session_id, CASE WHEN v_refresh_person THEN p_identity END, v_finished);
  END IF;

  -- Written against the locked row's own columns, so concurrent events never lose each other's
  -- updates. Ended once a room_finished is not followed by a later start. The status is a function
  -- of these times, so an event that moves none of them (most leaves) does not write the row.
  UPDATE "session" s SET
    is_calculated = false,
    room_started_at = LEAST(s.room_started_at, v_started),
    last_start_at = GREATEST(s.last_start_at, v_started),
    room_finished_at = GREATEST(s.room_finished_at, v_finished),
    status = CASE
      WHEN s.status = 'cancelled' THEN s.status
      WHEN GREATEST(s.room_finished_at, v_finished) IS NOT NULL
        AND GREATEST(s.room_finished_at, v_finished) >= coalesce(GREATEST(s.last_start_at, v_started), '-infinity')
        THEN 'ended'::"SessionStatus"
      WHEN LEAST(s.room_started_at, v_started) IS NOT NULL THEN 'live'::"SessionStatus"
      ELSE s.status END,
    updated_at = now()
  WHERE s.id = v_session_id
    AND (s.is_calculated
      OR (v_started IS NOT NULL AND (s.room_started_at IS NULL OR v_started < s.room_started_at
                                     OR s.last_start_at IS NULL OR v_started > s.last_start_at))
      OR (v_finished IS NOT NULL AND (s.room_finished_at IS NULL OR v_finished > s.room_finished_at)));

  PERFORM pg_notify('rollcall_live', json_build_object('sessionId', v_session_id, 'event', p_event, 'identity', p_identity)::text);
  RETURN QUERY SELECT 'stored'::text, v_session_id, true, NULL::text;
END;
$$;
