-- Beside the fingerprint, the inputs it covers (lib/attendance/fingerprint.ts, StoredInputs: the
-- rules version, window, policy, roster, time zone and the webhook ids read), so that
-- `rollcall attendance:verify` can say why a stored report's inputs differ from the log's now.
ALTER TABLE "session" ADD COLUMN "report_inputs" JSONB;
