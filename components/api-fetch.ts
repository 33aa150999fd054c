/** An error from a dashboard route, with the message the server chose for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** fetch for the dashboard's own routes: JSON in and out, errors as ApiError with the server's message. */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) {
    if (response.status === 401) throw new ApiError(401, "Your session has ended; sign in again.");
    throw new ApiError(response.status, json?.error?.message ?? `The server answered ${response.status}.`);
  }
  return json as T;
}
