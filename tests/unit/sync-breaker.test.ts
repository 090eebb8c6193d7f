import { describe, expect, it } from "vitest";
import { DEFAULT_BREAKER, nextProbeDelayMs, recordCall } from "../../lib/sync/breaker";

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
});
