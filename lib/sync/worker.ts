// The sync worker: drains the SyncJob outbox into snom's redirection service.
// See docs/decisions/0003-sync-worker.md for the design (lease claims, coalescing, backoff, pause).
//
// No "server-only": the worker script and the benchmark load this through tsx.
//
// Shape: one claimer fetches batches of ready jobs under a lease; jobs wait in one in-memory lane
// per organization, and each lane keeps `concurrency` calls in flight (a pipeline: a new call
// starts as soon as one finishes; the next batch is claimed before the lane runs dry). Results go
// to one serial writer that folds everything finished since its last flush into one transaction.
import { randomUUID } from "node:crypto";
import type { Db } from "../db-core";
import type { Prisma } from "../generated/prisma/client";
import { deregisterPhone, echo, getPhoneRedirection, registerPhone } from "../redirection/client";
import type { RdsAccount, RdsResult } from "../redirection/types";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { DEFAULT_BREAKER, recordCall, type BreakerPolicy, type FailureRun } from "./breaker";
import { claimDueProbes, closeCircuit, openCircuitOps, recordFailedProbe } from "./circuit-store";
import { createAimdLimiter, type AimdLimiter } from "./limiter";
import { effectiveUrl } from "./outbox";
import { transition, type CallReport, type PhoneData, type Transition } from "./transition";

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
  /** One line per state change; never receives secrets. */
  log?: (line: string) => void;
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
};

export type SyncWorkerStats = {
  claimed: number;
  calls: number;
  completed: number;
  inFlight: number;
  queued: number;
};

export type SyncWorker = {
  readonly workerId: string;
  /** Runs until stop(). */
  start(): void;
  /** Graceful: stops claiming, hands back queued jobs, waits for calls in flight and their writes. */
  stop(): Promise<void>;
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
const WRITE_CHUNK = 400;
// Results are written in batches: a longer wait means fewer, larger transactions and less time the
// event loop is blocked by SQLite (bench:sync: ratio 1.30 at 50 ms, 1.22 at 150 ms); the UI lags by it.
const FLUSH_DELAY_MS = 150;

type PhoneSnapshot = {
  id: string;
  mac: string;
  urlOverride: string | null;
  deletedAt: Date | null;
  customer: { urlTemplate: string | null };
  organization: { urlTemplate: string | null };
};

type ClaimedJob = {
  id: string;
  phoneId: string;
  organizationId: string;
  mac: string;
  version: number;
  attempts: number;
  claimToken: string;
  leaseUntil: number;
  phone: PhoneSnapshot | null;
};

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
  /** closed: dispatching; opening: the open is being written; open: written at `openAt` (ms), nothing dispatched. */
  circuit: { state: "closed" } | { state: "opening" } | { state: "open"; openAt: number };
};

type EventRow = {
  organizationId: string;
  phoneId: string;
  mac: string;
  method: string;
  outcome: string;
  actor: string;
  url: string | null;
  httpStatus: number | null;
  rawExcerpt: string | null;
  durationMs: number;
  createdAt: Date;
};


/** What one finished job asks the writer to do. Phone changes apply only if the job is still current. */
type Outcome = Omit<Transition, "action"> & {
  job: ClaimedJob;
  events: EventRow[];
  action: Exclude<Transition["action"], { kind: "requeue" }>;
};

/** A job's call(s) done: what the service said, before the breaker and the transition rules. */
type CallDone = { job: ClaimedJob; events: EventRow[]; report: CallReport; retryAfterMs?: number; latencyMs: number };

