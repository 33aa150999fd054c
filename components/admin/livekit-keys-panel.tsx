"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch } from "../../client/api-fetch.ts";
import { ScrollTable } from "@/components/scroll-table.tsx";

/** One of the academy's own LiveKit keys as the page shows it, times in the academy's zone. */
export interface LivekitKeyView {
  apiKey: string;
  added: string;
  lastWebhook: string;
  /** When it was retired, or null while webhooks signed with it are accepted. */
  retired: string | null;
}

interface Added {
  livekitKey: { apiKey: string; action: "set" | "rotate"; movedSessions: number; apiSecret?: string };
}

type AddBody = { apiKey: string; apiSecret: string } | { generate: true };

/** Register a key (or generate a pair), worded for a first key or for the new key of a rotation. */
function AddKeySection({
  rotating,
  isPending,
  onAdd,
}: {
  rotating: boolean;
  isPending: boolean;
  onAdd: (body: AddBody) => void;
}) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    onAdd({ apiKey: String(data.get("apiKey")), apiSecret: String(data.get("apiSecret")) });
    form.reset();
  }
  return (
    <section aria-labelledby="add-key" className="max-w-2xl space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="add-key" className="font-medium">
        {rotating ? "Rotate: add the new key" : "Use the academy's own LiveKit key"}
      </h2>
      <p className="text-sm text-slate-600">
        {rotating
          ? "Both keys are accepted until you retire the old one, so no webhook is refused while LiveKit switches over."
          : "Sessions that have not started yet will read only webhooks signed with this key; past and running classes keep theirs."}
      </p>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Register a LiveKit key">
        <div>
          <label htmlFor="lk-key" className="block text-xs font-medium text-slate-800">
            API key
          </label>
          <input
            id="lk-key"
            name="apiKey"
            required
            maxLength={200}
            autoComplete="off"
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm"
          />
        </div>
        <div>
          <label htmlFor="lk-secret" className="block text-xs font-medium text-slate-800">
            API secret
          </label>
          <input
            id="lk-secret"
            name="apiSecret"
            type="password"
            required
            minLength={32}
            maxLength={512}
            autoComplete="off"
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm"
          />
        </div>
        <button
          type="submit"
          disabled={isPending}
          className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60"
        >
          {rotating ? "Add new key" : "Register key"}
        </button>
      </form>
      <p className="text-sm text-slate-600">
        Self-hosted LiveKit?{" "}
        <button
          type="button"
          disabled={isPending}
          onClick={() => onAdd({ generate: true })}
          className="font-medium text-indigo-800 underline disabled:opacity-60"
        >
          Generate a key pair
        </button>{" "}
        for its <code>keys</code> and <code>webhook.api_key</code>.
      </p>
    </section>
  );
}

/** What was registered, and a generated secret once. */
function AddedKey({ added }: { added: Added["livekitKey"] }) {
  return (
    <div className="max-w-2xl rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
      <p className="font-medium text-emerald-900">
        {added.apiKey} is registered
        {added.action === "set"
          ? `; ${added.movedSessions} upcoming session(s) now read only its webhooks`
          : ", beside the current key"}
        .
      </p>
      {added.apiSecret ? (
        <>
          <p className="mt-2 text-emerald-900">Copy the secret into your LiveKit server now; it is not shown again.</p>
          <code className="mt-1 block break-all font-mono" data-testid="new-livekit-secret">
            {added.apiSecret}
          </code>
        </>
      ) : null}
    </div>
  );
}

/** The keys with their last webhook; Retire while two are live (after a confirmation). */
function LivekitKeysTable({
  keys,
  canRetire,
  isRetiring,
  onRetire,
}: {
  keys: LivekitKeyView[];
  canRetire: boolean;
  isRetiring: boolean;
  onRetire: (apiKey: string) => void;
}) {
  return (
    <ScrollTable
      label="LiveKit keys"
      caption="LiveKit keys"
      columns={[{ label: "Key" }, { label: "Added" }, { label: "Last webhook" }, { label: "State" }]}
    >
      {keys.map((key) => (
        <tr key={key.apiKey}>
          <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-medium">
            {key.apiKey}
          </th>
          <td className="px-3 py-2">{key.added}</td>
          <td className="px-3 py-2">{key.lastWebhook}</td>
          <td className="px-3 py-2">
            {key.retired ? (
              <span className="text-slate-600">retired {key.retired}</span>
            ) : canRetire ? (
              <button
                type="button"
                disabled={isRetiring}
                onClick={() => {
                  if (window.confirm(`Retire ${key.apiKey}? Webhooks signed with it will be refused at once.`))
                    onRetire(key.apiKey);
                }}
                className="rounded-md border border-rose-300 px-2 py-1 text-xs font-medium text-rose-800 hover:bg-rose-50"
              >
                Retire<span className="sr-only"> {key.apiKey}</span>
              </button>
            ) : (
              <span className="text-emerald-800">live</span>
            )}
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}

/** Register the academy's LiveKit key, rotate it (two live keys), retire the old one. */
export function LivekitKeysPanel({ keys }: { keys: LivekitKeyView[] }) {
  const router = useRouter();
  const [added, setAdded] = useState<Added["livekitKey"] | null>(null);
  const live = keys.filter((key) => !key.retired);
  const add = useMutation({
    mutationFn: (body: AddBody) => apiFetch<Added>("/api/dashboard/livekit-keys", { method: "POST", body }),
    onSuccess: ({ livekitKey }) => {
      setAdded(livekitKey);
      router.refresh();
    },
  });
  const retire = useMutation({
    mutationFn: (apiKey: string) =>
      apiFetch(`/api/dashboard/livekit-keys/${encodeURIComponent(apiKey)}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="space-y-6">
      {live.length < 2 ? (
        <AddKeySection rotating={live.length === 1} isPending={add.isPending} onAdd={(body) => add.mutate(body)} />
      ) : (
        <p className="max-w-2xl text-sm text-slate-700">
          A rotation is under way: once LiveKit signs with the new key (see &ldquo;Last webhook&rdquo;), retire the old
          one.
        </p>
      )}
      <div role="status" aria-live="polite">
        {added ? <AddedKey added={added} /> : null}
        {add.error || retire.error ? (
          <p className="text-sm text-rose-800">{(add.error ?? retire.error)?.message}</p>
        ) : null}
      </div>
      {keys.length ? (
        <LivekitKeysTable
          keys={keys}
          canRetire={live.length > 1}
          isRetiring={retire.isPending}
          onRetire={(apiKey) => retire.mutate(apiKey)}
        />
      ) : null}
    </div>
  );
}
