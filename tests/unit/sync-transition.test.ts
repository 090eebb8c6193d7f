// The worker's transition rules as a table: (call report, context) -> phone state, job action, pause.
import { describe, expect, it } from "vitest";
import type { OutcomeKind } from "../../lib/redirection/types";
import { transition, type CallReport } from "../../lib/sync/transition";

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const ctx = {
  mac: "000413000001",
  attempts: 0,
  circuitOpen: false,
  now: NOW,
  backoff: { baseMs: 2_000, maxMs: 60_000, answeringMaxMs: 10_000, maxAttempts: 3 },
  random: () => 0.5,
};
const call = (op: "register" | "deregister", kind: OutcomeKind, httpStatus?: number): CallReport => ({
  op,
  kind,
  message: `msg ${kind}`,
  httpStatus,
  url: op === "register" ? "https://prov.example/{mac}" : null,
});

type Row = [
  string,
  CallReport,
  Partial<typeof ctx>,
  { status?: string; attempts?: number; action: string; pause?: boolean; errorCode?: string | null },
];

const TABLE: Row[] = [
  ["registered", call("register", "ok"), {}, { status: "synced", attempts: 1, action: "done", errorCode: null }],
  [
    "malformed MAC",
    call("register", "malformed_mac"),
    {},
    { status: "rejected", attempts: 1, action: "done", errorCode: "malformed_mac" },
  ],
  [
    "malformed URL",
    call("register", "malformed_url"),
    {},
    { status: "rejected", attempts: 1, action: "done", errorCode: "malformed_url" },
  ],
  [
    "owned by another account",
    call("register", "owned_by_other_user"),
    {},
    { status: "owned_elsewhere", attempts: 1, action: "done" },
  ],
  [
    "transient, circuit closed",
    call("register", "transient", 503),
    {},
    { status: "retrying", attempts: 1, action: "retry", errorCode: "transient" },
  ],
  [
    "transient, last attempt",
    call("register", "transient", 503),
    { attempts: 2 },
    { status: "failed", attempts: 3, action: "done", errorCode: "gave_up" },
  ],
  [
    "transient, circuit open",
    call("register", "transient", 503),
    { circuitOpen: true, attempts: 2 },
    { status: "waiting", action: "release", errorCode: "circuit_open" },
  ],
  ["throttled (429), circuit closed", call("register", "transient", 429), { attempts: 2 }, { action: "requeue" }],
  [
    "throttled (429), circuit open",
    call("register", "transient", 429),
    { circuitOpen: true },
    { status: "waiting", action: "release" },
  ],
  [
    "protocol error",
    call("register", "protocol", 200),
    {},
    { status: "retrying", attempts: 1, action: "retry", errorCode: "protocol" },
  ],
  [
    "protocol error, circuit open (not the service's absence)",
    call("register", "protocol", 200),
    { circuitOpen: true },
    { status: "retrying", action: "retry" },
  ],
  [
    "credentials refused",
    call("register", "auth_failed", 401),
    {},
    { status: "paused", action: "release", pause: true, errorCode: "auth_failed" },
  ],
  ["deregistered", call("deregister", "ok"), {}, { action: "done" }],
  ["deregister: not held", call("deregister", "no_such_mac"), {}, { action: "done" }],
  [
    "deregister: transient",
    call("deregister", "transient", 500),
    {},
    { status: "removing", attempts: 1, action: "retry" },
  ],
  [
    "deregister: circuit open",
    call("deregister", "transient", 500),
    { circuitOpen: true },
    { status: "removing", action: "release" },
  ],
  [
    "deregister: credentials refused",
    call("deregister", "auth_failed", 403),
    {},
    { status: "removing", action: "release", pause: true },
  ],
  ["no URL", { op: "no_url" }, {}, { status: "needs_url", attempts: 0, action: "done", errorCode: null }],
  ["phone gone", { op: "no_phone" }, {}, { action: "done" }],
];

describe("sync transition table", () => {
  it.each(TABLE)("%s", (_name, report, over, want) => {
    const t = transition(report, { ...ctx, ...over });
    expect(t.action.kind).toBe(want.action);
    expect(t.pauseOrg !== undefined).toBe(want.pause ?? false);
    const update = t.phone && "update" in t.phone ? t.phone.update : undefined;
    expect(update?.syncStatus).toBe(want.status);
    if (want.attempts !== undefined) expect(update?.attempts).toBe(want.attempts);
    if (want.errorCode !== undefined) expect(update?.lastErrorCode ?? null).toBe(want.errorCode);
  });

  it("a deregistration the service answers with ok deletes the phone row", () => {
    expect(transition(call("deregister", "ok"), ctx).phone).toEqual({ delete: true });
  });

  it("an open circuit uses no attempt: the phone's attempts are left as they were", () => {
    const t = transition(call("register", "transient", 503), { ...ctx, attempts: 2, circuitOpen: true });
    expect(t.phone && "update" in t.phone ? t.phone.update.attempts : "unset").toBeUndefined();
  });

  it("a retry runs after the backoff delay, from the given clock and randomness", () => {
    const t = transition(call("register", "transient", 500), { ...ctx, attempts: 1 });
    // second failure: ceiling 4 s, random 0.5 -> 2 s
    expect(t.action).toEqual({ kind: "retry", attempts: 2, runAfter: new Date(NOW + 2_000) });
  });

  it("a retry waits at most answeringMaxMs while the account answers, the full exponential ceiling otherwise", () => {
    const many = { ...ctx, backoff: { ...ctx.backoff, maxAttempts: 12 }, attempts: 6, random: () => 1 };
    // seventh failure: ceiling 2 s x 2^6 = 128 s, capped at maxMs 60 s; 10 s while the account answers
    const failing = transition(call("register", "transient", 500), { ...many, accountAnswering: false });
    const answering = transition(call("register", "transient", 500), { ...many, accountAnswering: true });
    expect(failing.action).toEqual({ kind: "retry", attempts: 7, runAfter: new Date(NOW + 60_000) });
    expect(answering.action).toEqual({ kind: "retry", attempts: 7, runAfter: new Date(NOW + 10_000) });
  });
});
