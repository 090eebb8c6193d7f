// The pure heart of the worker: (job, what the call did) -> the phone's new state, what happens to
// the job, and the log line. No I/O and no clock of its own (`now`, `random` are passed in), so the
// rules are tested as a table in tests/unit/sync-transition.test.ts. Rules: issue 4 (states,
// coalescing), issue 10 (retrying / waiting / paused / failed), docs/decisions/0003 and 0008.
import { CONFIGURATION_REASONS, type FailureKind, type FailureReason, type OutcomeKind } from "../redirection/types";
import { cleanServiceText } from "../redirection/service-text";
import { backoffDelayMs, type BackoffPolicy } from "./backoff";

export type PhoneData = {
  syncStatus: string;
  syncedAt?: Date | null;
  registeredUrl?: string | null;
  attempts?: number;
  nextAttemptAt?: Date | null;
  lastErrorCode?: string | null;
  lastErrorText?: string | null;
  ownerCompany?: string | null;
};

export type JobAction =
  | { kind: "done" }
  /** Back to the queue after `runAfter`, `attempts` failed tries so far. */
  | { kind: "retry"; attempts: number; runAfter: Date }
  /** Claim given up as it is (no attempt used): paused organization, open circuit. */
  | { kind: "release" }
  /** Not run now: again after `runAfter`, attempts unchanged (no usable account). */
  | { kind: "defer"; runAfter: Date }
  /** Throttled (429) while the service is up: straight back into this worker's lane, nothing written. */
  | { kind: "requeue" };

export type Transition = {
  phone?: { update: PhoneData; syncedNow?: boolean } | { delete: true };
  action: JobAction;
  /** The organization's queue pauses with this reason (credentials refused). */
  pauseOrg?: string;
  line?: string;
};

/** What the worker did for one job. */
export type CallReport =
  | { op: "no_phone" }
  | { op: "no_url" }
  | {
      op: "register" | "deregister";
      /** Outcome of registerPhone / deregisterPhone. */
      kind: OutcomeKind;
      message: string;
      /** HTTP status when a reply arrived (429 is told apart from other transient trouble). */
      httpStatus?: number;
      url: string | null;
      /** getPhoneRedirection's company after owned_by_other_user, if it answered. */
      ownerCompany?: string | null;
      /** The client's finer reason for a failure (e.g. wrong_scheme: a configuration problem). */
      reason?: FailureReason;
    };

export type TransitionContext = {
  mac: string;
  /** Failed tries before this one. */
  attempts: number;
  /** The account's circuit is open (or this very failure opened it): no attempt is used. */
  circuitOpen: boolean;
  /**
   * Most of the account's recent calls were answered (dispatch.ts `accountAnswering`): the retry
   * waits at most `backoff.answeringMaxMs`.
   */
  accountAnswering?: boolean;
  now: number;
  backoff: BackoffPolicy;
  random?: () => number;
};

export const AUTH_PAUSED_TEXT = "Queue paused: the redirection service refused the account's credentials.";

export function transition(report: CallReport, ctx: TransitionContext): Transition {
  const { mac } = ctx;
  if (report.op === "no_phone") return { action: { kind: "done" } };
  if (report.op === "no_url") {
    return {
      phone: {
        update: { syncStatus: "needs_url", attempts: 0, nextAttemptAt: null, lastErrorCode: null, lastErrorText: null },
      },
      action: { kind: "done" },
      line: `${mac} needs_url`,
    };
  }
  const { kind, message } = report;
  const removing = report.op === "deregister";
  if (
    removing &&
    (kind === "ok" || kind === "no_such_mac" || kind === "owned_by_other_user" || kind === "malformed_mac")
  ) {
    // The service does not hold the MAC for us (any more): that is what deletion wants.
    return { phone: { delete: true }, action: { kind: "done" }, line: `${mac} removed (${kind})` };
  }
  const attempts = ctx.attempts + 1;
  if (!removing) {
    switch (kind) {
      case "ok":
        return {
          phone: {
            update: {
              syncStatus: "synced",
              registeredUrl: report.url,
              attempts,
              nextAttemptAt: null,
              lastErrorCode: null,
              lastErrorText: null,
              ownerCompany: null,
            },
            syncedNow: true,
          },
          action: { kind: "done" },
          line: `${mac} synced ${report.url}`,
        };
      case "malformed_mac":
      case "malformed_url":
        return {
          phone: {
            update: {
              syncStatus: "rejected",
              attempts,
              nextAttemptAt: null,
              lastErrorCode: kind,
              lastErrorText: message,
            },
          },
          action: { kind: "done" },
          line: `${mac} rejected ${kind}`,
        };
      case "owned_by_other_user": {
        const ownerCompany = report.ownerCompany ?? null;
        return {
          phone: {
            update: {
              syncStatus: "owned_elsewhere",
              attempts,
              nextAttemptAt: null,
              lastErrorCode: kind,
              lastErrorText: message,
              ownerCompany,
              registeredUrl: null,
            },
          },
          action: { kind: "done" },
          line: `${mac} owned_elsewhere${ownerCompany ? ` by ${ownerCompany}` : ""}`,
        };
      }
    }
  }
  return failure(kind as FailureKind, message, report.httpStatus, removing, ctx, report.reason);
}

