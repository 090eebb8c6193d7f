// Circuit breaker policy of one redirection account (one organization): pure rules, no I/O. The
// state itself lives on the Organization row (circuitOpenedAt, circuitNextProbeAt, circuitLastError,
// circuitProbes) so every worker process and every page agrees; lib/sync/circuit-store.ts writes it.
// See docs/decisions/0009-outage-breaker-limiter.md.

export type BreakerPolicy = {
  /**
   * Transient failures in a row (no success between) that open the circuit of an account that has
   * been answering, default 8. Grows with the account's recent failure rate (`openThreshold`).
   */
  threshold: number;
  /** The most failures in a row ever needed to open, for an account that already failed often (default 16). */
  maxThreshold: number;
  /** Shortest wait before a probe (ms), default 5 s. */
  probeMinMs: number;
  /** Longest wait between probes (ms), default 60 s. */
  probeMaxMs: number;
  /**
   * The wait is the outage's age divided by this (between min and max), default 24: a 2-minute outage
   * is probed every 5 s, a 24-minute one every minute. Calls into a down service stay about 1/24 of
   * its downtime in seconds, and recovery is noticed within about 4 % of the outage's length.
   */
  ageDivisor: number;
  /** A `Retry-After` longer than this is not waited out in full (ms), default 5 minutes. */
  retryAfterMaxMs: number;
};

export const DEFAULT_BREAKER: BreakerPolicy = {
  threshold: 8,
  maxThreshold: 16,
  probeMinMs: 5_000,
  probeMaxMs: 60_000,
  ageDivisor: 24,
  retryAfterMaxMs: 5 * 60_000,
};

/**
 * Delay (ms) before the next probe of a circuit open since `openedAtMs`, at `nowMs`, honouring the
 * service's `Retry-After` (ms) when it asks for longer.
 */
export function nextProbeDelayMs(
  openedAtMs: number,
  nowMs: number,
  policy: BreakerPolicy,
  retryAfterMs?: number,
): number {
  const age = Math.max(0, nowMs - openedAtMs);
  const byAge = Math.min(policy.probeMaxMs, Math.max(policy.probeMinMs, age / policy.ageDivisor));
  const asked = retryAfterMs === undefined ? 0 : Math.min(policy.retryAfterMaxMs, retryAfterMs);
  return Math.round(Math.max(byAge, asked));
}

/** In-memory counter of one lane: transient failures in a row since the last success. */
export type FailureRun = { count: number };

/** How rare (per call) a run of random faults must be before it is taken for an outage. */
export const OUTAGE_RUN_ODDS = 1e-6;

/**
 * Transient failures in a row that open the circuit, given `recentFailureRate` (0..1: the share of
 * the account's calls before this run of failures that failed; null when too few calls were seen):
 * the shortest run that random faults at that rate produce less than once in a million calls
 * (rate^n < 1e-6), between `threshold` and `maxThreshold`. 8 for an account that has been answering
 * (up to 17 % failures), 12 at 30 %, 16 from 42 %. With a fixed 8, a service failing 30 % of its calls
 * at random opened its circuit about once per 15 000 calls (0.3^8), holding its organization's
 * phones for 10 s or more (bench:scale, docs/decisions/0016); a service that answered everything
 * still opens after 8.
 */
export function openThreshold(recentFailureRate: number | null, policy: BreakerPolicy): number {
  const min = policy.threshold;
  const max = Math.max(min, policy.maxThreshold);
  if (recentFailureRate === null || !(recentFailureRate > 0)) return min;
  if (recentFailureRate >= 1) return max;
  const run = Math.ceil(Math.log(OUTAGE_RUN_ODDS) / Math.log(recentFailureRate));
  return Math.max(min, Math.min(max, run));
}

/**
 * Records one call's result; true when this failure makes the run long enough to open the circuit
 * (`threshold` failures in a row, by default the policy's; the worker passes `openThreshold`'s).
 */
export function recordCall(
  run: FailureRun,
  outcome: "success" | "breaker_failure" | "other",
  policy: BreakerPolicy,
  threshold: number = policy.threshold,
): boolean {
  if (outcome === "success") run.count = 0;
  else if (outcome === "breaker_failure") run.count++;
  return outcome === "breaker_failure" && run.count >= threshold;
}
