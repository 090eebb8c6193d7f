// The sync in the browser: a phone added in the sandbox becomes "Synced" without a reload; the
// redirection check shows where it points; credentials are stored encrypted and never shown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { startSimulator, type Simulator } from "../../lib/redirection/simulator";
import { createCustomer, createOrganization, createUser } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";
import { storedBytes } from "../support/test-db";

const SECRET_PASSWORD = "S3cr3t:p@ss%wörd";

let portal: PortalServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let simulator: Simulator;
let customerId: string;

beforeAll(async () => {
  portal = await startPortal();
  db = createPrisma(portal.databaseUrl);
  simulator = await startSimulator({ accounts: [{ username: "reseller", password: SECRET_PASSWORD, company: "Acme Telecom GmbH" }] });
  const org = await createOrganization(db, { name: "Acme Telecom", urlTemplate: "https://prov.acme.example/snom/{mac}.xml?a=1&b=2" });
  const admin = await createUser(db, org.id, { role: "ADMIN", email: "admin@acme.example" });
  customerId = (await createCustomer(db, org.id, { name: "Hotel Seeblick" })).id;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, portal.baseUrl, admin.email, admin.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await simulator?.close();
  await portal?.stop();
});

describe("sync in the browser", () => {
  it("marks the sandbox clearly and syncs a new phone live, without reloading the page", async () => {
    await page.goto(`${portal.baseUrl}/customers/${customerId}`);
    await page.getByText("registrations go to the portal’s simulator of the service, not to snom").waitFor();
    await page.getByLabel("MAC address").fill("0004.13ab.cd01");
    await page.getByRole("button", { name: "Add phone" }).click();
    const row = page.locator('tr[data-mac="000413ABCD01"]');
    await row.waitFor();
    // The worker inside the portal pushes it to the sandbox; the row updates by itself.
    await row.getByText("Synced").waitFor({ timeout: 30_000 });
    await row.getByText("(sandbox)").waitFor();
  });

  it("checks where the phone is redirected and shows the history", async () => {
    await page.getByRole("link", { name: "000413ABCD01" }).click();
    await page.getByRole("button", { name: "Check redirection" }).click();
    await page.getByText("This is the URL the portal expects.").waitFor();
    await page.getByText("https://prov.acme.example/snom/{mac}.xml?a=1&b=2").first().waitFor();
    await page.reload();
    // The history names each call in words (the method name is its tooltip).
    await page.getByTitle("registerPhone").first().waitFor();
    await page.getByTitle("getPhoneRedirection").first().waitFor();
    await page.getByText("Look up redirection", { exact: true }).first().waitFor();
  });

  it("stores redirection credentials encrypted, never shows them, and reports wrong ones", async () => {
    await page.goto(`${portal.baseUrl}/settings/redirection`);
    await page.getByLabel("Custom URL").check();
    await page.getByLabel("Endpoint URL").fill(simulator.url);
    await page.getByLabel("XML-RPC username").fill("reseller");
    await page.getByLabel("XML-RPC password").fill(SECRET_PASSWORD);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved. The phone is queued for the new service.").waitFor();

    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("accepted the credentials of “reseller”").waitFor();
    await page.reload();
    await expect(page.getByLabel("XML-RPC password").inputValue()).resolves.toBe("");
    for (const path of ["/", "/customers", `/customers/${customerId}`, "/phones", "/settings", "/settings/redirection"]) {
      const res = await page.goto(`${portal.baseUrl}${path}`);
      expect(await res?.text(), path).not.toContain(SECRET_PASSWORD);
      expect(await page.content(), path).not.toContain(SECRET_PASSWORD);
    }

    const org = await db.organization.findFirstOrThrow({ where: { name: "Acme Telecom" }, omit: { rdsPasswordEnc: false } });
    expect(org.rdsPasswordEnc).toMatch(/^v1:/);
    await db.$disconnect();
    const file = storedBytes(portal.databaseUrl);
    expect(file.includes(Buffer.from(SECRET_PASSWORD))).toBe(false);
    db = createPrisma(portal.databaseUrl);

    // The phone moves to the new service by itself.
    await expect.poll(() => simulator.state().phones["000413ABCD01"]?.url, { timeout: 30_000 }).toBe(
      "https://prov.acme.example/snom/{mac}.xml?a=1&b=2",
    );

    // A wrong password is tested before it is saved, and refused unless the admin insists.
    await page.getByLabel("XML-RPC password").fill("wrong-password");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("Wrong credentials").waitFor();
    await page.getByLabel("XML-RPC password").fill("wrong-password");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Not saved: Wrong credentials").waitFor();
    await page.getByLabel("Save even though the test failed").check();
    await page.getByLabel("XML-RPC password").fill("wrong-password");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
  });

  it("pauses the queue on refused credentials, shows a banner, and resumes once they are fixed", async () => {
    const callsBefore = simulator.state().calls.length;
    await page.goto(`${portal.baseUrl}/customers/${customerId}`);
    await page.getByLabel("MAC address").fill("000413ABCD02");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.locator('tr[data-mac="000413ABCD02"]').waitFor();

    await expect.poll(async () => {
      await page.reload();
      return page.getByText("Sync paused:").count();
    }, { timeout: 30_000, interval: 1000 }).toBe(1);
    // One refused call, then silence: no retry storm.
    const refused = simulator.state().calls.slice(callsBefore).filter((c) => c.outcome === "auth_failed").length;
    await page.waitForTimeout(2000);
    expect(simulator.state().calls.slice(callsBefore).filter((c) => c.outcome === "auth_failed").length).toBe(refused);
    // Issue 10: a phone held back by refused credentials says so ("Paused"), not "Pending".
    expect(await db.phone.findFirstOrThrow({ where: { mac: "000413ABCD02" } })).toMatchObject({ syncStatus: "paused" });
    expect(await page.locator('tr[data-mac="000413ABCD02"]').textContent()).toContain("Paused");

    await page.getByRole("link", { name: "Update the credentials" }).click();
    await page.getByLabel("XML-RPC password").fill(SECRET_PASSWORD);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await expect.poll(() => simulator.state().phones["000413ABCD02"]?.owner, { timeout: 30_000 }).toBe("reseller");
    await page.reload();
    expect(await page.getByText("Sync paused:").count()).toBe(0);
  });
});
