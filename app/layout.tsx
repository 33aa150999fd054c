import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers.tsx";
import "./globals.css";

export const metadata: Metadata = {
  title: "Rollcall",
  description: "Attendance for live classes, from LiveKit webhooks.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, even the static ones (not found): proxy.ts gives each
  // request a script nonce, which Next can put on a page's scripts only while rendering it.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