function failure(
  kind: FailureKind,
  message: string,
  httpStatus: number | undefined,
  removing: boolean,
  ctx: TransitionContext,
  reason?: FailureReason,
): Transition {
  const { mac } = ctx;
  // A removal keeps showing "removing" whatever happens: the phone is on its way out.
  const status = (s: string) => (removing ? "removing" : s);
  if (kind === "auth_failed") {
    return {
      phone: {
        update: { syncStatus: status("paused"), lastErrorCode: "auth_failed", lastErrorText: AUTH_PAUSED_TEXT },
      },
      action: { kind: "release" },
      // One plain sentence for the banner (the client's message says the same in technical words).
      pauseOrg: `The redirection service refused the username or password${httpStatus ? ` (HTTP ${httpStatus})` : ""}.`,
      line: `${mac} auth_failed: organization paused`,
    };
  }
  if (reason && CONFIGURATION_REASONS.includes(reason)) {
    // The endpoint URL itself is wrong (http vs https, credentials inside it): every call would fail
    // alike, so the organization waits for fixed settings instead of retrying each phone.
    return {
      phone: {
        update: {
          syncStatus: status("paused"),
          lastErrorCode: reason,
          lastErrorText: cleanServiceText(`Queue paused: the endpoint URL needs fixing (${message}).`),
        },
      },
      action: { kind: "release" },
      pauseOrg: cleanServiceText(`The endpoint URL needs fixing: ${message}`.replace(/\.?$/, ".")),
      line: `${mac} ${reason}: organization paused`,
    };
  }
  if (kind === "transient" && ctx.circuitOpen) {
    return {
      phone: {
        update: {
          syncStatus: status("waiting"),
          nextAttemptAt: null,
          lastErrorCode: "circuit_open",
          lastErrorText: message,
        },
      },
      action: { kind: "release" },
      line: `${mac} waiting for the service (${message})`,
    };
  }
  if (kind === "transient" && httpStatus === 429) {
    // Answered by shrinking the account's concurrency, never by using up attempts.
    return { action: { kind: "requeue" }, line: `${mac} throttled (429), queued again` };
  }
  // transient, protocol and any unexpected service error: retried with backoff (they may be a
  // passing fault of the service), bounded by maxAttempts so they cannot loop forever.
  const attempts = ctx.attempts + 1;
  if (attempts >= ctx.backoff.maxAttempts) {
    return {
      phone: {
        update: {
          syncStatus: status("failed"),
          attempts,
          nextAttemptAt: null,
          lastErrorCode: "gave_up",
          lastErrorText: cleanServiceText(`Gave up after ${attempts} attempts; last error (${kind}): ${message}`),
        },
      },
      action: { kind: "done" },
      line: `${mac} gave_up after ${attempts} attempts (${kind})`,
    };
  }
  const runAfter = new Date(ctx.now + backoffDelayMs(attempts, ctx.backoff, ctx.random, ctx.accountAnswering ?? false));
  return {
    phone: {
      update: {
        syncStatus: status("retrying"),
        attempts,
        nextAttemptAt: runAfter,
        lastErrorCode: kind,
        lastErrorText: message,
      },
    },
    action: { kind: "retry", attempts, runAfter },
    line: `${mac} ${status("retrying")} (${kind}), attempt ${attempts}, retry at ${runAfter.toISOString()}`,
  };
}
