// Runs once when a Next.js server process starts, before it serves a request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  // First: the client address of each request is taken from its socket (lib/auth/client-address.ts).
  const { installClientAddressStamp } = await import("./lib/auth/client-address.ts");
  installClientAddressStamp();
  const { startServerServices } = await import("./lib/server-startup.ts");
  await startServerServices();
}
