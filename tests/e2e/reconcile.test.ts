// Reconcile in the browser (issue 12): an account at the simulator holding registrations made before
// the portal (one matching, one drifted, one unknown to the portal) and a phone another account owns.
// The admin reads the account for an import, imports the new phone, reconciles, fixes the drift, and
// sees the owned-elsewhere phone parked with a release request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { registerPhone } from "../../lib/redirection/client";
import { FOREIGN_ACCOUNT_COMPANY, FOREIGN_MACS, type Simulator } from "../../lib/redirection/simulator";
import { createCustomer, createUser } from "../factories";
import {
  createCustomOrg,
  SIM_PASSWORD,
  SIM_USER,
  startTestSimulator,
  TEST_KEY_HEX,
  URL_TEMPLATE,
} from "../support/sync-fixtures";
import { waitFor } from "../support/sync-fixtures";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

const IN_SYNC = "000413E2E001";
const DRIFTED = "000413E2E002";
const ORPHAN = "000413E2E003";
const OLD_URL = "https://old-prov.example.net/{mac}.cfg";
const ORPHAN_URL = "https://orphan.example.net/{mac}.xml";

let portal: PortalServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let sim: Simulator;
let orgId: string;
let ownedPhoneId: string;

beforeAll(async () => {
  portal = await startPortal({ PORTAL_SECRET_KEY: TEST_KEY_HEX });
  db = createPrisma(portal.databaseUrl);
  sim = await startTestSimulator();
  const account = {
    url: sim.url,
    username: SIM_USER,
    password: SIM_PASSWORD,
    timeoutMs: 2_000,
    allowPrivateAddresses: true,
  };
  await registerPhone(account, IN_SYNC, URL_TEMPLATE);
  await registerPhone(account, DRIFTED, OLD_URL);
  await registerPhone(account, ORPHAN, ORPHAN_URL);
  const org = await createCustomOrg(db, sim.url, { keyHex: TEST_KEY_HEX });
  orgId = org.id;
  const admin = await createUser(db, org.id, { role: "ADMIN" });
  const customer = await createCustomer(db, org.id, { name: "Hotel Seeblick" });
  await db.phone.createMany({
    data: [IN_SYNC, DRIFTED].map((mac) => ({
      organizationId: org.id,
      customerId: customer.id,
      mac,
      syncStatus: "synced",
      registeredUrl: URL_TEMPLATE,
    })),
  });
  ownedPhoneId = (
    await db.phone.create({
      data: {
        organizationId: org.id,
        customerId: customer.id,
        mac: FOREIGN_MACS[0],
        serial: "SN-4711",
        syncStatus: "owned_elsewhere",
        ownerCompany: FOREIGN_ACCOUNT_COMPANY,
        ownerCheckedAt: new Date(),
      },
    })
  ).id;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, portal.baseUrl, admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await sim?.close();
  await portal?.stop();
});

