"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useId, useState, type KeyboardEvent } from "react";
import type { DashboardSearchResult } from "@/lib/search/search-dashboard.ts";
import { queryKeys } from "@/client/query-keys.ts";
import { plural } from "@/lib/words.ts";
import { apiFetch } from "../client/api-fetch.ts";
import { formatDate } from "../lib/time/format.ts";

const MIN_LENGTH = 2;

interface Option {
  href: string;
  label: string;
  detail: string;
}

/** The students and classes matching `query` as options, and what to announce about them. */
function useSearchOptions(query: string, timeZone: string) {
  const enabled = query.length >= MIN_LENGTH;
  const results = useQuery({
    queryKey: queryKeys.search(query),
    queryFn: () => apiFetch<DashboardSearchResult>(`/api/dashboard/search?q=${encodeURIComponent(query)}`),
    enabled,
    staleTime: 10_000,
  });
  const options: Option[] = results.data
    ? [
        ...results.data.students.map((student) => ({
          href: `/students/${student.id}`,
          label: student.name,
          detail: `student · LMS id ${student.externalId}`,
        })),
        ...results.data.sessions.map((session) => ({
          href: `/sessions/${session.id}`,
          label: session.title,
          detail: `class · ${formatDate(session.scheduledStart, timeZone)}${session.teacherName ? ` · ${session.teacherName}` : ""}`,
        })),
      ]
    : [];
  const status = !enabled
    ? ""
    : results.isError
      ? `Could not search: ${results.error.message}`
      : results.data
        ? options.length
          ? `${plural(options.length, "result")}; arrow keys to choose, Enter to open.`
          : `No students or classes match “${query}”.`
        : "Searching…";
  return { enabled, options, status };
}

interface ResultsListProps {
  listId: string;
  optionId: (i: number) => string;
  options: Option[];
  active: number;
  hidden: boolean;
  onChoose: (option: Option) => void;
}

function ResultsList({ listId, optionId, options, active, hidden, onChoose }: ResultsListProps) {
  return (
    <ul
      id={listId}
      role="listbox"
      aria-label="Students and classes found"
      hidden={hidden}
      className="absolute right-0 left-0 z-30 mt-1 max-h-80 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 shadow-lg"
    >
      {options.map((option, i) => (
        <li
          key={option.href}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          // Keep the focus in the box, so the click lands before the list closes.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(option)}
          className={`cursor-pointer px-3 py-1.5 text-sm ${i === active ? "bg-indigo-100 text-indigo-950" : "text-slate-800 hover:bg-slate-100"}`}
        >
          <span className="block break-words font-medium">{option.label}</span>
          <span className="block text-xs text-slate-600">{option.detail}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The navigation's search box (an ARIA 1.2 combobox): type a student's name or a class's title, move
 * through the results with the arrow keys, open one with Enter (or a click), close with Escape.
 */
export function NavSearch({ timeZone }: { timeZone: string }) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = useDeferredValue(text.trim());
  const { enabled, options, status } = useSearchOptions(query, timeZone);
  const expanded = open && enabled;
  const listId = `${id}-results`;
  const optionId = (i: number) => `${id}-option-${i}`;

  function choose(option: Option) {
    setOpen(false);
    setText("");
    setActive(-1);
    router.push(option.href);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) return;
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      const option = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (expanded && option) {
        event.preventDefault();
        choose(option);
      }
    } else if (event.key === "Escape") {
      if (expanded) setOpen(false);
      else setText("");
      setActive(-1);
    }
  }

  return (
    <div className="relative w-full sm:w-64" role="search">
      <label htmlFor={`${id}-input`} className="sr-only">
        Search students and classes
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 && active < options.length ? optionId(active) : undefined}
        autoComplete="off"
        placeholder="Search students and classes"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
      />
      <ResultsList
        listId={listId}
        optionId={optionId}
        options={options}
        active={active}
        hidden={!expanded || options.length === 0}
        onChoose={choose}
      />
      <p
        role="status"
        aria-live="polite"
        className={
          expanded && status && !options.length
            ? "absolute right-0 left-0 z-30 mt-1 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700 shadow-lg"
            : "sr-only"
        }
      >
        {expanded ? status : ""}
      </p>
    </div>
  );
}
