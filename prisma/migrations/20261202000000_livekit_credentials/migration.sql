-- Tenancy keyed by the LiveKit credential (DESIGN.md, "Tenancy and matching webhooks to sessions").
-- A webhook's signer says whose it is: the server-wide key's webhooks are in the "shared" scope, a
-- webhook signed with an academy's own key is in that academy's scope (its id) and nobody else's.
-- A session's events are the webhooks of its scope, room and time; room names are unique per scope
-- and time. The signer is a fact of the webhook known when it arrives, so it is stored with it.

CREATE TABLE "livekit_credential" (
  "id" TEXT NOT NULL,
  "academy_id" TEXT NOT NULL,
  "api_key" TEXT NOT NULL,
  -- AES-256-GCM under a key derived from BETTER_AUTH_SECRET (lib/livekit/secret-box.ts): webhook
  -- signatures are HMACs, so verifying one needs the secret itself, not a hash of it.
  "secret_ciphertext" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "retired_at" TIMESTAMPTZ(3),
  CONSTRAINT "livekit_credential_pkey" PRIMARY KEY ("id")
);
-- A key id is public (it is in every token), so it is unique per academy only: another academy
-- registering it with a secret of its own takes nothing (the secret decides who signed).
CREATE UNIQUE INDEX "livekit_credential_academy_id_api_key_key" ON "livekit_credential"("academy_id", "api_key");
CREATE INDEX "livekit_credential_api_key_idx" ON "livekit_credential"("api_key");
ALTER TABLE "livekit_credential" ADD CONSTRAINT "livekit_credential_academy_id_fkey"
  FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every webhook so far was signed with the server-wide key. A column added with a constant default
-- rewrites no row, so the log's UPDATE trigger is not involved.
ALTER TABLE "webhook_event" ADD COLUMN "livekit_scope" TEXT NOT NULL DEFAULT 'shared', ADD COLUMN "api_key" TEXT;
-- A webhook is stored once per scope: ids are the sender's, and one academy's LiveKit must not be
-- able to shadow (or learn of) another's webhook by reusing its id.
ALTER TABLE "webhook_event" DROP CONSTRAINT "webhook_event_pkey", ADD CONSTRAINT "webhook_event_pkey" PRIMARY KEY ("id", "livekit_scope");
DROP INDEX "webhook_event_room_name_event_time_idx";
CREATE INDEX "webhook_event_livekit_scope_room_name_event_time_idx" ON "webhook_event"("livekit_scope", "room_name", "event_time");
-- "Which key signed the last webhook" while a key is being rotated.
CREATE INDEX "webhook_event_api_key_received_at_idx" ON "webhook_event"("api_key", "received_at");

ALTER TABLE "session" ADD COLUMN "livekit_scope" TEXT NOT NULL DEFAULT 'shared';
DROP INDEX "session_room_name_scheduled_start_idx";
CREATE INDEX "session_livekit_scope_room_name_scheduled_start_idx" ON "session"("livekit_scope", "room_name", "scheduled_start");

-- The window end reads the session's own scope's webhooks (otherwise as in 20261130000000).
CREATE OR REPLACE FUNCTION "rollcall_window_end"(p_session_id text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  WITH s AS (
    SELECT s.livekit_scope, s.room_name, s.scheduled_start, s.scheduled_end,
      (SELECT p.livekit_identity FROM session_roster r JOIN person p ON p.id = r.person_id
        WHERE r.session_id = s.id AND r.role = 'teacher' ORDER BY p.livekit_identity COLLATE "C" LIMIT 1) AS teacher
    FROM session s WHERE s.id = p_session_id
  ), finishes AS (
    SELECT DISTINCT w.event_time AS at FROM webhook_event w, s
    WHERE w.livekit_scope = s.livekit_scope AND w.room_name = s.room_name AND w.event = 'room_finished'
      AND w.event_time > s.scheduled_start AND w.event_time < s.scheduled_end
  ), teacher_starts AS (
    -- The teacher's counted connections and when each started: the earliest join, else the
    -- earliest joinedAt a leave carried (decision 1); every event of it counted (decision 8).
    SELECT coalesce(min(w.event_time) FILTER (WHERE w.event = 'participant_joined'),
                    min(w.participant_joined_at) FILTER (WHERE w.event = 'participant_left')) AS start
    FROM webhook_event w, s
    WHERE w.livekit_scope = s.livekit_scope AND w.room_name = s.room_name
      AND w.event IN ('participant_joined', 'participant_left', 'participant_connection_aborted')
      AND w.participant_sid IS NOT NULL AND w.identity IS NOT NULL
      AND w.event_time BETWEEN s.scheduled_start - interval '60 minutes' AND s.scheduled_end + interval '60 minutes'
    GROUP BY w.participant_sid
    HAVING min(w.identity COLLATE "C") = (SELECT teacher FROM s)
      AND bool_and(NOT w.is_recorder AND (w.participant_kind IS NULL OR w.participant_kind IN ('', 'STANDARD', 'SIP')))
  )
  SELECT coalesce(
    (SELECT min(f.at) FROM finishes f, s
      WHERE NOT EXISTS (SELECT 1 FROM teacher_starts t WHERE t.start > f.at AND t.start < s.scheduled_end)),
    (SELECT s.scheduled_end FROM s))
$$;

-- As in 20261130000000, with the sessions narrowed to the webhook's scope.
CREATE OR REPLACE FUNCTION "rollcall_record_webhook"(p_event jsonb) RETURNS TABLE (o_outcome text, o_session_ids text[])
LANGUAGE plpgsql AS $$
DECLARE
  v "webhook_event";
  v_sessions text[] := '{}';
BEGIN
  v := jsonb_populate_record(NULL::"webhook_event", p_event);
  IF v.livekit_scope IS NULL THEN
    RAISE EXCEPTION 'rollcall_record_webhook: livekit_scope is required';
  END IF;
  IF v.room_name IS NOT NULL THEN
    SELECT coalesce(array_agg(s.id ORDER BY s.id), '{}') INTO v_sessions FROM "session" s
    WHERE s.livekit_scope = v.livekit_scope AND s.room_name = v.room_name AND s.cancelled_at IS NULL
      AND v.event_time BETWEEN s.scheduled_start - interval '60 minutes' AND s.scheduled_end + interval '60 minutes';
    -- In id order, as calculations take them, so the two can never deadlock.
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(x, 0)) FROM unnest(v_sessions) AS x ORDER BY x;
  END IF;

  INSERT INTO "webhook_event" SELECT v.* ON CONFLICT (id, livekit_scope) DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'duplicate'::text, '{}'::text[];
    RETURN;
  END IF;

  -- Only events the calculation reads can change a report. After an early end the session's events
  -- stop 60 minutes after its window end (decision 5), so later ones leave its report alone.
  IF cardinality(v_sessions) > 0 AND v.event IN ('participant_joined', 'participant_left', 'participant_connection_aborted', 'room_started', 'room_finished') THEN
    UPDATE "session" s SET is_calculated = false, updated_at = now()
    WHERE s.id = ANY(v_sessions) AND s.is_calculated
      AND (v.event_time <= s.scheduled_start + interval '60 minutes' OR v.event_time <= rollcall_window_end(s.id) + interval '60 minutes');
  END IF;
  RETURN QUERY SELECT 'stored'::text, v_sessions;
END;
$$;
