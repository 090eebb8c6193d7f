import type { Metadata } from "next";
import Link from "next/link";

/** The tab says what happened, like every page names itself ("Not found · Redirection Portal"). */
export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-sky-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">It does not exist, or it is not part of your organization.</p>
      <Link href="/" className="mt-6 inline-block text-sky-700 underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
