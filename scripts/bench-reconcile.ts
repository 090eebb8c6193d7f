// Reconcile benchmark: `npm run bench:reconcile -- --phones 5000 --latency-ms 50 --concurrency 8`.
//
// A temporary SQLite database from the migrations, the simulator (in this process) answering every
// call after `latency-ms` and holding registrations made before the portal existed (most matching,
// 3 % with an old URL, 2 % orphans; 1 % of the portal's phones missing), one CUSTOM organization
// with N phones, then one reconcile scan (lib/reconcile/engine.ts). `ideal_seconds` is
// calls × latency ÷ concurrency; `ratio` is seconds ÷ ideal_seconds (target ≤ 1.3, issue 12).
// The last line is one JSON object.
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrisma } from "../lib/db-core";
import { readRun, startScan } from "../lib/reconcile/engine";
import { countByCategory } from "../lib/reconcile/types";
import { closeAgents } from "../lib/redirection/client";
import { resolveAccount } from "../lib/sync/account";
import { createCustomer, snomMac } from "../tests/factories";
import { createTestDatabase } from "../tests/support/test-db";
import {
  createCustomOrg,
  SIM_USER,
  startTestSimulator,
  TEST_KEY_HEX,
  URL_TEMPLATE,
} from "../tests/support/sync-fixtures";

const { values } = parseArgs({
  options: {
    phones: { type: "string", default: "5000" },
    "latency-ms": { type: "string", default: "50" },
    concurrency: { type: "string", default: "8" },
  },
});
const phones = Number(values.phones);
const latencyMs = Number(values["latency-ms"]);
const concurrency = Number(values.concurrency);
if (![phones, latencyMs, concurrency].every((n) => Number.isInteger(n) && n >= 0) || phones < 1 || concurrency < 1) {
  console.error("usage: bench-reconcile --phones N --latency-ms MS --concurrency C");
  process.exit(2);
}

async function main(): Promise<void> {
  const { url, dir } = createTestDatabase("bench-reconcile-");
  const db = createPrisma(url);
  const macs = Array.from({ length: phones }, (_, i) => snomMac(i + 1));
  const orphans = Array.from({ length: Math.round(phones * 0.02) }, (_, i) => snomMac(phones + 1 + i));
  const registrations: Record<string, { owner: string; url: string }> = {};
  macs.forEach((mac, i) => {
    if (i % 100 === 99) return; // missing at the service
    registrations[mac] = {
      owner: SIM_USER,
      url: i % 100 < 3 ? "https://old-prov.example.net/{mac}.xml" : URL_TEMPLATE,
    };
  });
  for (const mac of orphans) registrations[mac] = { owner: SIM_USER, url: URL_TEMPLATE };
  const stateFile = path.join(dir, "sim-state.json");
  writeFileSync(stateFile, JSON.stringify({ phones: registrations }));
  const sim = await startTestSimulator({ latencyMs, seedForeignMacs: false, stateFile });

  const org = await createCustomOrg(db, sim.url, { keyHex: TEST_KEY_HEX });
  const customer = await createCustomer(db, org.id);
  for (let i = 0; i < macs.length; i += 500) {
    await db.phone.createMany({
      data: macs
        .slice(i, i + 500)
        .map((mac) => ({ organizationId: org.id, customerId: customer.id, mac, syncStatus: "synced" })),
    });
  }
  // The simulator listens on loopback: allowed for this lab run only.
  const account = {
    ...(await resolveAccount(db, org.id, { dataDir: dir, secretKeyHex: TEST_KEY_HEX, timeoutMs: 15_000 }))!,
    allowPrivateAddresses: true,
  };

  const started = performance.now();
  const { runId, finished } = await startScan(db, org.id, account, {
    kind: "reconcile",
    trigger: "bench",
    concurrency,
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const run = (await readRun(db, org.id, runId))!;
  const calls = sim.callCount();
  const ideal = (calls * latencyMs) / 1000 / concurrency;
  console.log(
    `status ${run.status}${run.error ? ` (${run.error})` : ""}; ${JSON.stringify(countByCategory(run.entries))}`,
  );

  await sim.close();
  closeAgents();
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      phones,
      latency_ms: latencyMs,
      concurrency,
      calls,
      seconds: Math.round(seconds * 100) / 100,
      ideal_seconds: Math.round(ideal * 100) / 100,
      ratio: Math.round((seconds / ideal) * 1000) / 1000,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
