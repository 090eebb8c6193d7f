// Provisioning endpoint benchmark: `npm run bench:provision -- --phones 1000 --in-flight 20`.
//
// A temporary SQLite database from the migrations with one organization, a profile with two lines and
// N phones (each with an encrypted SIP password override), served by a real `next start` of the
// production build (built first when the sources changed). Then every phone fetches its settings
// file once, `in-flight` at a time, with a snom User-Agent, over loopback. Reports the server time
// per request (p50/p95 of the endpoint's Server-Timing: `p95_ms`, the target ≤ 50 ms), the round trip
// the client saw including the queue of `in-flight` requests (`rtt_*`), the round trip of 200 fetches
// one at a time afterwards (`serial_p95_ms`: the whole server, routing included), requests per second and the
// load average before the run (other work on the machine inflates every figure). The last line is
// one JSON object.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { encryptSecret } from "../lib/crypto";
import { createPrisma } from "../lib/db-core";
import { createTestDatabase } from "../tests/support/test-db";
import { createCustomer, createOrganization, snomMac } from "../tests/factories";
import { freePort } from "../tests/e2e/portal-server";
import { TEST_KEY_HEX } from "../tests/support/sync-fixtures";

const { values } = parseArgs({
  options: {
    phones: { type: "string", default: "1000" },
    "in-flight": { type: "string", default: "20" },
    "skip-build": { type: "boolean", default: false },
  },
});
const phones = Number(values.phones);
const inFlight = Number(values["in-flight"]);
if (
  !Number.isInteger(phones) ||
  phones < 1 ||
  phones > 100_000 ||
  !Number.isInteger(inFlight) ||
  inFlight < 1 ||
  inFlight > 200
) {
  console.error("usage: bench-provision --phones N (1..100000) --in-flight C (1..200)");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
const UA = "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 1.1.3-s)";

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (n: number) => Math.round(n * 10) / 10;

async function waitForHealth(url: string, deadline = Date.now() + 60_000) {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("next start did not come up within 60 s");
}

async function main() {
  if (!values["skip-build"]) {
    const build = spawnSync("node", ["scripts/build.mjs"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const { url, dir } = createTestDatabase("bench-prov-");
  const db = createPrisma(url);
  const key = Buffer.from(TEST_KEY_HEX, "hex");
  const org = await createOrganization(db, { name: "Bench Telecom", urlTemplate: null });
  const token = "bench".padEnd(32, "0");
  const profile = await db.provisioningProfile.create({
    data: {
      organizationId: org.id,
      name: "Standard",
      settingsJson: JSON.stringify({
        perm: "R",
        language: "Deutsch",
        timezone: "GER+1",
        ntpServer: "pool.ntp.org",
        updatePolicy: "auto_update",
        syslogToPortal: false,
        lines: [
          {
            sipUser: "{customer_number}-{label}",
            authUser: "{mac}",
            registrar: "pbx.example.net",
            displayName: "{label}",
          },
          { sipUser: "{customer_number}-2", authUser: null, registrar: "pbx.example.net", displayName: "Line 2" },
        ],
      }),
      adminPasswordEnc: encryptSecret("bench-admin", key),
    },
  });
  await db.organization.update({ where: { id: org.id }, data: { provToken: token, defaultProfileId: profile.id } });
  const customer = await createCustomer(db, org.id, { name: "Bench Customer", number: "B-1" });
  const macs = Array.from({ length: phones }, (_, i) => snomMac(i + 1));
  const override = encryptSecret(JSON.stringify({ "user_pass:1": "sip-secret" }), key);
  for (let i = 0; i < macs.length; i += 500) {
    await db.phone.createMany({
      data: macs.slice(i, i + 500).map((mac, j) => ({
        organizationId: org.id,
        customerId: customer.id,
        mac,
        label: `Desk ${i + j + 1}`,
        syncStatus: "synced",
        provOverridesEnc: override,
      })),
    });
  }
  await db.$disconnect();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn("node", ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: url,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: "bench-session-secret-0123456789abcdef0123456789",
      PORTAL_SECRET_KEY: TEST_KEY_HEX,
      SYNC_WORKER: "off",
      // Every phone comes from 127.0.0.1 here: lift the per-address limit for the measurement.
      PROV_RATE_LIMIT: "1000000",
    },
  });
  try {
    await waitForHealth(base);
    const fetchOne = async (mac: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/prov/${token}/${mac}.xml`, { headers: { "User-Agent": UA } });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200 || !body.includes("<phone-settings")) throw new Error(`${mac}: HTTP ${res.status}`);
      const app = Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN);
      return { ms, app };
    };
    // Warm-up: compile paths, open the database, fill caches (20 phones, not counted).
    for (const mac of macs.slice(0, Math.min(20, macs.length))) await fetchOne(mac);

    const load = loadavg().map((n) => round(n));
    const rtt: number[] = [];
    const app: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < macs.length) {
          const r = await fetchOne(macs[next++]);
          rtt.push(r.ms);
          app.push(r.app);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // One at a time (no queue): the whole server's time per request, Next.js's routing included.
    const serial: number[] = [];
    for (const mac of macs.slice(0, Math.min(200, macs.length))) serial.push((await fetchOne(mac)).ms);
    serial.sort((a, b) => a - b);
    rtt.sort((a, b) => a - b);
    app.sort((a, b) => a - b);
    const verify = createPrisma(url);
    const fetched = await verify.phone.count({ where: { organizationId: org.id, provFetchCount: { gte: 1 } } });
    await verify.$disconnect();
    console.log(
      `${rtt.length} fetches in ${seconds.toFixed(2)} s, ${inFlight} in flight; ${fetched} phones recorded a fetch; load average before: ${load.join(" ")}`,
    );
    console.log(
      JSON.stringify({
        fetches: rtt.length,
        in_flight: inFlight,
        // Server time: what the portal spent on each request (its Server-Timing header).
        p95_ms: round(percentile(app, 95)),
        p50_ms: round(percentile(app, 50)),
        // Round trip as the client saw it, including the wait in the server's queue with `in-flight` open.
        rtt_p95_ms: round(percentile(rtt, 95)),
        rtt_p50_ms: round(percentile(rtt, 50)),
        // Round trip one request at a time (200 fetches after the run): server time with nothing queued.
        serial_p95_ms: round(percentile(serial, 95)),
        rps: round(rtt.length / seconds),
        load_avg: load,
        recorded: fetched,
      }),
    );
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    if (server.exitCode === null) server.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
