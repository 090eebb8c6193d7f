// What the portal's server process runs besides pages: the built-in sandbox, the sync worker, the
// reconcile scheduler and the syslog receiver for phones (SYSLOG_PORT).
// Started once from instrumentation.ts (Node.js runtime only).
import { readFileSync } from "node:fs";
import { createPrisma, dataDir, type Db } from "./db-core";
import { loadOrCreateKey } from "./crypto";
import { env, isSharedDeployment } from "./env";
import { startSandbox } from "./redirection/sandbox";
import { startInProcessWorker, stopInProcessWorker } from "./sync/in-process";
import { markShuttingDown } from "./health";
import { logger } from "./log";
import { closeAgents } from "./redirection/client";
import { pruneAuthAndAudit } from "./audit/events";
import { startSyslogReceiver } from "./provisioning/syslog";
import { startReconcileScheduler } from "./reconcile/schedule";
import { accountResolver, readSandboxUrl } from "./sync/account";
import { optimizeDatabase, OPTIMIZE_EVERY_MS } from "./db-optimize";
import { backfillSearchKeysAtStart } from "./search-backfill";

const PRUNE_EVERY_MS = 60 * 60_000;
/** How long a stopping server waits for its worker's calls in flight, ms. */
export const DRAIN_MS = 10_000;

const log = logger.child({ component: "portal" });
const background = globalThis as unknown as { __portalStopScheduler?: () => void; __portalShutdown?: Promise<void> };

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
  const prune = () =>
    pruneAuthAndAudit(db).catch((e: unknown) => log.error({ err: e }, "prune of audit/sessions failed"));
  void prune();
  setInterval(prune, PRUNE_EVERY_MS).unref();

  let sandboxUrl = env.SANDBOX_URL;
  if (!sandboxUrl && isSharedDeployment(env.DATABASE_URL)) {
    // Several instances share the database: a sandbox inside each would hold its own registrations.
    log.warn(
      "no SANDBOX_URL: organizations on the sandbox have no service until one simulator is shared (docs/deployment.md)",
    );
  } else if (!sandboxUrl) {
    const sandbox = await startSandbox(dir, loadOrCreateKey(dir, env.PORTAL_SECRET_KEY), env.SANDBOX_PORT);
    sandboxUrl = sandbox.url;
    log.info(`built-in sandbox (simulated redirection service) on ${sandbox.url}`);
  }
  if (env.SYSLOG_PORT > 0) {
    const receiver = await startSyslogReceiver({
      db,
      host: env.SYSLOG_HOST,
      port: env.SYSLOG_PORT,
      linesPerPhone: env.SYSLOG_LINES_PER_PHONE,
    });
    log.info(`syslog receiver for phones on udp ${env.SYSLOG_HOST}:${receiver.port}`);
  }
  if (env.SYNC_WORKER === "off") {
    log.info("in-process sync worker off (SYNC_WORKER=off): run `npm run worker` separately");
    return;
  }
  const ca = env.RDS_CA_FILE ? readFileSync(env.RDS_CA_FILE, "utf8") : undefined;
  // Daily reconcile and owned-elsewhere recheck run where the queue runs (here, or `npm run worker`).
  background.__portalStopScheduler = startReconcileScheduler({
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

/**
 * The server is stopping (SIGTERM/SIGINT): readiness answers 503 from now on, the scheduler stops,
 * the in-process worker hands back its unstarted jobs and gets at most `graceMs` for its calls in
 * flight. Once per process; the HTTP server keeps answering meanwhile.
 */
export function stopPortalBackground(graceMs = DRAIN_MS): Promise<void> {
  background.__portalShutdown ??= (async () => {
    markShuttingDown();
    background.__portalStopScheduler?.();
    const report = await stopInProcessWorker({ graceMs });
    closeAgents();
    if (report) {
      log.info(
        { handedBack: report.handedBack, stillInFlight: report.stillInFlight },
        `sync worker stopped: ${report.handedBack} unstarted job(s) handed back to the queue${report.stillInFlight ? `, ${report.stillInFlight} call(s) still in flight keep their leases until they expire` : ""}`,
      );
    }
  })();
  return background.__portalShutdown;
}

/**
 * Runs stopPortalBackground before Next's own handlers on SIGTERM/SIGINT: `next start` closes its
 * server and exits at once on a signal, which would leave the worker's claimed jobs leased until
 * they expire. Next's listeners are taken over and called after the drain.
 */
export function installGracefulShutdown(): void {
  const flag = globalThis as unknown as { __portalSignalsInstalled?: boolean; __portalStopping?: boolean };
  if (flag.__portalSignalsInstalled) return;
  flag.__portalSignalsInstalled = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const nextListeners = process.listeners(signal);
    process.removeAllListeners(signal);
    process.on(signal, () => {
      // Once: systemd signals every process of the unit and start.mjs forwards the signal too.
      if (flag.__portalStopping) return;
      flag.__portalStopping = true;
      const drainMs = env.SHUTDOWN_DRAIN_MS;
      log.info(
        { signal, drainMs },
        `${signal}: stopping (readiness 503 now; pages served for ${drainMs} ms more${env.SYNC_WORKER === "on" ? ", the sync worker drains meanwhile" : ""}; then the server closes)`,
      );
      // Bounded as a whole too: a database that stopped answering must not hold the exit forever.
      let timer: NodeJS.Timeout | undefined;
      const hardStop = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log.warn(`background did not stop within ${DRAIN_MS + 5_000} ms; exiting anyway`);
          resolve();
        }, DRAIN_MS + 5_000);
      });
      const served = new Promise<void>((resolve) => setTimeout(resolve, drainMs));
      void Promise.all([
        Promise.race([stopPortalBackground(), hardStop])
          .catch((e: unknown) => log.error({ err: e }, "stopping the background failed"))
          .finally(() => clearTimeout(timer)),
        served,
      ]).finally(() => {
        if (nextListeners.length === 0) process.exit(0);
        for (const listener of nextListeners) listener(signal);
      });
    });
  }
  // The last line of a stopping server (pino writes synchronously, so it gets out during exit).
  process.once("exit", (code) => log.info({ exitCode: code }, "portal stopped"));
}
