// GET /api/dashboard/sessions/:sessionId/live – server-sent events: "change" whenever the database
// announces a webhook or a calculation for this session, "resync" when announcements may have been
// missed. The page refetches on each; the data itself is never pushed, so nothing can drift.
import { sessionScope } from "@/lib/auth/viewer.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getLiveHub } from "@/lib/live/live-hub.ts";
import { getSessionOrThrow } from "@/lib/sessions/session-view.ts";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

export const GET = withViewer<{ sessionId: string }>(async ({ request, viewer, params }) => {
  // The viewer's scope, as every use case takes it: another teacher's class is a 404 like none.
  const { academyId, teacherId } = sessionScope(viewer);
  await getSessionOrThrow(getPrisma(), academyId, params.sessionId, teacherId);
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      const hub = getLiveHub();
      const unsubscribe = hub.subscribe(params.sessionId, (event) => {
        send(`event: ${event.event === "resync" ? "resync" : "change"}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      // "ready" once the process LISTENs: on a freshly started instance the first subscriber opens
      // the connection, and a change stored before it listens would reach nobody.
      void hub.listening().then(() => send(`retry: 2000\nevent: ready\ndata: {}\n\n`));
      const heartbeat = setInterval(() => send(`: keep-alive\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      request.signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
