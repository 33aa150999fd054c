import type { OverrideEvent } from "../generated/prisma/client.ts";
import { overrideAuthorName } from "./override-author.ts";

export type OverrideEventRow = Pick<
  OverrideEvent,
  "identity" | "at" | "actor" | "action" | "fromStatus" | "toStatus" | "calculatedStatus" | "note"
>;

/**
 * One event of a report's override history as the API and the page show it. `from` and `to` are
 * the result that counted before and after ("set": the previous result and the override; "remove":
 * the override and the calculated value it falls back to; "recalculated": the calculated value
 * before and after, the override still counting). `by` is the author's current name, null for a
 * recalculation.
 */
export function toOverrideEventView(event: OverrideEventRow, authors: ReadonlyMap<string, string>) {
  return {
    action: event.action,
    at: event.at.toISOString(),
    by: overrideAuthorName(event.actor, authors),
    from: event.fromStatus,
    to: event.toStatus,
    calculatedStatus: event.calculatedStatus,
    note: event.note,
  };
}
export type OverrideEventView = ReturnType<typeof toOverrideEventView>;
