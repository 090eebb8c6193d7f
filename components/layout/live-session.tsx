"use client";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { signInAgainPath } from "@/lib/auth/session-ended";

/** Why the page's live figures stopped: the session ended (401) or the user lost access (403). */
export type LiveLoss = "signed-out" | "forbidden";

type LiveSession = {
  /** Set once a live poll was refused; every poller stops and shows its figures as not current. */
  lost: LiveLoss | null;
  /**
   * fetch() for live polling: the Response, or null when the answer was 401/403 (the loss is then
   * recorded for the whole page and the caller should stop) or when polling had already stopped.
   */
  fetchLive: (url: string, init?: RequestInit) => Promise<Response | null>;
};

const LiveSessionContext = createContext<LiveSession>({
  lost: null,
  fetchLive: (url, init) => fetch(url, init),
});

/**
 * One per portal page (app/(portal)/layout.tsx): the live pollers (LiveRefresh, SyncProgress) fetch
 * through it, so a session that ended while the page was open (signed out in another tab, password
 * reset by an admin, expired) or a lost access is noticed once, said once (LiveSessionNotice) and
 * stops every poll, instead of each poller failing silently every few seconds.
 */
export function LiveSessionProvider({ children }: { children: ReactNode }) {
  const [lost, setLost] = useState<LiveLoss | null>(null);
  const fetchLive = useCallback(
    async (url: string, init?: RequestInit) => {
      if (lost) return null;
      const res = await fetch(url, init);
      if (res.status === 401 || res.status === 403) {
        const loss: LiveLoss = res.status === 401 ? "signed-out" : "forbidden";
        // A 401 says more (sign in again) than a 403 seen first: it wins.
        setLost((prev) => (prev === "signed-out" ? prev : loss));
        return null;
      }
      return res;
    },
    [lost],
  );
  const value = useMemo(() => ({ lost, fetchLive }), [lost, fetchLive]);
  return <LiveSessionContext.Provider value={value}>{children}</LiveSessionContext.Provider>;
}

export function useLiveSession(): LiveSession {
  return useContext(LiveSessionContext);
}

const NOTICES: Record<LiveLoss, string> = {
  "signed-out": "You were signed out. Sign in again to see current status.",
  forbidden: "You no longer have access to this page's live status. Sign in again to see current status.",
};

/**
 * The one notice a page shows when its live polling was refused: what happened and a link to sign
 * in that leads back to this page. Stays at the top of the screen while scrolling (a long phone list
 * at 390 px).
 */
export function LiveSessionNotice() {
  const { lost } = useLiveSession();
  if (!lost) return null;
  const href = signInAgainPath(window.location.pathname + window.location.search);
  return (
    <div
      role="alert"
      className="sticky top-0 z-40 border-b border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <div className="mx-auto max-w-6xl">
        {NOTICES[lost]}{" "}
        <a href={href} className="font-medium underline">
          Sign in again
        </a>
        <span className="block text-xs text-amber-900">
          Statuses and progress on this page are as they were then, not current.
        </span>
      </div>
    </div>
  );
}
