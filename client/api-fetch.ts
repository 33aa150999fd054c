/** An error from a dashboard route, with the message the server chose for people and, for a refused field, what was wrong with each. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when no answer came (the server or the network is down). */
    readonly status: number,
    message: string,
    /** A 422's fields: which field, and what is wrong with it. */
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** What went wrong, in words: the fields' own messages when the server named them, else its message. */
export function problemMessages(error: Error): string[] {
  if (error instanceof ApiError && error.details.length) return error.details.map((detail) => detail.message);
  return [error.message];
}

/** fetch for the dashboard's own routes: JSON in and out, errors as ApiError with the server's message. */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "Rollcall could not be reached.");
  }
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => null)) as
    (T & { error?: { message?: string; details?: unknown } }) | null;
  if (!response.ok) {
    if (response.status === 401) throw new ApiError(401, "Your session has ended; sign in again.");
    const details = Array.isArray(json?.error?.details)
      ? (json.error.details as unknown[]).filter(
          (detail): detail is { path: string; message: string } =>
            typeof detail === "object" &&
            detail !== null &&
            typeof (detail as { message?: unknown }).message === "string",
        )
      : [];
    throw new ApiError(response.status, json?.error?.message ?? `The server answered ${response.status}.`, details);
  }
  return json as T;
}
