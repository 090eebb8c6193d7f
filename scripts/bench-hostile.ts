// Noisy-neighbour benchmark: `npm run bench:hostile [-- --baseline-s 20 --hostile-s 30 --phones 3000]`.
//
// The real portal (`next start` of the production build, with its in-process sync worker) on a
// fresh SQLite database with two organizations. Organization A has a signed-in admin and 200
// phones; organization H points (CUSTOM endpoint) at a hostile server, our simulator as its own
// process answering every call with the worst shapes in turn (1 000 000 nested values, 5 MB bodies
// and fault strings, entity bombs, 10 500 elements, HTML login pages, binary garbage …). We measure
// A's /phones page (authenticated GET, one after another with a 100 ms pause) for a baseline period
// with H idle, then with H's phones queued so the portal's worker hammers the hostile server, and
// sample the portal's RSS (VmRSS of the server process and its children) every 100 ms.
// The last line is one JSON object. Targets: ratio <= 2, RSS growth < 100 MB.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { kbToMb, processTree, treeRssKb } from "./lib/proc";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrisma } from "../lib/db-core";
import { freePort } from "../tests/e2e/portal-server";
import { createCustomer, createOrganization, createUser, snomMac } from "../tests/factories";
import {
  createCustomOrg,
  createQueuedPhones,
  SIM_COMPANY,
  SIM_PASSWORD,
  SIM_USER,
  TEST_KEY_HEX,
} from "../tests/support/sync-fixtures";
import { createTestDatabase } from "../tests/support/test-db";
import { signInRaw } from "../tests/e2e/raw-http";

const ROOT = path.resolve(import.meta.dirname, "..");
const WORST_SHAPES = [
  "nested_huge",
  "huge_body",
  "huge_fault",
  "nested",
  "many_elements",
  "entity_bomb",
  "long_fault",
  "html_login",
  "binary",
  "non_utf8",
];

const { values } = parseArgs({
  options: {
    "baseline-s": { type: "string", default: "20" },
    "hostile-s": { type: "string", default: "30" },
    phones: { type: "string", default: "3000" },
    // Another mix, e.g. "http500" to see what a merely failing endpoint costs.
    modes: { type: "string" },
  },
});
const hostileMix = values.modes ? values.modes.split(",") : WORST_SHAPES;
const baselineMs = Number(values["baseline-s"]) * 1000;
const hostileMs = Number(values["hostile-s"]) * 1000;
const hostilePhones = Number(values.phones);
if (![baselineMs, hostileMs, hostilePhones].every((n) => Number.isInteger(n) && n > 0)) {
  console.error("usage: bench-hostile --baseline-s S --hostile-s S --phones N");
  process.exit(2);
}


/** VmRSS in MB of the process tree. */
function treeRssMb(pid: number): number {
  return kbToMb(treeRssKb(pid).reduce((a, b) => a + b, 0));
}

