// Adaptive concurrency per redirection account: AIMD (additive increase, multiplicative decrease),
// the simplest of the limiters in Netflix's concurrency-limits. No maintained Node implementation of
// those exists on npm (p-limit and friends are fixed limits; opossum and cockatiel are breakers and
// bulkheads), so this is a small pure module, tested in tests/unit/sync-limiter.test.ts.
//
// Rules: the limit grows by 1/limit per success that came back while the limit was in use (about +1
// per round of calls) as long as latency stays flat. It shrinks two ways:
// - A 429 ("too many at once") takes exactly one off: the service refused one call beyond what it
//   serves at that moment, so a burst of k refusals takes k off (32 sent to a service that serves
//   16: 16 refused, limit 16 at once) and a lone refusal at the top of the sawtooth only one. The
//   limit so settles at the level where the service just starts refusing, which is what keeps all its
//   slots busy: the calls in transit (sent, or answered but not yet read) hold no slot there.
//   x0.9 per 429 instead left the limit 10 % under that level after every refusal (bench:sync 1.25).
// - A timeout or latency growth (the short-term latency, an EWMA over ~10
//   calls, above `latencyTolerance` x the long-term one, an EWMA over ~200 calls: a machine that is
//   slow all along is not congestion) multiplies it by `backoffRatio` (0.9, Netflix's AIMD default),
//   at most once per round: calls started before the last decrease do not decrease it again, so one
//   burst of timeouts shrinks the limit once, not once per reply. A 5xx or a reset answered in the
//   usual time is not congestion: the worker leaves those to the breaker (random faults otherwise
//   keep the limit low on a healthy service, docs/decisions/0016).
// - Latency that stays high through `relearnAfter` decreases in a row is the service's new pace, not
//   queueing caused by our calls (fewer calls did not make it faster): the long-term average takes the
//   short-term one and the limit grows back. Without this, a service that turned from 40 ms to
//   1.5 s per call held the lane at 1 call for minutes while the ~200-call average caught up (an
//   operator's walkthrough: 8x slower sync long after the service was steady again).

export type AimdPolicy = {
  /** Ceiling (SYNC_CONCURRENCY): the limit never exceeds it. */
  max: number;
  /** Floor, default 1. */
  min: number;
  /** Factor applied on a timeout or latency growth (not on a 429), default 0.9. */
  backoffRatio: number;
  /** Short-term latency above this multiple of the long-term one counts as congestion, default 2. */
  latencyTolerance: number;
  /** Latencies below this never count as congestion (ms), default 20: noise on a fast service. */
  latencyFloorMs: number;
  /**
   * Decreases for latency in a row (one per round, no success at the usual latency between) after
   * which the latency is taken for the service's new pace: the long-term average is set to the
   * short-term one. Default 5 (the limit at 0.9^5, about 60 %, did not bring latency down).
   */
  relearnAfter: number;
};

export type AimdLimiter = {
  /** Calls allowed in flight now (integer, min..max). */
  readonly limit: number;
  /** Stamp to pass back with the call's outcome (when it started). */
  started(): number;
  /** A call that started at `stamp` succeeded after `latencyMs`; `inFlight` counts calls still running. */
  onSuccess(stamp: number, latencyMs: number, inFlight: number): void;
  /** A call that started at `stamp` timed out: x backoffRatio, once per round. */
  onDrop(stamp: number): void;
  /** A call was refused with HTTP 429 (one call more than the service serves at once): one off the limit. */
  onThrottled(): void;
  /** Back to the ceiling (after a circuit closes: the service is healthy again). */
  reset(): void;
};

export const DEFAULT_AIMD: Omit<AimdPolicy, "max"> = {
  min: 1,
  backoffRatio: 0.9,
  latencyTolerance: 2,
  latencyFloorMs: 20,
  relearnAfter: 5,
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
  /** Decreases for latency since the latency was last within tolerance. */
  let latencyDecreases = 0;

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
        const before = lastDecreaseSeq;
        decrease(stamp);
        if (lastDecreaseSeq !== before && ++latencyDecreases >= p.relearnAfter) {
          longMs = shortMs;
          latencyDecreases = 0;
        }
        return;
      }
      latencyDecreases = 0;
      // Grow only when the limit is what held calls back (a half-used limit proves nothing), and only
      // from calls sent under the current limit (those sent before a decrease prove nothing either).
      if (stamp > lastDecreaseSeq && inFlight + 1 >= Math.floor(limit))
        limit = Math.min(max, limit + 1 / Math.max(1, limit));
    },
    onDrop(stamp) {
      decrease(stamp);
    },
    onThrottled() {
      limit = Math.max(min, limit - 1);
    },
    reset() {
      limit = max;
      lastDecreaseSeq = seq;
    },
  };
}
