"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiKeyNameProblem, MAX_API_KEY_NAME } from "@/lib/api-keys/api-key-name.ts";
import { apiFetch, problemMessages } from "../../client/api-fetch.ts";
import { ScrollTable } from "@/components/scroll-table.tsx";

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

/** Copies the new key; where the clipboard is refused, selects it so the viewer can copy it by hand. */
function CopyButton({ text, targetId }: { text: string; targetId: string }) {
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);
  async function onCopy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      const target = document.getElementById(targetId);
      if (target) window.getSelection()?.selectAllChildren(target);
      setCopied("select");
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => void onCopy()}
        className="rounded-md border border-emerald-700 bg-white px-2 py-1 text-xs font-medium text-emerald-900 hover:bg-emerald-100"
      >
        Copy<span className="sr-only"> the new key</span>
      </button>
      <span role="status" className="text-xs text-emerald-900">
        {copied === "copied" ? "Copied." : copied === "select" ? "Selected: press Ctrl+C (⌘C) to copy." : ""}
      </span>
    </span>
  );
}

/** The keys, each with when it was made and last used, and Revoke (after a confirmation). */
function KeysTable({
  keys,
  onRevoke,
  isRevoking,
}: {
  keys: ApiKeyRow[];
  onRevoke: (id: string) => void;
  isRevoking: boolean;
}) {
  if (keys.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">No API keys yet.</p>
    );
  return (
    <ScrollTable
      label="API keys"
      caption="API keys"
      columns={[{ label: "Name" }, { label: "Key" }, { label: "Created" }, { label: "Last used" }, { label: "State" }]}
    >
      {keys.map((key) => (
        <tr key={key.id}>
          <th scope="row" className="px-3 py-2 text-left font-medium">
            {key.name}
          </th>
          <td className="px-3 py-2 font-mono text-xs">{key.prefix}…</td>
          <td className="px-3 py-2">{key.created}</td>
          <td className="px-3 py-2">{key.lastUsed}</td>
          <td className="px-3 py-2">
            {key.revoked ? (
              <span className="text-slate-600">revoked {key.revoked}</span>
            ) : (
              <button
                type="button"
                disabled={isRevoking}
                onClick={() => {
                  if (window.confirm(`Revoke "${key.name}"? Calls with it will be refused at once.`)) onRevoke(key.id);
                }}
                className="rounded-md border border-rose-300 px-2 py-1 text-xs font-medium text-rose-800 hover:bg-rose-50"
              >
                Revoke<span className="sr-only"> {key.name}</span>
              </button>
            )}
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}

/** The new key, once, with Copy. */
function CreatedKey({ apiKey }: { apiKey: string }) {
  return (
    <div className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
      <p className="font-medium text-emerald-900">Copy this key now; it is not shown again.</p>
      <code id="new-api-key" className="mt-1 block break-all font-mono" data-testid="new-api-key">
        {apiKey}
      </code>
      <div className="mt-2">
        <CopyButton text={apiKey} targetId="new-api-key" />
      </div>
    </div>
  );
}

/** Create a key for the LMS (shown once, with a Copy button) and revoke keys. */
export function ApiKeysPanel({ keys }: { keys: ApiKeyRow[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (name: string) =>
      apiFetch<{ apiKey: { key: string } }>("/api/dashboard/api-keys", { method: "POST", body: { name } }),
    onError: (error) => setNameError(problemMessages(error).join(" ")),
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
    const name = String(new FormData(form).get("name") ?? "");
    const problem = apiKeyNameProblem(name);
    setNameError(problem);
    if (problem) {
      (form.elements.namedItem("name") as HTMLInputElement | null)?.focus();
      return;
    }
    setCreated(null);
    create.mutate(name.trim(), { onSuccess: () => form.reset() });
  }
  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3" aria-label="Create an API key">
        <div className="min-w-0">
          <label htmlFor="key-name" className="block text-xs font-medium text-slate-800">
            Name (what uses it)
          </label>
          <input
            id="key-name"
            name="name"
            required
            maxLength={MAX_API_KEY_NAME + 50}
            placeholder="moodle"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "key-name-error" : undefined}
            className={`mt-1 max-w-full rounded-md border bg-white px-2 py-1.5 text-sm ${nameError ? "border-rose-600 ring-1 ring-rose-600" : "border-slate-300"}`}
          />
          {nameError ? (
            <p id="key-name-error" role="alert" className="mt-1 text-xs font-medium text-rose-800">
              {nameError}
            </p>
          ) : null}
        </div>
        <button
          type="submit"
          disabled={create.isPending}
          className="mt-5 rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60"
        >
          Create key
        </button>
      </form>
      <div role="status" aria-live="polite">
        {created ? <CreatedKey apiKey={created} /> : null}
        {revoke.error ? (
          <p className="text-sm text-rose-800">Not revoked: {problemMessages(revoke.error).join(" ")}</p>
        ) : null}
      </div>
      <KeysTable keys={keys} onRevoke={(id) => revoke.mutate(id)} isRevoking={revoke.isPending} />
    </div>
  );
}
