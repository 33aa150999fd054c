"use client";

import { useEffect, useState } from "react";
import { DatabaseUnavailable, databaseIsDown } from "@/components/database-unavailable.tsx";

// A page of the dashboard failed to render. In production the browser is not told why, so the
// page asks /api/health: when the database is unreachable it says so and retries by itself.
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [down, setDown] = useState(false);
  useEffect(() => {
    let current = true;
    void databaseIsDown().then((isDown) => current && setDown(isDown));
    return () => {
      current = false;
    };
  }, []);
  if (down) return <DatabaseUnavailable onRecovered={reset} />;
  return (
    <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-6">
      <h1 className="text-lg font-semibold text-rose-900">This page could not be loaded</h1>
      <p className="mt-1 text-rose-900">
        Rollcall could not read its data just now. Nothing was changed; try again in a moment.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-800"
      >
        Try again
      </button>
    </div>
  );
}
