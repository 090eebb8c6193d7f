import { describe, expect, it } from "vitest";
import { DEFAULT_BREAKER, nextProbeDelayMs, openThreshold, recordCall } from "../../lib/sync/breaker";

describe("circuit breaker policy", () => {
  it("opens after `threshold` transient failures in a row; a success in between starts the count again", () => {
    const run = { count: 0 };
    const policy = { ...DEFAULT_BREAKER, threshold: 3 };
    expect(recordCall(run, "breaker_failure", policy)).toBe(false);
    expect(recordCall(run, "breaker_failure", policy)).toBe(false);
    expect(recordCall(run, "success", policy)).toBe(false);
    expect(recordCall(run, "breaker_failure", policy)).toBe(false);
    expect(recordCall(run, "other", policy)).toBe(false);
    expect(recordCall(run, "breaker_failure", policy)).toBe(false);
    expect(recordCall(run, "breaker_failure", policy)).toBe(true);
  });

  it.each([
    [0, 5_000],
    [60_000, 5_000],
    [120_000, 5_000],
    [240_000, 10_000],
    [24 * 60_000, 60_000],
    [5 * 60 * 60_000, 60_000],
  ])("probes an outage of %i ms again after %i ms (age / 24, between 5 s and 1 min)", (age, delay) => {
    expect(nextProbeDelayMs(0, age, DEFAULT_BREAKER)).toBe(delay);
  });

  it("honours a longer Retry-After, capped at 5 minutes; a shorter one does not hurry the probe", () => {
    expect(nextProbeDelayMs(0, 1_000, DEFAULT_BREAKER, 30_000)).toBe(30_000);
    expect(nextProbeDelayMs(0, 1_000, DEFAULT_BREAKER, 2 * 60 * 60_000)).toBe(5 * 60_000);
    expect(nextProbeDelayMs(0, 1_000, DEFAULT_BREAKER, 1_000)).toBe(5_000);
  });

  it("opens after more failures in a row for an account that already failed often: a run random faults make less than once in a million calls", () => {
    const rates: [number | null, number][] = [
      [null, 8],
      [0, 8],
      [0.1, 8],
      [0.17, 8],
      [0.2, 9],
      [0.3, 12],
      [0.42, 16],
      [0.9, 16],
      [1, 16],
    ];
    for (const [rate, threshold] of rates) expect([rate, openThreshold(rate, DEFAULT_BREAKER)]).toEqual([rate, threshold]);
    // bench:scale's service fails 30 % of calls at random: 8 in a row came once per ~15 000 calls, 12 once per ~1.9 million.
    expect(0.3 ** 8).toBeGreaterThan(1 / 20_000);
    expect(0.3 ** 12).toBeLessThan(1e-6);
  });

  it("counts a run against the threshold it is given", () => {
    const run = { count: 0 };
    for (let i = 0; i < 11; i++) expect(recordCall(run, "breaker_failure", DEFAULT_BREAKER, 12)).toBe(false);
    expect(recordCall(run, "breaker_failure", DEFAULT_BREAKER, 12)).toBe(true);
  });
});
