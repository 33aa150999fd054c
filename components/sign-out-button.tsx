"use client";

import { useRouter } from "next/navigation";
import { authClient } from "../client/auth-client.ts";

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      onClick={() =>
        void authClient.signOut().then(() => {
          router.replace("/sign-in");
          router.refresh();
        })
      }
      className="whitespace-nowrap rounded-md px-2 py-1 text-sm text-slate-700 underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-700"
    >
      Sign out
    </button>
  );
}
