"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { queryKeys } from "@/client/query-keys.ts";
import { EXCUSE_NOTE_REQUIRED, RESULT_STATUSES, type ResultStatus } from "@/lib/reports/result-status.ts";
import { ApiError, apiFetch } from "../../client/api-fetch.ts";
import { describeFailure } from "../failure.tsx";
import type { ReportRow } from "./use-session-data.ts";

// Excused first: it is what the form is opened for.
const CHOICES: readonly ResultStatus[] = ["excused", ...RESULT_STATUSES.filter((status) => status !== "excused")];

interface ResultSelectProps {
  id: string;
  name: string;
  status: ResultStatus;
  onStatus: (status: ResultStatus) => void;
  selectRef: React.RefObject<HTMLSelectElement | null>;
}

function ResultSelect({ id, name, status, onStatus, selectRef }: ResultSelectProps) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-800">
        Result for {name}
      </label>
      <select
        ref={selectRef}
        id={id}
        value={status}
        onChange={(e) => onStatus(e.target.value as ResultStatus)}
        className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {CHOICES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
}

interface NoteFieldProps {
  id: (part: string) => string;
  note: string;
  onNote: (note: string) => void;
  required: boolean;
  error: string | null;
  inputRef: React.RefObject<HTMLInputElement | null>;
}

/** The note, with what it needs (required to excuse) or what was wrong with it, tied to the input. */
function NoteField({ id, note, onNote, required, error, inputRef }: NoteFieldProps) {
  return (
    <div className="min-w-0 flex-1 basis-48">
      <label htmlFor={id("note")} className="block text-xs font-medium text-slate-800">
        Note (why)
      </label>
      <input
        ref={inputRef}
        id={id("note")}
        value={note}
        onChange={(e) => onNote(e.target.value)}
        maxLength={1000}
        aria-required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={id(error ? "note-error" : "note-hint")}
        className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid=true]:border-rose-700"
      />
      {error ? (
        <p id={id("note-error")} role="alert" className="mt-1 text-sm font-medium text-rose-800">
          {error}
        </p>
      ) : (
        <p id={id("note-hint")} className="mt-1 text-xs text-slate-700">
          {required ? "Required to excuse." : "Optional."} Escape closes without saving.
        </p>
      )}
    </div>
  );
}

const isNoteRefusal = (error: unknown) =>
  error instanceof ApiError && error.details.some((detail) => detail.path === "note");

/** Saves or removes the override; the server's own refusal of the note (422, field "note") goes to the field. */
function useOverrideMutation(
  sessionId: string,
  row: ReportRow,
  body: () => unknown,
  onSaved: () => void,
  onNoteRefused: (message: string) => void,
) {
  const queryClient = useQueryClient();
  const url = `/api/dashboard/sessions/${encodeURIComponent(sessionId)}/reports/${encodeURIComponent(row.identity)}/override`;
  return useMutation({
    mutationFn: (remove: boolean) => apiFetch(url, remove ? { method: "DELETE" } : { method: "PUT", body: body() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.report(sessionId) });
      onSaved();
    },
    onError: (error) => {
      const field = error instanceof ApiError ? error.details.find((detail) => detail.path === "note") : undefined;
      if (field) onNoteRefused(field.message);
    },
  });
}

/**
 * Excuse (or otherwise override) one person's result with a note, or remove the override. Focus
 * starts on the result; Escape or Cancel closes without saving; `onDone` is told which, so the
 * caller can give focus back to the button that opened the form. An excuse needs a note, here as
 * on the server (which says so with a 422 naming `note`).
 */
export function OverrideForm({
  sessionId,
  row,
  onDone,
}: {
  sessionId: string;
  row: ReportRow;
  onDone: (outcome: "saved" | "cancelled") => void;
}) {
  const [status, setStatus] = useState<ResultStatus>(row.override?.status ?? "excused");
  const [note, setNote] = useState(row.override?.note ?? "");
  const [noteError, setNoteError] = useState<string | null>(null);
  const statusRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const refuseNote = (message: string) => {
    setNoteError(message);
    noteRef.current?.focus();
  };
  const mutation = useOverrideMutation(
    sessionId,
    row,
    () => ({ status, note: note.trim() || undefined }),
    () => onDone("saved"),
    refuseNote,
  );

  useEffect(() => {
    statusRef.current?.focus();
  }, []);

  const name = row.person?.name ?? row.identity;
  const id = (part: string) => `${part}-${row.identity}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (status === "excused" && !note.trim()) return refuseNote(EXCUSE_NOTE_REQUIRED);
    setNoteError(null);
    mutation.mutate(false);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    onDone("cancelled");
  };
  const failure = mutation.error && !isNoteRefusal(mutation.error) ? describeFailure(mutation.error) : null;

  return (
    <form
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      aria-label={`Override for ${name}`}
      className="mt-2 space-y-2 rounded-md border border-violet-200 bg-violet-50 p-3"
    >
      <div className="flex flex-wrap gap-3">
        <ResultSelect id={id("status")} name={name} status={status} onStatus={setStatus} selectRef={statusRef} />
        <NoteField
          id={id}
          note={note}
          onNote={(value) => {
            setNote(value);
            if (noteError && value.trim()) setNoteError(null);
          }}
          required={status === "excused"}
          error={noteError}
          inputRef={noteRef}
        />
      </div>
      {failure ? (
        <p role="alert" className="text-sm text-rose-800">
          Could not save the override: {failure.reason}.{failure.canRetry ? " Press Save to try again." : ""}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          disabled={mutation.isPending}
          className="rounded-md bg-violet-700 px-3 py-1 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60"
        >
          {mutation.isPending ? "Saving…" : "Save override"}
        </button>
        {row.override ? (
          <button
            type="button"
            disabled={mutation.isPending}
            onClick={() => mutation.mutate(true)}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm"
          >
            Remove override
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => onDone("cancelled")}
          className="px-2 py-1 text-sm text-slate-700 underline"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
