import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Redirection Portal", template: "%s · Redirection Portal" },
  description: "Register snom phones with the redirection service and follow their sync status.",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next puts proxy.ts's fresh CSP nonce on its scripts only then
  // (a page prerendered at build time would carry scripts without it, which the CSP blocks).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
