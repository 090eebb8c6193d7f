// Retry timing for transient failures: exponential with full jitter (AWS architecture blog,
// "Exponential Backoff And Jitter"), so phones that failed together do not retry together.

export type BackoffPolicy = {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** Largest delay ceiling. */
  maxMs: number;
  /** Failed attempts after which the phone gives up (`gave_up`) until someone re-queues it. */
  maxAttempts: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 15 * 60_000, maxAttempts: 12 };

/** Delay before the next try after `failedAttempts` (>= 1) failures: uniform in [0, min(max, base * 2^(n-1))]. */
export function backoffDelayMs(failedAttempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(random() * ceiling);
}
