import Link from "next/link";
import type { ReactNode } from "react";

// The GET filter forms of the list pages (sessions, register, a student, event log): the URL is the
// state, so a filtered view can be bookmarked and shared, and the page reads it on the server.

const FIELD = "mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/**
 * `current` is the query the page shows: the fields are uncontrolled (their defaults come from the
 * URL), so the form is rebuilt whenever it changes; otherwise a field keeps what was typed or chosen
 * after Clear or a tab, and the next Apply sends it again. Clear leads to `clearHref` (the action).
 */
export function FilterForm({
  action,
  label,
  current,
  clearHref = action,
  children,
}: {
  action: string;
  label: string;
  current: string;
  clearHref?: string;
  children: ReactNode;
}) {
  return (
    <form key={current} method="get" action={action} aria-label={label} className="mt-4 flex flex-wrap items-end gap-3">
      {children}
      <button
        type="submit"
        className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800"
      >
        Apply
      </button>
      <Link href={clearHref} className="px-2 py-1.5 text-sm text-slate-700 underline">
        Clear
      </Link>
    </form>
  );
}

/** A select whose empty value means "no filter" (`anyLabel`). */
export function FilterSelect({
  name,
  label,
  anyLabel,
  value,
  options,
}: {
  name: string;
  label: string;
  anyLabel: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <div>
      <label htmlFor={name} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value ?? ""} className={FIELD}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterInput({
  name,
  label,
  value,
  type = "text",
  min,
  max,
}: {
  name: string;
  label: string;
  value: string | undefined;
  type?: "text" | "date" | "number";
  min?: number;
  max?: number;
}) {
  return (
    <div>
      <label htmlFor={name} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        min={min}
        max={max}
        defaultValue={value ?? ""}
        className={`${FIELD} ${type === "number" ? "w-20" : ""}`}
      />
    </div>
  );
}

/** Plain values shown as they are (event names, session types). */
export const asOptions = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** The teacher filter of the admin's lists (a teacher sees only her own classes and gets none). */
export function TeacherSelect({
  teachers,
  value,
}: {
  teachers: { id: string; name: string }[];
  value: string | undefined;
}) {
  return (
    <FilterSelect
      name="teacher"
      label="Teacher"
      anyLabel="All teachers"
      value={value}
      options={teachers.map((teacher) => ({ value: teacher.id, label: teacher.name }))}
    />
  );
}
