// An endpoint that keeps failing is called less and less often. Without this, a broken or hostile
// custom endpoint fails fast, and one organization's worker lane turns hundreds of failures a second
// into database writes on the process every organization's pages share (bench:hostile: /phones p95
// x9 against a plain HTTP 500 endpoint). The worker's own backoff is per phone; this is per account.
//
// Keyed by account (endpoint URL + username), i.e. per organization: one organization's failing
// endpoint never slows another's calls. In memory, per process; bounded in size.
// No "server-only": the worker script loads this through tsx.

/** Consecutive failures before calls to the account start to wait. */
export const THROTTLE_AFTER_FAILURES = 4;
/** Longest wait before a call to a failing account (ms). */
export const THROTTLE_MAX_DELAY_MS = 2_000;
const FIRST_DELAY_MS = 25;
/** A streak older than this is forgotten (the endpoint may have been fixed meanwhile). */
const STREAK_TTL_MS = 5 * 60_000;
const MAX_TRACKED = 10_000;

type Streak = { failures: number; lastAt: number };
const streaks = new Map<string, Streak>();

export function throttleKey(account: { url: string; username: string }): string {
  return `${account.url}\u0000${account.username}`;
}

/** How long the next call to this account waits first: 0 until THROTTLE_AFTER_FAILURES, then doubling to the cap. */
export function throttleDelayMs(key: string, now = Date.now()): number {
  const streak = streaks.get(key);
  if (!streak) return 0;
  if (now - streak.lastAt > STREAK_TTL_MS) {
    streaks.delete(key);
    return 0;
  }
  const over = streak.failures - THROTTLE_AFTER_FAILURES;
  if (over < 0) return 0;
  return Math.min(THROTTLE_MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(over, 16));
}

/**
 * What a finished call means for the account's streak: `failed` for transient and protocol failures
 * (no usable reply), `throttled` for an HTTP 429, `ok` for anything else.
 *
 * A 429 comes from a service that is up and answering quickly: it asks for fewer calls at once, which
 * is the sync worker's limiter's business (lib/sync/limiter.ts, and its breaker once the limit is 1).
 * Counting it here made every call after a burst of 429s wait up to THROTTLE_MAX_DELAY_MS while
 * holding its slot (bench:sync with a capacity: 15 s of waits in the first 200 ms), so it neither
 * starts nor ends a streak.
 */
export type CallVerdict = "ok" | "failed" | "throttled";

export function callVerdict(result: { kind: string; raw: { status?: number } }): CallVerdict {
  if (result.kind !== "transient" && result.kind !== "protocol") return "ok";
  return result.kind === "transient" && result.raw.status === 429 ? "throttled" : "failed";
}

/** A call to the account ended (see callVerdict). */
export function recordCallOutcome(key: string, verdict: CallVerdict, now = Date.now()): void {
  if (verdict === "throttled") return;
  if (verdict === "ok") {
    streaks.delete(key);
    return;
  }
  const streak = streaks.get(key);
  if (streak) {
    streak.failures++;
    streak.lastAt = now;
    return;
  }
  if (streaks.size >= MAX_TRACKED) streaks.delete(streaks.keys().next().value!);
  streaks.set(key, { failures: 1, lastAt: now });
}

/** Forget every streak (tests). */
export function resetFailureThrottle(): void {
  streaks.clear();
}
