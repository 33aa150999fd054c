-- CreateEnum
CREATE TYPE "OverrideAction" AS ENUM ('set', 'remove', 'recalculated');

-- CreateTable
CREATE TABLE "override_event" (
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "actor" TEXT,
    "action" "OverrideAction" NOT NULL,
    "from_status" "OverrideStatus",
    "to_status" "OverrideStatus",
    "calculated_status" "AttendanceStatus" NOT NULL,
    "note" TEXT,

    CONSTRAINT "override_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "override_event_session_id_identity_at_idx" ON "override_event"("session_id", "identity", "at");

-- AddForeignKey
ALTER TABLE "override_event" ADD CONSTRAINT "override_event_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The history starts with the overrides already set: one "set" event each, as they were recorded
-- (what counted before them is not known; from_status stays null).
INSERT INTO "override_event" ("id", "session_id", "identity", "academy_id", "at", "actor", "action", "to_status", "calculated_status", "note")
SELECT gen_random_uuid()::text, "session_id", "identity", "academy_id", COALESCE("overridden_at", "calculated_at"), "overridden_by", 'set',
  "override_status", "status", "override_note"
FROM "attendance_report"
WHERE "override_status" IS NOT NULL
ORDER BY COALESCE("overridden_at", "calculated_at"), "session_id", "identity";

-- Append-only, as webhook_event is. The function's readable source is
-- prisma/functions/override_event_is_immutable.sql.
CREATE OR REPLACE FUNCTION "override_event_is_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'override_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "override_event_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "override_event"
  FOR EACH ROW EXECUTE FUNCTION "override_event_is_immutable"();

CREATE TRIGGER "override_event_no_truncate"
  BEFORE TRUNCATE ON "override_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "override_event_is_immutable"();
