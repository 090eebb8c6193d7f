// The sync worker: drains the SyncJob outbox into snom's redirection service.
// See docs/decisions/0003-sync-worker.md for the design (lease claims, coalescing, backoff, pause).
//
// No "server-only": the worker script and the benchmark load this through tsx.
//
// Shape: the claimer (claim.ts) fetches batches of ready jobs under a lease; jobs wait in one
// in-memory lane per organization, and each lane keeps up to its adaptive limit (limiter.ts, at most
// `concurrency`) calls in flight (a pipeline: a new call starts as soon as one finishes; the next
// batch is claimed before the lane runs dry). Each call's outcome feeds the lane's limiter and
// breaker (breaker.ts), then the pure transition rules (transition.ts) decide the phone's state and
// the job's fate; results go to the batched writer (writer.ts). Open circuits are probed by
// probe.ts. This module is the dispatch per account and the lifecycle (start, stop, idle).
import type { Db } from "../db-core";
import { deregisterPhone, getPhoneRedirection, registerPhone } from "../redirection/client";
import type { RdsAccount, RdsResult } from "../redirection/types";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { DEFAULT_BREAKER, openThreshold, recordCall, type BreakerPolicy, type FailureRun } from "./breaker";
import { claimJobs } from "./claim";
import { pruneSyncHistory } from "./maintenance";
import { findClosedCircuits, probeDueCircuits } from "./probe";
import type { ClaimedJob, EventRow, Outcome, WriteOp } from "./jobs";
import {
  accountAnswering,
  type AnswerWindow,
  failureRateBeforeRun,
  limiterSignal,
  mayDispatch,
  recordAnswer,
} from "./dispatch";
import { createAimdLimiter, type AimdLimiter } from "./limiter";
import { effectiveUrl } from "./outbox";
import { transition, type CallReport } from "./transition";
import { createResultWriter, type LogFields } from "./writer";
import { createDbTroubleReporter, shortCause } from "./db-trouble";

export type SyncWorkerOptions = {
  db: Db;
  workerId: string;
  /** Ceiling of calls in flight per organization (its lane); the adaptive limit moves between 1 and it. */
  concurrency?: number;
  /** Circuit breaker per organization's account (thresholds and probe intervals). */
  breaker?: Partial<BreakerPolicy>;
  /** How long a claim protects a job from other workers; a crashed worker's jobs return after it. */
  leaseMs?: number;
  /** How often to look for due jobs when idle. */
  pollMs?: number;
  resolveAccount: (organizationId: string) => Promise<RdsAccount | null>;
  backoff?: Partial<BackoffPolicy>;
  /** Source of the backoff jitter, [0, 1) (tests pin it); default Math.random. */
  random?: () => number;
  /** One line per state change, with the organization (and MAC) it concerns as fields; never receives secrets. */
  log?: (line: string, fields?: LogFields) => void;
  /** Jobs claimed per database round-trip (default 4 x concurrency, at least 16). */
  claimBatchSize?: number;
  /** SyncEvent rows kept per phone (default 50). */
  historyLimit?: number;
  /** How often to prune history (default 5 minutes). */
  pruneEveryMs?: number;
  /** How long a resolved account is reused before the organization is read again (default 10 s). */
  accountCacheMs?: number;
  /** How long a probe claim keeps other workers from probing the same account (default 20 s; above the call timeout). */
  probeHoldMs?: number;
  /** How long an organization without a usable account is left alone (default 30 s). */
  noAccountRetryMs?: number;
  /**
   * How far this machine's clock is off, in ms (default 0). Only tests set it, to run a worker whose
   * clock is skewed: leases and due times follow the database's clock, so it must not matter.
   */
  clockOffsetMs?: number;
  /** How often a database outage is reported again while it lasts (default 30 s; tests shorten it). */
  dbTroubleReportEveryMs?: number;
};

export type SyncWorkerStats = {
  claimed: number;
  calls: number;
  completed: number;
  inFlight: number;
  queued: number;
};

/** What a stop did: jobs handed back unstarted, calls still running when the grace ran out. */
export type WorkerStopReport = { handedBack: number; stillInFlight: number };

