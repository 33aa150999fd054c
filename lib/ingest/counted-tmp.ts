export function isCountedParticipant(kind: string | null | undefined, isRecorder: boolean | null | undefined): boolean {
  if (isRecorder) return false;
  return !kind || kind === "STANDARD" || kind === "SIP";
}
