import type { SessionPresence } from "@/lib/presence/get-session-presence.ts";
import { formatTime } from "../../lib/time/format.ts";

/**
 * Before the start nobody is missing yet: who is expected (the roster, from the presence read),
 * and who has come early to prepare.
 */
export function ExpectedPanel({ presence, timeZone }: { presence: SessionPresence; timeZone: string }) {
  const { students, teachers } = presence.counts;
  const early = presence.inRoom;
  const expected = [...presence.notJoined, ...presence.left.filter((person) => person.role !== "guest")];
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section aria-labelledby="expected" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="expected" className="font-semibold text-slate-900">
          Expected{" "}
          <span className="block text-sm font-normal tabular-nums" data-testid="expected-count">
            {students.roster} student{students.roster === 1 ? "" : "s"}
            {teachers.roster ? " · teacher" : ""}
          </span>
        </h3>
        <ul className="mt-2 space-y-1 text-sm" data-testid="expected">
          {expected.map((person) => (
            <li key={person.identity}>
              <span className="font-medium">{person.name ?? person.identity}</span>
              {person.role !== "student" ? <span className="text-xs text-slate-700"> ({person.role})</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="early" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 id="early" className="font-semibold text-slate-900">
          In the room early
        </h3>
        {early.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">Nobody yet: the room opens for preparation before the start.</p>
        ) : (
          <ul className="mt-2 space-y-1 text-sm" data-testid="early">
            {early.map((person) => (
              <li key={person.identity} className="flex justify-between gap-2">
                <span className="font-medium">{person.name ?? person.identity}</span>
                <span className="text-slate-700">since {formatTime(person.since, timeZone)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
