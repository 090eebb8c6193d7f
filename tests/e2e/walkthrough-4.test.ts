// Walkthrough 4: what a reseller's admin noticed on the screens, checked in the browser on one portal.
// 1. Right after the first-run setup the sign-in page has the new admin's e-mail filled in and the
//    focus on the password; an e-mail parameter that is no valid e-mail is ignored.
// 2. The paste page's progress counts the batch just pasted ("… of 200 pasted phones synced"), not
//    every phone of the customer (it said "193 of 300 done" for 200 pasted into a customer with 100).
// 3. Check redirection that finds no registration (or another URL) while our record says synced says
//    so plainly and offers "Send again", which registers the phone again through the outbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { deregisterPhone, registerPhone } from "../../lib/redirection/client";
import type { Simulator } from "../../lib/redirection/simulator";
import { createCustomer, createUser, snomMac } from "../factories";
import { accountFor, createCustomOrg, startTestSimulator, TEST_KEY_HEX, URL_TEMPLATE, waitFor } from "../support/sync-fixtures";
import { launchBrowser, signIn, signOut } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

const SETUP_ADMIN = { name: "Wilhelmine Schmidt", email: "Wilhelmine@Alpenland.example", password: "a-long-setup-password-4711" };

let portal: PortalServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let db: Db;
let sim: Simulator;

beforeAll(async () => {
  portal = await startPortal({ PORTAL_SECRET_KEY: TEST_KEY_HEX });
  db = createPrisma(portal.databaseUrl);
  sim = await startTestSimulator();
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await sim?.close();
  await portal?.stop();
});

const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute("name") ?? null);

