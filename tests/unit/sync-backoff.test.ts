import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_BACKOFF } from "../../lib/sync/backoff";

describe("backoffDelayMs", () => {
  const policy = { baseMs: 2_000, maxMs: 15 * 60_000, answeringMaxMs: 5_000, maxAttempts: 12 };

  it("doubles the ceiling per failed attempt, from the base", () => {
    const top = () => 1;
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, top))).toEqual([2_000, 4_000, 8_000, 16_000]);
  });

  it("caps the ceiling at maxMs, also for absurd attempt counts", () => {
    expect(backoffDelayMs(10, policy, () => 1)).toBe(15 * 60_000);
    expect(backoffDelayMs(10_000, policy, () => 1)).toBe(15 * 60_000);
  });

  it("spreads retries uniformly below the ceiling (full jitter)", () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.25)).toBe(2_000);
    const samples = Array.from({ length: 200 }, () => backoffDelayMs(5, policy));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(32_000);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });

  it("caps the ceiling at answeringMaxMs while the account answers, never above maxMs", () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 7, 11].map((n) => backoffDelayMs(n, policy, top, true))).toEqual([
      2_000, 4_000, 5_000, 5_000, 5_000, 5_000,
    ]);
    // the 7th wait of bench:scale's slowest phone: up to 128 s while its account failed, 5 s while it answered
    expect(backoffDelayMs(7, policy, top, false)).toBe(128_000);
    expect(backoffDelayMs(7, { ...policy, maxMs: 3_000 }, top, true)).toBe(3_000);
  });

  it("defaults to 2 s base, 15 min cap (5 s while the account answers), 12 attempts", () => {
    expect(DEFAULT_BACKOFF).toEqual(policy);
  });
});
