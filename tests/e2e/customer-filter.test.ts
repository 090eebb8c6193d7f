// The phones list's customer filter is a searchable combobox: the page carries no list of every
// customer (issue 13: 2000 customers made every phones page 687 KB), typing asks a small scoped
// route for matches, picking one filters the list through the URL, and the choice survives the reload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganizationWithAdmin } from "../../lib/org-bootstrap";
import { createCustomer, createOrganization, snomMac, markPasswordChosen } from "../factories";
import { customerKeys } from "../../lib/search-key";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let portal: PortalServer;
let weberId: string;

beforeAll(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganizationWithAdmin(db, {
    name: "Filter Reseller",
    adminEmail: "filter-admin@reseller.example",
  });
  const orgId = (await db.user.findUniqueOrThrow({ where: { email: org.adminEmail } })).organizationId;
  // Not about the first sign-in: the admin has chosen their own password (decision 0018).
  await markPasswordChosen(db, org.adminEmail);
  await db.customer.createMany({
    data: Array.from({ length: 300 }, (_, i) => {
      const texts = { name: `Kunde ${String(i).padStart(3, "0")}`, number: `F-${i}` };
      return { organizationId: orgId, ...texts, ...customerKeys(texts) };
    }),
  });
  const weber = await createCustomer(db, orgId, { name: "Zahnarzt Weber", number: "K-7777" });
  weberId = weber.id;
  const other = (await db.customer.findFirstOrThrow({ where: { organizationId: orgId, number: "F-1" } })).id;
  await db.phone.createMany({
    data: [
      { organizationId: orgId, customerId: weber.id, mac: snomMac(0xaa0001) },
      { organizationId: orgId, customerId: other, mac: snomMac(0xaa0002) },
    ],
  });
  // Another organization's customer with the same name must never be offered.
  const rival = await createOrganization(db, { name: "Rival" });
  await createCustomer(db, rival.id, { name: "Zahnarzt Weber Rival", number: "R-1" });
  await signIn(page, portal.baseUrl, org.adminEmail, org.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

describe("customer filter on the phones list", () => {
  it("finds a customer by typing, filters by it, keeps it after the reload; the page lists no customers", async () => {
    await page.goto(`${portal.baseUrl}/phones`);
    const html = await page.content();
    expect(html).not.toContain("Kunde 299");
    expect(await page.locator("option", { hasText: "Kunde 000" }).count()).toBe(0);

    const combo = page.getByRole("combobox", { name: "Customer" });
    await combo.fill("zahn");
    const option = page.getByRole("option", { name: "Zahnarzt Weber (K-7777)" });
    await option.waitFor();
    expect(await page.getByRole("option", { name: /Rival/ }).count()).toBe(0);
    await option.click();
    await page.waitForURL(new RegExp(`[?&]customer=${weberId}`));
    await page
      .getByRole("cell", { name: /00:04:13:AA:00:01|000413AA0001/ })
      .first()
      .waitFor();
    expect(await page.getByText(/000413AA0002|00:04:13:AA:00:02/).count()).toBe(0);
    expect(await page.getByRole("combobox", { name: "Customer" }).inputValue()).toBe("Zahnarzt Weber (K-7777)");

    await page.getByRole("combobox", { name: "Customer" }).focus();
    await page.getByRole("option", { name: "All customers" }).click();
    await page.waitForURL((url) => !url.searchParams.get("customer"));
    await page
      .getByText(/000413AA0002|00:04:13:AA:00:02/)
      .first()
      .waitFor();
  });

  it("works from the keyboard: Enter takes the one match, ArrowDown the first match, Escape puts back the choice", async () => {
    await page.goto(`${portal.baseUrl}/phones`);
    const combo = page.getByRole("combobox", { name: "Customer" });
    await combo.fill("K-7777");
    await page.getByRole("option", { name: "Zahnarzt Weber (K-7777)" }).waitFor();
    await combo.press("Enter");
    await page.waitForURL(new RegExp(`[?&]customer=${weberId}`));

    const again = page.getByRole("combobox", { name: "Customer" });
    await again.fill("zahnarzt");
    await page.getByRole("option", { name: "Zahnarzt Weber (K-7777)" }).waitFor();
    await again.press("Escape");
    expect(await again.inputValue()).toBe("Zahnarzt Weber (K-7777)");

    await again.fill("zahn");
    await page.getByRole("option", { name: "Zahnarzt Weber (K-7777)" }).waitFor();
    expect(await page.getByRole("option", { name: "All customers" }).count()).toBe(0);
    await again.press("ArrowDown");
    await again.press("Enter");
    await page.waitForURL(new RegExp(`[?&]customer=${weberId}`));
    expect(await page.getByRole("combobox", { name: "Customer" }).inputValue()).toBe("Zahnarzt Weber (K-7777)");
  });
});
