// What the portal's server process runs besides pages: the built-in sandbox, the sync worker, the
// reconcile scheduler and the syslog receiver for phones (SYSLOG_PORT).
// Started once from instrumentation.ts (Node.js runtime only).
import { readFileSync } from "node:fs";
import { createPrisma, dataDir, type Db } from "./db-core";
import { loadOrCreateKey } from "./crypto";
import { env } from "./env";
import { startSandbox } from "./redirection/sandbox";
import { startInProcessWorker } from "./sync/in-process";
import { pruneAuthAndAudit } from "./audit/events";
import { startSyslogReceiver } from "./provisioning/syslog";
import { startReconcileScheduler } from "./reconcile/schedule";
import { accountResolver, readSandboxUrl } from "./sync/account";
import { optimizeDatabase, OPTIMIZE_EVERY_MS } from "./db-optimize";
import { backfillSearchKeysAtStart } from "./search-backfill";

const PRUNE_EVERY_MS = 60 * 60_000;

export async function startPortalBackground(): Promise<void> {
  const dir = dataDir(env.DATABASE_URL);
  // The same globalThis slot lib/db.ts uses: one Prisma client per process.
  const slot = globalThis as unknown as { prisma?: Db };
  const db = (slot.prisma ??= createPrisma(env.DATABASE_URL));

  // Planner statistics (SQLite only): at start for every table, then hourly. Not awaited: the
  // first pages may run before it finishes, with the statistics of the last run.
  void optimizeDatabase(db, { databaseUrl: env.DATABASE_URL });
  setInterval(() => void optimizeDatabase(db, { databaseUrl: env.DATABASE_URL }), OPTIMIZE_EVERY_MS).unref();

  // Search keys of rows written before migration search_keys (once; nothing to do afterwards).
  // Not awaited: until it is done, searches miss those rows (seconds for 100 000 phones).
  void backfillSearchKeysAtStart(db);

  // Audit events past their retention, old sign-in failures and ended sessions: once at start, then hourly.
  const prune = () => pruneAuthAndAudit(db).catch((e) => console.error("[portal] prune of audit/sessions failed:", e));
  void prune();
  setInterval(prune, PRUNE_EVERY_MS).unref();

  let sandboxUrl = env.SANDBOX_URL;
  if (!sandboxUrl) {
    const sandbox = await startSandbox(dir, loadOrCreateKey(dir, env.PORTAL_SECRET_KEY), env.SANDBOX_PORT);
    sandboxUrl = sandbox.url;
    console.log(`[portal] built-in sandbox (simulated redirection service) on ${sandbox.url}`);
  }
  if (env.SYSLOG_PORT > 0) {
    const receiver = await startSyslogReceiver({
      db,
      host: env.SYSLOG_HOST,
      port: env.SYSLOG_PORT,
      linesPerPhone: env.SYSLOG_LINES_PER_PHONE,
    });
    console.log(`[portal] syslog receiver for phones on udp ${env.SYSLOG_HOST}:${receiver.port}`);
  }
  if (env.SYNC_WORKER === "off") {
    console.log("[portal] in-process sync worker off (SYNC_WORKER=off): run `npm run worker` separately");
    return;
  }
  const ca = env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined;
  // Daily reconcile and owned-elsewhere recheck run where the queue runs (here, or `npm run worker`).
  startReconcileScheduler({
    db,
    concurrency: env.SYNC_CONCURRENCY,
    resolveAccount: accountResolver(db, {
      dataDir: dir,
      secretKeyHex: env.PORTAL_SECRET_KEY,
      sandboxUrl: readSandboxUrl(dir, sandboxUrl),
      timeoutMs: env.RDS_TIMEOUT_MS,
      ca,
    }),
  });
  startInProcessWorker({
    db,
    dataDir: dir,
    secretKeyHex: env.PORTAL_SECRET_KEY,
    sandboxUrl,
    concurrency: env.SYNC_CONCURRENCY,
    breaker: { probeMinMs: env.SYNC_PROBE_MIN_MS },
    timeoutMs: env.RDS_TIMEOUT_MS,
    ca,
  });
}
