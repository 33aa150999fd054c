"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { queryKeys } from "@/lib/query-keys.ts";
import { apiFetch } from "../api-fetch.ts";
import type { ReportRow } from "./use-session-data.ts";

const STATUSES = ["excused", "present", "late", "partial", "absent"] as const;

/** Excuse (or otherwise override) one person's result with a note, or remove the override. */
export function OverrideForm({ sessionId, row, onDone }: { sessionId: string; row: ReportRow; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>(row.override?.status ?? "excused");
  const [note, setNote] = useState(row.override?.note ?? "");
  const url = `/api/dashboard/sessions/${encodeURIComponent(sessionId)}/reports/${encodeURIComponent(row.identity)}/override`;
  const mutation = useMutation({
    mutationFn: (remove: boolean) => apiFetch(url, remove ? { method: "DELETE" } : { method: "PUT", body: { status, note: note.trim() || undefined } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.report(sessionId) });
      onDone();
    },
  });
  const name = row.person?.name ?? row.identity;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(false);
  };
  return (
    <form onSubmit={submit} aria-label={`Override for ${name}`} className="mt-2 space-y-2 rounded-md border border-violet-200 bg-violet-50 p-3">
      <div className="flex flex-wrap gap-3">
        <div>
          <label htmlFor={`status-${row.identity}`} className="block text-xs font-medium text-slate-800">
            Result for {name}
          </label>
          <select id={`status-${row.identity}`} value={status} onChange={(e) => setStatus(e.target.value as (typeof STATUSES)[number])} className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`note-${row.identity}`} className="block text-xs font-medium text-slate-800">
            Note (why)
          </label>
          <input id={`note-${row.identity}`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" />
        </div>
      </div>
      {mutation.error ? (
        <p role="alert" className="text-sm text-rose-800">
          {mutation.error.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" disabled={mutation.isPending} className="rounded-md bg-violet-700 px-3 py-1 text-sm font-medium text-white hover:bg-violet-800 disabled:opacity-60">
          {mutation.isPending ? "Saving…" : "Save override"}
        </button>
        {row.override ? (
          <button type="button" disabled={mutation.isPending} onClick={() => mutation.mutate(true)} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm">
            Remove override
          </button>
        ) : null}
        <button type="button" onClick={onDone} className="px-2 py-1 text-sm text-slate-700 underline">
          Cancel
        </button>
      </div>
    </form>
  );
}
