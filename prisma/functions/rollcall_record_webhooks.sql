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
