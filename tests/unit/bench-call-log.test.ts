// The figures bench:scale takes from the simulator's call log: double pushes, peak and average in flight.
import { describe, expect, it } from "vitest";
import { inFlightTimeline, overlappingPairs, peakInFlight } from "../../scripts/lib/call-log";

const call = (username: string, mac: string, startedAt: number, at: number) => ({ username, mac, startedAt, at });

describe("overlappingPairs", () => {
  it("counts pairs of one account's calls for one MAC that were in the service's hands at once", () => {
    expect(
      overlappingPairs([
        call("a", "000413000001", 0, 100),
        call("a", "000413000001", 50, 150), // overlaps the first
        call("a", "000413000001", 60, 70), // overlaps both
        call("a", "000413000001", 150, 200), // starts as the second ends: no overlap
        call("b", "000413000001", 10, 90), // another account
        call("a", "000413000002", 10, 90), // another MAC
      ]),
    ).toBe(3);
  });

  it("is 0 for back-to-back retries and ignores calls without a MAC", () => {
    expect(
      overlappingPairs([call("a", "X", 0, 100), call("a", "X", 100, 200), { username: "a", startedAt: 0, at: 500 }]),
    ).toBe(0);
  });
});

describe("peakInFlight and inFlightTimeline", () => {
  it("finds the most calls at once, an end and a start in the same millisecond not overlapping", () => {
    expect(peakInFlight([call("a", "1", 0, 100), call("a", "2", 100, 200), call("a", "3", 50, 150)])).toBe(2);
    expect(peakInFlight([])).toBe(0);
  });

  it("averages the calls in flight per bucket", () => {
    // One call over the whole first bucket, one over half of it and a quarter of the second.
    expect(inFlightTimeline([call("a", "1", 1000, 2000), call("a", "2", 1500, 2250)], 1000, 3000, 1000)).toEqual([
      1.5, 0.3,
    ]);
  });
});
