// The rules that read call outcomes as overload or outage, per lane (lib/sync/dispatch.ts).
import { describe, expect, it } from "vitest";
import {
  ANSWER_WINDOW,
  accountAnswering,
  type AnswerWindow,
  failureRateBeforeRun,
  limiterSignal,
  mayDispatch,
  PROBATION_AFTER,
  RECENT_CALLS,
  recordAnswer,
} from "../../lib/sync/dispatch";
import type { CallReport } from "../../lib/sync/transition";

type Called = Extract<CallReport, { op: "register" | "deregister" }>;
const report = (r: Partial<Called>): Called => ({ op: "register", kind: "ok", message: "", url: "http://p/", ...r });

describe("limiterSignal", () => {
  it("shrinks the limit on a 429 and on a timeout, never on a 5xx or a reset answered in the usual time", () => {
    expect(limiterSignal(report({ kind: "transient", httpStatus: 429 }))).toBe("throttled");
    expect(limiterSignal(report({ kind: "transient", reason: "timeout" }))).toBe("congested");
    expect(limiterSignal(report({ kind: "transient", httpStatus: 500 }))).toBe("fault");
    expect(limiterSignal(report({ kind: "transient", httpStatus: 503 }))).toBe("fault");
    expect(limiterSignal(report({ kind: "transient", message: "socket hang up" }))).toBe("fault");
  });

  it("counts every answer that is not transient as the service working (its latency feeds the limiter)", () => {
    expect(limiterSignal(report({ kind: "ok" }))).toBe("success");
    expect(limiterSignal(report({ kind: "owned_by_other_user" }))).toBe("success");
    expect(limiterSignal(report({ kind: "protocol" }))).toBe("success");
  });
});

describe("mayDispatch", () => {
  const lane = { circuitClosed: true, failuresInRow: 0, hasSucceeded: true, inFlight: 3, limit: 4 };

  it("keeps a lane whose service answered well sending after one failure: random faults idle no slot", () => {
    expect(mayDispatch({ ...lane, failuresInRow: 1 })).toBe(true);
  });

  it("puts the lane on probation (one call at a time) after two failures in a row", () => {
    expect(PROBATION_AFTER).toBe(2);
    expect(mayDispatch({ ...lane, failuresInRow: 2 })).toBe(false);
    expect(mayDispatch({ ...lane, failuresInRow: 2, inFlight: 0 })).toBe(true);
  });

  it("puts a lane on probation at its first failure until the service has answered well once", () => {
    expect(mayDispatch({ ...lane, hasSucceeded: false, failuresInRow: 1 })).toBe(false);
    expect(mayDispatch({ ...lane, hasSucceeded: false, failuresInRow: 1, inFlight: 0 })).toBe(true);
  });

  it("never sends with the circuit not closed or at the limit", () => {
    expect(mayDispatch({ ...lane, circuitClosed: false, inFlight: 0 })).toBe(false);
    expect(mayDispatch({ ...lane, inFlight: 4 })).toBe(false);
  });
});

const ok = report({ kind: "ok" });
const fault = report({ kind: "transient", httpStatus: 500 });
/** A lane's window after `calls`, in order. */
const fill = (calls: Called[]): AnswerWindow => {
  const window: AnswerWindow = { answered: [] };
  for (const call of calls) recordAnswer(window, call);
  return window;
};

describe("accountAnswering", () => {

  it("holds with 30 % random faults (14 of the last 20 answered)", () => {
    const calls = Array.from({ length: 40 }, (_, i) => (i % 10 < 3 ? fault : ok));
    expect(accountAnswering(fill(calls))).toBe(true);
  });

  it("needs 10 answered calls: a lane that just began or came back from an outage keeps the long waits", () => {
    expect(ANSWER_WINDOW).toBe(20);
    expect(accountAnswering(fill(Array(9).fill(ok)))).toBe(false);
    expect(accountAnswering(fill(Array(10).fill(ok)))).toBe(true);
  });

  it("looks at the last 20 calls only: a service that starts failing loses it after 11 failures", () => {
    const window = fill(Array(20).fill(ok));
    for (let i = 0; i < 10; i++) recordAnswer(window, fault);
    expect(accountAnswering(window)).toBe(true);
    recordAnswer(window, fault);
    expect(accountAnswering(window)).toBe(false);
  });

  it("remembers the last 100 calls", () => {
    expect(RECENT_CALLS).toBe(100);
    expect(fill(Array(150).fill(ok)).answered).toHaveLength(RECENT_CALLS);
  });

  it("counts timeouts as not answered and leaves 429s out", () => {
    const timeout = report({ kind: "transient", reason: "timeout" });
    const throttled = report({ kind: "transient", httpStatus: 429 });
    expect(fill([timeout, throttled, ok]).answered).toEqual([false, true]);
  });
});

describe("failureRateBeforeRun", () => {
  const flaky = Array.from({ length: 40 }, (_, i) => (i % 10 < 3 ? fault : ok)); // 30 %, ends answered

  it("is the failure share of the calls before the run of failures at the end", () => {
    expect(failureRateBeforeRun(fill(flaky))).toBeCloseTo(0.3);
    expect(failureRateBeforeRun(fill([...flaky, ...Array(9).fill(fault)]))).toBeCloseTo(0.3);
    expect(failureRateBeforeRun(fill([...Array(30).fill(ok), ...Array(8).fill(fault)]))).toBe(0);
  });

  it("has no rate with fewer than 20 calls before the run (a lane that just began or came back)", () => {
    expect(failureRateBeforeRun(fill([...Array(19).fill(ok), fault, fault]))).toBeNull();
    expect(failureRateBeforeRun(fill(Array(30).fill(fault)))).toBeNull();
  });
});
