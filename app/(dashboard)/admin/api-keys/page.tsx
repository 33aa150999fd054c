import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/admin/api-keys-panel.tsx";
import { formatDateTime } from "@/components/format.ts";
import { requireAdmin } from "@/lib/auth/require-viewer.ts";
import { getPrisma } from "@/lib/db.ts";

export const metadata: Metadata = { title: "API keys · Rollcall" };

export default async function ApiKeysPage() {
  const viewer = await requireAdmin("/admin/api-keys");
  const rows = await getPrisma().apiKey.findMany({ where: { academyId: viewer.academyId }, orderBy: { createdAt: "desc" } });
  const keys = rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
  const formatted = Object.fromEntries(
    keys.map((key) => [
      key.id,
      { created: formatDateTime(key.createdAt, viewer.timezone), lastUsed: key.lastUsedAt ? formatDateTime(key.lastUsedAt, viewer.timezone) : "never", revoked: formatDateTime(key.revokedAt, viewer.timezone) },
    ]),
  );
  return (
    <div>
      <h1 className="text-2xl font-semibold">API keys</h1>
      <p className="mb-4 max-w-2xl text-sm text-slate-600">
        Keys let {viewer.academyName}&apos;s LMS schedule classes and read reports through <code>/api/v1</code>. Only a hash is stored.
      </p>
      <ApiKeysPanel keys={keys} formatted={formatted} />
    </div>
  );
}
