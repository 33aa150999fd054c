import crypto from "node:crypto";
import {
  fingerprintInputs,
  fingerprintInputsJson,
  reportFingerprint,
  storedInputsOf,
  type AttendanceInput,
  type StoredInputs,
} from "../attendance/index.ts";

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
export function sha256Hex(text: string): string {
  // The one-shot hash (Node 20.12+) is several times cheaper than createHash for short texts.
  return typeof crypto.hash === "function"
    ? crypto.hash("sha256", text, "hex")
    : crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The fingerprint of a session's calculation: the SHA-256 of the canonical inputs the pure core
 * reads (lib/attendance/fingerprint.ts). The same log, window, policy, roster and rules version
 * always give the same one.
 */
export function fingerprintOf(input: AttendanceInput): string {
  return reportFingerprint(input, sha256Hex);
}

/** The fingerprint and the inputs kept beside it (to say later why they changed), from one pass. */
export function fingerprintWithInputs(input: AttendanceInput): { fingerprint: string; inputs: StoredInputs } {
  const inputs = fingerprintInputs(input, sha256Hex);
  return { fingerprint: sha256Hex(fingerprintInputsJson(inputs)), inputs: storedInputsOf(inputs) };
}
