-- Every academy has its policy's version 1 from the moment it exists, whichever way it was created
-- (the CLI, the API's tests, a seed script, plain SQL): the academy's values as inserted, no type
-- overrides, nobody's. Fired by the trigger "academy_first_policy_version" (AFTER INSERT).
CREATE OR REPLACE FUNCTION "academy_first_policy_version"() RETURNS trigger AS $$
BEGIN
  INSERT INTO "policy_version" ("academy_id", "version", "defaults", "types")
  VALUES (NEW."id", NEW."policy_version", jsonb_build_object(
    'graceMinutes', NEW."grace_minutes", 'absentBelow', NEW."absent_below",
    'partialAtOrBelow', NEW."partial_at_or_below", 'presentAbove', NEW."present_above"), '{}'::jsonb);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
