"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect, useState } from "react";

const RETRY_SECONDS = 5;

/** Whether /api/health says the database is down (an unreachable server says so too). */
export async function databaseIsDown(): Promise<boolean> {
  try {
    const response = await fetch("/api/health", { cache: "no-store" });
    const body = (await response.json().catch(() => null)) as { database?: string } | null;
    return body?.database !== "up";
  } catch {
    return true;
  }
}

/**
 * Shown instead of a page while the database cannot be reached. It asks /api/health every few
 * seconds and, once the database answers, renders the page again (and calls `onRecovered`, which
 * an error boundary uses to reset itself).
 */
export function DatabaseUnavailable({ onRecovered }: { onRecovered?: () => void }) {
  const router = useRouter();
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    let stopped = false;
    // Read through a function: the unmount may set it while the health check is awaited.
    const isStopped = () => stopped;
    async function attempt() {
      if (isStopped() || document.visibilityState !== "visible") return;
      setAttempts((count) => count + 1);
      if (!(await databaseIsDown()) && !isStopped()) {
        stopped = true;
        clearInterval(timer);
        startTransition(() => {
          onRecovered?.();
          router.refresh();
        });
      }
    }
    const timer = setInterval(() => void attempt(), RETRY_SECONDS * 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [router, onRecovered]);
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-6">
      <h1 className="text-lg font-semibold text-amber-950">The database is unreachable, retrying</h1>
      <p className="mt-1 text-amber-950">
        Rollcall cannot reach its database just now. Nothing was changed; this page checks again every {RETRY_SECONDS}{" "}
        seconds and shows itself as soon as the database answers.
      </p>
      <p className="mt-2 text-sm text-amber-900" aria-live="polite">
        {attempts ? `Tried ${attempts} time${attempts === 1 ? "" : "s"} so far.` : "Retrying…"}
      </p>
    </div>
  );
}
