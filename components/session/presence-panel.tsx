import type { SessionPresence } from "@/lib/presence/get-session-presence.ts";
import { formatTime } from "../../lib/time/format.ts";

function Name({ name, identity, role }: { name: string | null; identity: string; role: string }) {
  return (
    <span>
      <span className="font-medium">{name ?? identity}</span>
      {role !== "student" ? <span className="ml-1 text-xs text-slate-500">({role})</span> : null}
    </span>
  );
}

type Counts = SessionPresence["counts"];

/** "12 of 14 students · teacher · 1 guest": students, the teacher and guests never added together. */
function tally(counts: Counts, key: "inRoom" | "left" | "notJoined"): string {
  const parts = [
    key === "inRoom"
      ? `${counts.students.inRoom} of ${counts.students.roster} students`
      : `${counts.students[key]} student${counts.students[key] === 1 ? "" : "s"}`,
  ];
  if (counts.teachers[key]) parts.push("teacher");
  const guests = key === "notJoined" ? 0 : counts.guests[key];
  if (guests) parts.push(`${guests} guest${guests === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

/** Who is in the room now, who has left, who on the roster has not come. */
export function PresencePanel({ presence, timeZone }: { presence: SessionPresence; timeZone: string }) {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <section aria-labelledby="in-room" className="rounded-lg border border-emerald-200 bg-white p-4">
        <h3 id="in-room" className="font-semibold text-emerald-900">
          In the room{" "}
          <span className="block text-sm font-normal tabular-nums" data-testid="in-room-count">
            {tally(presence.counts, "inRoom")}
          </span>
        </h3>
        {presence.inRoom.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Nobody is in the room.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm" data-testid="in-room">
            {presence.inRoom.map((person) => (
              <li key={person.identity} className="flex justify-between gap-2">
                <Name {...person} />
                <span className="text-slate-600">
                  since {formatTime(person.since, timeZone)}
                  {person.connections > 1 ? ` · ${person.connections} devices` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="left-room" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="left-room" className="font-semibold text-slate-900">
          Left <span className="block text-sm font-normal tabular-nums">{tally(presence.counts, "left")}</span>
        </h3>
        {presence.left.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Nobody has left.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm" data-testid="left-room">
            {presence.left.map((person) => (
              <li key={person.identity} className="flex justify-between gap-2">
                <Name {...person} />
                <span className="text-slate-600">left {formatTime(person.lastLeaveAt, timeZone)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="not-joined" className="rounded-lg border border-rose-200 bg-white p-4">
        <h3 id="not-joined" className="font-semibold text-rose-900">
          Not joined{" "}
          <span className="block text-sm font-normal tabular-nums">{tally(presence.counts, "notJoined")}</span>
        </h3>
        {presence.notJoined.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">Everyone on the roster has come.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm" data-testid="not-joined">
            {presence.notJoined.map((person) => (
              <li key={person.identity}>
                <Name {...person} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
