-- The history of overrides is append-only (ATTENDANCE_RULES.md section 8): "who changed this mark,
-- and when" must have one answer, so the database itself refuses to change or remove an event.
-- Fired by the row trigger "override_event_no_update_or_delete" (UPDATE, DELETE) and the statement
-- trigger "override_event_no_truncate" (TRUNCATE).
CREATE OR REPLACE FUNCTION "override_event_is_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'override_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
