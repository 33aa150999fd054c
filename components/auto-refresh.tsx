"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders a server page on an interval while it is visible (the sessions list's live counts). */
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return null;
}
