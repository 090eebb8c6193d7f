// The sync worker as its own process: `npm run worker [-- --concurrency 8 --lease-ms 60000
// --drain-ms 10000 --health-port 9101]`. Reads DATABASE_URL, PORTAL_SECRET_KEY, SANDBOX_URL,
// SYNC_CONCURRENCY, RDS_TIMEOUT_MS, RDS_CA_FILE, LOG_FORMAT through lib/env.ts.
//
// On SIGTERM/SIGINT: readiness turns 503, no more claims, the jobs it claimed but did not start go
// back at once (lease cleared), calls in flight get up to --drain-ms to finish and be written; then
// it exits 0. With --health-port, GET /api/health/live and /api/health/ready answer as the web
// server's do (lib/health.ts), on --health-host (default 127.0.0.1).
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createPrisma, dataDir } from "../lib/db-core";
import { env } from "../lib/env";
import { markShuttingDown, startHealthServer } from "../lib/health";
import { logger, logProcessEvents } from "../lib/log";
import { closeAgents } from "../lib/redirection/client";
import { accountResolver, readSandboxUrl } from "../lib/sync/account";
import { createSyncWorker } from "../lib/sync/worker";
import { logWorkerLine } from "../lib/sync/in-process";
import type { LogFields } from "../lib/sync/writer";
import { shortCause } from "../lib/sync/db-trouble";
import { startReconcileScheduler } from "../lib/reconcile/schedule";

logProcessEvents();

/** How long a stopping worker waits for calls in flight by default, ms. */
const DEFAULT_DRAIN_MS = 10_000;

const OPTIONS = {
  concurrency: { type: "string" },
  "lease-ms": { type: "string" },
  "poll-ms": { type: "string" },
  "timeout-ms": { type: "string" },
  "backoff-base-ms": { type: "string" },
  "backoff-max-ms": { type: "string" },
  "backoff-answering-max-ms": { type: "string" },
  "max-attempts": { type: "string" },
  "drain-ms": { type: "string" },
  "health-port": { type: "string" },
  "health-host": { type: "string" },
  quiet: { type: "boolean", default: false },
} as const;

function readArgs() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    logger.fatal(`worker: ${(error as Error).message}`);
    process.exit(2);
  }
}
const args = readArgs();

function intArg(name: keyof typeof OPTIONS, fallback: number, min = 1): number {
  const raw = args[name];
  if (raw === undefined || typeof raw === "boolean") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > 2 ** 31) {
    logger.fatal(`worker: --${name} must be an integer of at least ${min}, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
const log = logger.child({ workerId });
/**
 * The worker's and scheduler's state-change lines; --quiet drops the info ones (start and stop, and
 * warnings and errors such as an unreachable database, are still logged).
 */
const stateLog = (line: string, fields?: LogFields) => {
  if (args.quiet && (fields?.level ?? "info") === "info") return;
  logWorkerLine(log, line, fields);
};
const db = createPrisma(env.DATABASE_URL);
const dir = dataDir(env.DATABASE_URL);
const sandboxUrl = readSandboxUrl(dir, env.SANDBOX_URL);
const drainMs = intArg("drain-ms", DEFAULT_DRAIN_MS, 0);
const healthPort = args["health-port"] === undefined ? undefined : intArg("health-port", 0, 0);
const resolveAccount = accountResolver(db, {
  dataDir: dir,
  secretKeyHex: env.PORTAL_SECRET_KEY,
  sandboxUrl,
  timeoutMs: intArg("timeout-ms", env.RDS_TIMEOUT_MS),
  ca: env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined,
});

const worker = createSyncWorker({
  db,
  workerId,
  concurrency: intArg("concurrency", env.SYNC_CONCURRENCY),
  leaseMs: intArg("lease-ms", 60_000),
  pollMs: intArg("poll-ms", 500),
  breaker: { probeMinMs: env.SYNC_PROBE_MIN_MS },
  backoff: {
    baseMs: intArg("backoff-base-ms", 2_000),
    maxMs: intArg("backoff-max-ms", 15 * 60_000),
    answeringMaxMs: intArg("backoff-answering-max-ms", 5_000),
    maxAttempts: intArg("max-attempts", 12),
  },
  log: stateLog,
  resolveAccount,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  markShuttingDown();
  log.info(
    { signal, drainMs },
    `${signal}: stopping worker ${workerId} (readiness 503; unstarted jobs handed back, calls in flight get ${drainMs} ms)`,
  );
  // Bounded as a whole too: a database that stopped answering must not hold the exit forever.
  setTimeout(() => {
    log.warn(`worker ${workerId} did not stop within ${drainMs + 5_000} ms; exiting anyway`);
    process.exit(1);
  }, drainMs + 5_000).unref();
  stopScheduler();
  const { handedBack, stillInFlight } = await worker.stop({ graceMs: drainMs });
  closeAgents();
  await db.$disconnect();
  log.info(
    { handedBack, stillInFlight },
    `worker ${workerId} stopped: ${handedBack} unstarted job(s) handed back to the queue${stillInFlight ? `, ${stillInFlight} call(s) still in flight keep their leases until they expire` : ""}`,
  );
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// Open the database (and load Prisma's query engine, about 60 ms) before the worker starts and says
// so: a database that cannot be opened fails here with its own message, not at the first claim.
try {
  await db.$connect();
} catch (error) {
  log.fatal(`worker: cannot open the database: ${shortCause(error)}`);
  process.exit(1);
}
const health =
  healthPort === undefined ? undefined : await startHealthServer({ db, port: healthPort, host: args["health-host"] });
worker.start();
const stopScheduler = startReconcileScheduler({
  db,
  concurrency: intArg("concurrency", env.SYNC_CONCURRENCY),
  log: stateLog,
  resolveAccount,
});
// The worker's own timers are unref'd (they must not keep a web server or a test alive): hold the process here.
setInterval(() => {}, 1 << 30);
log.info(
  { healthPort: health?.port },
  `worker ${workerId} started (concurrency ${intArg("concurrency", env.SYNC_CONCURRENCY)} per account${sandboxUrl ? `, sandbox ${sandboxUrl}` : ""}${health ? `, health on http://${args["health-host"] ?? "127.0.0.1"}:${health.port}/api/health/ready` : ""})`,
);
