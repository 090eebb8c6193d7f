"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useLiveSession } from "@/components/layout/live-session";

type Status = { total: number; inFlight: number; counts: Record<string, number> };

/** Finished but not synced, by what really happened: a phone without a provisioning URL was never sent. */
const ATTENTION: [status: string, words: string][] = [
  ["needs_url", "not sent: no provisioning URL"],
  ["rejected", "refused by the service"],
  ["owned_elsewhere", "owned by another account"],
  ["failed", "failed"],
];

/** Statuses of a batch still on its way that the service cannot take yet (outage, paused queue). */
const WAITING_STATUSES = ["waiting", "paused", "retrying"];

/**
 * While a customer's phones are in flight: a live progress bar (polls the sync-status route every
 * 1.5 s); with `refreshPage` (default) the page's server data refreshes as phones finish. Shows a
 * short "all sent" line once an observed run finishes, so a user who just added phones sees the end.
 * With `poll={false}` it only shows the server's numbers: the page's LiveRefresh keeps them fresh
 * (one request per tab, not two). With `batchId` (an import's id) it counts only the phones that
 * import added ("150 of 200 pasted phones synced"), not the whole customer; `batchWord` names how
 * they came ("pasted", the default, or "imported" for a file).
 */
export function SyncProgress({
  customerId,
  initial,
  refreshPage = true,
  poll = true,
  batchId,
  batchWord = "pasted",
}: {
  customerId: string;
  initial: Status;
  refreshPage?: boolean;
  poll?: boolean;
  batchId?: string;
  batchWord?: "pasted" | "imported";
}) {
  const router = useRouter();
  const { lost, fetchLive } = useLiveSession();
  const [polled, setPolled] = useState<Status | null>(null);
  // Fresh server data (after a refresh or an action) wins over the last poll. Compared by value: a
  // parent re-rendering with the same figures in a new object must not put an older count back.
  const initialKey = JSON.stringify(initial);
  const [prevInitial, setPrevInitial] = useState(initialKey);
  if (initialKey !== prevInitial) {
    setPrevInitial(initialKey);
    setPolled(null);
  }
  const status = polled ?? initial;
  const lastCounts = useRef(JSON.stringify(initial.counts));
  const etag = useRef<string | null>(null);

  useEffect(() => {
    if (status.inFlight === 0 || !poll || lost) return;
    const url = `/api/customers/${customerId}/sync-status${batchId ? `?batch=${encodeURIComponent(batchId)}` : ""}`;
    const timer = setInterval(async () => {
      const res = await fetchLive(url, {
        cache: "no-store",
        headers: etag.current ? { "If-None-Match": etag.current } : {},
      });
      // null: the session ended or access was lost (the page says so and every poll stops).
      if (!res) return clearInterval(timer);
      if (!res.ok) return; // 304: nothing changed since the last answer
      etag.current = res.headers.get("ETag");
      const next = (await res.json()) as Status;
      setPolled(next);
      const key = JSON.stringify(next.counts);
      if (key !== lastCounts.current) {
        lastCounts.current = key;
        if (refreshPage) router.refresh();
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [customerId, batchId, router, status.inFlight, refreshPage, poll, lost, fetchLive]);

  // What the figures count: the batch just pasted, or every phone of the customer.
  const of = (n: number) => (batchId ? `${n} ${batchWord} ${n === 1 ? "phone" : "phones"}` : String(n));

  if (status.inFlight === 0) {
    if (!polled || refreshPage) return null;
    const reasons = ATTENTION.flatMap(([status, words]) =>
      polled.counts[status] ? [`${polled.counts[status]} ${words}`] : [],
    );
    const synced = polled.counts.synced ?? 0;
    if (reasons.length === 0) {
      return (
        <p
          className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900"
          aria-live="polite"
        >
          All sent to the redirection service: {synced} of {of(polled.total)} synced.
        </p>
      );
    }
    // Not "all sent": phones without a provisioning URL, refused or failed ones were not registered.
    return (
      <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" aria-live="polite">
        Finished: {synced} of {of(polled.total)} synced; {reasons.join(", ")} (the customer page says why for each).
      </p>
    );
  }
  const done = status.total - status.inFlight;
  const percent = status.total > 0 ? Math.round((done / status.total) * 100) : 0;
  if (lost) {
    // No longer live: the last figures, said to be old, never as a progress still running.
    return (
      <div className="mb-4 rounded-md border border-slate-300 bg-slate-50 p-3 text-sm text-slate-700" data-stale="true">
        <p>
          Not current: live progress stopped when {lost === "signed-out" ? "you were signed out" : "access was lost"}.
          Last known: {status.inFlight} to go,{" "}
          {batchId ? `${status.counts.synced ?? 0} of ${of(status.total)} synced` : `${done} of ${status.total} done`}.
        </p>
      </div>
    );
  }
  return (
    <div className="mb-4 rounded-md border border-sky-200 bg-sky-50 p-3" aria-live="polite">
      <div className="mb-1 flex justify-between text-sm text-sky-900">
        <span>
          {(status.counts.waiting ?? 0) > 0 && !status.counts.syncing
            ? `Waiting for the redirection service to answer… ${status.inFlight} to go`
            : (status.counts.paused ?? 0) > 0 && !status.counts.syncing
              ? `Sync paused… ${status.inFlight} to go`
              : `Sending to the redirection service… ${status.inFlight} to go`}
        </span>
        <span className="tabular-nums">
          {batchId ? `${status.counts.synced ?? 0} of ${of(status.total)} synced` : `${done} of ${status.total} done`}
        </span>
      </div>
      {batchId && <BatchBreakdown counts={status.counts} />}
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={status.total}
        aria-valuenow={done}
        className="h-2 overflow-hidden rounded bg-sky-100"
      >
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** The batch's phones that are not synced yet, by what holds them: "3 failed · 47 waiting". */
function BatchBreakdown({ counts }: { counts: Record<string, number> }) {
  const failed = ATTENTION.reduce((n, [status]) => n + (counts[status] ?? 0), 0);
  const waiting = WAITING_STATUSES.reduce((n, status) => n + (counts[status] ?? 0), 0);
  const sending = (counts.pending ?? 0) + (counts.syncing ?? 0);
  const parts = [
    sending > 0 && `${sending} being sent`,
    waiting > 0 && `${waiting} waiting`,
    failed > 0 && `${failed} failed or refused`,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return <p className="mb-1 text-xs text-sky-900 tabular-nums">{parts.join(" · ")}</p>;
}
