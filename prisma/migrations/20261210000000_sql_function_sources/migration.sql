-- Each SQL function's current text, installed from its one readable source: prisma/functions/<name>.sql
-- (this file is those files, in order). tests/sql-functions.integration.test.ts checks that a freshly
-- migrated database holds exactly what the source files say, so a later change goes into the source
-- file and a new migration together. Changes here: rollcall_record_webhook refuses a key that names
-- no column of webhook_event (it used to drop it silently, storing null in the column meant), and
-- the functions name the arguments of the functions they call.

-- The webhook log is append-only (ATTENDANCE_RULES.md section 1): every report must be
-- reproducible from it, so the database itself refuses to change or remove a logged event. Fired
-- by the row trigger "webhook_event_no_update_or_delete" (UPDATE, DELETE) and the statement
-- trigger "webhook_event_no_truncate" (TRUNCATE).
CREATE OR REPLACE FUNCTION "webhook_event_is_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'webhook_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

-- A session's window end (ATTENDANCE_RULES.md section 5; lib/attendance/README.md decisions 4 and 5)
-- for the queries that filter and order by it: lists, the sweep, due times. The report and the live
-- view use the TypeScript rule (lib/attendance/window.ts); tests/window-sql.integration.test.ts
-- proves the two equal over thousands of generated classes on both databases. It reads the
-- session's own scope's webhooks.
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

-- A session's state (decision 12), the SQL twin of lib/attendance/lifecycle.ts, for filters and
-- lists; proven equal to it by tests/window-sql.integration.test.ts. The window end is only looked
-- up while it can differ from the schedule's. Callers name every argument (lib/sessions/session-state.ts).
CREATE OR REPLACE FUNCTION "rollcall_session_state"(p_id text, p_start timestamptz, p_end timestamptz, p_cancelled_at timestamptz,
  p_is_calculated boolean, p_now timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN p_cancelled_at IS NOT NULL THEN 'cancelled'
    WHEN p_start > p_now THEN 'scheduled'
    WHEN p_end <= p_now OR rollcall_window_end(p_session_id => p_id) <= p_now THEN CASE WHEN p_is_calculated THEN 'calculated' ELSE 'ended' END
    ELSE 'live' END
$$;

-- The webhook hot path in one round trip, one transaction (lib/ingest/record-webhook-event.ts):
-- append the event to the log (once per id and scope) and mark the sessions it belongs to
-- uncalculated. The event comes as one JSON object keyed by column name, so no argument can be
-- swapped silently; a key that names no column is refused rather than dropped, so a misspelled one
-- cannot store a null in its place. The sessions of the webhook's scope whose events it may be
-- (60 minutes around the scheduled window) share their locks while it is stored: a calculation
-- takes them alone, so it never misses an event that commits while it runs (that event waits, then
-- marks the session uncalculated for the next run). Each statement of a plpgsql function sees what
-- was committed before it started, so the mark lands after a calculation that held the lock.
CREATE OR REPLACE FUNCTION "rollcall_record_webhook"(p_event jsonb) RETURNS TABLE (o_outcome text, o_session_ids text[])
LANGUAGE plpgsql AS $$
DECLARE
  v "webhook_event";
  v_unknown text;
  v_sessions text[] := '{}';
BEGIN
  v := jsonb_populate_record(NULL::"webhook_event", p_event);
  SELECT string_agg(k, ', ' ORDER BY k) INTO v_unknown FROM jsonb_object_keys(p_event) AS k WHERE NOT to_jsonb(v) ? k;
  IF v_unknown IS NOT NULL THEN
    RAISE EXCEPTION 'rollcall_record_webhook: unknown keys: %', v_unknown;
  END IF;
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
  -- stop 60 minutes after its window end (decision 5), so later ones leave its report alone. The
  -- window end never comes before the scheduled start, so an event within 60 minutes of the start
  -- counts without looking the window end up.
  IF cardinality(v_sessions) > 0 AND v.event IN ('participant_joined', 'participant_left', 'participant_connection_aborted', 'room_started', 'room_finished') THEN
    UPDATE "session" s SET is_calculated = false, updated_at = now()
    WHERE s.id = ANY(v_sessions) AND s.is_calculated
      AND (v.event_time <= s.scheduled_start + interval '60 minutes' OR v.event_time <= rollcall_window_end(p_session_id => s.id) + interval '60 minutes');
  END IF;
  RETURN QUERY SELECT 'stored'::text, v_sessions;
END;
$$;
