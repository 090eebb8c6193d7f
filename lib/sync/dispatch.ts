// The two rules that read a call's outcome as a sign of overload or of an outage, per lane
// (organization): what the adaptive limit hears (limiter.ts) and when a lane goes on probation. Pure;
// the worker (worker.ts) applies them. Why these and not stricter ones: docs/decisions/0016.
// No "server-only": the worker script loads it through tsx.
import type { CallReport } from "./transition";

/** Transient failures in a row that put a lane whose service has answered well on probation. */
export const PROBATION_AFTER = 2;

/**
 * What a finished register/deregister call tells the lane's limiter:
 * - `throttled`: HTTP 429, one call more than the service serves at once (one off the limit);
 * - `congested`: a timeout (x0.9, once per round); latency growth is judged by the limiter itself
 *   from the latencies of `success` calls;
 * - `success`: the service answered (any non-transient outcome, also a refusal or a protocol error);
 * - `fault`: a 5xx or a reset answered in the usual time. Not overload (issue 10 names 429, latency
 *   and timeouts): only the breaker counts it. Shrinking on every fault held a lane with 30 % random
 *   faults near 70 % of its slots (bench:scale).
 */
export function limiterSignal(
  report: Extract<CallReport, { op: "register" | "deregister" }>,
): "throttled" | "congested" | "success" | "fault" {
  if (report.kind !== "transient") return "success";
  if (report.httpStatus === 429) return "throttled";
  if (report.reason === "timeout") return "congested";
  return "fault";
}

/**
 * Whether a lane may start one more call. Never with its circuit not closed or at its limit. On
 * probation (enough transient failures in a row), only when nothing else is in flight: a service that
 * just went down gets the calls already running and at most one more, no new ones while the breaker
 * counts. Probation starts after the first failure until the service has answered well once (since
 * the lane began or its circuit closed), after PROBATION_AFTER failures in a row from then on: one
 * failure between successes is what random faults on a healthy service look like (at 30 %, two in a
 * row follow one call in eleven).
 */
export function mayDispatch(lane: {
  circuitClosed: boolean;
  failuresInRow: number;
  hasSucceeded: boolean;
  inFlight: number;
  limit: number;
}): boolean {
  if (!lane.circuitClosed) return false;
  const probationAfter = lane.hasSucceeded ? PROBATION_AFTER : 1;
  if (lane.failuresInRow >= probationAfter && lane.inFlight > 0) return false;
  return lane.inFlight < lane.limit;
}

/** How many of a lane's latest calls `accountAnswering` looks at. */
export const ANSWER_WINDOW = 20;

/** How many of a lane's latest calls it remembers (`failureRateBeforeRun` looks at all of them). */
export const RECENT_CALLS = 100;

/** Fewest calls before a run of failures that give `failureRateBeforeRun` a rate. */
export const MIN_CALLS_FOR_RATE = 20;

/** A lane's latest register/deregister calls, oldest first: true = answered (not a transient failure). */
export type AnswerWindow = { answered: boolean[] };

/**
 * Remembers one finished call of the lane (the latest RECENT_CALLS). A 429 is not recorded (the
 * limiter's business: the service answered, but only to say "fewer at once").
 */
export function recordAnswer(
  window: AnswerWindow,
  report: Extract<CallReport, { op: "register" | "deregister" }>,
): void {
  const signal = limiterSignal(report);
  if (signal === "throttled") return;
  window.answered.push(signal === "success");
  if (window.answered.length > RECENT_CALLS) window.answered.shift();
}

/**
 * Whether the account is answering: at least half of its last `ANSWER_WINDOW` calls (10 of 20)
 * were answered. Then a phone's transient failure is taken for a random fault of a working service
 * and its retry waits at most `BackoffPolicy.answeringMaxMs` (backoff.ts): with 30 % random faults
 * 10 000 phones otherwise finish minutes late for the few that fail 6 or 7 times in a row and draw
 * a wait of up to 128 s (bench:scale, docs/decisions/0016). A lane with fewer than 10 answered calls
 * (just started, or after an outage) keeps the full exponential ceiling.
 */
export function accountAnswering(window: AnswerWindow): boolean {
  let answered = 0;
  for (const ok of window.answered.slice(-ANSWER_WINDOW)) if (ok) answered++;
  return answered * 2 >= ANSWER_WINDOW;
}

/**
 * Share (0..1) of the remembered calls that failed, leaving out the run of failures at the end (the
 * run the breaker is judging: breaker.ts `openThreshold`); null with fewer than MIN_CALLS_FOR_RATE
 * calls before that run.
 */
export function failureRateBeforeRun(window: AnswerWindow): number | null {
  let end = window.answered.length;
  while (end > 0 && !window.answered[end - 1]) end--;
  if (end < MIN_CALLS_FOR_RATE) return null;
  let failed = 0;
  for (let i = 0; i < end; i++) if (!window.answered[i]) failed++;
  return failed / end;
}
