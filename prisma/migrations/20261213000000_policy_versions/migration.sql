-- Policy versions, and a record of every calculation with what it changed (issue 15): the
-- academy's policy becomes a sequence of versions, each session remembers the version its reports
-- used, and an admin's recalculation of past classes with a newer version is recorded.

-- CreateEnum
CREATE TYPE "CalculationTrigger" AS ENUM ('scheduled', 'sweep', 'manual', 'cli', 'policy');

-- AlterTable
ALTER TABLE "academy" ADD COLUMN     "policy_version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "session" ADD COLUMN     "policy_version" INTEGER;

-- CreateTable
CREATE TABLE "policy_version" (
    "academy_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "defaults" JSONB NOT NULL,
    "types" JSONB NOT NULL,
    "actor" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "policy_version_pkey" PRIMARY KEY ("academy_id","version")
);

-- CreateTable
CREATE TABLE "calculation" (
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "trigger" "CalculationTrigger" NOT NULL,
    "policy_version" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "changes" JSONB,
    "policy_application_id" TEXT,

    CONSTRAINT "calculation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_application" (
    "id" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "policy_version" INTEGER NOT NULL,
    "actor" TEXT,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "range_from" TIMESTAMPTZ(3) NOT NULL,
    "range_to" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_application_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "calculation_session_id_at_idx" ON "calculation"("session_id", "at");

-- CreateIndex
CREATE INDEX "calculation_policy_application_id_idx" ON "calculation"("policy_application_id");

-- CreateIndex
CREATE INDEX "policy_application_academy_id_at_idx" ON "policy_application"("academy_id", "at");

-- AddForeignKey
ALTER TABLE "policy_version" ADD CONSTRAINT "policy_version_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calculation" ADD CONSTRAINT "calculation_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calculation" ADD CONSTRAINT "calculation_policy_application_id_fkey" FOREIGN KEY ("policy_application_id") REFERENCES "policy_application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_application" ADD CONSTRAINT "policy_application_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Each academy's policy as it stands becomes its version 1 (its type overrides as the fields they
-- set). Sessions calculated before versions were kept keep a null version: their reports' policy
-- column says what they used, and their next recalculation takes the academy's current version.
INSERT INTO "policy_version" ("academy_id", "version", "defaults", "types", "created_at")
SELECT a."id", 1,
  jsonb_build_object('graceMinutes', a."grace_minutes", 'absentBelow', a."absent_below",
    'partialAtOrBelow', a."partial_at_or_below", 'presentAbove', a."present_above"),
  COALESCE((SELECT jsonb_object_agg(p."session_type"::text, jsonb_strip_nulls(jsonb_build_object(
      'graceMinutes', p."grace_minutes", 'absentBelow', p."absent_below",
      'partialAtOrBelow', p."partial_at_or_below", 'presentAbove', p."present_above")))
    FROM "session_type_policy" p WHERE p."academy_id" = a."id"), '{}'::jsonb),
  a."created_at"
FROM "academy" a;

-- The function's readable source is prisma/functions/academy_first_policy_version.sql.
CREATE OR REPLACE FUNCTION "academy_first_policy_version"() RETURNS trigger AS $$
BEGIN
  INSERT INTO "policy_version" ("academy_id", "version", "defaults", "types")
  VALUES (NEW."id", NEW."policy_version", jsonb_build_object(
    'graceMinutes', NEW."grace_minutes", 'absentBelow', NEW."absent_below",
    'partialAtOrBelow', NEW."partial_at_or_below", 'presentAbove', NEW."present_above"), '{}'::jsonb);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "academy_first_policy_version"
  AFTER INSERT ON "academy"
  FOR EACH ROW EXECUTE FUNCTION "academy_first_policy_version"();

-- The function's readable source is prisma/functions/rollcall_append_only.sql.
CREATE OR REPLACE FUNCTION "rollcall_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "policy_version_no_update_or_delete" BEFORE UPDATE OR DELETE ON "policy_version"
  FOR EACH ROW EXECUTE FUNCTION "rollcall_append_only"();
CREATE TRIGGER "policy_version_no_truncate" BEFORE TRUNCATE ON "policy_version"
  FOR EACH STATEMENT EXECUTE FUNCTION "rollcall_append_only"();
CREATE TRIGGER "calculation_no_update_or_delete" BEFORE UPDATE OR DELETE ON "calculation"
  FOR EACH ROW EXECUTE FUNCTION "rollcall_append_only"();
CREATE TRIGGER "calculation_no_truncate" BEFORE TRUNCATE ON "calculation"
  FOR EACH STATEMENT EXECUTE FUNCTION "rollcall_append_only"();
CREATE TRIGGER "policy_application_no_update_or_delete" BEFORE UPDATE OR DELETE ON "policy_application"
  FOR EACH ROW EXECUTE FUNCTION "rollcall_append_only"();
CREATE TRIGGER "policy_application_no_truncate" BEFORE TRUNCATE ON "policy_application"
  FOR EACH STATEMENT EXECUTE FUNCTION "rollcall_append_only"();