/** CPU seconds (user + system) the process tree has used so far (clock ticks of 10 ms). */
function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`process exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Authenticated GETs of `url`, one after another with `gapMs` between, for `durationMs`; RSS sampled meanwhile. */
async function measure(url: string, cookie: string, durationMs: number, pid: number) {
  const latencies: number[] = [];
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(treeRssMb(pid)), 100);
  const cpuStart = treeCpuSeconds(pid);
  const wallStart = performance.now();
  const until = Date.now() + durationMs;
  let failures = 0;
  while (Date.now() < until) {
    const started = performance.now();
    const res = await fetch(url, { headers: { Cookie: cookie }, redirect: "manual" });
    const body = await res.text();
    latencies.push(performance.now() - started);
    if (res.status !== 200 || !body.includes("000413")) failures++;
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  // Share of one core the portal used: less dependent on the machine's other load than latency.
  const cpuPct = Math.round(((treeCpuSeconds(pid) - cpuStart) / ((performance.now() - wallStart) / 1000)) * 1000) / 10;
  return { latencies, rss, failures, cpuPct };
}

async function main(): Promise<void> {
  const build = spawnSync("node", ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");

  const { url: databaseUrl, dir } = createTestDatabase("bench-hostile-");
  const db = createPrisma(databaseUrl);
  const children: ChildProcess[] = [];
  try {
    // The hostile endpoint, its own process (its CPU for building 5 MB replies is not the portal's).
    const simPort = await freePort();
    const sim = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/simulator.ts",
        "--port",
        String(simPort),
        "--account",
        `${SIM_USER}:${SIM_PASSWORD}:${SIM_COMPANY}`,
        "--fault-rate",
        "1",
        "--fault-mode",
        hostileMix.join(","),
      ],
      { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
    );
    children.push(sim);
    const hostileUrl = `http://127.0.0.1:${simPort}/xmlrpc/`;
    await waitForHealth(`http://127.0.0.1:${simPort}/_control/state`, sim);

    // Organization A: an admin and 200 synced phones. Organization H: the hostile endpoint.
    const orgA = await createOrganization(db, { name: "Quiet Reseller" });
    const admin = await createUser(db, orgA.id, { role: "ADMIN" });
    const customer = await createCustomer(db, orgA.id);
    await db.phone.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({
        organizationId: orgA.id,
        customerId: customer.id,
        mac: snomMac(0x10000 + i),
        syncStatus: "synced",
      })),
    });
    const orgH = await createCustomOrg(db, hostileUrl, { keyHex: TEST_KEY_HEX });

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const portal = spawn(
      process.execPath,
      ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "inherit"],
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          DATABASE_URL: databaseUrl,
          NEXTAUTH_URL: baseUrl,
          NEXTAUTH_SECRET: "bench-session-secret-0123456789abcdef0123456789",
          PORTAL_SECRET_KEY: TEST_KEY_HEX,
          // The hostile server is on loopback: the operator's allowance lets the portal call it at all.
          ALLOW_PRIVATE_ENDPOINTS: "1",
        },
      },
    );
    children.push(portal);
    await waitForHealth(`${baseUrl}/api/health`, portal);
    const cookie = await signInRaw(baseUrl, admin.email, admin.password);
    const page = `${baseUrl}/phones`;

    await measure(page, cookie, 3_000, portal.pid!); // warm-up: compiled routes, caches, JIT
    const baseline = await measure(page, cookie, baselineMs, portal.pid!);
    console.log(
      `baseline: ${baseline.latencies.length} requests, p95 ${percentile(baseline.latencies, 95).toFixed(1)} ms`,
    );

    await createQueuedPhones(db, orgH.id, hostilePhones, { firstMac: 0x20000 });
    // The bench's own bulk insert is not the neighbour's doing: measure once the queue is in place
    // and the worker has started on it.
    await new Promise((r) => setTimeout(r, 2_000));
    const hostile = await measure(page, cookie, hostileMs, portal.pid!);
    const hostileCalls = await db.syncEvent.count({ where: { organizationId: orgH.id } });
    const stored = await db.phone.aggregate({ where: { organizationId: orgH.id }, _max: { attempts: true } });
    const longest = await db.$queryRawUnsafe<{ n: number | bigint | null }[]>(
      `SELECT MAX(MAX(LENGTH(COALESCE(lastErrorText, ''))), 0) AS n FROM Phone WHERE organizationId = ?`,
      orgH.id,
    );
    console.log(
      `hostile: ${hostile.latencies.length} requests, p95 ${percentile(hostile.latencies, 95).toFixed(1)} ms; ` +
        `${hostileCalls} hostile calls recorded (max attempts ${stored._max.attempts}), longest stored error ${Number(longest[0]?.n ?? 0)} chars`,
    );

    const baselineP95 = percentile(baseline.latencies, 95);
    const hostileP95 = percentile(hostile.latencies, 95);
    const rssBaseline = Math.max(...baseline.rss);
    const rssPeak = Math.max(...baseline.rss, ...hostile.rss);
    console.log(
      JSON.stringify({
        baseline_p95_ms: Math.round(baselineP95 * 10) / 10,
        hostile_p95_ms: Math.round(hostileP95 * 10) / 10,
        ratio: Math.round((hostileP95 / baselineP95) * 100) / 100,
        hostile_max_ms: Math.round(hostile.latencies.at(-1)! * 10) / 10,
        rss_baseline_mb: rssBaseline,
        rss_peak_mb: rssPeak,
        rss_growth_mb: Math.round((rssPeak - rssBaseline) * 10) / 10,
        portal_cpu_baseline_pct: baseline.cpuPct,
        portal_cpu_hostile_pct: hostile.cpuPct,
        hostile_calls: hostileCalls,
        modes: hostileMix.join(","),
        page_failures: baseline.failures + hostile.failures,
      }),
    );
  } finally {
    for (const child of children.reverse()) {
      if (child.exitCode === null) child.kill("SIGTERM");
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
