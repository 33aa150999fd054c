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