export type SyncWorker = {
  readonly workerId: string;
  /** Runs until stop(). */
  start(): void;
  /**
   * Graceful: stops claiming, hands back the jobs it claimed but did not start (lease cleared, so
   * another worker takes them at once), waits for calls in flight and writes their results. With
   * `graceMs`, waits at most that long for the calls: a call still running then keeps its job's
   * lease (it may still reach the service), so no other worker pushes that phone until it expires.
   */
  stop(opts?: { graceMs?: number }): Promise<WorkerStopReport>;
  /**
   * Works until nothing is due (and, with `includeDelayed`, until no job of an unpaused
   * organization is left at all, waiting out backoff). Starts the worker for the duration if needed.
   */
  runUntilIdle(opts?: { includeDelayed?: boolean }): Promise<void>;
  /** Look for jobs now instead of at the next poll (after enqueueing, after a resume). */
  poke(): void;
  /**
   * An organization's redirection settings changed: drop its cached account so the next call uses
   * the new endpoint and credentials (jobs claimed under the old ones run again: their version moved).
   */
  forgetAccount(organizationId: string): void;
  stats(): SyncWorkerStats;
};

const RAW_EXCERPT_CHARS = 500;

/**
 * One lane per organization, never per endpoint or username: two organizations may name the same
 * URL and username with different passwords, and each call must carry the credentials of the
 * organization that owns its job. Every job in `queue` belongs to `organizationId`.
 */
type Lane = {
  organizationId: string;
  account: RdsAccount;
  queue: ClaimedJob[];
  inFlight: number;
  limiter: AimdLimiter;
  failures: FailureRun;
  /**
   * A call of this lane has succeeded since the lane began or its circuit last closed: the service
   * was seen working, so one failure alone is taken for a random fault (dispatch.ts, mayDispatch).
   */
  hasSucceeded: boolean;
  /** Its latest calls' results: whether the account is answering shortens retry waits (dispatch.ts). */
  answers: AnswerWindow;
  /** closed: dispatching; opening: the open is being written; open: written at `openAt` (ms), nothing dispatched. */
  circuit: { state: "closed" } | { state: "opening"; since: number } | { state: "open"; openAt: number };
};

