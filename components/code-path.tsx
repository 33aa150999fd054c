import type { ReactNode } from "react";

/** An endpoint or command shown inline, as the docs and the dashboard write them. */
export function CodePath({ children }: { children: ReactNode }) {
  return <code className="rounded bg-slate-200 px-1.5 py-0.5 font-mono text-sm text-slate-800">{children}</code>;
}
