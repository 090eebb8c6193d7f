"use client";
import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
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

/** While the session is lost: how often to ask whether it is back (one request, none while hidden). */
const RECHECK_MS = 8_000;

/**
 * Whether the browser's session is valid again, and whose: "none" (still signed out, or the session
 * is refused: revoked, password reset, password change pending), "same" (`userId` again) or "other"
 * (another account signed in in another tab). next-auth's /api/auth/session only reads the cookie, so
 * a "same" is confirmed by /api/sync-status, which also checks the session row (decision 0006).
 */
async function sessionNow(userId: string): Promise<"none" | "same" | "other"> {
  const res = await fetch("/api/auth/session", { cache: "no-store" });
  if (!res.ok) return "none";
  const session = (await res.json()) as { uid?: unknown };
  if (typeof session.uid !== "string") return "none";
  if (session.uid !== userId) return "other";
  const live = await fetch("/api/sync-status", { cache: "no-store" });
  return live.ok ? "same" : "none";
}

/**
 * One per portal page (app/(portal)/layout.tsx): the live pollers (LiveRefresh, SyncProgress) fetch
 * through it, so a session that ended while the page was open (signed out in another tab, password
 * reset by an admin, expired) or a lost access is noticed once, said once (LiveSessionNotice) and
 * stops every poll, instead of each poller failing silently every few seconds.
 *
 * The page recovers by itself: while lost, it asks every RECHECK_MS (and when the tab is shown or
 * focused again; never while hidden) whether the session is back (sessionNow); a fresh server render
 * of the layout (`renderedAt` changes: an action or a refresh passed requireUser) proves it too. Back
 * as `userId`: the notice goes, every poll resumes and the page refreshes once. Back as another
 * account: the whole page is left for the dashboard, so the next person never sees this user's data.
 */
export function LiveSessionProvider({
  userId,
  renderedAt,
  children,
}: {
  /** The user the page was rendered for. */
  userId: string;
  /** When the server rendered the layout (ms since epoch): any new value is a render that passed requireUser. */
  renderedAt: number;
  children: ReactNode;
}) {
  const router = useRouter();
  const [lost, setLost] = useState<LiveLoss | null>(null);
  const [seenRender, setSeenRender] = useState(renderedAt);
  if (renderedAt !== seenRender) {
    setSeenRender(renderedAt);
    if (lost) setLost(null);
  }
  const pageUser = useRef(userId);
  useEffect(() => {
    // A render for another account (signed in in another tab, then an action or refresh here).
    if (userId !== pageUser.current) window.location.replace("/");
  }, [userId]);

  useEffect(() => {
    if (!lost) return;
    let stopped = false;
    let busy = false;
    const check = async () => {
      if (stopped || busy || document.visibilityState === "hidden") return;
      busy = true;
      try {
        const now = await sessionNow(pageUser.current);
        if (stopped) return;
        if (now === "other") window.location.replace("/");
        else if (now === "same") {
          setLost(null);
          router.refresh();
        }
      } catch {
        // Offline for a moment: the next check tries again.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(check, RECHECK_MS);
    const onShow = () => void check();
    document.addEventListener("visibilitychange", onShow);
    window.addEventListener("focus", onShow);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onShow);
      window.removeEventListener("focus", onShow);
    };
  }, [lost, router]);

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
 * in that leads back to this page. In the normal flow under the header, not sticky: at 390 px a
 * sticky bar covered the top of a form's own "session ended" message; the progress figures and the
 * forms say it where the user is looking.
 */
export function LiveSessionNotice() {
  const { lost } = useLiveSession();
  if (!lost) return null;
  const href = signInAgainPath(window.location.pathname + window.location.search);
  return (
    <div
      role="alert"
      className="border-b border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
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
