// Scale-out benchmark (issue 14, point 6): `npm run bench:scale [-- --phones 10000 --orgs 4
// --instances 3 --concurrency 4 --latency-ms 600 --fault-rate 0.3 --kill-at 0.4]`.
//
// One PostgreSQL database shared by several app instances, one shared simulator, 10 000 phones,
// 30 % injected faults, one instance SIGKILLed mid-run:
// - PostgreSQL: a throw-away server (scripts/lib/pg-server.mjs, a port between 55600 and 55699) or
//   `--database-url postgresql://…` naming a server where the bench may create (and afterwards drop) a
//   database of its own; migrated with the real `prisma migrate deploy`.
// - Instances: `--instances` × `scripts/worker.ts`, each its own process (`node --import tsx`, so the
//   PID is the worker and SIGKILL really kills it) with its own pg pool (DATABASE_POOL_SIZE, default 10).
//   That is the production shape the README documents for scaling out (web servers with
//   SYNC_WORKER=off, workers beside them); `next start` with the in-process worker runs the very same
//   createSyncWorker, so the web servers would add only their idle CPU and a build to the run.
//   Every worker gets ALLOW_PRIVATE_ENDPOINTS=1 (the simulator is on loopback) and one PORTAL_SECRET_KEY.
// - The simulator: `scripts/simulator.ts` as its own process (its CPU is not the workers'), one account
//   per organization, `--latency-ms` per call, `--fault-rate` of the calls answered by a fault drawn
//   from `--fault-modes` (default http500, http503, reset: transient, and each costs the full latency
//   because the simulator injects them after its delay; `hang` costs the client's timeout instead,
//   RDS_TIMEOUT_MS from `--timeout-ms`, and the ideal below counts it so; the simulator's record of
//   a hung call ends when it picks the fault, so the slot-use figures then count less than the
//   worker really waited).
// - Phones: `--orgs` organizations (CUSTOM endpoint, own username and password, own URL template),
//   `--phones` in all, queued through the outbox (createMany + enqueueNewPhones, as the app does) in
//   chunks of 500, round-robin over the organizations, while the workers already run.
// - The kill: when `--kill-at` of the phones are synced, the first instance gets SIGKILL; the jobs it
//   held under lease wait for the lease (60 s, the worker's default: scripts/worker.ts has no
//   environment setting for it, so an operator runs with 60 s) and are taken over by the others.
//
// Measured from the simulator's call log (each call with its arrival and answer time, MAC, account):
// `concurrent_double_pushes` = pairs of registerPhone calls for the same account and MAC whose
// [startedAt, at] intervals overlap; `lost` = phones not registered at the simulator for their
// organization's account with its URL, or not `synced` in the database; `seconds` from the start of
// queueing until every phone is synced. `ideal_seconds` = the registerPhone calls the faults make
// necessary, phones / (1 − fault rate), each costing the latency (a hang: the timeout), divided by
// the aggregate concurrency instances × organizations × SYNC_CONCURRENCY (a worker keeps one lane of
// up to SYNC_CONCURRENCY calls per organization). It ignores the instance lost to the kill and the
// backoff before retries; `ideal_after_kill_seconds` adds the first.
//
// Targets: lost = 0, concurrent_double_pushes = 0, every phone synced, seconds <= 1.5 × ideal_seconds;
// exit code 1 when one is missed. The last line is one JSON object.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createPrisma } from "../lib/db-core";
import { FAULT_MODES, type FaultMode, type SimulatorCall, type SimulatedPhone } from "../lib/redirection/simulator";
import { createCustomOrg, createQueuedPhones, TEST_KEY_HEX } from "../tests/support/sync-fixtures";
import { inFlightTimeline, overlappingPairs, peakInFlight } from "./lib/call-log";
import { cpuSeconds } from "./lib/proc";
// @ts-expect-error plain ESM helper without types
import { startPostgres } from "./lib/pg-server.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The worker's lease (scripts/worker.ts `--lease-ms` default): what a deployment runs with. */
const LEASE_MS = 60_000;

