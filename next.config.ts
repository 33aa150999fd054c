import type { NextConfig } from "next";

// Security headers on every answer: pages, API routes, the webhook, static files. Pages get their
// Content-Security-Policy from proxy.ts, with a fresh nonce for Next's scripts on every request;
// everything else (JSON, CSV, server-sent events, files) gets one that allows nothing at all.
const EVERY_ANSWER = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Not no-referrer: a browser then sends "Origin: null" on same-origin POSTs, which the
  // dashboard's and Better Auth's same-origin checks (rightly) refuse.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
];
const NOT_A_PAGE_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";
// Served over HTTPS (the TLS proxy in front says so): browsers keep to HTTPS for two years.
const HSTS = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };
const OVER_HTTPS = [{ type: "header" as const, key: "x-forwarded-proto", value: "https(?:\\s*,.*)?" }];

// CI (.ci/run, which sets ROLLCALL_CI=1) type-checks the whole project with tsc, tests and scripts
// included, just before it builds, and throws its checkout away after: there the build neither
// checks the types a second time nor writes Turbopack's cache for a build that never comes.
const IN_CI = process.env.ROLLCALL_CI === "1";

const nextConfig: NextConfig = {
  typescript: { ignoreBuildErrors: IN_CI },
  experimental: { turbopackFileSystemCacheForBuild: !IN_CI },
  // Native and WebAssembly database drivers are loaded by Node at run time, not bundled; so is
  // exceljs (the register's XLSX), a CommonJS library with optional Node-only dependencies.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "@electric-sql/pglite", "exceljs"],
  poweredByHeader: false,
  // Responses are small JSON; compressing them costs more CPU than it saves (a proxy may still).
  compress: false,
  async headers() {
    return [
      { source: "/:path*", headers: EVERY_ANSWER },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: NOT_A_PAGE_CSP }] },
      { source: "/_next/static/:path*", headers: [{ key: "Content-Security-Policy", value: NOT_A_PAGE_CSP }] },
      { source: "/:path*", has: OVER_HTTPS, headers: [HSTS] },
    ];
  },
};

export default nextConfig;
