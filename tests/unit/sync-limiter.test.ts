import { describe, expect, it } from "vitest";
import { createAimdLimiter, type AimdLimiter } from "../../lib/sync/limiter";

describe("AIMD concurrency limiter", () => {
  it("starts at the ceiling and never leaves [1, ceiling]", () => {
    const l = createAimdLimiter({ max: 8 });
    expect(l.limit).toBe(8);
    for (let i = 0; i < 50; i++) l.onDrop(l.started());
    expect(l.limit).toBe(1);
    for (let i = 0; i < 500; i++) l.onSuccess(l.started(), 50, l.limit);
    expect(l.limit).toBe(8);
  });

  it("shrinks once (x 0.9) for a burst of drops from one round, not once per reply", () => {
    const l = createAimdLimiter({ max: 32 });
    const round = Array.from({ length: 16 }, () => l.started());
    for (const stamp of round) l.onDrop(stamp);
    expect(l.limit).toBe(28);
    l.onDrop(l.started());
    expect(l.limit).toBe(25);
  });

  it("grows by about one per round while latency stays flat and the limit is in use", () => {
    const l = createAimdLimiter({ max: 32, backoffRatio: 0.5 });
    l.onDrop(l.started());
    l.onDrop(l.started());
    expect(l.limit).toBe(8);
    for (let i = 0; i < 7; i++) l.onSuccess(l.started(), 50, 7);
    expect(l.limit).toBe(8);
    for (let i = 0; i < 2; i++) l.onSuccess(l.started(), 50, 7);
    expect(l.limit).toBe(9);
  });

  it("does not grow when calls leave the limit unused", () => {
    const l = createAimdLimiter({ max: 32, backoffRatio: 0.5 });
    l.onDrop(l.started());
    for (let i = 0; i < 100; i++) l.onSuccess(l.started(), 50, 0);
    expect(l.limit).toBe(16);
  });

  it("shrinks when the recent latency grows well beyond the long-term one (a slowing service), not for one slow call", () => {
    const l = createAimdLimiter({ max: 8 });
    for (let i = 0; i < 50; i++) l.onSuccess(l.started(), 50, 7);
    l.onSuccess(l.started(), 200, 7);
    expect(l.limit).toBe(8);
    for (let i = 0; i < 10; i++) l.onSuccess(l.started(), 400, 7);
    expect(l.limit).toBeLessThan(8);
  });

  it("takes latency that stays high while the limit shrinks for the service's new pace, and grows back", () => {
    // A lane at 8 calls of 40 ms; the service turns to 1.5 s per call for good. One round = `limit` calls.
    const l = createAimdLimiter({ max: 8 });
    const round = (latencyMs: number) => {
      const n = l.limit;
      const stamps = Array.from({ length: n }, () => l.started());
      for (const stamp of stamps) l.onSuccess(stamp, latencyMs, n - 1);
      return n;
    };
    for (let i = 0; i < 100; i++) round(40);
    expect(l.limit).toBe(8);
    const limits = Array.from({ length: 30 }, () => round(1_500));
    // Five rounds of decreases (8 -> 4), then the new pace is learnt and the lane is back at 8 within
    // about one round per step. The long-term average alone (about 200 calls) kept it at 1 for 100+ rounds.
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(4);
    expect(limits.slice(-10).every((n) => n === 8)).toBe(true);
    // A slowdown that our calls cause still shrinks the limit: latency grows again beyond 2x the new pace.
    for (let i = 0; i < 5; i++) round(4_000);
    expect(l.limit).toBeLessThan(8);
  });

  it("settles at a service's capacity: every round after the first is served in full, one call refused at the top", () => {
    // A service that serves 16 at once and answers 429 beyond: one round = `limit` calls.
    const l = createAimdLimiter({ max: 32 });
    const served: number[] = [];
    const refused: number[] = [];
    for (let round = 0; round < 200; round++) {
      const n = l.limit;
      const stamps = Array.from({ length: n }, () => l.started());
      stamps.forEach((stamp, i) => (i < 16 ? l.onSuccess(stamp, 50, n - 1) : l.onThrottled()));
      served.push(Math.min(n, 16));
      refused.push(Math.max(0, n - 16));
    }
    // x0.9 per 429 (the rule before) left rounds of 15 after each refusal: 15.4 served on average.
    expect(served.slice(1).every((n) => n === 16)).toBe(true);
    expect(Math.max(...refused.slice(1))).toBe(1);
    expect(refused[0]).toBe(16);
  });

  it("reset() returns to the ceiling at once (circuit closed: full concurrency)", () => {
    const l = createAimdLimiter({ max: 8 });
    for (let i = 0; i < 5; i++) l.onDrop(l.started());
    l.reset();
    expect(l.limit).toBe(8);
  });
});

type Step =
  /** `n` calls refused with 429. */
  | { throttled: number }
  /** `n` calls of one round (all started before the first reply) failed: timeout, 5xx, reset. */
  | { failedRound: number }
  /** `n` successes at 50 ms, each with the limit in use. */
  | { ok: number };

function play(l: AimdLimiter, steps: Step[]): number {
  for (const step of steps) {
    if ("throttled" in step) for (let i = 0; i < step.throttled; i++) l.onThrottled();
    if ("failedRound" in step) {
      const stamps = Array.from({ length: step.failedRound }, () => l.started());
      for (const stamp of stamps) l.onDrop(stamp);
    }
    if ("ok" in step) for (let i = 0; i < step.ok; i++) l.onSuccess(l.started(), 50, l.limit - 1);
  }
  return l.limit;
}

describe("AIMD limiter: 429 takes one off per refused call, failures x0.9 per round", () => {
  const TABLE: [string, number, Step[], number][] = [
    ["16 of 32 refused at once (a service that serves 16): 16 at once", 32, [{ throttled: 16 }], 16],
    ["one refusal at the top of the sawtooth: one off, not 10 %", 20, [{ throttled: 1 }], 19],
    ["refusals never take it below 1", 8, [{ throttled: 20 }], 1],
    ["a round of 16 timeouts: x0.9 once", 32, [{ failedRound: 16 }], 28],
    ["timeouts in two rounds: x0.9 twice", 32, [{ failedRound: 4 }, { failedRound: 4 }], 25],
    ["429s do not use up a round: a timeout after them still shrinks", 32, [{ throttled: 2 }, { failedRound: 1 }], 27],
    ["after a refusal it grows back by one per round of successes", 32, [{ throttled: 16 }, { ok: 17 }], 17],
    ["refused at 17 after growing back: 16 again", 32, [{ throttled: 16 }, { ok: 17 }, { throttled: 1 }], 16],
  ];
  it.each(TABLE)("%s", (_name, max, steps, expected) => {
    expect(play(createAimdLimiter({ max }), steps)).toBe(expected);
  });
});
