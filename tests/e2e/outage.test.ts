// Issue 10, point 5: a customer page left open through an outage of the redirection service and its
// recovery tells the truth by itself, within 5 s of each change: phones "Waiting for the service"
// and the banner while the service answers 503, then "Synced" and no banner once it is back.
// A separate simulator process (faults switched through its control interface), the portal on a
// custom endpoint; nobody reloads the page.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { encryptSecret } from "../../lib/crypto";
import { enqueueNewPhones } from "../../lib/sync/outbox";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { freePort, startPortal, type PortalServer } from "./portal-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RPC_USER = "outage-rpc-5120";
const RPC_PASSWORD = "Pw-outage-9931";
const SECRET_KEY_HEX = randomBytes(32).toString("hex");
/** Each stage must be visible within this long, with no reload. */
const STAGE_MS = 5_000;

let portal: PortalServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let db: Db;
let simProcess: ChildProcess;
let simBase: string;
/** The organization, customer and signed-in page of the first test, reused by the next. */
let orgId: string;
let customerId: string;

async function startSimulatorProcess(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/simulator.ts",
      "--port",
      String(port),
      "--latency-ms",
      "20",
      "--account",
      `${RPC_USER}:${RPC_PASSWORD}:Outage GmbH`,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("Simulator listening on")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`simulator exited (${code}):\n${out}`)));
  });
  return child;
}

async function setFaults(rate: number) {
  const res = await fetch(new URL("/_control/faults", simBase), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rate, modes: ["http503"] }),
  });
  expect(res.ok).toBe(true);
}

beforeAll(async () => {
  const port = await freePort();
  simProcess = await startSimulatorProcess(port);
  simBase = `http://127.0.0.1:${port}`;
  portal = await startPortal({
    ALLOW_PRIVATE_ENDPOINTS: "1",
    PORTAL_SECRET_KEY: SECRET_KEY_HEX,
    SYNC_PROBE_MIN_MS: "1000",
  });
  db = createPrisma(portal.databaseUrl);
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  if (simProcess && simProcess.exitCode === null) simProcess.kill("SIGTERM");
  await portal?.stop();
});

describe("a page left open through an outage", () => {
  it("shows waiting phones and the banner during a 503 outage, then synced phones and no banner after recovery, without a reload", async () => {
    const org = await createOrganization(db, {
      name: "Outage Telecom",
      urlTemplate: "https://prov.outage.example/{mac}.xml",
    });
    await db.organization.update({
      where: { id: org.id },
      data: {
        rdsEndpointKind: "CUSTOM",
        rdsCustomUrl: `${simBase}/xmlrpc/`,
        rdsUsername: RPC_USER,
        rdsPasswordEnc: encryptSecret(RPC_PASSWORD, Buffer.from(SECRET_KEY_HEX, "hex")),
      },
    });
    orgId = org.id;
    customerId = (await createCustomer(db, org.id, { name: "Hotel Bergblick" })).id;
    const admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@outage.example" });
    await signIn(page, portal.baseUrl, admin.email, admin.password);

    // The service goes down; then 12 phones are added (more than the breaker's run of 8 failures).
    await setFaults(1);
    const macs = Array.from({ length: 12 }, (_, i) => `000413E2F${(0x100 + i).toString(16).toUpperCase()}`);
    const phones = [];
    for (const mac of macs) phones.push(await db.phone.create({ data: { organizationId: org.id, customerId, mac } }));
    await enqueueNewPhones(db, org.id, phones);
    await page.goto(`${portal.baseUrl}/customers/${customerId}`);
    // A mark on this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // Stage 1: the circuit opens; the open page says so by itself.
    const banner = page.getByRole("alert").filter({ hasText: "The redirection service has not answered" });
    await banner.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByRole("link", { name: "Waiting for the service: 12" }).count(), { timeout: STAGE_MS })
      .toBe(1);
    const bannerText = await banner.textContent();
    expect(bannerText).toContain("HTTP 503 from the service");
    expect(bannerText).toContain("12 phones waiting");
    expect(await banner.getByRole("button", { name: "Check now" }).isVisible()).toBe(true);
    expect(await page.locator("tr[data-mac]").filter({ hasText: "Failed" }).count()).toBe(0);
    expect(await page.locator("tr[data-mac]").filter({ hasText: "Waiting for the service" }).count()).toBe(12);

    // Stage 2: the service is back; within 5 s the page shows every phone synced and no banner.
    await setFaults(0);
    await expect.poll(() => page.getByRole("link", { name: "Synced: 12" }).count(), { timeout: STAGE_MS }).toBe(1);
    await banner.waitFor({ state: "detached", timeout: STAGE_MS });
    expect(await page.locator("tr[data-mac]").filter({ hasText: "Synced" }).count()).toBe(12);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // Nothing in progress any more: the tab slows down to one small check every 10 s …
    const polls: string[] = [];
    page.on("request", (req) => {
      if (req.url().includes("/api/sync-status")) polls.push(req.url());
    });
    await page.waitForTimeout(6_000);
    expect(polls.length).toBeLessThanOrEqual(1);
    // … which is enough for the idle page to notice work started elsewhere (another tab, a colleague).
    await db.phone.create({ data: { organizationId: org.id, customerId, mac: "000413BB0001" } });
    await page.getByRole("link", { name: "000413BB0001" }).waitFor({ timeout: 15_000 });
  });

  it("Check now clicked within a second of recovery says the service answers again, also after the banner went away", async () => {
    // Issue 15, point 4: the click's answer lived inside the banner, which live refresh removed as
    // soon as the check closed the circuit, so the user saw nothing happen.
    await setFaults(1);
    const macs = Array.from({ length: 12 }, (_, i) => `000413E3F${(0x100 + i).toString(16).toUpperCase()}`);
    const phones = [];
    for (const mac of macs) phones.push(await db.phone.create({ data: { organizationId: orgId, customerId, mac } }));
    await enqueueNewPhones(db, orgId, phones);
    await page.goto(`${portal.baseUrl}/customers/${customerId}`);
    const banner = page.getByRole("alert").filter({ hasText: "The redirection service has not answered" });
    await banner.waitFor({ timeout: 30_000 });

    await setFaults(0);
    await banner.getByRole("button", { name: "Check now" }).click();
    const answer = page.getByRole("status").filter({ hasText: "The redirection service answers again" });
    await answer.waitFor({ timeout: STAGE_MS });
    await banner.waitFor({ state: "detached", timeout: STAGE_MS });
    expect(await answer.isVisible()).toBe(true);
    await expect
      .poll(() => page.locator("tr[data-mac]").filter({ hasText: "Waiting for the service" }).count(), { timeout: STAGE_MS })
      .toBe(0);
    await answer.getByRole("button", { name: "Dismiss" }).click();
    await answer.waitFor({ state: "detached" });
  });
});
