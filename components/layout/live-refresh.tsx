"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

const POLL_MS = 2_500;

/**
 * Keeps an open page true while the organization's sync is in progress (queued, syncing, retrying,
 * waiting for the service, open circuit): one small request to /api/sync-status every 2.5 s, and a
 * server refresh (router.refresh) when its version changes. Stops polling once nothing is in
 * progress; a page rendered afresh with work in progress starts it again.
 */
export function LiveRefresh({ version, active }: { version: string; active: boolean }) {
  const router = useRouter();
  const seen = useRef(version);
  const [polling, setPolling] = useState(active);
  const [prev, setPrev] = useState({ version, active });
  // New server data (refresh, navigation, action) decides again whether to poll.
  if (prev.version !== version || prev.active !== active) {
    setPrev({ version, active });
    setPolling(active);
  }
  useEffect(() => {
    seen.current = version;
  }, [version]);

  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const res = await fetch("/api/sync-status", {
          cache: "no-store",
          headers: { "If-None-Match": `"${seen.current}"` },
        });
        if (stopped || res.status === 304 || !res.ok) return;
        const next = (await res.json()) as { version: string; inProgress: number; circuitOpen: boolean };
        if (next.version !== seen.current) {
          seen.current = next.version;
          router.refresh();
        }
        if (next.inProgress === 0 && !next.circuitOpen) setPolling(false);
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [polling, router]);
  return null;
}
