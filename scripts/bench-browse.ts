// Browse benchmark for issue 13: `npm run bench:browse [-- --phones 100000 --customers 2000 --rounds 30]`.
//
// Builds a distributor's data set on a fresh SQLite database through the project's own write paths
// (the bulk import's commitImport creates the phones and their sync jobs), then sets mixed statuses
// and ~3 history events per phone with set-based SQL (SQLite-only, bench data only). Starts the
// portal the way operators do (`node scripts/start.mjs`, i.e. `npm start`, with the build present;
// SYNC_WORKER=off so 100 000 queued jobs do not compete with the pages), signs in as a real user
// and measures, after 3 warm-up requests, `--rounds` authenticated GETs of each page; then the full
// CSV export (time, and the server's RSS sampled every 50 ms). Also prints the SQLite query plans of
// the list pages' queries at this size (docs/decisions/0011-scale.md).
// Needs the react-server condition (package.json) for lib/data's "server-only".
// The last line is one JSON object. Targets: every page p95 <= 150 ms and <= 150 KB, export_s <= 3,
// export RSS growth <= 100 MB, cold_start_s <= 3.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { loadavg, tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { kbToMb, processTree, treeRssKb } from "./lib/proc";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrisma, sqliteFilePath, type Db } from "../lib/db-core";
import { freePort } from "../tests/e2e/portal-server";
import { createOrganization, createUser, snomMac } from "../tests/factories";
import { customerKeys } from "../lib/search-key";
import { explain, queryRecorder } from "../tests/support/query-plans";
import { signInRaw } from "../tests/e2e/raw-http";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    phones: { type: "string", default: "100000" },
    customers: { type: "string", default: "2000" },
    rounds: { type: "string", default: "30" },
    "no-plans": { type: "boolean", default: false },
  },
});
const PHONES = Number(values.phones);
const CUSTOMERS = Number(values.customers);
const ROUNDS = Number(values.rounds);
const BIG = 5000;
const SMALL = 47;
if (![PHONES, CUSTOMERS, ROUNDS].every((n) => Number.isInteger(n) && n > 0) || PHONES < BIG + SMALL + CUSTOMERS) {
  console.error("usage: bench-browse --phones N --customers N --rounds N (phones >= 5047 + customers)");
  process.exit(2);
}


