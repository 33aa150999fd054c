-- The fingerprint of the calculation behind a session's reports (lib/attendance/fingerprint.ts):
-- the SHA-256 of its inputs (the webhooks as used, the window, the policy, the roster, the rules
-- version), written with the reports; null until the session is calculated.
ALTER TABLE "session" ADD COLUMN "report_fingerprint" TEXT;
