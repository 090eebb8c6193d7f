// The worker's batched writer: everything finished since its last flush goes to the database in one
// transaction (identical phone updates as one updateMany, events as one createMany, done jobs as one
// deleteMany per version), after checking which jobs are still at the version that ran (coalescing,
// docs/decisions/0003). No "server-only": the worker script loads it through tsx.
import { randomUUID } from "node:crypto";
import type { Db } from "../db-core";
import { insertStatements } from "../import/bulk-sql";
import { Prisma } from "../generated/prisma/client";
import type { BreakerPolicy } from "./breaker";
import { shortCause } from "./db-trouble";
import { openCircuitOps } from "./circuit-store";
import type { EventRow, Outcome, WriteOp } from "./jobs";
import type { PhoneData } from "./transition";

/** What a worker log line concerns, as fields for the JSON log (lib/log.ts). */
export type LogFields = {
  organizationId?: string;
  mac?: string;
  /** The line's level; info when absent. Database trouble is `error` (lib/sync/db-trouble.ts). */
  level?: "info" | "warn" | "error";
};

const WRITE_CHUNK = 400;
/** SyncEvent columns as written (all of them: the DDL's CURRENT_TIMESTAMP default is not Prisma's date format). */
const EVENT_COLUMNS = [
  "id",
  "organizationId",
  "phoneId",
  "mac",
  "method",
  "outcome",
  "actor",
  "url",
  "httpStatus",
  "rawExcerpt",
  "durationMs",
  "createdAt",
] as const satisfies readonly ("id" | keyof EventRow)[];
// Results are written in batches: a longer wait means fewer, larger transactions and less time the
// event loop is blocked by SQLite (bench:sync: ratio 1.30 at 50 ms, 1.22 at 150 ms); the UI lags by it.
export const FLUSH_DELAY_MS = 150;

/** What one committed flush did, for the worker's bookkeeping. */
export type FlushReport = {
  /** Number of this flush (1, 2, ...): a claim that started at or after it saw its writes. */
  seq: number;
  /** Organizations paused by this flush (credentials refused). */
  paused: string[];
  /** Organizations whose circuit this flush opened. */
  opened: string[];
  /** Jobs went back to the queue: the worker should look for due jobs again soon. */
  wantsClaim: boolean;
};

export type ResultWriter = {
  enqueue(op: WriteOp): void;
  /** Flushes finished so far (committed or given up). */
  readonly seq: number;
  /** Something is queued, waiting for the flush delay, or being written. */
  readonly busy: boolean;
  /** Resolves once everything queued so far is written. */
  drain(): Promise<void>;
  /** Nothing more will finish soon (no call in flight): write what is queued now instead of after the delay. */
  hurry(): void;
};

