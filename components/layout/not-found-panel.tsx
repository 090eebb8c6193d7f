import Link from "next/link";

/** What a detail page shows for an id that does not exist (or belongs to another organization). */
export function NotFoundPanel({ what, backHref, backLabel }: { what: string; backHref: string; backLabel: string }) {
  return (
    <div className="py-16 text-center">
      <h1 className="text-xl font-semibold">{what} not found</h1>
      <p className="mt-2 text-slate-600">It may have been deleted, or the link is wrong.</p>
      <Link href={backHref} className="mt-4 inline-block text-sky-700 underline">
        {backLabel}
      </Link>
    </div>
  );
}
