"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useLiveSession } from "./live-session";

const POLL_MS = 2_500;
/** While nothing is in progress: slower, so a page left open still notices work started elsewhere. */
const IDLE_POLL_MS = 10_000;

/**
 * Keeps an open page true: one small request to /api/sync-status (304 while nothing changed) every
 * 2.5 s while the organization's sync is in progress (queued, syncing, retrying, waiting for the
 * service, open circuit), every 10 s otherwise (phones added in another tab, a colleague's import, an
 * outage starting), and a server refresh (router.refresh) when its version changes. A hidden tab
 * does not poll; it checks once when shown again. A 401/403 stops it (LiveSessionProvider says why).
 */
export function LiveRefresh({ version, active }: { version: string; active: boolean }) {
  const router = useRouter();
  const { lost, fetchLive } = useLiveSession();
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
    if (lost) return;
    let stopped = false;
    const check = async () => {
      if (document.visibilityState === "hidden") return;
      try {
        const res = await fetchLive("/api/sync-status", {
          cache: "no-store",
          headers: { "If-None-Match": `"${seen.current}"` },
        });
        if (stopped || !res || res.status === 304 || !res.ok) return;
        const next = (await res.json()) as { version: string; inProgress: number; circuitOpen: boolean };
        if (next.version !== seen.current) {
          seen.current = next.version;
          router.refresh();
        }
        setPolling(next.inProgress > 0 || next.circuitOpen);
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    const timer = setInterval(check, polling ? POLL_MS : IDLE_POLL_MS);
    const onShow = () => {
      if (document.visibilityState === "visible") void check();
    };
    document.addEventListener("visibilitychange", onShow);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onShow);
    };
  }, [polling, router, lost, fetchLive]);
  return null;
}
