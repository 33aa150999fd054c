-- The webhook hot path (lib/ingest/webhook-writer.ts): one or more webhooks in one round trip and
-- one transaction, one commit (one WAL flush) for all of them, which is what lets ingest keep up
-- under load (the writer groups the webhooks that arrive while earlier ones are being written; one
-- that arrives alone is a batch of one). Each is appended to the log (once per id and scope) and
-- marks the sessions it belongs to uncalculated; its outcome is returned by its position in the
-- array. Each event comes as one JSON object keyed by column name, so no argument can be swapped
-- silently; a key that names no column is refused rather than dropped, so a misspelled one cannot
-- store a null in its place.
--
-- The sessions of a webhook's scope whose events it may be (60 minutes around the scheduled window,
-- rollcall_webhook_sessions) share their locks while it is stored: a calculation takes them alone,
-- so it never misses an event that commits while it runs (that event waits, then marks the session
-- uncalculated for the next run). Each statement of a plpgsql function sees what was committed
-- before it started, so the mark lands after a calculation that held the lock. Each webhook's
-- sessions are looked up once, before anything is stored: the lookup gives both the locks and what
-- the webhook marks and returns.
--
-- Deadlocks are avoided by order: every session any of them belongs to is locked first, shared and
-- in id order (as calculations take them, exclusively), and the webhooks are then stored in room,
-- time and id order, so two batches meet rows and unique keys in the same order. If the batch fails
-- as a whole, the caller stores each webhook alone (a batch of one), so one webhook's failure is
-- never another's.
CREATE OR REPLACE FUNCTION "rollcall_record_webhooks"(p_events jsonb) RETURNS TABLE (o_position int, o_outcome text, o_session_ids text[])
LANGUAGE plpgsql AS $$
DECLARE
  v "webhook_event";
  v_event jsonb;
  -- The columns' names, from a row of nulls, once per batch: an event itself (its raw body up to
  -- 1 MiB) is never turned back into JSON just to read its keys.
  v_columns jsonb := to_jsonb(jsonb_populate_record(NULL::"webhook_event", '{}'::jsonb));
  v_unknown text;
  -- Each webhook's sessions by its position in the array, as array literals (a plpgsql array
  -- cannot hold arrays of different lengths).
  v_lookups text[];
  v_sessions text[];
BEGIN
  IF jsonb_typeof(p_events) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'rollcall_record_webhooks: an array of events is required';
  END IF;
  -- The lookup reads the JSON as the row will store it: event_time at the column's precision
  -- (milliseconds), so a time just past a margin is judged as it is stored. Nothing is checked yet:
  -- each webhook is checked in store order below, so a batch fails on the same webhook, with the
  -- same error, as it would storing them one by one in that order.
  SELECT array_agg(CASE WHEN e.value->>'room_name' IS NOT NULL THEN
      rollcall_webhook_sessions(p_scope => e.value->>'livekit_scope', p_room_name => e.value->>'room_name', p_event_time => (e.value->>'event_time')::timestamptz(3))
    ELSE '{}' END::text ORDER BY e.ordinality) INTO v_lookups
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e;
  -- In id order, as calculations take them, so the two can never deadlock.
  PERFORM pg_advisory_xact_lock_shared(hashtextextended(x, 0)) FROM (SELECT DISTINCT unnest(s::text[]) AS x FROM unnest(v_lookups) AS s) AS sessions ORDER BY x;

  FOR v_event, o_position, v_sessions IN
    SELECT e.value, e.ordinality, v_lookups[e.ordinality]::text[]
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e
    ORDER BY e.value->>'room_name', (e.value->>'event_time')::timestamptz, e.value->>'id', e.ordinality
  LOOP
    v := jsonb_populate_record(NULL::"webhook_event", v_event);
    SELECT string_agg(k, ', ' ORDER BY k) INTO v_unknown FROM jsonb_object_keys(v_event) AS k WHERE NOT v_columns ? k;
    IF v_unknown IS NOT NULL THEN
      RAISE EXCEPTION 'rollcall_record_webhooks: unknown keys: %', v_unknown;
    END IF;
    IF v.livekit_scope IS NULL THEN
      RAISE EXCEPTION 'rollcall_record_webhooks: livekit_scope is required';
    END IF;

    INSERT INTO "webhook_event" SELECT v.* ON CONFLICT (id, livekit_scope) DO NOTHING;
    IF NOT FOUND THEN
      o_outcome := 'duplicate';
      o_session_ids := '{}';
      RETURN NEXT;
      CONTINUE;
    END IF;

    -- Only events the calculation reads can change a report. After an early end the session's
    -- events stop 60 minutes after its window end (decision 5), so later ones leave its report
    -- alone. The window end never comes before the scheduled start, so an event within 60 minutes
    -- of the start counts without looking the window end up.
    IF cardinality(v_sessions) > 0 AND v.event IN ('participant_joined', 'participant_left', 'participant_connection_aborted', 'room_started', 'room_finished') THEN
      UPDATE "session" s SET is_calculated = false, updated_at = now()
      WHERE s.id = ANY(v_sessions) AND s.is_calculated
        AND (v.event_time <= s.scheduled_start + interval '60 minutes' OR v.event_time <= rollcall_window_end(p_session_id => s.id) + interval '60 minutes');
    END IF;
    o_outcome := 'stored';
    o_session_ids := v_sessions;
    RETURN NEXT;
  END LOOP;
END;
$$;
