"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "../api-fetch.ts";

/** A key as the page shows it, times already written in the academy's zone. */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created: string;
  lastUsed: string;
  /** When it was revoked, or null while it works. */
  revoked: string | null;
}

/** Create a key for the LMS (shown once) and revoke keys. */
export function ApiKeysPanel({ keys }: { keys: ApiKeyRow[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (name: string) => apiFetch<{ apiKey: { key: string } }>("/api/dashboard/api-keys", { method: "POST", body: { name } }),
    onSuccess: ({ apiKey }) => {
      setCreated(apiKey.key);
      router.refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/dashboard/api-keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(),
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    create.mutate(String(new FormData(form).get("name")));
    form.reset();
  }
  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Create an API key">
        <div>
          <label htmlFor="key-name" className="block text-xs font-medium text-slate-800">
            Name (what uses it)
          </label>
          <input id="key-name" name="name" required maxLength={100} placeholder="moodle" className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm" />
        </div>
        <button type="submit" disabled={create.isPending} className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60">
          Create key
        </button>
      </form>
      <div role="status" aria-live="polite">
        {created ? (
          <div className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
            <p className="font-medium text-emerald-900">Copy this key now; it is not shown again.</p>
            <code className="mt-1 block break-all font-mono" data-testid="new-api-key">
              {created}
            </code>
          </div>
        ) : null}
        {create.error || revoke.error ? <p className="text-sm text-rose-800">{(create.error ?? revoke.error)?.message}</p> : null}
      </div>
      {keys.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">No API keys yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">API keys</caption>
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Name</th>
                <th scope="col" className="px-3 py-2">Key</th>
                <th scope="col" className="px-3 py-2">Created</th>
                <th scope="col" className="px-3 py-2">Last used</th>
                <th scope="col" className="px-3 py-2">State</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">{key.name}</th>
                  <td className="px-3 py-2 font-mono text-xs">{key.prefix}…</td>
                  <td className="px-3 py-2">{key.created}</td>
                  <td className="px-3 py-2">{key.lastUsed}</td>
                  <td className="px-3 py-2">
                    {key.revoked ? (
                      <span className="text-slate-600">revoked {key.revoked}</span>
                    ) : (
                      <button
                        type="button"
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(`Revoke "${key.name}"? Calls with it will be refused at once.`)) revoke.mutate(key.id);
                        }}
                        className="rounded-md border border-rose-300 px-2 py-1 text-xs font-medium text-rose-800 hover:bg-rose-50"
                      >
                        Revoke<span className="sr-only"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
