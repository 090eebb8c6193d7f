// One sync worker inside the Next.js server process. Guarded by a globalThis slot so dev-mode hot
// reload (which re-evaluates modules) never starts a second worker in the same process.
// No "server-only": instrumentation code imports it, and it has no client-facing surface.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "../db-core";
import { accountResolver, readSandboxUrl } from "./account";
import { createSyncWorker, type SyncWorker, type SyncWorkerOptions, type WorkerStopReport } from "./worker";
import { logger, type Logger } from "../log";
import type { LogFields } from "./writer";

/** A worker's line at its level (info unless `fields.level` says otherwise), the other fields as JSON fields. */
export function logWorkerLine(log: Logger, line: string, fields: LogFields = {}): void {
  const { level = "info", ...rest } = fields;
  log[level](rest, line);
}

export type InProcessWorkerOptions = {
  /** The server's one Prisma client (lib/db.ts). */
  db: Db;
  /** Folder of the database and credentials key (lib/db-core dataDir(env.DATABASE_URL)). */
  dataDir: string;
  secretKeyHex?: string;
  /** SANDBOX_URL; else `<dataDir>/sandbox.url` is read. */
  sandboxUrl?: string;
  concurrency?: number;
  timeoutMs?: number;
  ca?: string;
  log?: SyncWorkerOptions["log"];
} & Pick<SyncWorkerOptions, "leaseMs" | "pollMs" | "backoff" | "breaker">;

const slot = globalThis as unknown as { __portalSyncWorker?: SyncWorker };

/** Starts the process's worker once; later calls return the running one. */
export function startInProcessWorker(opts: InProcessWorkerOptions): SyncWorker {
  if (slot.__portalSyncWorker) return slot.__portalSyncWorker;
  const workerId = `${hostname()}:${process.pid}:web:${randomBytes(3).toString("hex")}`;
  const workerLog = logger.child({ workerId });
  const log: NonNullable<SyncWorkerOptions["log"]> = opts.log ?? ((line, fields) => logWorkerLine(workerLog, line, fields));
  const worker = createSyncWorker({
    db: opts.db,
    workerId,
    concurrency: opts.concurrency,
    leaseMs: opts.leaseMs,
    pollMs: opts.pollMs,
    backoff: opts.backoff,
    breaker: opts.breaker,
    log,
    resolveAccount: accountResolver(opts.db, {
      dataDir: opts.dataDir,
      secretKeyHex: opts.secretKeyHex,
      sandboxUrl: readSandboxUrl(opts.dataDir, opts.sandboxUrl),
      timeoutMs: opts.timeoutMs,
      ca: opts.ca,
    }),
  });
  slot.__portalSyncWorker = worker;
  worker.start();
  return worker;
}

/** The running in-process worker, if any (e.g. to poke it after enqueueing). */
export function getInProcessWorker(): SyncWorker | undefined {
  return slot.__portalSyncWorker;
}

/** Wake the in-process worker now instead of at its next poll; a no-op without one. */
export function pokeInProcessWorker(): void {
  slot.__portalSyncWorker?.poke();
}

/**
 * Graceful stop (server shutdown, tests): unstarted jobs handed back at once, calls in flight
 * waited for (at most `graceMs`, see SyncWorker.stop).
 */
export async function stopInProcessWorker(opts: { graceMs?: number } = {}): Promise<WorkerStopReport | undefined> {
  const worker = slot.__portalSyncWorker;
  slot.__portalSyncWorker = undefined;
  return worker?.stop(opts);
}

/** Settings of an organization changed: the in-process worker reloads its account (no-op without one). */
export function reloadAccountInProcessWorker(organizationId: string): void {
  slot.__portalSyncWorker?.forgetAccount(organizationId);
}
