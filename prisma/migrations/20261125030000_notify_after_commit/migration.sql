-- Live views are no longer notified inside the webhook's transaction. PostgreSQL serializes the
-- commits of notifying transactions (a global lock held through the WAL flush), which cost 40 % of
-- ingest throughput and queued requests behind every slow flush. The app now announces stored
-- webhooks right after they commit, batched (lib/live/publish.ts).

CREATE OR REPLACE FUNCTION "rollcall_record_webhook"(
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

  RETURN QUERY SELECT 'stored'::text, v_session_id, true, NULL::text;
END;
$$;
