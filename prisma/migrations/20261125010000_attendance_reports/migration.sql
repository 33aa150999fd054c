-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('present', 'late', 'partial', 'absent');

-- CreateEnum
CREATE TYPE "OverrideStatus" AS ENUM ('present', 'late', 'partial', 'absent', 'excused');

-- CreateEnum
CREATE TYPE "ReportRole" AS ENUM ('teacher', 'student', 'guest');

-- CreateTable
CREATE TABLE "attendance_report" (
    "session_id" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "person_id" TEXT,
    "role" "ReportRole" NOT NULL,
    "status" "AttendanceStatus" NOT NULL,
    "attended_seconds" INTEGER NOT NULL,
    "session_seconds" INTEGER NOT NULL,
    "percentage" DOUBLE PRECISION NOT NULL,
    "is_late" BOOLEAN NOT NULL,
    "late_minutes" INTEGER NOT NULL,
    "first_join_at" TIMESTAMPTZ(3),
    "last_leave_at" TIMESTAMPTZ(3),
    "intervals" JSONB NOT NULL,
    "connection_count" INTEGER NOT NULL,
    "explanation" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "is_auto_calculated" BOOLEAN NOT NULL,
    "calculated_at" TIMESTAMPTZ(3) NOT NULL,
    "override_status" "OverrideStatus",
    "override_note" TEXT,
    "overridden_by" TEXT,
    "overridden_at" TIMESTAMPTZ(3),

    CONSTRAINT "attendance_report_pkey" PRIMARY KEY ("session_id","identity")
);

-- CreateIndex
CREATE INDEX "attendance_report_academy_id_person_id_idx" ON "attendance_report"("academy_id", "person_id");

-- CreateIndex
CREATE INDEX "session_academy_id_scheduled_end_idx" ON "session"("academy_id", "scheduled_end");

-- AddForeignKey
ALTER TABLE "attendance_report" ADD CONSTRAINT "attendance_report_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attendance_report" ADD CONSTRAINT "attendance_report_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;



-- The end of a session's attendance window (ATTENDANCE_RULES.md section 5, as far as the session
-- row knows it): an early room_finished between the start and the scheduled end, else the end.
CREATE FUNCTION "rollcall_window_end"(p_scheduled_start timestamptz, p_scheduled_end timestamptz, p_room_finished_at timestamptz)
RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_room_finished_at > p_scheduled_start AND p_room_finished_at < p_scheduled_end
    THEN p_room_finished_at ELSE p_scheduled_end END
$$;
