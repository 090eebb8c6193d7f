import { countOf } from "@/lib/format";
import type { SyncStatus } from "@/lib/sync/status";

const GROUPS = [
  { key: "synced", label: "synced", statuses: ["synced"], className: "bg-emerald-500" },
  // Retrying and waiting for the service are on their way by themselves: in progress, not attention.
  {
    key: "busy",
    label: "in progress",
    statuses: ["pending", "syncing", "retrying", "waiting", "removing"],
    className: "bg-sky-400",
  },
  { key: "paused", label: "paused", statuses: ["paused"], className: "bg-orange-400" },
  {
    key: "attention",
    label: "need attention",
    statuses: ["failed", "rejected", "owned_elsewhere", "needs_url"],
    className: "bg-red-500",
  },
] as const;

/**
 * A customer's sync state at a glance: a small stacked bar (synced, in progress, needing attention)
 * with the same figures in words for screen readers and the tooltip.
 */
export function SyncBar({ counts }: { counts: Record<SyncStatus, number> | undefined }) {
  if (!counts) return <span className="text-xs text-slate-500">no phones</span>;
  const parts = GROUPS.map((g) => ({ ...g, n: g.statuses.reduce((sum, s) => sum + counts[s as SyncStatus], 0) }));
  const total = parts.reduce((a, p) => a + p.n, 0);
  if (total === 0) return <span className="text-xs text-slate-500">no phones</span>;
  const summary = parts
    .filter((p) => p.n > 0)
    .map((p) => `${p.n} ${p.label}`)
    .join(", ");
  const attention = parts[3].n;
  return (
    <div className="flex min-w-28 items-center gap-2" title={summary}>
      <div className="flex h-2 w-24 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        {parts.map((p) =>
          p.n > 0 ? <div key={p.key} className={p.className} style={{ width: `${(p.n / total) * 100}%` }} /> : null,
        )}
      </div>
      <span className="sr-only">{summary}</span>
      {attention > 0 ? (
        <span className="text-xs font-medium text-red-800" aria-hidden="true">
          {countOf(attention, "issue")}
        </span>
      ) : parts[1].n > 0 ? (
        <span className="text-xs text-slate-600" aria-hidden="true">
          {parts[1].n} in progress
        </span>
      ) : parts[2].n > 0 ? (
        <span className="text-xs text-orange-800" aria-hidden="true">
          {parts[2].n} paused
        </span>
      ) : (
        <span className="text-xs text-emerald-800" aria-hidden="true">
          all synced
        </span>
      )}
    </div>
  );
}
