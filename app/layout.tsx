import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Redirection Portal", template: "%s · Redirection Portal" },
  description: "Register snom phones with the redirection service and follow their sync status.",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