export function createResultWriter(opts: {
  db: Db;
  /** The database's time in ms as the worker knows it (lib/db-dialect.ts): stamps and circuit times. */
  now: () => number;
  breaker: BreakerPolicy;
  log: (line: string, fields?: LogFields) => void;
  onCommitted: (report: FlushReport) => void;
  /** After a run of flushes ends (idle checks). */
  onSettled: () => void;
}): ResultWriter {
  const { db, breaker, log } = opts;
  let writeSeq = 0;

  let writeQueue: WriteOp[] = [];
  let flushing: Promise<void> | null = null;
  let flushTimer: NodeJS.Timeout | null = null;

  function enqueue(op: WriteOp): void {
    writeQueue.push(op);
    scheduleFlush();
  }

  function scheduleFlush(delayMs = FLUSH_DELAY_MS): void {
    if (flushing || flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      flushing = flushLoop().finally(() => {
        flushing = null;
        if (writeQueue.length > 0) scheduleFlush();
        opts.onSettled();
      });
    }, delayMs);
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
            // The leases run out and the jobs are done again: nothing is lost but time. Say so: an
            // operator reading "giving up" during an outage thinks the work is lost.
            log(
              `could not write ${batch.length === 1 ? "1 result" : `${batch.length} results`} (${shortCause(error)}); their jobs stay queued and run again once their leases run out`,
              { level: "error" },
            );
            break;
          }
          log(`writing results failed (attempt ${attempt}), retrying: ${shortCause(error)}`, { level: "warn" });
          await sleep(200 * attempt);
        }
      }
      writeSeq++;
    }
  }

  async function flush(batch: WriteOp[]): Promise<void> {
    const now = new Date(opts.now());
    const outcomes = batch.flatMap((op) => (op.kind === "outcome" ? [op.outcome] : []));
    const finished = new Set(outcomes.map((o) => o.job.phoneId));
    const syncing = [
      ...new Set(batch.flatMap((op) => (op.kind === "syncing" && !finished.has(op.phoneId) ? [op.phoneId] : []))),
    ];

    // Which jobs are still the version we ran? A changed one is handed back and runs again.
    const current = new Set<string>();
    if (outcomes.length > 0) {
      // Raw: Prisma's findMany costs ~25 µs per id in `in` (docs/decisions/0004), on the event loop.
      const ids = outcomes.map((o) => o.job.id);
      const rows = await db.$queryRaw<{ id: string; version: number | bigint }[]>(
        Prisma.sql`SELECT "id", "version" FROM "SyncJob" WHERE "id" IN (${Prisma.join(ids)})`,
      );
      const versions = new Map(rows.map((r) => [r.id, Number(r.version)]));
      for (const o of outcomes) if (versions.get(o.job.id) === o.job.version) current.add(o.job.id);
    }

    const ops: Prisma.PrismaPromise<unknown>[] = [];
    if (syncing.length > 0) {
      ops.push(
        db.phone.updateMany({ where: { id: { in: syncing }, deletedAt: null }, data: { syncStatus: "syncing" } }),
      );
    }
    const pauses = new Map<string, string>();
    for (const o of outcomes) if (o.pauseOrg !== undefined) pauses.set(o.job.organizationId, o.pauseOrg);
    for (const [orgId, reason] of pauses) {
      ops.push(
        db.organization.updateMany({
          where: { id: orgId, rdsPausedAt: null },
          data: { rdsPausedAt: now, rdsPausedReason: reason },
        }),
      );
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
      ops.push(
        db.phone.updateMany({ where: { id: { in: stale }, syncStatus: "syncing" }, data: { syncStatus: "pending" } }),
      );
    }
    if (deletes.length > 0) ops.push(db.phone.deleteMany({ where: { id: { in: deletes }, deletedAt: { not: null } } }));

    // One multi-row INSERT: Prisma's createMany costs ~0.15 ms per row here, on the event loop that
    // reads the service's replies (docs/decisions/0004 for the measurements, 0009 for why it matters).
    const events = outcomes.flatMap((o) => o.events);
    const eventRows = events.map((e) => EVENT_COLUMNS.map((c) => (c === "id" ? randomUUID() : e[c])));
    for (const statement of insertStatements("SyncEvent", EVENT_COLUMNS, eventRows))
      ops.push(db.$executeRaw(statement));

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
      ops.push(
        db.$executeRaw(
          Prisma.sql`DELETE FROM "SyncJob" WHERE "id" IN (${Prisma.join(ids)}) AND "version" = ${version}`,
        ),
      );
    }
    const toRelease: Outcome[] = [];
    for (const o of outcomes) {
      if (o.action.kind === "retry" && current.has(o.job.id)) {
        settling.set(ops.length, 1);
        ops.push(
          db.syncJob.updateMany({
            where: { id: o.job.id, version: o.job.version, claimToken: o.job.claimToken },
            data: {
              attempts: o.action.attempts,
              runAfter: o.action.runAfter,
              claimedBy: null,
              claimToken: null,
              leaseUntil: null,
            },
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
    for (const op of opened)
      ops.push(...openCircuitOps(db, op.organizationId, op.lastError, breaker, now.getTime(), op.retryAfterMs));
    const results = ops.length > 0 ? ((await db.$transaction(ops)) as unknown[]) : [];
    // A writer bumped a version between our read and our write: hand those jobs back so they rerun.
    const shortfall = [...settling].some(([i, expected]) => rowCount(results[i]) < expected);
    if (shortfall) await releaseOp(outcomes.filter((o) => o.action.kind === "done" || o.action.kind === "retry"));

    for (const [orgId, reason] of pauses) log(`org ${orgId} paused: ${reason}`, { organizationId: orgId });
    for (const o of outcomes) {
      const fields = { organizationId: o.job.organizationId, mac: o.job.mac };
      if (!current.has(o.job.id)) log(`${o.job.mac} changed while in flight; runs again`, fields);
      else if (o.line) log(o.line, fields);
    }
    opts.onCommitted({
      seq: writeSeq + 1,
      paused: [...pauses.keys()],
      opened: opened.map((op) => op.organizationId),
      // Jobs went back to the queue (retry, release, rerun): look for work again soon.
      wantsClaim: shortfall || outcomes.some((o) => o.action.kind !== "done" || !current.has(o.job.id)),
    });
  }

  /** Clears our claim on these jobs if we still hold it (token-guarded: never another worker's). */
  function releaseOp(list: Outcome[]) {
    return db.syncJob.updateMany({
      where: {
        id: { in: list.map((o) => o.job.id) },
        claimToken: { in: [...new Set(list.map((o) => o.job.claimToken))] },
      },
      data: { claimedBy: null, claimToken: null, leaseUntil: null },
    });
  }

  return {
    enqueue,
    get seq() {
      return writeSeq;
    },
    get busy() {
      return writeQueue.length > 0 || flushing !== null || flushTimer !== null;
    },
    hurry() {
      if (!flushTimer) return;
      clearTimeout(flushTimer);
      flushTimer = null;
      scheduleFlush(0);
    },
    async drain() {
      while (writeQueue.length > 0 || flushing || flushTimer) {
        if (flushing) await flushing;
        else await sleep(FLUSH_DELAY_MS + 1);
      }
    },
  };
}

/** Rows an updateMany/deleteMany (`{ count }`) or a raw statement (a number) touched. */
function rowCount(result: unknown): number {
  return typeof result === "number" ? result : (result as { count: number }).count;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
