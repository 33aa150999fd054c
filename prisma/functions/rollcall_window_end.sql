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
