import { beforeEach, describe, expect, it } from "vitest";
import {
  callVerdict,
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
      recordCallOutcome(hostile, "failed", 1_000);
    }
    expect(delays.slice(0, THROTTLE_AFTER_FAILURES)).toEqual([0, 0, 0, 0]);
    expect(delays.slice(THROTTLE_AFTER_FAILURES, THROTTLE_AFTER_FAILURES + 4)).toEqual([25, 50, 100, 200]);
    expect(Math.max(...delays)).toBe(THROTTLE_MAX_DELAY_MS);
  });

  it("is per account: another organization's endpoint is not slowed", () => {
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, "failed");
    expect(throttleDelayMs(hostile)).toBeGreaterThan(0);
    expect(throttleDelayMs(quiet)).toBe(0);
  });

  it("one good reply, or five quiet minutes, end the streak", () => {
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, "failed", 0);
    expect(throttleDelayMs(hostile, 1)).toBeGreaterThan(0);
    expect(throttleDelayMs(hostile, 5 * 60_000 + 1)).toBe(0);
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, "failed");
    recordCallOutcome(hostile, "ok");
    expect(throttleDelayMs(hostile)).toBe(0);
  });

  it.each([
    ["a reply", "ok", { kind: "ok", raw: { status: 200 } }],
    ["a refusal by the service (owned elsewhere)", "ok", { kind: "owned_by_other_user", raw: { status: 200 } }],
    ["HTTP 503", "failed", { kind: "transient", raw: { status: 503 } }],
    ["a timeout (no status)", "failed", { kind: "transient", raw: {} }],
    ["a garbled reply", "failed", { kind: "protocol", raw: { status: 200 } }],
    ["HTTP 429 (too many at once)", "throttled", { kind: "transient", raw: { status: 429 } }],
  ])("classifies %s as %s", (_name, verdict, result) => {
    expect(callVerdict(result)).toBe(verdict);
  });

  it("a burst of 429s neither starts a streak nor ends one: the limiter answers them, calls never wait for them", () => {
    for (let i = 0; i < 20; i++) recordCallOutcome(quiet, callVerdict({ kind: "transient", raw: { status: 429 } }));
    expect(throttleDelayMs(quiet)).toBe(0);
    for (let i = 0; i < 10; i++) recordCallOutcome(hostile, "failed");
    const before = throttleDelayMs(hostile);
    recordCallOutcome(hostile, "throttled");
    expect(throttleDelayMs(hostile)).toBe(before);
  });
});
