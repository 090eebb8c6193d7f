// Retry timing for transient failures: exponential with full jitter (AWS architecture blog,
// "Exponential Backoff And Jitter"), so phones that failed together do not retry together.
// Why the ceiling is lower while the account answers: docs/decisions/0016 (issue 14, point 6).

export type BackoffPolicy = {
  /** Ceiling of the first retry's delay (ms). */
  baseMs: number;
  /** Largest delay ceiling (ms) while the account is failing as a whole. */
  maxMs: number;
  /**
   * Largest delay ceiling (ms) while the account answers (most of its recent calls succeeded,
   * dispatch.ts `accountAnswering`): a phone failing among successes meets the service's random
   * faults, not an outage, and waiting minutes for it only delays that phone. Outages are spared by
   * the breaker and the limiter, not by this wait.
   */
  answeringMaxMs: number;
  /** Failed attempts after which the phone gives up (`gave_up`) until someone re-queues it. */
  maxAttempts: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 2_000,
  maxMs: 15 * 60_000,
  answeringMaxMs: 5_000,
  maxAttempts: 12,
};

/**
 * Delay (ms) before the next try after `failedAttempts` (>= 1) failures: uniform in
 * [0, min(cap, base * 2^(n-1))], where cap is `maxMs`, or the smaller of `maxMs` and
 * `answeringMaxMs` when `accountAnswering`. `random` returns [0, 1) (tests pass a fixed one).
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
  accountAnswering = false,
): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  const cap = accountAnswering ? Math.min(policy.maxMs, policy.answeringMaxMs) : policy.maxMs;
  const ceiling = Math.min(cap, policy.baseMs * 2 ** exponent);
  return Math.round(random() * ceiling);
}
