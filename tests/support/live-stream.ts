import { expect } from "vitest";

/** Polls `check` until it returns a value (not undefined) or the deadline passes; never a fixed sleep. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface StreamEvent {
  name: string;
  data: { sessionId?: string; event?: string; id?: string; identity?: string | null };
  /** performance.now() when the test read it. */
  at: number;
}

export interface LiveStream {
  /** Every event read so far, in order. */
  events: StreamEvent[];
  /** The first event matching `predicate`, waiting for it. */
  next(what: string, predicate: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

/**
 * The dashboard's live stream (server-sent events) of one session, read as the page's EventSource
 * would; resolves once the stream has said it is ready (its instance listens for announcements).
 */
export async function openLiveStream(baseUrl: string, cookie: string, sessionId: string): Promise<LiveStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/dashboard/sessions/${sessionId}/live`, {
    headers: { cookie },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const events: StreamEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (name) events.push({ name, data: data ? JSON.parse(data) : {}, at: performance.now() });
        }
      }
    } catch {
      // closed at the end of the test
    }
  })();
  const stream: LiveStream = {
    events,
    next: (what, predicate, timeoutMs = 5_000) => until(what, () => events.find(predicate), timeoutMs),
    close: () => abort.abort(),
  };
  await stream.next("the stream's ready", (event) => event.name === "ready");
  return stream;
}
