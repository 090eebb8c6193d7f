// Adaptive concurrency per redirection account: AIMD (additive increase, multiplicative decrease),
// the simplest of the limiters in Netflix's concurrency-limits. No maintained Node implementation of
// those exists on npm (p-limit and friends are fixed limits; opossum and cockatiel are breakers and
// bulkheads), so this is a small pure module, tested in tests/unit/sync-limiter.test.ts.
//
// Rules: the limit grows by 1/limit per success that came back while the limit was in use (about +1
// per round of calls) as long as latency stays flat; it shrinks by `backoffRatio` (0.9, Netflix's
// AIMD default: a sawtooth close to the service's capacity) on a drop (429, timeout, 5xx, reset) or
// when the short-term latency (EWMA over ~10 calls) exceeds `latencyTolerance` x the long-term one
// (EWMA over ~200 calls: a machine that is slow all along is not congestion), at most
// once per round: calls started before the last decrease do not decrease it again, so one burst of
// 429s halves the limit once, not once per reply.

export type AimdPolicy = {
  /** Ceiling (SYNC_CONCURRENCY): the limit never exceeds it. */
  max: number;
  /** Floor, default 1. */
  min: number;
  /** Factor applied on a drop, default 0.9. */
  backoffRatio: number;
  /** Short-term latency above this multiple of the long-term one counts as congestion, default 2. */
  latencyTolerance: number;
  /** Latencies below this never count as congestion (ms), default 20: noise on a fast service. */
  latencyFloorMs: number;
};

export type AimdLimiter = {
  /** Calls allowed in flight now (integer, min..max). */
  readonly limit: number;
  /** Stamp to pass back with the call's outcome (when it started). */
  started(): number;
  /** A call that started at `stamp` succeeded after `latencyMs`; `inFlight` counts calls still running. */
  onSuccess(stamp: number, latencyMs: number, inFlight: number): void;
  /** A call that started at `stamp` was refused or timed out (429, 5xx, timeout, reset). */
  onDrop(stamp: number): void;
  /** Back to the ceiling (after a circuit closes: the service is healthy again). */
  reset(): void;
};

export const DEFAULT_AIMD: Omit<AimdPolicy, "max"> = {
  min: 1,
  backoffRatio: 0.9,
  latencyTolerance: 2,
  latencyFloorMs: 20,
};

export function createAimdLimiter(policy: Partial<AimdPolicy> & { max: number }): AimdLimiter {
  const p: AimdPolicy = { ...DEFAULT_AIMD, ...policy };
  const max = Math.max(1, Math.floor(p.max));
  const min = Math.max(1, Math.min(max, Math.floor(p.min)));
  let limit = max;
  let seq = 0;
  let lastDecreaseSeq = -1;
  /** Long-term average latency (EWMA over about 200 successes). */
  let longMs: number | null = null;
  /** Short-term average latency (EWMA over about the last 10 successes). */
  let shortMs: number | null = null;

  function decrease(stamp: number): void {
    if (stamp <= lastDecreaseSeq) return;
    limit = Math.max(min, limit * p.backoffRatio);
    lastDecreaseSeq = seq;
  }

  return {
    get limit() {
      return Math.max(min, Math.min(max, Math.floor(limit)));
    },
    started() {
      return ++seq;
    },
    onSuccess(stamp, latencyMs, inFlight) {
      longMs = longMs === null ? latencyMs : longMs * 0.995 + latencyMs * 0.005;
      shortMs = shortMs === null ? latencyMs : shortMs * 0.9 + latencyMs * 0.1;
      if (shortMs > Math.max(p.latencyFloorMs, longMs * p.latencyTolerance)) {
        decrease(stamp);
        return;
      }
      // Grow only when the limit is what held calls back (a half-used limit proves nothing), and only
      // from calls sent under the current limit (those sent before a decrease prove nothing either).
      if (stamp > lastDecreaseSeq && inFlight + 1 >= Math.floor(limit))
        limit = Math.min(max, limit + 1 / Math.max(1, limit));
    },
    onDrop(stamp) {
      decrease(stamp);
    },
    reset() {
      limit = max;
      lastDecreaseSeq = seq;
    },
  };
}
