import { SYNC_STATUS_HELP, SYNC_STATUS_LABELS, type SyncStatus } from "@/lib/sync/status";
import { cn } from "@/lib/utils";

const TONES: Record<SyncStatus, string> = {
  pending: "bg-slate-100 text-slate-800 ring-slate-300",
  syncing: "bg-sky-100 text-sky-900 ring-sky-300",
  synced: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  retrying: "bg-amber-50 text-amber-900 ring-amber-300",
  waiting: "bg-sky-50 text-sky-900 ring-sky-300",
  paused: "bg-orange-100 text-orange-900 ring-orange-300",
  failed: "bg-red-100 text-red-900 ring-red-300",
  rejected: "bg-red-100 text-red-900 ring-red-400",
  owned_elsewhere: "bg-purple-100 text-purple-900 ring-purple-300",
  needs_url: "bg-amber-100 text-amber-900 ring-amber-300",
  removing: "bg-slate-200 text-slate-800 ring-slate-400",
};

const MARKS: Record<SyncStatus, string> = {
  pending: "○",
  syncing: "◔",
  synced: "✓",
  retrying: "↻",
  waiting: "…", // not ⏸: common fonts lack it and show an empty box
  paused: "‖",
  failed: "!",
  rejected: "✕",
  owned_elsewhere: "⊘",
  needs_url: "?",
  removing: "−",
};

/**
 * Text and colour (never colour alone), with the explanation as a tooltip. `serviceDown`: the
 * organization's circuit is open, so a phone queued since (still "pending") waits for the service
 * like the others and is shown as such, matching the banner's count of waiting phones.
 */
export function StatusBadge({ status, sandbox, serviceDown }: { status: string; sandbox?: boolean; serviceDown?: boolean }) {
  const known = (status in SYNC_STATUS_LABELS ? status : "pending") as SyncStatus;
  const s: SyncStatus = serviceDown && known === "pending" ? "waiting" : known;
  return (
    <span
      title={SYNC_STATUS_HELP[s]}
      className={cn("inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", TONES[s])}
    >
      <span aria-hidden>{MARKS[s]}</span>
      {SYNC_STATUS_LABELS[s]}
      {sandbox && s === "synced" && <span className="font-normal">(sandbox)</span>}
    </span>
  );
}
