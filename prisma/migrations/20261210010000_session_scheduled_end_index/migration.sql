-- Indexes that fit their queries, found by bench/explain.ts (README, "Benchmarks"): the
-- reconciliation audit reads every academy's classes that ended in the last days, which the
-- (is_calculated, scheduled_end) index served only by reading it whole.
CREATE INDEX "session_scheduled_end_idx" ON "session"("scheduled_end");
