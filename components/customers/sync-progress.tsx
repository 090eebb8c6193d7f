"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

type Status = { total: number; inFlight: number; counts: Record<string, number> };

/** While a customer's batch is in flight: a live progress bar, and the page refreshes as phones finish. */
export function SyncProgress({ customerId, initial }: { customerId: string; initial: Status }) {
  const router = useRouter();
  const [status, setStatus] = useState(initial);
  const [batch, setBatch] = useState(initial.inFlight);
  const last = useRef(JSON.stringify(initial.counts));

  useEffect(() => {
    setStatus(initial);
    setBatch((b) => Math.max(b, initial.inFlight));
  }, [initial]);

  useEffect(() => {
    if (status.inFlight === 0) return;
    const timer = setInterval(async () => {
      const res = await fetch(`/api/customers/${customerId}/sync-status`, { cache: "no-store" });
      if (!res.ok) return;
      const next = (await res.json()) as Status;
      setStatus(next);
      setBatch((b) => Math.max(b, next.inFlight));
      const key = JSON.stringify(next.counts);
      if (key !== last.current) {
        last.current = key;
        router.refresh();
      }
    }, 1500);
    return () => clearInterval(timer);
  }, [customerId, router, status.inFlight]);

  if (status.inFlight === 0) return null;
  const done = Math.max(0, batch - status.inFlight);
  const percent = batch > 0 ? Math.round((done / batch) * 100) : 0;
  return (
    <div className="mb-4 rounded-md border border-sky-200 bg-sky-50 p-3" aria-live="polite">
      <div className="mb-1 flex justify-between text-sm text-sky-900">
        <span>Sending to the redirection service…</span>
        <span className="tabular-nums">
          {done} of {batch} done
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={batch}
        aria-valuenow={done}
        className="h-2 overflow-hidden rounded bg-sky-100"
      >
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
