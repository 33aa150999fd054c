import type { Metadata } from "next";
import { ApiKeysPanel, type ApiKeyRow } from "@/components/admin/api-keys-panel.tsx";
import { formatDateTime } from "@/lib/time/format.ts";
import { listApiKeys } from "@/lib/api-keys/api-keys.ts";
import { requireAdmin } from "@/lib/auth/require-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";

export const metadata: Metadata = { title: "API keys · Rollcall" };

export default async function ApiKeysPage() {
  const viewer = await requireAdmin("/admin/api-keys");
  const rows = await listApiKeys(getPrisma(), viewer.academyId);
  const tz = viewer.timezone;
  const keys: ApiKeyRow[] = rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created: formatDateTime(row.createdAt.toISOString(), tz),
    lastUsed: row.lastUsedAt ? formatDateTime(row.lastUsedAt.toISOString(), tz) : "never",
    revoked: row.revokedAt ? formatDateTime(row.revokedAt.toISOString(), tz) : null,
  }));
  return (
    <div>
      <h1 className="text-2xl font-semibold">API keys</h1>
      <p className="mb-4 max-w-2xl text-sm text-slate-600">
        Keys let {viewer.academyName}&apos;s LMS schedule classes and read reports through <code>/api/v1</code>. Only a
        hash is stored.
      </p>
      <ApiKeysPanel keys={keys} />
    </div>
  );
}
