import { describe, expect, it } from "vitest";
import { createAimdLimiter } from "../../lib/sync/limiter";

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

  it("settles near a service's capacity: sawtooth just below and above it, never far under", () => {
    // A service that serves 16 at once and answers 429 beyond: one round = `limit` calls.
    const l = createAimdLimiter({ max: 32 });
    const limits: number[] = [];
    for (let round = 0; round < 200; round++) {
      const n = l.limit;
      const stamps = Array.from({ length: n }, () => l.started());
      stamps.forEach((stamp, i) => (i < 16 ? l.onSuccess(stamp, 50, n - 1) : l.onDrop(stamp)));
      if (round >= 50) limits.push(Math.min(n, 16));
    }
    const served = limits.reduce((a, b) => a + b, 0) / limits.length;
    expect(served).toBeGreaterThan(14);
  });

  it("reset() returns to the ceiling at once (circuit closed: full concurrency)", () => {
    const l = createAimdLimiter({ max: 8 });
    for (let i = 0; i < 5; i++) l.onDrop(l.started());
    l.reset();
    expect(l.limit).toBe(8);
  });
});
