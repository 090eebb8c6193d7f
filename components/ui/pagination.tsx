import Link from "next/link";
import { countOf } from "@/lib/format";

/**
 * Page links that keep every other search parameter of the current URL, and the total counted in
 * words: "26 phones in total" without a filter, "3 phones match" / "1 phone matches" when one of
 * `params` (the list's filters) is set. `noun` is the singular, `plural` when not noun + s.
 */
export function Pagination({
  page,
  pageCount,
  total,
  totalIsLowerBound = false,
  basePath,
  params,
  noun,
  plural,
}: {
  page: number;
  pageCount: number;
  total: number;
  /** `total` is only a lower bound (a broad search that was not counted to the end). */
  totalIsLowerBound?: boolean;
  basePath: string;
  params: Record<string, string | undefined>;
  noun: string;
  plural?: string;
}) {
  const counted = countOf(total, noun, plural);
  // `params` are the list's filters: with any set, the count is of matches, not of everything.
  const isFiltered = Object.values(params).some(Boolean);
  const totalText = totalIsLowerBound
    ? `more than ${counted} match (narrow the search to see them all)`
    : isFiltered
      ? `${counted} ${total === 1 ? "matches" : "match"}`
      : `${counted} in total`;
  if (pageCount <= 1) return <p className="mt-3 text-sm text-slate-600">{totalText}</p>;
  const href = (p: number) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) sp.set(k, v);
    sp.set("page", String(p));
    return `${basePath}?${sp.toString()}`;
  };
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50";
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center gap-3 text-sm text-slate-700">
      {page > 1 ? (
        <Link className={link} href={href(page - 1)}>
          Previous
        </Link>
      ) : (
        <span className="px-3 py-1 text-slate-400">Previous</span>
      )}
      <span>
        Page {page} of {pageCount} · {totalText}
      </span>
      {page < pageCount ? (
        <Link className={link} href={href(page + 1)}>
          Next
        </Link>
      ) : (
        <span className="px-3 py-1 text-slate-400">Next</span>
      )}
    </nav>
  );
}
