"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SessionPresence } from "@/lib/presence/get-session-presence.ts";
import type { getSessionReport } from "@/lib/reports/get-session-report.ts";
import { queryKeys } from "@/client/query-keys.ts";
import { apiFetch } from "../../client/api-fetch.ts";
import { coalescedRefresh } from "../../client/live-refresh.ts";

/** After this a requested recalculation is no longer polled for; the live stream still brings it. */
export const RECALCULATION_PATIENCE_MS = 90_000;

export type SessionReport = Awaited<ReturnType<typeof getSessionReport>>;
export type ReportRow = SessionReport["reports"][number];

const base = (sessionId: string) => `/api/dashboard/sessions/${encodeURIComponent(sessionId)}`;

export function usePresence(sessionId: string) {
  return useQuery({
    queryKey: queryKeys.presence(sessionId),
    queryFn: async () => (await apiFetch<{ presence: SessionPresence }>(`${base(sessionId)}/presence`)).presence,
  });
}

/** The report; while a requested recalculation has not landed, it is re-read every second. */
export function useReport(sessionId: string, waitingSince: string | null) {
  return useQuery({
    queryKey: queryKeys.report(sessionId),
    queryFn: () => apiFetch<SessionReport>(`${base(sessionId)}/report`),
    refetchInterval: (query) => {
      if (!waitingSince) return false;
      const calculatedAt = query.state.data?.calculatedAt;
      if (calculatedAt && calculatedAt >= waitingSince) return false;
      return Date.now() - Date.parse(waitingSince) > RECALCULATION_PATIENCE_MS ? false : 1000;
    },
  });
}

export type LiveState = "connecting" | "live" | "reconnecting";

/**
 * Server-sent events from the database's notifications: each announces that something changed,
 * and the presence and report are re-read. The first change is re-read at once; changes arriving
 * while that re-read is in flight are folded into one more, started when it finishes
 * (client/live-refresh.ts), so a burst (a class starting) costs two re-reads and the last change is
 * always followed by a re-read that started after it.
 */
export function useLiveUpdates(sessionId: string): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    let opened = false;
    const refresh = coalescedRefresh(() => queryClient.invalidateQueries({ queryKey: queryKeys.session(sessionId) }));
    const source = new EventSource(`${base(sessionId)}/live`);
    source.addEventListener("ready", () => {
      setState("live");
      // A reconnect may have missed announcements.
      if (opened) refresh.changed();
      opened = true;
    });
    source.addEventListener("change", refresh.changed);
    source.addEventListener("resync", refresh.changed);
    source.onerror = () => setState("reconnecting");
    return () => {
      refresh.stop();
      source.close();
    };
  }, [queryClient, sessionId]);
  return state;
}
