import { beforeEach, describe, expect, it } from "vitest";
import {
  recordCallOutcome,
  resetFailureThrottle,
  THROTTLE_AFTER_FAILURES,
  THROTTLE_MAX_DELAY_MS,
  throttleDelayMs,
  throttleKey,
} from "@/lib/redirection/failure-throttle";

const hostile = throttleKey({ url: "https://hostile.example/xmlrpc/", username: "org-h" });
const quiet = throttleKey({ url: "https://secure-provisioning.snom.com:8083/xmlrpc/", username: "org-a" });

beforeEach(() => resetFailureThrottle());

describe("failure throttle", () => {
  it("lets the first failures through, then waits longer and longer, up to the cap", () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      delays.push(throttleDelayMs(hostile, 1_000));
      recordCallOutcome(hostile, true, 1_000);
    }
    expect(delays.slice(0, THROTTLE_AFTER_FAILURES)).toEqual([0, 0, 0, 0]);
    expect(delays.slice(THROTTLE_AFTER_FAILURES, THROTTLE_AFTER_FAILURES + 4)).toEqual([25, 50, 100, 200]);
    expect(Math.max(...delays)).toBe(THROTTLE_MAX_DELAY_MS);
  });

  it("is per account: another organization's endpoint is not slowed", () => {
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, true);
    expect(throttleDelayMs(hostile)).toBeGreaterThan(0);
    expect(throttleDelayMs(quiet)).toBe(0);
  });

  it("one good reply, or five quiet minutes, end the streak", () => {
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, true, 0);
    expect(throttleDelayMs(hostile, 1)).toBeGreaterThan(0);
    expect(throttleDelayMs(hostile, 5 * 60_000 + 1)).toBe(0);
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, true);
    recordCallOutcome(hostile, false);
    expect(throttleDelayMs(hostile)).toBe(0);
  });
});
