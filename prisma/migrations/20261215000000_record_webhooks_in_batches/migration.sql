-- Webhooks that arrive together are stored in one transaction (rollcall_record_webhooks), one
-- commit for all of them; which sessions a webhook may belong to is one function both ingest
-- functions use (rollcall_webhook_sessions). The functions' readable sources are in
-- prisma/functions.
-- The sessions a webhook may belong to, in id order: those of its LiveKit scope held in its room
-- whose 60-minute margins around the scheduled window hold its time (ATTENDANCE_RULES.md section 1).
-- The ingest functions lock these (shared) while the webhook is stored; in id order, as calculations
-- take them, so the two can never deadlock.
CREATE OR REPLACE FUNCTION "rollcall_webhook_sessions"(p_scope text, p_room_name text, p_event_time timestamptz) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(s.id ORDER BY s.id), '{}') FROM "session" s
  WHERE s.livekit_scope = p_scope AND s.room_name = p_room_name AND s.cancelled_at IS NULL
    AND p_event_time BETWEEN s.scheduled_start - interval '60 minutes' AND s.scheduled_end + interval '60 minutes';
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
  -- The columns' names, from a row of nulls: the event itself (its raw body up to 1 MiB) is never
  -- turned back into JSON just to read its keys.
  v_columns jsonb := to_jsonb(jsonb_populate_record(NULL::"webhook_event", '{}'::jsonb));
  v_unknown text;
  v_sessions text[] := '{}';
BEGIN
  v := jsonb_populate_record(NULL::"webhook_event", p_event);
  SELECT string_agg(k, ', ' ORDER BY k) INTO v_unknown FROM jsonb_object_keys(p_event) AS k WHERE NOT v_columns ? k;
  IF v_unknown IS NOT NULL THEN
    RAISE EXCEPTION 'rollcall_record_webhook: unknown keys: %', v_unknown;
  END IF;
  IF v.livekit_scope IS NULL THEN
    RAISE EXCEPTION 'rollcall_record_webhook: livekit_scope is required';
  END IF;
  IF v.room_name IS NOT NULL THEN
    v_sessions := rollcall_webhook_sessions(p_scope => v.livekit_scope, p_room_name => v.room_name, p_event_time => v.event_time);
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

-- Several webhooks in one round trip and one transaction: one commit (one WAL flush) for all of
-- them, which is what lets ingest keep up under load (lib/ingest/webhook-writer.ts groups the
-- webhooks that arrive while earlier ones are being written). Each is stored exactly as
-- rollcall_record_webhook stores it alone, and its outcome is returned by its position in the array.
-- Deadlocks are avoided by order: every session any of them belongs to is locked first, shared and
-- in id order (as calculations take them, exclusively), and the webhooks are then stored in room,
-- time and id order, so two batches meet rows and unique keys in the same order. If the batch
-- fails as a whole, the caller stores each webhook alone, so one webhook's failure is never another's.
CREATE OR REPLACE FUNCTION "rollcall_record_webhooks"(p_events jsonb) RETURNS TABLE (o_position int, o_outcome text, o_session_ids text[])
LANGUAGE plpgsql AS $$
DECLARE
  v_event jsonb;
  v_position int;
BEGIN
  IF jsonb_typeof(p_events) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'rollcall_record_webhooks: an array of events is required';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtextextended(x, 0)) FROM (
    SELECT DISTINCT unnest(rollcall_webhook_sessions(p_scope => e->>'livekit_scope', p_room_name => e->>'room_name', p_event_time => (e->>'event_time')::timestamptz)) AS x
    FROM jsonb_array_elements(p_events) AS e WHERE e->>'room_name' IS NOT NULL
  ) AS sessions ORDER BY x;
  FOR v_event, v_position IN
    SELECT e.value, e.ordinality FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e
    ORDER BY e.value->>'room_name', (e.value->>'event_time')::timestamptz, e.value->>'id', e.ordinality
  LOOP
    RETURN QUERY SELECT v_position, r.o_outcome, r.o_session_ids FROM rollcall_record_webhook(p_event => v_event) AS r;
  END LOOP;
END;
$$;