describe("reconcile in the browser", () => {
  it("previews an import of the account's phones and imports the new one only when confirmed", async () => {
    await page.goto(`${portal.baseUrl}/reconcile`);
    await page.getByRole("button", { name: "Read the account" }).click();
    const report = page.getByTestId("import-report");
    await report.waitFor({ timeout: 30_000 });
    await report.getByText("New to the portal: 1").waitFor();
    await report.getByText("Already here, different URL: 1").waitFor();
    await report.getByText("Already here, same URL: 1").waitFor();
    expect(await db.phone.count({ where: { organizationId: orgId, mac: ORPHAN } })).toBe(0);

    await report.getByRole("button", { name: "Import all 1" }).click();
    // The row shows its fix once the page refreshes (the group's button goes: nothing is left to import).
    await report.locator(`tr[data-mac="${ORPHAN}"]`).getByText("Import: done").waitFor();
    const imported = await db.phone.findFirstOrThrow({
      where: { organizationId: orgId, mac: ORPHAN },
      include: { customer: true },
    });
    expect(imported.customer.name).toBe("Unassigned");
    expect(imported.urlOverride).toBe(ORPHAN_URL);
  });

  it("reconciles, shows drift and the owned-elsewhere phone, and pushes our URL with one click", async () => {
    await page.getByRole("button", { name: "Reconcile now" }).click();
    const report = page.getByTestId("reconcile-report");
    await report.waitFor({ timeout: 30_000 });
    await report.getByText("Different URL at the service: 1").waitFor();
    await report.getByText("Owned by another account: 1").waitFor();
    await report.getByText("In sync: 2").waitFor();
    const row = report.locator(`tr[data-mac="${DRIFTED}"]`);
    await row.getByText(OLD_URL).waitFor();
    await row.getByRole("button", { name: "Push ours" }).click();
    await row.getByText("Push ours: done").waitFor();
    expect(sim.state().phones[DRIFTED]?.url).toBe(URL_TEMPLATE);
    await expect(report.locator(`tr[data-mac="${FOREIGN_MACS[0]}"]`).textContent()).resolves.toContain(
      FOREIGN_ACCOUNT_COMPANY,
    );
  });

  it("parks the owned-elsewhere phone with a ready-to-send release request", async () => {
    await page.goto(`${portal.baseUrl}/phones/${ownedPhoneId}`);
    const request = page.getByLabel("Release request to send to the owner");
    const text = await request.inputValue();
    expect(text).toContain("00:04:13:FF:FF:01");
    expect(text).toContain("SN-4711");
    expect(text).toContain(FOREIGN_ACCOUNT_COMPANY);
    await page.getByRole("button", { name: "Check again now" }).click();
    await page.getByText("Still registered to another account.").waitFor();
  });

  it("re-points a customer's phones after a dry run, shows each phone's result live and rolls back", async () => {
    const NEW_URL = "https://new-prov.example.net/snom/{mac}.xml";
    await page.goto(`${portal.baseUrl}/reconcile`);
    await page.getByRole("link", { name: "Re-point phones" }).click();
    await page.getByLabel("New URL template").fill(NEW_URL);
    await page
      .getByLabel("Customer")
      .selectOption({
        label:
          "Hotel Seeblick (" +
          (await db.customer.findFirstOrThrow({ where: { organizationId: orgId, name: "Hotel Seeblick" } })).number +
          ")",
      });
    await page.getByRole("button", { name: "Dry run" }).click();
    const plan = page.getByTestId("repoint-plan");
    await plan.getByText("3 phones selected").waitFor();
    await plan.locator(`tr[data-mac="${IN_SYNC}"]`).getByText(URL_TEMPLATE).waitFor();
    // The dry run wrote nothing.
    expect(await db.phone.count({ where: { organizationId: orgId, urlOverride: NEW_URL } })).toBe(0);

    // Re-pointing changes registrations at the service: the page asks first, with the count.
    const asked: string[] = [];
    page.on("dialog", (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await plan.getByRole("button", { name: "Re-point 3 phones" }).click();
    const results = page.getByRole("list", { name: "Results" });
    await results.getByText("Synced: 2").waitFor({ timeout: 30_000 });
    await results.getByText("Owned elsewhere: 1").waitFor({ timeout: 30_000 });
    expect(sim.state().phones[IN_SYNC]?.url).toBe(NEW_URL);
    expect(sim.state().phones[DRIFTED]?.url).toBe(NEW_URL);

    await page.getByRole("button", { name: "Roll back to the previous URLs" }).click();
    await page.getByText("Rolled back: the phones went back to their previous URLs.").waitFor();
    expect(asked[0]).toMatch(/^Re-point 3 phones to /);
    expect(asked[1]).toMatch(/^Put every phone of this run back on its previous URL/);
    await waitFor(
      () => sim.state().phones[IN_SYNC]?.url === URL_TEMPLATE && sim.state().phones[DRIFTED]?.url === URL_TEMPLATE,
    );
  });
});