const OPTIONS = {
  phones: { type: "string", default: "10000" },
  orgs: { type: "string", default: "4" },
  instances: { type: "string", default: "3" },
  concurrency: { type: "string", default: "4" },
  // 3 × 4 × 4 = 48 slots at 600 ms: at most 80 calls/s. The shared 2-core machine (load 6–12 from
  // other work) carried about 100 calls/s in all (workers, simulator, PostgreSQL) at 300 ms without
  // faults, so 600 ms keeps it from being the bottleneck.
  "latency-ms": { type: "string", default: "600" },
  "fault-rate": { type: "string", default: "0.3" },
  "fault-modes": { type: "string", default: "http500,http503,reset" },
  "timeout-ms": { type: "string" },
  "kill-at": { type: "string", default: "0.4" },
  "database-url": { type: "string" },
  "pg-port": { type: "string" },
  "max-seconds": { type: "string", default: "1200" },
  verbose: { type: "boolean", default: false },
} as const;

const USAGE =
  "usage: bench-scale [--phones N] [--orgs N] [--instances N >= 2] [--concurrency C] [--latency-ms MS] [--fault-rate 0..0.9]" +
  " [--fault-modes http500,http503,reset,hang] [--timeout-ms MS] [--kill-at 0..1] [--database-url postgresql://…] [--pg-port 55600-55699] [--max-seconds S]";

