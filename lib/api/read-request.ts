import type { z } from "zod";
import { AppError, formatZodIssues } from "../errors.ts";
import { containsNul } from "../nul.ts";
import { BodyTooLargeError, readBodyWithLimit } from "./read-body.ts";

// Reading a request's parts for every route wrapper (API key and dashboard): one set of rules for
// media types, sizes, NUL characters and validation errors.

const MAX_JSON_BYTES = 1024 * 1024;

/** Reads and validates a JSON body: 415 for another media type, 400 for broken JSON, 422 for invalid fields. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/json")
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  let text: string;
  try {
    text = await readBodyWithLimit(request, MAX_JSON_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new AppError("payload_too_large", "Request bodies are limited to 1 MiB.");
    throw new AppError("bad_request", "The body could not be read.");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  if (containsNul(json)) throw new AppError("validation_failed", "Text may not contain NUL (U+0000) characters.");
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new AppError("validation_failed", "The request is not valid.", formatZodIssues(parsed.error));
  return parsed.data;
}

/**
 * Route parameters name rows by id; one that no row can have (a NUL, absurd length) is simply not
 * found, rather than an error from the database.
 */
export async function readParams<P>(routeContext: { params: Promise<P> }): Promise<P> {
  const params = await routeContext.params;
  for (const value of Object.values(params ?? {})) {
    if (typeof value === "string" && (value.includes("\u0000") || value.length > 512))
      throw new AppError("not_found", "No such resource.");
  }
  return params;
}

/** Validates query parameters against a schema (422 with the offending fields). */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  if (containsNul(params)) throw new AppError("validation_failed", "Text may not contain NUL (U+0000) characters.");
  const parsed = schema.safeParse(params);
  if (!parsed.success)
    throw new AppError("validation_failed", "The query is not valid.", formatZodIssues(parsed.error));
  return parsed.data;
}
