import type { NextConfig } from "next";
import { MAX_BODY_BYTES } from "./lib/http/limits";

const nextConfig: NextConfig = {
  // Kept external so Node loads them from node_modules (native addon; xmlrpc's Buffer() warning).
  serverExternalPackages: ["xmlrpc", "better-sqlite3", "@prisma/adapter-better-sqlite3", "bcryptjs"],
  poweredByHeader: false,
  // CSV files up to 5 MB are imported through a server action (the default limit is 1 MB).
  // proxy.ts refuses larger bodies with 413 before the proxy buffer (which would cut them) is filled.
  // authInterrupts: forbidden() answers role denials with HTTP 403 and the section's forbidden.tsx.
  experimental: {
    serverActions: { bodySizeLimit: MAX_BODY_BYTES },
    proxyClientMaxBodySize: MAX_BODY_BYTES,
    authInterrupts: true,
  },
  devIndicators: false,
};

export default nextConfig;
