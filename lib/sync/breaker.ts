// Circuit breaker policy of one redirection account (one organization): pure rules, no I/O. The
// state itself lives on the Organization row (circuitOpenedAt, circuitNextProbeAt, circuitLastError,
// circuitProbes) so every worker process and every page agrees; lib/sync/circuit-store.ts writes it.
// See docs/decisions/0009-outage-breaker-limiter.md.

export type BreakerPolicy = {
  /** Transient failures in a row (no success between) that open the circuit, default 8. */
  threshold: number;
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

/** Records one call's result; true when this failure makes the run long enough to open the circuit. */
export function recordCall(
  run: FailureRun,
  outcome: "success" | "breaker_failure" | "other",
  policy: BreakerPolicy,
): boolean {
  if (outcome === "success") run.count = 0;
  else if (outcome === "breaker_failure") run.count++;
  return outcome === "breaker_failure" && run.count >= policy.threshold;
}
