-- Overrides are recorded by who set them, "user:<auth user id>" or "api-key:<api key id>", and shown
-- with that user's or key's current name. Overrides set from the dashboard before were recorded as
-- a label, "Name <email> (role)": they are linked to the user with that email where there is one
-- (others keep their label, which is shown as it is).
UPDATE "attendance_report" r
SET "overridden_by" = 'user:' || u."id"
FROM "auth_user" u
WHERE r."overridden_by" IS NOT NULL
  AND r."overridden_by" NOT LIKE 'user:%'
  AND r."overridden_by" NOT LIKE 'api-key:%'
  AND strpos(r."overridden_by", ' <' || u."email" || '> (') > 0;
