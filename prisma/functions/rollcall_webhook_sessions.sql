-- The sessions a webhook may belong to, in id order: those of its LiveKit scope held in its room
-- whose 60-minute margins around the scheduled window hold its time (ATTENDANCE_RULES.md section 1).
-- rollcall_record_webhooks looks them up once per webhook and locks them (shared) while it is stored;
-- in id order, as calculations take them, so the two can never deadlock.
CREATE OR REPLACE FUNCTION "rollcall_webhook_sessions"(p_scope text, p_room_name text, p_event_time timestamptz) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(s.id ORDER BY s.id), '{}') FROM "session" s
  WHERE s.livekit_scope = p_scope AND s.room_name = p_room_name AND s.cancelled_at IS NULL
    AND p_event_time BETWEEN s.scheduled_start - interval '60 minutes' AND s.scheduled_end + interval '60 minutes';
$$;
