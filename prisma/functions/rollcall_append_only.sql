-- The tables that answer "what was the policy, and what did each calculation change?"
-- (policy_version, calculation, policy_application) are append-only: a dispute must find the record
-- as it was written, so the database itself refuses to change or remove a row. Fired by each table's
-- row trigger "<table>_no_update_or_delete" (UPDATE, DELETE) and statement trigger
-- "<table>_no_truncate" (TRUNCATE).
CREATE OR REPLACE FUNCTION "rollcall_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
