"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { useLiveSession } from "@/components/layout/live-session";

/**
 * Live progress of a running scan: a progress bar, and the page refreshed every second until it ends.
 * Each refresh first asks /api/sync-status whether the session still holds (LiveSessionProvider):
 * once it ended, refreshing stops and the page says so, instead of the refresh silently turning into
 * a sign-in page.
 */
export function RunProgress({ done, total, label }: { done: number; total: number; label: string }) {
  const router = useRouter();
  const { lost, fetchLive } = useLiveSession();
  useEffect(() => {
    if (lost) return;
    const timer = setInterval(async () => {
      try {
        if (!(await fetchLive("/api/sync-status", { cache: "no-store" }))) return clearInterval(timer);
      } catch {
        // Offline for a moment: refresh as before; the next tick asks again.
      }
      router.refresh();
    }, 1000);
    return () => clearInterval(timer);
  }, [router, lost, fetchLive]);
  return (
    <div className="space-y-1" role="status" aria-live="polite">
      <p className="text-sm text-slate-700">
        {label}: {done} of {total || "?"} calls{lost && " (not current)"}
      </p>
      <progress className="w-full" max={Math.max(total, 1)} value={done} aria-label={label} />
    </div>
  );
}
