// Figures from the simulator's call log for the benchmarks (scripts/bench-scale.ts): which calls for
// one MAC were in the service's hands at the same time, and how many calls it held over time.
import type { SimulatorCall } from "../../lib/redirection/simulator";

type Interval = { startedAt: number; at: number };

/**
 * Pairs of calls of one account for one MAC whose [startedAt, at] intervals (epoch ms) overlap:
 * two pushes of the same phone at once. Calls that merely touch (one ends the millisecond the next
 * starts) do not overlap. Calls without a MAC or account are left out.
 */
export function overlappingPairs(calls: Pick<SimulatorCall, "username" | "mac" | "startedAt" | "at">[]): number {
  const byKey = new Map<string, Interval[]>();
  for (const c of calls) {
    if (!c.mac || !c.username) continue;
    const key = `${c.username}\u0000${c.mac}`;
    const list = byKey.get(key) ?? [];
    list.push({ startedAt: c.startedAt, at: c.at });
    byKey.set(key, list);
  }
  let pairs = 0;
  for (const list of byKey.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length && list[j].startedAt < list[i].at; j++) pairs++;
  }
  return pairs;
}

/** Average number of calls in the service's hands in each `bucketMs` slice of [from, to) (epoch ms), one decimal. */
export function inFlightTimeline(calls: Interval[], from: number, to: number, bucketMs: number): number[] {
  const busy = new Array<number>(Math.max(1, Math.ceil((to - from) / bucketMs))).fill(0);
  for (const c of calls) {
    const first = Math.max(0, Math.floor((c.startedAt - from) / bucketMs));
    for (let b = first; b < busy.length; b++) {
      const lo = from + b * bucketMs;
      if (c.at <= lo) break;
      busy[b] += Math.min(lo + bucketMs, c.at) - Math.max(lo, c.startedAt);
    }
  }
  return busy.map((ms) => Math.round((ms / bucketMs) * 10) / 10);
}

/** Most calls in the service's hands at once (a sweep over the intervals' ends). */
export function peakInFlight(calls: Interval[]): number {
  const edges = calls.flatMap((c) => [
    [c.startedAt, 1],
    [c.at, -1],
  ]);
  // An end and a start in the same millisecond do not overlap: ends first.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}
