// Search ignores case and accents in the browser too: "müller", "MULLER" and "mueller" find the
// customer "Müller Telekom" created through the form, in the customers list and (by its name) in
// the phones list; a customer number that differs only in case is refused with the owner's name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { createPrisma, type Db } from "../../lib/db-core";
import { createOrganizationWithAdmin } from "../../lib/org-bootstrap";
import { createCustomer, snomMac, markPasswordChosen } from "../factories";
import { launchBrowser, signIn } from "./browser";
import { startPortal, type PortalServer } from "./portal-server";

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let db: Db;
let portal: PortalServer;

beforeAll(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  db = createPrisma(portal.databaseUrl);
  const org = await createOrganizationWithAdmin(db, { name: "Search Reseller", adminEmail: "search-admin@reseller.example" });
  const orgId = (await db.user.findUniqueOrThrow({ where: { email: org.adminEmail } })).organizationId;
  // Not about the first sign-in: the admin has chosen their own password (decision 0018).
  await markPasswordChosen(db, org.adminEmail);
  const other = await createCustomer(db, orgId, { name: "Hotel Seeblick", number: "K-200" });
  await db.phone.create({ data: { organizationId: orgId, customerId: other.id, mac: snomMac(0xcc0002) } });
  await signIn(page, portal.baseUrl, org.adminEmail, org.password);
});

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await portal?.stop();
});

async function search(path: string, label: string, q: string) {
  await page.goto(`${portal.baseUrl}${path}`);
  await page.getByLabel(label).fill(q);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === q);
}

describe("search without case and accents", () => {
  it("finds the customer Müller Telekom by müller, MULLER and mueller in the customers and phones lists", async () => {
    await page.goto(`${portal.baseUrl}/customers/new`);
    await page.getByLabel("Name", { exact: true }).fill("Müller Telekom");
    await page.getByLabel("Customer number").fill("K-100");
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByRole("heading", { name: "Müller Telekom" }).waitFor();
    await page.getByLabel("MAC address").fill("00:04:13:CC:00:01");
    await page.getByRole("button", { name: "Add phone" }).click();
    await page.getByRole("link", { name: "000413CC0001" }).waitFor();

    for (const q of ["müller", "MULLER", "mueller"]) {
      await search("/customers", "Search customers", q);
      await page.getByRole("link", { name: "Müller Telekom" }).waitFor();
      expect(await page.getByRole("link", { name: "Hotel Seeblick" }).count(), q).toBe(0);
    }

    await search("/phones", "Search phones", "müller");
    await page.getByRole("link", { name: "000413CC0001" }).waitFor();
    expect(await page.getByRole("link", { name: "000413CC0002" }).count()).toBe(0);
  });

  it("refuses customer number k-100 next to K-100 with a message on the field", async () => {
    await page.goto(`${portal.baseUrl}/customers/new`);
    await page.getByLabel("Name", { exact: true }).fill("Copy Cat");
    await page.getByLabel("Customer number").fill("k-100");
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByText("Customer number k-100 is already used by Müller Telekom (as “K-100”).").first().waitFor();
    expect(await page.getByLabel("Customer number").getAttribute("aria-invalid")).toBe("true");
    expect(await db.customer.count({ where: { name: "Copy Cat" } })).toBe(0);
  });
});
