-- The webhook log is append-only (ATTENDANCE_RULES.md section 1): every report must be
-- reproducible from it, so the database itself refuses to change or remove a logged event. Fired
-- by the row trigger "webhook_event_no_update_or_delete" (UPDATE, DELETE) and the statement
-- trigger "webhook_event_no_truncate" (TRUNCATE).
CREATE OR REPLACE FUNCTION "webhook_event_is_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'webhook_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