function fail(message: string): never {
  console.error(`bench-scale: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({ options: OPTIONS, allowPositionals: false }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
const values = parseOptions();

function intOption(name: keyof typeof values, min: number, max: number): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

const phones = intOption("phones", 1, 200_000);
const orgCount = intOption("orgs", 1, 50);
const instances = intOption("instances", 2, 16);
const concurrency = intOption("concurrency", 1, 64);
const latencyMs = intOption("latency-ms", 0, 10_000);
const maxSeconds = intOption("max-seconds", 10, 24 * 3600);
const faultRate = Number(values["fault-rate"]);
if (!(faultRate >= 0 && faultRate <= 0.9)) fail("--fault-rate must be between 0 and 0.9");
const killAt = Number(values["kill-at"]);
if (!(killAt >= 0 && killAt < 1)) fail("--kill-at must be at least 0 and below 1");
const faultModes = values["fault-modes"]!.split(",")
  .map((m) => m.trim())
  .filter(Boolean) as FaultMode[];
const badMode = faultModes.find((m) => !(FAULT_MODES as readonly string[]).includes(m));
if (badMode || faultModes.length === 0)
  fail(`--fault-modes: unknown mode "${badMode ?? ""}" (${FAULT_MODES.join(", ")})`);
const timeoutMs = values["timeout-ms"] === undefined ? undefined : intOption("timeout-ms", 100, 120_000);
/** What a hung call costs: the worker's call timeout (RDS_TIMEOUT_MS, default 15 s). */
const hangCostMs = timeoutMs ?? 15_000;
const pgPort =
  values["pg-port"] === undefined ? 55600 + Math.floor(Math.random() * 100) : intOption("pg-port", 1024, 65535);
if (values["database-url"] && !/^postgres(ql)?:\/\//i.test(values["database-url"]))
  fail("--database-url must be a postgresql:// URL");
if (orgCount > phones) fail("--orgs must not exceed --phones");

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The message of one log line: the worker script logs JSON lines (lib/log.ts), `msg` holds the text. */
function messageOf(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === "object" && "msg" in parsed && typeof parsed.msg === "string") return parsed.msg;
  } catch {
    // not JSON after all: the line as it is
  }
  return line;
}

function lines(child: ChildProcess, onLine: (line: string) => void): void {
  let buffered = "";
  const feed = (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    for (const line of parts) onLine(messageOf(line));
  };
  child.stdout?.on("data", feed);
  child.stderr?.on("data", feed);
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Waits until `ready` returns a value from a line of the child's output; rejects if it exits or after `ms`. */
function waitForLine<T>(
  child: ChildProcess,
  what: string,
  ready: (line: string) => T | undefined,
  ms = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms / 1000} s`)), ms);
    const tail: string[] = [];
    lines(child, (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const v = ready(line);
      if (v !== undefined) {
        clearTimeout(timer);
        resolve(v);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? signal}) before starting:\n${tail.join("\n")}`));
    });
  });
}

type Instance = {
  index: number;
  child: ChildProcess;
  workerId: string;
  logLines: number;
  circuitOpens: number;
  gaveUp: number;
  /** CPU seconds, read just before it was stopped or killed. */
  cpu: number | null;
};

async function startInstance(index: number, databaseUrl: string, dataDir: string): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORTAL_SECRET_KEY: TEST_KEY_HEX,
      // Shared by every instance, as lib/env.ts requires off SQLite; the workers sign no sessions.
      NEXTAUTH_SECRET: "bench-scale-shared-secret-not-for-production",
      PORTAL_DATA_DIR: dataDir,
      NODE_ENV: "production",
      ALLOW_PRIVATE_ENDPOINTS: "1",
      SYNC_CONCURRENCY: String(concurrency),
      ...(timeoutMs !== undefined ? { RDS_TIMEOUT_MS: String(timeoutMs) } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const instance: Instance = { index, child, workerId: "", logLines: 0, circuitOpens: 0, gaveUp: 0, cpu: null };
  lines(child, (line) => {
    instance.logLines++;
    if (/circuit open after/.test(line)) instance.circuitOpens++;
    if (/ gave_up after /.test(line)) instance.gaveUp++;
    if (values.verbose || /circuit|database unreachable|database reachable|error|Error/.test(line)) console.log(`  [instance ${index}] ${line}`);
  });
  instance.workerId = await waitForLine(
    child,
    `instance ${index}`,
    (line) => /(?:^| )worker (\S+) started /.exec(line)?.[1],
  );
  return instance;
}

type Org = { id: string; username: string; password: string; urlTemplate: string };

async function main(): Promise<void> {
  const load = (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`load average before the run: ${load}`);
  const scratch = mkdtempSync(path.join(tmpdir(), "bench-scale-"));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));

  // --- the database ---------------------------------------------------------------------------
  let adminUrl = values["database-url"];
  if (!adminUrl) {
    const server = startPostgres({ port: pgPort });
    cleanups.push(() => server.stop());
    adminUrl = server.url as string;
    console.log(`PostgreSQL started on 127.0.0.1:${server.port}`);
  }
  const dbName = `bench_scale_${randomBytes(4).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${dbName}"`);
  const admin = adminUrl;
  cleanups.push(() => adminQuery(admin, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {}));
  const databaseUrl = withDatabase(adminUrl, dbName);
  const migrated = await run(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    DATABASE_URL: databaseUrl,
  });
  if (migrated.code !== 0) throw new Error(`prisma migrate deploy failed:\n${migrated.output}`);
  console.log(`database ${dbName} migrated with prisma migrate deploy`);
  const db = createPrisma(databaseUrl);
  cleanups.push(() => db.$disconnect());

  // --- the simulator --------------------------------------------------------------------------
  const orgAccounts = Array.from({ length: orgCount }, (_, i) => ({
    username: `reseller-${i + 1}`,
    password: `pw-${i + 1}-${randomBytes(6).toString("hex")}`,
    company: `Reseller ${i + 1} AG`,
  }));
  const sim = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/simulator.ts",
      "--port",
      "0",
      "--latency-ms",
      String(latencyMs),
      ...(faultRate > 0 ? ["--fault-rate", String(faultRate), "--fault-mode", faultModes.join(",")] : []),
      ...orgAccounts.flatMap((a) => ["--account", `${a.username}:${a.password}:${a.company}`]),
    ],
    { cwd: ROOT, env: { ...process.env, PORTAL_SECRET_KEY: "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(sim);
  const simUrl = await waitForLine(sim, "simulator", (line) => /listening on (http:\/\/[^\s"]+)/.exec(line)?.[1]);
  const controlUrl = simUrl.replace(/\/xmlrpc\/$/, "/_control/");
  console.log(
    `simulator at ${simUrl}: ${latencyMs} ms per call, ${faultRate * 100} % faults (${faultModes.join(", ")})`,
  );

  const orgs: Org[] = [];
  for (const [i, a] of orgAccounts.entries()) {
    const urlTemplate = `https://prov.reseller-${i + 1}.example/snom/{mac}.xml`;
    const org = await createCustomOrg(db, simUrl, {
      keyHex: TEST_KEY_HEX,
      username: a.username,
      password: a.password,
      urlTemplate,
    });
    orgs.push({ id: org.id, username: a.username, password: a.password, urlTemplate });
  }

  // --- the instances --------------------------------------------------------------------------
  const dataDir = path.join(scratch, "data");
  const started = await Promise.all(
    Array.from({ length: instances }, (_, i) => startInstance(i + 1, databaseUrl, dataDir)),
  );
  console.log(
    `${instances} instances started (SYNC_CONCURRENCY ${concurrency} per organization, lease ${LEASE_MS / 1000} s)`,
  );

  // --- queueing, the run and the kill ----------------------------------------------------------
  const t0 = Date.now();
  const chunk = 500;
  const perOrg = orgs.map((_, i) => Math.floor(phones / orgCount) + (i < phones % orgCount ? 1 : 0));
  const queuedPerOrg = orgs.map(() => 0);
  // MACs are global at the service: each organization gets its own range.
  const firstMacOf = orgs.map((_, i) => 1 + perOrg.slice(0, i).reduce((a, b) => a + b, 0));
  const queueing = (async () => {
    while (queuedPerOrg.some((q, i) => q < perOrg[i])) {
      for (const [i, org] of orgs.entries()) {
        const n = Math.min(chunk, perOrg[i] - queuedPerOrg[i]);
        if (n <= 0) continue;
        await createQueuedPhones(db, org.id, n, { firstMac: firstMacOf[i] + queuedPerOrg[i] });
        queuedPerOrg[i] += n;
      }
    }
    return (Date.now() - t0) / 1000;
  })();
  let queueSeconds: number | null = null;
  void queueing.then((s) => {
    queueSeconds = s;
    console.log(`queued ${phones} phones in ${s.toFixed(1)} s`);
  });

  const progress: { t: number; synced: number }[] = [];
  let killed: {
    instance: Instance;
    atSynced: number;
    atMs: number;
    heldJobs: string[];
    held: { mac: string; organizationId: string }[];
  } | null = null;
  let takeoverDoneS: number | null = null;
  let synced = 0;
  let lastPrint = 0;
  for (;;) {
    const living = started.filter((s) => s !== killed?.instance);
    const dead = living.find((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    if (dead)
      throw new Error(`instance ${dead.index} exited on its own (${dead.child.exitCode ?? dead.child.signalCode})`);
    if (sim.exitCode !== null) throw new Error("the simulator exited");
    synced = await db.phone.count({ where: { syncStatus: "synced" } });
    const now = Date.now();
    progress.push({ t: (now - t0) / 1000, synced });
    if (!killed && synced >= killAt * phones) {
      const victim = started[0];
      victim.cpu = cpuSeconds(victim.child.pid!);
      victim.child.kill("SIGKILL");
      await exitOf(victim.child);
      // From here on no call can start in the killed process (one it sent just before may still arrive).
      const deadAt = Date.now();
      const held = await db.syncJob.findMany({
        where: { claimedBy: victim.workerId, leaseUntil: { gt: new Date() } },
        select: { id: true, mac: true, organizationId: true },
      });
      killed = { instance: victim, atSynced: synced, atMs: deadAt, heldJobs: held.map((j) => j.id), held };
      console.log(
        `${((now - t0) / 1000).toFixed(1)} s: SIGKILL instance ${victim.index} at ${synced} synced; it held ${held.length} jobs under lease`,
      );
    }
    if (killed && takeoverDoneS === null) {
      const left =
        killed.heldJobs.length === 0 ? 0 : await db.syncJob.count({ where: { id: { in: killed.heldJobs } } });
      if (left === 0) {
        takeoverDoneS = (now - killed.atMs) / 1000;
        console.log(
          `${((now - t0) / 1000).toFixed(1)} s: the killed instance's jobs are all done (${takeoverDoneS.toFixed(1)} s after the kill)`,
        );
      }
    }
    if (synced >= phones && queueSeconds !== null) break;
    if (now - lastPrint >= 10_000) {
      lastPrint = now;
      const retrying = await db.phone.count({ where: { syncStatus: "retrying" } });
      console.log(`${((now - t0) / 1000).toFixed(1)} s: ${synced} synced, ${retrying} retrying`);
    }
    if (now - t0 > maxSeconds * 1000) {
      console.error(`bench-scale: not every phone synced within --max-seconds ${maxSeconds}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tEnd = Date.now();
  const seconds = (tEnd - t0) / 1000;

  // --- stop and read the outcome ---------------------------------------------------------------
  for (const s of started) {
    if (s === killed?.instance) continue;
    s.cpu = cpuSeconds(s.child.pid!);
    s.child.kill("SIGTERM");
  }
  await Promise.all(started.map((s) => exitOf(s.child)));
  const state = (await (await fetch(`${controlUrl}state`)).json()) as {
    phones: Record<string, SimulatedPhone>;
    calls: SimulatorCall[];
  };
  const simCpu = cpuSeconds(sim.pid!);
  sim.kill("SIGTERM");
  await exitOf(sim);

  const accountOfOrg = new Map(orgs.map((o) => [o.id, o]));
  const ourUsers = new Set(orgs.map((o) => o.username));
  const registerCalls = state.calls.filter(
    (c) => c.method === "redirect.registerPhone" && c.username && ourUsers.has(c.username),
  );
  const faults = registerCalls.filter((c) => c.outcome.startsWith("fault:")).length;
  const doublePushes = overlappingPairs(registerCalls);
  const dbPhones = await db.phone.findMany({ select: { mac: true, organizationId: true, syncStatus: true } });
  const lostPhones = dbPhones.filter((p) => {
    const org = accountOfOrg.get(p.organizationId)!;
    const held = state.phones[p.mac];
    return p.syncStatus !== "synced" || held?.owner !== org.username || held.url !== org.urlTemplate;
  });
  const statuses = await db.phone.groupBy({ by: ["syncStatus"], _count: { _all: true } });
  const byActor = await db.syncEvent.groupBy({
    by: ["actor"],
    where: { method: "registerPhone" },
    _count: { _all: true },
  });
  const callsByInstance = Object.fromEntries(
    started.map((s) => [String(s.index), byActor.find((a) => a.actor === `worker:${s.workerId}`)?._count._all ?? 0]),
  );
  const jobsLeft = await db.syncJob.count();
  const attempts = await db.phone.groupBy({ by: ["attempts"], _count: { _all: true }, orderBy: { attempts: "asc" } });
  // The phone synced last: how many calls it took and how long it was retried (backoff between them).
  const lastOk = registerCalls
    .filter((c) => c.outcome === "ok")
    .reduce((a, b) => (b.at > a.at ? b : a), registerCalls[0]);
  const tailCalls = registerCalls.filter((c) => c.username === lastOk?.username && c.mac === lastOk?.mac);

  // --- figures ----------------------------------------------------------------------------------
  const hangShare = faultModes.filter((m) => m === "hang").length / faultModes.length;
  const callsNeeded = faultRate < 1 ? phones / (1 - faultRate) : Infinity;
  const meanCostMs = (1 - faultRate) * latencyMs + faultRate * (hangShare * hangCostMs + (1 - hangShare) * latencyMs);
  const slots = instances * orgCount * concurrency;
  const ideal = (callsNeeded * meanCostMs) / 1000 / slots;
  // After the kill only instances − 1 are left for the rest of the work.
  const idealAfterKill = ideal * (killAt + ((1 - killAt) * instances) / (instances - 1));
  const inCalls = registerCalls.map((c) => ({ startedAt: c.startedAt, at: c.at }));
  const busyMs = inCalls.reduce((sum, c) => sum + (c.at - c.startedAt), 0);
  const slotUse = busyMs / 1000 / (slots * seconds);
  const timeline = inFlightTimeline(inCalls, t0, tEnd, 10_000);
  const peak = peakInFlight(inCalls);
  // Takeover: the first call for each job the killed instance held, by whichever instance, after the kill.
  const takeovers = (killed?.held ?? []).map((h) => {
    const username = accountOfOrg.get(h.organizationId)!.username;
    const first = registerCalls.find((c) => c.username === username && c.mac === h.mac && c.startedAt > killed!.atMs);
    return first ? (first.startedAt - killed!.atMs) / 1000 : null;
  });
  const takenOver = takeovers.filter((t): t is number => t !== null);
  /** Share of `slotCount` slots the service was busy with calls between `from` and `to` (epoch ms). */
  const busyShare = (from: number, to: number, slotCount: number) => {
    if (to <= from) return null;
    const ms = inCalls.reduce((sum, c) => sum + Math.max(0, Math.min(to, c.at) - Math.max(from, c.startedAt)), 0);
    return Number((ms / (slotCount * (to - from))).toFixed(3));
  };
  const t99 = progress.find((p) => p.synced >= 0.99 * phones);
  const useBeforeKill = killed ? busyShare(t0 + (queueSeconds ?? 0) * 1000, killed.atMs, slots) : null;
  const useAfterKill =
    killed && t99 ? busyShare(killed.atMs, t0 + t99.t * 1000, (instances - 1) * orgCount * concurrency) : null;
  const clientCalls = await db.syncEvent.aggregate({ where: { method: "registerPhone" }, _avg: { durationMs: true } });
  const at99 = t99?.t ?? null;
  const loadAfter = (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

  console.log(
    `statuses: ${JSON.stringify(Object.fromEntries(statuses.map((s) => [s.syncStatus, s._count._all])))}; jobs left ${jobsLeft}`,
  );
  console.log(`phones by attempts used: ${attempts.map((a) => `${a.attempts}: ${a._count._all}`).join(", ")}`);
  if (lastOk) {
    const gaps = tailCalls.slice(1).map((c, i) => ((c.startedAt - tailCalls[i].at) / 1000).toFixed(1));
    console.log(
      `synced last: ${lastOk.mac} of ${lastOk.username}, ${tailCalls.length} calls from ${((tailCalls[0].startedAt - t0) / 1000).toFixed(1)} s to ${((lastOk.at - t0) / 1000).toFixed(1)} s; waits between them ${gaps.join(", ")} s`,
    );
  }
  console.log(
    `CPU seconds: instances ${started.map((s) => s.cpu?.toFixed(1)).join(", ")} (instance 1 until the kill), simulator ${simCpu?.toFixed(1)}; most calls in the service's hands at once ${peak}`,
  );
  console.log(
    `registerPhone calls ${registerCalls.length} (${faults} faulted) for ${phones} phones; expected about ${Math.round(callsNeeded)}; by instance (history) ${JSON.stringify(callsByInstance)}`,
  );
  console.log(
    `calls in the service's hands, average per 10 s (of ${slots} slots; ${instances - 1} instances after the kill: ${(instances - 1) * orgCount * concurrency}): ${timeline.join(" ")}`,
  );
  if (killed)
    console.log(
      `takeover: ${takenOver.length} of the ${killed.held.length} jobs the killed instance held were called again ${takenOver.length ? `${Math.min(...takenOver).toFixed(1)}–${Math.max(...takenOver).toFixed(1)} s` : "-"} after the kill (lease ${LEASE_MS / 1000} s)`,
    );
  console.log(
    `slots busy from queued to the kill ${useBeforeKill} (of ${slots}), from the kill to 99 % synced ${useAfterKill} (of ${(instances - 1) * orgCount * concurrency}); a call as the worker timed it ${clientCalls._avg.durationMs?.toFixed(0)} ms (latency ${latencyMs} ms)`,
  );
  console.log(
    `slots busy ${(slotUse * 100).toFixed(1)} % over the run; 99 % synced at ${at99?.toFixed(1)} s, all at ${seconds.toFixed(1)} s; circuit opens ${started.reduce((n, s) => n + s.circuitOpens, 0)}; gave up ${started.reduce((n, s) => n + s.gaveUp, 0)}`,
  );
  console.log(
    `seconds ${seconds.toFixed(1)} against ideal ${ideal.toFixed(1)} (ratio ${(seconds / ideal).toFixed(2)}), ideal with the killed instance gone ${idealAfterKill.toFixed(1)}; load average after: ${loadAfter}`,
  );

  const result = {
    phones,
    synced,
    lost: lostPhones.length,
    concurrent_double_pushes: doublePushes,
    seconds: Number(seconds.toFixed(1)),
    ideal_seconds: Number(ideal.toFixed(1)),
    ratio: Number((seconds / ideal).toFixed(2)),
    ideal_after_kill_seconds: Number(idealAfterKill.toFixed(1)),
    instances,
    organizations: orgCount,
    sync_concurrency: concurrency,
    slots,
    killed_at_synced: killed?.atSynced ?? null,
    killed_held_jobs: killed?.heldJobs.length ?? null,
    takeover_first_call_s: takenOver.length ? Number(Math.min(...takenOver).toFixed(1)) : null,
    takeover_last_call_s: takenOver.length ? Number(Math.max(...takenOver).toFixed(1)) : null,
    takeover_done_s: takeoverDoneS === null ? null : Number(takeoverDoneS.toFixed(1)),
    fault_rate: faultRate,
    fault_modes: faultModes,
    latency_ms: latencyMs,
    lease_ms: LEASE_MS,
    calls: registerCalls.length,
    faults,
    retries: registerCalls.length - phones,
    calls_by_instance: callsByInstance,
    slot_use: Number(slotUse.toFixed(3)),
    slot_use_before_kill: useBeforeKill,
    slot_use_after_kill: useAfterKill,
    client_call_ms: clientCalls._avg.durationMs === null ? null : Math.round(clientCalls._avg.durationMs),
    peak_in_flight: peak,
    max_attempts: attempts.at(-1)?.attempts ?? null,
    last_phone_calls: tailCalls.length,
    synced_99pct_s: at99 === null ? null : Number(at99.toFixed(1)),
    queue_seconds: queueSeconds,
    load_before: load,
    load_after: loadAfter,
  };
  const missed = [
    result.lost > 0 && `lost ${result.lost}`,
    doublePushes > 0 && `concurrent_double_pushes ${doublePushes}`,
    synced < phones && `only ${synced} of ${phones} synced`,
    seconds > 1.5 * ideal && `seconds ${seconds.toFixed(1)} > 1.5 × ideal ${(1.5 * ideal).toFixed(1)}`,
  ].filter(Boolean);
  if (missed.length > 0) {
    console.error(`TARGET MISSED: ${missed.join("; ")}`);
    process.exitCode = 1;
  }
  console.log(JSON.stringify(result));
}

function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function cleanUp(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all([...children].map(exitOf));
  // Last set up, first taken down: the client before its database, the database before its server.
  for (const step of cleanups.reverse()) await step();
}

process.on("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => void cleanUp());
