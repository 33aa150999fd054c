import type { Metadata } from "next";
import Link from "next/link";
import { asOptions, FilterForm, FilterInput, FilterSelect } from "@/components/filter-form.tsx";
import { formatDateTime } from "@/lib/time/format.ts";
import { requireAdmin } from "@/lib/auth/require-viewer.ts";
import { listEventLog, ZEventLogFilterSchema, type TEventLogFilter } from "@/lib/event-log/event-log.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { USED_EVENTS } from "@/lib/livekit/parse-webhook.ts";
import { ScrollTable } from "@/components/scroll-table.tsx";

export const metadata: Metadata = { title: "Event log · Rollcall" };

// The types attendance uses, and the track events LiveKit also sends to the same endpoint.
const EVENT_TYPES = [...USED_EVENTS, "track_published", "track_unpublished"];
const APPLIED_OPTIONS = [
  { value: "yes", label: "Read by the calculation" },
  { value: "no", label: "Not read (unused type)" },
];

function prettyJson(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}

/** The active filters in words, for the empty state. */
function filterWords(filter: TEventLogFilter): string[] {
  return [
    filter.event ? `event ${filter.event}` : null,
    filter.room ? `room containing "${filter.room}"` : null,
    filter.identity ? `identity containing "${filter.identity}"` : null,
    filter.matched === "yes"
      ? "read by the calculation"
      : filter.matched === "no"
        ? "not read by the calculation"
        : null,
    filter.session ? "this session's rooms" : null,
    filter.ids ? `webhook ids ${filter.ids.join(", ")}` : null,
    filter.unknownRooms ? "rooms no session has" : null,
    filter.before ? "older than the previous page" : null,
  ].filter((words): words is string => words !== null);
}

function describeNoEvents(filter: TEventLogFilter): string {
  const words = filterWords(filter);
  return words.length
    ? `No webhooks with ${words.join(", ")}.`
    : "No webhooks yet: LiveKit has sent none for this academy's rooms.";
}

type EventLogEntry = Awaited<ReturnType<typeof listEventLog>>["events"][number];

/** One webhook: when, what, whose room (linked to its sessions), whether the calculation reads it, and the raw body. */
function EventRow({ event, timeZone }: { event: EventLogEntry; timeZone: string }) {
  return (
    <tr data-testid="event-row">
      <td className="whitespace-nowrap px-3 py-2 tabular-nums">{formatDateTime(event.receivedAt, timeZone)}</td>
      <td className="whitespace-nowrap px-3 py-2 tabular-nums">{formatDateTime(event.eventTime, timeZone)}</td>
      <td className="px-3 py-2 font-mono text-xs">{event.event}</td>
      <td className="px-3 py-2">
        {event.sessions.length ? (
          event.sessions.map((session) => (
            <Link key={session.id} href={`/sessions/${session.id}`} className="mr-2 block text-indigo-800 underline">
              {session.title}
            </Link>
          ))
        ) : (
          <span className="font-mono text-xs">{event.roomName ?? "—"}</span>
        )}
      </td>
      <td className="px-3 py-2 font-mono text-xs">
        {event.identity ?? "—"}
        {event.isRecorder ? <span className="ml-1 text-slate-500">(recorder)</span> : null}
      </td>
      <td className="px-3 py-2">
        {event.used ? "yes" : <span className="text-amber-800">no: event type not used</span>}
      </td>
      <td className="px-3 py-2">
        {/* The webhook's id, which a report's provenance names. */}
        <span className="block font-mono text-xs text-slate-600">{event.id}</span>
        <details>
          <summary className="cursor-pointer text-indigo-800 underline">
            raw<span className="sr-only"> payload of {event.id}</span>
          </summary>
          <pre className="mt-2 max-w-xl overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
            {prettyJson(event.rawBody)}
          </pre>
        </details>
      </td>
    </tr>
  );
}

function EventTable({ events, timeZone }: { events: EventLogEntry[]; timeZone: string }) {
  return (
    <ScrollTable
      label="Webhook events"
      caption="Webhook events"
      columns={[
        { label: "Received" },
        { label: "Event time" },
        { label: "Event" },
        { label: "Room" },
        { label: "Identity" },
        { label: "Applied" },
        { label: "Payload" },
      ]}
      className="mt-4"
      bodyClassName="divide-y divide-slate-100 align-top"
    >
      {events.map((event) => (
        <EventRow key={event.id} event={event} timeZone={timeZone} />
      ))}
    </ScrollTable>
  );
}

export default async function EventLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireAdmin("/admin/events");
  const raw = await searchParams;
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) || undefined]));
  const filter = ZEventLogFilterSchema.parse(flat);
  const db = getPrisma();
  const { events, nextBefore, unknownRoomsVisible } = await listEventLog(db, { academyId: viewer.academyId, filter });
  const tz = viewer.timezone;
  const olderHref = nextBefore
    ? `/admin/events?${new URLSearchParams({ ...(flat as Record<string, string>), before: nextBefore })}`
    : null;

  return (
    <div>
      <h1 className="text-2xl font-semibold">Webhook event log</h1>
      <p className="text-sm text-slate-600">
        Every webhook LiveKit sent for {viewer.academyName}&apos;s rooms, exactly as received, newest first. The log is
        append-only: reports are calculated from it.
      </p>
      <FilterForm
        action="/admin/events"
        label="Filter events"
        current={new URLSearchParams(flat as Record<string, string>).toString()}
      >
        <FilterSelect
          name="event"
          label="Event"
          anyLabel="All events"
          value={filter.event}
          options={asOptions(EVENT_TYPES)}
        />
        <FilterInput name="room" label="Room contains" value={filter.room} />
        <FilterInput name="identity" label="Identity contains" value={filter.identity} />
        <FilterSelect name="matched" label="Applied" anyLabel="All" value={filter.matched} options={APPLIED_OPTIONS} />
        {/* A report's provenance links here with its webhooks' ids; shown, so Apply keeps them and they can be cleared. */}
        {filter.ids ? <FilterInput name="ids" label="Webhook ids" value={filter.ids.join(",")} /> : null}
        {unknownRoomsVisible ? (
          <div className="flex items-center gap-2 pb-1.5">
            <input
              id="unknownRooms"
              name="unknownRooms"
              type="checkbox"
              value="1"
              defaultChecked={filter.unknownRooms === "1"}
            />
            <label htmlFor="unknownRooms" className="text-sm">
              Unknown rooms only
            </label>
          </div>
        ) : null}
      </FilterForm>
      {!unknownRoomsVisible ? (
        <p className="mt-2 text-xs text-slate-600">
          Webhooks for rooms no session has belong to no academy; with several academies on this server only operators
          see them.
        </p>
      ) : null}

      {events.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {describeNoEvents(filter)}{" "}
          {filterWords(filter).length ? (
            <Link href="/admin/events" className="underline">
              Clear filters
            </Link>
          ) : null}
        </p>
      ) : (
        <EventTable events={events} timeZone={tz} />
      )}
      {olderHref ? (
        <p className="mt-4">
          <Link href={olderHref} className="text-indigo-800 underline">
            Older events →
          </Link>
        </p>
      ) : null}
    </div>
  );
}