describe("sign-in after the first-run setup", () => {
  it("has the new admin's e-mail filled in and the focus on the password, no password anywhere, and ignores a bad e-mail parameter", async () => {
    await page.goto(`${portal.baseUrl}/setup`);
    await page.getByLabel("Organization name").fill("Alpenland Telekom");
    await page.getByLabel("Your name").fill(SETUP_ADMIN.name);
    await page.getByLabel("Your e-mail").fill(SETUP_ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(SETUP_ADMIN.password);
    await page.getByLabel("Repeat password").fill(SETUP_ADMIN.password);
    await page.getByRole("button", { name: "Create organization and admin" }).click();
    await page.waitForURL(/\/login\?/);
    await page.getByText("Your organization is set up.").waitFor();

    // The e-mail as sign-in knows it (trimmed, lower case); typing only the password signs in.
    expect(await page.getByLabel("E-mail").inputValue()).toBe("wilhelmine@alpenland.example");
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    await expect.poll(focusedName).toBe("password");
    expect(page.url()).not.toContain(SETUP_ADMIN.password);
    expect(await page.content()).not.toContain(SETUP_ADMIN.password);
    const prefilled = page.url();

    // An e-mail parameter that is no valid e-mail or is too long is ignored, and nothing of it is shown.
    const hostile = [
      '"><img src=x onerror=alert(1)>@evil.example',
      "not-an-email",
      `${"a".repeat(300)}@example.com`,
    ];
    for (const email of hostile) {
      await page.goto(`${portal.baseUrl}/login?${new URLSearchParams({ setup: "done", email })}`);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(await page.getByLabel("E-mail").inputValue(), email).toBe("");
      // Nothing of it in the form (the framework's own data carries the page's URL, escaped, as always).
      const form = await page.locator("form").innerHTML();
      expect(form).not.toContain("onerror");
      expect(form).not.toContain("a".repeat(300));
      expect(await page.locator("img").count()).toBe(0);
    }
    // Two e-mail parameters (a list) are ignored too; without setup=done none is prefilled.
    await page.goto(`${portal.baseUrl}/login?setup=done&email=a%40b.example&email=c%40d.example`);
    expect(await page.getByLabel("E-mail").inputValue()).toBe("");
    await page.goto(`${portal.baseUrl}/login?email=a%40b.example`);
    expect(await page.getByLabel("E-mail").inputValue()).toBe("");

    await page.goto(prefilled);
    await page.getByText("Your organization is set up.").waitFor();
    await expect.poll(focusedName).toBe("password");
    await page.keyboard.type(SETUP_ADMIN.password);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await signOut(page);
  });
});

describe("a reseller with phones at the simulator", () => {
  let orgId: string;
  let customerId: string;
  let adminId: string;

  beforeAll(async () => {
    const org = await createCustomOrg(db, sim.url, { keyHex: TEST_KEY_HEX });
    orgId = org.id;
    customerId = (await createCustomer(db, org.id, { name: "Hotel Seeblick" })).id;
    const admin = await createUser(db, org.id, { role: "ADMIN" });
    adminId = admin.id;
    await signIn(page, portal.baseUrl, admin.email, admin.password);
  });

  it("paste: the progress counts the 200 phones just pasted, not the customer's 300", async () => {
    // 100 phones the customer already had, synced long ago.
    await db.phone.createMany({
      data: Array.from({ length: 100 }, (_, i) => ({
        organizationId: orgId,
        customerId,
        mac: snomMac(0x1000 + i),
        syncStatus: "synced",
        registeredUrl: URL_TEMPLATE,
      })),
    });
    // Slow enough calls that the bar is seen while the batch is on its way.
    sim.setLatency(100);
    await page.goto(`${portal.baseUrl}/customers/${customerId}/import`);
    await page.getByRole("heading", { name: "Paste MACs for Hotel Seeblick" }).waitFor();
    const batch = Array.from({ length: 200 }, (_, i) => snomMac(0x2000 + i));
    await page.getByLabel("MAC addresses").fill(batch.join("\n"));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.getByRole("button", { name: "Add 200 phones" }).click();
    await page.getByText("200 phones added").waitFor();

    const progress = page.getByText(/of 200 pasted phones synced/).first();
    await progress.waitFor();
    expect(await page.getByText(/of 300/).count()).toBe(0);
    await page
      .getByText("All sent to the redirection service: 200 of 200 pasted phones synced.")
      .waitFor({ timeout: 60_000 });
    expect(await page.getByText(/of 300/).count()).toBe(0);
    sim.setLatency(0);
    expect(await db.phone.count({ where: { organizationId: orgId, customerId } })).toBe(300);

    // The route counts one batch only by an import's id: no list of ids, nothing unbounded.
    const bad = await page.request.get(`${portal.baseUrl}/api/customers/${customerId}/sync-status?batch=${"x".repeat(5000)}`);
    expect(bad.status()).toBe(400);
    const unknown = await page.request.get(
      `${portal.baseUrl}/api/customers/${customerId}/sync-status?batch=00000000-0000-4000-8000-000000000000`,
    );
    expect(unknown.status()).toBe(404);
    const whole = await page.request.get(`${portal.baseUrl}/api/customers/${customerId}/sync-status`);
    expect((await whole.json()).total).toBe(300);
    // Unchanged counts answer 304 without a body to a poll that names the last ETag.
    const etag = whole.headers().etag;
    expect(etag).toBeTruthy();
    const again = await page.request.get(`${portal.baseUrl}/api/customers/${customerId}/sync-status`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status()).toBe(304);
  });

  it("Check redirection: no registration although synced, then Send again registers it with our URL", async () => {
    const mac = snomMac(0x3001);
    const account = { ...accountFor(sim), allowPrivateAddresses: true };
    expect((await registerPhone(account, mac, URL_TEMPLATE)).kind).toBe("ok");
    const phone = await db.phone.create({
      data: { organizationId: orgId, customerId, mac, syncStatus: "synced", registeredUrl: URL_TEMPLATE },
    });
    // Someone deletes the registration at the service; our badge still says Synced.
    expect((await deregisterPhone(account, mac)).kind).toBe("ok");

    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    await page.getByRole("heading", { name: `Phone ${mac}` }).waitFor();
    await page.getByRole("button", { name: "Check redirection" }).click();
    const warning = page.getByText("Our record said synced, but the service has no registration for this MAC");
    await warning.waitFor();
    // One "Send again", next to the finding.
    expect(await page.getByRole("button", { name: "Send again" }).count()).toBe(1);
    await page.getByRole("button", { name: "Send again" }).click();
    await page.getByText("Queued: the worker registers it again now.").waitFor();
    expect(await warning.count()).toBe(0);

    await waitFor(() => sim.state().phones[mac]?.url === URL_TEMPLATE);
    await waitFor(async () => (await db.phone.findUniqueOrThrow({ where: { id: phone.id } })).syncStatus === "synced");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { organizationId: orgId, action: "phone.retry", targetId: phone.id } });
    expect(audit.actorUserId).toBe(adminId);
    expect(audit.summary).toMatch(new RegExp(`^${mac} of customer .+: Sent again: our record said synced, but the service had no registration$`));

    await page.reload();
    await page.getByRole("button", { name: "Check redirection" }).click();
    await page.getByText("This is the URL the portal expects.").waitFor();
    expect(await page.getByText(URL_TEMPLATE).count()).toBeGreaterThan(0);
  });

  it("Check redirection: another URL at the service although synced, then Send again puts ours back", async () => {
    const mac = snomMac(0x3002);
    const account = { ...accountFor(sim), allowPrivateAddresses: true };
    const otherUrl = "https://someone-else.example.net/{mac}.xml";
    expect((await registerPhone(account, mac, otherUrl)).kind).toBe("ok");
    const phone = await db.phone.create({
      data: { organizationId: orgId, customerId, mac, syncStatus: "synced", registeredUrl: URL_TEMPLATE },
    });

    await page.goto(`${portal.baseUrl}/phones/${phone.id}`);
    await page.getByRole("heading", { name: `Phone ${mac}` }).waitFor();
    await page.getByRole("button", { name: "Check redirection" }).click();
    await page.getByText("but the service holds").waitFor();
    await page.getByText(otherUrl).waitFor();
    await page.getByRole("button", { name: "Send again" }).click();
    await page.getByText("Queued: the worker registers it again now.").waitFor();
    await waitFor(() => sim.state().phones[mac]?.url === URL_TEMPLATE);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { organizationId: orgId, action: "phone.retry", targetId: phone.id } });
    expect(audit.summary).toMatch(new RegExp(`^${mac} of customer .+: Sent again: our record said synced, but the service held a different URL$`));
  });
});
