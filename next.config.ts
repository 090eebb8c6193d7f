import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Kept external so Node loads them from node_modules (native addon; xmlrpc's Buffer() warning).
  serverExternalPackages: ["xmlrpc", "better-sqlite3", "@prisma/adapter-better-sqlite3", "bcryptjs"],
  poweredByHeader: false,
  devIndicators: false,
};

export default nextConfig;
