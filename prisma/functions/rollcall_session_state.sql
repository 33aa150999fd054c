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
