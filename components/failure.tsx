"use client";

import { ApiError } from "../client/api-fetch.ts";

export interface FailureText {
  /** What happened, to follow "Could not …: ". */
  reason: string;
  /** Whether trying the same again may work (the server or database was down, not a refusal). */
  canRetry: boolean;
  /** The session has ended: signing in again is what helps. */
  needsSignIn: boolean;
}

// A server's message for people ("Only an academy admin can …") continues the sentence.
const continueSentence = (message: string) => {
  const text = message.trim().replace(/\.$/, "");
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
};

/** What a failed dashboard request means for the person who asked, and what may help. */
export function describeFailure(error: unknown): FailureText {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 0)
    return { reason: "Rollcall could not be reached (check the connection)", canRetry: true, needsSignIn: false };
  if (status === 401) return { reason: "your sign-in has ended", canRetry: false, needsSignIn: true };
  if (status === 503) return { reason: "the database is unreachable", canRetry: true, needsSignIn: false };
  if (status >= 500)
    return { reason: "the server failed (the error has been logged)", canRetry: true, needsSignIn: false };
  if (status === 404)
    return { reason: "this class was not found, or is not one of yours", canRetry: false, needsSignIn: false };
  const details = error instanceof ApiError ? error.details.map((detail) => continueSentence(detail.message)) : [];
  return {
    reason: details.length ? details.join("; ") : continueSentence((error as Error).message),
    canRetry: false,
    needsSignIn: false,
  };
}

/**
 * "Could not load the report: the database is unreachable. Retry": what failed, why, and the way
 * out — Retry when trying again may work, signing in again when the session ended.
 */
export function FailureAlert({
  what,
  error,
  onRetry,
  isRetrying = false,
}: {
  what: string;
  error: unknown;
  onRetry?: () => void;
  isRetrying?: boolean;
}) {
  const { reason, canRetry, needsSignIn } = describeFailure(error);
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-md border border-rose-200 bg-rose-50 p-3 text-rose-900"
    >
      <p>
        Could not {what}: {reason}.
      </p>
      {canRetry && onRetry ? (
        <button
          type="button"
          onClick={onRetry}
          disabled={isRetrying}
          className="rounded-md bg-rose-700 px-3 py-1 text-sm font-medium text-white hover:bg-rose-800 disabled:opacity-60"
        >
          {isRetrying ? "Retrying…" : "Retry"}
        </button>
      ) : null}
      {needsSignIn ? (
        <a
          href={`/sign-in?next=${encodeURIComponent(typeof window === "undefined" ? "/sessions" : window.location.pathname + window.location.search)}`}
          className="font-medium underline"
        >
          Sign in again
        </a>
      ) : null}
    </div>
  );
}
