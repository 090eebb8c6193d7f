import Link from "next/link";
import { SYNC_STATUSES, SYNC_STATUS_LABELS, type SyncStatus } from "@/lib/sync/status";
import { StatusBadge } from "./status-badge";

/** Counts per sync status; each links to the phones list filtered by that status. */
export function StatusCounts({
  counts,
  customerId,
  sandbox,
}: {
  counts: Record<SyncStatus, number>;
  customerId?: string;
  sandbox?: boolean;
}) {
  const shown = SYNC_STATUSES.filter((s) => counts[s] > 0 || s === "synced" || s === "pending" || s === "failed");
  return (
    <ul className="flex flex-wrap gap-3" aria-label="Phones by sync status">
      {shown.map((s) => {
        const params = new URLSearchParams({ status: s, ...(customerId ? { customer: customerId } : {}) });
        return (
          <li key={s}>
            <Link
              href={`/phones?${params}`}
              className="flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 hover:bg-slate-50"
              aria-label={`${SYNC_STATUS_LABELS[s]}: ${counts[s]}`}
            >
              <StatusBadge status={s} sandbox={sandbox} />
              <span className="text-lg font-semibold tabular-nums">{counts[s]}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