/** VmRSS in MB of the server: the `next-server` process (the largest of the tree below npm start). */
function serverRssMb(pid: number): number {
  return kbToMb(Math.max(0, ...treeRssKb(pid)));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The data set: 2000 customers (one with 5000 phones, one with 47), phones by commitImport. */
async function buildDataSet(db: Db) {
  const { commitImport } = await import("../lib/import/commit");
  const org = await createOrganization(db, { name: "Distributor" });
  const admin = await createUser(db, org.id, { role: "ADMIN", email: "bench@distributor.example" });
  const names = Array.from({ length: CUSTOMERS }, (_, i) => ({
    organizationId: org.id,
    name:
      i === 0
        ? "Klinikum Nord"
        : i === 1
          ? "Praxis Klein"
          : `Kunde ${String((i * 7919) % CUSTOMERS).padStart(4, "0")} GmbH`,
    number: `K-${String(i).padStart(5, "0")}`,
  }));
  const rows = names.map((c) => ({ ...c, ...customerKeys(c) }));
  for (let i = 0; i < rows.length; i += 500) await db.customer.createMany({ data: rows.slice(i, i + 500) });
  const customers = await db.customer.findMany({
    where: { organizationId: org.id },
    orderBy: { number: "asc" },
    select: { id: true },
  });
  const customerOf = (n: number) => {
    if (n < BIG) return customers[0].id;
    if (n < BIG + SMALL) return customers[1].id;
    return customers[2 + ((n - BIG - SMALL) % (CUSTOMERS - 2))].id;
  };
  const started = performance.now();
  for (let n = 0; n < PHONES; n += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, PHONES - n) }, (_, i) => ({
      mac: snomMac(((n + i) * 2654435761) % 0x1000000),
      customerId: customerOf(n + i),
      label: (n + i) % 3 === 0 ? `Ext ${(n + i) % 1000}` : null,
      model: "D785",
    }));
    const result = await commitImport(db, { organizationId: org.id, userId: admin.id }, { rows });
    if (!result.ok) throw new Error(`import refused: ${result.error}`);
  }
  console.log(`phones imported in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Mixed statuses (80 % synced) and three history events per phone, set-based (bench data only).
  await db.$executeRawUnsafe(
    `UPDATE "Phone" SET "syncStatus" = CASE abs(unicode(substr("mac", 12)) + unicode(substr("mac", 11))) % 20
       WHEN 0 THEN 'failed' WHEN 1 THEN 'rejected' WHEN 2 THEN 'owned_elsewhere' WHEN 3 THEN 'needs_url' ELSE 'synced' END`,
  );
  await db.$executeRawUnsafe(
    `DELETE FROM "SyncJob" WHERE "phoneId" IN (SELECT "id" FROM "Phone" WHERE "syncStatus" = 'synced')`,
  );
  for (const [k, method, outcome] of [
    [0, "checkPhone", "ok"],
    [1, "registerPhone", "ok"],
    [2, "registerPhone", "failed"],
  ] as const) {
    await db.$executeRawUnsafe(
      `INSERT INTO "SyncEvent" ("id", "organizationId", "phoneId", "mac", "method", "outcome", "actor", "durationMs", "createdAt")
       SELECT lower(hex(randomblob(12))), "organizationId", "id", "mac", ?, ?, 'worker:bench', 40,
              strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', (rowid * 3 + ?) % 2000000))
       FROM "Phone" WHERE "organizationId" = ?`,
      method,
      outcome,
      k,
      org.id,
    );
  }
  // A second organization, so every query has someone else's rows to skip.
  const rival = await createOrganization(db, { name: "Rival" });
  const rivalUser = await createUser(db, rival.id);
  const rivalCustomer = await db.customer.create({
    data: { organizationId: rival.id, name: "Rival Kunde", number: "R-1", ...customerKeys({ name: "Rival Kunde", number: "R-1" }) },
  });
  await commitImport(
    db,
    { organizationId: rival.id, userId: rivalUser.id },
    {
      customerId: rivalCustomer.id,
      rows: Array.from({ length: 5000 }, (_, i) => ({ mac: snomMac(i) })),
    },
  );
  const big = customers[0].id;
  const small = customers[1].id;
  const phone = await db.phone.findFirstOrThrow({ where: { customerId: small }, select: { id: true, mac: true } });
  return { org, admin, big, small, phone };
}

/** Query plans of the list pages at this size, through lib/data with a recording client. */
async function printPlans(
  file: string,
  url: string,
  actor: { id: string; organizationId: string; role: "ADMIN" },
  ids: { big: string; small: string; phoneId: string; mac: string },
) {
  const recorder = queryRecorder();
  (globalThis as unknown as { prisma?: Db }).prisma = createPrisma(url, { onQuery: recorder.onQuery });
  const phones = await import("../lib/data/phones");
  const customers = await import("../lib/data/customers");
  const provisioning = await import("../lib/data/provisioning");
  const dashed = ids.mac.match(/../g)!.join("-");
  const cases: [string, () => Promise<unknown>][] = [
    ["phones page 500", () => phones.listPhones(actor, { page: 500 })],
    ["customer with 5000 phones, page 2", () => phones.listPhones(actor, { customerId: ids.big, page: 2 })],
    ["customer with 47 phones", () => phones.listPhones(actor, { customerId: ids.small })],
    ["status filter (failed), page 3", () => phones.listPhones(actor, { status: "failed", page: 3 })],
    ["full MAC, dash notation", () => phones.listPhones(actor, { q: dashed })],
    ["partial MAC", () => phones.listPhones(actor, { q: "4135" })],
    ["phone history", () => phones.listPhoneHistory(actor, ids.phoneId)],
    ["customers list with phone counts", () => customers.listCustomers(actor, { page: 1 })],
    ["combobox choices", () => customers.searchCustomerChoices(actor, "klin")],
    ["dashboard: counts by status", () => phones.countPhonesByStatus(actor)],
    ["dashboard: customers needing attention", () => phones.listCustomersNeedingAttention(actor)],
    ["dashboard: provisioning stages", () => provisioning.countPhoneStages(actor)],
    [
      "export, first 2000 rows",
      async () => {
        let n = 0;
        for await (const p of phones.iteratePhones(actor, {})) if (p && ++n >= 2000) break;
      },
    ],
  ];
  for (const [name, run] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    recorder.take();
    await run();
    const plans = explain(file, recorder.take()).filter((p) =>
      /[`"](Phone|SyncEvent|Customer|PhoneLogLine)[`"]/.test(p.sql),
    );
    console.log(`\n### ${name} (median of 5 in-process: ${times.sort((a, b) => a - b)[2].toFixed(1)} ms)`);
    const seen = new Set<string>();
    for (const p of plans) {
      const key = p.sql.replace(/\s+/g, " ");
      if (seen.has(key)) continue;
      seen.add(key);
      // The column list is long and says nothing about the plan: elide it.
      const shown = key
        .replace(/`main`\./g, "")
        .replace(/`/g, "")
        .replace(/^SELECT (.{60,}?) FROM /, "SELECT … FROM ");
      console.log(`${shown.slice(0, 500)}\n  -> ${p.plan.join("\n  -> ")}`);
    }
  }
}

async function main(): Promise<void> {
  const build = spawnSync("node", ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("next build failed");

  // Built by `prisma migrate deploy`, as npm start does, so npm start finds nothing pending.
  const dir = mkdtempSync(path.join(tmpdir(), "bench-browse-"));
  const databaseUrl = `file:${path.join(dir, "portal.db")}`;
  const deploy = spawnSync("node", ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  if (deploy.status !== 0) throw new Error("prisma migrate deploy failed");
  process.env.DATABASE_URL = databaseUrl;
  const db = createPrisma(databaseUrl);
  let portal: ChildProcess | undefined;
  try {
    const set = await buildDataSet(db);
    const { optimizeDatabase } = await import("../lib/db-optimize");
    const t = performance.now();
    await optimizeDatabase(db);
    console.log(
      `PRAGMA optimize after building the data set (the imports already analysed): ${(performance.now() - t).toFixed(0)} ms`,
    );
    const actor = { id: set.admin.id, organizationId: set.org.id, role: "ADMIN" as const };
    if (!values["no-plans"])
      await printPlans(sqliteFilePath(databaseUrl), databaseUrl, actor, {
        big: set.big,
        small: set.small,
        phoneId: set.phone.id,
        mac: set.phone.mac,
      });

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const startedAt = performance.now();
    portal = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        NEXTAUTH_URL: baseUrl,
        NEXTAUTH_SECRET: "bench-session-secret-0123456789abcdef0123456789",
        PORTAL_SECRET_KEY: "0".repeat(63) + "1",
        SYNC_WORKER: "off",
      },
    });
    let coldStart = NaN;
    for (;;) {
      if (portal.exitCode !== null) throw new Error(`npm start exited with ${portal.exitCode}`);
      try {
        if ((await fetch(`${baseUrl}/api/health`)).status < 500) {
          coldStart = (performance.now() - startedAt) / 1000;
          break;
        }
      } catch {
        /* not up yet */
      }
      if (performance.now() - startedAt > 120_000) throw new Error("the portal did not start within 120 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`cold start (npm start with a build present → /api/health answers): ${coldStart.toFixed(2)} s`);
    const cookie = await signInRaw(baseUrl, set.admin.email, set.admin.password);
    const dashed = set.phone.mac.match(/../g)!.join("-");
    const pages: [string, string][] = [
      ["phones_p1", "/phones"],
      ["phones_p500", "/phones?page=500"],
      ["search_partial_mac", "/phones?q=4135"],
      ["search_full_mac_dash", `/phones?q=${encodeURIComponent(dashed)}`],
      ["status_filter", "/phones?status=failed"],
      ["customer_5000", `/customers/${set.big}`],
      ["customer_47", `/customers/${set.small}`],
      ["phone_page", `/phones/${set.phone.id}`],
      ["customers_list", "/customers"],
      ["dashboard", "/"],
    ];
    const results: Record<string, { p50_ms: number; p95_ms: number; kb: number }> = {};
    for (const [name, pathname] of pages) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < ROUNDS + 3; i++) {
        const started = performance.now();
        const res = await fetch(`${baseUrl}${pathname}`, { headers: { Cookie: cookie }, redirect: "manual" });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${pathname}: HTTP ${res.status}`);
        if (i >= 3) times.push(performance.now() - started);
        bytes = Math.max(bytes, Buffer.byteLength(body));
      }
      times.sort((a, b) => a - b);
      results[name] = {
        p50_ms: round1(percentile(times, 50)),
        p95_ms: round1(percentile(times, 95)),
        kb: round1(bytes / 1024),
      };
      console.log(
        `${name.padEnd(22)} p50 ${results[name].p50_ms} ms  p95 ${results[name].p95_ms} ms  ${results[name].kb} KB`,
      );
    }

    const rssBefore = serverRssMb(portal.pid!);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, serverRssMb(portal!.pid!))), 50);
    const started = performance.now();
    const res = await fetch(`${baseUrl}/phones/export`, { headers: { Cookie: cookie } });
    let lines = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const byte of value) if (byte === 10) lines++;
    }
    const exportS = (performance.now() - started) / 1000;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, serverRssMb(portal.pid!));
    if (lines - 1 !== PHONES) throw new Error(`export had ${lines - 1} phones, expected ${PHONES}`);
    console.log(`export: ${PHONES} phones in ${exportS.toFixed(2)} s; server RSS ${rssBefore} → peak ${rssPeak} MB`);

    const worstP95 = Math.max(...Object.values(results).map((r) => r.p95_ms));
    const worstKb = Math.max(...Object.values(results).map((r) => r.kb));
    console.log(
      JSON.stringify({
        phones: PHONES,
        customers: CUSTOMERS,
        events: PHONES * 3,
        pages: results,
        worst_p95_ms: worstP95,
        worst_page_kb: worstKb,
        export_s: Math.round(exportS * 100) / 100,
        export_rss_before_mb: rssBefore,
        export_peak_rss_mb: rssPeak,
        export_rss_growth_mb: round1(rssPeak - rssBefore),
        cold_start_s: Math.round(coldStart * 100) / 100,
        load_avg_1m: round1(loadavg()[0]),
      }),
    );
  } finally {
    if (portal && portal.exitCode === null) {
      portal.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 1000));
      for (const p of processTree(portal.pid!).reverse()) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    }
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
