// One key factory for the dashboard's React Query cache; mutations and the live stream invalidate
// through it.
export const queryKeys = {
  session: (sessionId: string) => ["session", sessionId] as const,
  presence: (sessionId: string) => ["session", sessionId, "presence"] as const,
  report: (sessionId: string) => ["session", sessionId, "report"] as const,
  search: (query: string) => ["search", query] as const,
  policyApplication: (id: string) => ["policy-application", id] as const,
};
