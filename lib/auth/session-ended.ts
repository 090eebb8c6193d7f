// Shared by the server (action wrapper, sign-in page) and the browser (live polling, forms): no
// server-only imports here.
import { safeCallbackPath } from "./callback";

/** The sign-in page's `reason` for a session that ended while a page was open (fixed list there). */
export const SESSION_ENDED_REASON = "session-ended";

/** What a form action answers, in its `data`, when it was called without a valid session. */
export const SESSION_ENDED_FLAG = "sessionEnded";

/** The plain-text form of the message (forms render it with a sign-in link: SessionEndedAlert). */
export const SESSION_ENDED_MESSAGE =
  "Your session ended — nothing was saved. Sign in again, then press the button again.";

/**
 * `/login?reason=session-ended&callbackUrl=<path>`: the sign-in page that explains why and leads
 * back to `path` (a path of this site, e.g. `location.pathname + location.search`; the sign-in page
 * checks it again with safeCallbackPath, so a foreign URL can never become the destination).
 */
export function signInAgainPath(path: string): string {
  const safe = safeCallbackPath(path);
  const back = safe.startsWith("/login") ? "/" : safe;
  const params = new URLSearchParams({ reason: SESSION_ENDED_REASON });
  if (back !== "/") params.set("callbackUrl", back);
  return `/login?${params}`;
}
