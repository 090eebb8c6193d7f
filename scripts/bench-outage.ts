// Outage benchmark: `npm run bench:outage [-- --phones 1000 --latency-ms 50 --outage-s 120 --concurrency 8]`.
//
// Like bench:sync: a temporary SQLite database from the migrations, the simulator in this process
// (latency-ms per call), one CUSTOM organization pointing at it, N phones queued, and the real worker
// as its own process with its default breaker and limiter. The service answers every call with HTTP
// 503 from before the worker starts until `outage-s` seconds later, then works again. Measured:
// calls the down service received, the time from recovery until every phone is synced, and the most
// calls the simulator served at once. The last line is one JSON object.
//
// Targets (issue 10): drain_s <= 1.3 x ideal_drain_s + 5 s; calls_during_outage <= outage_s / 5 + ceiling.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrisma } from "../lib/db-core";
import { createTestDatabase } from "../tests/support/test-db";
import { createCustomOrg, createQueuedPhones, startTestSimulator, TEST_KEY_HEX } from "../tests/support/sync-fixtures";

const { values } = parseArgs({
  options: {
    phones: { type: "string", default: "1000" },
    "latency-ms": { type: "string", default: "50" },
    "outage-s": { type: "string", default: "120" },
    concurrency: { type: "string", default: "8" },
    quiet: { type: "boolean", default: true },
  },
});
const phones = Number(values.phones);
const latencyMs = Number(values["latency-ms"]);
const outageS = Number(values["outage-s"]);
const ceiling = Number(values.concurrency);
if (
  ![phones, latencyMs, outageS, ceiling].every((n) => Number.isFinite(n) && n >= 0) ||
  phones < 1 ||
  ceiling < 1 ||
  outageS > 3600
) {
  console.error("usage: bench-outage --phones N --latency-ms MS --outage-s S (<= 3600) --concurrency C");
  process.exit(2);
}

async function main(): Promise<void> {
  const { url, dir } = createTestDatabase("bench-outage-");
  const db = createPrisma(url);
  const sim = await startTestSimulator({ latencyMs, seedForeignMacs: false });
  const org = await createCustomOrg(db, sim.url, { keyHex: TEST_KEY_HEX });
  await createQueuedPhones(db, org.id, phones);
  sim.setFaults({ rate: 1, modes: ["http503"] });

  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/worker.ts", "--concurrency", String(ceiling), ...(values.quiet ? ["--quiet"] : [])],
    {
      cwd: root,
      // The bench's simulator listens on loopback, which custom endpoints may reach only with this.
      env: { ...process.env, DATABASE_URL: url, PORTAL_SECRET_KEY: TEST_KEY_HEX, NODE_ENV: "production", ALLOW_PRIVATE_ENDPOINTS: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let started = false;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    if (/ started /.test(chunk)) started = true;
    if (!values.quiet) process.stdout.write(chunk);
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!started) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("worker did not start");
    await new Promise((r) => setTimeout(r, 25));
  }

  // The outage runs from the worker's start; every call it gets meanwhile counts.
  const outageStart = performance.now();
  const callsBefore = sim.callCount();
  let openedAfterS: number | null = null;
  while (performance.now() - outageStart < outageS * 1000) {
    if (openedAfterS === null) {
      const row = await db.organization.findUniqueOrThrow({ where: { id: org.id }, select: { circuitOpenedAt: true } });
      if (row.circuitOpenedAt) openedAfterS = (performance.now() - outageStart) / 1000;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const callsDuringOutage = sim.callCount() - callsBefore;
  const probes = sim.callCount("network.echo");
  const attemptsUsed = await db.phone.count({ where: { organizationId: org.id, attempts: { gt: 0 } } });
  sim.setFaults({ rate: 0 });
  sim.resetPeak();
  const recovered = performance.now();

  let closedAfterS: number | null = null;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited early with code ${child.exitCode}`);
    if (closedAfterS === null) {
      const row = await db.organization.findUniqueOrThrow({ where: { id: org.id }, select: { circuitOpenedAt: true } });
      if (!row.circuitOpenedAt) closedAfterS = (performance.now() - recovered) / 1000;
    }
    const synced = await db.phone.count({ where: { organizationId: org.id, syncStatus: "synced" } });
    if (synced === phones) break;
    if (performance.now() - recovered > 10 * 60_000)
      throw new Error(`only ${synced} of ${phones} synced 10 minutes after recovery`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const drainS = (performance.now() - recovered) / 1000;
  const maxInFlight = sim.peakInFlight();
  child.kill("SIGTERM");
  await exited;
  const failed = await db.phone.count({
    where: { organizationId: org.id, syncStatus: { in: ["failed", "rejected"] } },
  });
  await sim.close();
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });

  const ideal = (phones * latencyMs) / 1000 / ceiling;
  const result = {
    phones,
    outage_s: outageS,
    drain_s: Number(drainS.toFixed(3)),
    ideal_drain_s: Number(ideal.toFixed(3)),
    calls_during_outage: callsDuringOutage,
    max_in_flight: maxInFlight,
  };
  const drainTarget = 1.3 * ideal + 5;
  const callsTarget = outageS / 5 + ceiling;
  console.log(
    `circuit opened ${openedAfterS?.toFixed(2)} s into the outage; ${probes} probes; ${attemptsUsed} phones used an attempt; closed ${closedAfterS?.toFixed(2)} s after recovery`,
  );
  console.log(
    `drain ${drainS.toFixed(2)} s (target <= ${drainTarget.toFixed(2)}); calls during outage ${callsDuringOutage} (target <= ${callsTarget}); failed ${failed}`,
  );
  if (drainS > drainTarget || callsDuringOutage > callsTarget || failed > 0) process.exitCode = 1;
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
