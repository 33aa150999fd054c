import { createHash } from "node:crypto";
import { reportFingerprint, type AttendanceInput } from "../attendance/index.ts";

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The fingerprint of a session's calculation: the SHA-256 of the canonical inputs the pure core
 * reads (lib/attendance/fingerprint.ts). The same log, window, policy, roster and rules version
 * always give the same one.
 */
export function fingerprintOf(input: AttendanceInput): string {
  return reportFingerprint(input, sha256Hex);
}
