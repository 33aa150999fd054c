import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and WebAssembly database drivers are loaded by Node at run time, not bundled.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "@electric-sql/pglite"],
  poweredByHeader: false,
  // Responses are small JSON; compressing them costs more CPU than it saves (a proxy may still).
  compress: false,
};

export default nextConfig;