/** A job's call(s) done: what the service said, before the breaker and the transition rules. */
type CallDone = { job: ClaimedJob; events: EventRow[]; report: CallReport; retryAfterMs?: number; latencyMs: number };

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { db, workerId } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const breaker: BreakerPolicy = { ...DEFAULT_BREAKER, ...options.breaker };
  const log = options.log ?? (() => {});
  /** Claims and probes that fail (an unreachable database): one line, then a summary every 30 s. */
  const dbTrouble = createDbTroubleReporter({ log, everyMs: options.dbTroubleReportEveryMs });
  const claimBatchSize = options.claimBatchSize ?? Math.max(16, concurrency * 4);
  const historyLimit = options.historyLimit ?? 50;
  const pruneEveryMs = options.pruneEveryMs ?? 5 * 60_000;
  const accountCacheMs = options.accountCacheMs ?? 10_000;
  const noAccountRetryMs = options.noAccountRetryMs ?? 30_000;
  const actor = `worker:${workerId}`;
  const clockOffsetMs = options.clockOffsetMs ?? 0;
  /** This machine's clock: measures durations and the leases' local deadlines. */
  const localNow = () => Date.now() + clockOffsetMs;
  /** The database's clock minus ours, measured at every claim (lib/db-dialect.ts). */
  let databaseOffsetMs = 0;
  /** The database's time as far as we know it: every time written for others to compare with. */
  const databaseClock = () => localNow() + databaseOffsetMs;

  // Every map below is keyed by organization id (lanes, accounts, pauses, retry timers): nothing
  // one organization sets up can be used for another's jobs.
  const lanes = new Map<string, Lane>();
  const accountCache = new Map<string, { account: RdsAccount | null; at: number }>();
  /** Organizations without a usable account, skipped until the time given. */
  const unavailableUntil = new Map<string, number>();
  /** Organizations we paused (auth failure); `committedSeq` is the writer flush that stored it. */
  const pausedOrgs = new Map<string, { committedSeq?: number }>();
  const inFlight = new Set<Promise<void>>();
  const probing = new Set<Promise<void>>();

  let running = false;
  let stopping: Promise<WorkerStopReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let claiming = false;
  let claimSoon = true;
  let nextClaimAt = 0;
  /** Writer flushes committed so far; a claim that finds nothing proves idleness only if none happened meanwhile. */
  let lastEmptyClaimSeq = -1;
  /** writer.seq when the running claim began: tells whether it saw a pause we committed. */
  let claimSeqAtStart = 0;
  let excludedAtLastEmpty = new Set<string>();
  let lastPruneAt = Date.now();
  const stats = { claimed: 0, calls: 0, completed: 0 };

  const writer = createResultWriter({
    db,
    now: databaseClock,
    breaker,
    log,
    onCommitted(report) {
      for (const orgId of report.paused) {
        const p = pausedOrgs.get(orgId);
        if (p && p.committedSeq === undefined) p.committedSeq = report.seq;
      }
      for (const orgId of report.opened) {
        const lane = lanes.get(orgId);
        if (lane?.circuit.state === "opening") lane.circuit = { state: "open", openAt: Date.now() };
      }
      if (report.wantsClaim) claimSoon = true;
      if (claimSoon) setImmediate(maybeClaim);
    },
    onSettled: () => checkIdle(),
  });
  const enqueueWrite = (op: WriteOp) => writer.enqueue(op);

  const idleWaiters: { includeDelayed: boolean; resolve: () => void; checking?: boolean }[] = [];

  // ---------------------------------------------------------------------------------------------
  // Claiming

  function excludedOrgs(now: number): string[] {
    const out = new Set<string>();
    for (const [orgId, until] of unavailableUntil) {
      if (until > now) out.add(orgId);
      else unavailableUntil.delete(orgId);
    }
    for (const [orgId, lane] of lanes)
      if (lane.queue.length >= concurrency || lane.circuit.state !== "closed") out.add(orgId);
    for (const [orgId, p] of pausedOrgs) if (p.committedSeq === undefined) out.add(orgId);
    return [...out];
  }

  function maybeClaim(): void {
    if (!running || claiming) return;
    const now = Date.now();
    // Every lane has a round of calls queued: only the poll looks for other organizations' jobs.
    if (!wantsMore() && now < nextClaimAt) return;
    const excluded = excludedOrgs(now);
    const hurry = idleWaiters.length > 0 && lastEmptyClaimSeq !== writer.seq && queuedCount() === 0;
    // A lane that was full when the last claim came back empty has room now: its jobs were not looked for.
    const reopened = [...excludedAtLastEmpty].some((orgId) => !excluded.includes(orgId));
    if (!claimSoon && !hurry && !reopened && now < nextClaimAt) return;
    claiming = true;
    claimSoon = false;
    const seqAtStart = writer.seq;
    claimSeqAtStart = seqAtStart;
    claimBatch(excluded)
      .then((count) => {
        dbTrouble.succeeded();
        excludedAtLastEmpty = count === 0 ? new Set(excluded) : new Set();
        if (count === 0) {
          lastEmptyClaimSeq = seqAtStart;
          nextClaimAt = Date.now() + pollMs;
        } else {
          // Full batch: more may be due; partial batch: everything due is ours, wait for the poll.
          if (count < claimBatchSize) nextClaimAt = Date.now() + pollMs;
          else claimSoon = true;
        }
      })
      .catch((error: unknown) => {
        dbTrouble.failed(error);
        nextClaimAt = Date.now() + pollMs;
      })
      .finally(() => {
        claiming = false;
        pumpAll();
        checkIdle();
        if (claimSoon && wantsMore()) setImmediate(maybeClaim);
      });
  }

  /** Any lane below one round of calls, or no lane yet: worth claiming. */
  function wantsMore(): boolean {
    if (lanes.size === 0) return true;
    for (const lane of lanes.values()) if (lane.queue.length < concurrency) return true;
    return false;
  }

  async function claimBatch(excluded: string[]): Promise<number> {
    const before = localNow();
    const claim = await claimJobs(db, { workerId, leaseMs, batchSize: claimBatchSize, excluded, localNow: before });
    databaseOffsetMs = claim.databaseNow.getTime() - before;
    const jobs = claim.jobs;
    if (jobs.length === 0) return 0;
    if (!running) {
      // Stopped while this claim ran: hand the jobs straight back.
      for (const job of jobs)
        enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
      return jobs.length;
    }
    stats.claimed += jobs.length;

    const byOrg = new Map<string, ClaimedJob[]>();
    for (const job of jobs) {
      const list = byOrg.get(job.organizationId) ?? [];
      list.push(job);
      byOrg.set(job.organizationId, list);
    }
    for (const [orgId, list] of byOrg) {
      const paused = pausedOrgs.get(orgId);
      if (paused) {
        if (paused.committedSeq !== undefined && claimSeqAtStart >= paused.committedSeq) {
          // The claim query only returns jobs of unpaused organizations: someone resumed it.
          pausedOrgs.delete(orgId);
          accountCache.delete(orgId);
        } else {
          for (const job of list)
            enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
          continue;
        }
      }
      const account = await accountFor(orgId);
      if (!account) {
        // This process leaves the organization alone for a while, but hands its jobs back as they
        // were (not deferred): another instance may well have the account (e.g. this one lacks
        // SANDBOX_URL), and one misconfigured instance must not hold up everyone's queue.
        unavailableUntil.set(orgId, Date.now() + noAccountRetryMs);
        for (const job of list)
          enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        continue;
      }
      let lane = lanes.get(orgId);
      if (!lane) {
        lane = {
          organizationId: orgId,
          account,
          queue: [],
          inFlight: 0,
          limiter: createAimdLimiter({ max: concurrency }),
          failures: { count: 0 },
          hasSucceeded: false,
          answers: { answered: [] },
          circuit: { state: "closed" },
        };
        lanes.set(orgId, lane);
      }
      if (lane.circuit.state !== "closed") {
        // The claim skips open circuits, so these jobs were claimed before ours was written: hand them back.
        for (const job of list)
          enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        continue;
      }
      // Jobs already queued run under the newly resolved account too: it is the same organization's.
      lane.account = account;
      lane.queue.push(...list);
    }
    return jobs.length;
  }

  async function accountFor(orgId: string): Promise<RdsAccount | null> {
    const cached = accountCache.get(orgId);
    if (cached && Date.now() - cached.at < accountCacheMs) return cached.account;
    let account: RdsAccount | null = null;
    try {
      account = await options.resolveAccount(orgId);
    } catch (error) {
      log(`org ${orgId}: cannot load the redirection account: ${shortCause(error)}`, { organizationId: orgId, level: "warn" });
    }
    if (!account)
      log(`org ${orgId}: no usable redirection account; retrying in ${Math.round(noAccountRetryMs / 1000)} s`, {
        organizationId: orgId,
      });
    accountCache.set(orgId, { account, at: Date.now() });
    return account;
  }

  // ---------------------------------------------------------------------------------------------
  // Running calls

  function pumpAll(): void {
    for (const lane of lanes.values()) pump(lane);
  }

  function pump(lane: Lane): void {
    while (running && canDispatch(lane) && lane.queue.length > 0) {
      const job = lane.queue.shift()!;
      if (pausedOrgs.has(job.organizationId)) {
        enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        continue;
      }
      // A job that waited too long in the lane could lose its lease mid-call: hand it back instead.
      const needed = Math.min((lane.account.timeoutMs ?? 15_000) + 1_000, leaseMs / 2);
      if (job.leaseUntil - localNow() < needed) {
        enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        continue;
      }
      lane.inFlight++;
      const stamp = lane.limiter.started();
      const p = runJob(lane.account, job)
        .then((done) => settle(lane, done, stamp))
        .catch((error: unknown) => {
          log(`${job.mac}: unexpected error, job handed back: ${errorText(error)}`, {
            organizationId: job.organizationId,
            mac: job.mac,
            level: "error",
          });
          enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        })
        .finally(() => {
          lane.inFlight--;
          inFlight.delete(p);
          pump(lane);
          // The last call came back and none is queued: waiting for more results to batch gains nothing.
          if (inFlight.size === 0 && queuedCount() === 0) writer.hurry();
          if (lane.queue.length < concurrency) maybeClaim();
          checkIdle();
        });
      inFlight.add(p);
    }
    if (lane.queue.length < concurrency) maybeClaim();
  }

  /** Below the adaptive limit, circuit closed, and not on probation (dispatch.ts). */
  function canDispatch(lane: Lane): boolean {
    return mayDispatch({
      circuitClosed: lane.circuit.state === "closed",
      failuresInRow: lane.failures.count,
      hasSucceeded: lane.hasSucceeded,
      inFlight: lane.inFlight,
      limit: lane.limiter.limit,
    });
  }

  /** Feeds the call's result to the limiter and the breaker, then turns it into the job's outcome. */
  function settle(lane: Lane, done: CallDone, stamp: number): void {
    stats.completed++;
    const { job, report } = done;
    const called = report.op === "register" || report.op === "deregister";
    const transient = called && report.kind === "transient";
    const throttled = transient && report.httpStatus === 429;
    if (called) {
      const signal = limiterSignal(report);
      recordAnswer(lane.answers, report);
      if (signal === "throttled") lane.limiter.onThrottled();
      else if (signal === "congested") lane.limiter.onDrop(stamp);
      else if (signal === "success") {
        lane.limiter.onSuccess(stamp, done.latencyMs, lane.inFlight - 1);
        lane.hasSucceeded = true;
      }
      // A 429 is the limiter's business; it counts towards the breaker only once the limit is down to 1.
      const counts = transient && (!throttled || lane.limiter.limit <= 1);
      if (
        recordCall(
          lane.failures,
          counts ? "breaker_failure" : transient ? "other" : "success",
          breaker,
          openThreshold(failureRateBeforeRun(lane.answers), breaker),
        ) &&
        lane.circuit.state === "closed"
      ) {
        tripCircuit(lane, "message" in report ? report.message : "transient failure", done.retryAfterMs);
      }
    }
    const t = transition(report, {
      mac: job.mac,
      attempts: job.attempts,
      circuitOpen: lane.circuit.state !== "closed",
      accountAnswering: accountAnswering(lane.answers),
      now: databaseClock(),
      backoff,
      random: options.random,
    });
    if (t.action.kind === "requeue") {
      lane.queue.unshift(job);
      return;
    }
    const outcome: Outcome = { ...t, action: t.action, job, events: done.events };
    if (outcome.pauseOrg !== undefined && !pausedOrgs.has(job.organizationId)) {
      pausedOrgs.set(job.organizationId, {});
      accountCache.delete(job.organizationId);
      dropQueued(job.organizationId);
    }
    enqueueWrite({ kind: "outcome", outcome });
  }

  /** Opens the account's circuit: queued jobs go back unattempted, and the state is written for everyone. */
  function tripCircuit(lane: Lane, lastError: string, retryAfterMs?: number): void {
    lane.circuit = { state: "opening", since: Date.now() };
    dropQueued(lane.organizationId);
    log(
      `org ${lane.organizationId}: circuit open after ${lane.failures.count} transient failures in a row (${lastError})`,
      { organizationId: lane.organizationId },
    );
    enqueueWrite({
      kind: "open_circuit",
      organizationId: lane.organizationId,
      lastError,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  /** The circuit was closed (by our probe or another worker's): full concurrency at once. */
  function resetLane(lane: Lane): void {
    lane.circuit = { state: "closed" };
    lane.failures.count = 0;
    lane.hasSucceeded = false;
    lane.answers.answered = [];
    lane.limiter.reset();
    poke();
  }

  // ---------------------------------------------------------------------------------------------
  // Probing open circuits

  let probeChecking = false;

  /** Sends the due probes (one per open circuit, across all workers) and notices circuits others closed. */
  function checkCircuits(): void {
    if (!running || probeChecking) return;
    probeChecking = true;
    const p = (async () => {
      // An open that the writer gave up on (database trouble) is treated as written: the row decides.
      for (const lane of lanes.values()) {
        if (lane.circuit.state === "opening" && Date.now() - lane.circuit.since > 60_000)
          lane.circuit = { state: "open", openAt: Date.now() };
      }
      const open = [...lanes.values()].filter((l) => l.circuit.state === "open").map((l) => l.organizationId);
      for (const orgId of await findClosedCircuits(db, open)) {
        log(`org ${orgId}: circuit closed elsewhere; resuming`, { organizationId: orgId });
        const lane = lanes.get(orgId);
        if (lane) resetLane(lane);
      }
      const closed = await probeDueCircuits(db, {
        holdMs: options.probeHoldMs ?? 20_000,
        breaker,
        accountFor,
        log,
        onCall: () => stats.calls++,
      });
      for (const orgId of closed) {
        const lane = lanes.get(orgId);
        if (lane) resetLane(lane);
        else poke();
      }
    })()
      .catch((error: unknown) => dbTrouble.failed(error, { counted: false }))
      .finally(() => {
        probeChecking = false;
        probing.delete(p);
      });
    probing.add(p);
  }

  function dropQueued(orgId: string): void {
    const lane = lanes.get(orgId);
    if (!lane) return;
    for (const job of lane.queue)
      enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
    lane.queue = [];
  }

  async function runJob(account: RdsAccount, job: ClaimedJob): Promise<CallDone> {
    const phone = job.phone;
    if (!phone) return { job, events: [], report: { op: "no_phone" }, latencyMs: 0 };
    const mac = phone.mac;

    if (phone.deletedAt) {
      stats.calls++;
      const res = await deregisterPhone(account, mac);
      return {
        job,
        events: [eventRow(job, "deregisterPhone", res, null)],
        report: reportOf("deregister", res, null),
        ...timing(res),
      };
    }

    const url = effectiveUrl(phone.urlOverride, phone.customer.urlTemplate, phone.organization.urlTemplate);
    if (!url) return { job, events: [], report: { op: "no_url" }, latencyMs: 0 };

    enqueueWrite({ kind: "syncing", phoneId: phone.id });
    stats.calls++;
    const res = await registerPhone(account, mac, url);
    const events = [eventRow(job, "registerPhone", res, url)];
    const report = reportOf("register", res, url);
    if (res.kind === "owned_by_other_user" && report.op === "register") {
      stats.calls++;
      const who = await getPhoneRedirection(account, mac);
      events.push(eventRow(job, "getPhoneRedirection", who, null));
      report.ownerCompany = who.kind === "ok" ? who.data.company || null : null;
    }
    return { job, events, report, ...timing(res) };
  }

  function reportOf(op: "register" | "deregister", res: RdsResult<unknown>, url: string | null): CallReport {
    return {
      op,
      kind: res.kind,
      message: "message" in res ? res.message : "",
      httpStatus: res.raw.status,
      url,
      ...("reason" in res && res.reason ? { reason: res.reason } : {}),
    };
  }

  function timing(res: RdsResult<unknown>): { latencyMs: number; retryAfterMs?: number } {
    return {
      latencyMs: res.durationMs,
      ...(res.raw.retryAfterMs !== undefined ? { retryAfterMs: res.raw.retryAfterMs } : {}),
    };
  }

  function eventRow(job: ClaimedJob, method: string, res: RdsResult<unknown>, url: string | null): EventRow {
    return {
      organizationId: job.organizationId,
      phoneId: job.phoneId,
      mac: job.mac,
      method,
      outcome: res.kind,
      actor,
      url,
      httpStatus: res.raw.status ?? null,
      rawExcerpt: res.raw.excerpt ? res.raw.excerpt.slice(0, RAW_EXCERPT_CHARS) : null,
      durationMs: Math.round(res.durationMs),
      createdAt: new Date(databaseClock()),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  function queuedCount(): number {
    let n = 0;
    for (const lane of lanes.values()) n += lane.queue.length;
    return n;
  }

  function isQuiet(): boolean {
    return !claiming && lastEmptyClaimSeq === writer.seq && inFlight.size === 0 && queuedCount() === 0 && !writer.busy;
  }

  function checkIdle(): void {
    if (idleWaiters.length === 0) return;
    if (!isQuiet()) {
      if (!claiming && lastEmptyClaimSeq !== writer.seq && !writer.busy) maybeClaim();
      return;
    }
    for (const waiter of [...idleWaiters]) {
      if (!waiter.includeDelayed) {
        idleWaiters.splice(idleWaiters.indexOf(waiter), 1);
        waiter.resolve();
      } else if (!waiter.checking) {
        waiter.checking = true;
        void remainingJobs()
          .then((n) => {
            if (n === 0 && isQuiet()) {
              idleWaiters.splice(idleWaiters.indexOf(waiter), 1);
              waiter.resolve();
            }
          })
          .catch(() => {})
          .finally(() => {
            waiter.checking = false;
          });
      }
    }
  }

  function remainingJobs(): Promise<number> {
    const paused = [...pausedOrgs.keys()];
    return db.syncJob.count({
      where: {
        organization: { rdsPausedAt: null },
        ...(paused.length > 0 ? { organizationId: { notIn: paused } } : {}),
      },
    });
  }

  function tick(): void {
    maybeClaim();
    checkCircuits();
    checkIdle();
    if (Date.now() - lastPruneAt >= pruneEveryMs) {
      lastPruneAt = Date.now();
      pruneSyncHistory(db, historyLimit)
        .then((n) => n > 0 && log(`pruned ${n} old sync events`))
        .catch((error: unknown) => log(`pruning history failed: ${shortCause(error)}`, { level: "warn" }));
    }
  }

  function start(): void {
    if (running) return;
    running = true;
    stopping = null;
    claimSoon = true;
    timer = setInterval(tick, pollMs);
    timer.unref?.();
    maybeClaim();
  }

  async function stop(opts: { graceMs?: number } = {}): Promise<WorkerStopReport> {
    if (stopping) return stopping;
    if (!running) return { handedBack: 0, stillInFlight: 0 };
    running = false;
    stopping = (async () => {
      if (timer) clearInterval(timer);
      timer = null;
      let handedBack = 0;
      for (const lane of lanes.values()) {
        for (const job of lane.queue)
          enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        handedBack += lane.queue.length;
        lane.queue = [];
      }
      const deadline = Date.now() + (opts.graceMs ?? Infinity);
      while ((inFlight.size > 0 || claiming || probing.size > 0) && Date.now() < deadline) {
        await Promise.race([...inFlight, ...probing, sleep(Math.min(20, Math.max(1, deadline - Date.now())))]);
      }
      if (inFlight.size > 0)
        log(
          `${inFlight.size} call(s) still in flight after ${opts.graceMs} ms: their jobs keep their leases until they expire`,
        );
      const stillInFlight = inFlight.size;
      // A claim that finished during shutdown may have queued jobs: hand them back too.
      for (const lane of lanes.values()) {
        for (const job of lane.queue)
          enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        handedBack += lane.queue.length;
        lane.queue = [];
      }
      await writer.drain();
      return { handedBack, stillInFlight };
    })();
    return stopping;
  }

  async function runUntilIdle(opts: { includeDelayed?: boolean } = {}): Promise<void> {
    const startedHere = !running;
    if (startedHere) start();
    lastEmptyClaimSeq = -1;
    await new Promise<void>((resolve) => {
      idleWaiters.push({ includeDelayed: opts.includeDelayed ?? false, resolve });
      poke();
    });
    if (startedHere) await stop();
  }

  function forgetAccount(organizationId: string): void {
    accountCache.delete(organizationId);
    unavailableUntil.delete(organizationId);
    poke();
  }

  function poke(): void {
    claimSoon = true;
    nextClaimAt = 0;
    if (running) setImmediate(maybeClaim);
  }

  return {
    workerId,
    start,
    stop,
    runUntilIdle,
    forgetAccount,
    poke,
    stats: () => ({ ...stats, inFlight: inFlight.size, queued: queuedCount() }),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Kept importable from here for the worker script, the settings code and the tests.
export { pruneSyncHistory, resumeOrganizationQueue } from "./maintenance";
