import type { Metadata } from "next";
import { LivekitKeysPanel, type LivekitKeyView } from "@/components/admin/livekit-keys-panel.tsx";
import { formatDateTime } from "@/lib/time/format.ts";
import { requireAdmin } from "@/lib/auth/require-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { listLivekitKeys } from "@/lib/livekit/credentials.ts";

export const metadata: Metadata = { title: "LiveKit keys · Rollcall" };

export default async function LivekitKeysPage() {
  const viewer = await requireAdmin("/admin/livekit");
  const rows = await listLivekitKeys(getPrisma(), viewer.academyId);
  const tz = viewer.timezone;
  const keys: LivekitKeyView[] = rows.map((row) => ({
    apiKey: row.apiKey,
    added: formatDateTime(row.createdAt.toISOString(), tz),
    lastWebhook: row.lastWebhookAt ? formatDateTime(row.lastWebhookAt.toISOString(), tz) : "none yet",
    retired: row.retiredAt ? formatDateTime(row.retiredAt.toISOString(), tz) : null,
  }));
  return (
    <div>
      <h1 className="text-2xl font-semibold">LiveKit keys</h1>
      <p className="mb-4 max-w-2xl text-sm text-slate-600">
        {keys.length
          ? `Webhooks signed with ${viewer.academyName}'s own keys belong to ${viewer.academyName} alone, and its sessions read only those: no other academy can see its rooms, whatever it names its own.`
          : `${viewer.academyName} uses the server's LiveKit key, shared with any other academy on this server. Register the key of ${viewer.academyName}'s own LiveKit project to keep its rooms and webhooks to itself.`}
      </p>
      <LivekitKeysPanel keys={keys} />
    </div>
  );
}
