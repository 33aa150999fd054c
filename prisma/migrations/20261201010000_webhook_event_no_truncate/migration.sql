-- The webhook log is append-only (ATTENDANCE_RULES.md section 1): the first migration's row trigger
-- refuses UPDATE and DELETE, but row triggers never fire for TRUNCATE, which empties a table in one
-- statement. A statement trigger refuses it too (with CASCADE, or naming other tables, as well).
-- An owner who really means to empty the log must drop this trigger first, on purpose.
CREATE TRIGGER "webhook_event_no_truncate"
  BEFORE TRUNCATE ON "webhook_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "webhook_event_is_immutable"();
