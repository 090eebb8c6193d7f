// The sync worker as its own process: `npm run worker [-- --concurrency 8 --lease-ms 60000]`.
// Reads DATABASE_URL, PORTAL_SECRET_KEY, SANDBOX_URL, SYNC_CONCURRENCY, RDS_TIMEOUT_MS, RDS_CA_FILE
// through lib/env.ts. Stops gracefully on SIGTERM/SIGINT (finishes calls in flight, hands back the rest).
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createPrisma, dataDir } from "../lib/db-core";
import { env } from "../lib/env";
import { closeAgents } from "../lib/redirection/client";
import { accountResolver, readSandboxUrl } from "../lib/sync/account";
import { createSyncWorker } from "../lib/sync/worker";
import { startReconcileScheduler } from "../lib/reconcile/schedule";

const { values: args } = parseArgs({
  options: {
    concurrency: { type: "string" },
    "lease-ms": { type: "string" },
    "poll-ms": { type: "string" },
    "timeout-ms": { type: "string" },
    "backoff-base-ms": { type: "string" },
    "backoff-max-ms": { type: "string" },
    "max-attempts": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

function intArg(name: keyof typeof args, fallback: number): number {
  const raw = args[name];
  if (raw === undefined || typeof raw === "boolean") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got ${raw}`);
    process.exit(2);
  }
  return n;
}

const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
const db = createPrisma(env.DATABASE_URL);
const dir = dataDir(env.DATABASE_URL);
const sandboxUrl = readSandboxUrl(dir, env.SANDBOX_URL);
const log = args.quiet ? () => {} : (line: string) => console.log(`${new Date().toISOString()} ${line}`);

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
    maxAttempts: intArg("max-attempts", 12),
  },
  log,
  resolveAccount: accountResolver(db, {
    dataDir: dir,
    secretKeyHex: env.PORTAL_SECRET_KEY,
    sandboxUrl,
    timeoutMs: intArg("timeout-ms", env.RDS_TIMEOUT_MS),
    ca: env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined,
  }),
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${new Date().toISOString()} ${signal}: stopping worker ${workerId} (finishing calls in flight)`);
  stopScheduler();
  await worker.stop();
  closeAgents();
  await db.$disconnect();
  console.log(`${new Date().toISOString()} worker ${workerId} stopped`);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// Open the database (and load Prisma's query engine, about 60 ms) before the worker starts and says
// so: a database that cannot be opened fails here with its own message, not at the first claim.
try {
  await db.$connect();
} catch (error) {
  console.error(`worker: cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
worker.start();
const stopScheduler = startReconcileScheduler({
  db,
  concurrency: intArg("concurrency", env.SYNC_CONCURRENCY),
  log,
  resolveAccount: accountResolver(db, {
    dataDir: dir,
    secretKeyHex: env.PORTAL_SECRET_KEY,
    sandboxUrl,
    timeoutMs: intArg("timeout-ms", env.RDS_TIMEOUT_MS),
    ca: env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined,
  }),
});
// The worker's own timers are unref'd (they must not keep a web server or a test alive): hold the process here.
setInterval(() => {}, 1 << 30);
console.log(
  `${new Date().toISOString()} worker ${workerId} started (concurrency ${intArg("concurrency", env.SYNC_CONCURRENCY)} per account${sandboxUrl ? `, sandbox ${sandboxUrl}` : ""})`,
);
