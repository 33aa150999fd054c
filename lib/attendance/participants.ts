/**
 * Rules section 3: only STANDARD (LiveKit omits it, so no kind) and SIP participants count; every
 * other kind, including ones LiveKit adds later, and anyone with the recorder grant never does.
 */
export function isCountedParticipant(kind: string | null | undefined, isRecorder: boolean | null | undefined): boolean {
  if (isRecorder) return false;
  return !kind || kind === "STANDARD" || kind === "SIP";
}