type WriteOp =
  | { kind: "syncing"; phoneId: string }
  | { kind: "outcome"; outcome: Outcome }
  | { kind: "open_circuit"; lane: Lane; lastError: string; retryAfterMs?: number };

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { db, workerId } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const breaker: BreakerPolicy = { ...DEFAULT_BREAKER, ...options.breaker };
  const log = options.log ?? (() => {});
  const claimBatchSize = options.claimBatchSize ?? Math.max(16, concurrency * 4);
  const historyLimit = options.historyLimit ?? 50;
  const pruneEveryMs = options.pruneEveryMs ?? 5 * 60_000;
  const accountCacheMs = options.accountCacheMs ?? 10_000;
  const noAccountRetryMs = options.noAccountRetryMs ?? 30_000;
  const actor = `worker:${workerId}`;

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
  let stopping: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let claiming = false;
  let claimSoon = true;
  let nextClaimAt = 0;
  /** Writer flushes committed so far; a claim that finds nothing proves idleness only if none happened meanwhile. */
  let writeSeq = 0;
  let lastEmptyClaimSeq = -1;
  /** writeSeq when the running claim began: tells whether it saw a pause we committed. */
  let claimSeqAtStart = 0;
  let excludedAtLastEmpty = new Set<string>();
  let lastPruneAt = Date.now();
  const stats = { claimed: 0, calls: 0, completed: 0 };

  const idleWaiters: { includeDelayed: boolean; resolve: () => void; checking?: boolean }[] = [];

  // ---------------------------------------------------------------------------------------------
  // Claiming

  function excludedOrgs(now: number): string[] {
    const out = new Set<string>();
    for (const [orgId, until] of unavailableUntil) {
      if (until > now) out.add(orgId);
      else unavailableUntil.delete(orgId);
    }
    for (const [orgId, lane] of lanes) if (lane.queue.length >= concurrency || lane.circuit.state !== "closed") out.add(orgId);
    for (const [orgId, p] of pausedOrgs) if (p.committedSeq === undefined) out.add(orgId);
    return [...out];
  }

  function maybeClaim(): void {
    if (!running || claiming) return;
    const now = Date.now();
    // Every lane has a round of calls queued: only the poll looks for other organizations' jobs.
    if (!wantsMore() && now < nextClaimAt) return;
    const excluded = excludedOrgs(now);
    const hurry = idleWaiters.length > 0 && lastEmptyClaimSeq !== writeSeq && queuedCount() === 0;
    // A lane that was full when the last claim came back empty has room now: its jobs were not looked for.
    const reopened = [...excludedAtLastEmpty].some((orgId) => !excluded.includes(orgId));
    if (!claimSoon && !hurry && !reopened && now < nextClaimAt) return;
    claiming = true;
    claimSoon = false;
    const seqAtStart = writeSeq;
    claimSeqAtStart = seqAtStart;
    claimBatch(now, excluded)
      .then((count) => {
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
        log(`claim failed: ${errorText(error)}`);
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

  async function claimBatch(nowMs: number, excluded: string[]): Promise<number> {
    const now = new Date(nowMs);
    const candidates = await db.syncJob.findMany({
      where: {
        runAfter: { lte: now },
        OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
        organization: { rdsPausedAt: null, circuitOpenedAt: null },
        ...(excluded.length > 0 ? { organizationId: { notIn: excluded } } : {}),
      },
      orderBy: { runAfter: "asc" },
      take: claimBatchSize,
      select: { id: true },
    });
    if (candidates.length === 0) return 0;

    const claimToken = randomUUID();
    const leaseUntil = new Date(Date.now() + leaseMs);
    // The lease condition is repeated in the UPDATE: of two workers racing for one job, only the
    // first UPDATE matches it; the other reads back nothing for that job.
    await db.syncJob.updateMany({
      where: { id: { in: candidates.map((c) => c.id) }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { claimedBy: workerId, claimToken, leaseUntil },
    });
    const jobs = await db.syncJob.findMany({
      where: { claimToken },
      select: { id: true, phoneId: true, organizationId: true, mac: true, version: true, attempts: true },
    });
    if (jobs.length === 0) return 0;
    // Read after the claim: an edit after this read bumps the version and the job runs again.
    const phones = await db.phone.findMany({
      where: { id: { in: jobs.map((j) => j.phoneId) } },
      select: {
        id: true,
        mac: true,
        urlOverride: true,
        deletedAt: true,
        customer: { select: { urlTemplate: true } },
        organization: { select: { urlTemplate: true } },
      },
    });
    const phoneById = new Map(phones.map((p) => [p.id, p]));
    stats.claimed += jobs.length;

    const byOrg = new Map<string, ClaimedJob[]>();
    for (const j of jobs) {
      const claimed: ClaimedJob = { ...j, claimToken, leaseUntil: leaseUntil.getTime(), phone: phoneById.get(j.phoneId) ?? null };
      const list = byOrg.get(j.organizationId) ?? [];
      list.push(claimed);
      byOrg.set(j.organizationId, list);
    }
    for (const [orgId, list] of byOrg) {
      const paused = pausedOrgs.get(orgId);
      if (paused) {
        if (paused.committedSeq !== undefined && claimSeqAtStart >= paused.committedSeq) {
          // The claim query only returns jobs of unpaused organizations: someone resumed it.
          pausedOrgs.delete(orgId);
          accountCache.delete(orgId);
        } else {
          for (const job of list) enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
          continue;
        }
      }
      const account = await accountFor(orgId);
      if (!account) {
        unavailableUntil.set(orgId, Date.now() + noAccountRetryMs);
        const runAfter = new Date(Date.now() + noAccountRetryMs);
        for (const job of list) enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "defer", runAfter } } });
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
          circuit: { state: "closed" },
        };
        lanes.set(orgId, lane);
      }
      if (lane.circuit.state !== "closed") {
        // The claim skips open circuits, so these jobs were claimed before ours was written: hand them back.
        for (const job of list) enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
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
      log(`org ${orgId}: cannot load the redirection account: ${errorText(error)}`);
    }
    if (!account) log(`org ${orgId}: no usable redirection account; retrying in ${Math.round(noAccountRetryMs / 1000)} s`);
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
      if (job.leaseUntil - Date.now() < needed) {
        enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        continue;
      }
      lane.inFlight++;
      const stamp = lane.limiter.started();
      const p = runJob(lane.account, job)
        .then((done) => settle(lane, done, stamp))
        .catch((error: unknown) => {
          log(`${job.mac}: unexpected error, job handed back: ${errorText(error)}`);
          enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        })
        .finally(() => {
          lane.inFlight--;
          inFlight.delete(p);
          pump(lane);
          if (lane.queue.length < concurrency) maybeClaim();
          checkIdle();
        });
      inFlight.add(p);
    }
    if (lane.queue.length < concurrency) maybeClaim();
  }

  /**
   * Below the adaptive limit, circuit closed, and not on probation: after a transient failure only
   * one call at a time goes out until one succeeds, so a service that just went down gets the calls
   * already in flight and no new ones while the breaker counts.
   */
  function canDispatch(lane: Lane): boolean {
    if (lane.circuit.state !== "closed") return false;
    if (lane.failures.count > 0 && lane.inFlight > 0) return false;
    return lane.inFlight < lane.limiter.limit;
  }

  /** Feeds the call's result to the limiter and the breaker, then turns it into the job's outcome. */
  function settle(lane: Lane, done: CallDone, stamp: number): void {
    stats.completed++;
    const { job, report } = done;
    const called = report.op === "register" || report.op === "deregister";
    const transient = called && report.kind === "transient";
    const throttled = transient && report.httpStatus === 429;
    if (called) {
      if (transient) lane.limiter.onDrop(stamp);
      else lane.limiter.onSuccess(stamp, done.latencyMs, lane.inFlight - 1);
      // A 429 is the limiter's business; it counts towards the breaker only once the limit is down to 1.
      const counts = transient && (!throttled || lane.limiter.limit <= 1);
      if (recordCall(lane.failures, counts ? "breaker_failure" : transient ? "other" : "success", breaker) && lane.circuit.state === "closed") {
        tripCircuit(lane, "message" in report ? report.message : "transient failure", done.retryAfterMs);
      }
    }
    const t = transition(report, {
      mac: job.mac,
      attempts: job.attempts,
      circuitOpen: lane.circuit.state !== "closed",
      now: Date.now(),
      backoff,
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
    lane.circuit = { state: "opening" };
    dropQueued(lane.organizationId);
    log(`org ${lane.organizationId}: circuit open after ${lane.failures.count} transient failures in a row (${lastError})`);
    enqueueWrite({ kind: "open_circuit", lane, lastError, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }

  /** The circuit was closed (by our probe or another worker's): full concurrency at once. */
  function resetLane(lane: Lane): void {
    lane.circuit = { state: "closed" };
    lane.failures.count = 0;
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
      const open = [...lanes.values()].filter((l) => l.circuit.state === "open");
      if (open.length > 0) {
        const rows = await db.organization.findMany({
          where: { id: { in: open.map((l) => l.organizationId) }, circuitOpenedAt: null },
          select: { id: true },
        });
        for (const row of rows) {
          const lane = lanes.get(row.id);
          if (lane) {
            log(`org ${row.id}: circuit closed elsewhere; resuming`);
            resetLane(lane);
          }
        }
      }
      const holdMs = (options.probeHoldMs ?? 20_000);
      for (const probe of await claimDueProbes(db, holdMs)) {
        const account = await accountFor(probe.organizationId);
        if (!account) {
          await recordFailedProbe(db, probe, "No usable redirection account.", breaker);
          continue;
        }
        stats.calls++;
        const res = await echo(account, "ping");
        if (res.kind === "transient") {
          const next = await recordFailedProbe(db, probe, res.message, breaker, res.raw.retryAfterMs);
          log(`org ${probe.organizationId}: probe failed (${res.message}); next at ${next.toISOString()}`);
        } else {
          // Any answer from the service (even a refusal of the credentials) means it is back.
          await closeCircuit(db, probe.organizationId);
          log(`org ${probe.organizationId}: probe answered (${res.kind}); circuit closed`);
          const lane = lanes.get(probe.organizationId);
          if (lane) resetLane(lane);
          else poke();
        }
      }
    })()
      .catch((error: unknown) => log(`probing failed: ${errorText(error)}`))
      .finally(() => {
        probeChecking = false;
        probing.delete(p);
      });
    probing.add(p);
  }

  function dropQueued(orgId: string): void {
    const lane = lanes.get(orgId);
    if (!lane) return;
    for (const job of lane.queue) enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
    lane.queue = [];
  }

  async function runJob(account: RdsAccount, job: ClaimedJob): Promise<CallDone> {
    const phone = job.phone;
    if (!phone) return { job, events: [], report: { op: "no_phone" }, latencyMs: 0 };
    const mac = phone.mac;

    if (phone.deletedAt) {
      stats.calls++;
      const res = await deregisterPhone(account, mac);
      return { job, events: [eventRow(job, "deregisterPhone", res, null)], report: reportOf("deregister", res, null), ...timing(res) };
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
    return { op, kind: res.kind, message: "message" in res ? res.message : "", httpStatus: res.raw.status, url };
  }

  function timing(res: RdsResult<unknown>): { latencyMs: number; retryAfterMs?: number } {
    return { latencyMs: res.durationMs, ...(res.raw.retryAfterMs !== undefined ? { retryAfterMs: res.raw.retryAfterMs } : {}) };
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
      createdAt: new Date(),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Writing results

  let writeQueue: WriteOp[] = [];
  let flushing: Promise<void> | null = null;
  let flushTimer: NodeJS.Timeout | null = null;

  function enqueueWrite(op: WriteOp): void {
    writeQueue.push(op);
    scheduleFlush();
  }

  function scheduleFlush(): void {
    if (flushing || flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      flushing = flushLoop().finally(() => {
        flushing = null;
        if (writeQueue.length > 0) scheduleFlush();
        checkIdle();
      });
    }, FLUSH_DELAY_MS);
  }

  async function flushLoop(): Promise<void> {
    while (writeQueue.length > 0) {
      const batch = writeQueue.slice(0, WRITE_CHUNK);
      writeQueue = writeQueue.slice(batch.length);
      for (let attempt = 1; ; attempt++) {
        try {
          await flush(batch);
          break;
        } catch (error) {
          if (attempt >= 5) {
            // The leases run out and the jobs are done again: nothing is lost but time.
            log(`writing ${batch.length} results failed, giving up on them: ${errorText(error)}`);
            break;
          }
          log(`writing results failed (attempt ${attempt}), retrying: ${errorText(error)}`);
          await sleep(200 * attempt);
        }
      }
      writeSeq++;
    }
  }

  async function flush(batch: WriteOp[]): Promise<void> {
    const now = new Date();
    const outcomes = batch.flatMap((op) => (op.kind === "outcome" ? [op.outcome] : []));
    const finished = new Set(outcomes.map((o) => o.job.phoneId));
    const syncing = [...new Set(batch.flatMap((op) => (op.kind === "syncing" && !finished.has(op.phoneId) ? [op.phoneId] : [])))];

    // Which jobs are still the version we ran? A changed one is handed back and runs again.
    const current = new Set<string>();
    if (outcomes.length > 0) {
      const rows = await db.syncJob.findMany({
        where: { id: { in: outcomes.map((o) => o.job.id) } },
        select: { id: true, version: true },
      });
      const versions = new Map(rows.map((r) => [r.id, r.version]));
      for (const o of outcomes) if (versions.get(o.job.id) === o.job.version) current.add(o.job.id);
    }

    const ops: Prisma.PrismaPromise<unknown>[] = [];
    if (syncing.length > 0) {
      ops.push(db.phone.updateMany({ where: { id: { in: syncing }, deletedAt: null }, data: { syncStatus: "syncing" } }));
    }
    const pauses = new Map<string, string>();
    for (const o of outcomes) if (o.pauseOrg !== undefined) pauses.set(o.job.organizationId, o.pauseOrg);
    for (const [orgId, reason] of pauses) {
      ops.push(db.organization.updateMany({ where: { id: orgId, rdsPausedAt: null }, data: { rdsPausedAt: now, rdsPausedReason: reason } }));
      ops.push(
        db.phone.updateMany({
          where: { organizationId: orgId, deletedAt: null, syncStatus: { in: ["pending", "retrying", "waiting"] } },
          data: { syncStatus: "paused", nextAttemptAt: null },
        }),
      );
    }

    // Phone state, grouped by identical data so a batch of successes is one UPDATE.
    const updates = new Map<string, { data: PhoneData; ids: string[] }>();
    const deletes: string[] = [];
    const stale: string[] = [];
    for (const o of outcomes) {
      if (!current.has(o.job.id)) {
        stale.push(o.job.phoneId);
        continue;
      }
      if (!o.phone) continue;
      if ("delete" in o.phone) {
        deletes.push(o.job.phoneId);
        continue;
      }
      const data = o.phone.syncedNow ? { ...o.phone.update, syncedAt: now } : o.phone.update;
      const key = JSON.stringify(data);
      const group = updates.get(key) ?? { data, ids: [] };
      group.ids.push(o.job.phoneId);
      updates.set(key, group);
    }
    for (const { data, ids } of updates.values()) ops.push(db.phone.updateMany({ where: { id: { in: ids } }, data }));
    if (stale.length > 0) {
      // Edited while in flight: it shows as pending again until its rerun starts.
      ops.push(db.phone.updateMany({ where: { id: { in: stale }, syncStatus: "syncing" }, data: { syncStatus: "pending" } }));
    }
    if (deletes.length > 0) ops.push(db.phone.deleteMany({ where: { id: { in: deletes }, deletedAt: { not: null } } }));

    const events = outcomes.flatMap((o) => o.events);
    if (events.length > 0) ops.push(db.syncEvent.createMany({ data: events }));

    // Jobs: done ones are deleted only at the version we ran (coalescing); retries keep theirs.
    const doneByVersion = new Map<number, string[]>();
    for (const o of outcomes) {
      if (o.action.kind !== "done" || !current.has(o.job.id)) continue;
      const ids = doneByVersion.get(o.job.version) ?? [];
      ids.push(o.job.id);
      doneByVersion.set(o.job.version, ids);
    }
    // Ops whose row count proves the job was settled at the version we ran (index -> expected count).
    const settling = new Map<number, number>();
    for (const [version, ids] of doneByVersion) {
      settling.set(ops.length, ids.length);
      ops.push(db.syncJob.deleteMany({ where: { id: { in: ids }, version } }));
    }
    const toRelease: Outcome[] = [];
    for (const o of outcomes) {
      if (o.action.kind === "retry" && current.has(o.job.id)) {
        settling.set(ops.length, 1);
        ops.push(
          db.syncJob.updateMany({
            where: { id: o.job.id, version: o.job.version, claimToken: o.job.claimToken },
            data: { attempts: o.action.attempts, runAfter: o.action.runAfter, claimedBy: null, claimToken: null, leaseUntil: null },
          }),
        );
      } else if (o.action.kind === "defer") {
        ops.push(
          db.syncJob.updateMany({
            where: { id: o.job.id, claimToken: o.job.claimToken },
            data: { runAfter: o.action.runAfter, claimedBy: null, claimToken: null, leaseUntil: null },
          }),
        );
      } else if (!current.has(o.job.id) || o.action.kind === "release") {
        toRelease.push(o);
      }
    }
    if (toRelease.length > 0) ops.push(releaseOp(toRelease));
    // Last: the circuit's "waiting" covers the "retrying" written above for the calls that opened it.
    const opened = batch.flatMap((op) => (op.kind === "open_circuit" ? [op] : []));
    for (const op of opened) ops.push(...openCircuitOps(db, op.lane.organizationId, op.lastError, breaker, op.retryAfterMs));
    const results = ops.length > 0 ? ((await db.$transaction(ops)) as unknown[]) : [];
    // A writer bumped a version between our read and our write: hand those jobs back so they rerun.
    const shortfall = [...settling].some(([i, expected]) => (results[i] as { count: number }).count < expected);
    if (shortfall) {
      await releaseOp(outcomes.filter((o) => o.action.kind === "done" || o.action.kind === "retry"));
      claimSoon = true;
    }

    for (const op of opened) if (op.lane.circuit.state === "opening") op.lane.circuit = { state: "open", openAt: Date.now() };
    for (const [orgId, reason] of pauses) {
      const p = pausedOrgs.get(orgId);
      if (p && p.committedSeq === undefined) p.committedSeq = writeSeq + 1;
      log(`org ${orgId} paused: ${reason}`);
    }
    for (const o of outcomes) {
      if (!current.has(o.job.id)) log(`${o.job.mac} changed while in flight; runs again`);
      else if (o.line) log(o.line);
    }
    if (outcomes.some((o) => o.action.kind !== "done" || !current.has(o.job.id))) claimSoon = true;
    if (claimSoon) setImmediate(maybeClaim);
  }

  /** Clears our claim on these jobs if we still hold it (token-guarded: never another worker's). */
  function releaseOp(list: Outcome[]) {
    return db.syncJob.updateMany({
      where: { id: { in: list.map((o) => o.job.id) }, claimToken: { in: [...new Set(list.map((o) => o.job.claimToken))] } },
      data: { claimedBy: null, claimToken: null, leaseUntil: null },
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  function queuedCount(): number {
    let n = 0;
    for (const lane of lanes.values()) n += lane.queue.length;
    return n;
  }

  function isQuiet(): boolean {
    return (
      !claiming &&
      lastEmptyClaimSeq === writeSeq &&
      inFlight.size === 0 &&
      queuedCount() === 0 &&
      writeQueue.length === 0 &&
      !flushing &&
      !flushTimer
    );
  }

  function checkIdle(): void {
    if (idleWaiters.length === 0) return;
    if (!isQuiet()) {
      if (!claiming && lastEmptyClaimSeq !== writeSeq && !flushing && !flushTimer) maybeClaim();
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
      where: { organization: { rdsPausedAt: null }, ...(paused.length > 0 ? { organizationId: { notIn: paused } } : {}) },
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
        .catch((error: unknown) => log(`pruning history failed: ${errorText(error)}`));
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

  async function stop(): Promise<void> {
    if (stopping) return stopping;
    if (!running) return;
    running = false;
    stopping = (async () => {
      if (timer) clearInterval(timer);
      timer = null;
      for (const lane of lanes.values()) {
        for (const job of lane.queue) enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        lane.queue = [];
      }
      while (inFlight.size > 0 || claiming || probing.size > 0) {
        await Promise.race([...inFlight, ...probing, sleep(20)]);
      }
      // A claim that finished during shutdown may have queued jobs: hand them back too.
      for (const lane of lanes.values()) {
        for (const job of lane.queue) enqueueWrite({ kind: "outcome", outcome: { job, events: [], action: { kind: "release" } } });
        lane.queue = [];
      }
      while (writeQueue.length > 0 || flushing || flushTimer) {
        if (flushing) await flushing;
        else await sleep(FLUSH_DELAY_MS + 1);
      }
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

/** Keeps the newest `limit` SyncEvent rows per phone. Cheap: one grouped scan, then only phones over the limit. */
export async function pruneSyncHistory(db: Db, limit = 50): Promise<number> {
  const over = await db.syncEvent.groupBy({
    by: ["phoneId"],
    where: { phoneId: { not: null } },
    _count: { _all: true },
    having: { phoneId: { _count: { gt: limit } } },
  });
  let removed = 0;
  for (const row of over) {
    if (!row.phoneId) continue;
    const cutoff = await db.syncEvent.findFirst({
      where: { phoneId: row.phoneId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: limit,
      select: { createdAt: true },
    });
    if (!cutoff) continue;
    const res = await db.syncEvent.deleteMany({ where: { phoneId: row.phoneId, createdAt: { lte: cutoff.createdAt } } });
    removed += res.count;
  }
  return removed;
}

/** Lets a paused organization's queue run again (credentials changed or the connection test passed). */
export async function resumeOrganizationQueue(db: Db, organizationId: string): Promise<void> {
  await db.organization.updateMany({ where: { id: organizationId }, data: { rdsPausedAt: null, rdsPausedReason: null } });
  await db.phone.updateMany({
    where: { organizationId, lastErrorCode: "auth_failed" },
    data: { lastErrorCode: null, lastErrorText: null },
  });
  await db.phone.updateMany({ where: { organizationId, syncStatus: "paused" }, data: { syncStatus: "pending" } });
}
