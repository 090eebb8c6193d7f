// Sync throughput benchmark: `npm run bench:sync -- --phones 1000 --latency-ms 50 --concurrency 8`.
// `--capacity 16 --ceiling 32`: the simulator serves 16 calls at once (429 beyond) and the worker's
// ceiling is 32 (`--ceiling` is `--concurrency`): the ideal is then bound by the capacity, and the
// adaptive limit must find it by shrinking on 429, with no phone failing because of them.
//
// A temporary SQLite database from the migrations, the simulator (in this process) answering every
// call after `latency-ms`, one CUSTOM organization pointing at it, N phones queued through the
// outbox, then the real worker as its own process (`node --import tsx scripts/worker.ts`) so its
// peak RSS (VmHWM) is its own. The clock runs from the worker's "started" line to the moment every
// phone is synced (process start-up, about a second of tsx + Prisma, is reported separately).
// The last line is one JSON object.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrisma } from "../lib/db-core";
import { createTestDatabase } from "../tests/support/test-db";
import { createCustomOrg, createQueuedPhones, startTestSimulator, TEST_KEY_HEX, URL_TEMPLATE, SIM_USER } from "../tests/support/sync-fixtures";

const { values } = parseArgs({
  options: {
    phones: { type: "string", default: "1000" },
    "latency-ms": { type: "string", default: "50" },
    concurrency: { type: "string", default: "8" },
    ceiling: { type: "string" },
    capacity: { type: "string" },
    quiet: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const phones = Number(values.phones);
const latencyMs = Number(values["latency-ms"]);
const concurrency = Number(values.ceiling ?? values.concurrency);
const capacity = values.capacity === undefined ? undefined : Number(values.capacity);
if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 1)) {
  console.error("bench-sync: --capacity must be a whole number >= 1");
  process.exit(2);
}
if (![phones, latencyMs, concurrency].every((n) => Number.isInteger(n) && n >= 0) || phones < 1 || concurrency < 1) {
  console.error("usage: bench-sync --phones N --latency-ms MS --concurrency C");
  process.exit(2);
}

/** CPU seconds (user + system) the process has used so far, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function vmHwmMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { url, dir } = createTestDatabase("bench-sync-");
  const db = createPrisma(url);
  const sim = await startTestSimulator({ latencyMs, seedForeignMacs: false, ...(capacity ? { capacity } : {}) });
  const org = await createCustomOrg(db, sim.url, { keyHex: TEST_KEY_HEX });
  const setupStart = performance.now();
  const { phones: created } = await createQueuedPhones(db, org.id, phones);
  console.log(`queued ${created.length} phones in ${((performance.now() - setupStart) / 1000).toFixed(2)} s (db ${dir})`);

  const root = path.resolve(import.meta.dirname, "..");
  const spawnedAt = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/worker.ts", "--concurrency", String(concurrency), ...(values.quiet ? ["--quiet"] : [])],
    {
      cwd: root,
      // The bench's simulator listens on loopback, which custom endpoints may reach only with this.
      env: { ...process.env, DATABASE_URL: url, PORTAL_SECRET_KEY: TEST_KEY_HEX, NODE_ENV: "production", ALLOW_PRIVATE_ENDPOINTS: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let logLines = 0;
  let started: number | null = null;
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      logLines++;
      if (started === null && / started /.test(line)) started = performance.now();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  let synced = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited early with code ${child.exitCode}`);
    synced = await db.phone.count({ where: { organizationId: org.id, syncStatus: "synced" } });
    if (synced === phones && started !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const finished = performance.now();
  const peakRssMb = vmHwmMb(child.pid!);
  const workerCpu = cpuSeconds(child.pid!);
  child.kill("SIGTERM");
  await exited;

  const held = sim.state().phones;
  const wrong = created.filter((p) => held[p.mac]?.url !== URL_TEMPLATE || held[p.mac]?.owner !== SIM_USER);
  const registerCalls = sim.callCount("redirect.registerPhone");
  const throttled = sim.state().calls.filter((c) => c.outcome === "throttled").length;
  const failed = await db.phone.count({ where: { syncStatus: { in: ["failed", "retrying", "rejected"] } } });
  const leftJobs = await db.syncJob.count();
  // Load-independent view: how busy the worker kept its `concurrency` slots, and how long calls took.
  const calls = await db.syncEvent.aggregate({ _avg: { durationMs: true }, _sum: { durationMs: true } });
  await sim.close();
  await db.$disconnect();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });

  const seconds = (finished - (started ?? spawnedAt)) / 1000;
  // With a capacity below the ceiling, the service cannot take more than `capacity` calls at once.
  const bound = Math.min(concurrency, capacity ?? Infinity);
  const ideal = (phones * latencyMs) / 1000 / bound;
  const result = {
    phones,
    concurrency,
    ...(capacity ? { capacity, throttled_429: throttled, failed_phones: failed } : {}),
    latency_ms: latencyMs,
    seconds: Number(seconds.toFixed(3)),
    ideal_seconds: Number(ideal.toFixed(3)),
    ratio: ideal > 0 ? Number((seconds / ideal).toFixed(3)) : null,
    peak_rss_mb: peakRssMb,
  };
  console.log(`worker start-up ${(((started ?? spawnedAt) - spawnedAt) / 1000).toFixed(2)} s (not counted); ${logLines} log lines`);
  const slotUse = (calls._sum.durationMs ?? 0) / 1000 / bound / seconds;
  console.log(
    `average call ${calls._avg.durationMs?.toFixed(1)} ms (simulated latency ${latencyMs} ms); worker kept its slots ${(slotUse * 100).toFixed(1)} % busy`,
  );
  if (workerCpu !== null) console.log(`worker CPU ${workerCpu.toFixed(2)} s in total, start-up included (${((workerCpu * 1000) / phones).toFixed(2)} ms per phone)`);
  console.log(`register calls ${registerCalls} for ${phones} phones (${throttled} answered 429); jobs left ${leftJobs}; simulator mismatches ${wrong.length}; phones failed or retrying ${failed}`);
  console.log(`elapsed ${seconds.toFixed(2)} s, ${(phones / seconds).toFixed(1)} phones/s, ideal ${ideal.toFixed(2)} s, ratio ${result.ratio}, worker peak RSS ${peakRssMb} MB`);
  if (wrong.length > 0 || leftJobs > 0 || failed > 0) {
    console.error(`FAILED verification: ${wrong.length} MACs missing or wrong at the simulator, ${leftJobs} jobs left`);
    process.exitCode = 1;
  }
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
