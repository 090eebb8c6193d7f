import Link from "next/link";

/** What a section shows (with HTTP 403) to a signed-in user whose role may not open it. */
export function ForbiddenPanel({ sentence }: { sentence: string }) {
  return (
    <div className="py-16 text-center">
      <p className="text-sm font-semibold text-sky-700">403</p>
      <h1 className="mt-2 text-xl font-semibold">{sentence}</h1>
      <p className="mt-2 text-slate-600">Ask an admin of your organization if you need this.</p>
      <Link href="/" className="mt-4 inline-block text-sky-700 underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
